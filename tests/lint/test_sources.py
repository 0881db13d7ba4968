"""lint_path: ASL files (JSON, YAML), CloudFormation templates and cloud assemblies; the type's origin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.lint import LintInputError, lint_assembly, lint_path
from lint.helpers import machine, task

LONG_WAIT = machine({"Hold": {"Type": "Wait", "Seconds": 900, "Next": "Done"}, "Done": {"Type": "Succeed"}})


def write_template(path: Path, definition: dict[str, Any], *, machine_type: str | None = None) -> Path:
    """A template whose definition is a Fn::Join over a function ARN, as CDK writes it."""
    text = json.dumps(definition)
    head, tail = text.split("FUNCTION_ARN") if "FUNCTION_ARN" in text else (text, "")
    pieces: list[Any] = [head, {"Fn::GetAtt": ["ChargeFn1234", "Arn"]}, tail] if tail else [head]
    properties: dict[str, Any] = {"DefinitionString": {"Fn::Join": ["", pieces]}}
    if machine_type:
        properties["StateMachineType"] = machine_type
    resources = {
        "ChargeFn1234": {"Type": "AWS::Lambda::Function", "Metadata": {"aws:cdk:path": "Shop/ChargeFn/Resource"}},
        "Checkout5678": {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": properties,
            "Metadata": {"aws:cdk:path": "Shop/Checkout/Resource"},
        },
    }
    path.write_text(json.dumps({"Resources": resources}), encoding="utf-8")
    return path


def test_asl_json_and_yaml_files(tmp_path: Path) -> None:
    as_json = tmp_path / "wait.asl.json"
    as_json.write_text(json.dumps(LONG_WAIT))
    as_yaml = tmp_path / "wait.asl.yaml"
    as_yaml.write_text(
        "StartAt: Hold\nStates:\n  Hold: {Type: Wait, Seconds: 900, Next: Done}\n  Done: {Type: Succeed}\n"
    )
    for path in (as_json, as_yaml):
        assert lint_path(path) == []  # STANDARD by default
        [finding] = lint_path(path, state_machine_type="EXPRESS")
        assert (finding.rule, finding.state, finding.file) == ("SFN021", "Hold", str(path))


def test_template_names_the_construct_path_and_resolves_tokens(tmp_path: Path) -> None:
    definition = machine({"Charge": task("FUNCTION_ARN", TimeoutSeconds=None)})
    findings = lint_path(write_template(tmp_path / "Shop.template.json", definition))
    assert [f.state for f in findings if f.rule == "SFN004"] == ["Charge"]  # the placeholder is a Lambda ARN
    [no_timeout] = [f for f in findings if f.rule == "SFN001"]
    assert "arn:aws:lambda:us-east-1:123456789012:function:<Shop/ChargeFn>" in no_timeout.message
    assert {f.file for f in findings} == {f"{tmp_path / 'Shop.template.json'}#Shop/Checkout"}


def test_type_from_option_else_template(tmp_path: Path) -> None:
    express = write_template(tmp_path / "t.json", LONG_WAIT, machine_type="EXPRESS")
    assert "SFN021" in [f.rule for f in lint_path(express)]
    assert "SFN021" not in [f.rule for f in lint_path(express, state_machine_type="STANDARD")]
    standard = write_template(tmp_path / "s.json", LONG_WAIT)
    assert "SFN021" not in [f.rule for f in lint_path(standard)]
    assert "SFN021" in [f.rule for f in lint_path(standard, state_machine_type="EXPRESS")]


def test_cloud_assembly_directory(tmp_path: Path) -> None:
    assembly = tmp_path / "cdk.out"
    assembly.mkdir()
    write_template(assembly / "Shop.template.json", LONG_WAIT, machine_type="EXPRESS")
    manifest = {
        "version": "36.0.0",
        "artifacts": {
            "Shop": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Shop.template.json"}}
        },
    }
    (assembly / "manifest.json").write_text(json.dumps(manifest))
    findings = lint_path(assembly)
    assert [f.file for f in findings if f.rule == "SFN021"] == [f"{assembly / 'Shop.template.json'}#Shop/Checkout"]
    assert findings == lint_assembly(assembly)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "Invalid JSON"),
    ],
)
def test_unreadable_input(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "definition.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(LintInputError, match=message) as raised:
        lint_path(path)
    assert str(path) in str(raised.value)


def test_directory_that_is_not_an_assembly(tmp_path: Path) -> None:
    with pytest.raises(LintInputError, match="not a cloud assembly"):
        lint_path(tmp_path)


def test_a_nul_in_the_path() -> None:
    with pytest.raises(LintInputError, match=r"a\\x00b: not a valid path \(it contains a NUL character\)"):
        lint_path("a\x00b")
