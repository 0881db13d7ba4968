"""The types every state handler shares with the execution that runs it.

A :class:`Frame` is one thread of control; a state handler is a generator (:data:`StateGen`) that
the scheduler runs and that returns a :data:`StateOutcome`. They live apart from ``execution.py``
so the state modules, the execution and TestState can all import them without an import circle.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Generator, MutableMapping
from typing import Any

from constructs_sfn.asl.jsonpath.jsontext import to_json_text as _shared_json_text
from constructs_sfn.asl.model.states import MapState, ParallelState, State, StateMachineDefinition, TaskState

__all__ = ["RETRYABLE_STATES", "Frame", "StateGen", "StateOutcome", "to_json_text"]

RETRYABLE_STATES = (TaskState, MapState, ParallelState)
"""The state types that accept ``Retry``; their ``$$.State`` carries ``RetryCount``."""

StateOutcome = tuple[str | None, Any]
"""What a state handler returns: the next state's name (None: the branch ends) and the output."""
StateGen = Generator[Any, Any, StateOutcome]
"""A state handler's generator: it yields scheduler requests and returns a :data:`StateOutcome`."""


def to_json_text(value: Any) -> str:
    """JSON text as AWS writes it into histories and causes (compact, UTF-8 kept)."""
    return _shared_json_text(value)


class Frame:
    """One thread of control: the execution itself, a Parallel branch, or a Map iteration."""

    __slots__ = ("current_input", "current_state", "cursor", "definition", "own_variables", "record", "variables")

    def __init__(
        self,
        definition: StateMachineDefinition,
        *,
        parent: Frame | None = None,
        cursor: int = 0,
        record: bool = True,
    ) -> None:
        self.definition = definition
        self.own_variables: dict[str, Any] = {}
        if parent is None:
            self.variables: MutableMapping[str, Any] = self.own_variables
        else:
            parent_maps = parent.variables.maps if isinstance(parent.variables, ChainMap) else [parent.variables]
            self.variables = ChainMap(self.own_variables, *parent_maps)
        self.cursor = cursor
        self.record = record
        self.current_state: State | None = None
        """The state this frame entered last, and its input: where a redrive resumes the frame."""
        self.current_input: Any = None
