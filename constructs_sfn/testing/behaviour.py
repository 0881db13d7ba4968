"""What one execution did, as a reviewable trace built from its AWS-shaped history events.

``behaviour_trace(events)`` turns the events of ``GetExecutionHistory`` (or ``Execution.events``)
into a :class:`BehaviourTrace`: the states entered, in order, with their input and output, the
attempts of each Task (retries with their errors), where a Catch sent the execution, the
iterations of Map states and the branches of Parallel states, and the final status. Everything
that changes from run to run (timestamps, event ids, execution ARNs, uuids, request ids, task
tokens) is left out or scrubbed. :func:`render_behaviour` writes the trace as compact, diffable
text; the syrupy extension in :mod:`constructs_sfn.testing.snapshots` stores that text.

This module does not import syrupy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from constructs_sfn.testing.snapshot_scrub import scrub_run_text, scrub_run_value
from constructs_sfn.testing.snapshot_text import LINE_WIDTH, compact_json, wrap_line

__all__ = [
    "Attempt",
    "BehaviourError",
    "BehaviourTrace",
    "Branch",
    "Step",
    "behaviour_trace",
    "render_behaviour",
    "trace_execution",
]

_TERMINAL = {
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionAborted": "ABORTED",
}
_ATTEMPT_STARTS = {
    "TaskScheduled",
    "LambdaFunctionScheduled",
    "ActivityScheduled",
    "MapStateStarted",
    "ParallelStateStarted",
}
_EVENT_OWNERS = (
    ("MapState", "Map"),
    ("MapRun", "Map"),
    ("ParallelState", "Parallel"),
    ("Task", "Task"),
    ("LambdaFunction", "Task"),
    ("Activity", "Task"),
)
_FAILURE_SUFFIXES = ("Failed", "TimedOut", "Aborted")
_UNSET: Any = object()


class BehaviourError(Exception):
    """Events that cannot be read as an execution history; the message names the event."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try of a state that Retry may repeat (a Task; a Map or Parallel as a whole)."""

    number: int
    """1 for the first try, 2 for the first retry, ..."""
    error: str | None = None
    """The error this try failed with; None: it succeeded (or has not finished)."""
    cause: str | None = None
    """The cause that came with ``error`` (scrubbed of run churn)."""


@dataclass(frozen=True, slots=True)
class Branch:
    """One Parallel branch or one Map iteration, with the steps it ran."""

    label: str
    """``branch <n>`` (0-based, in the order the branches started) or ``iteration <index>``."""
    steps: tuple[Step, ...]
    status: str | None = None
    """For a Map iteration: ``SUCCEEDED``, ``FAILED`` or ``ABORTED`` when the history says so."""


@dataclass(frozen=True, slots=True)
class Step:
    """One state entered, and what came of it."""

    name: str
    state_type: str
    """The state's ``Type``, as the event types spell it (``Task``, ``Choice``, ``Map`` ...)."""
    input: Any
    """The state's input, parsed and scrubbed of run churn."""
    output: Any = None
    """The state's output when it exited (see ``exited``)."""
    exited: bool = False
    """False: the state failed without a Catch, or the execution is still running it."""
    attempts: tuple[Attempt, ...] = ()
    error: str | None = None
    """The last error the state raised (a caught one too); None if it raised none."""
    cause: str | None = None
    next: str | None = None
    """The state that ran next in the same branch, if any."""
    branches: tuple[Branch, ...] = ()
    sent: Any = None
    """For a Task: what its first attempt sent to the service (``parameters`` of ``TaskScheduled``,
    ``input`` of ``LambdaFunctionScheduled``/``ActivityScheduled``); None for other states."""

    @property
    def caught(self) -> bool:
        """True when the state raised an error and still exited: a Catch routed it to ``next``."""
        return self.exited and self.error is not None and (not self.attempts or self.attempts[-1].error is not None)


@dataclass(frozen=True, slots=True)
class BehaviourTrace:
    """What one execution did: its steps and how it ended."""

    steps: tuple[Step, ...]
    status: str
    """``SUCCEEDED``, ``FAILED``, ``TIMED_OUT``, ``ABORTED`` or ``RUNNING``."""
    input: Any = None
    output: Any = None
    error: str | None = None
    cause: str | None = None


