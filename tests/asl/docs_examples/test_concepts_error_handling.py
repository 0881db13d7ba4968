"""The worked examples of the developer guide's Error Handling page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html

The page's two Lambda functions are played by scripted workers: ``FailFunction`` always fails
(the page names its error ``HandledError``), ``sleep10`` takes ten seconds (on the virtual clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from docs_support import FakeService, entered, fails, run, seconds_of, succeeded

from constructs_sfn.asl import DefinitionError, parse_definition
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

FAIL_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:FailFunction"
SLEEP10 = "arn:aws:lambda:us-east-1:123456789012:function:sleep10"


def hello_world(resource: str, **fields: Any) -> dict[str, Any]:
    """The page's ``HelloWorld`` machine, with its ``fallback`` Pass state when the Task has a Catch."""
    states: dict[str, Any] = {"HelloWorld": {"Type": "Task", "Resource": resource, **fields, "End": True}}
    if "Catch" in fields:
        states["fallback"] = {"Type": "Pass", "Result": "Hello, AWS Step Functions!", "End": True}
    return {
        "Comment": "A Hello World example of the Amazon States Language using an AWS Lambda function",
        "StartAt": "HelloWorld",
        "States": states,
    }


def sleeps(seconds: float) -> FakeService:
    """A function that works ``seconds`` before answering."""
    return FakeService(lambda _request: TaskOutcome.success("late", duration=seconds))


def test_retry_example_waits_three_then_four_and_a_half_seconds() -> None:
    """The page's first Retry: IntervalSeconds 3, MaxAttempts 2, BackoffRate 1.5 makes two retries,
    3 and 4.5 seconds after the failures.
    """
    retry = [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 1.5}]

    execution = run(hello_world(FAIL_FUNCTION, Retry=retry), {}, worker=fails("States.Timeout"))

    assert seconds_of(execution, "LambdaFunctionScheduled") == [0, 3, 7.5]
    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")


def test_a_retrier_with_max_attempts_zero_never_retries_its_errors() -> None:
    """The page's second Retry retries any error except ``States.Timeout`` (MaxAttempts 0); the
    ``States.ALL`` retrier has the defaults: 1 s, doubling, three retries.
    """
    retry = [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0}, {"ErrorEquals": ["States.ALL"]}]

    timeout = run(hello_world(FAIL_FUNCTION, Retry=retry), {}, worker=fails("States.Timeout"))
    other = run(hello_world(FAIL_FUNCTION, Retry=retry), {}, worker=fails("HandledError"))

    assert seconds_of(timeout, "LambdaFunctionScheduled") == [0]
    assert seconds_of(other, "LambdaFunctionScheduled") == [0, 1, 3, 7]


