"""Timestamps as Step Functions reads and writes them.

Reading: AWS parses timestamps (Choice ``Timestamp*`` / ``IsTimestamp``, Wait ``Timestamp`` /
``TimestampPath``) with Java's ``ISO_OFFSET_DATE_TIME`` - its causes say "ISO-8601 extended offset
date-time format". So we accept exactly that grammar, not a looser ISO 8601 reader:

* ``YYYY-MM-DD`` then ``T`` then ``hh:mm``, optional ``:ss``, optional ``.f`` (1-9 digits, only
  after seconds), then an offset: ``Z``, ``+hh``, ``+hh:mm`` or ``+hh:mm:ss`` (or ``-``).
* The formatter parses case-insensitively, so ``t`` and ``z`` are accepted too.
* Fields are resolved strictly: month 13, day 31 of April, hour 24, second 60 and offsets beyond
  18 hours are invalid. Digits are ASCII only; no surrounding whitespace; no space for ``T``.

The recorded corpus confirms the edges it covers: ``.000000Z``, ``.00Z`` and nanoseconds are
valid; a missing offset, a space instead of ``T``, month 13, hour 25 and ``DD-MM-YYYY`` are not.

Writing: the context object (``$$.Execution.StartTime``, ``$$.State.EnteredTime``) carries
millisecond instants in UTC printed like Java's ``Instant.toString``: ``2024-01-02T03:04:05.678Z``,
and without a fraction when the milliseconds are zero (``2024-01-02T03:04:05Z``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Final

__all__ = [
    "format_timestamp",
    "is_timestamp",
    "parse_timestamp",
    "parse_timestamp_ns",
]

_TIMESTAMP: Final = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,9}))?)?"
    r"(?:[Zz]|(?P<sign>[+-])(?P<off_h>[0-9]{2})(?::(?P<off_m>[0-9]{2})(?::(?P<off_s>[0-9]{2}))?)?)"
)

_DAYS_IN_MONTH: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MAX_OFFSET_SECONDS: Final = 18 * 3600
_NANOS_PER_SECOND: Final = 1_000_000_000
# Day number of 1970-01-01 in the proleptic Gregorian ordinal used by _days_from_civil.
_EPOCH_DAYS: Final = 719_468


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 (Hinnant's algorithm; valid for year 0 too, unlike ``date``)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - _EPOCH_DAYS


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _split(text: str) -> tuple[int, int, int, int, int, int, int, int] | None:
    """The fields of a valid timestamp: date, time, nanoseconds and offset seconds, else None."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year = int(match["year"])
    month = int(match["month"])
    day = int(match["day"])
    hour = int(match["hour"])
    minute = int(match["minute"])
    second = int(match["second"] or 0)
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 59:
        return None
    days_in_month = 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month]
    if not 1 <= day <= days_in_month:
        return None
    fraction = match["fraction"]
    nanos = int(fraction.ljust(9, "0")) if fraction else 0
    offset = 0
    if match["sign"] is not None:
        off_h = int(match["off_h"])
        off_m = int(match["off_m"] or 0)
        off_s = int(match["off_s"] or 0)
        if off_h > 18 or off_m > 59 or off_s > 59:
            return None
        offset = off_h * 3600 + off_m * 60 + off_s
        if offset > _MAX_OFFSET_SECONDS:
            return None
        if match["sign"] == "-":
            offset = -offset
    return year, month, day, hour, minute, second, nanos, offset


@lru_cache(maxsize=4096)
def parse_timestamp_ns(text: str) -> int | None:
    """Nanoseconds since the Unix epoch of a timestamp AWS accepts, or None if it is not one.

    Exact (no float, no microsecond truncation), so Choice comparisons see the instants AWS sees.
    Cached because loops re-test the same strings.
    """
    fields = _split(text)
    if fields is None:
        return None
    year, month, day, hour, minute, second, nanos, offset = fields
    seconds = _days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    return seconds * _NANOS_PER_SECOND + nanos


def is_timestamp(text: str) -> bool:
    """Whether ``text`` is a timestamp AWS accepts (what Choice ``IsTimestamp`` tests)."""
    return parse_timestamp_ns(text) is not None


def parse_timestamp(text: str) -> datetime | None:
    """An aware ``datetime`` (in the text's own offset) for a timestamp AWS accepts, else None.

    Python datetimes stop at microseconds, so digits beyond the sixth are dropped (AWS's waits
    are second-granular anyway); use :func:`parse_timestamp_ns` for exact comparisons. Year 0000,
    valid for AWS, has no ``datetime`` and yields None.
    """
    fields = _split(text)
    if fields is None:
        return None
    year, month, day, hour, minute, second, nanos, offset = fields
    if year == 0:
        return None
    zone = UTC if offset == 0 else timezone(timedelta(seconds=offset))
    return datetime(year, month, day, hour, minute, second, nanos // 1000, tzinfo=zone)


def format_timestamp(moment: datetime) -> str:
    """``moment`` as AWS prints context-object times: UTC, milliseconds, no ``.000``.

    A naive ``moment`` is taken to be UTC (the executor's clocks are UTC).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    millis = utc.microsecond // 1000
    text = f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}"
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"