class _ExecutionLike(Protocol):
    @property
    def events(self) -> list[dict[str, Any]]: ...

    status: str
    output: Any
    error: str | None
    cause: str | None


@dataclass(eq=False)
class _OpenStep:
    name: str
    state_type: str
    input: Any
    thread: _Thread
    output: Any = None
    exited: bool = False
    attempts: list[list[str | None]] = field(default_factory=list)
    error: str | None = None
    cause: str | None = None
    branches: list[_Thread] = field(default_factory=list)
    branch_base: int = 0
    sent: Any = None
    """How many branches earlier attempts ran (a retried Parallel or Map runs them again)."""

    def branch_label(self, kind: str, number: Any) -> str:
        prefix = f"attempt {len(self.attempts)} " if len(self.attempts) > 1 else ""
        return f"{prefix}{kind} {number}"


@dataclass(eq=False)
class _Thread:
    label: str
    parent: _OpenStep | None
    steps: list[_OpenStep] = field(default_factory=list)
    status: str | None = None
    index: int | None = None


def _payload(text: Any) -> Any:
    if not isinstance(text, str):
        return scrub_run_value(text)
    try:
        return scrub_run_value(json.loads(text))
    except ValueError:
        return scrub_run_text(text)


def _scrubbed(text: Any) -> str | None:
    if text is None:
        return None
    return str(scrub_run_value(str(text)))


def _details(event: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, Mapping):
            return dict(value)
    return {}