def test_complex_retry_counts_each_retrier_across_the_state() -> None:
    """The page's complex scenario: a retrier's count runs across every visit to it within the state.

    ErrorA and ErrorB match the first retrier (waits of 1 and 2 seconds), ErrorC the second (5 s). The
    page then claims the fourth error, ErrorB, waits 4 seconds and only the fifth is caught "because
    ErrorB has reached its limit": that contradicts itself (a 4-second wait would be the first
    retrier's *third* retry, beyond its MaxAttempts of 2) and the Errors page
    (amazon-states-language-errors.html), which tells the same scenario with four failures: the fourth,
    ErrorB, finds the first retrier's ceiling reached and is caught. The count belongs to the retrier,
    not to an error name, so four attempts are made and the Catch sends the execution to ``Z``.
    """
    errors: Iterator[str] = iter(["ErrorA", "ErrorB", "ErrorC", "ErrorB", "ErrorB"])
    worker = FakeService(lambda _request: TaskOutcome.failure(next(errors)))
    definition = {
        "StartAt": "X",
        "States": {
            "X": {
                "Type": "Task",
                "Resource": "arn:aws:states:us-east-1:123456789012:task:X",
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

    assert [request.attempt for request in worker.requests] == [0, 1, 2, 3]
    assert seconds_of(execution, "TaskScheduled") == [0, 1, 3, 8]
    assert entered(execution) == ["X", "Z"]
    assert execution.output == {"Error": "ErrorB"}


@pytest.mark.parametrize("error_equals", ["HandledError", "States.TaskFailed", "States.ALL"])
def test_retry_of_fail_function_retries_twice_then_fails(error_equals: str) -> None:
    """The "Handling a Failure Using Retry" machines: the function is retried twice, 1 and 2 seconds
    after its failures; ``States.TaskFailed`` matches any error a Lambda function outputs.
    """
    retry = [{"ErrorEquals": [error_equals], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2.0}]

    execution = run(hello_world(FAIL_FUNCTION, Retry=retry), {}, worker=fails("HandledError", "error"))

    assert seconds_of(execution, "LambdaFunctionScheduled") == [0, 1, 3]
    assert (execution.status, execution.error, execution.cause) == ("FAILED", "HandledError", "error")


@pytest.mark.parametrize("error_equals", ["HandledError", "States.TaskFailed"])
def test_catch_of_fail_function_goes_to_fallback(error_equals: str) -> None:
    """The "Handling a Failure Using Catch" machines: the error is caught and ``fallback`` outputs its
    Result.
    """
    definition = hello_world(FAIL_FUNCTION, Catch=[{"ErrorEquals": [error_equals], "Next": "fallback"}])

    execution = run(definition, {}, worker=fails("HandledError", "error"))

    assert entered(execution) == ["HelloWorld", "fallback"]
    assert execution.output == "Hello, AWS Step Functions!"


def test_timeout_retry_retries_twice_then_times_out() -> None:
    """ "Handling a Timeout Using Retry": ``sleep10`` under ``TimeoutSeconds`` 2 times out each time;
    the retries start 1 and 2 seconds after the timeouts (2 s each), and the execution then fails
    with ``States.Timeout``.
    """
    retry = [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2.0}]

    execution = run(hello_world(SLEEP10, TimeoutSeconds=2, Retry=retry), {}, worker=sleeps(10))

    assert seconds_of(execution, "LambdaFunctionScheduled") == [0, 3, 7]
    assert seconds_of(execution, "LambdaFunctionTimedOut") == [2, 5, 9]
    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")


def test_timeout_catch_goes_to_fallback() -> None:
    """ "Handling a Timeout Using Catch": the timeout after 2 seconds is caught."""
    definition = hello_world(SLEEP10, TimeoutSeconds=2, Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "fallback"}])

    execution = run(definition, {}, worker=sleeps(10))

    assert entered(execution) == ["HelloWorld", "fallback"]
    assert seconds_of(execution, "TaskStateExited") == [2]
    assert execution.output == "Hello, AWS Step Functions!"


def test_a_function_within_its_timeout_succeeds() -> None:
    """The same machine with a function that answers in 1 second: no timeout."""
    definition = hello_world(SLEEP10, TimeoutSeconds=2, Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "fallback"}])

    assert succeeded(definition, {}, worker=sleeps(1)) == "late"


def test_catchers_are_scanned_in_order_and_result_path_keeps_the_input() -> None:
    """The page's two catchers: ``java.lang.Exception`` goes to RecoveryState with the error output
    added under ``error-info``; anything else goes to EndState with the error output alone.
    """
    catch = [
        {"ErrorEquals": ["java.lang.Exception"], "ResultPath": "$.error-info", "Next": "RecoveryState"},
        {"ErrorEquals": ["States.ALL"], "Next": "EndState"},
    ]
    definition = {
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": FAIL_FUNCTION, "Catch": catch, "End": True},
            "RecoveryState": {"Type": "Pass", "End": True},
            "EndState": {"Type": "Pass", "End": True},
        },
    }

    java = run(definition, {"order": 1}, worker=fails("java.lang.Exception", "NullPointerException"))
    other = run(definition, {"order": 1}, worker=fails("Boom", "bad"))

    assert entered(java)[-1] == "RecoveryState"
    assert java.output == {"order": 1, "error-info": {"Error": "java.lang.Exception", "Cause": "NullPointerException"}}
    assert entered(other)[-1] == "EndState"
    assert other.output == {"Error": "Boom", "Cause": "bad"}


