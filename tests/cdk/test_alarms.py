"""Alarm defaults, overrides and the duration threshold derived from the timeout."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_stepfunctions as sfn

from constructs_sfn.cdk import AlarmOptions, ConstructPropsError, ExecutionAlarm
from constructs_sfn.cdk.alarms import default_execution_time_threshold, resolve_alarms
from constructs_sfn.cdk.validation import PropsValidator

CHECK = PropsValidator("S/M")
STANDARD = sfn.StateMachineType.STANDARD
EXPRESS = sfn.StateMachineType.EXPRESS


@pytest.mark.parametrize(
    ("machine_type", "timeout", "expected_ms"),
    [(STANDARD, 600, 480_000), (EXPRESS, 60, 48_000), (EXPRESS, None, 240_000), (STANDARD, 1, 800)],
)
def test_default_threshold_is_80_percent_of_the_bound(
    machine_type: sfn.StateMachineType, timeout: float | None, expected_ms: int
) -> None:
    threshold = default_execution_time_threshold(machine_type, timeout)
    assert threshold is not None
    assert threshold.to_milliseconds() == expected_ms


def test_standard_without_timeout_has_no_default_threshold() -> None:
    assert default_execution_time_threshold(STANDARD, None) is None


def test_defaults_in_order() -> None:
    resolved = resolve_alarms(CHECK, {}, cdk.Duration.seconds(30))
    assert [
        (a.kind, a.threshold, a.period.to_seconds(), a.evaluation_periods, a.datapoints_to_alarm) for a in resolved
    ] == [
        (ExecutionAlarm.FAILED, 1, 300, 1, 1),
        (ExecutionAlarm.TIMED_OUT, 1, 300, 1, 1),
        (ExecutionAlarm.THROTTLED, 1, 300, 1, 1),
        (ExecutionAlarm.ABORTED, 1, 300, 1, 1),
        (ExecutionAlarm.DURATION_P99, 30_000, 300, 3, 2),
    ]


def test_no_duration_alarm_without_a_threshold() -> None:
    kinds = [a.kind for a in resolve_alarms(CHECK, {}, None)]
    assert ExecutionAlarm.DURATION_P99 not in kinds
    assert len(kinds) == 4


def test_overrides_merge_field_by_field() -> None:
    resolved = resolve_alarms(
        CHECK,
        {
            ExecutionAlarm.ABORTED: AlarmOptions(threshold=0, period=cdk.Duration.seconds(30)),
            ExecutionAlarm.DURATION_P99: AlarmOptions(evaluation_periods=1),
        },
        cdk.Duration.seconds(30),
    )
    by_kind = {a.kind: a for a in resolved}
    aborted = by_kind[ExecutionAlarm.ABORTED]
    assert (aborted.threshold, aborted.period.to_seconds(), aborted.evaluation_periods) == (0, 30, 1)
    # datapoints default shrinks with fewer evaluation periods instead of exceeding them.
    duration = by_kind[ExecutionAlarm.DURATION_P99]
    assert (duration.evaluation_periods, duration.datapoints_to_alarm) == (1, 1)


@pytest.mark.parametrize("seconds", [10, 30, 60, 120, 3600])
def test_valid_periods(seconds: int) -> None:
    options = {ExecutionAlarm.FAILED: AlarmOptions(period=cdk.Duration.seconds(seconds))}
    assert resolve_alarms(CHECK, options, None)[0].period.to_seconds() == seconds


@pytest.mark.parametrize("seconds", [5, 20, 45, 90])
def test_invalid_periods(seconds: int) -> None:
    options = {ExecutionAlarm.FAILED: AlarmOptions(period=cdk.Duration.seconds(seconds))}
    with pytest.raises(ConstructPropsError, match=r"alarm_options\[FAILED\]\.period"):
        resolve_alarms(CHECK, options, None)


def test_alarm_description_states_threshold_and_window() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    machine = sfn.StateMachine(stack, "M", definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, "P")))
    [failed] = resolve_alarms(CHECK, {}, None)[:1]
    alarm = failed.create(stack, machine, subject="S/M (owner: x)")
    description = stack.resolve(alarm.node.default_child.alarm_description)  # type: ignore[union-attr]
    assert description == "S/M (owner: x): executions failed (threshold 1, 1 of 1 periods of 5 minutes)."
    assert alarm.node.id == "ExecutionsFailedAlarm"


def test_metric_name_strings_are_accepted_as_keys() -> None:
    resolved = resolve_alarms(CHECK, {"ExecutionsFailed": AlarmOptions(enabled=False)}, None)  # type: ignore[dict-item]
    assert ExecutionAlarm.FAILED not in [a.kind for a in resolved]
