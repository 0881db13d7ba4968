"""Fault injection: make a state fail, hang or go silent, to prove Retry and Catch do their job.

::

    faults = Faults(services)
    faults.throw("Charge", "Payments.Declined", "card expired", on_attempts=[0, 1])
    faults.time_out("Ship")              # never finishes: TimeoutSeconds fires
    faults.stall_heartbeats("Approve")   # never heartbeats: HeartbeatSeconds fires
    faults.delay("Notify", seconds=30)   # 30 s slower on the execution's clock

Rules match a state by name and, optionally, by retry attempt (``$$.State.RetryCount``,
``on_attempts``) or by invocation number in the execution (``on_invocations``, counting every
invocation as mocks do). The first matching ``throw``/``time_out``/``stall_heartbeats``/``succeed``
rule decides the outcome; ``delay`` rules add to whatever happens. Unmatched requests go to the
wrapped service.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from constructs_sfn.asl.services import TaskOutcome, TaskRequest, TaskService
from constructs_sfn.integrations.counters import InvocationCounter
from constructs_sfn.integrations.errors import IntegrationConfigError
from constructs_sfn.integrations.jsontext import to_json_value
from constructs_sfn.integrations.routing import unbound_outcome

__all__ = ["Faults"]

_FaultKind = Literal["throw", "time_out", "stall_heartbeats", "succeed", "delay"]
# Keep-alive heartbeats are capped so a Task without TimeoutSeconds cannot blow up memory.
_MAX_KEEPALIVE_BEATS = 10_000


@dataclass(frozen=True, slots=True)
class _Fault:
    state: str
    kind: _FaultKind
    attempts: frozenset[int] | None
    invocations: frozenset[int] | None
    error: str = ""
    cause: str | None = None
    output: Any = None
    seconds: float = 0.0
    beats: int = 0

    def matches(self, request: TaskRequest, invocation: int) -> bool:
        return (
            self.state == request.state_name
            and (self.attempts is None or request.attempt in self.attempts)
            and (self.invocations is None or invocation in self.invocations)
        )


class Faults:
    """A :class:`~constructs_sfn.asl.services.TaskService` that injects faults before ``inner``."""

    def __init__(self, inner: TaskService | None = None) -> None:
        """``inner``: the service for requests no fault matches. Default: - they fail as unbound."""
        self.inner = inner
        self._faults: list[_Fault] = []
        self._counter = InvocationCounter()
        self._lock = threading.Lock()

    # -- declaring faults ----------------------------------------------------------------------

    def throw(
        self,
        state: str,
        error: str,
        cause: str | None = None,
        *,
        on_attempts: Iterable[int] | None = None,
        on_invocations: Iterable[int] | None = None,
    ) -> Faults:
        """Make ``state`` fail with ``error``/``cause`` (on the given attempts/invocations; default all)."""
        return self._add(state, "throw", on_attempts, on_invocations, error=error, cause=cause)

    def time_out(
        self,
        state: str,
        *,
        on_attempts: Iterable[int] | None = None,
        on_invocations: Iterable[int] | None = None,
    ) -> Faults:
        """Make ``state`` hang while still heartbeating, so ``TimeoutSeconds`` fires (``States.Timeout``)."""
        return self._add(state, "time_out", on_attempts, on_invocations)

    def stall_heartbeats(
        self,
        state: str,
        *,
        after_beats: int = 0,
        on_attempts: Iterable[int] | None = None,
        on_invocations: Iterable[int] | None = None,
    ) -> Faults:
        """Make ``state``'s worker go silent: it never finishes and stops heartbeating.

        ``after_beats``: heartbeats sent (at half the ``HeartbeatSeconds`` interval) before the
        silence. Default: 0. ``HeartbeatSeconds`` then fires with ``States.HeartbeatTimeout``.
        """
        if after_beats < 0:
            raise IntegrationConfigError(f"after_beats must be >= 0, got {after_beats}")
        return self._add(state, "stall_heartbeats", on_attempts, on_invocations, beats=after_beats)

    def delay(
        self,
        state: str,
        seconds: float,
        *,
        on_attempts: Iterable[int] | None = None,
        on_invocations: Iterable[int] | None = None,
    ) -> Faults:
        """Make ``state`` take ``seconds`` longer on the execution's clock (to trip ``TimeoutSeconds``)."""
        if seconds < 0 or math.isnan(seconds):
            raise IntegrationConfigError(f"delay seconds must be >= 0, got {seconds}")
        return self._add(state, "delay", on_attempts, on_invocations, seconds=seconds)

    def succeed(
        self,
        state: str,
        output: Any,
        *,
        on_attempts: Iterable[int] | None = None,
        on_invocations: Iterable[int] | None = None,
    ) -> Faults:
        """Make ``state`` succeed with ``output`` without calling the wrapped service."""
        return self._add(state, "succeed", on_attempts, on_invocations, output=to_json_value(output))

    def clear(self, state: str | None = None) -> Faults:
        """Remove the faults of ``state`` (all faults when None) and reset invocation counts."""
        with self._lock:
            self._faults = [f for f in self._faults if state is not None and f.state != state]
        self._counter.forget()
        return self

    # -- serving -------------------------------------------------------------------------------

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Apply the matching faults; delegate to ``inner`` when no terminal fault matches."""
        outcome = self.route(request)
        if outcome is not None:
            return outcome
        return self._inner(request)

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        """The faulted outcome when a fault is declared for the request's state, else None."""
        faults = self._faults
        if not any(f.state == request.state_name for f in faults):
            return None
        invocation = self._counter.advance(request.execution_arn, request.state_name)
        matching = [f for f in faults if f.matches(request, invocation)]
        if not matching:
            return None
        extra = sum(f.seconds for f in matching if f.kind == "delay")
        decisive = next((f for f in matching if f.kind != "delay"), None)
        outcome = self._inner(request) if decisive is None else _outcome_of(decisive, request)
        if extra and outcome.completes:
            outcome = replace(outcome, duration=outcome.duration + extra)
        return outcome

    def _inner(self, request: TaskRequest) -> TaskOutcome:
        if self.inner is None:
            return unbound_outcome(request)
        return self.inner.invoke(request)

    def _add(
        self,
        state: str,
        kind: _FaultKind,
        on_attempts: Iterable[int] | None,
        on_invocations: Iterable[int] | None,
        **details: Any,
    ) -> Faults:
        fault = _Fault(
            state=state,
            kind=kind,
            attempts=None if on_attempts is None else frozenset(on_attempts),
            invocations=None if on_invocations is None else frozenset(on_invocations),
            **details,
        )
        with self._lock:
            # Copy-on-write: invoke() reads the list without the lock from Map worker threads.
            self._faults = [*self._faults, fault]
        return self


