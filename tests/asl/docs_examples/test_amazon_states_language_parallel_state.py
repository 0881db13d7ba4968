"""The worked examples of the developer guide's Parallel state page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-parallel-state.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from docs_support import FakeService, entered, run, seconds_of, succeeded

from constructs_sfn.asl import DefinitionError, parse_definition
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"


class RecordingService:
    """Answers every task with ``{}`` and keeps the task tokens it was given."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Record the token; the SQS send itself succeeds."""
        if request.task_token:
            self.tokens.append(request.task_token)
        return TaskOutcome.success({"MessageId": "m-1"})


FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:"
SWF_TASK = "arn:aws:swf:us-east-1:123456789012:task:"


def branch(name: str, resource: str) -> dict[str, Any]:
    """One branch of one Task state."""
    return {"StartAt": name, "States": {name: {"Type": "Task", "Resource": resource, "End": True}}}


class ByResource:
    """Answers each Task by the last part of its Resource."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Look the resource's last name up."""
        self.requests.append(request)
        answer = self.answers[request.resource.rsplit(":", 1)[-1]]
        return answer if isinstance(answer, TaskOutcome) else TaskOutcome.success(answer(request.parameters))


def test_branches_run_on_the_same_input_and_output_one_element_each() -> None:
    """The page's ``LookupCustomerInfo``: both lookups get the state's input; the output is an array
    with one element per branch, in branch order.
    """
    definition = {
        "Comment": "Parallel Example.",
        "StartAt": "LookupCustomerInfo",
        "States": {
            "LookupCustomerInfo": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    branch("LookupAddress", FUNCTION + "AddressFinder"),
                    branch("LookupPhone", FUNCTION + "PhoneFinder"),
                ],
            }
        },
    }
    worker = ByResource(AddressFinder=lambda _p: {"address": "1 Main St"}, PhoneFinder=lambda _p: "555-0100")

    output = succeeded(definition, {"customer": 7}, worker=worker)

    assert output == [{"address": "1 Main St"}, "555-0100"]
    assert [r.parameters for r in worker.requests] == [{"customer": 7}, {"customer": 7}]


def test_fun_with_math_outputs_five_and_one() -> None:
    """The page's ``FunWithMath``: ``[3, 2]`` goes to both Add and Subtract; the output is ``[5, 1]``.

    The page writes the tasks as ``arn:aws:swf:...:task:<name>`` resources (the ASL specification's
    example); they are kept as written, and a worker keyed by the resource's last name answers them.
    """
    definition = {
        "StartAt": "FunWithMath",
        "States": {
            "FunWithMath": {
                "Type": "Parallel",
                "End": True,
                "Branches": [branch("Add", SWF_TASK + "Add"), branch("Subtract", SWF_TASK + "Subtract")],
            }
        },
    }
    worker = ByResource(Add=lambda pair: pair[0] + pair[1], Subtract=lambda pair: pair[0] - pair[1])

    assert succeeded(definition, [3, 2], worker=worker) == [5, 1]


def test_result_path_inserts_the_branch_array_into_the_input() -> None:
    """The output array can be put into the input with ResultPath in the usual way."""
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "ResultPath": "$.results",
                "End": True,
                "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": True}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "two", "End": True}}},
                ],
            }
        },
    }

    assert succeeded(definition, {"keep": True}) == {"keep": True, "results": [1, "two"]}


def test_a_failing_branch_fails_the_parallel_state_and_the_execution() -> None:
    """A branch that reaches a Fail state fails the whole Parallel state; without a Catch the
    execution fails with that branch's error and cause.
    """
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Next": "After",
                "Branches": [
                    {"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": True}}},
                    {"StartAt": "Bad", "States": {"Bad": {"Type": "Fail", "Error": "Oops", "Cause": "branch 2"}}},
                ],
            },
            "After": {"Type": "Succeed"},
        },
    }

    execution = run(definition, {})

    assert (execution.status, execution.error, execution.cause) == ("FAILED", "Oops", "branch 2")
    assert "After" not in entered(execution)


