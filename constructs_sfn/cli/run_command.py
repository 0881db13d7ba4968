"""``constructs-sfn run``: run one state machine on the local client and show what it did."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from constructs_sfn.cli.console import UsageError, emit, json_text, parse_json_option
from constructs_sfn.cli.local_run import add_task_options, run_locally
from constructs_sfn.cli.progress import MapRunProgress
from constructs_sfn.cli.sources import MachineSource, add_machine_arguments, pick_machine
from constructs_sfn.cli.timeline import (
    TimelineRecorder,
    aws_json_value,
    render_event_table,
    render_timeline,
    seconds_text,
)
from constructs_sfn.local.definitions import check_definition

__all__ = ["register_run", "run_run"]

_DESCRIPTION = """\
Run a state machine on the local executor and print what it did: one line per state (when it
started, its type, how long it took on the virtual clock, and its outcome: the next state, retries,
caught errors), then the final status and the output or the error and cause.

Time is virtual: Wait states, retry back-off and timeouts take no real time. Task states are
served by, in this order: the mock configuration's test case (--mock-config with --test-case, as
AWS Step Functions Local does), Python handlers bound to Lambda functions (--handler), and, with
--aws, real AWS SDK calls. Any other Task fails with States.Runtime, naming the state.

Exit status: 0 when the execution succeeded, 1 when it failed, timed out or was aborted,
2 for a usage error (a missing or invalid file, a bad option).
"""
_EPILOG = """\
examples:
  constructs-sfn run machine.asl.json --input '{"orderId": "o-1"}'
  constructs-sfn run cdk.out --state-machine Shop/Orders --input @order.json --history
  constructs-sfn run machine.asl.json --mock-config MockConfigFile.json --test-case HappyPath --json
  constructs-sfn run machine.asl.json --handler Charge=handlers:charge
"""


def register_run(commands: Any) -> None:
    """Add the ``run`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "run",
        help="run a state machine locally and show its path, outcome and history",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_machine_arguments(parser, purpose="to run")
    parser.add_argument(
        "--input",
        default="{}",
        metavar="JSON",
        help="the execution input as JSON text, @FILE to read it from a file, or @- from standard input (default: {})",
    )
    parser.add_argument(
        "--name",
        default=None,
        help="the state machine's name, which a mock configuration file's StateMachines are keyed by "
        "(default: the definition file's name up to the first dot; for a template, the construct id)",
    )
    parser.add_argument(
        "--type",
        dest="state_machine_type",
        type=str.upper,
        choices=("STANDARD", "EXPRESS"),
        default=None,
        help="the state machine type (default: the template's StateMachineType, else STANDARD)",
    )
    add_task_options(parser)
    parser.add_argument(
        "--history",
        action="store_true",
        help="also print the execution history: a table of events, or with --json the events as "
        "GetExecutionHistory returns them",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON shaped like DescribeExecution (timestamps in ISO 8601 with "
        "milliseconds, as the AWS CLI shows them)",
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="do not draw the progress line of a Distributed Map run (items done, failed, rate, time "
        "left); it is drawn only when standard error is a terminal",
    )
    parser.set_defaults(handler=run_run)


def _checked(machine: MachineSource) -> None:
    checked = check_definition(machine.definition_text, state_machine_type=machine.state_machine_type)
    errors = checked.errors
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more; 'constructs-sfn validate' lists them all)" if len(errors) > 1 else ""
        where = f"{first.location}: " if first.location else ""
        raise UsageError(machine.with_notes(f"{machine.label}: {where}{first.message}{more}", first.location))


def run_run(args: argparse.Namespace) -> int:
    """Run the state machine ``args`` name; print the timeline or JSON; return the exit status."""
    machine = pick_machine(args.source, args.state_machine, state_machine_type=args.state_machine_type)
    if args.name is not None:
        machine = machine.renamed(args.name)
    parse_json_option(args.input, "--input")
    _checked(machine)
    for note in machine.yaml_notes:
        emit(f"constructs-sfn: note: {machine.label}: {note}", sys.stderr)
    recorder = TimelineRecorder()
    progress = None if args.no_progress or not sys.stderr.isatty() else MapRunProgress(recorder, sys.stderr)
    try:
        run = run_locally(machine, args.input, args, observer=progress or recorder)
    finally:
        if progress is not None:
            progress.finish()
    body, execution = run.body, run.execution
    if args.json:
        document = dict(body)
        if args.history:
            from constructs_sfn.local.shapes import history_events

            document["events"] = history_events(execution.events)
        emit(json_text(aws_json_value(document), indent=4))
    else:
        definition = json.loads(machine.definition_text)
        for line in render_timeline(recorder, definition, start=execution.start_date, running=False):
            emit(line)
        _summary(body, execution)
        if args.history:
            emit("")
            for line in render_event_table(execution.events):
                emit(line)
    return 0 if body["status"] == "SUCCEEDED" else 1


def _summary(body: dict[str, Any], execution: Any) -> None:
    status = body["status"]
    # From the start to the stop date: the clock may have moved on since (a run that waited for an
    # answer lets virtual time pass until the execution's own limit).
    started, stopped = body.get("startDate"), body.get("stopDate")
    if isinstance(started, datetime) and isinstance(stopped, datetime):
        seconds = (stopped - started).total_seconds()
    else:
        seconds = execution.seconds_since_start()
    emit(f"{status} after {seconds_text(seconds)} of workflow time ({len(execution.events)} history events)")
    if status == "SUCCEEDED":
        emit(f"output: {body.get('output', 'null')}")
        return
    if body.get("error") is not None:
        emit(f"error: {body['error']}")
    if body.get("cause") is not None:
        emit(f"cause: {body['cause']}")
