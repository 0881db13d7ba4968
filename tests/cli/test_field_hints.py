"""``constructs_sfn/cli/field_hints.py``: a note naming the ASL field a misspelled key was meant to
be, where validation fails (field names from https://states-language.net/spec.html), through the
installed console script."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from constructs_sfn.cli.field_hints import field_hints

Cli = Callable[..., subprocess.CompletedProcess[str]]


def test_run_validate_and_lint_name_the_field_a_yaml_typo_meant(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "machine.asl.yaml"
    path.write_text("StartAt: P\nStates:\n  P:\n    Tpye: Pass\n    End: true\n  Q:\n    Type: Pass\n    Nxt: P\n")
    tpye = "/States/P: 'Tpye' is not an ASL field; did you mean 'Type'?"
    nxt = "/States/Q: 'Nxt' is not an ASL field; did you mean 'Next'?"
    run = cli("run", path)
    assert run.returncode == 2
    assert run.stderr == (
        f"constructs-sfn: {path}: /States/P: These fields are required: [Type] "
        f"(and 2 more; 'constructs-sfn validate' lists them all) (note: {tpye})\n"
    )
    validate = cli("validate", path)
    assert validate.returncode == 1
    assert f"{path}: note: {tpye}" in validate.stdout.splitlines()
    assert f"{path}: note: {nxt}" in validate.stdout.splitlines()
    lint = cli("lint", path)
    assert lint.returncode == 1
    assert lint.stderr.splitlines() == [f"constructs-sfn: note: {path}: {tpye}", f"constructs-sfn: note: {path}: {nxt}"]


def test_payload_keys_and_state_names_are_the_users_own() -> None:
    document = {
        "StartAt": "Nxt",
        "States": {"Nxt": {"Type": "Pass", "Parameters": {"Nxt": 1, "Typ.$": "$.a"}, "End": True}},
    }
    assert field_hints(document, "/States") == ()
    assert field_hints(document, "/States/Nxt/Parameters") == ()
    assert field_hints(document, "/States/Nxt") == ()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (
            {"Type": "Pass", "ResultPth": "$.x", "End": True},
            "'ResultPth' is not an ASL field; did you mean 'ResultPath'?",
        ),
        (
            {"Type": "Task", "Resource": "r", "Retry": [], "Timeoutseconds": 3, "End": True},
            "did you mean 'TimeoutSeconds'?",
        ),
        (
            {"Type": "Pass", "Parameter.$": "$", "End": True},
            "'Parameter.$' is not an ASL field; did you mean 'Parameters'?",
        ),
    ],
)
def test_a_close_key_is_hinted(state: dict[str, object], expected: str) -> None:
    [note] = field_hints(json.loads(json.dumps({"States": {"A": state}})), "/States/A")
    assert note.startswith("/States/A: ")
    assert note.endswith(expected)


def test_a_key_close_to_nothing_gets_no_hint() -> None:
    assert field_hints({"States": {"A": {"Type": "Pass", "Zebra": 1}}}, "/States/A") == ()
