"""Checking wire parameters against botocore's model before the client sees them.

Constraint wording follows AWS's validator as the API reference's common errors describe it
(https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html: ValidationException).
"""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.endpoint.operations import call_operation, checked_params, client_method_name
from constructs_sfn.local.endpoint.wire import WireError


def test_client_method_names() -> None:
    assert client_method_name("StartExecution") == "start_execution"
    assert client_method_name("DescribeStateMachineForExecution") == "describe_state_machine_for_execution"
    assert client_method_name("TestState") == "test_state"


def test_conversions_and_ignored_members() -> None:
    params = checked_params(
        "GetExecutionHistory",
        {"executionArn": "arn", "maxResults": 5.0, "reverseOrder": True, "unknown": 1, "nextToken": None},
    )
    assert params == {"executionArn": "arn", "maxResults": 5, "reverseOrder": True}
    assert isinstance(params["maxResults"], int)


def test_nested_members_are_checked_with_their_paths() -> None:
    with pytest.raises(WireError) as refused:
        checked_params("CreateActivity", {"name": "a", "tags": [{"key": "k", "value": 3}]})
    assert refused.value.code == "SerializationException"
    assert "'tags.1.member.value'" in refused.value.message
    with pytest.raises(WireError) as refused:
        checked_params("CreateStateMachineAlias", {"name": "a", "routingConfiguration": [{"weight": 100}]})
    assert refused.value.code == "ValidationException"
    assert "Value null at 'routingConfiguration.1.member.stateMachineVersionArn'" in refused.value.message


def test_minimums_and_sensitive_members() -> None:
    """Below-minimum values are refused; a member modelled as sensitive is never echoed."""
    with pytest.raises(WireError) as refused:
        checked_params("SendTaskSuccess", {"taskToken": "", "output": "{}"})
    assert refused.value.code == "ValidationException"
    assert "Value at 'taskToken' failed to satisfy constraint" in refused.value.message
    with pytest.raises(WireError) as refused:
        checked_params("StartExecution", {"stateMachineArn": ""})
    assert "Value '' at 'stateMachineArn' failed to satisfy constraint" in refused.value.message
    with pytest.raises(WireError) as refused:
        checked_params("ListExecutions", {"stateMachineArn": "a", "maxResults": -1})
    assert "Member must have value greater than or equal to 0" in refused.value.message
    with pytest.raises(WireError) as refused:
        checked_params("StartExecution", {"stateMachineArn": "a", "input": 5})
    assert refused.value.code == "SerializationException"
    assert "'input'" in refused.value.message


def test_a_float_where_an_integer_belongs() -> None:
    with pytest.raises(WireError, match="Expected an integer at 'maxResults', got a number"):
        checked_params("ListStateMachines", {"maxResults": 2.5})


class _OldClient:
    """A client whose method knows fewer parameters than the API model."""

    def list_state_machines(self, *, maxResults: int | None = None) -> dict[str, Any]:  # noqa: N803 - boto3's name
        return {"stateMachines": [], "asked": maxResults}


def test_parameters_the_client_lacks_are_refused_by_name() -> None:
    assert call_operation(_OldClient(), "ListStateMachines", {"maxResults": 3})["asked"] == 3
    with pytest.raises(WireError, match="does not support the parameter\\(s\\) nextToken of ListStateMachines"):
        call_operation(_OldClient(), "ListStateMachines", {"nextToken": "t"})


def test_api_operations_the_client_lacks_are_unknown_operations() -> None:
    """An operation of the API that the served client does not implement is refused by name."""
    with pytest.raises(WireError) as refused:
        call_operation(_OldClient(), "TagResource", {"resourceArn": "arn", "tags": []})
    assert refused.value.code == "UnknownOperationException"
    assert "TagResource is an operation of the Step Functions API that the local endpoint does not implement" in (
        refused.value.message
    )


def test_client_errors_keep_code_message_status_and_request_id() -> None:
    client = LocalStepFunctions()
    with pytest.raises(WireError) as refused:
        call_operation(client, "DescribeActivity", {"activityArn": "arn:aws:states:us-east-1:123456789012:activity:x"})
    error = refused.value
    assert (error.code, error.status) == ("ActivityDoesNotExist", 400)
    assert "Activity Does Not Exist" in error.message
    assert error.request_id is not None
    assert len(error.request_id) == 36


def test_only_api_operations_are_reachable() -> None:
    client = LocalStepFunctions()
    for action in ("AdvanceClock", "LocalExecution", "GetPaginator"):
        with pytest.raises(WireError) as refused:
            call_operation(client, action, {})
        assert refused.value.code == "UnknownOperationException"
