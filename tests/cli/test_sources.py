"""Definition files as the CLI reads them (``constructs_sfn/cli/sources.py``): YAML mistakes with
YAML's own message and line, and hints for values YAML 1.1 turns into dates or booleans."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]


def yaml_file(folder: Path, text: str) -> Path:
    path = folder / "machine.asl.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_yaml_syntax_error_names_yaml_and_its_line(cli: Cli, tmp_path: Path, command: str) -> None:
    path = yaml_file(tmp_path, "StartAt: P\nStates:\n  P:\n    Type: Pass\n    End: true\n   Result: [unclosed\n")
    result = cli(command, path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"constructs-sfn: {path}: not YAML (line 6, column 4: expected <block end>, but found '<block mapping start>')"
    )
    assert "Invalid JSON" not in result.stderr


def test_broken_json_is_reported_as_json(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "machine.json"
    path.write_text('{"StartAt": "P",\n "States": {"P": {"Type": "Pass" "End": true}}}')
    result = cli("validate", path)
    assert result.returncode == 2
    assert f"{path}: not JSON (line 2, column 35): Unexpected character" in result.stderr


def test_an_unquoted_date_is_refused_with_a_hint(cli: Cli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "Comment: 2024-01-01\nStartAt: P\nStates:\n  P: {Type: Pass, End: true}\n")
    result = cli("run", path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"constructs-sfn: {path}: line 1: YAML 1.1 reads 2024-01-01 as a date, and JSON has no dates; "
        'quote it ("2024-01-01") to keep it as text'
    )
    quoted = yaml_file(tmp_path, 'Comment: "2024-01-01"\nStartAt: P\nStates:\n  P: {Type: Pass, End: true}\n')
    assert cli("run", quoted).returncode == 0


def test_a_yes_no_boolean_that_breaks_the_definition_gets_a_hint(cli: Cli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "Comment: on\nStartAt: P\nStates:\n  P: {Type: Pass, End: yes}\n")
    run = cli("run", path)
    assert run.returncode == 2
    # only the value at the failing pointer is blamed, not End: yes
    assert run.stderr.strip() == (
        f"constructs-sfn: {path}: /Comment: Expected value of type [STRING] "
        '(note: line 1: YAML 1.1 reads on as the boolean true; quote it ("on") if you meant text)'
    )
    validate = cli("validate", path)
    assert validate.returncode == 1
    assert validate.stdout.splitlines()[:2] == [
        f"{path}: /Comment: SCHEMA_VALIDATION_FAILED: Expected value of type [STRING]",
        f'{path}: note: line 1: YAML 1.1 reads on as the boolean true; quote it ("on") if you meant text',
    ]


def test_a_boolean_key_is_located_as_json_spells_it(cli: Cli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "StartAt: no\nStates:\n  no: {Type: Pass, End: true}\n")
    result = cli("run", path)
    assert result.returncode == 2
    assert "/StartAt: Expected value of type [STRING]" in result.stderr
    assert 'YAML 1.1 reads no as the boolean false; quote it ("no")' in result.stderr


def test_a_working_definition_with_a_yes_value_runs_with_a_note(cli: Cli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "StartAt: P\nStates:\n  P: {Type: Pass, End: yes, Result: {answer: yes}}\n")
    result = cli("run", path)
    assert result.returncode == 0, result.stderr
    assert 'output: {"answer":true}' in result.stdout
    [note] = result.stderr.splitlines()  # for Result only: End expects a boolean
    assert (
        note
        == f'constructs-sfn: note: {path}: line 3: YAML 1.1 reads yes as the boolean true; quote it ("yes") if you meant text'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("hello", "not JSON (line 1, column 6)"),
        ("a: !!binary aGVsbG8=\n", "the YAML holds a value JSON cannot represent"),
        ("a: .nan\n", "the YAML holds a value JSON cannot represent"),
    ],
    ids=["empty", "a-word", "binary", "nan"],
)
def test_text_that_is_no_definition(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    result = cli("validate", yaml_file(tmp_path, text))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_yaml_template_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "Resources:\n  M: {Type: 'AWS::StepFunctions::StateMachine'}\n")
    result = cli("run", path)
    assert result.returncode == 2
    assert "a YAML CloudFormation template; use the JSON template 'cdk synth' writes" in result.stderr


@pytest.mark.parametrize(
    ("written", "value", "how"),
    [("0755", "493", "octal"), ("0x1F", "31", "hexadecimal"), ("0b101", "5", "binary"), ("1:30", "90", "base 60")],
)
def test_a_number_yaml_reads_in_another_base_gets_a_note(
    cli: Cli, tmp_path: Path, written: str, value: str, how: str
) -> None:
    """YAML 1.1 integers (https://yaml.org/type/int.html): a leading 0 is octal, 0x hex, 0b binary,
    and colons make base 60; JSON has none of them, so the value differs from its digits."""
    path = yaml_file(tmp_path, f"StartAt: P\nStates:\n  P: {{Type: Pass, Result: {{mode: {written}}}, End: true}}\n")
    result = cli("run", path)
    assert result.returncode == 0, result.stderr
    assert f'output: {{"mode":{value}}}' in result.stdout
    assert result.stderr == (
        f"constructs-sfn: note: {path}: line 3: YAML 1.1 reads {written} as the number {value} ({how}); "
        f'quote it ("{written}") if you meant text\n'
    )
    quoted = yaml_file(
        tmp_path, f'StartAt: P\nStates:\n  P: {{Type: Pass, Result: {{mode: "{written}"}}, End: true}}\n'
    )
    plain = cli("run", quoted)
    assert plain.returncode == 0
    assert plain.stderr == ""
    assert f'output: {{"mode":"{written}"}}' in plain.stdout


def test_decimal_numbers_get_no_note(cli: Cli, tmp_path: Path) -> None:
    path = yaml_file(
        tmp_path, "StartAt: P\nStates:\n  P: {Type: Pass, Result: {a: 0, b: 10, c: -3, d: 1.5, e: 1_000}, End: true}\n"
    )
    result = cli("run", path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert 'output: {"a":0,"b":10,"c":-3,"d":1.5,"e":1000}' in result.stdout


def test_an_octal_number_that_breaks_the_definition_gets_the_note_with_the_error(cli: Cli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "Comment: 0755\nStartAt: P\nStates:\n  P: {Type: Pass, End: true}\n")
    validate = cli("validate", path)
    assert validate.returncode == 1
    assert validate.stdout.splitlines()[:2] == [
        f"{path}: /Comment: SCHEMA_VALIDATION_FAILED: Expected value of type [STRING]",
        f'{path}: note: line 1: YAML 1.1 reads 0755 as the number 493 (octal); quote it ("0755") if you meant text',
    ]


@pytest.mark.parametrize(
    ("written", "note"),
    [
        ("~", "YAML reads ~ as null; write the value, quoted if it is text"),
        (
            "",
            (
                "YAML reads an empty value as null; write the value (quoted if it is text), or indent the lines "
                "meant to be under it"
            ),
        ),
    ],
)
def test_a_null_that_breaks_the_definition_gets_a_note(cli: Cli, tmp_path: Path, written: str, note: str) -> None:
    """``~`` and an empty value are YAML's null (https://yaml.org/type/null.html)."""
    path = yaml_file(tmp_path, f"StartAt: P\nStates:\n  P:\n    Type: Pass\n    Next: {written}\n")
    result = cli("run", path)
    assert result.returncode == 2
    assert result.stderr == (
        f"constructs-sfn: {path}: /States/P/Next: Expected value of type [STRING] (note: line 5: {note})\n"
    )


def test_a_null_where_one_is_allowed_gets_no_note(cli: Cli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "StartAt: P\nStates:\n  P: {Type: Pass, Result: {none: ~}, End: true}\n")
    result = cli("run", path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert 'output: {"none":null}' in result.stdout
