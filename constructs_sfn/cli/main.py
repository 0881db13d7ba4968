"""Argument parsing and dispatch for ``constructs-sfn``.

Each command lives in its own module and adds itself with ``register_<name>(commands)``; its
parser sets ``handler``, the function that runs it. Every failure a user can cause (a missing
file, a file that is not UTF-8, invalid JSON or YAML, an unknown state machine, a bad option) is
reported as one line naming the file or option, with exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from constructs_sfn.cli.console import UsageError, emit, one_line
from constructs_sfn.cli.cost_command import register_cost
from constructs_sfn.cli.demo_command import register_demo
from constructs_sfn.cli.extract_command import register_extract
from constructs_sfn.cli.graph_command import register_graph
from constructs_sfn.cli.lint_command import register_lint
from constructs_sfn.cli.run_command import register_run
from constructs_sfn.cli.serve_command import register_serve
from constructs_sfn.cli.test_state_command import register_test_state
from constructs_sfn.cli.validate_command import register_validate

__all__ = ["main"]

_DESCRIPTION = """\
Run, test, validate, lint, draw and price AWS Step Functions state machines locally, and serve
them to AWS tools: ASL definitions (JSON or YAML), CloudFormation templates and CDK cloud
assemblies (cdk.out). Run 'constructs-sfn COMMAND --help' for a command's options.
Documentation: docs/cli.md in the repository.

Exit status: 0 success, 1 the workflow or check did not pass, 2 a usage error.
"""


def _version() -> str:
    try:
        return version("constructs-sfn")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="constructs-sfn", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"constructs-sfn {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    register_run(commands)
    register_test_state(commands)
    register_validate(commands)
    register_demo(commands)
    register_lint(commands)
    register_extract(commands)
    register_graph(commands)
    register_cost(commands)
    register_serve(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except UsageError as error:
        emit(f"constructs-sfn: {one_line(str(error))}", sys.stderr)
        return 2
    except KeyboardInterrupt:
        emit("constructs-sfn: interrupted", sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`constructs-sfn run ... | head`): stop quietly, as a process that
        # SIGPIPE ended would, and keep Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
