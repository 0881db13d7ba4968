"""LocalStepFunctions.redrive_execution: AWS's RedriveExecution rules and what a redrive records.

From the API reference and the developer guide:
- RedriveExecution: https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
  ("continues the failed execution from the unsuccessful step and uses the same input"; successful
  steps are not rerun; for Inline Map and Parallel only "the iterations and branches that failed or
  aborted"; not for EXPRESS; conditions: not SUCCEEDED, within 14 days, open less than a year,
  under 24,999 history events; errors ExecutionNotRedrivable, ExecutionDoesNotExist, InvalidArn;
  idempotent answers for the last 10 client tokens, for 15 minutes).
- DescribeExecution's redriveCount / redriveDate / redriveStatus / redriveStatusReason:
  https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
- ListExecutions' redriveFilter and each item's redriveCount / redriveDate:
  https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
- ExecutionRedriven's details (redriveCount):
  https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionRedrivenEventDetails.html
- The context object's Execution.RedriveCount and Execution.RedriveTime ("only available if you've
  redriven an execution"): https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
- Redriving executions: https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.integrations import LambdaHandlers
from constructs_sfn.local import LocalStepFunctions

from .helpers import FAIL, PASS, create, definition, error_of

START = datetime(2024, 1, 1, tzinfo=UTC)
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:Work"


class Work:
    """A ``Work`` function failing for the names in ``broken``; remembers who called it."""

    def __init__(self, *broken: Any) -> None:
        self.broken = set(broken)
        self.calls: list[Any] = []

    def __call__(self, event: Any, context: Any) -> Any:
        name = event.get("name") if isinstance(event, dict) else event
        self.calls.append(name)
        if name in self.broken:
            raise RuntimeError(f"{name} is broken")
        return {"did": name, "seen": event}


def client(work: Work, **options: Any) -> LocalStepFunctions:
    return LocalStepFunctions(services=LambdaHandlers({"Work": work}), **options)


def task(name: str, **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": FUNCTION, "Parameters": {"name": name}, **fields}


def run(sfn: LocalStepFunctions, text: str, value: Any = None, name: str = "machine") -> str:
    arn = create(sfn, name=name, text=text)
    return str(
        sfn.start_execution(stateMachineArn=arn, input=json.dumps({} if value is None else value))["executionArn"]
    )


def described(sfn: LocalStepFunctions, arn: str) -> dict[str, Any]:
    body = sfn.describe_execution(executionArn=arn)
    body.pop("ResponseMetadata")
    return body


def events(sfn: LocalStepFunctions, arn: str) -> list[dict[str, Any]]:
    return list(sfn.get_execution_history(executionArn=arn)["events"])


def not_redrivable(sfn: LocalStepFunctions, arn: str) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        sfn.redrive_execution(executionArn=arn)
    return error_of(excinfo)


SEQUENCE = definition(
    {
        "Prepare": {"Type": "Pass", "Assign": {"customer": "ann"}, "Result": {"order": 7}, "Next": "Charge"},
        "Charge": task(
            "Charge", Parameters={"name": "Charge", "who.$": "$customer", "order.$": "$.order"}, Next="Ship"
        ),
        "Ship": task("Ship", End=True),
    }
)


class TestRedriveASequence:
    def test_the_redrive_continues_from_the_failed_state_with_its_input(self) -> None:
        work = Work("Charge")
        sfn = client(work)
        arn = run(sfn, SEQUENCE)
        assert described(sfn, arn)["status"] == "FAILED"
        failed_events = len(events(sfn, arn))
        work.broken.clear()
        work.calls.clear()

        answer = sfn.redrive_execution(executionArn=arn)

        assert answer["redriveDate"] == START
        assert work.calls == ["Charge", "Ship"]  # Prepare succeeded before: not rerun
        history = events(sfn, arn)
        redriven = history[failed_events]
        assert redriven["type"] == "ExecutionRedriven"
        assert redriven["executionRedrivenEventDetails"] == {"redriveCount": 1}
        assert redriven["previousEventId"] == failed_events  # right after ExecutionFailed
        entered = history[failed_events + 1]
        assert (entered["type"], entered["previousEventId"]) == ("TaskStateEntered", redriven["id"])
        assert entered["stateEnteredEventDetails"]["name"] == "Charge"
        assert json.loads(entered["stateEnteredEventDetails"]["input"]) == {"order": 7}
        body = described(sfn, arn)
        assert body["status"] == "SUCCEEDED"
        charged = json.loads(
            next(e for e in history if e["type"] == "LambdaFunctionScheduled" and e["id"] > redriven["id"])[
                "lambdaFunctionScheduledEventDetails"
            ]["input"]
        )
        assert charged == {"name": "Charge", "who": "ann", "order": 7}, "variables survive the redrive"

    def test_describe_and_list_show_the_redrive(self) -> None:
        work = Work("Charge")
        sfn = client(work)
        arn = run(sfn, SEQUENCE)
        before = described(sfn, arn)
        assert (before["redriveCount"], before["redriveStatus"], "redriveDate" in before) == (0, "REDRIVABLE", False)
        assert "redriveStatusReason" not in before
        sfn.advance_clock(600)
        work.broken.clear()
        sfn.redrive_execution(executionArn=arn)
        body = described(sfn, arn)
        assert (body["redriveCount"], body["redriveDate"]) == (1, START + timedelta(seconds=600))
        assert (body["redriveStatus"], body["redriveStatusReason"]) == (
            "NOT_REDRIVABLE",
            "Execution is SUCCEEDED and cannot be redriven",
        )
        assert body["startDate"] == START
        assert body["stopDate"] == START + timedelta(seconds=600)
        machine = body["stateMachineArn"]
        other = sfn.start_execution(stateMachineArn=machine)["executionArn"]
        redriven = sfn.list_executions(stateMachineArn=machine, redriveFilter="REDRIVEN")["executions"]
        assert [(item["executionArn"], item["redriveCount"], item["redriveDate"]) for item in redriven] == [
            (arn, 1, START + timedelta(seconds=600))
        ]
        never = sfn.list_executions(stateMachineArn=machine, redriveFilter="NOT_REDRIVEN")["executions"]
        assert [(item["executionArn"], item["redriveCount"]) for item in never] == [(other, 0)]
        assert len(sfn.list_executions(stateMachineArn=machine)["executions"]) == 2

    def test_the_context_object_counts_redrives(self) -> None:
        work = Work("Charge")
        sfn = client(work)
        text = definition(
            {
                "Charge": task("Charge", ResultPath=None, Next="Look"),
                "Look": {
                    "Type": "Pass",
                    "Parameters": {"count.$": "$$.Execution.RedriveCount", "time.$": "$$.Execution.RedriveTime"},
                    "End": True,
                },
            }
        )
        arn = run(sfn, text)
        sfn.advance_clock(5)
        sfn.redrive_execution(executionArn=arn)  # fails again: still broken
        assert described(sfn, arn)["status"] == "FAILED"
        work.broken.clear()
        sfn.advance_clock(5)
        sfn.redrive_execution(executionArn=arn)
        body = described(sfn, arn)
        assert json.loads(body["output"]) == {"count": 2, "time": "2024-01-01T00:00:10.000Z"}
        assert body["redriveCount"] == 2
        counts = [
            e["executionRedrivenEventDetails"]["redriveCount"]
            for e in events(sfn, arn)
            if e["type"] == "ExecutionRedriven"
        ]
        assert counts == [1, 2]

    def test_a_fail_state_fails_again(self) -> None:
        sfn = LocalStepFunctions()
        arn = run(sfn, FAIL)
        sfn.redrive_execution(executionArn=arn)
        body = described(sfn, arn)
        assert (body["status"], body["error"], body["redriveCount"]) == ("FAILED", "Oops", 1)
        assert [e["type"] for e in events(sfn, arn)][-3:] == [
            "ExecutionRedriven",
            "FailStateEntered",
            "ExecutionFailed",
        ]


class TestRedriveParallelAndMap:
    def test_only_the_failed_branch_runs_again_from_its_failed_state(self) -> None:
        work = Work("B2")
        sfn = client(work)
        text = definition(
            {
                "Both": {
                    "Type": "Parallel",
                    "Branches": [
                        {"StartAt": "A", "States": {"A": task("A", End=True)}},
                        {"StartAt": "B1", "States": {"B1": task("B1", Next="B2"), "B2": task("B2", End=True)}},
                    ],
                    "End": True,
                }
            }
        )
        arn = run(sfn, text)
        assert work.calls == ["A", "B1", "B2"]
        work.broken.clear()
        work.calls.clear()
        sfn.redrive_execution(executionArn=arn)
        assert work.calls == ["B2"]
        body = described(sfn, arn)
        assert body["status"] == "SUCCEEDED"
        output = json.loads(body["output"])
        assert [branch["did"] for branch in output] == ["A", "B2"]
        assert output[1]["seen"] == {"name": "B2"}

    def test_only_failed_and_unstarted_iterations_run_again(self) -> None:
        work = Work(2, 4)
        sfn = client(work)
        text = definition(
            {
                "Each": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "MaxConcurrency": 1,
                    "ItemProcessor": {
                        "StartAt": "Do",
                        "States": {"Do": {"Type": "Task", "Resource": FUNCTION, "OutputPath": "$.did", "End": True}},
                    },
                    "End": True,
                }
            }
        )
        arn = run(sfn, text, {"items": [1, 2, 3, 4, 5]})
        assert work.calls == [1, 2]  # the first failure stops the Map
        work.broken = {4}
        work.calls.clear()
        sfn.redrive_execution(executionArn=arn)
        assert work.calls == [2, 3, 4]
        assert described(sfn, arn)["status"] == "FAILED"
        work.broken.clear()
        work.calls.clear()
        sfn.redrive_execution(executionArn=arn)
        assert work.calls == [4, 5]
        body = described(sfn, arn)
        assert (body["status"], json.loads(body["output"]), body["redriveCount"]) == ("SUCCEEDED", [1, 2, 3, 4, 5], 2)

    def test_a_failed_iteration_resumes_at_the_state_it_failed_in(self) -> None:
        work = Work("check-2")
        sfn = client(work)
        text = definition(
            {
                "Each": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "ItemSelector": {"n.$": "$$.Map.Item.Value"},
                    "ItemProcessor": {
                        "StartAt": "Fetch",
                        "States": {
                            "Fetch": {
                                "Type": "Task",
                                "Resource": FUNCTION,
                                "Parameters": {"name.$": "States.Format('fetch-{}', $.n)"},
                                "ResultPath": None,
                                "Next": "Check",
                            },
                            "Check": {
                                "Type": "Task",
                                "Resource": FUNCTION,
                                "Parameters": {"name.$": "States.Format('check-{}', $.n)"},
                                "OutputPath": "$.did",
                                "End": True,
                            },
                        },
                    },
                    "End": True,
                }
            }
        )
        arn = run(sfn, text, {"items": [1, 2, 3]})
        assert work.calls == ["fetch-1", "check-1", "fetch-2", "check-2"]  # the failure stops the Map
        work.broken.clear()
        work.calls.clear()
        sfn.redrive_execution(executionArn=arn)
        assert work.calls == ["check-2", "fetch-3", "check-3"]  # item 2 resumes at Check, not Fetch
        body = described(sfn, arn)
        assert (body["status"], json.loads(body["output"])) == ("SUCCEEDED", ["check-1", "check-2", "check-3"])

    def test_a_map_that_succeeded_with_tolerated_failures_is_not_run_again(self) -> None:
        work = Work(1, 3)
        sfn = client(work)
        text = definition(
            {
                "Each": {
                    "Type": "Map",
                    "ToleratedFailureCount": 2,
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "Do",
                        "States": {"Do": {"Type": "Task", "Resource": FUNCTION, "End": True}},
                    },
                    "Next": "Later",
                },
                "Later": task("Later", End=True),
            }
        )
        work.broken.add("Later")
        arn = run(sfn, text, [0, 1, 2, 3])
        assert described(sfn, arn)["status"] == "FAILED"
        assert sorted(map(str, work.calls)) == ["0", "1", "2", "3", "Later"]
        work.broken.clear()
        work.calls.clear()
        sfn.redrive_execution(executionArn=arn)
        assert work.calls == ["Later"]
        assert described(sfn, arn)["status"] == "SUCCEEDED"


class TestWhenRedriveIsRefused:
    def test_a_succeeded_execution(self) -> None:
        sfn = LocalStepFunctions()
        arn = run(sfn, PASS)
        code, message = not_redrivable(sfn, arn)
        assert code == "ExecutionNotRedrivable"
        assert "Execution is SUCCEEDED and cannot be redriven" in message

    def test_a_running_execution(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        arn = run(sfn, definition({"Nap": {"Type": "Wait", "Seconds": 5, "End": True}}))
        code, message = not_redrivable(sfn, arn)
        assert (code, "Execution is RUNNING and cannot be redriven" in message) == ("ExecutionNotRedrivable", True)

    def test_fourteen_days_after_it_ended(self) -> None:
        sfn = LocalStepFunctions()
        arn = run(sfn, FAIL)
        sfn.advance_clock(14 * 24 * 3600)
        assert described(sfn, arn)["redriveStatus"] == "REDRIVABLE"  # exactly 14 days: still allowed
        sfn.advance_clock(1)
        body = described(sfn, arn)
        assert (body["redriveStatus"], body["redriveStatusReason"]) == (
            "NOT_REDRIVABLE",
            "Execution redrivable period exceeded",
        )
        code, message = not_redrivable(sfn, arn)
        assert (code, "Execution redrivable period exceeded" in message) == ("ExecutionNotRedrivable", True)

    def test_a_year_after_it_started(self) -> None:
        sfn = LocalStepFunctions()
        text = definition(
            {"Long": {"Type": "Wait", "Seconds": 360 * 24 * 3600, "Next": "Boom"}, "Boom": {"Type": "Fail"}}
        )
        arn = run(sfn, text)
        assert described(sfn, arn)["redriveStatus"] == "REDRIVABLE"
        sfn.advance_clock(366 * 24 * 3600)
        body = described(sfn, arn)  # ended 6 days ago, but started 366 days ago
        assert body["redriveStatusReason"] == "Execution has exceeded the max execution time"
        assert not_redrivable(sfn, arn)[0] == "ExecutionNotRedrivable"

    def test_an_unknown_or_malformed_execution(self) -> None:
        sfn = LocalStepFunctions()
        missing = "arn:aws:states:us-east-1:123456789012:execution:machine:nope"
        code, message = not_redrivable(sfn, missing)
        assert (code, message) == ("ExecutionDoesNotExist", f"Execution Does Not Exist: '{missing}'")
        assert not_redrivable(sfn, "not-an-arn")[0] == "InvalidArn"

    def test_an_express_execution(self) -> None:
        sfn = LocalStepFunctions()
        machine = create(sfn, name="fast", text=FAIL, type="EXPRESS")
        arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
        assert not_redrivable(sfn, arn) == (
            "InvalidArn",
            "Invalid Arn: 'Resource type not valid in this context: express'",
        )

    def test_timed_out_and_aborted_executions_can_be_redriven(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        text = definition({"Nap": {"Type": "Wait", "Seconds": 30, "End": True}}, TimeoutSeconds=10)
        timed_out = run(sfn, text)
        sfn.advance_clock(10)
        assert described(sfn, timed_out)["status"] == "TIMED_OUT"
        sfn.redrive_execution(executionArn=timed_out)
        assert described(sfn, timed_out)["status"] == "RUNNING"
        aborted = run(sfn, definition({"Nap": {"Type": "Wait", "Seconds": 30, "End": True}}), name="other")
        sfn.stop_execution(executionArn=aborted)
        sfn.redrive_execution(executionArn=aborted)
        assert [e["type"] for e in events(sfn, aborted)][-2:] == ["ExecutionRedriven", "WaitStateEntered"]
        assert sfn.run_until_finished(aborted)["status"] == "SUCCEEDED"


class TestRedriveAgain:
    def test_a_timed_out_callback_task_gets_a_new_token(self, service: Any) -> None:
        sfn = LocalStepFunctions(services=service)
        text = definition(
            {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                    "TimeoutSeconds": 60,
                    "End": True,
                }
            }
        )
        arn = run(sfn, text)
        sfn.advance_clock(60)
        assert described(sfn, arn)["error"] == "States.Timeout"
        sfn.redrive_execution(executionArn=arn)
        old, new = service.tokens
        assert old != new
        with pytest.raises(sfn.exceptions.TaskTimedOut):
            sfn.send_task_success(taskToken=old, output="{}")
        sfn.send_task_success(taskToken=new, output='{"late": false}')
        body = described(sfn, arn)
        assert (body["status"], body["output"], body["redriveCount"]) == ("SUCCEEDED", '{"late":false}', 1)

    def test_stopped_again_and_redriven_again(self) -> None:
        sfn = LocalStepFunctions(pause_at_timers=True)
        arn = run(sfn, definition({"Nap": {"Type": "Wait", "Seconds": 30, "End": True}}))
        for count in (1, 2):
            sfn.stop_execution(executionArn=arn)
            sfn.redrive_execution(executionArn=arn)
            assert described(sfn, arn)["redriveCount"] == count
        body = sfn.run_until_finished(arn)
        assert body["status"] == "SUCCEEDED"
        types = [e["type"] for e in events(sfn, arn)]
        assert types.count("ExecutionAborted") == 2
        assert types.count("ExecutionRedriven") == 2
        assert types.count("WaitStateEntered") == 3

    def test_a_history_at_the_event_limit_cannot_be_redriven(self) -> None:
        sfn = LocalStepFunctions()
        text = definition(
            {
                "Again": {"Type": "Pass", "Next": "Loop"},
                "Loop": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                    "Default": "Again",
                },
                "Done": {"Type": "Succeed"},
            }
        )
        arn = run(sfn, text)
        body = described(sfn, arn)
        assert body["status"] == "FAILED"  # the 25,000 events every execution may record
        assert (body["redriveStatus"], body["redriveStatusReason"]) == (
            "NOT_REDRIVABLE",
            "Execution history event limit exceeded",
        )
        assert not_redrivable(sfn, arn)[0] == "ExecutionNotRedrivable"


class TestClientToken:
    def test_a_repeated_token_is_answered_without_a_second_redrive(self) -> None:
        sfn = LocalStepFunctions()
        arn = run(sfn, FAIL)
        first = sfn.redrive_execution(executionArn=arn, clientToken="once")["redriveDate"]
        sfn.advance_clock(60)
        again = sfn.redrive_execution(executionArn=arn, clientToken="once")["redriveDate"]
        assert again == first
        assert described(sfn, arn)["redriveCount"] == 1
        sfn.advance_clock(15 * 60)  # the token is remembered for 15 minutes only
        later = sfn.redrive_execution(executionArn=arn, clientToken="once")["redriveDate"]
        assert later == first + timedelta(seconds=60 + 15 * 60)
        assert described(sfn, arn)["redriveCount"] == 2

    def test_the_token_is_checked_like_aws(self) -> None:
        sfn = LocalStepFunctions()
        arn = run(sfn, FAIL)
        with pytest.raises(ClientError) as excinfo:
            sfn.redrive_execution(executionArn=arn, clientToken="x" * 65)
        assert error_of(excinfo)[0] == "ValidationException"
