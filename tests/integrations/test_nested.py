from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.integrations import NestedExecutions

from .conftest import EXECUTION_ARN, RequestFactory

CHILD_MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:Child"
CHILD_EXECUTION = "arn:aws:states:eu-west-1:111122223333:execution:Child:kid"
START = datetime(2024, 5, 1, 12, 0, 0, 250_000, tzinfo=UTC)
STOP = datetime(2024, 5, 1, 12, 0, 42, 250_000, tzinfo=UTC)


class ApiError(Exception):
    """What a local API raises: a code and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class FakeHost:
    """Runs 'child executions' by returning a canned DescribeExecution result."""

    def __init__(self, status: str = "SUCCEEDED", *, raises: Exception | None = None) -> None:
        self.status = status
        self.raises = raises
        self.calls: list[dict[str, Any]] = []

    def start_child_execution(
        self, *, state_machine_arn: str, input_text: str, name: str | None, parent_execution_arn: str
    ) -> dict[str, Any]:
        self.calls.append(
            {"machine": state_machine_arn, "input": input_text, "name": name, "parent": parent_execution_arn}
        )
        if self.raises is not None:
            raise self.raises
        describe: dict[str, Any] = {
            "executionArn": CHILD_EXECUTION,
            "stateMachineArn": state_machine_arn,
            "name": name or "generated",
            "status": self.status,
            "startDate": START,
            "input": input_text,
            "inputDetails": {"included": True},
        }
        if self.status != "RUNNING":
            describe["stopDate"] = STOP
        if self.status == "SUCCEEDED":
            describe["output"] = '{"done":true}'
            describe["outputDetails"] = {"included": True}
        if self.status == "FAILED":
            describe["error"] = "Child.Broke"
            describe["cause"] = "it broke"
        return describe


def _request(make_request: RequestFactory, resource: str, host: Any, **parameters: Any) -> Any:
    params = {"StateMachineArn": CHILD_MACHINE, **parameters}
    return make_request(resource, params, state_name="RunChild", host=host)


def test_request_response(make_request: RequestFactory) -> None:
    host = FakeHost()
    outcome = NestedExecutions().invoke(
        _request(make_request, "arn:aws:states:::states:startExecution", host, Input={"a": 1}, Name="kid")
    )
    assert host.calls == [{"machine": CHILD_MACHINE, "input": '{"a":1}', "name": "kid", "parent": EXECUTION_ARN}]
    result = outcome.output
    assert list(result) == ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"]
    assert result["ExecutionArn"] == CHILD_EXECUTION
    assert result["StartDate"] == 1714564800250
    assert result["SdkHttpMetadata"]["HttpHeaders"]["Content-Type"] == "application/x-amz-json-1.0"


def test_request_response_without_metadata(make_request: RequestFactory) -> None:
    outcome = NestedExecutions(sdk_metadata=False).invoke(
        _request(make_request, "arn:aws:states:::states:startExecution", FakeHost())
    )
    assert outcome.output == {"ExecutionArn": CHILD_EXECUTION, "StartDate": 1714564800250}


@pytest.mark.parametrize(("given", "sent"), [(None, "{}"), ('{"raw":1}', '{"raw":1}'), ([1, "x"], '[1,"x"]')])
def test_input_forms(make_request: RequestFactory, given: Any, sent: str) -> None:
    host = FakeHost()
    params = {} if given is None else {"Input": given}
    NestedExecutions().invoke(_request(make_request, "arn:aws:states:::states:startExecution", host, **params))
    assert host.calls[0]["input"] == sent


def test_sync_result_keeps_json_text(make_request: RequestFactory) -> None:
    outcome = NestedExecutions().invoke(
        _request(make_request, "arn:aws:states:::states:startExecution.sync", FakeHost(), Input={"a": 1})
    )
    assert outcome.error is None
    assert outcome.output == {
        "ExecutionArn": CHILD_EXECUTION,
        "Input": '{"a":1}',
        "InputDetails": {"Included": True},
        "Name": "generated",
        "Output": '{"done":true}',
        "OutputDetails": {"Included": True},
        "StartDate": 1714564800250,
        "StateMachineArn": CHILD_MACHINE,
        "Status": "SUCCEEDED",
        "StopDate": 1714564842250,
    }
    assert list(outcome.output) == sorted(outcome.output)
    assert outcome.duration == 42.0


def test_sync_2_result_parses_json(make_request: RequestFactory) -> None:
    outcome = NestedExecutions().invoke(
        _request(make_request, "arn:aws:states:::states:startExecution.sync:2", FakeHost(), Input={"a": 1})
    )
    assert outcome.output["Input"] == {"a": 1}
    assert outcome.output["Output"] == {"done": True}


def test_failed_child_fails_the_task(make_request: RequestFactory) -> None:
    outcome = NestedExecutions().invoke(
        _request(make_request, "arn:aws:states:::states:startExecution.sync", FakeHost("FAILED"))
    )
    assert outcome.error is not None
    assert outcome.error.error == "States.TaskFailed"
    cause = json.loads(outcome.error.cause or "")
    assert cause["Status"] == "FAILED"
    assert (cause["Error"], cause["Cause"]) == ("Child.Broke", "it broke")
    assert "Output" not in cause
    assert outcome.error.cause == json.dumps(cause, separators=(",", ":"))


def test_running_child_never_completes_here(make_request: RequestFactory) -> None:
    outcome = NestedExecutions().invoke(
        _request(make_request, "arn:aws:states:::states:startExecution.sync", FakeHost("RUNNING"))
    )
    assert not outcome.completes


def test_sdk_start_execution(make_request: RequestFactory) -> None:
    outcome = NestedExecutions().invoke(
        _request(make_request, "arn:aws:states:::aws-sdk:sfn:startExecution", FakeHost())
    )
    assert outcome.output == {"ExecutionArn": CHILD_EXECUTION, "StartDate": "2024-05-01T12:00:00.250Z"}


def test_api_errors_are_named_like_aws(make_request: RequestFactory) -> None:
    host = FakeHost(raises=ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{CHILD_MACHINE}'"))
    optimized = NestedExecutions().invoke(_request(make_request, "arn:aws:states:::states:startExecution", host))
    assert optimized.error is not None
    assert optimized.error.error == "StepFunctions.StateMachineDoesNotExistException"
    assert (optimized.error.cause or "").startswith(
        f"State Machine Does Not Exist: '{CHILD_MACHINE}' (Service: AWSStepFunctions; Status Code: 400; "
        "Error Code: StateMachineDoesNotExist; Request ID: "
    )
    sdk = NestedExecutions().invoke(_request(make_request, "arn:aws:states:::aws-sdk:sfn:startExecution", host))
    assert sdk.error is not None
    assert sdk.error.error == "Sfn.StateMachineDoesNotExistException"
    assert "(Service: Sfn, Status Code: 400, Request ID: " in (sdk.error.cause or "")


def test_request_validation_errors(make_request: RequestFactory) -> None:
    from botocore.exceptions import ParamValidationError

    host = FakeHost(raises=ParamValidationError(report="Invalid length for parameter name"))
    outcome = NestedExecutions().invoke(_request(make_request, "arn:aws:states:::states:startExecution", host))
    assert outcome.error is not None
    assert outcome.error.error == "StepFunctions.ValidationException"
    assert "Invalid length for parameter name" in (outcome.error.cause or "")


def test_states_errors_pass_through(make_request: RequestFactory) -> None:
    host = FakeHost(raises=StatesError("StepFunctions.ExecutionAlreadyExistsException", "exists"))
    outcome = NestedExecutions().invoke(_request(make_request, "arn:aws:states:::states:startExecution", host))
    assert outcome.error is not None
    assert outcome.error.error == "StepFunctions.ExecutionAlreadyExistsException"


def test_other_exceptions_propagate(make_request: RequestFactory) -> None:
    host = FakeHost(raises=RuntimeError("bug"))
    with pytest.raises(RuntimeError, match="bug"):
        NestedExecutions().invoke(_request(make_request, "arn:aws:states:::states:startExecution", host))


def test_missing_state_machine_arn(make_request: RequestFactory) -> None:
    request = make_request("arn:aws:states:::states:startExecution", {"Input": {}}, host=FakeHost())
    outcome = NestedExecutions().invoke(request)
    assert outcome.error is not None
    assert outcome.error.error == "StepFunctions.ValidationException"


def test_not_routed_without_host_or_for_other_resources(make_request: RequestFactory) -> None:
    nested = NestedExecutions()
    assert nested.route(make_request("arn:aws:states:::states:startExecution", {"StateMachineArn": "x"})) is None
    assert nested.route(make_request("arn:aws:states:::lambda:invoke", {}, host=FakeHost())) is None
    assert (
        nested.route(make_request("arn:aws:states:::aws-sdk:sfn:startExecution.waitForTaskToken", {}, host=FakeHost()))
        is None
    )
    unbound = nested.invoke(make_request("arn:aws:states:::lambda:invoke", {}))
    assert unbound.error is not None
    assert unbound.error.error == "States.Runtime"
