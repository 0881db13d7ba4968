"""What the local client remembers: state machines (and their versions), executions, activities."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from constructs_sfn.asl.model import StateMachineDefinition
from constructs_sfn.asl.runtime import Execution

__all__ = [
    "RETIRED_TOKEN_MEMORY",
    "ActivityRecord",
    "AliasRecord",
    "ExecutionRecord",
    "RetiredTokens",
    "StateMachineRecord",
    "StateMachineVersion",
]

RETIRED_TOKEN_MEMORY = 100_000
"""How many task tokens of ended executions a client still recognizes (oldest forgotten first)."""


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
class AliasRecord:
    """A state machine alias: a name that routes each new execution to one of one or two versions."""

    arn: str
    name: str
    description: str | None
    routing: dict[str, int]
    """Version ARN -> weight (percent), in the order the caller gave them; the weights sum to 100."""
    creation_date: datetime
    update_date: datetime


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
    aliases: dict[str, AliasRecord] = field(default_factory=dict)
    """The machine's aliases by name, oldest first."""


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
    issued_tokens: list[str] = field(default_factory=list)
    """The task tokens the client routes to this execution while it runs (emptied when it ends)."""
    redrive_tokens: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)
    """RedriveExecution client tokens, oldest first: token -> (first use, the redriveDate answered)."""


@dataclass(slots=True)
class ActivityRecord:
    """An activity: a named queue of tasks for workers."""

    arn: str
    name: str
    creation_date: datetime
    tags: list[dict[str, str]]
    encryption_configuration: dict[str, Any] | None


class RetiredTokens:
    """Task tokens of ended executions: a bounded set that forgets the oldest first.

    A late ``send_task_*`` with one of them is answered ``TaskTimedOut`` (the task no longer
    exists) instead of ``InvalidToken``; the bound keeps a long-lived client from growing.
    """

    __slots__ = ("_capacity", "_members", "_order")

    def __init__(self, capacity: int = RETIRED_TOKEN_MEMORY) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self._capacity = capacity
        self._members: set[str] = set()
        self._order: deque[str] = deque()

    def add(self, token: str) -> None:
        """Remember ``token``, forgetting the oldest one when full."""
        if token in self._members:
            return
        self._members.add(token)
        self._order.append(token)
        if len(self._order) > self._capacity:
            self._members.discard(self._order.popleft())

    def __contains__(self, token: object) -> bool:
        return token in self._members

    def __len__(self) -> int:
        return len(self._members)
