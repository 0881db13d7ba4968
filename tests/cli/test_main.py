"""``constructs-sfn`` itself: --version from the installed metadata, --help for every command and
option, written for users (no reST markup)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]
COMMANDS = ["run", "test-state", "validate", "demo", "lint", "extract", "graph", "cost", "serve"]
WITH_EXIT_STATUS = {"run", "test-state", "validate", "demo", "lint", "extract", "graph", "cost"}
SCRIPT = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "constructs-sfn"
RST = re.compile(r"``|:func:|:class:|:meth:|:mod:|:attr:|:data:")


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"constructs-sfn {version('constructs-sfn')}"


def test_top_level_help_lists_the_commands(cli: Cli) -> None:
    result = cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\b", result.stdout, re.MULTILINE), command
    assert not RST.search(result.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_has_help_without_markup(cli: Cli, command: str) -> None:
    result = cli(command, "--help")
    assert result.returncode == 0
    assert not RST.search(result.stdout), RST.search(result.stdout)
    options = re.findall(
        r"^  (-[-\w]+(?:, --[-\w]+)?)(?: [A-Z{][^ \n]*)?(?: {2,}(\S.*))?$", result.stdout, re.MULTILINE
    )
    assert options, result.stdout
    for option, text in options:
        # an option's help is on its line or on the next one (argparse wraps long metavars)
        following = result.stdout.split(f"  {option}", 1)[1].splitlines()
        wrapped = len(following) > 1 and following[1].startswith(" " * 6) and following[1].strip()
        assert text or wrapped, f"{command} {option} has no help"
    if command in WITH_EXIT_STATUS:
        assert "Exit status" in result.stdout


def test_no_command_is_a_usage_error(cli: Cli) -> None:
    result = cli()
    assert result.returncode == 2
    assert "required: COMMAND" in result.stderr


def test_output_cut_short_by_its_reader_ends_quietly(tmp_path: Path) -> None:
    """``constructs-sfn run ... | head -1``: the reader closes the pipe; no traceback, status 141."""
    loop = {
        "StartAt": "Count",
        "States": {
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "More"},
            "More": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericLessThan": 2000, "Next": "Count"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    machine = tmp_path / "loop.asl.json"
    machine.write_text(json.dumps(loop))
    command = [str(SCRIPT), "run", str(machine), "--input", '{"n": 0}', "--history"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # as `head -1` does
        errors = process.stderr.read().decode()
        status = process.wait(timeout=120)
    assert first.startswith(b"+0s")
    assert errors == ""
    assert status == 141
