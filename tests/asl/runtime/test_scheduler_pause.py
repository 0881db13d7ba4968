"""The scheduler with ``pause_at_timers``, and resuming a fork where an earlier attempt stopped.

Pausing is the executor's side of ``LocalStepFunctions(pause_at_timers=True)``; resuming is its side
of RedriveExecution, which "reschedules and redrives only the iterations and branches that failed or
aborted" (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import timedelta
from typing import Any

from runtime_support import EPOCH

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.parse import parse_definition
from constructs_sfn.asl.runtime import Execution, VirtualClock
from constructs_sfn.asl.runtime.scheduler import Fork, ForkResult, Scheduler, Sleep

Gen = Generator[Any, Any, Any]


def elapsed(clock: VirtualClock) -> float:
    return (clock.now() - EPOCH) / timedelta(seconds=1)


class TestPauseAtTimers:
    def test_a_sleep_waits_for_the_caller(self) -> None:
        clock = VirtualClock.fixed()
        scheduler = Scheduler(clock, pause_at_timers=True)

        def root() -> Gen:
            yield Sleep(30)
            yield Sleep(12)
            return "done"

        scheduler.start(root())
        assert not scheduler.finished
        assert scheduler.next_timer_at() == EPOCH + timedelta(seconds=30)
        scheduler.advance(29)
        assert (scheduler.finished, elapsed(clock)) == (False, 29)
        assert scheduler.advance_to_next_timer() == 1
        assert scheduler.advance_to_next_timer() == 12
        assert (scheduler.finished, scheduler.root_result, elapsed(clock)) == (True, "done", 42)
        assert scheduler.advance_to_next_timer() is None

    def test_without_pausing_time_still_jumps(self) -> None:
        clock = VirtualClock.fixed()
        scheduler = Scheduler(clock)

        def root() -> Gen:
            yield Sleep(30)
            return "done"

        scheduler.start(root())
        assert (scheduler.finished, elapsed(clock)) == (True, 30)

    def test_the_execution_pauses_on_a_wait_state(self) -> None:
        definition = parse_definition(
            {
                "StartAt": "W",
                "States": {"W": {"Type": "Wait", "Seconds": 5, "Next": "P"}, "P": {"Type": "Pass", "End": True}},
            }
        )
        execution = Execution(definition, {"x": 1}, pause_at_timers=True).run()
        assert execution.status == "RUNNING"
        assert [event["type"] for event in execution.events] == ["ExecutionStarted", "WaitStateEntered"]
        assert execution.advance_to_next_timer() == 5
        assert (execution.status, execution.output) == ("SUCCEEDED", {"x": 1})
        assert execution.advance_to_next_timer() is None


class TestResumingAFork:
    def test_children_that_succeeded_keep_their_values_and_do_not_run_again(self) -> None:
        runs: list[int] = []
        broken = {1, 2}

        def child(index: int) -> Callable[[], Gen]:
            def start() -> Gen:
                runs.append(index)
                yield Sleep(1)
                if index in broken:
                    raise StatesError("Broken", str(index))
                return index * 10

            return start

        def root() -> Gen:
            result: ForkResult = yield Fork(
                iter([child(i) for i in range(4)]), count=4, should_stop=lambda failures, finished: False
            )
            if result.errors:
                raise result.errors[min(result.errors)]
            return result.values

        first = Scheduler(VirtualClock.fixed())
        first.start(root())
        assert isinstance(first.root_error, StatesError)
        assert sorted(runs) == [0, 1, 2, 3]

        broken.clear()
        runs.clear()
        second = Scheduler(VirtualClock.fixed())
        second.start(root(), resume_from=first.root)
        assert sorted(runs) == [1, 2]
        assert (second.root_error, second.root_result) == (None, [0, 10, 20, 30])

    def test_only_the_first_fork_of_a_resumed_fiber_is_replayed(self) -> None:
        runs: list[str] = []

        def child(name: str) -> Callable[[], Gen]:
            def start() -> Gen:
                runs.append(name)
                return name
                yield

            return start

        def root() -> Gen:
            yield Fork(iter([child("a")]), count=1)
            yield Fork(iter([child("b")]), count=1)
            return None

        first = Scheduler(VirtualClock.fixed())
        first.start(root())
        second = Scheduler(VirtualClock.fixed())
        runs.clear()
        second.start(root(), resume_from=first.root)
        # The first fork succeeded wholly: nothing is remembered of it, so both forks run again.
        assert runs == ["a", "b"]
