"""``constructs-sfn lint`` through the installed console script: formats, exit statuses, inputs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / ".venv" / "bin" / "constructs-sfn"

CLEAN = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}
WARNS = {
    "StartAt": "Publish",
    "States": {"Publish": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True}},
}
BROKEN = {"StartAt": "Publish", "States": {"Publish": {"Type": "Pass", "Next": "Nowhere"}}}
LONG_WAIT = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 900, "End": True}}}


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The console script, as a user runs it."""
    return subprocess.run(
        [str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120, check=False, cwd=cwd
    )


def write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def assembly(root: Path, definition: dict[str, Any], machine_type: str = "STANDARD") -> Path:
    out = root / "cdk.out"
    out.mkdir()
    properties = {"DefinitionString": json.dumps(definition), "StateMachineType": machine_type}
    template = {"Resources": {"Orders1234": {"Type": "AWS::StepFunctions::StateMachine", "Properties": properties}}}
    write(out / "Shop.template.json", template)
    manifest = {
        "artifacts": {
            "Shop": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "Shop.template.json"},
                "metadata": {"/Shop/Orders/Resource": [{"type": "aws:cdk:logicalId", "data": "Orders1234"}]},
            }
        }
    }
    write(out / "manifest.json", manifest)
    return out


def test_clean_definition_exits_0(tmp_path: Path) -> None:
    result = run("lint", write(tmp_path / "clean.json", CLEAN))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 error(s), 0 warning(s), 0 info"


def test_warnings_only_exit_0_and_errors_exit_1(tmp_path: Path) -> None:
    warns = run("lint", write(tmp_path / "warns.json", WARNS))
    assert warns.returncode == 0
    assert "warning SFN001" in warns.stdout
    both = run("lint", tmp_path / "warns.json", write(tmp_path / "broken.json", BROKEN))
    assert both.returncode == 1
    assert f"{tmp_path / 'broken.json'}: /States/Publish/Next (state 'Publish'): error SFN000" in both.stdout
    assert "warning SFN001" in both.stdout


def test_json_format(tmp_path: Path) -> None:
    result = run("lint", "--format", "json", write(tmp_path / "broken.json", BROKEN))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert set(document) == {"findings"}
    first = document["findings"][0]
    assert first == {
        "rule": "SFN000",
        "severity": "error",
        "file": str(tmp_path / "broken.json"),
        "state": "Publish",
        "pointer": "/States/Publish/Next",
        "message": "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere",
        "fix": first["fix"],
    }
    assert first["fix"]


def test_sarif_format(tmp_path: Path) -> None:
    result = run("lint", "--format", "sarif", write(tmp_path / "warns.json", WARNS))
    assert result.returncode == 0
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["tool"]["driver"]["name"] == "constructs-sfn lint"
    [sarif_result] = log["runs"][0]["results"]
    assert (sarif_result["ruleId"], sarif_result["level"]) == ("SFN001", "warning")


def test_type_option_and_template_type(tmp_path: Path) -> None:
    wait = write(tmp_path / "wait.json", LONG_WAIT)
    assert run("lint", wait).returncode == 0
    express = run("lint", "--type", "express", wait)
    assert express.returncode == 1
    assert "error SFN021" in express.stdout
    out = assembly(tmp_path, LONG_WAIT, machine_type="EXPRESS")
    from_template = run("lint", "--format", "json", out)
    assert from_template.returncode == 1
    findings = json.loads(from_template.stdout)["findings"]
    [finding] = [f for f in findings if f["state"] is not None]
    assert finding["rule"] == "SFN021"
    # the template rules see the bare resource: no logging, tracing, alarm or owner
    assert {f["rule"] for f in findings if f["state"] is None} == {"SFN050", "SFN051", "SFN052", "SFN053"}
    assert finding["file"] == f"{out / 'Shop.template.json'}#Shop/Orders"
    assert run("lint", "--type", "STANDARD", out).returncode == 0


