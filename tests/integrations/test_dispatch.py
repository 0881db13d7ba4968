from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.asl.services import TaskOutcome, TaskRequest, TaskService
from constructs_sfn.integrations import MockConfig, Return, TaskServices

from .conftest import RequestFactory
from .test_nested import FakeHost

FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:Charge"
SQS = "arn:aws:states:::sqs:sendMessage"
MOCKS = MockConfig.build({"Orders": {"Happy": {"Charge": Return("mocked", times=10)}}})


class Fixed:
    """A plain TaskService answering a fixed value."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        self.requests.append(request)
        return TaskOutcome.success(self.value)


class Declining(Fixed):
    """A TaskRoute that only serves SQS."""

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        return self.invoke(request) if request.resource.startswith(SQS) else None


def _output(services: TaskService, request: TaskRequest) -> Any:
    outcome = services.invoke(request)
    return outcome.output if outcome.error is None else outcome.error.error


def test_precedence(make_request: RequestFactory) -> None:
    services = TaskServices(
        lambdas={"Charge": lambda event, context: "handler"}, mock_config=MOCKS, sdk=Fixed("sdk"), read_env=False
    )
    mocked = make_request(FUNCTION_ARN, state_name="Charge", test_case="Happy")
    handled = make_request(FUNCTION_ARN, state_name="Charge")
    assert _output(services, mocked) == "mocked"
    assert _output(services, handled) == "handler"
    services.bind(FUNCTION_ARN, Fixed("bound"))
    assert _output(services, handled) == "bound"
    assert _output(services, mocked) == "mocked"
    services.faults.throw("Charge", "Injected")
    assert _output(services, mocked) == "Injected"
    assert _output(services, make_request(SQS, state_name="Send")) == "sdk"


def test_binding_matches_without_pattern_suffix(make_request: RequestFactory) -> None:
    services = TaskServices(read_env=False).bind(SQS, Fixed("sent"))
    assert _output(services, make_request(f"{SQS}.waitForTaskToken")) == "sent"
    assert _output(services, make_request(SQS)) == "sent"


def test_bind_lambda_and_nested_executions(make_request: RequestFactory) -> None:
    services = TaskServices(read_env=False).bind_lambda("Charge", lambda event, context: event["n"] + 1)
    assert _output(services, make_request(FUNCTION_ARN, {"n": 1})) == 2
    nested = make_request("arn:aws:states:::states:startExecution", {"StateMachineArn": "arn:sm"}, host=FakeHost())
    assert _output(services, nested)["ExecutionArn"].endswith(":execution:Child:kid")
    without_nested = TaskServices(read_env=False, nested_executions=False)
    assert _output(without_nested, nested) == "States.Runtime"


def test_sdk_route_may_decline(make_request: RequestFactory) -> None:
    services = TaskServices(read_env=False, sdk=Declining("sdk"))
    assert _output(services, make_request(SQS)) == "sdk"
    declined = make_request("arn:aws:states:::sns:publish")
    assert services.route(declined) is None
    assert _output(services, declined) == "States.Runtime"


def test_unbound_resource_names_resource_and_state(make_request: RequestFactory) -> None:
    outcome = TaskServices(read_env=False).invoke(make_request("arn:aws:states:::dynamodb:putItem", state_name="Save"))
    assert outcome.error is not None
    assert outcome.error.error == "States.Runtime"
    assert outcome.error.cause == (
        "No integration is bound for resource 'arn:aws:states:::dynamodb:putItem' of state 'Save'. Bind a "
        "Python handler (TaskServices.bind_lambda), mock the state (MockConfig), or enable SDK calls "
        "(TaskServices(sdk=Boto3Integrations()))."
    )


def test_mock_config_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_request: RequestFactory) -> None:
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps(MOCKS.to_dict()), encoding="utf-8")
    request = make_request(FUNCTION_ARN, state_name="Charge", test_case="Happy")
    assert _output(TaskServices(mock_config=MOCKS.to_dict()), request) == "mocked"
    assert _output(TaskServices(mock_config=path), request) == "mocked"
    assert _output(TaskServices(mock_config=str(path)), request) == "mocked"
    monkeypatch.setenv("SFN_MOCK_CONFIG", str(path))
    from_env = TaskServices()
    assert from_env.mock_config is not None
    assert _output(from_env, request) == "mocked"
    assert TaskServices(read_env=False).mock_config is None


def test_use_mock_config_replaces_and_removes(make_request: RequestFactory) -> None:
    services = TaskServices(read_env=False)
    request = make_request(FUNCTION_ARN, state_name="Charge", test_case="Happy")
    assert _output(services, request) == "States.Runtime"
    services.use_mock_config(MOCKS)
    assert _output(services, request) == "mocked"
    services.use_mock_config(None)
    assert services.mock_config is None
