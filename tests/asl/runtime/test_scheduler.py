"""The fiber scheduler: virtual time, external waits, guards, forks and crash containment."""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import timedelta
from typing import Any

from runtime_support import EPOCH

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.runtime import VirtualClock
from constructs_sfn.asl.runtime.scheduler import INTERNAL_ERROR, Await, Fork, ForkResult, Scheduler, Sleep

Gen = Generator[Any, Any, Any]


def new_scheduler() -> tuple[Scheduler, VirtualClock]:
    clock = VirtualClock.fixed()
    return Scheduler(clock), clock


def elapsed(clock: VirtualClock) -> float:
    return (clock.now() - EPOCH) / timedelta(seconds=1)


class TestTime:
    def test_sleep_moves_the_virtual_clock_without_waiting(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            yield Sleep(3600 * 24 * 365)
            return "done"

        scheduler.start(root())

        assert scheduler.finished
        assert scheduler.root_result == "done"
        assert scheduler.root_error is None
        assert elapsed(clock) == 3600 * 24 * 365

    def test_zero_sleep_yields_without_moving_time(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            yield Sleep(0)
            yield Sleep(-5)
            return 1

        scheduler.start(root())

        assert scheduler.root_result == 1
        assert elapsed(clock) == 0

    def test_sleeping_fibers_wake_in_time_order(self) -> None:
        scheduler, clock = new_scheduler()
        woke: list[tuple[str, float]] = []

        def sleeper(name: str, seconds: float) -> Callable[[], Gen]:
            def run() -> Gen:
                yield Sleep(seconds)
                woke.append((name, elapsed(clock)))
                return name

            return run

        def root() -> Gen:
            result = yield Fork(iter([sleeper("slow", 30), sleeper("fast", 10), sleeper("mid", 20)]), count=3)
            return result

        scheduler.start(root())

        assert woke == [("fast", 10), ("mid", 20), ("slow", 30)]
        result = scheduler.root_result
        assert isinstance(result, ForkResult)
        assert result.values == ["slow", "fast", "mid"]
        assert result.errors == {}
        assert result.stopped_early is False
        assert elapsed(clock) == 30

    def test_a_guard_timer_alone_does_not_move_time(self) -> None:
        scheduler, clock = new_scheduler()
        fired: list[float] = []
        scheduler.guard_timer(50, lambda: fired.append(elapsed(clock)))

        def root() -> Gen:
            answer = yield Await("tok")
            return answer

        scheduler.start(root())

        assert not scheduler.finished
        assert fired == []
        assert elapsed(clock) == 0

    def test_a_guard_timer_fires_when_other_work_moves_time_past_it(self) -> None:
        scheduler, clock = new_scheduler()
        fired: list[float] = []
        scheduler.guard_timer(50, lambda: fired.append(elapsed(clock)))

        def root() -> Gen:
            yield Sleep(100)

        scheduler.start(root())

        assert fired == [50]
        assert elapsed(clock) == 100

    def test_guard_sleep_waits_only_for_explicit_advance(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            yield Sleep(10, guard=True)
            return "woke"

        scheduler.start(root())
        assert not scheduler.finished

        scheduler.advance(10)

        assert scheduler.root_result == "woke"
        assert elapsed(clock) == 10

    def test_advance_moves_the_clock_even_when_nothing_is_due(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            yield Await("tok")

        scheduler.start(root())
        scheduler.advance(7.5)

        assert elapsed(clock) == 7.5
        assert not scheduler.finished


class TestExternalWaits:
    def test_resolve_resumes_the_waiting_fiber_with_the_answer(self) -> None:
        scheduler, _clock = new_scheduler()

        def root() -> Gen:
            answer = yield Await("tok")
            return answer

        scheduler.start(root())
        assert set(scheduler.waiters) == {"tok"}

        assert scheduler.resolve("tok", ("success", "{}")) is True

        assert scheduler.root_result == ("success", "{}")
        assert scheduler.waiters == {}

    def test_resolve_of_an_unknown_token_is_refused(self) -> None:
        scheduler, _clock = new_scheduler()

        def root() -> Gen:
            yield Await("tok")

        scheduler.start(root())

        assert scheduler.resolve("other", ("success", "{}")) is False
        assert not scheduler.finished

    def test_await_timeout_fires_on_advance(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            answer = yield Await("tok", timeout_seconds=30)
            return (answer, elapsed(clock))

        scheduler.start(root())
        scheduler.advance(29)
        assert not scheduler.finished

        scheduler.advance(1)

        assert scheduler.root_result == (("timeout",), 30)
        assert scheduler.waiters == {}

    def test_a_heartbeat_moves_the_heartbeat_deadline(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            answer = yield Await("tok", heartbeat_seconds=10)
            return (answer, elapsed(clock))

        scheduler.start(root())
        scheduler.advance(8)
        assert scheduler.heartbeat("tok") is True

        scheduler.advance(20)

        assert scheduler.root_result == (("heartbeat",), 18)

    def test_after_a_heartbeat_the_old_deadline_no_longer_fires(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            answer = yield Await("tok", heartbeat_seconds=10)
            return (answer, elapsed(clock))

        scheduler.start(root())
        scheduler.advance(8)
        scheduler.heartbeat("tok")  # cancels the t=10 timer, arms one at t=18

        scheduler.advance(9)  # t=17: past the cancelled deadline, before the new one

        assert not scheduler.finished
        assert elapsed(clock) == 17

    def test_heartbeat_of_an_unknown_token_is_refused(self) -> None:
        scheduler, _clock = new_scheduler()

        assert scheduler.heartbeat("nobody") is False

    def test_answering_cancels_the_pending_timeout(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            first = yield Await("tok", timeout_seconds=5)
            yield Sleep(100)
            return first

        scheduler.start(root())
        scheduler.resolve("tok", ("success", "1"))

        assert scheduler.root_result == ("success", "1")
        assert elapsed(clock) == 100

    def test_finish_root_abandons_waiters_and_timers(self) -> None:
        scheduler, clock = new_scheduler()

        def root() -> Gen:
            yield Await("tok", timeout_seconds=5)

        scheduler.start(root())
        scheduler.finish_root(StatesError("States.Aborted"))

        assert scheduler.finished
        assert isinstance(scheduler.root_error, StatesError)
        assert scheduler.waiters == {}
        assert scheduler.resolve("tok", ("success", "{}")) is False
        scheduler.advance(10)
        assert elapsed(clock) == 10


class TestFork:
    def test_empty_fork_resumes_at_once(self) -> None:
        scheduler, _clock = new_scheduler()

        def root() -> Gen:
            result = yield Fork(iter([]), count=0)
            return result

        scheduler.start(root())

        assert scheduler.root_result == ForkResult([], {}, stopped_early=False)

    def test_max_concurrency_limits_children_running_at_once(self) -> None:
        scheduler, clock = new_scheduler()
        running: list[int] = []
        peak: list[int] = []

        def child(index: int) -> Callable[[], Gen]:
            def run() -> Gen:
                running.append(index)
                peak.append(len(running))
                yield Sleep(10)
                running.remove(index)
                return index * 10

            return run

        def root() -> Gen:
            result = yield Fork(iter([child(i) for i in range(5)]), count=5, max_concurrency=2)
            return result

        scheduler.start(root())

        assert max(peak) == 2
        assert scheduler.root_result.values == [0, 10, 20, 30, 40]
        # Five ten-second children, two at a time: three rounds.
        assert elapsed(clock) == 30

    def test_the_first_failure_stops_the_other_children(self) -> None:
        scheduler, _clock = new_scheduler()
        closed: list[str] = []

        def failing() -> Gen:
            yield Sleep(1)
            raise StatesError("Boom", "child failed")

        def slow() -> Gen:
            try:
                yield Sleep(100)
            finally:
                closed.append("slow")
            return "never"

        def root() -> Gen:
            result = yield Fork(iter([slow, failing]), count=2)
            return result

        scheduler.start(root())

        result = scheduler.root_result
        assert result.stopped_early is True
        assert set(result.errors) == {1}
        assert result.errors[1].error == "Boom"
        assert closed == ["slow"]

    def test_should_stop_can_tolerate_failures(self) -> None:
        scheduler, _clock = new_scheduler()

        def child(fail: bool) -> Callable[[], Gen]:
            def run() -> Gen:
                yield Sleep(1)
                if fail:
                    raise StatesError("E")
                return "ok"

            return run

        def root() -> Gen:
            result = yield Fork(
                iter([child(True), child(False), child(True)]),
                count=3,
                should_stop=lambda failures, finished: failures > 2,
            )
            return result

        scheduler.start(root())

        result = scheduler.root_result
        assert result.stopped_early is False
        assert sorted(result.errors) == [0, 2]
        assert result.values[1] == "ok"

    def test_children_that_finish_without_yielding(self) -> None:
        scheduler, _clock = new_scheduler()

        def instant(value: int) -> Callable[[], Gen]:
            def run() -> Gen:
                return value
                yield  # a generator that finishes on its first step

            return run

        def root() -> Gen:
            result = yield Fork(iter([instant(1), instant(2)]), count=2)
            return result

        scheduler.start(root())

        assert scheduler.root_result.values == [1, 2]


class TestCrashContainment:
    def test_an_unexpected_exception_becomes_an_internal_states_error(self) -> None:
        scheduler, _clock = new_scheduler()

        def root() -> Gen:
            yield Sleep(1)
            raise KeyError("oops")

        scheduler.start(root())

        error = scheduler.root_error
        assert isinstance(error, StatesError)
        assert error.error == INTERNAL_ERROR == "States.Runtime"
        assert (error.cause or "").startswith("Internal executor error: KeyError")
        assert isinstance(error.__cause__, KeyError)

    def test_states_errors_pass_through_unchanged(self) -> None:
        scheduler, _clock = new_scheduler()
        raised = StatesError("My.Error", "mine")

        def root() -> Gen:
            raise raised
            yield

        scheduler.start(root())

        assert scheduler.root_error is raised
