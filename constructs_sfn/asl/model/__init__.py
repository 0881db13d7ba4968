"""The typed, immutable model of a state machine definition (built once by the parser)."""

from __future__ import annotations

from constructs_sfn.asl.model.states import (
    JSONATA,
    JSONPATH,
    Assignment,
    Catcher,
    ChoiceState,
    FailState,
    MapState,
    ParallelState,
    PassState,
    Retrier,
    State,
    StateMachineDefinition,
    SucceedState,
    TaskState,
    WaitState,
)

__all__ = [
    "JSONATA",
    "JSONPATH",
    "Assignment",
    "Catcher",
    "ChoiceState",
    "FailState",
    "MapState",
    "ParallelState",
    "PassState",
    "Retrier",
    "State",
    "StateMachineDefinition",
    "SucceedState",
    "TaskState",
    "WaitState",
]
