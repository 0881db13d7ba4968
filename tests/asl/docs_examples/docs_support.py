"""Helpers for the developer-guide example tests: run a definition as the page writes it.

Each page's example gives a definition (often only one state), an input and what the page says
comes out; these helpers run it on a fixed virtual clock with scripted Task answers, so each test
reads as the page's input -> definition -> stated output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from constructs_sfn.asl import Execution, VirtualClock, parse_definition
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction"


class Worker:
    """A TaskService that answers every Task with ``answer(parameters)`` and keeps what it was sent."""

    def __init__(self, answer: Callable[[Any], Any] | TaskOutcome) -> None:
        self.answer = answer
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Record the request and answer it."""
        self.requests.append(request)
        if isinstance(self.answer, TaskOutcome):
            return self.answer
        return TaskOutcome.success(self.answer(request.parameters))

    @property
    def inputs(self) -> list[Any]:
        """The effective input (or evaluated Parameters) of every call, in order."""
        return [request.parameters for request in self.requests]


def returns(value: Any) -> Worker:
    """A worker that always returns ``value``."""
    return Worker(lambda _parameters: value)


def fails(error: str, cause: str | None = None) -> Worker:
    """A worker whose every call fails with ``error`` / ``cause``."""
    return Worker(TaskOutcome.failure(error, cause))


def one_state(state: Mapping[str, Any], name: str = "S", **top: Any) -> dict[str, Any]:
    """A definition with the page's single state (it ends the execution unless it says otherwise)."""
    body = dict(state)
    if body.get("Type") not in ("Succeed", "Fail", "Choice") and "Next" not in body:
        body.setdefault("End", True)
    return {"StartAt": name, "States": {name: body}, **top}


def run(definition: Mapping[str, Any] | str, input_value: Any = None, *, worker: Any = None) -> Execution:
    """Parse and run ``definition`` on ``input_value`` to completion on a virtual clock."""
    return Execution(
        parse_definition(definition),
        {} if input_value is None else input_value,
        services=worker,
        clock=VirtualClock.fixed(),
        rng_seed=0,
    ).run()


def succeeded(definition: Mapping[str, Any] | str, input_value: Any = None, *, worker: Any = None) -> Any:
    """The output of a run that must succeed (the failure's error and cause otherwise)."""
    execution = run(definition, input_value, worker=worker)
    assert execution.status == "SUCCEEDED", (execution.status, execution.error, execution.cause)
    return execution.output


def entered(execution: Execution) -> list[str]:
    """The names of the states the execution entered, in order (from its history)."""
    return [
        event["stateEnteredEventDetails"]["name"]
        for event in execution.events
        if event["type"].endswith("StateEntered")
    ]


class FakeService:
    """A TaskService that decides every answer with ``decide(request)`` and keeps the requests."""

    def __init__(self, decide: Callable[[TaskRequest], TaskOutcome]) -> None:
        self.decide = decide
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Record the request and let ``decide`` answer it."""
        self.requests.append(request)
        return self.decide(request)


def seconds_of(execution: Execution, event_type: str) -> list[float]:
    """Seconds after the execution started at which each event of ``event_type`` happened."""
    start = execution.events[0]["timestamp"]
    return [(event["timestamp"] - start).total_seconds() for event in execution.events if event["type"] == event_type]
