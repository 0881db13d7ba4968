"""Parallel: every branch gets the same input; the output is the array of branch outputs."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.model.states import ParallelState, StateMachineDefinition
from constructs_sfn.asl.runtime.finish import effective_input, finish_with_result
from constructs_sfn.asl.runtime.frame import Frame
from constructs_sfn.asl.runtime.scheduler import Fork, ForkResult
from constructs_sfn.asl.runtime.trace import TraceEvent, TraceKind

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import StateGen

__all__ = ["run_parallel"]


def run_parallel(ex: Execution, frame: Frame, state: ParallelState, raw_input: Any, context: Any) -> StateGen:
    """Run all branches; the first branch failure fails the state (other branches stop)."""
    if state.is_jsonata:
        states = {"input": raw_input, "context": context}
        effective = (
            state.arguments.evaluate(states, frame.variables, field="Arguments", rng=ex.rng, now_millis=ex.now_millis())
            if state.arguments is not None
            else raw_input
        )
    else:
        effective = effective_input(ex, frame, state, raw_input, context)
    ex.event(frame, "ParallelStateStarted", None)
    factories = [_branch(ex, frame, state, index, effective) for index in range(len(state.branches))]
    result: ForkResult = yield Fork(iter(factories), count=len(factories))
    frame.cursor = ex.history.last_id if frame.record else frame.cursor
    if result.errors:
        failure = result.errors[min(result.errors)]
        failure.branch_failure = True  # type: ignore[attr-defined]
        raise failure
    ex.event(frame, "ParallelStateSucceeded", None, side=True)
    return state.next, finish_with_result(ex, frame, state, raw_input, result.values, context)


def _branch(
    ex: Execution, frame: Frame, state: ParallelState, index: int, value: Any
) -> Callable[[], Generator[Any, Any, Any]]:
    branch: StateMachineDefinition = state.branches[index]

    def start() -> Generator[Any, Any, Any]:
        if ex.observer is not None:
            ex.observer.on_event(ex, TraceEvent(TraceKind.BRANCH_STARTED, state.pointer, state.name, index=index))
        child = Frame(branch, parent=frame, cursor=frame.cursor, record=frame.record)
        return (yield from ex.run_machine(child, value))

    return start
