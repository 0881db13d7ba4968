"""A deterministic scheduler of cooperative fibers on an execution's clock.

Each thread of control (the execution, a Parallel branch, a Map iteration) is a generator that
yields *effects*: sleep on the clock, wait for an external callback, or fork children and join
them. Time only moves when every runnable fiber is blocked on a timer; timers that merely guard an
external wait (task timeouts and heartbeats of callback tasks, the execution timeout) fire only
when time passes them for another reason or when the caller advances the clock, so a paused
execution stays paused until somebody answers or lets time pass.

With ``pause_at_timers`` no timer moves time by itself: every Wait, retry back-off and task
duration pauses the execution too, until :meth:`Scheduler.advance` lets time pass.

A fiber remembers the machine frame it ran and its last fork (which children succeeded, which
failed or were stopped), so a redriven execution can resume a new fiber tree where the old one
stopped (:attr:`Fiber.resume_from`).
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.runtime.clock import Clock

__all__ = [
    "Await",
    "Fiber",
    "Fork",
    "ForkResult",
    "Scheduler",
    "Sleep",
    "Waiter",
]

FiberGen = Generator[Any, Any, Any]
INTERNAL_ERROR = "States.Runtime"


@dataclass(slots=True)
class Sleep:
    """Let ``seconds`` pass on the clock. ``guard`` timers do not move time by themselves."""

    seconds: float
    guard: bool = False


@dataclass(slots=True)
class Await:
    """Wait for an external answer on ``token`` (send_task_* / activity workers).

    The fiber resumes with ``("success", output_text)``, ``("failure", error, cause)``,
    ``("timeout",)`` or ``("heartbeat",)``.
    """

    token: str
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None


@dataclass(slots=True)
class Fork:
    """Run children (up to ``max_concurrency`` at once, 0 = all) and resume with a ForkResult.

    ``should_stop(failures, finished)`` is asked after each failure; True stops the join early
    (remaining children are cancelled).
    """

    children: Iterator[Callable[[], FiberGen]]
    count: int
    max_concurrency: int = 0
    should_stop: Callable[[int, int], bool] = field(default=lambda failures, finished: failures > 0)


@dataclass(slots=True)
class ForkResult:
    """Per-child outcomes in child order: a value, or the StatesError it failed with."""

    values: list[Any]
    errors: dict[int, StatesError]
    stopped_early: bool


class Fiber:
    """One thread of control."""

    __slots__ = ("done", "forked", "frame", "gen", "index", "join", "last_join", "resume_from", "waiter")

    def __init__(self, gen: FiberGen, join: _Join | None = None, index: int = 0) -> None:
        self.gen = gen
        self.join = join
        self.index = index
        self.done = False
        self.waiter: Waiter | None = None
        self.forked: _Join | None = None
        """The children this fiber waits for (a Parallel's branches, a Map's iterations), if any."""
        self.last_join: _Join | None = None
        """The last fork this fiber made that did not end with every child succeeding."""
        self.frame: Any = None
        """The machine frame this fiber runs (set by the execution; read when redriving)."""
        self.resume_from: Fiber | None = None
        """Redrive: the fiber of the earlier attempt this one continues (None: a fresh start)."""


class _Join:
    __slots__ = (
        "active",
        "errors",
        "finished",
        "fork",
        "parent",
        "replay",
        "started",
        "stopped",
        "succeeded",
        "unfinished",
        "values",
    )

    def __init__(self, parent: Fiber, fork: Fork) -> None:
        self.parent = parent
        self.fork = fork
        self.values: list[Any] = [None] * fork.count
        self.errors: dict[int, StatesError] = {}
        self.active: list[Fiber] = []
        self.started = 0
        self.finished = 0
        self.stopped = False
        self.succeeded: set[int] = set()
        self.unfinished: dict[int, Fiber] = {}
        """Children that failed or were stopped (what a redrive runs again), by index."""
        self.replay: _Join | None = None
        """Redrive: the same fork of the earlier attempt (its successes are kept, not rerun)."""

    def earlier_child(self, index: int) -> Fiber | None:
        """The fiber that ran child ``index`` and did not succeed (None: it never started)."""
        found = self.unfinished.get(index)
        if found is None:
            # Children still running when the execution was stopped or timed out.
            found = next((child for child in self.active if child.index == index), None)
        return found


class _Timer:
    __slots__ = ("cancelled", "fiber", "guard", "payload")

    def __init__(self, fiber: Fiber, payload: Any, guard: bool) -> None:
        self.fiber = fiber
        self.payload = payload
        self.guard = guard
        self.cancelled = False


class Waiter:
    """A fiber parked on a task token."""

    __slots__ = ("fiber", "heartbeat_seconds", "heartbeat_timer", "timeout_timer", "token")

    def __init__(self, fiber: Fiber, token: str, heartbeat_seconds: float | None) -> None:
        self.fiber = fiber
        self.token = token
        self.heartbeat_seconds = heartbeat_seconds
        self.timeout_timer: _Timer | None = None
        self.heartbeat_timer: _Timer | None = None


class Scheduler:
    """Runs fibers until all are finished or blocked on the outside world."""

    def __init__(self, clock: Clock, *, pause_at_timers: bool = False) -> None:
        self.clock = clock
        self.pause_at_timers = pause_at_timers
        """True: no timer moves time by itself; only :meth:`advance` lets time pass."""
        self.current: Fiber | None = None
        """The fiber being stepped (what a state handler runs on)."""
        self._ready: deque[tuple[Fiber, Any, BaseException | None]] = deque()
        self._timers: list[tuple[datetime, int, _Timer]] = []
        self._seq = itertools.count()
        self._moving_timers = 0
        self.waiters: dict[str, Waiter] = {}
        self._root: Fiber | None = None
        self.root_result: Any = None
        self.root_error: BaseException | None = None
        self.finished_at: datetime | None = None
        """The clock's instant when the root fiber ended (before any later clock advance)."""

    # -- public ---------------------------------------------------------------------------------
    def start(self, gen: FiberGen, *, resume_from: Fiber | None = None) -> None:
        """Make ``gen`` the root fiber and run; ``resume_from`` is the root of a redriven attempt."""
        self._root = Fiber(gen)
        self._root.resume_from = resume_from
        self._ready.append((self._root, None, None))
        self.run()

    @property
    def root(self) -> Fiber | None:
        """The root fiber (None before :meth:`start`)."""
        return self._root

    def next_timer_at(self) -> datetime | None:
        """When the earliest pending timer is due (None: no timer is pending)."""
        while self._timers and self._timers[0][2].cancelled:
            heapq.heappop(self._timers)
        return self._timers[0][0] if self._timers and not self.finished else None

    @property
    def finished(self) -> bool:
        """True once the root fiber has returned or raised."""
        return self._root is not None and self._root.done

    def run(self) -> None:
        """Step fibers and move time until finished or blocked on external input."""
        while not self.finished:
            while self._ready and not self.finished:
                fiber, value, exc = self._ready.popleft()
                self._step(fiber, value, exc)
            if self.finished or self.pause_at_timers or not self._fire_next(only_if_moving=True):
                return

    def advance_to_next_timer(self) -> float | None:
        """Let time pass until the earliest pending timer fires; returns the seconds that passed.

        None when no timer is pending (the execution ended, or waits only on a callback with no
        timeout).
        """
        due = self.next_timer_at()
        if due is None:
            return None
        before = self.clock.now()
        self.advance_to(max(due, before))
        return (max(due, before) - before) / timedelta(seconds=1)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of clock time pass, firing every timer due in that span."""
        self.advance_to(self.clock.now() + timedelta(seconds=seconds))

    def advance_to(self, target: datetime) -> None:
        """Let clock time pass until ``target``, firing every timer due by then."""
        while not self.finished:
            while self._timers and self._timers[0][2].cancelled:
                heapq.heappop(self._timers)
            if not self._timers or self._timers[0][0] > target:
                break
            self._fire_next(only_if_moving=False)
            self.run()
        self.clock.advance_to(target)
        self.run()

    def resolve(self, token: str, answer: tuple[Any, ...]) -> bool:
        """Deliver an external answer; False when nobody waits on ``token``."""
        waiter = self.waiters.pop(token, None)
        if waiter is None:
            return False
        self._cancel_waiter_timers(waiter)
        waiter.fiber.waiter = None
        self._ready.append((waiter.fiber, answer, None))
        self.run()
        return True

    def heartbeat(self, token: str) -> bool:
        """Reset the heartbeat timer of the waiter on ``token``."""
        waiter = self.waiters.get(token)
        if waiter is None:
            return False
        if waiter.heartbeat_timer is not None and waiter.heartbeat_seconds is not None:
            waiter.heartbeat_timer.cancelled = True
            waiter.heartbeat_timer = self._add_timer(
                waiter.fiber, ("heartbeat", token), waiter.heartbeat_seconds, guard=True
            )
        return True

    def guard_timer(self, seconds: float, callback: Callable[[], None]) -> None:
        """A timer that does not move time by itself (the execution's TimeoutSeconds)."""
        holder = Fiber(_callback_gen(callback))
        self._add_timer(holder, None, seconds, guard=True)

    def cancel_all(self) -> None:
        """Abandon every fiber and timer (the execution ended)."""
        for _when, _seq, timer in self._timers:
            timer.cancelled = True
        self._timers.clear()
        self._moving_timers = 0
        self.waiters.clear()
        self._ready.clear()

    def finish_root(self, error: BaseException) -> None:
        """End the execution from outside its fibers (timeout, stop)."""
        if self._root is not None and not self._root.done:
            self._root.done = True
            self.root_error = error
            self.finished_at = self.clock.now()
            self.cancel_all()

    # -- internals ------------------------------------------------------------------------------
    def _add_timer(self, fiber: Fiber, payload: Any, seconds: float, *, guard: bool) -> _Timer:
        timer = _Timer(fiber, payload, guard)
        try:
            when = self.clock.now() + timedelta(seconds=max(seconds, 0.0))
        except OverflowError:  # beyond year 9999: the timer never fires in any meaningful run
            when = datetime.max.replace(tzinfo=self.clock.now().tzinfo)
        heapq.heappush(self._timers, (when, next(self._seq), timer))
        if not guard:
            self._moving_timers += 1
        return timer

    def _cancel_waiter_timers(self, waiter: Waiter) -> None:
        for timer in (waiter.timeout_timer, waiter.heartbeat_timer):
            if timer is not None:
                timer.cancelled = True

    def _fire_next(self, *, only_if_moving: bool) -> bool:
        while self._timers and self._timers[0][2].cancelled:
            heapq.heappop(self._timers)
        if not self._timers or (only_if_moving and self._moving_timers == 0):
            return False
        when, _seq, timer = heapq.heappop(self._timers)
        if not timer.guard:
            self._moving_timers -= 1
        fiber = timer.fiber
        if fiber.done:
            return True
        self.clock.advance_to(when)
        payload = timer.payload
        if isinstance(payload, tuple) and payload and payload[0] in ("timeout", "heartbeat"):
            token = payload[1]
            waiter = self.waiters.pop(token, None)
            if waiter is None:
                return True
            self._cancel_waiter_timers(waiter)
            fiber.waiter = None
            self._ready.append((fiber, (payload[0],), None))
        else:
            self._ready.append((fiber, payload, None))
        return True

    def _step(self, fiber: Fiber, value: Any, exc: BaseException | None) -> None:
        if fiber.done:
            return
        self.current = fiber
        try:
            effect = fiber.gen.throw(exc) if exc is not None else fiber.gen.send(value)
        except StopIteration as stop:
            self._complete(fiber, stop.value, None)
            return
        except StatesError as error:
            self._complete(fiber, None, error)
            return
        except Exception as crash:  # an executor bug must surface as a failed execution, not a crash
            internal = StatesError(INTERNAL_ERROR, f"Internal executor error: {type(crash).__name__}: {crash}")
            internal.__cause__ = crash
            self._complete(fiber, None, internal)
            return
        self._dispatch(fiber, effect)

    def _dispatch(self, fiber: Fiber, effect: Any) -> None:
        if isinstance(effect, Sleep):
            if effect.seconds <= 0 and not effect.guard:
                self._ready.append((fiber, None, None))
            else:
                self._add_timer(fiber, None, effect.seconds, guard=effect.guard)
        elif isinstance(effect, Await):
            waiter = Waiter(fiber, effect.token, effect.heartbeat_seconds)
            if effect.timeout_seconds is not None:
                waiter.timeout_timer = self._add_timer(
                    fiber, ("timeout", effect.token), effect.timeout_seconds, guard=True
                )
            if effect.heartbeat_seconds is not None:
                waiter.heartbeat_timer = self._add_timer(
                    fiber, ("heartbeat", effect.token), effect.heartbeat_seconds, guard=True
                )
            fiber.waiter = waiter
            self.waiters[effect.token] = waiter
        elif isinstance(effect, Fork):
            join = _Join(fiber, effect)
            fiber.forked = join
            fiber.last_join = join
            earlier = fiber.resume_from
            if earlier is not None:
                # Only the first fork of a resumed fiber is the one the earlier attempt stopped in.
                fiber.resume_from = None
                if earlier.last_join is not None and earlier.last_join.fork.count == effect.count:
                    join.replay = earlier.last_join
            if effect.count == 0:
                self._ready.append((fiber, ForkResult([], {}, stopped_early=False), None))
                return
            self._fill(join)
        else:  # pragma: no cover - a programming error in a state implementation
            raise TypeError(f"unknown effect {effect!r}")

    def _fill(self, join: _Join) -> None:
        """Queue children until the concurrency limit is reached (never steps them inline, so a
        thousand synchronous iterations do not recurse a thousand frames deep)."""
        limit = join.fork.max_concurrency or join.fork.count
        replay = join.replay
        while not join.stopped and join.started < join.fork.count and len(join.active) < limit:
            index = join.started
            join.started += 1
            factory = next(join.fork.children)
            if replay is not None and index in replay.succeeded:
                # Redrive: a child that succeeded before keeps its result and is not run again.
                join.values[index] = replay.values[index]
                join.succeeded.add(index)
                join.finished += 1
                continue
            child = Fiber(factory(), join, index)
            if replay is not None:
                child.resume_from = replay.earlier_child(index)
            join.active.append(child)
            self._ready.append((child, None, None))
        if not join.stopped and join.finished == join.fork.count:
            self._join_done(join)

    def _complete(self, fiber: Fiber, value: Any, error: BaseException | None) -> None:
        fiber.done = True
        if fiber.waiter is not None:
            self.waiters.pop(fiber.waiter.token, None)
            self._cancel_waiter_timers(fiber.waiter)
            fiber.waiter = None
        join = fiber.join
        if join is None:
            if fiber is self._root:
                self.root_result = value
                self.root_error = error
                self.finished_at = self.clock.now()
                self.cancel_all()
            return
        if join.stopped:
            return
        join.active.remove(fiber)
        join.finished += 1
        if error is not None:
            assert isinstance(error, StatesError)
            join.errors[fiber.index] = error
            join.unfinished[fiber.index] = fiber
            if join.fork.should_stop(len(join.errors), join.finished):
                self._stop_join(join)
                return
        else:
            join.values[fiber.index] = value
            join.succeeded.add(fiber.index)
        if join.started < join.fork.count:
            self._fill(join)
        elif join.finished == join.fork.count:
            self._join_done(join)

    def _join_done(self, join: _Join) -> None:
        join.stopped = True
        join.parent.forked = None
        join.replay = None
        if not join.errors and join.parent.last_join is join:
            join.parent.last_join = None  # nothing to redrive: keep no memory of it
        self._ready.append((join.parent, ForkResult(join.values, join.errors, stopped_early=False), None))

    def _stop_join(self, join: _Join) -> None:
        self._cancel_children(join)
        join.parent.forked = None
        join.replay = None
        self._ready.append((join.parent, ForkResult(join.values, join.errors, stopped_early=True), None))

    def _cancel_children(self, join: _Join) -> None:
        join.stopped = True
        for child in list(join.active):
            join.unfinished[child.index] = child
            self._cancel_fiber(child)
        join.active.clear()

    def _cancel_fiber(self, fiber: Fiber) -> None:
        # A Parallel branch or Map iteration that is stopped stops everything it started too: a
        # Map inside a failed Parallel's other branch runs no further iterations (AWS stops all
        # branches when one fails).
        if fiber.forked is not None and not fiber.forked.stopped:
            self._cancel_children(fiber.forked)
        fiber.forked = None
        fiber.done = True
        if fiber.waiter is not None:
            self.waiters.pop(fiber.waiter.token, None)
            self._cancel_waiter_timers(fiber.waiter)
            fiber.waiter = None
        fiber.gen.close()


def _callback_gen(callback: Callable[[], None]) -> FiberGen:
    callback()
    return
    yield  # a generator that runs the callback on its first step
