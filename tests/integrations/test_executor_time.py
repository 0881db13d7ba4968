"""Virtual time end to end: hours of retry back-off, heartbeat and task timeouts, a year of waiting.

Every scenario runs through ``LocalStepFunctions`` with Python handlers and fault injection, and
checks two things: the history carries the timestamps AWS would record (retry gaps of exactly
1 h, 2 h, 4 h; a ``TaskTimedOut`` exactly ``HeartbeatSeconds`` after the last sign of life), and
the whole run costs a tiny fraction of a second of wall time. The wall-time bound is deliberately
generous (the virtual hours are what is being proven, not a benchmark).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from constructs_sfn.integrations import LambdaContext, TaskServices
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/sfn"
HOUR = 3600
DAY = 24 * HOUR
# The virtual workflows below span hours to a year; they must finish well inside this.
WALL_TIME_BUDGET_SECONDS = 2.0
START = datetime(2024, 1, 1, tzinfo=UTC)


class LedgerLockedError(Exception):
    """A transient failure the workflows retry; Lambda reports it as error ``LedgerLockedError``."""


class Stopwatch:
    """Wall time of a block, read after it ends."""

    def __init__(self) -> None:
        self.elapsed = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self._started


class Harness:
    """A local client with Python handlers, and helpers to read an execution back."""

    def __init__(self, *, rng_seed: int = 0) -> None:
        self.services = TaskServices(read_env=False)
        self.sfn = LocalStepFunctions(services=self.services, rng_seed=rng_seed)

    def create(self, name: str, definition: dict[str, Any]) -> str:
        arn: str = self.sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
            "stateMachineArn"
        ]
        return arn

    def start(self, machine: str, payload: Any = None) -> str:
        started = self.sfn.start_execution(stateMachineArn=machine, input=json.dumps(payload or {}))
        arn: str = started["executionArn"]
        return arn

    def describe(self, execution: str) -> dict[str, Any]:
        described: dict[str, Any] = self.sfn.describe_execution(executionArn=execution)
        return described

    def events(self, execution: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = self.sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
        return events

    def output(self, execution: str) -> Any:
        described = self.describe(execution)
        assert described["status"] == "SUCCEEDED", (described.get("error"), described.get("cause"))
        return json.loads(described["output"])


@pytest.fixture
def harness() -> Harness:
    return Harness()


def _of_type(events: list[dict[str, Any]], event_type: str) -> list[dict[str, Any]]:
    return [event for event in events if event["type"] == event_type]


def _only(events: list[dict[str, Any]], event_type: str) -> dict[str, Any]:
    [event] = _of_type(events, event_type)
    return event


def _at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def _gaps_between_failure_and_next_schedule(events: list[dict[str, Any]]) -> list[timedelta]:
    """Back-off as AWS shows it: from each TaskFailed to the TaskScheduled of the next attempt."""
    gaps = []
    for index, event in enumerate(events):
        if event["type"] == "TaskFailed" and index + 1 < len(events) and events[index + 1]["type"] == "TaskScheduled":
            gaps.append(events[index + 1]["timestamp"] - event["timestamp"])
    return gaps


def _flaky_call(retry: dict[str, Any], *, catch: bool = False) -> dict[str, Any]:
    call: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {
            "FunctionName": "Reconcile",
            "Payload": {"account.$": "$.account", "attempt.$": "$$.State.RetryCount"},
        },
        "ResultSelector": {"reconciled.$": "$.Payload"},
        "Retry": [{"ErrorEquals": ["LedgerLockedError"], **retry}],
        "End": True,
    }
    states: dict[str, Any] = {"Reconcile": call}
    if catch:
        call.pop("End")
        call["Next"] = "Done"
        call["Catch"] = [{"ErrorEquals": ["LedgerLockedError"], "ResultPath": "$.gaveUp", "Next": "GiveUp"}]
        states["Done"] = {"Type": "Succeed"}
        states["GiveUp"] = {"Type": "Pass", "End": True}
    return {"StartAt": "Reconcile", "States": states}


# -- retries backing off for hours -------------------------------------------------------------


def test_retry_backoff_of_one_two_four_hours_takes_milliseconds(harness: Harness) -> None:
    attempts_seen: list[int] = []

    def reconcile(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        attempts_seen.append(event["attempt"])
        if event["attempt"] < 3:
            raise LedgerLockedError("the ledger is locked")
        return {"account": event["account"], "attempts": event["attempt"] + 1}

    harness.services.bind_lambda("Reconcile", reconcile)
    machine = harness.create("reconcile", _flaky_call({"IntervalSeconds": HOUR, "BackoffRate": 2, "MaxAttempts": 3}))

    with Stopwatch() as wall:
        execution = harness.start(machine, {"account": "acc-1"})
        described = harness.describe(execution)
        events = harness.events(execution)

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert harness.output(execution) == {"reconciled": {"account": "acc-1", "attempts": 4}}
    assert attempts_seen == [0, 1, 2, 3]
    # AWS records a retry as a new Scheduled/Started/Failed triple inside the same state:
    # no second TaskStateEntered, no TaskStateExited until the attempt that succeeds.
    assert [event["type"] for event in events] == [
        "ExecutionStarted",
        "TaskStateEntered",
        *(["TaskScheduled", "TaskStarted", "TaskFailed"] * 3),
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert _gaps_between_failure_and_next_schedule(events) == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=4),
    ]
    assert [event["timestamp"] for event in _of_type(events, "TaskScheduled")] == [
        _at(0),
        _at(1 * HOUR),
        _at(3 * HOUR),
        _at(7 * HOUR),
    ]
    for failed in _of_type(events, "TaskFailed"):
        details = failed["taskFailedEventDetails"]
        assert (details["error"], details["resourceType"], details["resource"]) == (
            "LedgerLockedError",
            "lambda",
            "invoke",
        )
        assert json.loads(details["cause"])["errorMessage"] == "the ledger is locked"
    assert (described["startDate"], described["stopDate"]) == (_at(0), _at(7 * HOUR))
    assert _only(events, "ExecutionSucceeded")["timestamp"] == _at(7 * HOUR)


def test_max_delay_caps_the_backoff_then_catch_takes_over(harness: Harness) -> None:
    def always_busy(event: dict[str, Any], context: LambdaContext) -> Any:
        raise LedgerLockedError("still locked")

    harness.services.bind_lambda("Reconcile", always_busy)
    retry = {"IntervalSeconds": HOUR, "BackoffRate": 2, "MaxDelaySeconds": 2 * HOUR, "MaxAttempts": 4}
    machine = harness.create("capped", _flaky_call(retry, catch=True))

    with Stopwatch() as wall:
        execution = harness.start(machine, {"account": "acc-2"})
    events = harness.events(execution)

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert _gaps_between_failure_and_next_schedule(events) == [timedelta(hours=h) for h in (1, 2, 2, 2)]
    assert len(_of_type(events, "TaskFailed")) == 5
    assert len(_of_type(events, "TaskStateEntered")) == 1
    output = harness.output(execution)
    assert output["gaveUp"]["Error"] == "LedgerLockedError"
    assert _only(events, "PassStateEntered")["timestamp"] == _at(7 * HOUR)
    assert harness.describe(execution)["stopDate"] == _at(7 * HOUR)


def test_full_jitter_stays_under_the_nominal_backoff_and_is_reproducible() -> None:
    retry = {"IntervalSeconds": HOUR, "BackoffRate": 2, "MaxAttempts": 3, "JitterStrategy": "FULL"}

    def gaps(seed: int) -> list[timedelta]:
        harness = Harness(rng_seed=seed)
        harness.services.faults.throw("Reconcile", "LedgerLockedError", "busy", on_attempts=[0, 1, 2])
        harness.services.bind_lambda("Reconcile", lambda event, context: "ok")
        execution = harness.start(harness.create("jitter", _flaky_call(retry)), {"account": "acc-3"})
        assert harness.output(execution) == {"reconciled": "ok"}
        return _gaps_between_failure_and_next_schedule(harness.events(execution))

    first = gaps(7)
    assert len(first) == 3
    for gap, nominal in zip(first, (1, 2, 4), strict=True):
        assert timedelta(0) <= gap <= timedelta(hours=nominal)
    # Full jitter really randomizes: a seeded run does not reproduce the nominal schedule ...
    assert first != [timedelta(hours=h) for h in (1, 2, 4)]
    # ... but the same seed reproduces the same timestamps, so histories can be snapshotted.
    assert gaps(7) == first


# -- heartbeats and task timeouts ----------------------------------------------------------------


def _approval(*, heartbeat: int, timeout: int) -> dict[str, Any]:
    """Ask a worker for a decision through a callback; a silent or slow worker is escalated."""
    return {
        "StartAt": "AwaitDecision",
        "States": {
            "AwaitDecision": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {
                    "FunctionName": "NotifyReviewer",
                    "Payload": {"token.$": "$$.Task.Token", "request.$": "$.request"},
                },
                "HeartbeatSeconds": heartbeat,
                "TimeoutSeconds": timeout,
                "ResultPath": "$.decision",
                "Catch": [
                    {"ErrorEquals": ["States.HeartbeatTimeout"], "ResultPath": "$.failure", "Next": "WorkerLost"},
                    {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.failure", "Next": "TooSlow"},
                ],
                "Next": "Decided",
            },
            "Decided": {"Type": "Succeed"},
            "WorkerLost": {"Type": "Pass", "Result": "worker-lost", "ResultPath": "$.escalation", "End": True},
            "TooSlow": {"Type": "Pass", "Result": "too-slow", "ResultPath": "$.escalation", "End": True},
        },
    }


class Reviewers:
    """The NotifyReviewer Lambda: remembers each task token it was handed."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
        self.tokens.append(event["token"])
        return {"notified": event["request"]}


