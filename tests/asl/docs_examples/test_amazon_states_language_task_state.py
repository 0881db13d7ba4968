"""The worked examples of the developer guide's Task state page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-task-state.html
"""

from __future__ import annotations

from typing import Any

import pytest
from docs_support import Worker, entered, run, seconds_of

from constructs_sfn.asl import DefinitionError, Execution, parse_definition
from constructs_sfn.asl.runtime.state_task import activity_started

ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:HelloWorld"


def activity_state(**catch: Any) -> dict[str, Any]:
    """The page's ``ActivityState`` (300 s timeout, 60 s heartbeat) and its ``NextState``."""
    state = {"Type": "Task", "Resource": ACTIVITY, "TimeoutSeconds": 300, "HeartbeatSeconds": 60, "Next": "NextState"}
    states: dict[str, Any] = {"ActivityState": {**state, **catch}, "NextState": {"Type": "Pass", "End": True}}
    if catch:
        states["Recovered"] = {"Type": "Pass", "End": True}
    return {"StartAt": "ActivityState", "States": states}


def worker_run(definition: dict[str, Any], work_seconds: float, heartbeat_every: float | None) -> Execution:
    """Run ``definition`` with an activity worker that picks the task up at once, sends a heartbeat
    every ``heartbeat_every`` seconds (never, for None) and reports success after ``work_seconds``.
    """
    execution = run(definition, {})
    (token,) = execution.tokens
    activity_started(execution, token, "worker-1")
    elapsed = 0.0
    step = heartbeat_every or work_seconds
    while execution.status == "RUNNING" and elapsed < work_seconds:
        advance = min(step, work_seconds - elapsed)
        execution.advance_clock(advance)
        elapsed += advance
        if execution.status == "RUNNING" and heartbeat_every is not None:
            execution.send_task_heartbeat(token)
    if execution.status == "RUNNING":
        execution.send_task_success(token, '{"done": true}')
    return execution


def test_an_activity_that_finishes_in_time_goes_to_next_state() -> None:
    """When HelloWorld completes (here after 200 s, with a heartbeat every 30 s), NextState runs."""
    execution = worker_run(activity_state(), 200, 30)

    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    assert entered(execution) == ["ActivityState", "NextState"]
    assert execution.output == {"done": True}


def test_an_activity_running_past_timeout_seconds_fails_with_states_timeout() -> None:
    """Past 300 s (heartbeats still coming) the task fails with ``States.Timeout``."""
    execution = worker_run(activity_state(), 400, 30)

    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")
    assert seconds_of(execution, "ActivityTimedOut") == [300]


def test_an_activity_missing_heartbeats_times_out_after_heartbeat_seconds() -> None:
    """No heartbeat for 60 s fails the task with ``States.Timeout``, as the page says (the history's
    ActivityTimedOut at 60 s). The current error-handling.html adds ``States.HeartbeatTimeout``, a name
    a Retry or Catch may use for this case only, so a catcher of either name catches it.
    """
    uncaught = worker_run(activity_state(), 200, None)

    assert (uncaught.status, uncaught.error) == ("FAILED", "States.Timeout")
    assert seconds_of(uncaught, "ActivityTimedOut") == [60]
    for name in ("States.Timeout", "States.HeartbeatTimeout"):
        caught = worker_run(activity_state(Catch=[{"ErrorEquals": [name], "Next": "Recovered"}]), 200, None)
        assert entered(caught) == ["ActivityState", "Recovered"], name


