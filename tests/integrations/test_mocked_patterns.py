"""Mocked tasks record what AWS records for their integration pattern.

Docs: https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html (a mocked
Task never calls the service; Step Functions Local generates the task token of a mocked
``.waitForTaskToken`` task and the mock answers it; states a test case does not mock call the
configured service), https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html
(``Return`` / ``Throw`` with ``Error`` and ``Cause``),
https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html (``.sync`` and
``.waitForTaskToken`` tasks are submitted, then wait: ``TaskSubmitted`` comes before the outcome) and
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (``States.Timeout`` and
``States.HeartbeatTimeout`` are raised by Step Functions when a task runs out of time: the history
records a timed-out task, ``TaskTimedOut`` or ``LambdaFunctionTimedOut``, not a failed one).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/sfn"
SQS_CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
NESTED_SYNC = "arn:aws:states:::states:startExecution.sync:2"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
BARE_LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:worker"
MOCKS = {
    "StateMachines": {
        "Flow": {
            "TestCases": {
                "Ok": {"Work": "Done"},
                "Timeout": {"Work": "TimesOut"},
                "Heartbeat": {"Work": "MissesHeartbeat"},
                "Fails": {"Work": "Breaks"},
                "OnlyError": {"Work": "ErrorOnly"},
                "Hybrid": {},
            }
        }
    },
    "MockedResponses": {
        "Done": {"0": {"Return": {"done": True}}},
        "TimesOut": {"0": {"Throw": {"Error": "States.Timeout", "Cause": "took too long"}}},
        "MissesHeartbeat": {"0": {"Throw": {"Error": "States.HeartbeatTimeout", "Cause": "no heartbeat"}}},
        "Breaks": {"0": {"Throw": {"Error": "Work.Broken", "Cause": "gears"}}},
        "ErrorOnly": {"0": {"Throw": {"Error": "Work.Broken"}}},
    },
}


class Recorder:
    """The configured service for states no test case mocks."""

    def __init__(self) -> None:
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        self.requests.append(request)
        return TaskOutcome.success({"real": True})


def _run(resource: str, test_case: str, *, catch: bool = False, services: Any = None) -> tuple[dict[str, Any], list]:
    state: dict[str, Any] = {"Type": "Task", "Resource": resource, "Parameters": {"n": 1}, "End": True}
    states: dict[str, Any] = {"Work": state}
    if catch:
        state["Catch"] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}]
        states["Handled"] = {"Type": "Pass", "End": True}
    sfn = LocalStepFunctions(mock_config=MOCKS, services=services)
    definition = json.dumps({"StartAt": "Work", "States": states})
    machine = sfn.create_state_machine(name="Flow", definition=definition, roleArn=ROLE)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=f"{machine}#{test_case}", input="{}")["executionArn"]
    return sfn.describe_execution(executionArn=execution), sfn.get_execution_history(executionArn=execution)["events"]


def _types(events: list) -> list[str]:
    return [event["type"] for event in events]


def _details(event: dict[str, Any]) -> dict[str, Any]:
    (value,) = [value for key, value in event.items() if key.endswith("EventDetails")]
    return dict(value)


@pytest.mark.parametrize(
    ("resource", "resource_type", "resource_name"),
    [(SQS_CALLBACK, "sqs", "sendMessage.waitForTaskToken"), (NESTED_SYNC, "states", "startExecution.sync:2")],
    ids=["waitForTaskToken", "sync"],
)
def test_a_mocked_callback_or_sync_task_is_submitted_before_it_succeeds(
    resource: str, resource_type: str, resource_name: str
) -> None:
    """connect-to-resource.html: a .sync or .waitForTaskToken task is submitted, then waits.

    sfn-local-test-sm-exec.html: the mock answers it.
    """
    described, events = _run(resource, "Ok")

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"done": True}
    assert _types(events)[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    # The mock says nothing about the service's answer to the submission: the optional output is left out
    # (API_TaskSubmittedEventDetails.html: output "Required: No").
    assert _details(events[4]) == {"resourceType": resource_type, "resource": resource_name}
    assert json.loads(_details(events[5])["output"]) == {"done": True}


def test_a_mocked_request_response_task_is_not_submitted() -> None:
    """connect-to-resource.html#connect-default: a request-response task has no submission phase."""
    _described, events = _run(LAMBDA_INVOKE, "Ok")

    assert _types(events)[2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]


