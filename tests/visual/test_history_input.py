"""History input: the shapes GetExecutionHistory comes in, and clear errors for anything else.

Event fields as in https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
(id, previousEventId, timestamp, type, one ...EventDetails object).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from constructs_sfn.visual import HistoryError, read_history
from constructs_sfn.visual.history_input import parse_timestamp

EVENTS = [
    {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": "2024-01-01T00:00:00Z"},
    {
        "id": 2,
        "previousEventId": 1,
        "type": "PassStateEntered",
        "timestamp": 1704067201.5,
        "stateEnteredEventDetails": {"name": "P", "input": "{}"},
    },
]


def test_events_object_list_and_reverse_order_read_the_same() -> None:
    forward = read_history({"events": EVENTS})
    assert [event.id for event in forward] == [1, 2]
    assert [event.id for event in read_history(list(reversed(EVENTS)))] == [1, 2]
    assert forward[1].details == {"name": "P", "input": "{}"}
    assert forward[0].timestamp == datetime(2024, 1, 1, tzinfo=UTC)
    assert forward[1].timestamp == datetime(2024, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)


def test_timestamp_forms() -> None:
    assert parse_timestamp("2024-01-01 00:00:00+00:00") == datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_timestamp(datetime(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)  # naive is UTC
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_timestamp("yesterday")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"Events": []}, "/: expected an execution history"),
        ({"events": "x"}, "/events: expected a list of history events, got text"),
        ([1], "/0: expected a history event"),
        ([{"id": 1}], "/0/type: expected the event type"),
        ([{"id": True, "type": "X"}], "/0/id: expected a positive whole number, got a boolean"),
        ([{"id": 1, "type": "X"}, {"id": 1, "type": "Y"}], "/1/id: event id 1 appears twice"),
        ([{"id": 1, "type": "X", "timestamp": "noon"}], "/0/timestamp: expected an ISO 8601"),
        ([{"id": 1, "type": "X", "taskFailedEventDetails": []}], "/0/taskFailedEventDetails: expected an object"),
    ],
)
def test_bad_histories_name_the_pointer(value: object, message: str) -> None:
    with pytest.raises(HistoryError) as raised:
        read_history(value)
    assert str(raised.value).startswith(message)
