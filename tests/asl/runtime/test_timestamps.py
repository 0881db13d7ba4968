"""Timestamp parsing and formatting as Step Functions does it (ISO_OFFSET_DATE_TIME, Instant)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta, timezone

import pytest

from constructs_sfn.asl.runtime.timestamps import (
    format_timestamp,
    is_timestamp,
    parse_timestamp,
    parse_timestamp_ns,
)

VALID = [
    "2016-03-14T01:59:00Z",
    "2016-03-05T21:29:29.243167252Z",  # nanoseconds
    "2023-12-13T07:09:46.000000Z",
    "2023-12-13T07:10:01.00Z",
    "2012-10-09T19:00:55+01:00",
    "2012-10-09T19:00:55-05:30",
    "2012-10-09T19:00:55+01",  # offset hours only (Java parses offsets leniently)
    "2012-10-09T19:00:55+01:00:30",  # offset with seconds
    "2012-10-09T19:00Z",  # seconds are optional in ISO_LOCAL_TIME
    "2016-03-14t01:59:00z",  # the formatter is case-insensitive
    "2016-02-29T00:00:00Z",  # leap day
    "2000-02-29T23:59:59.999999999Z",
    "2016-03-14T01:59:00+18:00",
    "2016-03-14T01:59:00-18:00",
]

INVALID = [
    "2023-12-13T07:10:32.000000",  # no offset
    "2016-12-05T21:29:29",
    "2016-12-05 21:29:29Z",  # space instead of T
    "2016-13-05T21:29:29Z",  # month 13
    "2016-12-05T25:29:29Z",  # hour 25
    "05-12-2016T21:29:29Z",
    "2023-02-24",
    "2023-02-24 12:15:56.832957",
    "2015-02-29T00:00:00Z",  # not a leap year
    "1900-02-29T00:00:00Z",  # century rule
    "2016-04-31T00:00:00Z",
    "2016-03-14T24:00:00Z",  # strict resolver: no 24:00
    "2016-03-14T01:60:00Z",
    "2016-03-14T01:59:60Z",  # no leap seconds
    "2016-03-14T01:59:00.Z",  # a decimal point needs digits
    "2016-03-14T01:59:00.1234567890Z",  # at most nine fraction digits
    "2016-03-14T01:59.5Z",  # a fraction needs seconds
    "2016-03-14T01:59:00+18:01",  # beyond +-18:00
    "2016-03-14T01:59:00+19:00",
    "2016-03-14T01:59:00+0100",  # colons are required in the offset
    "2016-03-14T01:59:00+01:60",
    " 2016-03-14T01:59:00Z",
    "2016-03-14T01:59:00Z ",
    "2016-03-14T01:59:00Z\n",
    "16-03-14T01:59:00Z",
    "+2016-03-14T01:59:00Z",
    "\uff12016-03-14T01:59:00Z",  # non-ASCII digit
    "",
    "Z",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_timestamps(text: str) -> None:
    assert is_timestamp(text)
    assert parse_timestamp_ns(text) is not None
    assert parse_timestamp(text) is not None


@pytest.mark.parametrize("text", INVALID)
def test_invalid_timestamps(text: str) -> None:
    assert not is_timestamp(text)
    assert parse_timestamp_ns(text) is None
    assert parse_timestamp(text) is None


def test_ns_is_exact_epoch_nanoseconds() -> None:
    seconds = calendar.timegm((2016, 3, 5, 21, 29, 29))
    assert parse_timestamp_ns("2016-03-05T21:29:29.243167252Z") == seconds * 10**9 + 243_167_252
    assert parse_timestamp_ns("1970-01-01T00:00:00Z") == 0
    assert parse_timestamp_ns("1969-12-31T23:59:59.999999999Z") == -1


def test_offsets_are_applied() -> None:
    assert parse_timestamp_ns("2012-10-09T19:00:55+01:00") == parse_timestamp_ns("2012-10-09T18:00:55Z")
    assert parse_timestamp_ns("2012-10-09T19:00:55-05:30") == parse_timestamp_ns("2012-10-10T00:30:55Z")
    assert parse_timestamp_ns("2012-10-09T19:00:55+01:00:30") == parse_timestamp_ns("2012-10-09T17:59:55-00:00:30")


def test_fraction_digits_scale_to_nanoseconds() -> None:
    base = parse_timestamp_ns("2020-01-01T00:00:00Z")
    assert base is not None
    assert parse_timestamp_ns("2020-01-01T00:00:00.5Z") == base + 500_000_000
    assert parse_timestamp_ns("2020-01-01T00:00:00.000000001Z") == base + 1


def test_year_zero_has_an_instant_but_no_datetime() -> None:
    assert parse_timestamp_ns("0000-01-01T00:00:00Z") == -62_167_219_200 * 10**9
    assert parse_timestamp("0000-01-01T00:00:00Z") is None


def test_parse_timestamp_keeps_the_offset_and_truncates_to_microseconds() -> None:
    parsed = parse_timestamp("2016-03-05T21:29:29.243167252+02:00")
    assert parsed == datetime(2016, 3, 5, 21, 29, 29, 243167, tzinfo=timezone(timedelta(hours=2)))
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=2)
    utc = parse_timestamp("2016-03-05T21:29:29z")
    assert utc is not None
    assert utc.tzinfo is UTC


def test_format_timestamp_prints_milliseconds_in_utc() -> None:
    moment = datetime(2024, 1, 2, 3, 4, 5, 678_901, tzinfo=UTC)
    assert format_timestamp(moment) == "2024-01-02T03:04:05.678Z"
    assert format_timestamp(datetime(2024, 1, 2, 3, 4, 5, 10_000, tzinfo=UTC)) == "2024-01-02T03:04:05.010Z"


def test_format_timestamp_drops_a_zero_fraction() -> None:
    # AWS (Java Instant.toString) prints no ".000" when the milliseconds are zero.
    assert format_timestamp(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    assert format_timestamp(datetime(2024, 1, 2, 3, 4, 5, 999, tzinfo=UTC)) == "2024-01-02T03:04:05Z"


def test_format_timestamp_converts_offsets_and_treats_naive_as_utc() -> None:
    east = datetime(2024, 1, 2, 3, 4, 5, 123_000, tzinfo=timezone(timedelta(hours=5)))
    assert format_timestamp(east) == "2024-01-01T22:04:05.123Z"
    assert format_timestamp(datetime(2024, 1, 2, 3, 4, 5, 123_000)) == "2024-01-02T03:04:05.123Z"
    assert format_timestamp(datetime(999, 1, 1, tzinfo=UTC)) == "0999-01-01T00:00:00Z"


def test_format_then_parse_round_trips_to_the_millisecond() -> None:
    moment = datetime(2031, 7, 8, 9, 10, 11, 12_000, tzinfo=UTC)
    assert parse_timestamp(format_timestamp(moment)) == moment
