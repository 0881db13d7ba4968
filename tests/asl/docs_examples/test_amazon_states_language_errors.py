"""The worked examples of the developer guide's Errors page (the States Language's error rules).

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-errors.html
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docs_support import FakeService, entered, fails, run, seconds_of

from constructs_sfn.asl.services import TaskOutcome, TaskRequest

TASK_X = "arn:aws:states:us-east-1:123456789012:task:X"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:f"


def test_four_retries_after_growing_waits() -> None:
    """IntervalSeconds 3, MaxAttempts 4, BackoffRate 1.5: four retries after 3, 4.5, 6.75 and 10.125 s."""
    retry = [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 4, "BackoffRate": 1.5}]
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FUNCTION, "Retry": retry, "End": True}}}

    execution = run(definition, {}, worker=fails("States.Timeout"))

    assert seconds_of(execution, "LambdaFunctionScheduled") == [0, 3, 7.5, 14.25, 24.375]


def test_a_retrier_ceiling_counts_every_error_it_matched() -> None:
    """The complex scenario: ErrorA, ErrorB (first retrier: waits 1 and 2 s), ErrorC (second: 5 s),
    then ErrorB again finds the first retrier's two retries used up, and the Catch sends the execution
    to ``Z``.
    """
    errors: Iterator[str] = iter(["ErrorA", "ErrorB", "ErrorC", "ErrorB"])
    worker = FakeService(lambda _request: TaskOutcome.failure(next(errors), "failed"))
    definition = {
        "StartAt": "X",
        "States": {
            "X": {
                "Type": "Task",
                "Resource": TASK_X,
                "Next": "Y",
                "Retry": [
                    {"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 2},
                    {"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5},
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z"}],
            },
            "Y": {"Type": "Succeed"},
            "Z": {"Type": "Pass", "End": True},
        },
    }

    execution = run(definition, {}, worker=worker)

    assert seconds_of(execution, "TaskScheduled") == [0, 1, 3, 8]
    assert entered(execution) == ["X", "Z"]
    assert execution.output == {"Error": "ErrorB", "Cause": "failed"}


def test_retrier_counts_reset_when_the_state_is_entered_again() -> None:
    """Once the execution moves to another state, every retrier's count starts again: the same Task
    entered a second time (through a loop) gets its full MaxAttempts again.
    """
    answers: Iterator[TaskOutcome] = iter(
        [
            TaskOutcome.failure("E"),
            TaskOutcome.success({"again": True}),
            TaskOutcome.failure("E"),
            TaskOutcome.success({"again": False}),
        ]
    )

    def answer(_request: TaskRequest) -> TaskOutcome:
        return next(answers)

    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": FUNCTION,
                "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1}],
                "Next": "Loop",
            },
            "Loop": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.again", "BooleanEquals": True, "Next": "T"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    worker = FakeService(answer)

    execution = run(definition, {}, worker=worker)

    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    assert [request.attempt for request in worker.requests] == [0, 1, 0, 1]


def test_the_error_output_holds_error_and_cause() -> None:
    """A Catcher's next state receives the Error Output: ``Error`` (the name) and usually ``Cause``."""
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": FUNCTION,
                "Catch": [
                    {"ErrorEquals": ["java.lang.Exception"], "ResultPath": "$.error-info", "Next": "RecoveryState"}
                ],
                "End": True,
            },
            "RecoveryState": {"Type": "Pass", "End": True},
        },
    }

    output = run(definition, {"order": 7}, worker=fails("java.lang.Exception", "oops")).output

    assert output == {"order": 7, "error-info": {"Error": "java.lang.Exception", "Cause": "oops"}}


def test_an_unappliable_result_path_is_a_reference_path_conflict() -> None:
    """``States.ReferencePathConflict``: a reference path that cannot be applied, here a ResultPath
    that would put a field inside a string.
    """
    definition: dict[str, Any] = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": True}},
    }

    execution = run(definition, {"a": "text"})

    assert (execution.status, execution.error) == ("FAILED", "States.ReferencePathConflict")