def test_template_file(tmp_path: Path) -> None:
    out = assembly(tmp_path, BROKEN)
    result = run("lint", out / "Shop.template.json")
    assert result.returncode == 1
    assert f"{out / 'Shop.template.json'}#Shop/Orders: /States/Publish/Next" in result.stdout


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda d: d / "missing.json", "missing.json: no such file or directory"),
        (
            lambda d: (d / "bad.json", (d / "bad.json").write_text("{oops")) and d / "bad.json",
            "bad.json: not JSON (line 1, column 3)",
        ),
        (lambda d: d, "not a cloud assembly"),
    ],
    ids=["missing-file", "bad-json", "not-an-assembly"],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, setup: Any, expected: str) -> None:
    result = run("lint", setup(tmp_path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_bad_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run("lint", "--format", "xml", write(tmp_path / "clean.json", CLEAN))
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr


def test_help_describes_every_option() -> None:
    result = run("lint", "--help")
    assert result.returncode == 0
    for text in ("FILE", "--type", "--format", "cdk.out", "sarif", "Exit status", "docs/lint.md"):
        assert text in result.stdout


SURROGATE_NAME = (
    '{"StartAt":"\\ud800","States":{"\\ud800":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true}}}'
)
HOSTILE: dict[str, bytes] = {
    "lone-surrogate-state-name": SURROGATE_NAME.encode(),
    "not-utf8": b"\xff\xfe\x00garbage",
    "utf8-bom": b"\xef\xbb\xbf" + json.dumps(CLEAN).encode(),
    "empty": b"",
    "json-array": b"[1, 2, 3]",
    "deep-nesting": b'{"a":' * 3000 + b"1" + b"}" * 3000,
    "yaml-alias-bomb": b"a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n",
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_hostile_files_never_print_a_traceback(tmp_path: Path, name: str, output_format: str) -> None:
    path = tmp_path / f"{name}.json"
    path.write_bytes(HOSTILE[name])
    result = run("lint", "--format", output_format, path)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1, 2)
    if result.returncode == 2:
        assert len(result.stderr.strip().splitlines()) == 1
        assert str(path) in result.stderr
    elif output_format != "text":
        json.loads(result.stdout)  # still valid JSON, whatever the state names hold


def test_lone_surrogate_is_shown_as_an_escape(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.json"
    path.write_text(SURROGATE_NAME)
    text = run("lint", path)
    assert text.returncode == 0
    assert "(state '\\ud800')" in text.stdout
    [finding] = json.loads(run("lint", "--format", "json", path).stdout)["findings"]
    assert finding["state"] == "\ud800"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("StartAt: P\nStates:\n  P: {Type: Pass, End: true\n", "not YAML (line 4, column 1: expected ',' or '}'"),
        (
            "Comment: 2024-01-01\nStartAt: P\nStates:\n  P: {Type: Pass, End: true}\n",
            "YAML 1.1 reads 2024-01-01 as a date",
        ),
    ],
    ids=["yaml-syntax", "yaml-date"],
)
def test_a_yaml_mistake_is_reported_as_validate_and_run_report_it(tmp_path: Path, text: str, message: str) -> None:
    """lint reads definition files as the other commands do: a YAML error is YAML's, not "Invalid JSON"."""
    path = tmp_path / "machine.asl.yaml"
    path.write_text(text)
    linted = run("lint", path)
    validated = run("validate", path)
    assert linted.returncode == validated.returncode == 2
    assert message in linted.stderr
    assert linted.stderr == validated.stderr
    assert "Invalid JSON" not in linted.stderr


def test_the_yaml_value_behind_an_error_finding_gets_a_note(tmp_path: Path) -> None:
    path = tmp_path / "machine.asl.yaml"
    path.write_text("Comment: 0755\nStartAt: P\nStates:\n  P: {Type: Pass, End: true}\n")
    for output_format in ("text", "json"):
        result = run("lint", "--format", output_format, path)
        assert result.returncode == 1
        assert result.stderr == (
            f'constructs-sfn: note: {path}: line 1: YAML 1.1 reads 0755 as the number 493 (octal); quote it ("0755") '
            "if you meant text\n"
        )
    assert json.loads(result.stdout)["findings"][0]["pointer"] == "/Comment"
