"""``constructs-sfn lint``: the validator and the lint rules over definitions, templates and cdk.out."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from constructs_sfn.cli.console import emit
from constructs_sfn.lint import (
    Finding,
    LintInputError,
    exit_status,
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
    for file in args.files:
        try:
            findings.extend(lint_path(file, state_machine_type=args.state_machine_type))
        except LintInputError as error:
            emit(f"constructs-sfn: {error}", sys.stderr)
            return 2
    if args.output_format == "json":
        emit(render_json(findings))
    elif args.output_format == "sarif":
        emit(render_sarif(findings, tool_version=_tool_version()))
    else:
        emit(render_text(findings))
    return exit_status(findings)