@pytest.mark.parametrize(("resource", "submitted"), [(LAMBDA_INVOKE, False), (SQS_CALLBACK, True), (NESTED_SYNC, True)])
@pytest.mark.parametrize("test_case", ["Timeout", "Heartbeat"])
def test_a_mocked_timeout_is_a_timed_out_task(resource: str, submitted: bool, test_case: str) -> None:
    """Both timeouts are recorded as ``States.Timeout`` in the history, as real ones are; a callback
    or ``.sync`` task can only time out once submitted, so TaskSubmitted comes first."""
    described, events = _run(resource, test_case)

    assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
    expected = ["TaskStarted", "TaskSubmitted", "TaskTimedOut"] if submitted else ["TaskStarted", "TaskTimedOut"]
    assert _types(events)[3 : 3 + len(expected)] == expected
    assert _details(events[2 + len(expected)])["error"] == "States.Timeout"
    assert "TaskFailed" not in _types(events)


def test_a_mocked_timeout_of_a_bare_lambda_arn_is_a_lambda_timeout() -> None:
    """A Lambda function ARN records Lambda events (concepts-error-handling.html: States.Timeout is a timeout)."""
    described, events = _run(BARE_LAMBDA, "Timeout")

    assert described["error"] == "States.Timeout"
    assert _types(events)[2:5] == ["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionTimedOut"]
    assert _details(events[4]) == {"error": "States.Timeout", "cause": "took too long"}


def test_a_mocked_heartbeat_timeout_is_caught_as_a_heartbeat_timeout() -> None:
    """``States.HeartbeatTimeout`` is matchable in Catch/Retry, and ``States.Timeout`` matches it too."""
    for errors in (["States.HeartbeatTimeout"], ["States.Timeout"]):
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Catch": [{"ErrorEquals": errors, "ResultPath": "$.error", "Next": "Handled"}],
            "End": True,
        }
        definition = json.dumps(
            {"StartAt": "Work", "States": {"Work": state, "Handled": {"Type": "Pass", "End": True}}}
        )
        sfn = LocalStepFunctions(mock_config=MOCKS)
        machine = sfn.create_state_machine(name="Flow", definition=definition, roleArn=ROLE)["stateMachineArn"]
        run = sfn.start_execution(stateMachineArn=f"{machine}#Heartbeat", input="{}")["executionArn"]
        described = sfn.describe_execution(executionArn=run)

        assert described["status"] == "SUCCEEDED", errors
        assert json.loads(described["output"])["error"]["Cause"] == "no heartbeat"


def test_a_caught_mocked_timeout_gives_the_error_output() -> None:
    """concepts-error-handling.html: a Catch's error output holds Error and Cause."""
    described, _events = _run(LAMBDA_INVOKE, "Timeout", catch=True)

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"error": {"Error": "States.Timeout", "Cause": "took too long"}}


def test_a_mocked_failure_stays_a_failed_task() -> None:
    """sfn-local-mock-cfg-file.html: a Throw fails the task with its Error and Cause."""
    described, events = _run(SQS_CALLBACK, "Fails")

    assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Work.Broken", "gears")
    assert "TaskFailed" in _types(events)
    assert "TaskSubmitted" not in _types(events)


def test_a_throw_with_only_an_error_fails_without_a_cause() -> None:
    """sfn-local-mock-cfg-file.html: Throw has Error and Cause; without a Cause the error output has none."""
    described, events = _run(LAMBDA_INVOKE, "OnlyError", catch=True)

    assert json.loads(described["output"])["error"] == {"Error": "Work.Broken"}
    failed = [event for event in events if event["type"] == "TaskFailed"]
    assert "cause" not in _details(failed[0])


def test_states_the_test_case_does_not_mock_go_to_the_configured_services() -> None:
    """sfn-local-test-sm-exec.html: without a mocked response Step Functions Local calls the configured endpoint."""
    recorder = Recorder()

    described, _events = _run(LAMBDA_INVOKE, "Hybrid", services=recorder)

    assert json.loads(described["output"]) == {"real": True}
    assert [request.state_name for request in recorder.requests] == ["Work"]