def test_a_caught_branch_failure_goes_to_the_fallback() -> None:
    """The failure can be handled by the Parallel state itself (its Catch)."""
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Catch": [{"ErrorEquals": ["Oops"], "Next": "Fallback"}],
                "End": True,
                "Branches": [
                    {"StartAt": "Bad", "States": {"Bad": {"Type": "Fail", "Error": "Oops", "Cause": "branch 1"}}}
                ],
            },
            "Fallback": {"Type": "Pass", "End": True},
        },
    }

    assert succeeded(definition, {}) == {"Error": "Oops", "Cause": "branch 1"}


def test_a_branch_state_cannot_go_outside_its_branch() -> None:
    """Each branch is self-contained: a ``Next`` naming a state outside the branch is rejected."""
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Next": "Outside",
                "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Outside"}}}],
            },
            "Outside": {"Type": "Succeed"},
        },
    }

    with pytest.raises(DefinitionError) as raised:
        parse_definition(definition)

    assert "Outside" in str(raised.value)


def test_callbacks_of_a_stopped_branch_are_refused() -> None:
    """When one branch fails, the Parallel state fails and its other branches stop; a worker that
    then answers a task token of a stopped branch gets an error back (the page's note on
    SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat after the state has failed).
    """
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "StartAt": "Wait for approval",
                        "States": {
                            "Wait for approval": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                "Parameters": {
                                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                                    "MessageBody.$": "$$.Task.Token",
                                },
                                "End": True,
                            }
                        },
                    },
                    {
                        "StartAt": "Later failure",
                        "States": {
                            "Later failure": {"Type": "Wait", "Seconds": 5, "Next": "Boom"},
                            "Boom": {"Type": "Fail", "Error": "Branch.Failed", "Cause": "second branch"},
                        },
                    },
                ],
            }
        },
    }
    service = RecordingService()
    client = LocalStepFunctions(services=service, pause_at_timers=True)
    arn = client.create_state_machine(name="parallel-callback", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    run_arn = client.start_execution(stateMachineArn=arn)["executionArn"]
    (token,) = service.tokens

    client.advance_clock(5)

    described = client.describe_execution(executionArn=run_arn)
    assert (described["status"], described["error"]) == ("FAILED", "Branch.Failed")
    for send in (
        lambda: client.send_task_success(taskToken=token, output="{}"),
        lambda: client.send_task_failure(taskToken=token, error="E"),
        lambda: client.send_task_heartbeat(taskToken=token),
    ):
        with pytest.raises(ClientError) as raised:
            send()
        assert raised.value.response["Error"]["Code"] in {"TaskTimedOut", "TaskDoesNotExist"}


def test_retry_on_a_parallel_state_runs_all_branches_again() -> None:
    """A Parallel state's Retry (the page lists Retry among its fields): when a branch fails, the
    whole state is retried, every branch from its start, after the retrier's interval.
    """
    attempts: list[str] = []

    def answer(request: TaskRequest) -> TaskOutcome:
        attempts.append(request.resource.rsplit(":", 1)[-1])
        if request.resource.endswith("Flaky") and attempts.count("Flaky") == 1:
            return TaskOutcome.failure("Transient.Error", "first try")
        return TaskOutcome.success(request.resource.rsplit(":", 1)[-1])

    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Retry": [{"ErrorEquals": ["Transient.Error"], "IntervalSeconds": 3}],
                "ResultSelector": {"first.$": "$[0]", "second.$": "$[1]"},
                "End": True,
                "Branches": [branch("Steady", FUNCTION + "Steady"), branch("Flaky", FUNCTION + "Flaky")],
            }
        },
    }

    execution = run(definition, {}, worker=FakeService(answer))

    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    assert sorted(attempts) == ["Flaky", "Flaky", "Steady", "Steady"]
    assert execution.output == {"first": "Steady", "second": "Flaky"}
    assert seconds_of(execution, "ParallelStateStarted") == [0, 3]