def _outcome_of(fault: _Fault, request: TaskRequest) -> TaskOutcome:
    if fault.kind == "throw":
        return TaskOutcome.failure(fault.error, fault.cause)
    if fault.kind == "succeed":
        return TaskOutcome(output=fault.output, resolves_callback=request.integration == "waitForTaskToken")
    if fault.kind == "time_out":
        return TaskOutcome(completes=False, heartbeat_gaps=_keepalive_gaps(request))
    interval = _half_heartbeat(request)
    gaps = (interval,) * fault.beats if interval is not None else ()
    return TaskOutcome(completes=False, heartbeat_gaps=gaps)


def _half_heartbeat(request: TaskRequest) -> float | None:
    if request.heartbeat_seconds is None or request.heartbeat_seconds <= 0:
        return None
    return request.heartbeat_seconds / 2


def _keepalive_gaps(request: TaskRequest) -> tuple[float, ...]:
    """Heartbeats often enough that only ``TimeoutSeconds`` can end the task."""
    interval = _half_heartbeat(request)
    if interval is None:
        return ()
    horizon = request.timeout_seconds if request.timeout_seconds is not None else interval * _MAX_KEEPALIVE_BEATS
    return (interval,) * min(_MAX_KEEPALIVE_BEATS, math.ceil(horizon / interval) + 1)
