"""LocalStepFunctions(pause_at_timers=True): executions stop at every timer until the test lets time pass.

What a RUNNING execution looks like, and what stopping it records, are AWS's documented shapes:
- DescribeExecution: https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
  (``stopDate`` "if the execution already ended", ``output`` only on success, ``redriveStatus`` is
  NOT_REDRIVABLE with "Execution is RUNNING and cannot be redriven" while it runs).
- StopExecution: https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
  (the execution is ABORTED; the history ends with ``ExecutionAborted`` carrying error and cause).
- Wait, Retry, HeartbeatSeconds: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html,
  https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
  https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from constructs_sfn.asl.runtime import RealClock
from constructs_sfn.integrations import LambdaHandlers
from constructs_sfn.local import LocalStepFunctions

from .helpers import create, definition

START = datetime(2024, 1, 1, tzinfo=UTC)
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:Work"
WAIT_THEN_PASS = definition(
    {
        "Nap": {"Type": "Wait", "Seconds": 10, "Next": "Done"},
        "Done": {"Type": "Pass", "Result": "rested", "End": True},
    }
)
CALLBACK_BESIDE_A_WAIT = definition(
    {
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 100, "End": True}}},
                {
                    "StartAt": "Ask",
                    "States": {
                        "Ask": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                            "HeartbeatSeconds": 60,
                            "End": True,
                        }
                    },
                },
            ],
            "End": True,
        }
    }
)


def flaky(failures: int) -> tuple[LambdaHandlers, list[int]]:
    """A ``Work`` function that fails its first ``failures`` calls, and the list of its calls."""
    calls: list[int] = []

    def work(event: Any, context: Any) -> Any:
        calls.append(len(calls))
        if len(calls) <= failures:
            raise RuntimeError("not yet")
        return {"ok": True}

    return LambdaHandlers({"Work": work}), calls


def described(sfn: LocalStepFunctions, arn: str) -> dict[str, Any]:
    body = sfn.describe_execution(executionArn=arn)
    body.pop("ResponseMetadata")
    return body


def event_types(sfn: LocalStepFunctions, arn: str) -> list[str]:
    return [event["type"] for event in sfn.get_execution_history(executionArn=arn)["events"]]


def test_the_default_still_runs_to_completion(sfn: LocalStepFunctions) -> None:
    arn = sfn.start_execution(stateMachineArn=create(sfn, text=WAIT_THEN_PASS))["executionArn"]
    body = described(sfn, arn)
    assert body["status"] == "SUCCEEDED"
    assert body["stopDate"] == START + timedelta(seconds=10)


class TestRunningExecution:
    def test_a_wait_pauses_and_describe_shows_a_running_execution(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=WAIT_THEN_PASS), input='{"a":1}')["executionArn"]
        body = described(sfn, arn)
        assert body == {
            "executionArn": arn,
            "stateMachineArn": body["stateMachineArn"],
            "name": body["name"],
            "status": "RUNNING",
            "startDate": START,
            "input": '{"a":1}',
            "inputDetails": {"included": True},
            "redriveCount": 0,
            "redriveStatus": "NOT_REDRIVABLE",
            "redriveStatusReason": "Execution is RUNNING and cannot be redriven",
        }
        assert event_types(sfn, arn) == ["ExecutionStarted", "WaitStateEntered"]
        listed = sfn.list_executions(stateMachineArn=body["stateMachineArn"])["executions"]
        assert [(item["status"], "stopDate" in item) for item in listed] == [("RUNNING", False)]

    def test_time_passes_only_when_the_test_says(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=WAIT_THEN_PASS))["executionArn"]
        sfn.advance_clock(9.5)
        assert described(sfn, arn)["status"] == "RUNNING"
        sfn.advance_clock(0.5)
        body = described(sfn, arn)
        assert (body["status"], body["output"], body["stopDate"]) == (
            "SUCCEEDED",
            '"rested"',
            START + timedelta(seconds=10),
        )
        assert event_types(sfn, arn)[-3:] == ["PassStateEntered", "PassStateExited", "ExecutionSucceeded"]

    def test_advance_to_next_timer_says_how_long_it_waited(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        text = definition(
            {
                "First": {"Type": "Wait", "Seconds": 10, "Next": "Second"},
                "Second": {"Type": "Wait", "Seconds": 25, "End": True},
            }
        )
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=text))["executionArn"]
        assert sfn.advance_to_next_timer() == 10.0
        assert event_types(sfn, arn)[-1] == "WaitStateEntered"
        assert sfn.advance_to_next_timer() == 25.0
        assert described(sfn, arn)["stopDate"] == START + timedelta(seconds=35)
        assert sfn.advance_to_next_timer() is None

    def test_retry_back_off_pauses_between_attempts(self) -> None:
        services, calls = flaky(failures=1)
        sfn = LocalStepFunctions(services=services, pause_at_timers=True)
        text = definition(
            {
                "Work": {
                    "Type": "Task",
                    "Resource": FUNCTION,
                    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5, "BackoffRate": 2}],
                    "End": True,
                }
            }
        )
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=text))["executionArn"]
        assert (described(sfn, arn)["status"], len(calls)) == ("RUNNING", 1)
        assert event_types(sfn, arn)[-1] == "LambdaFunctionFailed"
        assert sfn.advance_to_next_timer() == 5.0
        assert (described(sfn, arn)["status"], len(calls)) == ("SUCCEEDED", 2)

    def test_run_until_finished_fires_timers_in_order(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=WAIT_THEN_PASS))["executionArn"]
        body = sfn.run_until_finished(arn)
        assert (body["status"], body["stopDate"]) == ("SUCCEEDED", START + timedelta(seconds=10))

    def test_run_until_finished_gives_up_on_an_endless_loop(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        text = definition(
            {
                "Again": {"Type": "Wait", "Seconds": 1, "Next": "Loop"},
                "Loop": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                    "Default": "Again",
                },
                "Done": {"Type": "Succeed"},
            }
        )
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=text))["executionArn"]
        with pytest.raises(ValueError, match="still RUNNING after 50 timers"):
            sfn.run_until_finished(arn, max_timers=50)

    def test_pausing_needs_a_virtual_clock(self) -> None:
        with pytest.raises(ValueError, match="pause_at_timers=True needs a VirtualClock"):
            LocalStepFunctions(pause_at_timers=True, clock=RealClock())


class TestStopExecution:
    def test_stop_during_a_wait_aborts_without_leaving_the_state(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=WAIT_THEN_PASS))["executionArn"]
        sfn.advance_clock(4)
        stopped = sfn.stop_execution(executionArn=arn, error="Operator", cause="changed my mind")
        assert stopped["stopDate"] == START + timedelta(seconds=4)
        events = sfn.get_execution_history(executionArn=arn)["events"]
        assert [event["type"] for event in events] == ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]
        assert events[-1]["executionAbortedEventDetails"] == {"error": "Operator", "cause": "changed my mind"}
        assert events[-1]["previousEventId"] == 2
        body = described(sfn, arn)
        assert (body["status"], body["error"], body["cause"], body["stopDate"]) == (
            "ABORTED",
            "Operator",
            "changed my mind",
            START + timedelta(seconds=4),
        )
        assert body["redriveStatus"] == "REDRIVABLE"
        sfn.advance_clock(60)  # the Wait's timer is gone with the execution
        assert event_types(sfn, arn)[-1] == "ExecutionAborted"

    def test_stop_during_retry_back_off_makes_no_further_attempt(self) -> None:
        services, calls = flaky(failures=5)
        sfn = LocalStepFunctions(services=services, pause_at_timers=True)
        text = definition(
            {
                "Work": {
                    "Type": "Task",
                    "Resource": FUNCTION,
                    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 5}],
                    "End": True,
                }
            }
        )
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=text))["executionArn"]
        sfn.advance_to_next_timer()
        assert len(calls) == 2
        sfn.stop_execution(executionArn=arn)
        sfn.advance_clock(3600)
        assert len(calls) == 2
        assert event_types(sfn, arn)[-2:] == ["LambdaFunctionFailed", "ExecutionAborted"]
        assert described(sfn, arn)["status"] == "ABORTED"

    def test_stop_during_a_running_task_abandons_its_token(self, service: Any) -> None:
        sfn = LocalStepFunctions(services=service, pause_at_timers=True)
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=CALLBACK_BESIDE_A_WAIT))["executionArn"]
        sfn.advance_clock(30)
        sfn.stop_execution(executionArn=arn, cause="enough")
        types = event_types(sfn, arn)
        assert types[-1] == "ExecutionAborted"
        assert "TaskStateExited" not in types
        assert "WaitStateExited" not in types
        with pytest.raises(sfn.exceptions.TaskTimedOut):
            sfn.send_task_success(taskToken=service.tokens[0], output="{}")


class TestHeartbeats:
    def test_heartbeats_sent_midway_keep_the_task_alive(self, service: Any) -> None:
        sfn = LocalStepFunctions(services=service, pause_at_timers=True)
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=CALLBACK_BESIDE_A_WAIT))["executionArn"]
        token = service.tokens[0]
        for _ in range(3):  # 150 s in all: past the other branch's Wait, and past 60 s twice
            sfn.advance_clock(50)
            sfn.send_task_heartbeat(taskToken=token)
        assert described(sfn, arn)["status"] == "RUNNING"
        assert "WaitStateExited" in event_types(sfn, arn)
        sfn.send_task_success(taskToken=token, output='{"answer":42}')
        body = described(sfn, arn)
        assert (body["status"], json.loads(body["output"])) == ("SUCCEEDED", [{}, {"answer": 42}])
        assert body["stopDate"] == START + timedelta(seconds=150)

    def test_a_missed_heartbeat_times_out_at_the_right_moment(self, service: Any) -> None:
        sfn = LocalStepFunctions(services=service, pause_at_timers=True)
        text = json.loads(CALLBACK_BESIDE_A_WAIT)
        text["States"]["Both"]["Catch"] = [
            {"ErrorEquals": ["States.HeartbeatTimeout"], "ResultPath": "$.error", "Next": "Caught"}
        ]
        text["States"]["Both"].pop("End")
        text["States"]["Both"]["Next"] = "Done"
        text["States"]["Done"] = {"Type": "Succeed"}
        text["States"]["Caught"] = {"Type": "Pass", "Parameters": {"caught.$": "$.error.Error"}, "End": True}
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=json.dumps(text)))["executionArn"]
        sfn.advance_clock(40)
        sfn.send_task_heartbeat(taskToken=service.tokens[0])
        sfn.advance_clock(99)  # t = 139: the heartbeat of t = 40 is due at t = 100
        events = sfn.get_execution_history(executionArn=arn)["events"]
        timed_out = next(event for event in events if event["type"] == "TaskTimedOut")
        assert timed_out["timestamp"] == START + timedelta(seconds=100)
        # AWS records a missed heartbeat as States.Timeout; States.HeartbeatTimeout is "only
        # available inside the Catch and Retry fields", where it is what the Catch sees.
        assert timed_out["taskTimedOutEventDetails"]["error"] == "States.Timeout"
        body = described(sfn, arn)
        assert (body["status"], json.loads(body["output"])) == ("SUCCEEDED", {"caught": "States.HeartbeatTimeout"})
        assert body["stopDate"] == START + timedelta(seconds=100)

    def test_without_pausing_the_other_branch_lets_the_heartbeat_lapse(self, sfn: LocalStepFunctions) -> None:
        """Why the opt-in exists: run-to-completion moves time to the Wait's end at once."""
        arn = sfn.start_execution(stateMachineArn=create(sfn, text=CALLBACK_BESIDE_A_WAIT))["executionArn"]
        events = sfn.get_execution_history(executionArn=arn)["events"]
        timed_out = next(event for event in events if event["type"] == "TaskTimedOut")
        assert timed_out["timestamp"] == START + timedelta(seconds=60)


def test_a_nested_sync_child_runs_its_timers_and_the_parent_waits_as_long() -> None:
    """A ``states:startExecution.sync:2`` task lasts as long as its child execution
    (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html)."""
    from constructs_sfn.integrations import NestedExecutions

    sfn = LocalStepFunctions(services=NestedExecutions(), pause_at_timers=True)
    child = create(sfn, name="child", text=WAIT_THEN_PASS)
    parent_text = definition(
        {
            "Go": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child},
                "OutputPath": "$.Output",
                "End": True,
            }
        }
    )
    arn = sfn.start_execution(stateMachineArn=create(sfn, name="parent", text=parent_text))["executionArn"]
    assert described(sfn, arn)["status"] == "RUNNING"
    assert sfn.advance_to_next_timer() == 10.0
    body = described(sfn, arn)
    assert (body["status"], body["output"], body["stopDate"]) == (
        "SUCCEEDED",
        '"rested"',
        START + timedelta(seconds=10),
    )
