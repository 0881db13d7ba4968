"""What a run did to each state, read from its history events: the overlay drawn on the graph.

:func:`run_overlay` reads a history (see :mod:`.history_input`) and returns a :class:`RunOverlay`:
for every state entered, each visit's input, output, attempts (retries with their errors), error
and cause, and timings; the state's outcome (``succeeded``, ``failed``, ``caught``, ``retried``,
``running``; a state with no visit is ``not_reached``); the Map iterations by outcome; and the
transitions taken between states, to highlight the path.

Events are attributed by their ``previousEventId`` chain, as the history defines it: a Task's
scheduled/failed events chain back to the state's entered event, a Parallel/Map's
started/failed events chain back to its own entered event, skipping over states that entered and
exited inside it (each exit is paired with its entry once, so no walk repeats work). This stays
right when Map iterations and Parallel branches interleave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from constructs_sfn.asl.model.states import FailState, MapState, ParallelState, State, StateMachineDefinition
from constructs_sfn.visual.history_input import HistoryEvent, read_history

__all__ = ["OUTCOMES", "Attempt", "RunOverlay", "StateRun", "Visit", "run_overlay"]

OUTCOMES = ("failed", "caught", "aborted", "retried", "running", "succeeded", "not_reached")
"""Worst first: a state visited several times (in a Map, in a loop) shows its worst outcome."""

_ATTEMPT_STARTS = {
    "TaskScheduled": "Task",
    "LambdaFunctionScheduled": "Task",
    "ActivityScheduled": "Task",
    "MapStateStarted": "Map",
    "ParallelStateStarted": "Parallel",
}
_FAMILIES = (
    ("MapRun", "Map"),
    ("MapState", "Map"),
    ("ParallelState", "Parallel"),
    ("LambdaFunction", "Task"),
    ("Activity", "Task"),
    ("Task", "Task"),
)
_FAILURE_SUFFIXES = ("Failed", "TimedOut", "Aborted")
_TERMINAL = {
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionAborted": "ABORTED",
}
_ITERATION_OUTCOMES = {
    "MapIterationSucceeded": "succeeded",
    "MapIterationFailed": "failed",
    "MapIterationAborted": "aborted",
}


@dataclass(slots=True)
class Attempt:
    """One try of a Task (or of a Parallel/Map as a whole)."""

    started_at: datetime | None
    failed: bool = False
    error: str | None = None
    cause: str | None = None


@dataclass(slots=True)
class Visit:
    """One entry into a state: what went in, what came out, and how."""

    entered_id: int
    input: str | None
    """The state input as the history holds it (JSON text; None when the history has no data)."""
    entered_at: datetime | None
    output: str | None = None
    exited_at: datetime | None = None
    exited: bool = False
    attempts: list[Attempt] = field(default_factory=list)
    error: str | None = None
    cause: str | None = None
    ended_at: datetime | None = None
    """When the visit ended: its exit, or the event that failed it."""
    aborted: bool = False
    """Stopped from outside: another branch or iteration failed, or the execution was stopped."""
    ended: bool = False
    """It ended without exiting: failed, aborted, or its execution ended (timestamps aside)."""

    @property
    def outcome(self) -> str:
        """``succeeded``, ``retried``, ``caught``, ``failed``, ``aborted`` or ``running``."""
        last_failed = bool(self.attempts) and self.attempts[-1].failed
        if self.exited:
            if last_failed or (self.error is not None and not self.attempts):
                return "caught"
            return "retried" if len(self.attempts) > 1 else "succeeded"
        if self.aborted and self.error is None:
            return "aborted"
        return "failed" if self.ended or self.error is not None else "running"

    @property
    def seconds(self) -> float | None:
        """How long the visit took, when the history says."""
        end = self.exited_at or self.ended_at
        if self.entered_at is None or end is None:
            return None
        return (end - self.entered_at).total_seconds()


@dataclass(slots=True)
class StateRun:
    """Everything a run did in one state."""

    name: str
    state_type: str
    visits: list[Visit] = field(default_factory=list)
    map_items: dict[str, int] = field(default_factory=dict)
    """For a Map state: iterations by outcome (``started``, ``succeeded``, ``failed``, ``aborted``)."""

    @property
    def outcome(self) -> str:
        """The worst outcome over the visits (see :data:`OUTCOMES`)."""
        if not self.visits:
            return "not_reached"
        outcomes = {visit.outcome for visit in self.visits}
        return next(outcome for outcome in OUTCOMES if outcome in outcomes)

    @property
    def retries(self) -> int:
        """Attempts beyond the first, over all visits (each is billed as a transition)."""
        return sum(max(0, len(visit.attempts) - 1) for visit in self.visits)

    def outcome_counts(self) -> dict[str, int]:
        """Visits by outcome."""
        counts: dict[str, int] = {}
        for visit in self.visits:
            counts[visit.outcome] = counts.get(visit.outcome, 0) + 1
        return counts


@dataclass(slots=True)
class RunOverlay:
    """A run as the graph shows it."""

    status: str
    """``SUCCEEDED``, ``FAILED``, ``TIMED_OUT``, ``ABORTED`` or ``RUNNING``."""
    states: dict[str, StateRun]
    taken: set[tuple[str, str]]
    """(from state, to state) for every transition the run took between two states."""
    error: str | None = None
    cause: str | None = None
    input: str | None = None
    output: str | None = None
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    event_count: int = 0

    @property
    def seconds(self) -> float | None:
        """The execution's duration, when it has ended and the history has timestamps."""
        if self.started_at is None or self.stopped_at is None:
            return None
        return (self.stopped_at - self.started_at).total_seconds()

    @property
    def state_transitions(self) -> int:
        """States entered plus retries: what a STANDARD workflow is billed for."""
        return sum(len(run.visits) + run.retries for run in self.states.values())

    def state(self, name: str) -> StateRun | None:
        """The run of one state, None when it was never entered."""
        return self.states.get(name)


