"""The dashboard: header with owner, three graphs, alarm status when there are alarms."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Template

from constructs_sfn.cdk.dashboard import create_dashboard


def _widgets(*, with_alarm: bool, duration_threshold: cdk.Duration | None) -> list[dict[str, Any]]:
    stack = cdk.Stack(cdk.App(), "S")
    machine = sfn.StateMachine(stack, "M", definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, "P")))
    alarms = (
        [cloudwatch.Alarm(stack, "A", metric=machine.metric_failed(), threshold=1, evaluation_periods=1)]
        if with_alarm
        else []
    )
    create_dashboard(
        stack,
        machine,
        owner="team-x",
        state_machine_type=sfn.StateMachineType.EXPRESS,
        alarms=alarms,
        duration_threshold=duration_threshold,
    )
    [dashboard] = Template.from_stack(stack).find_resources("AWS::CloudWatch::Dashboard").values()
    parts = dashboard["Properties"]["DashboardBody"]["Fn::Join"][1]
    # Tokens (machine name, ARN, region, alarm ARN) are spliced into JSON strings; blank them.
    text = "".join(part if isinstance(part, str) else "TOKEN" for part in parts)
    widgets: list[dict[str, Any]] = json.loads(text)["widgets"]
    return widgets


def test_layout_without_alarms() -> None:
    widgets = _widgets(with_alarm=False, duration_threshold=None)
    assert [w["type"] for w in widgets] == ["text", "metric", "metric", "metric"]
    header = widgets[0]["properties"]["markdown"]
    assert "**Owner:** team-x" in header
    assert "**Type:** EXPRESS" in header
    assert [w["properties"]["title"] for w in widgets[1:]] == [
        "Executions by outcome",
        "Execution duration",
        "Error rate (%)",
    ]
    assert "annotations" not in widgets[2]["properties"]


def test_threshold_annotation_and_alarm_status() -> None:
    widgets = _widgets(with_alarm=True, duration_threshold=cdk.Duration.seconds(3))
    assert widgets[2]["properties"]["annotations"]["horizontal"] == [
        {"value": 3000, "label": "p99 alarm threshold", "yAxis": "left"}
    ]
    assert widgets[-1]["type"] == "alarm"
    assert widgets[-1]["properties"]["alarms"] == ["TOKEN"]
