"""The worked examples of the developer guide's Wait state page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-wait-state.html

(The page describes ``2016-03-14T01:59:00Z`` as "1:59 PM UTC"; the timestamp is 1:59 AM.)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from docs_support import run, seconds_of

from constructs_sfn.asl import DefinitionError, Execution, VirtualClock, parse_definition


def waiting(state: dict[str, Any], name: str = "wait_ten_seconds") -> dict[str, Any]:
    """The page's Wait state followed by its ``NextState``."""
    return {"StartAt": name, "States": {name: {**state, "Next": "NextState"}, "NextState": {"Type": "Succeed"}}}


def test_seconds_delays_the_next_state() -> None:
    """``"Seconds": 10`` starts ``NextState`` ten seconds after the Wait state began."""
    execution = run(waiting({"Type": "Wait", "Seconds": 10}), {"a": 1})

    assert seconds_of(execution, "WaitStateExited") == [10]
    assert seconds_of(execution, "SucceedStateEntered") == [10]
    assert execution.output == {"a": 1}


def test_a_timestamp_in_the_past_does_not_wait() -> None:
    """The page's ``wait_until`` 2016-03-14T01:59:00Z lies in the past of any execution today: no delay."""
    execution = run(waiting({"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z"}, "wait_until"), {})

    assert execution.status == "SUCCEEDED"
    assert seconds_of(execution, "WaitStateExited") == [0]


def test_timestamp_path_waits_until_the_selected_instant() -> None:
    """``TimestampPath`` ``$.expirydate`` reads the instant from the input; an hour ahead of the
    execution's start, the Wait state ends an hour later.
    """
    clock = VirtualClock.fixed()
    expiry = (clock.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    definition = parse_definition(waiting({"Type": "Wait", "TimestampPath": "$.expirydate"}, "wait_until"))

    execution = Execution(definition, {"expirydate": expiry}, clock=clock).run()

    assert execution.status == "SUCCEEDED"
    assert seconds_of(execution, "WaitStateExited") == [3600]


def test_seconds_path_reads_the_delay_from_the_input() -> None:
    """``SecondsPath`` selects the number of seconds from the state's input."""
    execution = run(waiting({"Type": "Wait", "SecondsPath": "$.delay"}), {"delay": 42})

    assert seconds_of(execution, "WaitStateExited") == [42]


@pytest.mark.parametrize(
    "fields",
    [{}, {"Seconds": 1, "Timestamp": "2016-03-14T01:59:00Z"}, {"Seconds": 1, "SecondsPath": "$.s"}],
    ids=["none", "seconds-and-timestamp", "seconds-and-seconds-path"],
)
def test_exactly_one_way_of_waiting(fields: dict[str, Any]) -> None:
    """Exactly one of Seconds, Timestamp, SecondsPath or TimestampPath must be given."""
    with pytest.raises(DefinitionError):
        parse_definition(waiting({"Type": "Wait", **fields}))


@pytest.mark.parametrize("timestamp", ["2016-03-14t01:59:00Z", "2016-03-14T01:59:00z", "2016-03-14 01:59:00Z"])
def test_a_timestamp_needs_upper_case_t_and_z(timestamp: str) -> None:
    """The Timestamp must follow RFC 3339 with an upper-case ``T`` between date and time and an
    upper-case ``Z``: anything else is an invalid definition.
    """
    with pytest.raises(DefinitionError):
        parse_definition(waiting({"Type": "Wait", "Timestamp": timestamp}))


def test_a_timestamp_path_to_a_non_timestamp_fails_at_run_time() -> None:
    """A TimestampPath value that is not such a timestamp fails the execution (``States.Runtime``)."""
    execution = run(waiting({"Type": "Wait", "TimestampPath": "$.expirydate"}, "wait_until"), {"expirydate": "soon"})

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "$.expirydate" in (execution.cause or "")
