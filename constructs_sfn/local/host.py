"""What the operation mixins of ``LocalStepFunctions`` need from the client they are part of.

Each group of operations lives in its own module as a mixin class of
:class:`~constructs_sfn.local.client.LocalStepFunctions`: state machines (:mod:`.state_machines`),
executions (:mod:`.executions`), task tokens (:mod:`.task_tokens`), activities (:mod:`.activities`),
definition checks and TestState (:mod:`.definition_operations`), clock control
(:mod:`.clock_control`), versions (:mod:`.versions`), aliases (:mod:`.aliases`) and tags
(:mod:`.tagging`). They share the client's state and its request/response plumbing;
:class:`ClientHost` spells out exactly which part of it, so mypy checks each mixin method against
the client (as its ``self`` type). The helpers below shape requests and responses the same way for
every operation.
"""

# boto3's keyword names (executionArn, includedData, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from constructs_sfn.asl.runtime import Clock, Execution
from constructs_sfn.asl.runtime.map_run import MapRun
from constructs_sfn.asl.runtime.observer import ExecutionObserver
from constructs_sfn.asl.services import TaskService
from constructs_sfn.local.arns import ArnScope, ParsedArn
from constructs_sfn.local.records import (
    ActivityRecord,
    AliasRecord,
    ExecutionRecord,
    RetiredTokens,
    StateMachineRecord,
    StateMachineVersion,
)

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

__all__ = ["ClientHost", "copied", "given", "no_machine_message", "with_token"]


class ClientHost(Protocol):
    """The part of the local client that its operation mixins use."""

    _sequence: int
    """How many executions the client has started (orders executions started in the same millisecond)."""

    @property
    def pause_at_timers(self) -> bool: ...

    @property
    def observer(self) -> ExecutionObserver | None: ...

    @property
    def express_history(self) -> bool: ...

    @property
    def _scope(self) -> ArnScope: ...

    @property
    def _clock(self) -> Clock: ...

    @property
    def _services(self) -> TaskService: ...

    @property
    def _seeds(self) -> random.Random: ...

    @property
    def _routing(self) -> random.Random: ...

    @property
    def _state_machines(self) -> dict[str, StateMachineRecord]: ...

    @property
    def _executions(self) -> dict[str, ExecutionRecord]: ...

    @property
    def _activities(self) -> dict[str, ActivityRecord]: ...

    @property
    def _token_owners(self) -> dict[str, ExecutionRecord]: ...

    @property
    def _retired_tokens(self) -> RetiredTokens: ...

    @property
    def _activity_backlog(self) -> dict[str, None]: ...

    @property
    def _activity_started(self) -> set[str]: ...

    # -- requests and responses (client.py) ------------------------------------------------------
    def _validate(self, operation: str, params: Mapping[str, Any]) -> None: ...

    def _error(
        self, code: str, message: str, operation: str, *, fields: Mapping[str, str] | None = None
    ) -> ClientError: ...

    def _ok(self, body: dict[str, Any]) -> dict[str, Any]: ...

    def _now(self) -> datetime: ...

    def _new_uuid(self) -> str: ...

    def _parse(self, arn: str, allowed: tuple[str, ...], operation: str) -> ParsedArn: ...

    def _page(
        self, items: list[Any], scope: str, max_results: int | None, next_token: str | None, operation: str
    ) -> tuple[list[Any], str | None]: ...

    # -- executions and their task tokens (client.py, executions.py) ------------------------------
    def _track(self, record: ExecutionRecord) -> None: ...

    def _execution(self, arn: str, operation: str) -> ExecutionRecord: ...

    def _enforce_retention(self, newest: ExecutionRecord) -> None: ...

    def _start(
        self,
        state_machine_arn: str,
        name: str | None,
        input_text: str | None,
        trace_header: str | None,
        operation: str,
        *,
        sync: bool,
    ) -> ExecutionRecord: ...

    def _map_run_child(self, arn: str) -> tuple[MapRun, Execution] | None: ...

    def _map_run_executions(
        self, arn: str, status: str | None, max_results: int | None, next_token: str | None, operation: str
    ) -> dict[str, Any]: ...

    def local_execution(self, executionArn: str) -> Execution: ...

    def start_execution(
        self,
        *,
        stateMachineArn: str,
        name: str | None = None,
        input: str | None = None,
        traceHeader: str | None = None,
    ) -> dict[str, Any]: ...

    def start_sync_execution(
        self,
        *,
        stateMachineArn: str,
        name: str | None = None,
        input: str | None = None,
        traceHeader: str | None = None,
        includedData: str | None = None,
    ) -> dict[str, Any]: ...

    def describe_execution(self, *, executionArn: str, includedData: str | None = None) -> dict[str, Any]: ...

    def advance_to_next_timer(self) -> float | None: ...

    def advance_clock(self, seconds: float) -> None: ...

    # -- state machines (state_machines.py) --------------------------------------------------------
    def _machine(self, arn: str, operation: str) -> tuple[StateMachineRecord, StateMachineVersion | None]: ...

    def _qualified(
        self, arn: str, operation: str
    ) -> tuple[StateMachineRecord, StateMachineVersion | None, AliasRecord | None]: ...

    def _publish(
        self, record: StateMachineRecord, description: str | None, revision: str, operation: str
    ) -> StateMachineVersion: ...

    def _check_tag_count(self, arn: str, tags: list[Mapping[str, str]] | None, operation: str) -> None: ...


def given(**params: Any) -> dict[str, Any]:
    """The parameters the caller passed (``None`` stands for "not given", as boto3 omits them)."""
    return {key: value for key, value in params.items() if value is not None}


def with_token(body: dict[str, Any], token: str | None) -> dict[str, Any]:
    """``body`` with the ``nextToken`` of a paged listing, when there is a next page."""
    if token is not None:
        body["nextToken"] = token
    return body


def copied(value: Any) -> Any:
    """A deep copy of a JSON-like configuration, so callers cannot change the stored one."""
    if isinstance(value, Mapping):
        return {key: copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copied(item) for item in value]
    return value


def no_machine_message(arn: str) -> str:
    """AWS's ``StateMachineDoesNotExist`` message for ``arn``."""
    return f"State Machine Does Not Exist: '{arn}'"
