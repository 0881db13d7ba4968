"""Wait states on the virtual clock, and the clocks themselves."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from runtime_support import EPOCH, details, execute, machine, of_type, offsets, one, single, types

from constructs_sfn.asl import RealClock, VirtualClock
from constructs_sfn.asl.runtime import format_timestamp

LONG_WAIT_DAYS = 364
"""Just under the one-year maximum of a STANDARD execution (service-quotas.html)."""
LONG_WAIT = LONG_WAIT_DAYS * 24 * 3600

WAIT_PREFIX = "An error occurred while executing the state 'S' (entered at the event id #2). "


class TestWaitOnTheVirtualClock:
    def test_a_wait_of_almost_a_year_takes_no_wall_time(self) -> None:
        started = time.perf_counter()

        execution = execute(single({"Type": "Wait", "Seconds": LONG_WAIT}), {"a": 1})

        assert time.perf_counter() - started < 2
        assert execution.status == "SUCCEEDED"
        assert execution.output == {"a": 1}
        entered, exited = one(execution, "WaitStateEntered"), one(execution, "WaitStateExited")
        assert exited["timestamp"] - entered["timestamp"] == timedelta(days=LONG_WAIT_DAYS)
        assert execution.stop_date == EPOCH + timedelta(days=LONG_WAIT_DAYS)
        assert types(execution) == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]

    def test_consecutive_waits_add_up(self) -> None:
        definition = machine(
            {
                "A": {"Type": "Wait", "Seconds": 60, "Next": "B"},
                "B": {"Type": "Wait", "Seconds": 3600, "Next": "C"},
                "C": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition)

        assert offsets(of_type(execution, "WaitStateExited")) == [60, 3660]

    def test_zero_seconds_does_not_move_time(self) -> None:
        execution = execute(single({"Type": "Wait", "Seconds": 0}))

        assert offsets(execution.events) == [0, 0, 0, 0]

    def test_seconds_path(self) -> None:
        execution = execute(
            single({"Type": "Wait", "SecondsPath": "$.input.waitSeconds"}), {"input": {"waitSeconds": 7}}
        )

        assert offsets([one(execution, "WaitStateExited")]) == [7]

    def test_seconds_path_accepts_an_integral_float(self) -> None:
        execution = execute(single({"Type": "Wait", "SecondsPath": "$.s"}), {"s": 2.0})

        assert offsets([one(execution, "WaitStateExited")]) == [2]

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (-1, "The SecondsPath parameter references a negative value: $.input.waitSeconds == -1"),
            (1.5, "The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5"),
            (-1.5, "The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == -1.5"),
        ],
    )
    def test_bad_seconds_path_values(self, value: Any, message: str) -> None:
        execution = execute(
            single({"Type": "Wait", "SecondsPath": "$.input.waitSeconds"}), {"input": {"waitSeconds": value}}
        )

        assert (execution.error, execution.cause) == ("States.Runtime", WAIT_PREFIX + message)
        assert types(execution) == ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]

    def test_missing_seconds_path(self) -> None:
        execution = execute(single({"Type": "Wait", "SecondsPath": "$.input.waitSeconds"}), {})

        assert execution.cause == (
            WAIT_PREFIX + "The SecondsPath parameter does not reference an input value: $.input.waitSeconds"
        )

    @pytest.mark.parametrize(
        ("value", "status", "error"),
        [
            (10**12, "TIMED_OUT", "States.Timeout"),
            (10**20, "FAILED", "States.Runtime"),
            (1e300, "FAILED", "States.Runtime"),
        ],
    )
    def test_an_absurd_seconds_path_ends_the_execution_instead_of_raising(
        self, value: Any, status: str, error: str
    ) -> None:
        """A long waits into the one-year limit; beyond a long it cannot be parsed (test_wait_limits.py)."""
        execution = execute(single({"Type": "Wait", "SecondsPath": "$.n"}), {"n": value})

        assert (execution.status, execution.error) == (status, error)

    def test_timestamp_in_the_future_waits_until_then(self) -> None:
        execution = execute(single({"Type": "Wait", "Timestamp": "2024-01-01T01:00:00Z"}))

        assert one(execution, "WaitStateExited")["timestamp"] == datetime(2024, 1, 1, 1, tzinfo=UTC)

    def test_timestamp_in_the_past_does_not_wait(self) -> None:
        execution = execute(single({"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z"}))

        assert execution.status == "SUCCEEDED"
        assert offsets(execution.events) == [0, 0, 0, 0]

    def test_timestamp_path_with_offset_and_fraction(self) -> None:
        """The offset counts; the fraction does not: AWS "truncates milliseconds" (state-wait.html)."""
        execution = execute(single({"Type": "Wait", "TimestampPath": "$.t"}), {"t": "2024-01-01T02:00:30.5+02:00"})

        assert offsets([one(execution, "WaitStateExited")]) == [30.0]

    @pytest.mark.parametrize("text", ["2023-12-13T07:10:17", "2023-12-13T07:10:32.000000", "tomorrow"])
    def test_timestamp_path_without_an_offset_is_rejected(self, text: str) -> None:
        execution = execute(single({"Type": "Wait", "TimestampPath": "$.start_at"}), {"start_at": text})

        assert execution.error == "States.Runtime"
        assert execution.cause == (
            WAIT_PREFIX + "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
            f"date-time format string: $.start_at == {text}"
        )

    def test_input_and_output_paths_apply(self) -> None:
        state = {"Type": "Wait", "Seconds": 1, "InputPath": "$.a", "OutputPath": "$.b"}

        assert execute(single(state), {"a": {"b": 3}}).output == 3

    def test_wait_then_the_clock_is_visible_in_the_context(self) -> None:
        definition = machine(
            {
                "W": {"Type": "Wait", "Seconds": LONG_WAIT, "Next": "P"},
                "P": {"Type": "Pass", "Parameters": {"entered.$": "$$.State.EnteredTime"}, "End": True},
            }
        )

        assert execute(definition).output == {"entered": "2024-12-30T00:00:00.000Z"}


class TestJsonataWait:
    def test_seconds_expression(self) -> None:
        state = {"Type": "Wait", "Seconds": "{% $states.input.waitSeconds %}", "End": True}

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"waitSeconds": 42})

        assert offsets([one(execution, "WaitStateExited")]) == [42]

    def test_zero_seconds_expression(self) -> None:
        state = {"Type": "Wait", "Seconds": "{% $states.input.waitSeconds %}", "End": True}

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"waitSeconds": 0})

        assert execution.output == {"waitSeconds": 0}

    def test_negative_seconds_expression_is_a_query_evaluation_error(self) -> None:
        state = {"Type": "Wait", "Seconds": "{% $states.input.waitSeconds %}", "End": True}

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"waitSeconds": -1})

        assert execution.error == "States.QueryEvaluationError"
        assert types(execution) == ["ExecutionStarted", "WaitStateEntered", "EvaluationFailed", "ExecutionFailed"]
        assert details(one(execution, "EvaluationFailed"))["state"] == "S"

    def test_timestamp_expression_with_nanoseconds(self) -> None:
        state = {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"t": "2024-01-01T00:00:05.243167252Z"})

        assert execution.status == "SUCCEEDED"
        assert 5 <= offsets([one(execution, "WaitStateExited")])[0] < 5.25

    def test_bad_timestamp_expression_is_a_query_evaluation_error(self) -> None:
        state = {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"t": "2016-12-05T21:29:29"})

        assert execution.error == "States.QueryEvaluationError"
        assert execution.cause == (
            WAIT_PREFIX + "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format "
            "string: 2016-12-05T21:29:29"
        )
        assert types(execution) == ["ExecutionStarted", "WaitStateEntered", "EvaluationFailed", "ExecutionFailed"]


class TestVirtualClock:
    def test_fixed_starts_at_the_epoch(self) -> None:
        assert VirtualClock.fixed().now() == EPOCH

    def test_default_start_is_the_same_fixed_instant_everywhere(self) -> None:
        # One start for every entry point (client, Execution, CLI, toolkit): same scenario, same history.
        assert VirtualClock().now() == datetime(2024, 1, 1, tzinfo=UTC)
        assert VirtualClock().now() == VirtualClock.fixed().now()

    def test_naive_start_is_taken_as_utc(self) -> None:
        clock = VirtualClock(datetime(2030, 1, 2, 3, 4, 5))

        assert clock.now() == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

    def test_advance_and_advance_to_never_go_backwards(self) -> None:
        clock = VirtualClock.fixed()

        clock.advance(90)
        clock.advance_to(EPOCH)
        assert clock.now() == EPOCH + timedelta(seconds=90)
        clock.advance_to(EPOCH + timedelta(days=1))
        assert clock.now() == EPOCH + timedelta(days=1)

    def test_a_shared_clock_carries_over_between_executions(self) -> None:
        clock = VirtualClock.fixed()

        first = execute(single({"Type": "Wait", "Seconds": 10}), clock=clock)
        second = execute(single({"Type": "Wait", "Seconds": 10}), clock=clock)

        assert first.stop_date == EPOCH + timedelta(seconds=10)
        assert second.start_date == EPOCH + timedelta(seconds=10)
        assert second.stop_date == EPOCH + timedelta(seconds=20)


class TestRealClock:
    def test_now_follows_the_wall_clock(self) -> None:
        assert abs((RealClock().now() - datetime.now(UTC)).total_seconds()) < 1

    def test_advance_to_the_past_returns_at_once(self) -> None:
        started = time.perf_counter()

        RealClock().advance_to(datetime(2000, 1, 1, tzinfo=UTC))

        assert time.perf_counter() - started < 0.05

    def test_advance_to_really_sleeps(self) -> None:
        clock = RealClock()
        target = clock.now() + timedelta(seconds=0.05)

        clock.advance_to(target)

        assert clock.now() >= target

    def test_an_execution_on_the_real_clock(self) -> None:
        started = time.perf_counter()

        execution = execute(single({"Type": "Wait", "Seconds": 0}), {"a": 1}, clock=RealClock())

        assert execution.status == "SUCCEEDED"
        assert time.perf_counter() - started < 2
        assert abs((execution.start_date - datetime.now(UTC)).total_seconds()) < 5


class TestTimestampFormat:
    @pytest.mark.parametrize(
        ("instant", "text"),
        [
            (datetime(2024, 1, 1, tzinfo=UTC), "2024-01-01T00:00:00.000Z"),
            (datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=UTC), "2030-05-06T07:08:09.123Z"),
            (datetime(2030, 5, 6, 7, 8, 9, 999999, tzinfo=UTC), "2030-05-06T07:08:09.999Z"),
        ],
    )
    def test_context_timestamps_have_milliseconds(self, instant: datetime, text: str) -> None:
        assert format_timestamp(instant) == text
