"""The Map Run failure alarm of DistributedMapJob: a metric filter on the machine's log group.

A Map Run fails (history event ``MapRunFailed``) when more items fail than the tolerance allows,
or when the ItemReader or ResultWriter cannot do its work. Step Functions publishes no
CloudWatch metric for Map Runs, so the choice is between counting ``MapRunFailed`` log events
and routing EventBridge "Map Run Status Change" events into something countable. The metric
filter wins: the state machine already logs every event to its own log group (level ALL, or
ERROR, which keeps failure events), it needs no extra rule or target, it counts failures even
when a Catch turns them into a successful execution, and the metric belongs to this one machine.
It needs logging on, which the construct checks.
"""

from __future__ import annotations

from aws_cdk import Duration, Names
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_sfn.cdk.options import AlarmOptions
from constructs_sfn.cdk.validation import PropsValidator

__all__ = [
    "MAP_RUNS_FAILED",
    "MAP_RUN_METRIC_NAMESPACE",
    "MapRunAlarmSettings",
    "create_map_run_alarm",
    "map_run_failed_metric_filter",
    "resolve_map_run_alarm",
]

#: The alarm's key in ``DistributedMapJob.alarms`` and the metric's name prefix.
MAP_RUNS_FAILED = "MapRunsFailed"
#: Namespace of the metric the metric filter publishes.
MAP_RUN_METRIC_NAMESPACE = "constructs-sfn/MapRuns"
_DEFAULT_PERIOD = Duration.minutes(5)


class MapRunAlarmSettings:
    """The Map Run alarm's final settings, after defaults and overrides."""

    def __init__(self, threshold: float, period: Duration, evaluation_periods: int, datapoints_to_alarm: int) -> None:
        self.threshold = threshold
        self.period = period
        self.evaluation_periods = evaluation_periods
        self.datapoints_to_alarm = datapoints_to_alarm


def resolve_map_run_alarm(check: PropsValidator, options: AlarmOptions | None) -> MapRunAlarmSettings | None:
    """Validate ``map_run_alarm`` and merge it over the defaults (>= 1 failed Map Run in 5 minutes)."""
    prop = "map_run_alarm"
    if options is None:
        options = AlarmOptions()
    if not isinstance(options, AlarmOptions):
        check.fail(prop, f"must be an AlarmOptions, got {type(options).__name__}")
    if not options.enabled:
        return None
    check.number(f"{prop}.threshold", options.threshold, minimum=0)
    check.number(f"{prop}.evaluation_periods", options.evaluation_periods, minimum=1)
    check.number(f"{prop}.datapoints_to_alarm", options.datapoints_to_alarm, minimum=1)
    period = options.period or _DEFAULT_PERIOD
    seconds = check.seconds(f"{prop}.period", period)
    if seconds is not None and seconds not in (10, 30) and seconds % 60 != 0:
        check.fail(
            f"{prop}.period", f"CloudWatch alarm periods are 10 s, 30 s or a multiple of 60 s, got {seconds:g} s"
        )
    evaluation_periods = options.evaluation_periods if options.evaluation_periods is not None else 1
    datapoints = options.datapoints_to_alarm if options.datapoints_to_alarm is not None else 1
    comparable = not check.is_token(evaluation_periods) and not check.is_token(datapoints)
    if comparable and datapoints > evaluation_periods:
        check.fail(
            f"{prop}.datapoints_to_alarm",
            f"cannot exceed evaluation_periods ({evaluation_periods}), got {datapoints}",
        )
    threshold = 1.0 if options.threshold is None else options.threshold
    return MapRunAlarmSettings(threshold, period, evaluation_periods, datapoints)


def map_run_failed_metric_filter(scope: Construct, log_group: logs.ILogGroup) -> logs.MetricFilter:
    """``MapRunsFailedMetricFilter``: one datapoint of 1 per ``MapRunFailed`` event in ``log_group``."""
    # Metric filters cannot take dimensions from outside the log event, so the metric name carries
    # the construct's unique name: two jobs never share a metric.
    metric_name = f"{MAP_RUNS_FAILED}-{Names.unique_resource_name(scope, max_length=200, separator='-')}"
    return logs.MetricFilter(
        scope,
        "MapRunsFailedMetricFilter",
        log_group=log_group,
        filter_pattern=logs.FilterPattern.string_value("$.type", "=", "MapRunFailed"),
        metric_namespace=MAP_RUN_METRIC_NAMESPACE,
        metric_name=metric_name,
        metric_value="1",
        unit=cloudwatch.Unit.COUNT,
    )


def create_map_run_alarm(
    scope: Construct, metric: cloudwatch.Metric, settings: MapRunAlarmSettings, *, subject: str
) -> cloudwatch.Alarm:
    """``MapRunsFailedAlarm`` on ``metric`` (Sum per period)."""
    period = settings.period.to_human_string()
    window = f"{settings.datapoints_to_alarm} of {settings.evaluation_periods} periods of {period}"
    return cloudwatch.Alarm(
        scope,
        f"{MAP_RUNS_FAILED}Alarm",
        metric=metric.with_(period=settings.period, statistic="Sum"),
        threshold=settings.threshold,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluation_periods=settings.evaluation_periods,
        datapoints_to_alarm=settings.datapoints_to_alarm,
        # No Map Run failed means no log event matched, hence no datapoint: healthy.
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        alarm_description=(
            f"{subject}: Map Runs failed (more failed items than tolerated, or the item reader or result "
            f"writer failed) (threshold {settings.threshold:g}, {window})."
        ),
    )
