"""How :class:`~constructs_sfn.integrations.aws.job_poller.JobPoller` waits: virtual poll intervals,
the Task's TimeoutSeconds and HeartbeatSeconds, the poll limit, cancellation.

From *Discover service integration patterns*
(https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync).
"""

from __future__ import annotations

import pytest

from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.integrations.aws.job_poller import JobPoller
from constructs_sfn.local import LocalStepFunctions

from ..conftest import RequestFactory
from .test_sync_jobs import INTERVAL, _batch_client, _batch_machine, _event, _run, _types


def test_a_job_that_outlives_the_task_timeout_times_out_and_is_cancelled(make_request: RequestFactory) -> None:
    """connect-to-resource.html#connect-sync: the Task waits for the job, so TimeoutSeconds fires
    while the job still runs; the job Step Functions no longer waits for is stopped."""
    client = _batch_client(["RUNNING"] * 100)
    outcome = Boto3Integrations(client_factory=lambda service: client, job_poll_interval=INTERVAL).invoke(
        make_request(
            "arn:aws:states:::batch:submitJob.sync",
            {"JobName": "nightly", "JobQueue": "q", "JobDefinition": "d"},
            timeout_seconds=12.0,
        )
    )
    assert not outcome.completes
    assert outcome.submitted
    names = [name for name, _ in client.calls]
    # Polls at 5 and 10 virtual seconds; the next would come after the 12-second timeout.
    assert names == ["submit_job", "describe_jobs", "describe_jobs", "terminate_job"]
    assert client.calls[-1][1]["jobId"] == "j-1"


def test_a_job_without_timeout_stops_being_polled(make_request: RequestFactory) -> None:
    """Without TimeoutSeconds the poller gives up after max_job_polls: the task never completes by
    itself (the runtime then leaves the execution RUNNING), and the job is not cancelled."""
    client = _batch_client(["RUNNING"] * 10)
    outcome = Boto3Integrations(client_factory=lambda service: client, max_job_polls=3).invoke(
        make_request("arn:aws:states:::batch:submitJob.sync", {"JobName": "n", "JobQueue": "q", "JobDefinition": "d"})
    )
    assert not outcome.completes
    assert [name for name, _ in client.calls] == ["submit_job", "describe_jobs", "describe_jobs", "describe_jobs"]


def test_poller_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="job_poll_interval must be a positive number"):
        JobPoller(poll_interval=0, max_polls=1, shape=lambda result: result)
    with pytest.raises(ValueError, match="max_job_polls must be at least 1"):
        Boto3Integrations(max_job_polls=0)


def test_heartbeat_seconds_without_heartbeats_times_the_job_out() -> None:
    """SendTaskHeartbeat (API reference) is optional for job-run tasks: with HeartbeatSeconds set
    and no heartbeat sent, the task times out at HeartbeatSeconds (a Catch on
    States.HeartbeatTimeout matches it), and the job is stopped
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskHeartbeat.html)."""
    client = _batch_client(["RUNNING"] * 100)
    sfn = LocalStepFunctions(
        services=Boto3Integrations(client_factory=lambda service: client, job_poll_interval=INTERVAL)
    )
    definition = _batch_machine(
        HeartbeatSeconds=20,
        TimeoutSeconds=600,
        Catch=[{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Late"}],
    )
    definition["States"]["Late"] = {"Type": "Pass", "End": True}
    run = _run(sfn, definition)
    assert run["describe"]["status"] == "SUCCEEDED"
    events = run["events"]
    assert _types(events)[2:7] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskTimedOut", "TaskStateExited"]
    elapsed = _event(events, "TaskTimedOut")["timestamp"] - _event(events, "TaskSubmitted")["timestamp"]
    assert elapsed.total_seconds() == pytest.approx(20.0, abs=0.01)
    names = [name for name, _ in client.calls]
    assert names == ["submit_job", *["describe_jobs"] * 3, "terminate_job"]
