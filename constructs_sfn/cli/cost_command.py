"""``constructs-sfn cost``: what a workflow would cost per execution as STANDARD and as EXPRESS."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from constructs_sfn.cli.console import UsageError, emit, read_text
from constructs_sfn.cli.graph_command import (
    add_price_options,
    check_history_matches,
    check_numbers,
    load_history_file,
    local_run_events,
    machine_definition,
    prices_option,
)
from constructs_sfn.cli.local_run import add_task_options, refuse_task_options
from constructs_sfn.cli.sources import pick_machine
from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text

__all__ = ["register_cost", "run_cost"]

_DESCRIPTION = """\
Estimate what one execution costs as a STANDARD workflow (per state transition, retries
included) and as an EXPRESS workflow (per request, plus the duration rounded up to 100 ms times
the memory in 64 MB chunks), from one or more runs, and say which is cheaper at a monthly volume
and above which volume EXPRESS wins. Prices are the public us-east-1 list prices unless --prices
overrides them (see docs/graph.md for the fields).

The runs are recorded histories (GetExecutionHistory JSON files, e.g. one per scenario), or local
runs of a definition: give the definition and one --input per scenario. Durations come from the
histories; a local run's clock is virtual (only Wait states and retry back-off take time), so
give --seconds for a realistic EXPRESS duration.

Exit status: 0 when the estimate was printed, 2 for a usage error (a missing or invalid file, a
bad option).
"""
_EPILOG = """\
examples:
  constructs-sfn cost history.json --per-month 1000000
  constructs-sfn cost happy.json refund.json --definition machine.asl.json --seconds 1.2
  constructs-sfn cost machine.asl.json --input '{"orderId": "o-1"}' --input @big-order.json
"""


def register_cost(commands: Any) -> None:
    """Add the ``cost`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "cost",
        help="estimate the cost per execution as STANDARD and as EXPRESS, and which is cheaper",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="execution history JSON files, or one state machine source (definition, template or cdk.out) with --input",
    )
    parser.add_argument(
        "--input",
        dest="inputs",
        action="append",
        default=[],
        metavar="JSON",
        help="run the state machine locally on this input (JSON text or @FILE); repeat for several scenarios",
    )
    parser.add_argument(
        "--definition",
        metavar="SOURCE",
        default=None,
        help="with history files: their state machine, for the memory estimate and the Express checks "
        "(.sync and callback tasks)",
    )
    parser.add_argument(
        "--state-machine",
        metavar="ID",
        default=None,
        help="which state machine of a template or cdk.out: its logical id or construct path",
    )
    add_task_options(parser, prefix="for --input: ")
    add_price_options(parser)
    parser.add_argument("--json", action="store_true", help="print the estimate as JSON")
    parser.set_defaults(handler=run_cost)


def _is_history(path: Path) -> bool:
    if path.is_dir() or not path.is_file():
        return False
    try:
        document = parse_json_text(read_text(path))
    except (JsonSyntaxError, UsageError):
        return False
    return isinstance(document, list) or (isinstance(document, dict) and "events" in document)


def run_cost(args: argparse.Namespace) -> int:
    """Print the estimate ``args`` ask for; return the exit status."""
    from constructs_sfn.visual import estimate_cost, run_overlay, run_usage

    check_numbers(args)
    paths = [Path(name) for name in args.files]
    for path in paths:
        if "\x00" not in str(path) and not path.exists():
            raise UsageError(f"{path}: no such file or directory")
    histories = [_is_history(path) for path in paths]
    definition = None
    runs: list[Any] = []
    if all(histories):
        if args.inputs:
            raise UsageError("--input runs a state machine: give its definition as FILE, not history files")
        refuse_task_options(args, "these serve the Task states of a local run, and history files are runs already")
        if args.definition is not None:
            machine = pick_machine(args.definition, args.state_machine)
            definition = machine_definition(machine)
        for path in paths:
            history = load_history_file(path)
            if definition is not None:
                check_history_matches(history, definition, str(path), args.definition)
            runs.append(history)
    else:
        if len(paths) > 1:
            first = next(path for path, is_history in zip(paths, histories, strict=True) if not is_history)
            raise UsageError(
                f"{first}: not an execution history; give either history files, or one state machine "
                "source with --input"
            )
        if not args.inputs:
            raise UsageError(f"{paths[0]}: a state machine source needs --input to run it (one per scenario)")
        machine = pick_machine(args.files[0], args.state_machine)
        definition = machine_definition(machine)
        runs = [local_run_events(machine, given, args) for given in args.inputs]
    usages = [run_usage(run_overlay(history, definition), definition, seconds=args.seconds) for history in runs]
    estimate = estimate_cost(usages, prices_option(args.prices))
    if args.json:
        document: dict[str, Any] = {
            "runs": estimate.runs,
            "stateTransitionsPerExecution": estimate.transitions,
            "secondsPerExecution": estimate.seconds,
            "billedSecondsPerExecution": estimate.billed_seconds,
            "billedMemoryMB": estimate.memory_mb,
            "standardPerExecution": estimate.standard_per_execution,
            "expressPerExecution": estimate.express_per_execution,
            "breakEvenExecutionsPerMonth": estimate.break_even(),
            "expressBlockers": list(estimate.express_blockers),
            "region": estimate.prices.region,
        }
        if args.per_month is not None:
            document["perMonth"] = {
                "executions": args.per_month,
                "standard": estimate.standard_monthly(args.per_month),
                "express": estimate.express_monthly(args.per_month),
                "cheaper": estimate.cheaper_at(args.per_month),
            }
        emit(json.dumps(document, indent=2))
    else:
        for line in estimate.summary(args.per_month):
            emit(line)
    return 0
