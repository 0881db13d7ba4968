"""``constructs-sfn graph``: the state machine as a graph, with a run's outcomes drawn on it.

Also home of what ``graph`` and ``cost`` share: reading a history file, running a machine locally
for ``--input``, and the price options.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from constructs_sfn.asl import DefinitionError, parse_definition
from constructs_sfn.asl.model.states import StateMachineDefinition
from constructs_sfn.cli.console import UsageError, emit, read_text
from constructs_sfn.cli.local_run import add_task_options, refuse_task_options, run_locally
from constructs_sfn.cli.sources import MachineSource, add_machine_arguments, pick_machine
from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text

__all__ = [
    "add_price_options",
    "check_history_matches",
    "check_numbers",
    "load_history_file",
    "local_run_events",
    "machine_definition",
    "prices_option",
    "register_graph",
    "run_graph",
]

_DESCRIPTION = """\
Draw a state machine as a graph laid out like the Step Functions console (top to bottom, Choice
branches side by side, Parallel branches and Map item processors as nested boxes), by Graphviz
'dot', which must be installed (Debian/Ubuntu: apt-get install graphviz).

Without a run, --format svg (or png) writes a static image of the definition (for READMEs and PR
comments); with a run, the image is coloured by it.
With a run, the HTML report colours each state by outcome (succeeded, failed, caught, retried,
not reached), highlights the path taken, shows Map item counts by outcome, and shows a state's
input, output, error, retries and timings when you click it; it ends with the STANDARD versus
EXPRESS cost estimate. The run is either a recorded history (--execution: the JSON that
'aws stepfunctions get-execution-history' or boto3 returns) or a local run (--input).
The HTML file is self-contained: no network is needed to view it.

