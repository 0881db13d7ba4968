"""Errors are the classes a boto3 stepfunctions client raises."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from constructs_sfn.local.errors import aws_error, param_validation_error, raise_aws_error
from constructs_sfn.local.service_model import client_exceptions


def test_modelled_codes_get_their_generated_class() -> None:
    error = aws_error("InvalidArn", "Invalid Arn: 'x'", "DescribeExecution", metadata={"RequestId": "r"})
    assert isinstance(error, client_exceptions().InvalidArn)
    assert isinstance(error, ClientError)
    assert error.response == {
        "Error": {"Code": "InvalidArn", "Message": "Invalid Arn: 'x'"},
        "message": "Invalid Arn: 'x'",
        "ResponseMetadata": {"RequestId": "r", "HTTPStatusCode": 400},
    }
    assert str(error) == "An error occurred (InvalidArn) when calling the DescribeExecution operation: Invalid Arn: 'x'"


def test_unmodelled_codes_are_plain_client_errors() -> None:
    error = aws_error("SomethingNew", "m", "Op")
    assert type(error) is ClientError


def test_raise_helper() -> None:
    with pytest.raises(client_exceptions().TaskTimedOut):
        raise_aws_error("TaskTimedOut", "gone", "SendTaskSuccess")


def test_param_validation_error_report() -> None:
    assert str(param_validation_error("Missing x")) == "Parameter validation failed:\nMissing x"
    assert isinstance(param_validation_error("r"), ParamValidationError)
