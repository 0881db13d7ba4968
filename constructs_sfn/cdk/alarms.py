"""The execution alarms of ObservableStateMachine: defaults, overrides and their validation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.options import AlarmOptions, ExecutionAlarm
from constructs_sfn.cdk.validation import PropsValidator

__all__ = [
    "DEFAULT_ALARM_PERIOD",
    "EXPRESS_MAX_DURATION",
    "ResolvedAlarm",
    "default_execution_time_threshold",
    "resolve_alarms",
]

DEFAULT_ALARM_PERIOD = Duration.minutes(5)
EXPRESS_MAX_DURATION = Duration.minutes(5)
#: The duration alarm fires when p99 approaches the timeout, leaving room to react before
#: executions start timing out.
_TIMEOUT_FRACTION = 0.8


@dataclass(frozen=True)
class _Default:
    metric: Callable[[sfn.StateMachine, Duration], cloudwatch.Metric]
    comparison: cloudwatch.ComparisonOperator
    evaluation_periods: int
    datapoints_to_alarm: int
    what: str


def _count(method: str) -> Callable[[sfn.StateMachine, Duration], cloudwatch.Metric]:
    def metric(machine: sfn.StateMachine, period: Duration) -> cloudwatch.Metric:
        bound: Callable[..., cloudwatch.Metric] = getattr(machine, method)
        return bound(period=period, statistic="Sum")

    return metric


def _p99(machine: sfn.StateMachine, period: Duration) -> cloudwatch.Metric:
    return machine.metric_time(period=period, statistic="p99")


_AT_LEAST = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
_DEFAULTS: Mapping[ExecutionAlarm, _Default] = {
    ExecutionAlarm.FAILED: _Default(_count("metric_failed"), _AT_LEAST, 1, 1, "executions failed"),
    ExecutionAlarm.TIMED_OUT: _Default(_count("metric_timed_out"), _AT_LEAST, 1, 1, "executions timed out"),
    ExecutionAlarm.THROTTLED: _Default(_count("metric_throttled"), _AT_LEAST, 1, 1, "executions throttled"),
    ExecutionAlarm.ABORTED: _Default(_count("metric_aborted"), _AT_LEAST, 1, 1, "executions aborted"),
    ExecutionAlarm.DURATION_P99: _Default(
        _p99,
        cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        3,
        2,
        "p99 execution time above threshold",
    ),
}


@dataclass(frozen=True)
class ResolvedAlarm:
    """One alarm's final settings, after defaults and overrides."""

    kind: ExecutionAlarm
    threshold: float
    period: Duration
    evaluation_periods: int
    datapoints_to_alarm: int

    def create(self, scope: Construct, machine: sfn.StateMachine, *, subject: str) -> cloudwatch.Alarm:
        """Create the alarm as ``<MetricName>Alarm`` under ``scope``."""
        default = _DEFAULTS[self.kind]
        period = self.period.to_human_string()
        window = f"{self.datapoints_to_alarm} of {self.evaluation_periods} periods of {period}"
        return cloudwatch.Alarm(
            scope,
            f"{self.kind.value}Alarm",
            metric=default.metric(machine, self.period),
            threshold=self.threshold,
            comparison_operator=default.comparison,
            evaluation_periods=self.evaluation_periods,
            datapoints_to_alarm=self.datapoints_to_alarm,
            # No executions means no datapoints, which is healthy, not unknown.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"{subject}: {default.what} (threshold {self.threshold:g}, {window}).",
        )


def default_execution_time_threshold(
    state_machine_type: sfn.StateMachineType, timeout_seconds: float | None
) -> Duration | None:
    """80% of the timeout (EXPRESS: of 5 minutes when unset); None for STANDARD without one."""
    if timeout_seconds is None:
        if state_machine_type != sfn.StateMachineType.EXPRESS:
            return None
        timeout_seconds = EXPRESS_MAX_DURATION.to_seconds()
    return Duration.millis(round(timeout_seconds * 1000 * _TIMEOUT_FRACTION))


def _check_period(check: PropsValidator, prop: str, period: Duration) -> None:
    seconds = check.seconds(prop, period)
    if seconds is not None and seconds not in (10, 30) and seconds % 60 != 0:
        check.fail(prop, f"CloudWatch alarm periods are 10 s, 30 s or a multiple of 60 s, got {seconds:g} s")


def resolve_alarms(
    check: PropsValidator,
    options: Mapping[ExecutionAlarm, AlarmOptions],
    execution_time_threshold: Duration | None,
) -> list[ResolvedAlarm]:
    """Validate the overrides and merge them over the defaults, in ExecutionAlarm order.

    The duration alarm is left out when ``execution_time_threshold`` is None (a STANDARD
    machine with neither a timeout nor an explicit threshold has no meaningful bound).
    """
    names = {member.value: member for member in ExecutionAlarm}
    normalized: dict[ExecutionAlarm, AlarmOptions] = {}
    for key, value in options.items():
        # A StrEnum member is also a str, so metric-name strings are accepted as keys too.
        kind = names.get(key) if isinstance(key, str) else None
        if kind is None:
            known = ", ".join(f"ExecutionAlarm.{member.name}" for member in ExecutionAlarm)
            check.fail("alarm_options", f"unknown alarm {key!r}; the keys are {known}")
        if not isinstance(value, AlarmOptions):
            check.fail(f"alarm_options[{kind.name}]", f"must be an AlarmOptions, got {type(value).__name__}")
        normalized[kind] = value
    resolved: list[ResolvedAlarm] = []
    for kind, default in _DEFAULTS.items():
        override = normalized.get(kind, AlarmOptions())
        prop = f"alarm_options[{kind.name}]"
        if not override.enabled:
            continue
        if kind is ExecutionAlarm.DURATION_P99:
            if override.threshold is not None:
                check.fail(f"{prop}.threshold", "set the duration threshold with execution_time_threshold")
            if execution_time_threshold is None:
                continue
            threshold = float(execution_time_threshold.to_milliseconds())
        else:
            check.number(f"{prop}.threshold", override.threshold, minimum=0)
            threshold = 1.0 if override.threshold is None else override.threshold
        period = override.period or DEFAULT_ALARM_PERIOD
        _check_period(check, f"{prop}.period", period)
        check.number(f"{prop}.evaluation_periods", override.evaluation_periods, minimum=1)
        check.number(f"{prop}.datapoints_to_alarm", override.datapoints_to_alarm, minimum=1)
        evaluation_periods = (
            default.evaluation_periods if override.evaluation_periods is None else override.evaluation_periods
        )
        datapoints = (
            min(default.datapoints_to_alarm, evaluation_periods)
            if override.datapoints_to_alarm is None
            else override.datapoints_to_alarm
        )
        comparable = not check.is_token(evaluation_periods) and not check.is_token(datapoints)
        if comparable and datapoints > evaluation_periods:
            check.fail(
                f"{prop}.datapoints_to_alarm",
                f"cannot exceed evaluation_periods ({evaluation_periods}), got {datapoints}",
            )
        resolved.append(ResolvedAlarm(kind, threshold, period, evaluation_periods, datapoints))
    return resolved