def test_missed_heartbeat_times_out_after_exactly_heartbeat_seconds(harness: Harness) -> None:
    reviewers = Reviewers()
    harness.services.bind_lambda("NotifyReviewer", reviewers)
    machine = harness.create("approval", _approval(heartbeat=600, timeout=DAY))

    with Stopwatch() as wall:
        execution = harness.start(machine, {"request": "r-1"})
        assert harness.describe(execution)["status"] == "RUNNING"
        harness.sfn.advance_clock(599)
        assert harness.describe(execution)["status"] == "RUNNING"
        harness.sfn.advance_clock(1)
    events = harness.events(execution)

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert len(reviewers.tokens) == 1
    assert harness.output(execution)["escalation"] == "worker-lost"
    submitted = _only(events, "TaskSubmitted")
    timed_out = _only(events, "TaskTimedOut")
    assert submitted["timestamp"] == _at(0)
    assert timed_out["timestamp"] == _at(600)
    # AWS names the heartbeat miss States.Timeout in the history event (the recorded corpus shows
    # it); Catch still tells it apart through States.HeartbeatTimeout.
    assert timed_out["taskTimedOutEventDetails"] == {
        "error": "States.Timeout",
        "resourceType": "lambda",
        "resource": "invoke.waitForTaskToken",
    }
    assert [event["type"] for event in events[-4:]] == [
        "TaskStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    # The token is dead: a late answer is refused as AWS refuses it.
    with pytest.raises(harness.sfn.exceptions.TaskTimedOut):
        harness.sfn.send_task_success(taskToken=reviewers.tokens[0], output='{"approved": true}')


def _hung_job(resource: str) -> dict[str, Any]:
    """A long job whose worker heartbeats; a lost worker and an overrun are told apart."""
    definition = _approval(heartbeat=600, timeout=DAY)
    task = definition["States"]["AwaitDecision"]
    task["Resource"] = resource
    task["Parameters"] = {"FunctionName": "NotifyReviewer", "Payload": {"request.$": "$.request"}}
    return definition


def _run_until(harness: Harness, execution: str, deadline: float) -> None:
    """Advance to one second before ``deadline`` (still running), then to the deadline."""
    harness.sfn.advance_clock(deadline - 1)
    assert harness.describe(execution)["status"] == "RUNNING"
    harness.sfn.advance_clock(1)


def test_stalled_worker_times_out_heartbeat_seconds_after_its_last_beat(harness: Harness) -> None:
    harness.services.faults.stall_heartbeats("AwaitDecision", after_beats=3)
    machine = harness.create("stalled", _hung_job("arn:aws:states:::lambda:invoke"))

    with Stopwatch() as wall:
        # A worker of a request-response task hangs on the execution's own clock, so the run
        # reaches the deadline inside start_execution.
        execution = harness.start(machine, {"request": "r-2"})
    events = harness.events(execution)

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert harness.output(execution)["escalation"] == "worker-lost"
    # Three beats at half the heartbeat interval (300 s, 600 s, 900 s), then 600 s of silence.
    assert _only(events, "TaskTimedOut")["timestamp"] == _at(1500)
    assert harness.describe(execution)["stopDate"] == _at(1500)


def test_hung_worker_that_keeps_heartbeating_runs_into_timeout_seconds(harness: Harness) -> None:
    harness.services.faults.time_out("AwaitDecision")
    machine = harness.create("hung", _hung_job("arn:aws:states:::lambda:invoke"))

    with Stopwatch() as wall:
        execution = harness.start(machine, {"request": "r-2"})

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert harness.output(execution)["escalation"] == "too-slow"
    assert _only(harness.events(execution), "TaskTimedOut")["timestamp"] == _at(DAY)


def test_silent_callback_worker_fault_times_out_after_heartbeat_seconds(harness: Harness) -> None:
    harness.services.faults.stall_heartbeats("AwaitDecision")
    machine = harness.create("silent", _approval(heartbeat=600, timeout=DAY))

    execution = harness.start(machine, {"request": "r-2"})
    _run_until(harness, execution, 600)

    assert harness.output(execution)["escalation"] == "worker-lost"
    assert _only(harness.events(execution), "TaskTimedOut")["timestamp"] == _at(600)


@pytest.mark.parametrize(
    ("declare", "deadline", "escalation"),
    [
        pytest.param(
            lambda faults: faults.stall_heartbeats("AwaitDecision", after_beats=3),
            1500,
            "worker-lost",
            id="stall-after-3-beats",
        ),
        pytest.param(lambda faults: faults.time_out("AwaitDecision"), DAY, "too-slow", id="time-out"),
    ],
)
def test_callback_worker_faults_heartbeat_like_request_response_ones(
    harness: Harness, declare: Any, deadline: float, escalation: str
) -> None:
    declare(harness.services.faults)
    machine = harness.create("callback", _approval(heartbeat=600, timeout=DAY))

    execution = harness.start(machine, {"request": "r-2"})
    harness.sfn.advance_clock(deadline)

    assert harness.output(execution)["escalation"] == escalation
    assert _only(harness.events(execution), "TaskTimedOut")["timestamp"] == _at(deadline)


def test_heartbeats_keep_the_task_alive_until_timeout_seconds(harness: Harness) -> None:
    reviewers = Reviewers()
    harness.services.bind_lambda("NotifyReviewer", reviewers)
    machine = harness.create("slow", _approval(heartbeat=600, timeout=HOUR))

    with Stopwatch() as wall:
        execution = harness.start(machine, {"request": "r-3"})
        for _ in range(7):  # a heartbeat every 500 s, each inside the 600 s window
            harness.sfn.advance_clock(500)
            assert harness.describe(execution)["status"] == "RUNNING"
            harness.sfn.send_task_heartbeat(taskToken=reviewers.tokens[0])
        harness.sfn.advance_clock(HOUR - 3500)
    events = harness.events(execution)

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert harness.output(execution)["escalation"] == "too-slow"
    timed_out = _only(events, "TaskTimedOut")
    assert timed_out["timestamp"] == _at(HOUR)
    assert timed_out["taskTimedOutEventDetails"]["error"] == "States.Timeout"
    # Heartbeats leave no trace in the history (SendTaskHeartbeat records no event).
    assert not [event for event in events if "Heartbeat" in event["type"]]


def test_answer_before_the_deadline_wins(harness: Harness) -> None:
    reviewers = Reviewers()
    harness.services.bind_lambda("NotifyReviewer", reviewers)
    machine = harness.create("answered", _approval(heartbeat=600, timeout=HOUR))

    execution = harness.start(machine, {"request": "r-4"})
    harness.sfn.advance_clock(599)
    harness.sfn.send_task_success(taskToken=reviewers.tokens[0], output='{"approved": true}')
    events = harness.events(execution)

    assert harness.output(execution) == {"request": "r-4", "decision": {"approved": True}}
    assert _only(events, "TaskSucceeded")["timestamp"] == _at(599)
    assert not _of_type(events, "TaskTimedOut")
    # Time passing after the end changes nothing.
    harness.sfn.advance_clock(DAY)
    assert harness.describe(execution)["stopDate"] == _at(599)


# -- a year of waiting ---------------------------------------------------------------------------


def _annual_renewal() -> dict[str, Any]:
    """Wait for the renewal date, then give the account owner two weeks to confirm."""
    return {
        "StartAt": "UntilRenewal",
        "TimeoutSeconds": 366 * DAY,
        "States": {
            "UntilRenewal": {"Type": "Wait", "TimestampPath": "$.renewsAt", "Next": "ConfirmRenewal"},
            "ConfirmRenewal": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {
                    "FunctionName": "NotifyReviewer",
                    "Payload": {
                        "token.$": "$$.Task.Token",
                        "request.$": "$.account",
                        "askedAt.$": "$$.State.EnteredTime",
                    },
                },
                "TimeoutSeconds": 14 * DAY,
                "ResultPath": "$.confirmation",
                "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.failure", "Next": "Lapse"}],
                "Next": "Renewed",
            },
            "Renewed": {"Type": "Succeed"},
            "Lapse": {"Type": "Pass", "Result": "lapsed", "ResultPath": "$.status", "End": True},
        },
    }


