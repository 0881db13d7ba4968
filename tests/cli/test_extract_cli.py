"""``constructs-sfn extract`` through the installed console script: stdout, --machine, --out-dir."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / ".venv" / "bin" / "constructs-sfn"

ORDERS = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120, check=False)


def _machine(arn_part: Any) -> dict[str, Any]:
    head = json.dumps({"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "ARN", "End": True}}})
    before, after = head.split("ARN")
    return {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"DefinitionString": {"Fn::Join": ["", [before, arn_part, after]]}},
    }


def assembly(root: Path, *, two: bool = True) -> Path:
    out = root / "cdk.out"
    out.mkdir()
    resources: dict[str, Any] = {
        "ChargeFnAAAA": {"Type": "AWS::Lambda::Function"},
        "CheckoutBBBB": _machine({"Fn::GetAtt": ["ChargeFnAAAA", "Arn"]}),
    }
    metadata = {
        "/Shop/ChargeFn/Resource": [{"type": "aws:cdk:logicalId", "data": "ChargeFnAAAA"}],
        "/Shop/Checkout/Resource": [{"type": "aws:cdk:logicalId", "data": "CheckoutBBBB"}],
    }
    if two:
        resources["OrdersCCCC"] = {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {"DefinitionString": json.dumps(ORDERS)},
        }
        metadata["/Shop/Orders/Resource"] = [{"type": "aws:cdk:logicalId", "data": "OrdersCCCC"}]
    (out / "Shop.template.json").write_text(json.dumps({"Resources": resources}))
    manifest = {
        "artifacts": {
            "Shop": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "Shop.template.json"},
                "metadata": metadata,
            }
        }
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def test_single_machine_to_stdout_as_pretty_json(tmp_path: Path) -> None:
    out = assembly(tmp_path, two=False)
    result = run("extract", out)
    assert result.returncode == 0, result.stderr
    definition = json.loads(result.stdout)
    assert (
        definition["States"]["Charge"]["Resource"] == "arn:aws:lambda:us-east-1:123456789012:function:<Shop/ChargeFn>"
    )
    assert result.stdout == json.dumps(definition, indent=2) + "\n"
    # a template file works the same way
    assert run("extract", out / "Shop.template.json").stdout == result.stdout


def test_several_machines_need_machine_or_out_dir(tmp_path: Path) -> None:
    out = assembly(tmp_path)
    result = run("extract", out)
    assert result.returncode == 2
    assert "2 state machines (Shop/Checkout, Shop/Orders)" in result.stderr
    assert "choose one with --state-machine or write them all with --out-dir" in result.stderr
    for option in ("--state-machine", "--machine"):  # the name every command uses, and the older one
        picked = run("extract", out, option, "Orders")
        assert picked.returncode == 0
        assert json.loads(picked.stdout) == ORDERS


def test_an_asl_definition_is_already_plain_asl(tmp_path: Path) -> None:
    definition = tmp_path / "checkout.asl.json"
    definition.write_text(json.dumps(ORDERS))
    result = run("extract", definition)
    assert result.returncode == 2
    assert result.stderr == (
        f"constructs-sfn: {definition}: an ASL definition, not a template: it is already plain ASL "
        "(extract reads a CloudFormation template or cdk.out)\n"
    )


def test_out_dir_writes_one_file_per_machine(tmp_path: Path) -> None:
    out = assembly(tmp_path)
    target = tmp_path / "asl" / "nested"
    result = run("extract", out, "--out-dir", target)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["Shop-Checkout.asl.json", "Shop-Orders.asl.json"]
    assert json.loads((target / "Shop-Orders.asl.json").read_text()) == ORDERS
    assert f"Shop/Orders: {target / 'Shop-Orders.asl.json'}" in result.stdout


def test_unknown_machine_and_missing_source_exit_2(tmp_path: Path) -> None:
    out = assembly(tmp_path)
    unknown = run("extract", out, "--machine", "Nope")
    assert unknown.returncode == 2
    assert "no state machine 'Nope'" in unknown.stderr
    missing = run("extract", tmp_path / "nothing")
    assert missing.returncode == 2
    assert "no such file or directory" in missing.stderr
    assert "Traceback" not in unknown.stderr + missing.stderr


def test_extracted_definition_lints_like_the_assembly(tmp_path: Path) -> None:
    out = assembly(tmp_path)
    target = tmp_path / "asl"
    assert run("extract", out, "--out-dir", target).returncode == 0
    from_assembly = json.loads(run("lint", "--format", "json", out).stdout)["findings"]
    from_file = json.loads(run("lint", "--format", "json", target / "Shop-Checkout.asl.json").stdout)["findings"]
    definition_rules = {(f["rule"], f["state"]) for f in from_assembly if f["state"] is not None}
    assert definition_rules == {(f["rule"], f["state"]) for f in from_file}
    assert ("SFN004", "Charge") in definition_rules


def test_help() -> None:
    result = run("extract", "--help")
    assert result.returncode == 0
    for text in ("SOURCE", "--machine", "--out-dir", "placeholders", "stdout"):
        assert text in result.stdout


def test_lone_surrogate_state_names_extract_as_valid_json(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    definition_text = '{"StartAt":"\\ud800","States":{"\\ud800":{"Type":"Succeed"}}}'
    resources = {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": definition_text}}}
    (out / "S.template.json").write_text(json.dumps({"Resources": resources}))
    manifest = {
        "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    printed = run("extract", out)
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["StartAt"] == "\ud800"
    written = run("extract", out, "--out-dir", tmp_path / "asl")
    assert written.returncode == 0, written.stderr
    [file] = (tmp_path / "asl").iterdir()
    assert json.loads(file.read_text(encoding="utf-8"))["StartAt"] == "\ud800"


def test_hostile_templates_exit_2_in_one_line(tmp_path: Path) -> None:
    cases = {
        "deep.json": b'{"a":' * 3000 + b"1" + b"}" * 3000,
        "binary.json": bytes(range(256)),
        "array.json": b"[1]",
        "bad-definition.json": json.dumps(
            {"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{"}}}}
        ).encode(),
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = run("extract", path)
        assert result.returncode == 2, name
        assert "Traceback" not in result.stderr, name
        assert len(result.stderr.strip().splitlines()) == 1, name


def test_a_nul_in_a_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    # argv cannot carry a NUL, so this one runs in-process
    from constructs_sfn.cli import main

    assert main(["extract", "a\x00b"]) == 2
    assert main(["extract", ".", "--out-dir", "x\x00y"]) == 2
    assert main(["lint", "a\x00b"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "constructs-sfn: a\\x00b: not a valid path (it contains a NUL character)",
        "constructs-sfn: x\\x00y: not a valid path (it contains a NUL character)",
        "constructs-sfn: a\\x00b: not a valid path (it contains a NUL character)",
    ]