def run_overlay(history: Any, definition: StateMachineDefinition | None = None) -> RunOverlay:
    """Read a history (any form :func:`~.history_input.read_history` takes) into an overlay.

    With the ``definition``, state types come from it and a Fail state with a fixed ``Error`` /
    ``Cause`` shows them (the history records a Fail state's error only when it ends the
    execution); without it, types are read from the event names (``TaskStateEntered`` -> ``Task``).
    """
    types: dict[str, str] = {}
    fail_errors: dict[str, tuple[str | None, str | None]] = {}
    if definition is not None:
        for state in _all_states(definition):
            types[state.name] = state.type
            if isinstance(state, FailState) and (isinstance(state.error, str) or isinstance(state.cause, str)):
                fail_errors[state.name] = (_text(state.error), _text(state.cause))
    reader = _Reader(read_history(history), types, fail_errors)
    return reader.read()


def _all_states(definition: StateMachineDefinition) -> list[State]:
    found: list[State] = []
    for state in definition.states.values():
        found.append(state)
        if isinstance(state, ParallelState):
            for branch in state.branches:
                found.extend(_all_states(branch))
        elif isinstance(state, MapState) and state.processor is not None:
            found.extend(_all_states(state.processor))
    return found


class _Reader:
    def __init__(
        self,
        events: list[HistoryEvent],
        state_types: dict[str, str],
        fail_errors: dict[str, tuple[str | None, str | None]],
    ) -> None:
        self.events = events
        self.fail_errors = fail_errors
        self.by_id = {event.id: event for event in events}
        self.state_types = state_types
        self.visit_at: dict[int, Visit] = {}
        """Entered event id -> its visit."""
        self.name_at: dict[int, str] = {}
        self.skip_to: dict[int, int] = {}
        """Exited event id -> entered event id: walks jump over states that completed."""
        self.states: dict[str, StateRun] = {}
        self.taken: set[tuple[str, str]] = set()
        self.overlay = RunOverlay(status="RUNNING", states=self.states, taken=self.taken, event_count=len(events))

    def read(self) -> RunOverlay:
        for event in self.events:
            self.take(event)
        self.settle()
        return self.overlay

    def take(self, event: HistoryEvent) -> None:
        kind, details = event.type, event.details
        if kind == "ExecutionStarted":
            self.overlay.started_at = event.timestamp
            self.overlay.input = _text(details.get("input"))
        elif kind in _TERMINAL:
            self.overlay.status = _TERMINAL[kind]
            self.overlay.stopped_at = event.timestamp
            self.overlay.error = _text(details.get("error"))
            self.overlay.cause = _text(details.get("cause"))
            self.overlay.output = _text(details.get("output"))
        elif kind.endswith("StateEntered"):
            self.entered(event, kind.removesuffix("StateEntered"))
        elif kind.endswith("StateExited"):
            self.exited(event)
        elif kind.endswith("StateAborted"):  # TaskStateAborted, WaitStateAborted, MapStateAborted ...
            entered_id = self.walk(event.previous_id, lambda entered: True)
            if entered_id is not None:
                visit = self.visit_at[entered_id]
                visit.aborted, visit.ended, visit.ended_at = True, True, event.timestamp
        elif kind in _ITERATION_OUTCOMES or kind == "MapIterationStarted":
            name = _text(details.get("name"))
            run = self.states.get(name or "")
            if run is not None:
                key = _ITERATION_OUTCOMES.get(kind, "started")
                run.map_items[key] = run.map_items.get(key, 0) + 1
        else:
            self.owned_event(event)

    def entered(self, event: HistoryEvent, type_from_event: str) -> None:
        name = _text(event.details.get("name")) or f"(unnamed state, event {event.id})"
        state_type = self.state_types.get(name, type_from_event)
        run = self.states.setdefault(name, StateRun(name, state_type))
        visit = Visit(event.id, _text(event.details.get("input")), event.timestamp)
        if state_type not in ("Task", "Map", "Parallel"):
            visit.attempts.append(Attempt(event.timestamp))
        if name in self.fail_errors:
            visit.error, visit.cause = self.fail_errors[name]
        if state_type == "Fail":
            visit.ended, visit.ended_at = True, event.timestamp  # a Fail state ends where it is entered
        run.visits.append(visit)
        self.visit_at[event.id] = visit
        self.name_at[event.id] = name
        previous = self.by_id.get(event.previous_id)
        if previous is not None and previous.type.endswith("StateExited"):
            came_from = _text(previous.details.get("name"))
            if came_from is not None:
                self.taken.add((came_from, name))

    def exited(self, event: HistoryEvent) -> None:
        name = _text(event.details.get("name"))
        entered_id = self.walk(event.previous_id, lambda entered: self.name_at[entered] == name)
        if entered_id is None:
            return
        visit = self.visit_at[entered_id]
        visit.exited = True
        visit.exited_at = visit.ended_at = event.timestamp
        visit.output = _text(event.details.get("output"))
        self.skip_to[event.id] = entered_id

    def owned_event(self, event: HistoryEvent) -> None:
        family = next((owner for prefix, owner in _FAMILIES if event.type.startswith(prefix)), None)
        if family is None:
            return
        inner_errors: list[Visit] = []
        entered_id = self.walk(event.previous_id, lambda entered: self.type_at(entered) == family, inner_errors)
        if entered_id is None:
            return
        visit = self.visit_at[entered_id]
        if event.type in _ATTEMPT_STARTS:
            visit.attempts.append(Attempt(event.timestamp))
            visit.error = visit.cause = None  # a retry: the visit's error is its last attempt's
        elif event.type.endswith(_FAILURE_SUFFIXES) and not event.type.startswith("MapRun"):
            error = _text(event.details.get("error"))
            cause = _text(event.details.get("cause"))
            if error is None and inner_errors:  # a Map/Parallel failed because a state inside did
                error, cause = inner_errors[0].error, inner_errors[0].cause
            if error is None and event.type.endswith("TimedOut"):
                error = "States.Timeout"
            if not visit.attempts:
                visit.attempts.append(Attempt(visit.entered_at))
            attempt = visit.attempts[-1]
            attempt.failed, attempt.error, attempt.cause = True, error, cause
            visit.error, visit.cause = error, cause
            visit.ended, visit.ended_at = True, event.timestamp

    def type_at(self, entered_id: int) -> str:
        return self.states[self.name_at[entered_id]].state_type

    def walk(self, start: int, wanted: Callable[[int], bool], inner_errors: list[Visit] | None = None) -> int | None:
        """The nearest entered event up the chain that ``wanted(id)`` accepts, skipping finished states."""
        current = start
        for _ in range(len(self.events) + 1):  # the chain is acyclic; the bound guards bad input
            if current in self.skip_to:
                current = self.by_id[self.skip_to[current]].previous_id
                continue
            if current in self.visit_at:
                if wanted(current):
                    return current
                visit = self.visit_at[current]
                if inner_errors is not None and visit.error is not None:
                    inner_errors.append(visit)
            event = self.by_id.get(current)
            if event is None:
                return None
            current = event.previous_id
        return None

    def settle(self) -> None:
        """What the history says only at its end: which open state failed the execution."""
        if self.overlay.status == "RUNNING":
            return
        open_visits = [visit for visit in self.visit_at.values() if not visit.exited]
        for visit in open_visits:
            visit.ended = True
            if visit.ended_at is None:
                visit.ended_at = self.overlay.stopped_at
        if self.overlay.status == "ABORTED":
            for visit in open_visits:
                visit.aborted = True
            return
        failed = self.overlay.status in ("FAILED", "TIMED_OUT")
        leaves = [visit for visit in open_visits if self.type_at(visit.entered_id) not in ("Map", "Parallel")]
        culprit = None
        if failed and leaves and not any(visit.error is not None for visit in leaves):
            # No event named the failing state (a Choice without a match, a bad path, a Fail state
            # with a computed or no error, the execution timing out): the latest state still open
            # is where it happened.
            culprit = max(leaves, key=lambda visit: visit.entered_id)
            culprit.error = self.overlay.error or ("States.Timeout" if self.overlay.status == "TIMED_OUT" else None)
            culprit.cause = self.overlay.cause
        for visit in open_visits:
            if visit.error is not None or visit is culprit or self.type_at(visit.entered_id) == "Fail":
                continue
            if failed and self.type_at(visit.entered_id) in ("Map", "Parallel"):
                # Failed because a state inside it did, without a *Failed event of its own.
                visit.error, visit.cause = self.overlay.error, self.overlay.cause
            else:
                # Open with no error of its own: stopped because another branch or iteration failed.
                visit.aborted = True


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
