"""SFN050-SFN053: logging, tracing, alarms and owner of a machine in a CloudFormation template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.lint import lint_definition, lint_template
from lint.helpers import machine

DEFINITION = machine({"Done": {"Type": "Succeed"}})


def _template(path: Path, *, observable: bool, **overrides: Any) -> Path:
    properties: dict[str, Any] = {"DefinitionString": json.dumps(DEFINITION), "RoleArn": "arn:aws:iam::1:role/r"}
    resources: dict[str, Any] = {"Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": properties}}
    if observable:
        properties["LoggingConfiguration"] = {"Level": "ERROR", "Destinations": []}
        properties["TracingConfiguration"] = {"Enabled": True}
        properties["Tags"] = [{"Key": "Owner", "Value": "payments"}]
        resources["Failed"] = {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {"Dimensions": [{"Name": "StateMachineArn", "Value": {"Ref": "Machine"}}]},
        }
    properties.update(overrides)
    path.write_text(json.dumps({"Resources": resources}), encoding="utf-8")
    return path


def _rules(path: Path) -> dict[str, str]:
    return {f.rule: f.severity for f in lint_template(path) if f.rule.startswith("SFN05")}


def test_bare_machine_has_every_template_finding(tmp_path: Path) -> None:
    findings = [f for f in lint_template(_template(tmp_path / "t.json", observable=False)) if f.rule >= "SFN050"]
    assert {f.rule: f.severity for f in findings} == {
        "SFN050": "warning",
        "SFN051": "info",
        "SFN052": "warning",
        "SFN053": "warning",
    }
    assert all(f.state is None and f.pointer == "" for f in findings)
    assert all(f.file == f"{tmp_path / 't.json'}#Machine" for f in findings)


def test_observable_machine_passes(tmp_path: Path) -> None:
    assert _rules(_template(tmp_path / "t.json", observable=True)) == {}


@pytest.mark.parametrize(
    ("override", "rule"),
    [
        ({"LoggingConfiguration": {"Level": "OFF"}}, "SFN050"),
        ({"TracingConfiguration": {"Enabled": False}}, "SFN051"),
        ({"Tags": [{"Key": "Name", "Value": "x"}]}, "SFN053"),
    ],
)
def test_each_property_alone_triggers_its_rule(tmp_path: Path, override: dict[str, Any], rule: str) -> None:
    assert set(_rules(_template(tmp_path / "t.json", observable=True, **override))) == {rule}


def test_alarm_must_refer_to_this_machine(tmp_path: Path) -> None:
    path = _template(tmp_path / "t.json", observable=True)
    template = json.loads(path.read_text())
    template["Resources"]["Failed"]["Properties"]["Dimensions"][0]["Value"] = {"Ref": "SomethingElse"}
    path.write_text(json.dumps(template))
    assert set(_rules(path)) == {"SFN052"}
    template["Resources"]["Failed"]["Properties"] = {"Metrics": [{"Expr": {"Fn::GetAtt": ["Machine", "Name"]}}]}
    path.write_text(json.dumps(template))
    assert set(_rules(path)) == set()


def test_template_rules_need_a_template() -> None:
    assert [f for f in lint_definition(DEFINITION) if f.rule.startswith("SFN05")] == []
