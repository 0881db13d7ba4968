"""``constructs-sfn lint``: the validator and the lint rules over definitions, templates and cdk.out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from constructs_sfn.cli.console import emit
from constructs_sfn.cli.sources import load_definition_file
from constructs_sfn.lint import (
    Finding,
    LintInputError,
    exit_status,
    lint_definition,
    lint_path,
    render_json,
    render_sarif,
    render_text,
)

__all__ = ["register_lint", "run_lint"]

_DESCRIPTION = """\
Check Step Functions definitions for the mistakes behind most incidents (Tasks without timeouts,
task tokens never passed, Retry without back-off caps or jitter, Catch that loses the input,
unbounded Maps, endless loops, ...) and for everything validation rejects. Every rule is
documented, with how to fix it and how to suppress it, in docs/lint.md.

Exit status: 1 when any finding is an error, 0 otherwise, 2 when a FILE cannot be read.
"""


def register_lint(commands: Any) -> None:
    """Add the ``lint`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "lint",
        help="check definitions, templates or cdk.out for known Step Functions mistakes",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="an ASL definition (JSON or YAML), a CloudFormation template (JSON), or a cloud assembly "
        "directory (cdk.out); in the last two every state machine is checked",
    )
    parser.add_argument(
        "--type",
        dest="state_machine_type",
        type=str.upper,
        choices=("STANDARD", "EXPRESS"),
        default=None,
        help="the state machine type to check against (default: the template's StateMachineType, else STANDARD)",
    )
    parser.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "json", "sarif"),
        default="text",
        help='text: one line per finding (default); json: {"findings": [...]} for scripts; '
        "sarif: SARIF 2.1.0 for code scanning and editors",
    )
    parser.set_defaults(handler=run_lint)


def _tool_version() -> str:
    try:
        return version("constructs-sfn")
    except PackageNotFoundError:
        return "0"


def run_lint(args: argparse.Namespace) -> int:
    """Lint every FILE of ``args``; print the findings; return the exit status."""
    findings: list[Finding] = []
    notes: list[str] = []
    for file in args.files:
        try:
            findings.extend(_lint_file(file, args.state_machine_type, notes))
        except LintInputError as error:
            emit(f"constructs-sfn: {error}", sys.stderr)
            return 2
    for note in notes:  # on stderr, so that json and sarif output stay one document
        emit(f"constructs-sfn: note: {note}", sys.stderr)
    if args.output_format == "json":
        emit(render_json(findings))
    elif args.output_format == "sarif":
        emit(render_sarif(findings, tool_version=_tool_version()))
    else:
        emit(render_text(findings))
    return exit_status(findings)


def _lint_file(file: str, state_machine_type: str | None, notes: list[str]) -> list[Finding]:
    """The findings for one FILE. A definition file is read as every command reads one (JSON by
    AWS's rules, else YAML with YAML's own error and line, and hints for values YAML 1.1 turns
    into dates, booleans, numbers or nulls); the YAML notes behind an error finding go to ``notes``."""
    path = Path(file)
    if "\x00" in file or not path.is_file():
        return lint_path(file, state_machine_type=state_machine_type)
    loaded = load_definition_file(path)
    if loaded.is_template or not isinstance(loaded.document, Mapping):
        return lint_path(file, state_machine_type=state_machine_type)
    found = lint_definition(loaded.document, state_machine_type=state_machine_type or "STANDARD")
    blamed = {note for finding in found if finding.severity == "error" for note in loaded.notes_for(finding.pointer)}
    notes.extend(f"{file}: {note}" for note in sorted(blamed))
    return [finding.with_file(file) for finding in found]
