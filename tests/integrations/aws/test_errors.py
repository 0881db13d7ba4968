from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import botocore.session
from botocore.exceptions import ClientError, EndpointConnectionError, ParamValidationError

from constructs_sfn.integrations.aws.errors import declared_error_shape, translate_exception


def _client(service: str) -> Any:
    model = botocore.session.get_session().get_service_model(service)
    return SimpleNamespace(meta=SimpleNamespace(service_model=model))


def _client_error(code: str, message: str, status: int, **meta: Any) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": "req-1", **meta},
        },
        "Operation",
    )


def test_declared_shapes_by_name_and_wire_code() -> None:
    sqs = _client("sqs")
    assert declared_error_shape(sqs, "QueueDoesNotExist") == "QueueDoesNotExist"
    assert declared_error_shape(sqs, "MissingParameter") is None


def test_optimized_style() -> None:
    dynamodb = _client("dynamodb")
    error = translate_exception(
        _client_error("ResourceNotFoundException", "Requested resource not found", 400),
        client=dynamodb,
        style="optimized",
        service="dynamodb",
    )
    assert error is not None
    assert error.error == "DynamoDB.ResourceNotFoundException"
    assert error.cause == (
        "Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: "
        "ResourceNotFoundException; Request ID: req-1; Proxy: null)"
    )
    undeclared = translate_exception(
        _client_error("ValidationException", "bad", 400), client=dynamodb, style="optimized", service="dynamodb"
    )
    assert undeclared is not None
    assert undeclared.error == "DynamoDB.AmazonDynamoDBException"


def test_query_compatible_error_codes() -> None:
    error = _client_error("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.", 400)
    error.response["Error"]["QueryErrorCode"] = "QueueDoesNotExist"
    translated = translate_exception(error, client=_client("sqs"), style="optimized", service="sqs")
    assert translated is not None
    assert translated.error == "SQS.QueueDoesNotExistException"
    assert "Error Code: AWS.SimpleQueueService.NonExistentQueue;" in (translated.cause or "")


def test_sdk_style_with_extended_request_id() -> None:
    error = translate_exception(
        _client_error("NoSuchBucket", "The specified bucket does not exist", 404, HostId="host-2"),
        client=_client("s3"),
        style="sdk",
        service="s3",
        prefix="S3",
    )
    assert error is not None
    assert (error.error, error.cause) == (
        "S3.NoSuchBucketException",
        (
            "The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: req-1, "
            "Extended Request ID: host-2)"
        ),
    )


def test_client_side_failures() -> None:
    sqs = _client("sqs")
    validation = translate_exception(
        ParamValidationError(report='Missing required parameter in input: "MessageBody"'),
        client=sqs,
        style="optimized",
        service="sqs",
    )
    assert validation is not None
    assert validation.error == "SQS.AmazonSQSException"
    assert 'Missing required parameter in input: "MessageBody"' in (validation.cause or "")
    connection = translate_exception(
        EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), client=sqs, style="sdk", service="sqs", prefix="Sqs"
    )
    assert connection is not None
    assert connection.error == "Sqs.SdkClientException"


def test_other_exceptions_are_not_translated() -> None:
    assert translate_exception(RuntimeError("bug"), client=_client("sqs"), style="sdk", service="sqs") is None