class _Builder:
    """Replays events, following ``previousEventId`` links to place each one in its branch."""

    def __init__(self) -> None:
        self.root = _Thread("execution", None)
        self.thread_of: dict[int, _Thread] = {}
        self.type_of: dict[int, str] = {}
        self.step_of: dict[int, _OpenStep] = {}
        self.input: Any = None
        self.status = "RUNNING"
        self.output: Any = None
        self.error: str | None = None
        self.cause: str | None = None
        self.current_id = 0

    @staticmethod
    def _ancestors(thread: _Thread) -> Iterable[_Thread]:
        current: _Thread | None = thread
        while current is not None:
            yield current
            current = current.parent.thread if current.parent is not None else None

    def _innermost_open(self, thread: _Thread, name: str | None = None, state_type: str | None = None) -> _OpenStep:
        for candidate in self._ancestors(thread):
            for step in reversed(candidate.steps):
                if step.exited or (name is not None and step.name != name):
                    continue
                if state_type is not None and step.state_type != state_type:
                    continue
                return step
        raise LookupError(name or state_type or "a running state")

    def add(self, position: int, event: Mapping[str, Any]) -> None:
        event_type = event.get("type")
        event_id = event.get("id")
        if not isinstance(event_type, str) or not isinstance(event_id, int):
            raise BehaviourError(f"event {position}: expected a history event with 'type' and 'id', got {event!r:.200}")
        previous = event.get("previousEventId") or 0
        thread = self.thread_of.get(previous, self.root)
        details = _details(event)
        self.type_of[event_id] = event_type
        self.current_id = event_id
        try:
            thread = self._place(event_type, details, thread, previous)
        except LookupError as error:
            raise BehaviourError(
                f"event {position} ({event_type}, id {event_id}): no running state {error} to attach it to"
            ) from error
        self.thread_of[event_id] = thread

    def _place(self, event_type: str, details: dict[str, Any], thread: _Thread, previous: int) -> _Thread:
        if event_type == "ExecutionStarted":
            self.input = _payload(details.get("input"))
        elif event_type in _TERMINAL:
            self.status = _TERMINAL[event_type]
            self.output = _payload(details["output"]) if "output" in details else None
            self.error = details.get("error")
            self.cause = _scrubbed(details.get("cause"))
        elif event_type.endswith("StateEntered"):
            if self.type_of.get(previous) == "ParallelStateStarted":
                parallel = self.step_of[previous]
                thread = _Thread(
                    parallel.branch_label("branch", len(parallel.branches) - parallel.branch_base), parallel
                )
                parallel.branches.append(thread)
            step = _OpenStep(
                str(details.get("name")), event_type[: -len("StateEntered")], _payload(details.get("input")), thread
            )
            thread.steps.append(step)
            return thread
        elif event_type.endswith("StateExited"):
            step = self._innermost_open(thread, name=str(details.get("name")))
            step.exited = True
            step.output = _payload(details.get("output"))
            return step.thread
        elif event_type == "MapIterationStarted":
            name = str(details.get("name"))
            map_step = self._map_step(thread, name)
            index = details.get("index")
            iteration = _Thread(
                map_step.branch_label("iteration", index), map_step, index=index if isinstance(index, int) else None
            )
            map_step.branches.append(iteration)
            return iteration
        elif event_type.startswith("MapIteration"):
            iteration = self._iteration(thread, str(details.get("name")), details.get("index"))
            iteration.status = event_type[len("MapIteration") :].upper()
            return iteration
        else:
            self._state_event(event_type, details, thread, previous)
        return thread

    def _map_step(self, thread: _Thread, name: str) -> _OpenStep:
        for candidate in self._ancestors(thread):
            if candidate.index is not None and candidate.parent is not None and candidate.parent.name == name:
                return candidate.parent
            for step in reversed(candidate.steps):
                if not step.exited and step.name == name and step.state_type == "Map":
                    return step
        raise LookupError(f"Map '{name}'")

    def _iteration(self, thread: _Thread, name: str, index: Any) -> _Thread:
        for candidate in self._ancestors(thread):
            if candidate.parent is not None and candidate.parent.name == name and candidate.index == index:
                return candidate
        map_step = self._map_step(thread, name)
        for iteration in reversed(map_step.branches):
            if iteration.index == index:
                return iteration
        raise LookupError(f"iteration {index} of Map '{name}'")

    def _state_event(self, event_type: str, details: dict[str, Any], thread: _Thread, previous: int) -> None:
        if event_type.startswith("Execution"):
            return
        # A failed iteration or branch leaves its last state open (a Fail state never exits), so
        # an event is given to the innermost open state of the type that writes it.
        owner = next((state_type for prefix, state_type in _EVENT_OWNERS if event_type.startswith(prefix)), None)
        step = self._innermost_open(thread, state_type=owner)
        if event_type in _ATTEMPT_STARTS:
            step.attempts.append([None, None])
            request = details.get("parameters", details.get("input"))
            if request is not None and len(step.attempts) == 1:
                step.sent = _payload(request)
            step.branch_base = len(step.branches)
        if event_type.endswith(_FAILURE_SUFFIXES):
            # MapStateFailed and ParallelStateFailed carry no details: name the event instead.
            step.error = details.get("error") or event_type
            step.cause = _scrubbed(details.get("cause"))
            if step.attempts:
                step.attempts[-1] = [step.error, step.cause]
        # ``step_of`` lets a Parallel branch's first state find its Parallel state.
        self.step_of[self.current_id] = step

    def freeze_thread(self, thread: _Thread) -> tuple[Step, ...]:
        steps: list[Step] = []
        for position, step in enumerate(thread.steps):
            following = thread.steps[position + 1].name if position + 1 < len(thread.steps) else None
            steps.append(
                Step(
                    name=step.name,
                    state_type=step.state_type,
                    input=step.input,
                    output=step.output,
                    exited=step.exited,
                    attempts=tuple(
                        Attempt(number, error, cause) for number, (error, cause) in enumerate(step.attempts, start=1)
                    ),
                    error=step.error,
                    cause=step.cause,
                    next=following,
                    branches=tuple(Branch(b.label, self.freeze_thread(b), b.status) for b in step.branches),
                    sent=step.sent,
                )
            )
        return tuple(steps)


def behaviour_trace(
    events: Iterable[Mapping[str, Any]],
    *,
    status: str | None = None,
    output: Any = _UNSET,
    error: str | None = None,
    cause: str | None = None,
) -> BehaviourTrace:
    """The behaviour of one execution, from its history events (AWS's ``GetExecutionHistory`` shape).

    ``status``, ``output`` (a JSON value), ``error`` and ``cause`` override what the terminal
    event says; by default they come from it (``RUNNING`` when there is none). Events may be in
    any order of ids as long as each event comes after the event its ``previousEventId`` names.
    Raises :class:`BehaviourError` naming the event that cannot be placed.
    """
    builder = _Builder()
    ordered = sorted(events, key=lambda event: event.get("id", 0) if isinstance(event.get("id"), int) else 0)
    for position, event in enumerate(ordered):
        if not isinstance(event, Mapping):
            raise BehaviourError(f"event {position}: expected a mapping, got {type(event).__name__}")
        builder.add(position, event)
    return BehaviourTrace(
        steps=builder.freeze_thread(builder.root),
        status=status or builder.status,
        input=builder.input,
        output=builder.output if output is _UNSET else scrub_run_value(output),
        error=error if error is not None else builder.error,
        cause=_scrubbed(cause) if cause is not None else builder.cause,
    )


