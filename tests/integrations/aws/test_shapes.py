from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import botocore.session
import pytest

from constructs_sfn.integrations.aws.shapes import coerce_parameters, convert_response


def _operation(service: str, operation: str) -> Any:
    return botocore.session.get_session().get_service_model(service).operation_model(operation)


def test_pascal_case_parameters_match_camel_case_members() -> None:
    op = _operation("stepfunctions", "StartExecution")
    params = {"StateMachineArn": "arn:sm", "Input": {"a": [1, True]}, "Name": None}
    assert coerce_parameters(params, op.input_shape) == {"stateMachineArn": "arn:sm", "input": '{"a":[1,true]}'}


def test_blob_members_get_text_or_compact_json_bytes() -> None:
    op = _operation("s3", "PutObject")
    assert coerce_parameters({"Bucket": "b", "Key": "k", "Body": {"Dict": "Value"}}, op.input_shape)["Body"] == (
        b'{"Dict":"Value"}'
    )
    assert coerce_parameters({"Bucket": "b", "Key": "k", "Body": "text"}, op.input_shape)["Body"] == b"text"
    assert coerce_parameters({"Bucket": "b", "Key": "k", "Body": False}, op.input_shape)["Body"] == b"false"


def test_map_keys_and_nested_structures_are_kept() -> None:
    op = _operation("dynamodb", "PutItem")
    params = {"TableName": "t", "Item": {"id": {"S": "1"}, "n": {"N": "2"}, "gone": None}}
    assert coerce_parameters(params, op.input_shape) == {"TableName": "t", "Item": {"id": {"S": "1"}, "n": {"N": "2"}}}


def test_lists_and_integers() -> None:
    op = _operation("sqs", "ReceiveMessage")
    params = {"QueueUrl": "u", "MaxNumberOfMessages": 5.0, "AttributeNames": ["All", None]}
    assert coerce_parameters(params, op.input_shape) == {
        "QueueUrl": "u",
        "MaxNumberOfMessages": 5,
        "AttributeNames": ["All"],
    }


@pytest.mark.parametrize("params", [None, "text", [1]])
def test_non_object_parameters_give_no_arguments(params: Any) -> None:
    assert coerce_parameters(params, _operation("sqs", "ListQueues").input_shape) == {}


def test_without_shape_only_nulls_are_dropped() -> None:
    assert coerce_parameters({"A": 1, "B": None}, None) == {"A": 1}


def test_response_members_become_pascal_case_and_dates_follow_the_style() -> None:
    op = _operation("stepfunctions", "DescribeExecution")
    response = {
        "executionArn": "arn:x",
        "startDate": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        "inputDetails": {"included": True},
        "ResponseMetadata": {"RequestId": "r"},
    }
    assert convert_response(response, op.output_shape, dates="millis") == {
        "ExecutionArn": "arn:x",
        "StartDate": 1714564800000,
        "InputDetails": {"Included": True},
    }
    assert convert_response(response, op.output_shape, dates="iso")["StartDate"] == "2024-05-01T12:00:00Z"


def test_response_maps_keep_their_keys_and_values_convert() -> None:
    op = _operation("dynamodb", "GetItem")
    response = {"Item": {"id": {"S": "1"}, "blob": {"B": b"\x00\x01"}}}
    assert convert_response(response, op.output_shape, dates="iso") == {
        "Item": {"id": {"S": "1"}, "blob": {"B": "AAE="}}
    }


def test_streamed_bodies_become_text() -> None:
    op = _operation("s3", "GetObject")
    response = {"Body": io.BytesIO(b"text data"), "Metadata": {"owner": "me"}, "ContentLength": 9}
    assert convert_response(response, op.output_shape, dates="iso") == {
        "Body": "text data",
        "Metadata": {"owner": "me"},
        "ContentLength": 9,
    }
    binary = convert_response({"Body": io.BytesIO(b"\xff\xfe")}, op.output_shape, dates="iso")
    assert binary == {"Body": "//4="}


def test_values_without_shape() -> None:
    assert convert_response({"d": Decimal(2), "f": Decimal("2.5"), "t": (1, 2), "o": object}, dates="iso") == {
        "d": 2,
        "f": 2.5,
        "t": [1, 2],
        "o": "<class 'object'>",
    }
