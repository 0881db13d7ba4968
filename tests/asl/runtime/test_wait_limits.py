"""Wait durations and timestamps at run time: ranges, precision, formats and AWS's causes.

Docs: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
- ``Seconds``: an integer from 0 to 99999999; "In JSONata states, you can also specify a JSONata
  expression which must evaluate to an integer within the stated range".
- ``Timestamp``: RFC 3339 with an upper-case ``T`` and ``Z``; "Step Functions considers the time value
  up to seconds and truncates milliseconds".
- "the maximum wait time that you can specify for Standard Workflows and Express workflows is one
  year and five minutes respectively" (the execution limits: ``test_standard_limits.py``).
At run time ``TimestampPath`` values are read by Java's ISO offset date-time parser (the causes name
it: "ISO-8601 extended offset date-time format"), which is looser than the create-time check.
"""

from __future__ import annotations

import pytest
from runtime_support import execute, offsets, one, single

WAIT_PREFIX = "An error occurred while executing the state 'S' (entered at the event id #2). "


def _exit_offset(state: dict[str, object], input_value: object = None) -> float:
    execution = execute(single(state), input_value)
    assert execution.status == "SUCCEEDED", execution.cause
    return offsets([one(execution, "WaitStateExited")])[0]


@pytest.mark.parametrize(
    ("state", "input_value"),
    [
        ({"Type": "Wait", "Timestamp": "2024-01-01T00:00:10.999Z"}, None),
        ({"Type": "Wait", "TimestampPath": "$.t"}, {"t": "2024-01-01T00:00:10.999999999Z"}),
    ],
    ids=["Timestamp", "TimestampPath"],
)
def test_a_timestamp_is_read_to_the_second(state: dict[str, object], input_value: object) -> None:
    """state-wait.html: "Step Functions considers the time value up to seconds and truncates milliseconds"."""
    assert _exit_offset(state, input_value) == 10.0


def test_a_jsonata_timestamp_is_read_to_the_second() -> None:
    """state-wait.html: a JSONata Timestamp follows the same rules, so the fraction is dropped too."""
    state = {"Type": "Wait", "Timestamp": "{% '2024-01-01T00:01:00.750Z' %}"}

    execution = execute(single(state, QueryLanguage="JSONata"))
    assert offsets([one(execution, "WaitStateExited")]) == [60.0]


@pytest.mark.parametrize(
    "text",
    ["2024-01-01t00:00:05z", "2024-01-01T00:00:05+00", "2024-01-01T01:00:05+01:00", "2024-01-01T00:00Z"],
)
def test_timestamp_path_accepts_what_javas_offset_parser_accepts(text: str) -> None:
    """Lower-case ``t``/``z``, an hour-only offset and a missing seconds field all parse at run time."""
    expected = 0.0 if text.endswith("00:00Z") else 5.0

    assert _exit_offset({"Type": "Wait", "TimestampPath": "$.t"}, {"t": text}) == expected


def test_a_timestamp_in_year_zero_is_in_the_past() -> None:
    """Year 0000 is a valid ISO date: the wait is over before it starts."""
    assert _exit_offset({"Type": "Wait", "TimestampPath": "$.t"}, {"t": "0000-01-01T00:00:00Z"}) == 0.0


@pytest.mark.parametrize("text", ["2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01 00:00:00Z"])
def test_timestamp_path_refuses_what_is_not_an_instant(text: str) -> None:
    """state-wait.html: TimestampPath must reference a timestamp; AWS's cause names the ISO-8601 offset format."""
    execution = execute(single({"Type": "Wait", "TimestampPath": "$.t"}), {"t": text})

    assert (execution.error, execution.cause) == (
        "States.Runtime",
        WAIT_PREFIX + "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
        f"date-time format string: $.t == {text}",
    )


@pytest.mark.parametrize(
    ("value", "cause"),
    [
        (1.5, "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5"),
        ("5", 'The SecondsPath parameter cannot be parsed as a long value: $.s == "5"'),
        (True, "The SecondsPath parameter cannot be parsed as a long value: $.s == true"),
        (-1, "The SecondsPath parameter references a negative value: $.s == -1"),
    ],
)
def test_seconds_path_values_that_are_not_a_wait(value: object, cause: str) -> None:
    """state-wait.html: "You must specify an integer value" for SecondsPath; the causes are the AWS-recorded ones."""
    execution = execute(single({"Type": "Wait", "SecondsPath": "$.s"}), {"s": value})

    assert (execution.error, execution.cause) == ("States.Runtime", WAIT_PREFIX + cause)


def test_seconds_path_may_hold_an_integral_float() -> None:
    """state-wait.html: an integral JSON number (2.0) is an integer value."""
    assert _exit_offset({"Type": "Wait", "SecondsPath": "$.s"}, {"s": 2.0}) == 2.0


@pytest.mark.parametrize("value", ["100000000", "1e300"])
def test_jsonata_seconds_above_the_range_fail(value: str) -> None:
    """state-wait.html: a JSONata Seconds "must evaluate to an integer within the stated range" (0 to 99999999)."""
    execution = execute(single({"Type": "Wait", "Seconds": "{% " + value + " %}"}, QueryLanguage="JSONata"))

    assert execution.error == "States.QueryEvaluationError"
    assert "Expected an integer from 0 to 99999999" in (execution.cause or "")


def test_jsonata_seconds_at_the_top_of_the_range_wait() -> None:
    """state-wait.html: 99999999 is in the range; the one-year limit (service-quotas.html) then ends the run."""
    execution = execute(single({"Type": "Wait", "Seconds": "{% 99999999 %}"}, QueryLanguage="JSONata"))

    # The Wait is valid; the STANDARD execution then runs into its one-year limit.
    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")


@pytest.mark.parametrize("value", [100_000_000, 10**12, 2**63 - 1])
def test_a_seconds_path_beyond_the_execution_limit_ends_in_the_limit(value: int) -> None:
    """SecondsPath has no range of its own (state-wait.html: "You must specify an integer value"); a
    STANDARD execution cannot outlast its year, so the wait ends in ``States.Timeout``."""
    execution = execute(single({"Type": "Wait", "SecondsPath": "$.s"}), {"s": value})

    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    assert offsets([one(execution, "ExecutionTimedOut")]) == [365 * 86_400.0]


@pytest.mark.parametrize("value", [2**63, 1e300, -(2**63) - 1])
def test_a_seconds_path_beyond_a_long_cannot_be_parsed(value: float) -> None:
    """AWS reads SecondsPath as a Java long (its causes say so): a larger number is not one."""
    execution = execute(single({"Type": "Wait", "SecondsPath": "$.s"}), {"s": value})

    assert execution.error == "States.Runtime"
    assert (execution.cause or "").startswith(
        WAIT_PREFIX + "The SecondsPath parameter cannot be parsed as a long value"
    )
