"""The worked example of the developer guide's "Handle Lambda Service Exceptions" page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from docs_support import FakeService, fails, run, seconds_of

from constructs_sfn.asl.services import TaskOutcome, TaskRequest

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:f"
RETRY = [
    {
        "ErrorEquals": ["Lambda.ServiceException", "Lambda.SdkClientException"],
        "IntervalSeconds": 2,
        "MaxAttempts": 6,
        "BackoffRate": 2,
    }
]


def machine(**fields: object) -> dict[str, object]:
    """One Lambda Task with the page's Retry (and the given extra fields)."""
    states: dict[str, object] = {
        "Invoke": {"Type": "Task", "Resource": FUNCTION, "Retry": RETRY, "End": True, **fields}
    }
    if "Catch" in fields:
        states["Handled"] = {"Type": "Pass", "End": True}
    return {"StartAt": "Invoke", "States": states}


@pytest.mark.parametrize("error", ["Lambda.ServiceException", "Lambda.SdkClientException"])
def test_service_exceptions_are_retried_six_times(error: str) -> None:
    """Either service exception is retried up to six times, 2 s first and doubling."""
    execution = run(machine(), {}, worker=fails(error, "500"))

    assert seconds_of(execution, "LambdaFunctionScheduled") == [0, 2, 6, 14, 30, 62, 126]
    assert (execution.status, execution.error) == ("FAILED", error)


def test_a_transient_exception_then_success() -> None:
    """A retry that succeeds ends the state normally, with the function's result."""
    answers: Iterator[TaskOutcome] = iter(
        [TaskOutcome.failure("Lambda.ServiceException", "500"), TaskOutcome.success("ok")]
    )

    def answer(_request: TaskRequest) -> TaskOutcome:
        return next(answers)

    execution = run(machine(), {}, worker=FakeService(answer))

    assert (execution.status, execution.output) == ("SUCCEEDED", "ok")


@pytest.mark.parametrize("error_equals", ["Lambda.Unknown", "States.ALL", "States.TaskFailed"])
def test_unhandled_lambda_errors_match_unknown_all_and_task_failed(error_equals: str) -> None:
    """``Lambda.Unknown`` (out of memory, function timeout, ...) is caught by a catcher naming it,
    ``States.ALL`` or ``States.TaskFailed``; the page's Retry does not retry it.
    """
    execution = run(
        machine(Catch=[{"ErrorEquals": [error_equals], "Next": "Handled"}]), {}, worker=fails("Lambda.Unknown", "oom")
    )

    assert seconds_of(execution, "LambdaFunctionScheduled") == [0]
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"Error": "Lambda.Unknown", "Cause": "oom"}