def test_one_year_wait_then_approval_runs_in_milliseconds(harness: Harness) -> None:
    reviewers = Reviewers()
    harness.services.bind_lambda("NotifyReviewer", reviewers)
    machine = harness.create("renewal", _annual_renewal())
    renews_at = START + timedelta(days=358)

    with Stopwatch() as wall:
        execution = harness.start(machine, {"account": "acc-9", "renewsAt": renews_at.strftime("%Y-%m-%dT%H:%M:%SZ")})
        assert harness.describe(execution)["status"] == "RUNNING"
        harness.sfn.advance_clock(6 * DAY)
        harness.sfn.send_task_success(taskToken=reviewers.tokens[0], output='{"confirmedBy": "owner"}')
    described = harness.describe(execution)
    events = harness.events(execution)

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert harness.output(execution)["confirmation"] == {"confirmedBy": "owner"}
    assert _only(events, "WaitStateExited")["timestamp"] == renews_at
    assert _only(events, "TaskScheduled")["timestamp"] == renews_at
    scheduled = json.loads(_only(events, "TaskScheduled")["taskScheduledEventDetails"]["parameters"])
    assert scheduled["Payload"]["askedAt"] == "2024-12-24T00:00:00.000Z"
    assert described["stopDate"] - described["startDate"] == timedelta(days=364)


