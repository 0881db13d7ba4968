"""Execution history events, shaped exactly as ``GetExecutionHistory`` returns them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = ["DETAILS_KEY", "History"]

# Event type -> the key its details live under, for the types whose key is not derivable.
DETAILS_KEY: dict[str, str] = {}


def _details_key(event_type: str) -> str:
    key = DETAILS_KEY.get(event_type)
    if key is None:
        if event_type.endswith("StateEntered"):
            key = "stateEnteredEventDetails"
        elif event_type.endswith("StateExited"):
            key = "stateExitedEventDetails"
        else:
            key = event_type[0].lower() + event_type[1:] + "EventDetails"
        DETAILS_KEY[event_type] = key
    return key


class History:
    """An append-only event list with ids and previous-event links."""

    __slots__ = ("_count", "enabled", "events", "limit")

    def __init__(self, *, enabled: bool = True, limit: int = 25_000) -> None:
        self.enabled = enabled
        """False: ids are still counted (causes name them) but no event is kept."""
        self.events: list[dict[str, Any]] = []
        self.limit = limit
        self._count = 0

    @property
    def last_id(self) -> int:
        """Id of the newest event (0 when empty)."""
        return self._count

    def add(self, event_type: str, timestamp: datetime, previous: int, details: dict[str, Any] | None = None) -> int:
        """Append an event; returns its id."""
        self._count += 1
        event_id = self._count
        if not self.enabled:
            return event_id
        event: dict[str, Any] = {
            "timestamp": timestamp,
            "type": event_type,
            "id": event_id,
            "previousEventId": previous,
        }
        if details is not None:
            event[DETAILS_KEY.get(event_type) or _details_key(event_type)] = details
        self.events.append(event)
        return event_id
