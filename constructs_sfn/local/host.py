"""What the operation mixins of ``LocalStepFunctions`` need from the client they are part of.

The versions, aliases and tagging operations live in their own modules (:mod:`.versions`,
:mod:`.aliases`, :mod:`.tagging`) as mixin classes of :class:`~constructs_sfn.local.client.LocalStepFunctions`.
They share the client's state and its request/response plumbing; :class:`ClientHost` spells out
exactly which part of it, so mypy checks each mixin method against the client (as its ``self`` type).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from constructs_sfn.local.arns import ParsedArn
from constructs_sfn.local.records import ActivityRecord, StateMachineRecord, StateMachineVersion

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

__all__ = ["ClientHost", "given"]


class ClientHost(Protocol):
    """The part of the local client that its operation mixins use."""

    @property
    def _state_machines(self) -> dict[str, StateMachineRecord]: ...

    @property
    def _activities(self) -> dict[str, ActivityRecord]: ...

    def _validate(self, operation: str, params: Mapping[str, Any]) -> None: ...

    def _error(
        self, code: str, message: str, operation: str, *, fields: Mapping[str, str] | None = None
    ) -> ClientError: ...

    def _ok(self, body: dict[str, Any]) -> dict[str, Any]: ...

    def _now(self) -> datetime: ...

    def _new_uuid(self) -> str: ...

    def _parse(self, arn: str, allowed: tuple[str, ...], operation: str) -> ParsedArn: ...

    def _machine(self, arn: str, operation: str) -> tuple[StateMachineRecord, StateMachineVersion | None]: ...

    def _publish(
        self, record: StateMachineRecord, description: str | None, revision: str, operation: str
    ) -> StateMachineVersion: ...

    def _page(
        self, items: list[Any], scope: str, max_results: int | None, next_token: str | None, operation: str
    ) -> tuple[list[Any], str | None]: ...


def given(**params: Any) -> dict[str, Any]:
    """The parameters the caller passed (``None`` stands for "not given", as boto3 omits them)."""
    return {key: value for key, value in params.items() if value is not None}
