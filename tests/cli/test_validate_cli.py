"""``constructs-sfn validate``: every diagnostic on its own line, exit status 1 when invalid, JSON output.

The checks are those of ValidateStateMachineDefinition:
https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

Cli = Callable[..., subprocess.CompletedProcess[str]]
JsonFile = Callable[[Path, Any], Path]

TWO_PROBLEMS = {
    "StartAt": "A",
    "States": {"A": {"Type": "Pass", "Next": "Nowhere"}, "Orphan": {"Type": "Pass", "End": True}},
}
VALID = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def test_every_problem_on_its_own_line(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    path = json_file(tmp_path / "broken.json", TWO_PROBLEMS)
    result = cli("validate", path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}: /States/A/Next: MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere",
        f'{path}: /States/Orphan: MISSING_TRANSITION_TARGET: State "Orphan" is not reachable.',
        "1 definition(s) checked: 2 error(s), 0 warning(s)",
    ]


def test_valid_and_invalid_files_together(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    good = json_file(tmp_path / "good.json", VALID)
    assert cli("validate", good).stdout.splitlines()[0] == f"{good}: OK"
    assert cli("validate", good).returncode == 0
    both = cli("validate", good, json_file(tmp_path / "bad.json", TWO_PROBLEMS))
    assert both.returncode == 1
    assert both.stdout.splitlines()[-1] == "2 definition(s) checked: 2 error(s), 0 warning(s)"


def test_json_format(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    path = json_file(tmp_path / "broken.json", TWO_PROBLEMS)
    result = cli("validate", "--format", "json", path, json_file(tmp_path / "good.json", VALID))
    assert result.returncode == 1
    [bad, good] = json.loads(result.stdout)["results"]
    assert bad["file"] == str(path)
    assert bad["result"] == "FAIL"
    assert bad["diagnostics"][0] == {
        "severity": "ERROR",
        "code": "MISSING_TRANSITION_TARGET",
        "message": "Missing 'Next' target: Nowhere",
        "location": "/States/A/Next",
    }
    assert good == {"file": str(tmp_path / "good.json"), "result": "OK", "diagnostics": []}


def test_express_type_rules(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    """EXPRESS workflows do not support .sync or .waitForTaskToken:
    https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html"""
    definition = {
        "StartAt": "Run",
        "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "End": True}},
    }
    path = json_file(tmp_path / "sync.json", definition)
    assert cli("validate", path).returncode == 0
    express = cli("validate", "--type", "EXPRESS", path)
    assert express.returncode == 1
    assert f"{path}: /States/Run/Resource: " in express.stdout


def test_every_machine_of_an_assembly(cli: Cli, cdk_out: Callable[..., Path]) -> None:
    machine = {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": json.dumps(TWO_PROBLEMS)}}
    good = {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": json.dumps(VALID)}}
    out = cdk_out({"Bad1": machine, "Good2": good}, {"Shop/Bad/Resource": "Bad1", "Shop/Good/Resource": "Good2"})
    result = cli("validate", out)
    assert result.returncode == 1
    template = out / "Shop.template.json"
    assert f"{template}#Shop/Bad: /States/A/Next: MISSING_TRANSITION_TARGET" in result.stdout
    assert f"{template}#Shop/Good: OK" in result.stdout


def test_a_missing_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", tmp_path / "nope.json")
    assert result.returncode == 2
    assert result.stderr.strip() == f"constructs-sfn: {tmp_path / 'nope.json'}: no such file or directory"
