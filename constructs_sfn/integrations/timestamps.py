"""Timestamps the way Step Functions renders them inside task results.

Optimized integrations serialize dates as epoch milliseconds (``"StartDate": 1700000000123``),
SDK integrations as ISO-8601 instants in UTC (``"LastModified": "2024-05-01T12:00:00Z"``, with
milliseconds only when there are any, like ``java.time.Instant.toString``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

__all__ = ["epoch_millis", "instant_text", "to_datetime"]


def to_datetime(value: Any) -> datetime | None:
    """A timezone-aware datetime from a datetime, ISO-8601 text or epoch seconds; None otherwise."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return None


def epoch_millis(value: Any) -> Any:
    """Epoch milliseconds for a timestamp; anything else is returned unchanged."""
    moment = to_datetime(value)
    if moment is None:
        return value
    return round(moment.timestamp() * 1000)


def instant_text(value: Any) -> Any:
    """``2024-05-01T12:00:00Z`` / ``...:00.120Z`` for a timestamp; anything else unchanged."""
    moment = to_datetime(value)
    if moment is None:
        return value
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    micros = moment.microsecond
    if micros:
        text += f".{micros // 1000:03d}" if micros % 1000 == 0 else f".{micros:06d}"
    return text + "Z"