def test_a_heartbeat_timeout_catcher_does_not_catch_a_task_timeout() -> None:
    """``States.HeartbeatTimeout`` names the missed heartbeat only: running past TimeoutSeconds while
    sending heartbeats is not caught by it.
    """
    definition = activity_state(Catch=[{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Recovered"}])

    execution = worker_run(definition, 400, 30)

    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")


def test_a_lambda_state_output_goes_to_next_state() -> None:
    """The page's ``LambdaState``: the function's output is the input of ``NextState``."""
    definition = {
        "StartAt": "LambdaState",
        "States": {
            "LambdaState": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:HelloWorld",
                "Next": "NextState",
            },
            "NextState": {"Type": "Pass", "End": True},
        },
    }

    execution = run(definition, {"x": 1}, worker=Worker(lambda event: {"seen": event}))

    assert execution.output == {"seen": {"x": 1}}


def test_batch_parameters_mix_static_fields_and_a_path() -> None:
    """The page's ``BATCH_JOB``: the service receives the static job fields, ``Parameters`` taken
    from ``$.batchjob.parameters``, and the nested ``RetryStrategy`` as written.
    """
    definition = {
        "StartAt": "BATCH_JOB",
        "States": {
            "BATCH_JOB": {
                "Type": "Task",
                "Resource": "arn:aws:states:::batch:submitJob.sync",
                "Parameters": {
                    "JobDefinition": "preprocessing",
                    "JobName": "PreprocessingBatchJob",
                    "JobQueue": "SecondaryQueue",
                    "Parameters.$": "$.batchjob.parameters",
                    "RetryStrategy": {"attempts": 5},
                },
                "End": True,
            }
        },
    }
    worker = Worker(lambda _parameters: {"JobId": "j-1", "Status": "SUCCEEDED"})

    execution = run(definition, {"batchjob": {"parameters": {"input": "s3://bucket/key"}}}, worker=worker)

    assert execution.status == "SUCCEEDED"
    assert worker.inputs == [
        {
            "JobDefinition": "preprocessing",
            "JobName": "PreprocessingBatchJob",
            "JobQueue": "SecondaryQueue",
            "Parameters": {"input": "s3://bucket/key"},
            "RetryStrategy": {"attempts": 5},
        }
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"TimeoutSeconds": 0},
        {"TimeoutSeconds": -5},
        {"TimeoutSeconds": 1.5},
        {"HeartbeatSeconds": 0},
        {"TimeoutSeconds": 60, "HeartbeatSeconds": 60},
        {"TimeoutSeconds": 60, "HeartbeatSeconds": 120},
    ],
    ids=[
        "timeout-zero",
        "timeout-negative",
        "timeout-fraction",
        "heartbeat-zero",
        "heartbeat-equal",
        "heartbeat-larger",
    ],
)
def test_timeout_and_heartbeat_must_be_positive_integers_heartbeat_below_timeout(fields: dict[str, Any]) -> None:
    """TimeoutSeconds and HeartbeatSeconds are positive, non-zero integers, and HeartbeatSeconds is
    less than TimeoutSeconds: other values are invalid definitions.
    """
    state = {"Type": "Task", "Resource": ACTIVITY, "End": True, **fields}

    with pytest.raises(DefinitionError):
        parse_definition({"StartAt": "T", "States": {"T": state}})


@pytest.mark.parametrize("field", ["TimeoutSeconds", "HeartbeatSeconds"])
@pytest.mark.parametrize("value", ["{% 1.5 %}", "{% 0 %}", "{% -3 %}", "{% '10' %}"])
def test_a_jsonata_timeout_must_evaluate_to_a_positive_integer(field: str, value: str) -> None:
    """The same rule holds when a JSONata expression gives the value at run time: a fraction, zero, a
    negative number or a string fails the state with ``States.QueryEvaluationError`` naming the field.
    """
    state: dict[str, Any] = {"Type": "Task", "Resource": ACTIVITY, field: value, "End": True}
    if field == "HeartbeatSeconds":
        state["TimeoutSeconds"] = 100
    definition = {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": state}}

    execution = run(definition, {})

    assert (execution.status, execution.error) == ("FAILED", "States.QueryEvaluationError")
    assert f"'{field}'" in (execution.cause or "")


@pytest.mark.parametrize("value", ["{% 2 %}", "{% 2.0 %}"])
def test_a_jsonata_timeout_of_an_integer_value_applies(value: str) -> None:
    """An expression giving 2 (JSONata numbers have no separate integer type, so ``2.0`` too) sets a
    two-second timeout.
    """
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ACTIVITY, "TimeoutSeconds": value, "End": True}},
    }

    execution = run(definition, {})
    execution.advance_clock(2)

    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")
    assert seconds_of(execution, "ActivityTimedOut") == [2]
