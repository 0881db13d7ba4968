"""The CloudWatch dashboard of ObservableStateMachine: outcomes, latency, error rate, owner."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

__all__ = ["create_dashboard"]

_PERIOD = Duration.minutes(5)
_WIDTH = 24


def _outcomes(machine: sfn.StateMachine) -> cloudwatch.GraphWidget:
    counts = [
        machine.metric_started(period=_PERIOD, statistic="Sum", label="Started"),
        machine.metric_succeeded(period=_PERIOD, statistic="Sum", label="Succeeded"),
        machine.metric_failed(period=_PERIOD, statistic="Sum", label="Failed"),
        machine.metric_timed_out(period=_PERIOD, statistic="Sum", label="Timed out"),
        machine.metric_aborted(period=_PERIOD, statistic="Sum", label="Aborted"),
        machine.metric_throttled(period=_PERIOD, statistic="Sum", label="Throttled"),
    ]
    return cloudwatch.GraphWidget(title="Executions by outcome", left=counts, width=_WIDTH // 3, height=6)


def _duration(machine: sfn.StateMachine, threshold: Duration | None) -> cloudwatch.GraphWidget:
    percentiles = [
        machine.metric_time(period=_PERIOD, statistic=stat, label=f"{stat} (ms)") for stat in ("p50", "p90", "p99")
    ]
    annotations = (
        [cloudwatch.HorizontalAnnotation(value=threshold.to_milliseconds(), label="p99 alarm threshold")]
        if threshold is not None
        else []
    )
    return cloudwatch.GraphWidget(
        title="Execution duration",
        left=percentiles,
        left_annotations=annotations,
        width=_WIDTH // 3,
        height=6,
    )


def _error_rate(machine: sfn.StateMachine) -> cloudwatch.GraphWidget:
    rate = cloudwatch.MathExpression(
        # Guard the division: a period without executions has no rate, not an infinite one.
        expression="IF(started > 0, 100 * (failed + timedOut + aborted) / started, 0)",
        using_metrics={
            "started": machine.metric_started(period=_PERIOD, statistic="Sum"),
            "failed": machine.metric_failed(period=_PERIOD, statistic="Sum"),
            "timedOut": machine.metric_timed_out(period=_PERIOD, statistic="Sum"),
            "aborted": machine.metric_aborted(period=_PERIOD, statistic="Sum"),
        },
        label="Error rate (%)",
        period=_PERIOD,
    )
    return cloudwatch.GraphWidget(
        title="Error rate (%)",
        left=[rate],
        left_y_axis=cloudwatch.YAxisProps(min=0, max=100),
        width=_WIDTH // 3,
        height=6,
    )


def create_dashboard(
    scope: Construct,
    machine: sfn.StateMachine,
    *,
    owner: str,
    state_machine_type: sfn.StateMachineType,
    alarms: Sequence[cloudwatch.IAlarm],
    duration_threshold: Duration | None,
) -> cloudwatch.Dashboard:
    """Create the ``Dashboard`` child of ``scope`` for ``machine``."""
    dashboard = cloudwatch.Dashboard(scope, "Dashboard")
    header = cloudwatch.TextWidget(
        markdown=(
            f"## State machine {machine.state_machine_name}\n"
            f"**Owner:** {owner} · **Type:** {state_machine_type.value} · "
            f"**Construct:** `{scope.node.path}`"
        ),
        width=_WIDTH,
        height=2,
    )
    dashboard.add_widgets(header)
    dashboard.add_widgets(_outcomes(machine), _duration(machine, duration_threshold), _error_rate(machine))
    if alarms:
        dashboard.add_widgets(cloudwatch.AlarmStatusWidget(alarms=list(alarms), title="Alarms", width=_WIDTH))
    return dashboard