def test_unanswered_renewal_lapses_after_the_deadline(harness: Harness) -> None:
    harness.services.bind_lambda("NotifyReviewer", Reviewers())
    machine = harness.create("renewal", _annual_renewal())
    renews_at = START + timedelta(days=350)

    with Stopwatch() as wall:
        execution = harness.start(machine, {"account": "acc-9", "renewsAt": renews_at.strftime("%Y-%m-%dT%H:%M:%SZ")})
        harness.sfn.advance_clock(14 * DAY)
    events = harness.events(execution)

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert harness.output(execution)["status"] == "lapsed"
    assert _only(events, "TaskTimedOut")["timestamp"] == renews_at + timedelta(days=14)
    assert harness.describe(execution)["stopDate"] == START + timedelta(days=364)


def test_execution_timeout_cuts_a_wait_longer_than_the_machine_allows(harness: Harness) -> None:
    machine = harness.create(
        "forever",
        {
            "StartAt": "Sleep",
            "TimeoutSeconds": 365 * DAY,
            "States": {"Sleep": {"Type": "Wait", "Seconds": 400 * DAY, "End": True}},
        },
    )

    with Stopwatch() as wall:
        execution = harness.start(machine)
    described = harness.describe(execution)
    events = harness.events(execution)

    assert wall.elapsed < WALL_TIME_BUDGET_SECONDS
    assert (described["status"], described["error"]) == ("TIMED_OUT", "States.Timeout")
    assert described["stopDate"] == START + timedelta(days=365)
    assert [event["type"] for event in events] == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    assert events[-1]["timestamp"] == START + timedelta(days=365)
