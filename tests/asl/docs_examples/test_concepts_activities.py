"""The activity workflow of the developer guide's Activities page, on
:class:`~constructs_sfn.local.LocalStepFunctions` with a worker calling its API.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"


def started(timeout: int = 300, heartbeat: int | None = 60) -> tuple[LocalStepFunctions, str, str]:
    """Steps 1-5 of the page: create the activity, reference it with TimeoutSeconds (and
    HeartbeatSeconds), start an execution. Returns the client, the activity ARN and the execution ARN.
    """
    client = LocalStepFunctions(pause_at_timers=True)
    activity_arn = client.create_activity(name="LongProcess")["activityArn"]
    task = {"Type": "Task", "Resource": activity_arn, "TimeoutSeconds": timeout, "End": True}
    if heartbeat is not None:
        task["HeartbeatSeconds"] = heartbeat
    definition = {"StartAt": "Wait for worker", "States": {"Wait for worker": task}}
    machine = client.create_state_machine(name="activity-demo", definition=json.dumps(definition), roleArn=ROLE)
    run = client.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"job": 7}')
    return client, activity_arn, run["executionArn"]


def history_types(client: LocalStepFunctions, execution_arn: str) -> list[str]:
    """The execution's event types in order."""
    return [event["type"] for event in client.get_execution_history(executionArn=execution_arn)["events"]]


def test_a_worker_polls_gets_the_input_and_reports_success() -> None:
    """GetActivityTask returns the task's JSON input and a task token; SendTaskSuccess with that token
    gives the state its result.
    """
    client, activity_arn, execution_arn = started()

    task = client.get_activity_task(activityArn=activity_arn, workerName="worker-1")
    assert json.loads(task["input"]) == {"job": 7}
    client.send_task_success(taskToken=task["taskToken"], output='{"result": "done"}')

    described = client.describe_execution(executionArn=execution_arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"result": "done"}
    assert history_types(client, execution_arn)[2:5] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]


def test_a_worker_reports_failure() -> None:
    """SendTaskFailure with the token fails the task with the worker's error and cause."""
    client, activity_arn, execution_arn = started()
    task = client.get_activity_task(activityArn=activity_arn)

    client.send_task_failure(taskToken=task["taskToken"], error="Worker.Crashed", cause="disk full")

    described = client.describe_execution(executionArn=execution_arn)
    assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Worker.Crashed", "disk full")


def test_heartbeats_keep_a_long_task_alive_until_timeout_seconds() -> None:
    """Heartbeats within HeartbeatSeconds keep the task waiting; at TimeoutSeconds it times out anyway.

    The page says the history then holds an ``ExecutionTimedOut`` event. That event belongs to the
    machine-level TimeoutSeconds; a *task* timeout is recorded as ``ActivityTimedOut`` and fails the
    execution (``ExecutionFailed`` with ``States.Timeout``, amazon-states-language-task-state.html).
    """
    client, activity_arn, execution_arn = started(timeout=300, heartbeat=60)
    task = client.get_activity_task(activityArn=activity_arn)

    for _ in range(5):
        client.advance_clock(50)
        client.send_task_heartbeat(taskToken=task["taskToken"])
    assert client.describe_execution(executionArn=execution_arn)["status"] == "RUNNING"
    client.advance_clock(50)

    described = client.describe_execution(executionArn=execution_arn)
    assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
    assert history_types(client, execution_arn)[-2:] == ["ActivityTimedOut", "ExecutionFailed"]


def test_a_token_of_a_timed_out_task_is_refused() -> None:
    """Once the task has timed out, its token no longer answers: SendTaskSuccess is refused."""
    client, activity_arn, execution_arn = started(timeout=300, heartbeat=None)
    task = client.get_activity_task(activityArn=activity_arn)
    client.advance_clock(300)

    with pytest.raises(ClientError) as raised:
        client.send_task_success(taskToken=task["taskToken"], output="{}")

    assert raised.value.response["Error"]["Code"] == "TaskTimedOut"
    assert client.describe_execution(executionArn=execution_arn)["status"] == "FAILED"