def trace_execution(execution: _ExecutionLike | Any) -> BehaviourTrace:
    """The behaviour of a finished (or paused) :class:`constructs_sfn.asl.Execution`."""
    events = getattr(execution, "events", None)
    if events is None:
        raise BehaviourError(f"expected an Execution with 'events', got {type(execution).__name__}")
    return behaviour_trace(events, status=getattr(execution, "status", None))


def _failure_text(error: str | None, cause: str | None) -> str:
    return f"{error}: {cause}" if cause else str(error)


def _render_steps(steps: tuple[Step, ...], before: Any, indent: str, lines: list[str], *, running: bool) -> None:
    """Append the lines of ``steps``; ``before`` is the value the first step would get as input."""
    previous_output = before
    for step in steps:
        header = f"{indent}- {step.name} ({step.state_type})"
        if step.state_type == "Choice" and step.next is not None:
            header += f" -> {step.next}"
        inner = indent + "    "
        parts: list[tuple[str, str]] = []
        if step.input != previous_output:
            parts.append(("in: ", compact_json(step.input)))
        if step.sent is not None and step.sent != step.input:
            parts.append(("sent: ", compact_json(step.sent)))
        sublines: list[str] = []
        for branch in step.branches:
            status = f" ({branch.status})" if branch.status not in (None, "SUCCEEDED") else ""
            sublines.append(f"{inner}{branch.label}{status}:")
            # Parallel branches all get the state's input; Map iterations each get an item.
            first_input = step.input if step.state_type == "Parallel" else _UNSET
            _render_steps(branch.steps, first_input, inner, sublines, running=running)
        if len(step.attempts) > 1:
            for attempt in step.attempts:
                text = _failure_text(attempt.error, attempt.cause) if attempt.error else "ok"
                sublines += wrap_line(f"{inner}attempt {attempt.number}: ", text, indent=inner + "  ")
        elif step.error is not None:
            sublines += wrap_line(f"{inner}error: ", _failure_text(step.error, step.cause), indent=inner + "  ")
        if step.caught:
            sublines.append(f"{inner}caught -> {step.next}")
        if step.exited:
            parts.append(("out: ", "(unchanged)" if step.output == step.input else compact_json(step.output)))
            previous_output = step.output
        elif step.error is None and running:
            sublines.append(f"{inner}(running)")
        one_line = header + "".join(f" {label}{text}" for label, text in parts)
        if not sublines and len(one_line) <= LINE_WIDTH:
            lines.append(one_line)
            continue
        lines.append(header)
        out_parts = [part for part in parts if part[0] == "out: "]
        for label, text in parts:
            if label != "out: ":
                lines.extend(wrap_line(f"{inner}{label}", text, indent=inner + "  "))
        lines.extend(sublines)
        for label, text in out_parts:
            lines.extend(wrap_line(f"{inner}{label}", text, indent=inner + "  "))


def render_behaviour(trace: BehaviourTrace) -> str:
    """``trace`` as compact text, one line per step where it fits (the behaviour snapshot format).

    A step shows ``in:`` only where its input is not the output of the step before it in the
    same branch; ``sent:`` is what a Task sent to its service when that differs from its input;
    ``out: (unchanged)`` means the state passed its input through.
    """
    lines = [f"status: {trace.status}"]
    if trace.error is not None:
        lines.append(f"error: {trace.error}")
    if trace.cause is not None:
        lines.extend(wrap_line("cause: ", trace.cause, indent="  "))
    lines.extend(wrap_line("input: ", compact_json(trace.input), indent="  "))
    lines.append("steps:")
    _render_steps(trace.steps, trace.input, "", lines, running=trace.status == "RUNNING")
    if trace.status == "SUCCEEDED" or trace.output is not None:
        lines.extend(wrap_line("output: ", compact_json(trace.output), indent="  "))
    return "\n".join(lines) + "\n"
