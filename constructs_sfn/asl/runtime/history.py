"""Execution history events, shaped exactly as ``GetExecutionHistory`` returns them."""

from __future__ import annotations

import gc
from datetime import datetime
from typing import Any, Final

__all__ = ["DETAILS_KEY", "NOT_TRUNCATED", "History"]

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
    """An append-only event list with ids and previous-event links.

    Events are kept in a compact form (tuples of plain values) until somebody reads :attr:`events`,
    then turned into ``GetExecutionHistory``'s dicts once. A dict that holds another dict is tracked
    by Python's cycle collector, and an execution's history is thousands of them: kept as tuples, a
    finished execution that nobody reads costs the collector nothing (half the run time of a
    1,000-item Map went to collecting histories kept as dicts).
    """

    __slots__ = ("_count", "_events", "_pending", "enabled", "limit")

    def __init__(self, *, enabled: bool = True, limit: int = 25_000) -> None:
        self.enabled = enabled
        """False: ids are still counted (causes name them) but no event is kept."""
        self.limit = limit
        self._count = 0
        self._events: list[dict[str, Any]] = []
        """The events already turned into dicts (a prefix of the history)."""
        self._pending: list[tuple[Any, ...]] = []
        """The newer events, compact: (type, timestamp, previous id, details key, frozen details)."""

    @property
    def last_id(self) -> int:
        """Id of the newest event (0 when empty)."""
        return self._count

    @property
    def events(self) -> list[dict[str, Any]]:
        """The events, shaped exactly as ``GetExecutionHistory`` returns them (oldest first)."""
        pending = self._pending
        if pending:
            events = self._events
            first_id = len(events) + 1
            for offset, (event_type, timestamp, previous, key, frozen) in enumerate(pending):
                event: dict[str, Any] = {
                    "timestamp": timestamp,
                    "type": event_type,
                    "id": first_id + offset,
                    "previousEventId": previous,
                }
                if key is not None:
                    event[key] = _thaw(frozen) if type(frozen) is tuple else _copied(frozen)
                events.append(event)
            pending.clear()
        return self._events

    def previous_of(self, event_id: int) -> int:
        """The ``previousEventId`` of event ``event_id``."""
        materialized = len(self._events)
        if event_id <= materialized:
            return int(self._events[event_id - 1]["previousEventId"])
        return int(self._pending[event_id - materialized - 1][2])

    def add(self, event_type: str, timestamp: datetime, previous: int, details: dict[str, Any] | None = None) -> int:
        """Append an event; returns its id.

        ``details`` holding only plain values (and :data:`NOT_TRUNCATED` for a ``...Details`` value)
        is kept as it is; one holding other dicts or lists is frozen into tuples.
        """
        self._count += 1
        if self.enabled:
            if details is None:
                self._pending.append((event_type, timestamp, previous, None, None))
            else:
                key = DETAILS_KEY.get(event_type) or _details_key(event_type)
                kept = _freeze(details) if gc.is_tracked(details) else details
                self._pending.append((event_type, timestamp, previous, key, kept))
        return self._count


NOT_TRUNCATED: Final = "\x00not truncated"
"""Stands for ``{"truncated": False}`` as the value of an ``inputDetails``/``outputDetails``/
``assignedVariablesDetails`` key: a details dict holding only plain values is not tracked by the
cycle collector and is kept without freezing (the events of every state carry one)."""

_DICT = "\x00dict"
_LIST = "\x00list"


def _freeze(details: dict[str, Any]) -> tuple[Any, ...]:
    """``details`` as a flat tuple ``(key, value, key, value, ...)`` of plain values, nested dicts
    and lists as tagged tuples: tuples of plain values are left alone by the cycle collector."""
    flat: list[Any] = []
    for key, item in details.items():
        kind = type(item)
        if kind is dict:
            item = (_DICT, *_freeze(item))
        elif kind is list or kind is tuple:
            item = (_LIST, *[_frozen_value(element) for element in item])
        flat.append(key)
        flat.append(item)
    return tuple(flat)


def _frozen_value(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return (_DICT, *_freeze(value))
    if kind is list or kind is tuple:
        return (_LIST, *[_frozen_value(element) for element in value])
    return value


def _copied(details: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of details kept as they were given, :data:`NOT_TRUNCATED` made a dict."""
    return {key: {"truncated": False} if item is NOT_TRUNCATED else item for key, item in details.items()}


def _thaw(frozen: tuple[Any, ...], start: int = 0) -> dict[str, Any]:
    """The details dict :func:`_freeze` froze (``start``: where its pairs begin in ``frozen``)."""
    details: dict[str, Any] = {}
    for index in range(start, len(frozen), 2):
        item = frozen[index + 1]
        if type(item) is tuple:
            item = _thawed_value(item)
        elif item is NOT_TRUNCATED:
            item = {"truncated": False}
        details[frozen[index]] = item
    return details


def _thawed_value(frozen: tuple[Any, ...]) -> Any:
    if frozen[0] == _DICT:
        return _thaw(frozen, 1)
    return [_thawed_value(element) if type(element) is tuple else element for element in frozen[1:]]
