"""The execution: one :class:`Execution` runs one definition on one input.

A failed execution is a returned result (status, error, cause, history), never a Python
exception. Every thread of control is a generator run by the :class:`Scheduler`; the execution's
lifecycle (start, callbacks, time, redrive, stop, its end), the state loop with Retry/Catch, history
recording live here. What a state records (history events, payloads, variables, the context
object) is in :mod:`.recording`, AWS's limits in :mod:`.limits`, how a failure is described in
:mod:`.failures`, what a Catch makes of an error in :mod:`.catching`, and each state type's
behaviour in its own module (``state_*.py``). Those modules receive the execution, so this module does
not import them: :mod:`constructs_sfn.asl.runtime.interpreter` binds them with
:func:`register_state_handlers` when the package is imported.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from constructs_sfn.asl.errors import ErrorName, FailStateError, StatesError
from constructs_sfn.asl.model.states import (
    Catcher,
    FailState,
    MapState,
    ParallelState,
    Retrier,
    State,
    StateMachineDefinition,
)
from constructs_sfn.asl.runtime.catching import caught_outcome
from constructs_sfn.asl.runtime.clock import Clock, VirtualClock
from constructs_sfn.asl.runtime.context import ExecutionContextInfo
from constructs_sfn.asl.runtime.failures import (
    error_details,
    evaluation_failed_details,
    execution_failure,
    located_error,
)
from constructs_sfn.asl.runtime.frame import Frame, StateGen, StateOutcome, to_json_text
from constructs_sfn.asl.runtime.history import NOT_TRUNCATED, History
from constructs_sfn.asl.runtime.limits import EXPRESS_MAX_SECONDS, STANDARD_MAX_SECONDS, execution_time_limit
from constructs_sfn.asl.runtime.recording import ExecutionRecording
from constructs_sfn.asl.runtime.retry_policy import find_catcher, retrier_index, retry_delay
from constructs_sfn.asl.runtime.scheduler import Scheduler, Sleep
from constructs_sfn.asl.runtime.trace import TraceEvent, TraceKind
from constructs_sfn.asl.services import ExecutionHost, TaskService, UnboundTaskService

__all__ = [
    "EXPRESS_MAX_SECONDS",
    "STANDARD_MAX_SECONDS",
    "Execution",
    "ExecutionObserver",
    "StateHandler",
    "register_state_handlers",
    "state_handler",
]

FORKING_STATES = (MapState, ParallelState)
"""The states that run children (branches, iterations): a redrive resumes those children too."""

StateHandler = Callable[..., StateGen]
"""Runs one state: ``handler(execution, frame, state, raw_input, context)``."""
_STATE_HANDLERS: dict[type[State], StateHandler] = {}


def register_state_handlers(handlers: Mapping[type[State], StateHandler]) -> None:
    """Bind state types to the functions that run them (done once, by the interpreter module)."""
    _STATE_HANDLERS.update(handlers)


def state_handler(state: State) -> StateHandler:
    """The function that runs ``state`` (bound by the interpreter module; TestState runs through it too)."""
    return _STATE_HANDLERS[type(state)]


class ExecutionObserver(Protocol):
    """Receives the trace of every execution it is attached to."""

    def on_event(self, execution: Execution, event: TraceEvent) -> None:
        """Called synchronously as the execution runs; must not raise (an exception aborts the run)."""
        ...


class Execution(ExecutionRecording):
    """Runs a parsed definition; see the module docstring."""

    def __init__(
        self,
        definition: StateMachineDefinition,
        input_value: Any = None,
        *,
        info: ExecutionContextInfo | None = None,
        services: TaskService | None = None,
        clock: Clock | None = None,
        rng_seed: int | None = 0,
        record_history: bool = True,
        host: ExecutionHost | None = None,
        input_text: str | None = None,
        observer: ExecutionObserver | None = None,
        pause_at_timers: bool = False,
    ) -> None:
        self.definition = definition
        self.input_value = {} if input_value is None else input_value
        self.info = info or ExecutionContextInfo()
        self.services: TaskService = services or UnboundTaskService()
        self.clock: Clock = clock or VirtualClock(self.info.start_time if info is not None else None)
        self.rng = random.Random(rng_seed)
        self.history = History(enabled=record_history)
        self.host = host
        self.scheduler = Scheduler(self.clock, pause_at_timers=pause_at_timers)
        self.status = "RUNNING"
        self.output: Any = None
        self.output_text: str | None = None
        self.error: str | None = None
        self.cause: str | None = None
        self.start_date: datetime = self.info.start_time or self.clock.now()
        self.stop_date: datetime | None = None
        self.input_text = input_text if input_text is not None else to_json_text(self.input_value)
        self.execution_object = self.info.execution_object(self.input_value, self.start_date)
        self.state_machine_object = self.info.state_machine_object()
        self.tokens: dict[str, dict[str, Any]] = {}
        """Task tokens handed out and not yet answered: token -> details (state, activity...)."""
        self.on_finish: list[Callable[[Execution], None]] = []
        self._last_payload: tuple[Any, str] | None = None
        self.variable_bytes = 0
        """Bytes of variable values assigned so far (for the 10 MiB per-execution limit)."""
        self._timestamp_cache: tuple[datetime, str] | None = None
        self.inspection: dict[str, Any] | None = None
        """TestState: the intermediate values of the one state under test, else None."""
        self._started = False
        self.observer = observer
        """Receives :class:`TraceEvent` objects as the execution runs (None: nobody watches)."""

    # -- public API -----------------------------------------------------------------------------
    # (Properties rather than attributes: each attribute more makes every execution bigger.)
    @property
    def pause_at_timers(self) -> bool:
        """True: every timer (Wait, retry back-off, task duration, timeouts) pauses the execution
        until :meth:`advance_clock` or :meth:`advance_to_next_timer` lets time pass."""
        return self.scheduler.pause_at_timers

    @property
    def redrive_count(self) -> int:
        """How many times the execution was redriven (``redriveCount``)."""
        return self.info.redrive_count

    @property
    def redrive_date(self) -> datetime | None:
        """When it was last redriven (``redriveDate``; None: never)."""
        return self.info.redrive_time

    @property
    def events(self) -> list[dict[str, Any]]:
        """The history events, as ``GetExecutionHistory`` returns them."""
        return self.history.events

    def run(self) -> Execution:
        """Run until finished, or until blocked on a callback; returns ``self``."""
        if not self._started:
            self._started = True
            if isinstance(self.clock, VirtualClock) and self.info.start_time is not None:
                self.clock.advance_to(self.info.start_time)
            self.history.add(
                "ExecutionStarted",
                self.clock.now(),
                0,
                {
                    "input": self.input_text,
                    "inputDetails": {"truncated": False},
                    "roleArn": self.info.role_arn,
                    **self.info.qualified_arns(),
                },
            )
            self._start_timeout()
            if self.observer is not None:
                self.observer.on_event(self, TraceEvent(TraceKind.EXECUTION_STARTED, ""))
            root = Frame(self.definition, cursor=0)
            self.scheduler.start(self._root_fiber(root))
        else:
            self.scheduler.run()
        self._settle()
        return self

    def send_task_success(self, token: str, output_text: str) -> bool:
        """Resume the task waiting on ``token`` with a result; False for an unknown token."""
        ok = self.scheduler.resolve(token, ("success", output_text))
        self._settle()
        return ok

    def send_task_failure(self, token: str, error: str | None, cause: str | None) -> bool:
        """Fail the task waiting on ``token``."""
        ok = self.scheduler.resolve(token, ("failure", error, cause))
        self._settle()
        return ok

    def send_task_heartbeat(self, token: str) -> bool:
        """Reset the heartbeat timer of the task waiting on ``token``."""
        return self.scheduler.heartbeat(token)

    def advance_clock(self, seconds: float) -> None:
        """Let ``seconds`` pass (fires due heartbeats and timeouts of paused tasks)."""
        self.scheduler.advance(seconds)
        self._settle()

    def next_timer_at(self) -> datetime | None:
        """When the execution's earliest pending timer is due (None: none, or it has ended)."""
        return self.scheduler.next_timer_at() if self.status == "RUNNING" else None

    def advance_to_next_timer(self) -> float | None:
        """Let time pass until the earliest pending timer fires; returns the seconds that passed.

        None when nothing is pending: the execution has ended, or it waits only on a callback.
        """
        if self.status != "RUNNING":
            return None
        seconds = self.scheduler.advance_to_next_timer()
        self._settle()
        return seconds

    def redrive(self) -> datetime:
        """Continue an unsuccessful execution from where it stopped (``RedriveExecution``).

        Each thread of control resumes at the state it was in (with that state's input and the
        variables it had), a Parallel or Map runs again only the branches and iterations that
        failed or were stopped, and the history goes on after an ``ExecutionRedriven`` event.
        Whether AWS would allow the redrive is the caller's question; returns the redrive date.
        """
        earlier = self.scheduler.root
        root = earlier.frame if earlier is not None else None
        if self.status in ("RUNNING", "SUCCEEDED") or not isinstance(root, Frame):
            raise ValueError(f"Execution is {self.status} and cannot be redriven")
        now = self.clock.now()
        pause_at_timers = self.scheduler.pause_at_timers
        self.info = replace(self.info, redrive_count=self.redrive_count + 1, redrive_time=now)
        self.execution_object = self.info.execution_object(self.input_value, self.start_date)
        self.status, self.error, self.cause = "RUNNING", None, None
        self.output = self.output_text = self.stop_date = None
        details = {"redriveCount": self.redrive_count}
        redriven = self.history.add("ExecutionRedriven", now, self.history.last_id, details)
        root.cursor = redriven
        self.scheduler = Scheduler(self.clock, pause_at_timers=pause_at_timers)
        self._start_timeout()
        self.scheduler.start(self._root_fiber(root), resume_from=earlier)
        self._settle()
        return now

    def _start_timeout(self) -> None:
        redriven = bool(self.info.redrive_count)
        limit = execution_time_limit(
            self.definition.timeout_seconds,
            self.info.state_machine_type,
            redriven=redriven,
            elapsed_seconds=self.seconds_since_start() if redriven else 0.0,
        )
        self.scheduler.guard_timer(limit, self._on_execution_timeout)

    def stop(self, error: str | None = None, cause: str | None = None) -> None:
        """Abort the execution (``StopExecution``)."""
        if self.status != "RUNNING":
            return
        details = error_details(error, cause)
        self.history.add("ExecutionAborted", self.clock.now(), self.history.last_id, details)
        self.scheduler.finish_root(StatesError("States.Aborted", cause))
        self.status, self.error, self.cause = "ABORTED", error, cause
        self._finish()

    # -- the state loop -------------------------------------------------------------------------
    def _root_fiber(self, frame: Frame) -> Generator[Any, Any, Any]:
        return (yield from self.run_machine(frame, self.input_value))

    def run_machine(self, frame: Frame, value: Any) -> Generator[Any, Any, Any]:
        """Run a (sub-)machine from StartAt to its end; returns the final output.

        On a fiber that continues a redriven attempt, the machine resumes at the state the earlier
        frame was in, with that state's input and the earlier frame's variables.
        """
        states = frame.definition.states
        state = states[frame.definition.start_at]
        fiber = self.scheduler.current
        if fiber is not None:
            fiber.frame = frame
            earlier = fiber.resume_from
            old = earlier.frame if earlier is not None else None
            if isinstance(old, Frame) and old.current_state is not None:
                state, value = old.current_state, old.current_input
                if old is not frame:
                    frame.own_variables.update(old.own_variables)
                if not isinstance(state, FORKING_STATES):
                    fiber.resume_from = None  # only a Map or Parallel has children to resume
        while True:
            next_name, value = yield from self.run_state(frame, state, value)
            if next_name is None:
                return value
            state = states[next_name]

    def run_state(self, frame: Frame, state: State, raw_input: Any) -> StateGen:
        """Enter, perform (with Retry/Catch) and exit one state."""
        frame.current_state = state
        frame.current_input = raw_input
        input_text = self.check_payload(raw_input, state)
        entered_id = self.event(
            frame,
            f"{state.type}StateEntered",
            {"name": state.name, "input": input_text, "inputDetails": NOT_TRUNCATED},
        )
        entered_time = self.clock.now()
        observer = self.observer
        if observer is not None:
            observer.on_event(self, TraceEvent(TraceKind.STATE_ENTERED, state.pointer, state.name))
        handler = _STATE_HANDLERS[type(state)]
        self.inspect("input", raw_input)
        retry_counts = [0] * len(state.retry)
        attempt = 0
        while True:
            context = self.context(state, entered_time, attempt, frame)
            try:
                outcome = yield from handler(self, frame, state, raw_input, context)
                if isinstance(state, FORKING_STATES):
                    self._forget_children()
                if observer is not None:
                    left = TraceEvent(TraceKind.STATE_LEFT, state.pointer, state.name, next=outcome[0])
                    observer.on_event(self, left)
                return outcome
            except StatesError as raised:
                if isinstance(state, FailState) and isinstance(raised, FailStateError):
                    if observer is not None:
                        observer.on_event(
                            self, TraceEvent(TraceKind.STATE_FAILED, state.pointer, state.name, error=raised.error)
                        )
                    raise
                error = self.locate(raised, state, entered_id)
                delay = self.retry_delay(state.retry, retry_counts, error)
                if delay is not None:
                    attempt += 1
                    if observer is not None:
                        self._trace_retry(observer, state, error, attempt)
                    if delay > 0:
                        yield Sleep(delay)
                    continue
                catcher = self.find_catcher(state.catch, error)
                if getattr(error, "branch_failure", False):
                    # Only the attempt that is not retried records Map/ParallelStateFailed.
                    self.event(frame, f"{state.type}StateFailed", None)
                if catcher is None:
                    self.state_failed_event(frame, state, error, entered_id)
                    if observer is not None:
                        observer.on_event(
                            self, TraceEvent(TraceKind.STATE_FAILED, state.pointer, state.name, error=error.error)
                        )
                    raise error from raised if error is not raised else None
                routed = self.caught(frame, state, catcher, raw_input, error, context)
                if isinstance(state, FORKING_STATES):
                    self._forget_children()
                if observer is not None:
                    index = next(i for i, candidate in enumerate(state.catch) if candidate is catcher)
                    event = TraceEvent(
                        TraceKind.CATCH, state.pointer, state.name, index=index, next=catcher.next, error=error.error
                    )
                    observer.on_event(self, event)
                return routed

    def _forget_children(self) -> None:
        # A Map or Parallel that ended well (or was caught) is never redriven: drop what the fiber
        # remembers of its failed children, so a big Map's tolerated failures are not kept.
        fiber = self.scheduler.current
        if fiber is not None:
            fiber.last_join = None

    def _trace_retry(self, observer: ExecutionObserver, state: State, error: StatesError, attempt: int) -> None:
        # retry_delay uses the first retrier whose ErrorEquals matches; name that one.
        index = retrier_index(state.retry, error)
        event = TraceEvent(TraceKind.RETRY, state.pointer, state.name, index=index, error=error.error, attempt=attempt)
        observer.on_event(self, event)

    def locate(self, error: StatesError, state: State, entered_id: int) -> StatesError:
        """Prefix evaluation failures with AWS's 'An error occurred while executing...' text."""
        return located_error(error, state, entered_id)

    def state_failed_event(self, frame: Frame, state: State, error: StatesError, entered_id: int) -> None:
        """EvaluationFailed for a JSONata evaluation failure, then Map/Parallel's ...StateFailed.

        AWS links EvaluationFailed to the event *before* the state was entered, and records no
        ...StateFailed for a States.Runtime failure of the state's own fields.
        """
        if error.error != ErrorName.QUERY_EVALUATION_ERROR or getattr(error, "reported", False):
            return
        details = evaluation_failed_details(error, state)
        if frame.record:
            # AWS links a Map's EvaluationFailed to the event before MapStateEntered, and every
            # other state's to its ...StateEntered event.
            previous = (
                self.history.previous_of(entered_id) if state.type == "Map" and self.history.enabled else frame.cursor
            )
            frame.cursor = self.history.add("EvaluationFailed", self.clock.now(), previous, details)
        error.reported = True  # type: ignore[attr-defined]
        if state.type in ("Map", "Parallel"):
            self.event(frame, f"{state.type}StateFailed", None)

    def retry_delay(self, retriers: tuple[Retrier, ...], counts: list[int], error: StatesError) -> float | None:
        """Seconds to wait before the next attempt, or None when no retrier applies."""
        return retry_delay(retriers, counts, error, self.rng)

    def find_catcher(self, catchers: tuple[Catcher, ...], error: StatesError) -> Catcher | None:
        """The first catcher whose ErrorEquals matches."""
        return find_catcher(catchers, error)

    def caught(
        self, frame: Frame, state: State, catcher: Catcher, raw_input: Any, error: StatesError, context: Any
    ) -> StateOutcome:
        """Apply a catcher: error output -> ResultPath/Output, Assign, exit event."""
        output, assigned = caught_outcome(
            state, catcher, raw_input, error, context, frame.variables, rng=self.rng, now_millis=self.now_millis
        )
        self.exit_state(frame, state, output, assigned)
        return catcher.next, output

    # -- ending ---------------------------------------------------------------------------------
    def _on_execution_timeout(self) -> None:
        if self.status != "RUNNING" or self.scheduler.finished:
            return
        self.history.add(
            "ExecutionTimedOut",
            self.clock.now(),
            self.history.last_id,
            {"error": ErrorName.TIMEOUT},
        )
        self.scheduler.finish_root(StatesError(ErrorName.TIMEOUT))
        self.status, self.error, self.cause = "TIMED_OUT", ErrorName.TIMEOUT, None
        self._finish()

    def _settle(self) -> None:
        if self.status != "RUNNING" or not self.scheduler.finished:
            return
        error = self.scheduler.root_error
        ended = self.scheduler.finished_at or self.clock.now()
        if error is None:
            output = self.scheduler.root_result
            try:
                text = self.check_payload(output, None)
            except StatesError as limit:
                error = limit
            else:
                self.output, self.output_text, self.status = output, text, "SUCCEEDED"
                self.history.add(
                    "ExecutionSucceeded",
                    ended,
                    self.history.last_id,
                    {"output": text, "outputDetails": {"truncated": False}},
                )
        if error is not None:
            states_error = execution_failure(error)
            self.status, self.error, self.cause = "FAILED", states_error.error, states_error.cause
            details = error_details(states_error.error, states_error.cause)
            self.history.add("ExecutionFailed", ended, self.history.last_id, details)
        self._finish(ended)

    def _finish(self, ended: datetime | None = None) -> None:
        self.stop_date = ended or self.clock.now()
        self.tokens.clear()
        if self.observer is not None:
            event = TraceEvent(TraceKind.EXECUTION_ENDED, "", error=self.error, detail=self.status)
            self.observer.on_event(self, event)
        for callback in self.on_finish:
            callback(self)

    def seconds_since_start(self) -> float:
        """Elapsed execution time on the clock."""
        return (self.clock.now() - self.start_date) / timedelta(seconds=1)
