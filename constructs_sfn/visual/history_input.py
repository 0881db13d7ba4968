"""Execution history as users hand it to us: checked, ordered, with real timestamps.

:func:`read_history` accepts what ``GetExecutionHistory`` returns through boto3, the AWS CLI or
:class:`~constructs_sfn.local.LocalStepFunctions` (``{"events": [...]}``, in either order), a bare
list of events, or :attr:`Execution.events <constructs_sfn.asl.Execution.events>`. Timestamps may
be ``datetime`` objects, ISO 8601 text (the AWS CLI's form, ``Z`` or an offset) or epoch seconds
(boto3 JSON-dumped with ``default=str`` gives ``2024-01-01 00:00:00+00:00``, also accepted). A
shape that is not a history raises :class:`HistoryError` naming the JSON pointer of the problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["HistoryError", "HistoryEvent", "read_history", "parse_timestamp"]


class HistoryError(Exception):
    """Input that is not an execution history; the message starts with the JSON pointer."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer or '/'}: {message}")
        self.pointer = pointer


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One history event: its id, type, parent event, timestamp and type-specific details."""

    id: int
    type: str
    previous_id: int
    timestamp: datetime | None
    details: Mapping[str, Any]
    """The event's ``...EventDetails`` object (empty when it has none)."""


def read_history(value: Any) -> list[HistoryEvent]:
    """The events of a history in id order; raises :class:`HistoryError` for any other shape."""
    base = ""
    if isinstance(value, Mapping):
        if "events" not in value:
            raise HistoryError("", "expected an execution history: an object with 'events' or a list of events")
        value, base = value["events"], "/events"
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise HistoryError(base, f"expected a list of history events, got {_kind(value)}")
    events: list[HistoryEvent] = []
    seen: set[int] = set()
    for index, raw in enumerate(value):
        pointer = f"{base}/{index}"
        if not isinstance(raw, Mapping):
            raise HistoryError(pointer, f"expected a history event (an object), got {_kind(raw)}")
        event_type = raw.get("type")
        if not isinstance(event_type, str) or not event_type:
            raise HistoryError(f"{pointer}/type", "expected the event type as text, e.g. 'TaskStateEntered'")
        event_id = raw.get("id")
        if not isinstance(event_id, int) or isinstance(event_id, bool) or event_id < 1:
            raise HistoryError(f"{pointer}/id", f"expected a positive whole number, got {_kind(event_id)}")
        if event_id in seen:
            raise HistoryError(f"{pointer}/id", f"event id {event_id} appears twice")
        seen.add(event_id)
        previous = raw.get("previousEventId", 0)
        if not isinstance(previous, int) or isinstance(previous, bool):
            raise HistoryError(f"{pointer}/previousEventId", f"expected a whole number, got {_kind(previous)}")
        stamp = raw.get("timestamp")
        try:
            timestamp = None if stamp is None else parse_timestamp(stamp)
        except ValueError as error:
            raise HistoryError(f"{pointer}/timestamp", str(error)) from None
        details: Mapping[str, Any] = {}
        for key, item in raw.items():
            if key.endswith("EventDetails"):
                if not isinstance(item, Mapping):
                    raise HistoryError(f"{pointer}/{key}", f"expected an object, got {_kind(item)}")
                details = item
        events.append(HistoryEvent(event_id, event_type, previous, timestamp, details))
    events.sort(key=lambda event: event.id)  # reverseOrder=true histories read the same
    return events


def parse_timestamp(value: Any) -> datetime:
    """A history timestamp as an aware ``datetime`` (naive ones are taken as UTC)."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            stamp = datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise ValueError(f"epoch seconds out of range: {value!r}") from error
    elif isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"expected an ISO 8601 timestamp or epoch seconds, got {value[:60]!r}") from None
    else:
        raise ValueError(f"expected an ISO 8601 timestamp or epoch seconds, got {_kind(value)}")
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__
