"""STANDARD limits: one year of (virtual) execution time, then ``States.Timeout``.

Docs: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html ("Maximum execution
time": one year for Standard workflows; an execution that runs longer fails with ``States.Timeout``)
and https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-continue-new.html ("Standard
Workflow executions have a maximum duration of one year").
"""

from __future__ import annotations

from datetime import timedelta

from runtime_support import EPOCH, assert_well_formed, execute, machine, offsets, one, single, types

from constructs_sfn.asl import ExecutionContextInfo
from constructs_sfn.asl.runtime.interpreter import STANDARD_MAX_SECONDS

STANDARD = ExecutionContextInfo(start_time=EPOCH, state_machine_type="STANDARD")
DAY = 86_400


def test_the_standard_limit_is_one_year() -> None:
    """service-quotas.html: the maximum execution time of a Standard workflow is one year."""
    assert STANDARD_MAX_SECONDS == 365 * DAY


def test_a_wait_past_one_year_times_out_at_one_year() -> None:
    """``Seconds`` may be as large as 99999999 (about three years): the execution still stops at a year."""
    execution = execute(single({"Type": "Wait", "Seconds": 99_999_999}), info=STANDARD)

    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    timed_out = one(execution, "ExecutionTimedOut")
    assert offsets([timed_out]) == [float(STANDARD_MAX_SECONDS)]
    assert types(execution) == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    assert execution.stop_date == EPOCH + timedelta(days=365)
    assert_well_formed(execution)


def test_a_timestamp_years_ahead_times_out_at_one_year() -> None:
    """A Wait ``Timestamp`` far in the future is valid, but the execution cannot outlive its year."""
    execution = execute(single({"Type": "Wait", "Timestamp": "2099-01-01T00:00:00Z"}), info=STANDARD)

    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    assert execution.stop_date == EPOCH + timedelta(days=365)


def test_a_timestamp_path_years_ahead_times_out_at_one_year() -> None:
    """state-wait.html: the longest wait a Standard workflow can have is one year."""
    definition = single({"Type": "Wait", "TimestampPath": "$.until"})

    execution = execute(definition, {"until": "2030-06-01T00:00:00+02:00"}, info=STANDARD)

    assert execution.status == "TIMED_OUT"


def test_waits_that_add_up_to_more_than_a_year_time_out() -> None:
    """service-quotas.html: the year counts for the whole execution, not one state."""
    definition = machine(
        {
            "First": {"Type": "Wait", "Seconds": 200 * DAY, "Next": "Second"},
            "Second": {"Type": "Wait", "Seconds": 200 * DAY, "End": True},
        }
    )

    execution = execute(definition, info=STANDARD)

    assert execution.status == "TIMED_OUT"
    assert types(execution)[-2:] == ["WaitStateEntered", "ExecutionTimedOut"]


def test_a_smaller_timeout_seconds_still_applies() -> None:
    """statemachine-structure.html: ``TimeoutSeconds`` of the machine times the execution out earlier."""
    execution = execute(single({"Type": "Wait", "Seconds": 10 * DAY}, TimeoutSeconds=DAY), info=STANDARD)

    assert execution.status == "TIMED_OUT"
    assert offsets([one(execution, "ExecutionTimedOut")]) == [float(DAY)]


def test_an_execution_just_under_a_year_succeeds() -> None:
    """service-quotas.html: a year is the limit, not less."""
    execution = execute(single({"Type": "Wait", "Seconds": 364 * DAY}), info=STANDARD)

    assert execution.status == "SUCCEEDED"
