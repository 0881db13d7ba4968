"""What the local client remembers: state machines (and their versions), executions, activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from constructs_sfn.asl.model import StateMachineDefinition
from constructs_sfn.asl.runtime import Execution

__all__ = ["ActivityRecord", "ExecutionRecord", "StateMachineRecord", "StateMachineVersion"]


@dataclass(slots=True)
class StateMachineVersion:
    """One published version: an immutable snapshot of a state machine revision."""

    arn: str
    number: int
    definition_text: str
    model: StateMachineDefinition
    role_arn: str
    creation_date: datetime
    revision_id: str
    description: str | None


@dataclass(slots=True)
class StateMachineRecord:
    """A state machine as created, and as last updated."""

    arn: str
    name: str
    type: str
    definition_text: str
    model: StateMachineDefinition
    role_arn: str
    creation_date: datetime
    logging_configuration: dict[str, Any]
    tracing_configuration: dict[str, Any]
    encryption_configuration: dict[str, Any] | None
    tags: list[dict[str, str]]
    idempotency_key: tuple[Any, ...]
    """What makes a repeated CreateStateMachine the same request (roleArn and tags excluded)."""
    revision_id: str | None = None
    update_date: datetime | None = None
    versions: list[StateMachineVersion] = field(default_factory=list)
    next_version: int = 1


@dataclass(slots=True)
class ExecutionRecord:
    """One execution and what describing it needs besides the running :class:`Execution`."""

    arn: str
    name: str
    state_machine_arn: str
    state_machine_type: str
    input_text: str
    execution: Execution
    sequence: int
    """Start order, to break ties between equal virtual timestamps."""
    machine: StateMachineRecord
    version: StateMachineVersion | None = None
    alias_arn: str | None = None
    trace_header: str | None = None


@dataclass(slots=True)
class ActivityRecord:
    """An activity: a named queue of tasks for workers."""

    arn: str
    name: str
    creation_date: datetime
    tags: list[dict[str, str]]
    encryption_configuration: dict[str, Any] | None
