from __future__ import annotations

import pytest

from constructs_sfn.integrations.aws.naming import (
    exception_name,
    operation_name,
    optimized_boto3_service,
    optimized_client_error,
    optimized_naming,
    optimized_service_error,
    sdk_boto3_service,
    sdk_client_error,
    sdk_service_error,
    sdk_service_prefix,
)


def test_operation_and_exception_names() -> None:
    assert operation_name("putItem") == "PutItem"
    assert exception_name("NoSuchBucket") == "NoSuchBucketException"
    assert exception_name("ResourceNotFoundException") == "ResourceNotFoundException"


@pytest.mark.parametrize(
    ("service", "service_id", "prefix"),
    [
        ("dynamodb", "DynamoDB", "DynamoDb"),
        ("sfn", "SFN", "Sfn"),
        ("s3", "S3", "S3"),
        ("secretsmanager", "Secrets Manager", "SecretsManager"),
        ("elasticache", "ElastiCache", "ElastiCache"),
        ("ec2", "EC2", "Ec2"),
        ("cloudwatchlogs", "CloudWatch Logs", "CloudWatchLogs"),
        ("dax", "DAX", "Dax"),
        ("apigatewayv2", "ApiGatewayV2", "ApiGatewayV2"),
        ("mystery", None, "Mystery"),
    ],
)
def test_sdk_prefixes(service: str, service_id: str | None, prefix: str) -> None:
    assert sdk_service_prefix(service, service_id) == prefix


def test_service_names_for_boto3() -> None:
    assert sdk_boto3_service("sfn") == "stepfunctions"
    assert sdk_boto3_service("eventbridge") == "events"
    assert sdk_boto3_service("dynamodb") == "dynamodb"
    assert sdk_boto3_service("iotdataplane", frozenset({"iot-dataplane", "s3"})) == "iot-dataplane"
    assert sdk_boto3_service("s3", frozenset({"iot-dataplane", "s3"})) == "s3"
    assert sdk_boto3_service("nothing", frozenset({"s3"})) == "nothing"
    assert optimized_boto3_service("states") == "stepfunctions"
    assert optimized_boto3_service("sqs") == "sqs"


def test_optimized_error_format() -> None:
    declared = optimized_service_error(
        "dynamodb",
        code="ResourceNotFoundException",
        message="Requested resource not found",
        status=400,
        request_id="<request_id>",
        declared_shape="ResourceNotFoundException",
    )
    assert declared.error == "DynamoDB.ResourceNotFoundException"
    assert declared.cause == (
        "Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: "
        "ResourceNotFoundException; Request ID: <request_id>; Proxy: null)"
    )
    undeclared = optimized_service_error(
        "sqs", code="MissingParameter", message="m", status=400, request_id="r", declared_shape=None
    )
    assert undeclared.error == "SQS.AmazonSQSException"
    sns = optimized_service_error(
        "sns", code="NotFound", message="m", status=404, request_id="r", declared_shape="NotFound"
    )
    assert sns.error == "SNS.NotFoundException"
    assert optimized_naming("newservice").base_exception == "AmazonNewserviceException"


def test_sdk_error_format() -> None:
    declared = sdk_service_error(
        "S3",
        message="The specified bucket does not exist",
        status=404,
        request_id="R",
        declared_shape="NoSuchBucket",
        extended_request_id="X",
    )
    assert declared.error == "S3.NoSuchBucketException"
    assert declared.cause == (
        "The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: R, Extended Request ID: X)"
    )
    undeclared = sdk_service_error("DynamoDb", message="bad", status=400, request_id="R", declared_shape=None)
    assert (undeclared.error, undeclared.cause) == (
        "DynamoDb.DynamoDbException",
        "bad (Service: DynamoDb, Status Code: 400, Request ID: R)",
    )


def test_client_side_errors() -> None:
    assert optimized_client_error("sqs", "missing", validation=True).error == "SQS.AmazonSQSException"
    assert optimized_client_error("lambda", "refused").error == "Lambda.SdkClientException"
    assert optimized_client_error("lambda", "refused").cause == "Unable to execute HTTP request: refused"
    assert sdk_client_error("Sqs", "missing", validation=True).error == "Sqs.SqsException"
    assert sdk_client_error("Sqs", "refused").error == "Sqs.SdkClientException"
