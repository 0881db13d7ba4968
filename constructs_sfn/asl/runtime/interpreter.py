"""The interpreter: :class:`Execution` with every state type bound to the module that runs it.

:mod:`constructs_sfn.asl.runtime.execution` holds the state loop and the state modules
(``state_*.py``) hold each state type's behaviour; both import only the shared types of
:mod:`constructs_sfn.asl.runtime.frame`, so this module is where they meet. The package imports it,
so the handlers are bound before any :class:`Execution` can run.
"""

from __future__ import annotations

from constructs_sfn.asl.model.states import (
    ChoiceState,
    FailState,
    MapState,
    ParallelState,
    PassState,
    SucceedState,
    TaskState,
    WaitState,
)
from constructs_sfn.asl.runtime import state_flow, state_map, state_parallel, state_task
from constructs_sfn.asl.runtime.execution import (
    EXPRESS_MAX_SECONDS,
    STANDARD_MAX_SECONDS,
    Execution,
    register_state_handlers,
)
from constructs_sfn.asl.runtime.frame import RETRYABLE_STATES, Frame, StateGen, StateOutcome, to_json_text

__all__ = [
    "EXPRESS_MAX_SECONDS",
    "RETRYABLE_STATES",
    "STANDARD_MAX_SECONDS",
    "Execution",
    "Frame",
    "StateGen",
    "StateOutcome",
    "to_json_text",
]

register_state_handlers(
    {
        PassState: state_flow.run_pass,
        ChoiceState: state_flow.run_choice,
        WaitState: state_flow.run_wait,
        SucceedState: state_flow.run_succeed,
        FailState: state_flow.run_fail,
        TaskState: state_task.run_task,
        ParallelState: state_parallel.run_parallel,
        MapState: state_map.run_map,
    }
)
