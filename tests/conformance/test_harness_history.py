"""History comparison: ordered outside Map/Parallel, multiset inside, ids normalised only there."""

from __future__ import annotations

import copy
import json
from typing import Any

from conformance_harness.history import compare_history, normalise_actual_events, split_sections
from conformance_harness.matching import MatchContext


def _event(id_: Any, prev: Any, type_: str, **details: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"id": id_, "previousEventId": prev, "timestamp": "timestamp", "type": type_}
    event.update(details)
    return event


def _entered(id_: Any, prev: Any, type_: str, name: str, value: Any) -> dict[str, Any]:
    details = {"input": value, "inputDetails": {"truncated": False}, "name": name}
    return _event(id_, prev, type_, stateEnteredEventDetails=details)


def _exited(id_: Any, prev: Any, type_: str, name: str, value: Any) -> dict[str, Any]:
    details = {"name": name, "output": value, "outputDetails": {"truncated": False}}
    return _event(id_, prev, type_, stateExitedEventDetails=details)


def _parallel_history() -> list[dict[str, Any]]:
    return [
        _event(1, 0, "ExecutionStarted", executionStartedEventDetails={"input": {}, "roleArn": "r"}),
        _entered(2, 0, "ParallelStateEntered", "P", {}),
        _event(3, 2, "ParallelStateStarted"),
        _entered(4, 3, "PassStateEntered", "A", {}),
        _entered(5, 3, "PassStateEntered", "B", {}),
        _exited(6, 4, "PassStateExited", "A", 1),
        _exited(7, 5, "PassStateExited", "B", 2),
        _event(8, 7, "ParallelStateSucceeded"),
        _exited(9, 7, "ParallelStateExited", "P", [1, 2]),
        _event(10, 9, "ExecutionSucceeded", executionSucceededEventDetails={"output": [1, 2]}),
    ]


def _as_actual(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a client returns: JSON text in input/output, real timestamps."""
    actual = copy.deepcopy(events)
    for event in actual:
        event["timestamp"] = "2024-05-01T10:00:00.000Z"
        for key, details in event.items():
            if key.endswith("EventDetails"):
                for field in ("input", "output"):
                    if field in details:
                        details[field] = json.dumps(details[field], separators=(",", ":"))
    return normalise_actual_events(actual)


def test_identical_history_matches() -> None:
    expected = _parallel_history()
    assert compare_history(expected, _as_actual(expected), MatchContext()) == []


def test_sections_are_split_at_started_and_closing_events() -> None:
    items = split_sections(_parallel_history())
    kinds = [type(item).__name__ if not isinstance(item, dict) else item["type"] for item in items]
    assert kinds == [
        "ExecutionStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "_Section",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]


def test_interleaving_inside_a_section_is_free() -> None:
    expected = _parallel_history()
    reordered = copy.deepcopy(expected)
    reordered[3:7] = [reordered[4], reordered[6], reordered[3], reordered[5]]
    for new_id, event in enumerate(reordered, start=1):
        event["id"] = new_id
    assert compare_history(expected, _as_actual(reordered), MatchContext()) == []


def test_a_changed_event_inside_a_section_is_reported() -> None:
    expected = _parallel_history()
    actual = copy.deepcopy(expected)
    actual[5]["stateExitedEventDetails"]["output"] = 99
    problems = compare_history(expected, _as_actual(actual), MatchContext())
    assert any("section 0" in p for p in problems)


def test_an_extra_event_inside_a_section_is_reported() -> None:
    expected = _parallel_history()
    actual = copy.deepcopy(expected)
    actual.insert(7, _exited(8, 7, "PassStateExited", "B", 2))
    for new_id, event in enumerate(actual, start=1):
        event["id"] = new_id
    problems = compare_history(expected, _as_actual(actual), MatchContext())
    assert any("extra events" in p for p in problems)


def test_order_outside_sections_is_strict() -> None:
    expected = [
        _event(1, 0, "ExecutionStarted", executionStartedEventDetails={"input": {}, "roleArn": "r"}),
        _entered(2, 0, "PassStateEntered", "A", {}),
        _exited(3, 2, "PassStateExited", "A", {}),
        _entered(4, 3, "PassStateEntered", "B", {}),
        _exited(5, 4, "PassStateExited", "B", {}),
    ]
    swapped = copy.deepcopy(expected)
    swapped[1:3], swapped[3:5] = swapped[3:5], swapped[1:3]
    assert compare_history(expected, _as_actual(swapped), MatchContext())


def test_ids_outside_sections_are_strict() -> None:
    expected = _parallel_history()
    actual = copy.deepcopy(expected)
    actual[9]["previousEventId"] = 8
    problems = compare_history(expected, _as_actual(actual), MatchContext())
    assert problems == ["event 10 ExecutionSucceeded: previousEventId expected 9, got 8"]


def test_previous_id_into_a_section_only_needs_to_point_into_the_section() -> None:
    expected = _parallel_history()
    actual = copy.deepcopy(expected)
    actual[8]["previousEventId"] = 6  # another event of the same section
    assert compare_history(expected, _as_actual(actual), MatchContext()) == []
    actual[8]["previousEventId"] = 2  # outside the section
    assert compare_history(expected, _as_actual(actual), MatchContext())


def test_lossy_recordings_need_only_their_events_inside_sections() -> None:
    full = _parallel_history()
    lossy = copy.deepcopy(full)
    del lossy[7]  # the snapshot tool dropped ParallelStateSucceeded
    del lossy[4]  # and de-duplicated an inner event
    for event in lossy[3:6]:
        event["id"] = event["previousEventId"] = "[0]"
    assert compare_history(lossy, _as_actual(full), MatchContext(), lossy_sections=True) == []
    assert compare_history(lossy, _as_actual(full), MatchContext())
    changed = copy.deepcopy(full)
    changed[3]["stateEnteredEventDetails"]["name"] = "Z"
    assert compare_history(lossy, _as_actual(changed), MatchContext(), lossy_sections=True)


def test_missing_events_change_the_shape() -> None:
    expected = _parallel_history()
    problems = compare_history(expected, _as_actual(expected[:-1]), MatchContext())
    assert problems
    assert "event sequence differs" in problems[0]


def test_event_details_are_strict() -> None:
    expected = _parallel_history()
    actual = copy.deepcopy(expected)
    actual[0]["executionStartedEventDetails"]["extra"] = 1
    assert compare_history(expected, _as_actual(actual), MatchContext())
