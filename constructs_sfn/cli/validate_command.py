"""``constructs-sfn validate``: the checks CreateStateMachine applies, every problem on its own line."""

from __future__ import annotations

import argparse
from typing import Any

from constructs_sfn.cli.console import UsageError, emit, json_text
from constructs_sfn.cli.sources import load_machines
from constructs_sfn.local.definitions import check_definition

__all__ = ["register_validate", "run_validate"]

_DESCRIPTION = """\
Check state machine definitions as AWS Step Functions does before it accepts one
(CreateStateMachine, ValidateStateMachineDefinition), and list every problem, one per line:

  FILE: /JSON/pointer: CODE: message

For a template or cdk.out every state machine is checked, named FILE#construct-path.
For the opinionated checks (timeouts, retries, unbounded Maps ...) use 'constructs-sfn lint'.

Exit status: 0 when every definition is valid, 1 when one is not, 2 when a FILE cannot be read.
"""


def register_validate(commands: Any) -> None:
    """Add the ``validate`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "validate",
        help="check definitions as CreateStateMachine would, listing every problem",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="FILE",
        help="an ASL definition (JSON or YAML), a CloudFormation template (JSON) or a cloud assembly "
        "directory (cdk.out)",
    )
    parser.add_argument(
        "--type",
        dest="state_machine_type",
        type=str.upper,
        choices=("STANDARD", "EXPRESS"),
        default=None,
        help="check as this state machine type (default: the template's StateMachineType, else STANDARD)",
    )
    parser.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "json"),
        default="text",
        help='text: one line per problem (default); json: {"results": [{"file", "result", "diagnostics"}]} '
        "with diagnostics shaped as ValidateStateMachineDefinition returns them",
    )
    parser.set_defaults(handler=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """Validate every machine of every FILE; print the problems; return the exit status."""
    results: list[dict[str, Any]] = []
    for source in args.sources:
        machines = load_machines(source, state_machine_type=args.state_machine_type)
        if not machines:
            raise UsageError(f"{source}: no AWS::StepFunctions::StateMachine resource")
        for machine in machines:
            checked = check_definition(machine.definition_text, state_machine_type=machine.state_machine_type)
            diagnostics = [
                {
                    "severity": problem.severity,
                    "code": problem.code,
                    "message": problem.message,
                    **({"location": problem.location} if problem.location else {}),
                }
                for problem in checked.problems
            ]
            notes = sorted({note for problem in checked.errors for note in machine.notes_for(problem.location)})
            results.append(
                {
                    "file": machine.label,
                    "result": "FAIL" if checked.errors else "OK",
                    "diagnostics": diagnostics,
                    **({"notes": notes} if notes else {}),
                }
            )
    if args.output_format == "json":
        emit(json_text({"results": results}, indent=2))
    else:
        _print_text(results)
    return 1 if any(result["result"] == "FAIL" for result in results) else 0


def _print_text(results: list[dict[str, Any]]) -> None:
    errors = warnings = 0
    for result in results:
        if not result["diagnostics"]:
            emit(f"{result['file']}: OK")
        for diagnostic in result["diagnostics"]:
            warning = diagnostic["severity"] != "ERROR"
            errors += not warning
            warnings += warning
            where = diagnostic.get("location") or "/"
            kind = "warning: " if warning else ""
            emit(f"{result['file']}: {where}: {kind}{diagnostic['code']}: {diagnostic['message']}")
        for note in result.get("notes", ()):
            emit(f"{result['file']}: note: {note}")
    emit(f"{len(results)} definition(s) checked: {errors} error(s), {warnings} warning(s)")