Exit status: 0 when the file was written (whatever the run's outcome), 2 for a usage error.
"""
_EPILOG = """\
examples:
  constructs-sfn graph machine.asl.json --format svg -o machine.svg
  constructs-sfn graph machine.asl.json --input '{"orderId": "o-1"}' -o run.html
  aws stepfunctions get-execution-history --execution-arn ARN > history.json
  constructs-sfn graph machine.asl.json --execution history.json -o run.html
  constructs-sfn graph cdk.out --state-machine Shop/Orders --input @order.json \\
      --mock-config MockConfigFile.json --test-case HappyPath -o run.html
"""


def register_graph(commands: Any) -> None:
    """Add the ``graph`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "graph",
        help="draw a state machine (and a run of it) as SVG or as a self-contained HTML report",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_machine_arguments(parser, purpose="to draw")
    run = parser.add_mutually_exclusive_group()
    run.add_argument(
        "--execution",
        metavar="HISTORY.json",
        default=None,
        help='a recorded run: GetExecutionHistory\'s JSON ({"events": [...]}, either order) or a list of events',
    )
    run.add_argument(
        "--input",
        metavar="JSON",
        default=None,
        help="run the state machine locally on this input (JSON text, @FILE, or @- for stdin) and draw that run",
    )
    add_task_options(parser, prefix="for --input: ")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help="the file to write (default: the source's name with .html or .svg, in the current directory)",
    )
    parser.add_argument(
        "--format",
        choices=("html", "svg", "png"),
        default=None,
        help="html: the interactive report (default); svg or png: the drawing alone (the default when FILE "
        "ends in .svg or .png)",
    )
    parser.add_argument("--title", default=None, help="the report's title (default: the state machine's name)")
    add_price_options(parser)
    parser.add_argument(
        "--layout-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop Graphviz if the layout takes longer than this (default: 60)",
    )
    parser.set_defaults(handler=run_graph)


def add_price_options(parser: argparse.ArgumentParser) -> None:
    """The cost estimate's options (shared by ``graph`` and ``cost``)."""
    parser.add_argument(
        "--prices",
        metavar="FILE",
        default=None,
        help="a JSON object overriding price fields (region, standard_per_transition, express_per_request, "
        "express_gb_second_tiers, ...); default: the public us-east-1 prices",
    )
    parser.add_argument(
        "--per-month",
        type=float,
        default=None,
        metavar="N",
        help="compare STANDARD and EXPRESS at N executions per month",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        metavar="S",
        help="price each execution as taking S seconds (default: the run's duration; a local run on the "
        "virtual clock only counts Wait states and retry back-off)",
    )


def machine_definition(machine: MachineSource) -> StateMachineDefinition:
    """The parsed definition of a machine; a :class:`UsageError` naming the JSON pointer otherwise."""
    try:
        return parse_definition(machine.definition_text)
    except DefinitionError as error:
        raise UsageError(machine.with_notes(f"{machine.label}: {error}")) from None


def load_history_file(path: Path) -> Any:
    """A history file's events; a :class:`UsageError` when it is not JSON or not a history."""
    from constructs_sfn.visual import HistoryError, read_history

    try:
        document = parse_json_text(read_text(path))
    except JsonSyntaxError as error:
        detail = error.message or "no JSON value"
        raise UsageError(f"{path}: not JSON (line {error.line}, column {error.column}): {detail}") from None
    try:
        read_history(document)
    except HistoryError as error:
        raise UsageError(f"{path}: {error}") from None
    return document


def prices_option(value: str | None) -> Any:
    """The :class:`~constructs_sfn.visual.Prices` of ``--prices`` (the defaults without it)."""
    from constructs_sfn.visual import PriceError, Prices, load_prices

    if value is None:
        return Prices()
    path = Path(value)
    try:
        document = parse_json_text(read_text(path))
    except JsonSyntaxError as error:
        detail = error.message or "no JSON value"
        raise UsageError(f"{path}: not JSON (line {error.line}, column {error.column}): {detail}") from None
    try:
        return load_prices(document, str(path))
    except PriceError as error:
        raise UsageError(str(error)) from None


def check_numbers(args: argparse.Namespace) -> None:
    """``--per-month`` and ``--seconds`` must be finite and not negative."""
    import math

    for option, value in (("--per-month", args.per_month), ("--seconds", args.seconds)):
        if value is not None and (not math.isfinite(value) or value < 0):
            raise UsageError(f"{option} {value:g}: expected a finite number of at least 0")


def check_history_matches(history: Any, definition: StateMachineDefinition, source: str, label: str) -> None:
    """A history of another state machine is refused: it names states the definition does not have."""
    from constructs_sfn.visual import build_graph, run_overlay

    known = build_graph(definition).node_of_state
    unknown = sorted(name for name in run_overlay(history, definition).states if name not in known)
    if unknown:
        shown = ", ".join(repr(name) for name in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise UsageError(f"{source}: the history enters states that {label} does not define: {shown}")


def local_run_events(machine: MachineSource, input_option: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The history events of a local run of ``machine`` on ``--input`` (Tasks served as for ``run``)."""
    return list(run_locally(machine, input_option, args).execution.events)


def run_graph(args: argparse.Namespace) -> int:
    """Write the SVG or HTML that ``args`` ask for; return the exit status."""
    from constructs_sfn.visual import HistoryError, LayoutError, graph_png, graph_report, graph_svg

    machine = pick_machine(args.source, args.state_machine)
    definition = machine_definition(machine)
    output = Path(args.output) if args.output else None
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if args.format is None and suffix not in ("", "html", "htm", "svg", "png"):
        raise UsageError(
            f"-o {output}: a .{suffix} file; graph writes html, svg or png (name the file so, or give --format)"
        )
    chosen = args.format or (suffix if suffix in ("svg", "png") else "html")
    if output is None:
        output = Path(f"{machine.name}.{chosen}")
    check_numbers(args)
    if args.layout_timeout <= 0 or args.layout_timeout != args.layout_timeout:
        raise UsageError(f"--layout-timeout {args.layout_timeout:g}: expected a number of seconds above 0")
    history: Any = None
    if args.input is None:
        refuse_task_options(args, "these serve the Task states of a local run; give --input to run the machine")
    if args.execution is not None:
        history = load_history_file(Path(args.execution))
        check_history_matches(history, definition, f"{args.execution}", machine.label)
    elif args.input is not None:
        history = local_run_events(machine, args.input, args)
    try:
        if chosen == "png":
            content: str | bytes = graph_png(definition, history, timeout=args.layout_timeout)
        elif chosen == "svg":
            content = graph_svg(definition, history, timeout=args.layout_timeout)
        else:
            content = graph_report(
                definition,
                history,
                title=args.title or machine.name,
                prices=prices_option(args.prices),
                per_month=args.per_month,
                seconds=args.seconds,
                timeout=args.layout_timeout,
            )
    except LayoutError as error:
        raise UsageError(str(error)) from None
    except HistoryError as error:
        raise UsageError(f"{args.execution}: {error}") from None
    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{output}: cannot be written: {error.strerror or error}") from None
    emit(f"wrote {output}", sys.stderr)
    return 0
