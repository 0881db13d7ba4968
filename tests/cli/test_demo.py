"""``constructs-sfn demo``: per scenario what was expected and what happened, a final N/M line, and
a non-zero exit status when a scenario is not as expected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from constructs_sfn.cli import main

DEFINITION = {
    "StartAt": "Check",
    "States": {
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Review"}],
            "Default": "Accept",
        },
        "Review": {"Type": "Fail", "Error": "Order.NeedsReview", "Cause": 'amount over "100"'},
        "Accept": {"Type": "Succeed"},
    },
}


@pytest.fixture
def assembly(tmp_path: Path) -> Path:
    out = tmp_path / "cdk.out"
    out.mkdir()
    template = {
        "Resources": {
            "Machine6FC8AE80": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": json.dumps(DEFINITION)},
            }
        }
    }
    (out / "Shop.template.json").write_text(json.dumps(template))
    manifest = {
        "artifacts": {
            "Shop": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "Shop.template.json"},
                "metadata": {"/Shop/Orders/Resource": [{"type": "aws:cdk:logicalId", "data": "Machine6FC8AE80"}]},
            }
        }
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def _scenarios(folder: Path, review_expected: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "orders.scenarios.yaml").write_text(
        "state_machine: Shop/Orders\n"
        "scenarios:\n"
        "  - name: small\n    input: {amount: 5}\n    expect: {status: SUCCEEDED}\n"
        f"  - name: large\n    input: {{amount: 500}}\n    expect: {{status: {review_expected}}}\n"
    )
    return folder


def test_all_as_expected(assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--cdk-out", str(assembly), "--scenarios", str(_scenarios(tmp_path / "s", "FAILED"))])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "Shop/Orders / large: as expected" in out
    assert "    expected: FAILED" in out
    assert "    happened: FAILED, error Order.NeedsReview after 0 s of workflow time via Check -> Review" in out
    assert out.rstrip().endswith("2/2 scenarios as expected")


def test_a_scenario_not_as_expected_fails_the_command(
    assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["demo", "--cdk-out", str(assembly), "--scenarios", str(_scenarios(tmp_path / "s", "SUCCEEDED"))])
    out = capsys.readouterr().out
    assert status == 1
    assert "Shop/Orders / large: NOT AS EXPECTED" in out
    assert "    differs:  status: expected SUCCEEDED, got FAILED" in out
    assert out.rstrip().endswith("1/2 scenarios as expected")


def test_missing_assembly_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--cdk-out", str(tmp_path / "nope"), "--scenarios", str(tmp_path)])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("constructs-sfn: ")
    assert "no synthesized templates; run 'cdk synth' first" in err
    assert "Traceback" not in err


def test_errors_and_causes_print_as_text(assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "orders.scenarios.yaml").write_text(
        "state_machine: Shop/Orders\n"
        "scenarios:\n"
        "  - name: large\n    input: {amount: 500}\n"
        "    expect: {status: FAILED, error: Order.Other, cause_includes: refund}\n"
    )
    status = main(["demo", "--cdk-out", str(assembly), "--scenarios", str(folder)])
    out = capsys.readouterr().out
    assert status == 1
    assert '    cause:    amount over "100"' in out
    assert "    differs:  error: expected Order.Other, got Order.NeedsReview" in out
    assert '    differs:  cause: expected to include "refund", got amount over "100"' in out
    assert "'" not in out.split("NOT AS EXPECTED", 1)[1]  # no Python reprs
