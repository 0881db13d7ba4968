"""Frozen dataclasses for states, retriers, catchers and whole definitions.

Every expression (JSONPath path, payload template, intrinsic, JSONata) is already compiled here:
the runtime only evaluates. Fields that do not apply to a state's query language are ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSONPATH = "JSONPath"
JSONATA = "JSONata"

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


@dataclass(frozen=True, slots=True)
class Assignment:
    """A compiled ``Assign`` block: variable name -> compiled value (template or JSONata)."""

    values: Any
    """JSONPath: a payload template over the whole object; JSONata: a JsonataValue of the object."""
    query_language: str


@dataclass(frozen=True, slots=True)
class Retrier:
    """One ``Retry`` entry."""

    error_equals: tuple[str, ...]
    interval_seconds: float = 1.0
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: float | None = None
    jitter_full: bool = False
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Catcher:
    """One ``Catch`` entry."""

    error_equals: tuple[str, ...]
    next: str
    result_path: Any = None
    """JSONPath: compiled ResultPath; ``None`` with ``discard_result`` means ``ResultPath: null``."""
    has_result_path: bool = False
    discard_result: bool = False
    output: Any = None
    """JSONata: compiled ``Output``."""
    assign: Assignment | None = None
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class State:
    """Fields common to every state type."""

    name: str
    type: str
    pointer: str
    query_language: str
    next: str | None = None
    end: bool = False
    comment: str | None = None
    # JSONPath data flow. ``*_set`` tells "field absent" (default "$") from "field null".
    input_path: Any = None
    input_path_null: bool = False
    output_path: Any = None
    output_path_null: bool = False
    result_path: Any = None
    result_path_null: bool = False
    parameters: Any = None
    result_selector: Any = None
    # JSONata data flow.
    arguments: Any = None
    output: Any = None
    # Both.
    assign: Assignment | None = None
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()

    @property
    def is_jsonata(self) -> bool:
        """True when this state evaluates JSONata."""
        return self.query_language == JSONATA


@dataclass(frozen=True, slots=True)
class PassState(State):
    """``Type: Pass``."""

    result: Any = None
    has_result: bool = False


@dataclass(frozen=True, slots=True)
class TaskState(State):
    """``Type: Task``."""

    resource: str = ""
    timeout_seconds: Any = None
    """A number, a compiled reference path (``TimeoutSecondsPath``) or a JSONata value."""
    timeout_seconds_path: Any = None
    heartbeat_seconds: Any = None
    heartbeat_seconds_path: Any = None
    credentials: Any = None


@dataclass(frozen=True, slots=True)
class ChoiceState(State):
    """``Type: Choice``."""

    choices: tuple[Any, ...] = ()
    """JSONPath: compiled ChoiceRule objects; JSONata: (condition, next, assign, output) rules."""
    default: str | None = None


@dataclass(frozen=True, slots=True)
class JsonataChoice:
    """A JSONata Choice rule: ``Condition`` plus its own ``Next``/``Assign``/``Output``."""

    condition: Any
    next: str
    assign: Assignment | None = None
    output: Any = None


@dataclass(frozen=True, slots=True)
class WaitState(State):
    """``Type: Wait``: exactly one of the four forms is set."""

    seconds: Any = None
    seconds_path: Any = None
    timestamp: Any = None
    timestamp_path: Any = None


@dataclass(frozen=True, slots=True)
class SucceedState(State):
    """``Type: Succeed``."""


@dataclass(frozen=True, slots=True)
class FailState(State):
    """``Type: Fail``."""

    error: Any = None
    error_path: Any = None
    cause: Any = None
    cause_path: Any = None


@dataclass(frozen=True, slots=True)
class ParallelState(State):
    """``Type: Parallel``."""

    branches: tuple[StateMachineDefinition, ...] = ()


@dataclass(frozen=True, slots=True)
class MapState(State):
    """``Type: Map`` (inline or distributed)."""

    processor: StateMachineDefinition | None = None
    mode: str = "INLINE"
    execution_type: str | None = None
    items_path: Any = None
    items: Any = None
    """JSONata ``Items`` (a JsonataValue), or a literal array."""
    items_source: str | None = None
    """The text of the JSONata ``Items`` expression, for AWS's error messages."""
    item_selector: Any = None
    item_reader: Mapping[str, Any] | None = None
    item_batcher: Mapping[str, Any] | None = None
    reader_expressions: Mapping[str, Any] = field(default_factory=dict)
    """ItemReader/ItemBatcher expressions compiled at parse time, keyed by field
    (``ItemReader/Parameters``, ``ItemReader/ReaderConfig/MaxItemsPath``, ``ItemBatcher/BatchInput``...)."""
    result_writer: Mapping[str, Any] | None = None
    max_concurrency: Any = 0
    max_concurrency_path: Any = None
    tolerated_failure_percentage: Any = None
    tolerated_failure_percentage_path: Any = None
    tolerated_failure_count: Any = None
    tolerated_failure_count_path: Any = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class StateMachineDefinition:
    """A whole definition, or a Parallel branch / Map processor."""

    start_at: str
    states: Mapping[str, State]
    query_language: str = JSONPATH
    timeout_seconds: int | None = None
    comment: str | None = None
    version: str | None = None
    pointer: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
