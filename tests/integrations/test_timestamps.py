from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from constructs_sfn.integrations.timestamps import epoch_millis, instant_text, to_datetime

MOMENT = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (MOMENT, "2024-05-01T12:00:00Z"),
        (MOMENT.replace(microsecond=120_000), "2024-05-01T12:00:00.120Z"),
        (MOMENT.replace(microsecond=123_456), "2024-05-01T12:00:00.123456Z"),
        (datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))), "2024-05-01T12:00:00Z"),
        ("2024-05-01T12:00:00+00:00", "2024-05-01T12:00:00Z"),
        (1714564800, "2024-05-01T12:00:00Z"),
        ("not a date", "not a date"),
        (True, True),
    ],
)
def test_instant_text(value: object, expected: object) -> None:
    assert instant_text(value) == expected


def test_epoch_millis() -> None:
    assert epoch_millis(MOMENT.replace(microsecond=123_000)) == 1714564800123
    assert epoch_millis(datetime(2024, 5, 1, 12, 0)) == 1714564800000  # naive means UTC
    assert epoch_millis(None) is None


def test_to_datetime_rejects_non_dates() -> None:
    assert to_datetime([1]) is None
    assert to_datetime("2024-13-01") is None