def test_retriers_run_before_catchers() -> None:
    """With both Retry and Catch, the retries come first; the catcher applies only once they are used up."""
    answers: Iterator[TaskOutcome] = iter([TaskOutcome.failure("E"), TaskOutcome.failure("E")])

    def answer(_request: TaskRequest) -> TaskOutcome:
        return next(answers)

    definition = hello_world(
        FAIL_FUNCTION,
        Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 1}],
        Catch=[{"ErrorEquals": ["E"], "Next": "fallback"}],
    )

    execution = run(definition, {}, worker=FakeService(answer))

    assert seconds_of(execution, "LambdaFunctionScheduled") == [0, 1]
    assert entered(execution) == ["HelloWorld", "fallback"]


@pytest.mark.parametrize(
    "field",
    [
        {"Retry": [{"ErrorEquals": ["States.ALL", "E"]}]},
        {"Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]},
        {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "fallback"}, {"ErrorEquals": ["E"], "Next": "fallback"}]},
        {"Catch": [{"ErrorEquals": ["E", "States.ALL"], "Next": "fallback"}]},
    ],
    ids=["retry-not-alone", "retry-not-last", "catch-not-last", "catch-not-alone"],
)
def test_states_all_must_be_alone_and_last(field: dict[str, Any]) -> None:
    """``States.ALL`` must appear alone in its ``ErrorEquals`` and in the last retrier / catcher."""
    with pytest.raises(DefinitionError):
        parse_definition(hello_world(FAIL_FUNCTION, **field))


@pytest.mark.parametrize("error_equals", ["States.DataLimitExceeded", "States.ALL"])
def test_a_task_result_over_the_payload_quota_is_caught(error_equals: str) -> None:
    """A result larger than the 256 KiB payload quota fails the task with ``States.DataLimitExceeded``.

    The current error-handling.html calls that error terminal and says ``States.ALL`` cannot catch it.
    The conformance corpus records otherwise for a Task's result: AWS caught it both by its name and
    with ``States.ALL`` (service_cases.jsonl, TestStatesErrors::
    test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response and
    test_task_lambda_data_limit_exceeded_on_large_utf8_response), so the corpus is followed.
    """
    big = FakeService(lambda _request: TaskOutcome.success("x" * (256 * 1024 + 1)))
    definition = hello_world(FAIL_FUNCTION, Catch=[{"ErrorEquals": [error_equals], "Next": "fallback"}])

    execution = run(definition, {}, worker=big)

    assert entered(execution) == ["HelloWorld", "fallback"]
    assert execution.status == "SUCCEEDED"
    failed = [e for e in execution.events if e["type"] == "LambdaFunctionFailed"]
    assert failed[0]["lambdaFunctionFailedEventDetails"]["error"] == "States.DataLimitExceeded"


@pytest.mark.parametrize("error_equals", ["States.ALL", "States.Runtime"])
def test_a_runtime_error_is_never_caught(error_equals: str) -> None:
    """``States.Runtime`` (here a Parameters path that selects nothing) is not retriable and always
    fails the execution: neither ``States.ALL`` nor its own name in a Retry or Catch handles it
    (error-handling.html, "States.Runtime").
    """
    definition = hello_world(
        FAIL_FUNCTION,
        Parameters={"who.$": "$.missing"},
        Retry=[{"ErrorEquals": [error_equals]}],
        Catch=[{"ErrorEquals": [error_equals], "Next": "fallback"}],
    )

    execution = run(definition, {}, worker=fails("never", "called"))

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "fallback" not in entered(execution)
