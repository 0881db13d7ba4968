"""``constructs-sfn test-state``: one state through LocalStepFunctions.test_state, as the TestState API:
https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]
JsonFile = Callable[[Path, Any], Path]

MACHINE = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "Charge", "Payload.$": "$"},
            "ResultSelector": {"paid.$": "$.Payload.paid"},
            "Catch": [{"ErrorEquals": ["Card.Declined"], "Next": "Refund"}],
            "Next": "Done",
        },
        "Refund": {"Type": "Pass", "End": True},
        "Done": {"Type": "Succeed"},
    },
}


@pytest.fixture
def machine(tmp_path: Path, json_file: JsonFile) -> Path:
    return json_file(tmp_path / "machine.json", MACHINE)


def test_a_mocked_result_with_debug_inspection(cli: Cli, machine: Path) -> None:
    mock = json.dumps({"result": json.dumps({"Payload": {"paid": True}})})
    result = cli("test-state", machine, "--state", "Charge", "--input", '{"amount": 5}', "--mock", mock,
                 "--inspection-level", "debug")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["status: SUCCEEDED", "nextState: Done", 'output: {"paid":true}']
    assert "inspection data:" in lines
    assert '  input: {"amount":5}' in lines
    assert '  afterResultSelector: {"paid":true}' in lines


def test_a_caught_error_and_json_output(cli: Cli, machine: Path) -> None:
    mock = json.dumps({"errorOutput": {"error": "Card.Declined", "cause": "insufficient funds"}})
    result = cli("test-state", machine, "--state", "Charge", "--mock", mock, "--json")
    assert result.returncode == 1
    response = json.loads(result.stdout)
    assert response["status"] == "CAUGHT_ERROR"
    assert response["nextState"] == "Refund"
    assert (response["error"], response["cause"]) == ("Card.Declined", "insufficient funds")


def test_a_single_state_definition(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "pass.yaml").write_text("Type: Pass\nParameters:\n  total.$: States.MathAdd($.a, $.b)\nEnd: true\n")
    (tmp_path / "input.json").write_text('{"a": 2, "b": 3}')
    result = cli("test-state", "--state-definition", "pass.yaml", "--input", "@input.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["status: SUCCEEDED", 'output: {"total":5}']


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give a SOURCE and --state NAME, or --state-definition FILE"),
        (("machine.json",), "--state NAME is needed"),
        (("machine.json", "--state", "Nope"), "State 'Nope' does not exist in the definition"),
        (("machine.json", "--state", "Charge", "--mock", "[1]"), "--mock: expected a JSON object"),
        (("machine.json", "--state", "Charge", "--context", "{x"), "--context: not JSON (line 1, column 3)"),
        (("machine.json", "--state-definition", "machine.json"), "give either --state-definition or SOURCE"),
    ],
    ids=["nothing", "no-state", "unknown-state", "mock-not-object", "bad-context", "both"],
)
def test_usage_errors(cli: Cli, machine: Path, args: tuple[str, ...], message: str) -> None:
    result = cli("test-state", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_state_names_the_file_and_the_states_it_has(cli: Cli, machine: Path) -> None:
    result = cli("test-state", machine, "--state", "Chrage")
    assert result.returncode == 2
    assert result.stderr == (
        f"constructs-sfn: {machine}: State 'Chrage' does not exist in the definition (ValidationException); "
        "its top-level states: Charge, Refund, Done\n"
    )
