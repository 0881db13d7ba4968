"""Shared helpers for the runtime tests: run a definition, fake task services, history queries."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from constructs_sfn.asl import Execution, ExecutionContextInfo, VirtualClock, parse_definition
from constructs_sfn.asl.runtime import Clock
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
"""Where every test's virtual clock starts (``VirtualClock.fixed()``)."""

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:worker"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
SQS_CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
ACTIVITY_ARN = "arn:aws:states:us-east-1:123456789012:activity:approve"

TERMINAL_EVENTS = {
    "SUCCEEDED": "ExecutionSucceeded",
    "FAILED": "ExecutionFailed",
    "TIMED_OUT": "ExecutionTimedOut",
    "ABORTED": "ExecutionAborted",
}


class FakeService:
    """A TaskService answering from a script: one outcome (or callable) per call, last one repeats.

    Every request is kept in ``requests`` so tests can assert what the runtime sent.
    """

    def __init__(self, *script: TaskOutcome | Callable[[TaskRequest], TaskOutcome]) -> None:
        self.script = list(script) or [TaskOutcome.success({})]
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Answer with the next scripted outcome."""
        step = self.script[min(len(self.requests), len(self.script) - 1)]
        self.requests.append(request)
        return step(request) if callable(step) else step


def machine(states: Mapping[str, Any], start_at: str | None = None, **top: Any) -> dict[str, Any]:
    """A definition document from its states (StartAt defaults to the first state)."""
    return {"StartAt": start_at or next(iter(states)), "States": dict(states), **top}


def single(state: Mapping[str, Any], **top: Any) -> dict[str, Any]:
    """A one-state definition; the state is named ``S`` and ends the execution."""
    body = dict(state)
    if body.get("Type") not in ("Succeed", "Fail", "Choice") and "Next" not in body:
        body.setdefault("End", True)
    return machine({"S": body}, **top)


def execute(
    definition: Mapping[str, Any] | str,
    input_value: Any = None,
    *,
    services: Any = None,
    clock: Clock | None = None,
    rng_seed: int | None = 0,
    info: ExecutionContextInfo | None = None,
) -> Execution:
    """Parse ``definition`` and run it on a fixed virtual clock; returns the (maybe paused) execution."""
    execution = Execution(
        parse_definition(definition),
        {} if input_value is None else input_value,
        services=services,
        clock=clock or VirtualClock.fixed(),
        rng_seed=rng_seed,
        info=info,
    )
    return execution.run()


def types(execution: Execution) -> list[str]:
    """The history's event types, in order."""
    return [event["type"] for event in execution.events]


def chain(execution: Execution) -> list[tuple[int, int, str]]:
    """``(id, previousEventId, type)`` for every event."""
    return [(e["id"], e["previousEventId"], e["type"]) for e in execution.events]


def of_type(execution: Execution, event_type: str) -> list[dict[str, Any]]:
    """All events of one type."""
    return [event for event in execution.events if event["type"] == event_type]


def details(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event's ``...EventDetails`` dict ({} when it has none)."""
    found = [value for key, value in event.items() if key.endswith("EventDetails")]
    return dict(found[0]) if found else {}


def one(execution: Execution, event_type: str) -> dict[str, Any]:
    """The only event of ``event_type`` (fails the test when there are none or several)."""
    found = of_type(execution, event_type)
    assert len(found) == 1, f"expected one {event_type}, got {len(found)}: {types(execution)}"
    return found[0]


def offsets(events: Iterable[Mapping[str, Any]]) -> list[float]:
    """Seconds since EPOCH of each event's timestamp."""
    return [(event["timestamp"] - EPOCH) / timedelta(seconds=1) for event in events]


def decoded(text: str) -> Any:
    """JSON text from a history event, decoded."""
    return json.loads(text)


def assert_well_formed(execution: Execution) -> None:
    """History invariants every finished execution must satisfy.

    Ids run 1..n; each previousEventId points at an earlier event; timestamps never go backwards;
    the first event is ExecutionStarted and the last one matches the status; every ``input`` /
    ``output`` detail is JSON text.
    """
    events = execution.events
    assert events, "an execution always records ExecutionStarted"
    assert events[0]["type"] == "ExecutionStarted"
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    for event in events:
        assert 0 <= event["previousEventId"] < event["id"], event
        for key in ("input", "output"):
            value = details(event).get(key)
            if value is not None:
                assert isinstance(value, str), (key, event)
                json.loads(value)
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)
    if execution.status in TERMINAL_EVENTS:
        assert events[-1]["type"] == TERMINAL_EVENTS[execution.status]


def names(events: Sequence[Mapping[str, Any]]) -> list[str]:
    """The ``name`` detail of each event (state events)."""
    return [details(e).get("name", "") for e in events]
