"""``constructs-sfn extract``: the plain ASL of the state machines of a template or cdk.out."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from constructs_sfn.cli.console import emit

__all__ = ["output_file_name", "register_extract", "run_extract"]

_DESCRIPTION = """\
Write the plain ASL definition of the state machines of a synthesized app, as pretty JSON.
CDK tokens (function ARNs, queue URLs, ...) become readable placeholders named after their
constructs, e.g. arn:aws:lambda:us-east-1:123456789012:function:<Orders/ChargeFn>.

Without --out-dir the definition goes to stdout; that needs a single state machine (or
--state-machine).
With --out-dir every machine is written to its own file, named after its construct path.

Exit status: 0 when the definitions were printed or written, 2 for a usage error (a missing or
invalid source, an unknown state machine, several machines without --out-dir).
"""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def register_extract(commands: Any) -> None:
    """Add the ``extract`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "extract",
        help="print or write the ASL definitions of a template or cdk.out",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "source", metavar="SOURCE", help="a CloudFormation template (JSON) or a cloud assembly directory (cdk.out)"
    )
    parser.add_argument(
        "--state-machine",
        "--machine",
        dest="machine",
        metavar="ID",
        default=None,
        help="only this state machine: a construct path (Stack/Orders), its last part (Orders) or a logical id "
        "(--machine is the same option)",
    )
    parser.add_argument(
        "--out-dir",
        metavar="DIR",
        default=None,
        help="write one <construct path>.asl.json file per machine into DIR (created if missing) "
        "instead of printing to stdout",
    )
    parser.set_defaults(handler=run_extract)


def output_file_name(machine_name: str) -> str:
    """The file a machine is written to: its construct path with ``/`` as ``-``, then ``.asl.json``."""
    return _UNSAFE.sub("-", machine_name).strip("-") + ".asl.json"


def _pretty(definition: Any) -> str:
    """Pretty JSON; a lone surrogate (valid in a JSON escape, not in UTF-8) stays a ``\\udXXX`` escape."""
    text = json.dumps(definition, indent=2, ensure_ascii=False)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _why_no_machine(source: Path) -> str:
    """Why a source holds no state machine; an ASL definition is already what extract would write."""
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        document = None
    if isinstance(document, dict) and "States" in document and "Resources" not in document:
        return (
            "an ASL definition, not a template: it is already plain ASL (extract reads a CloudFormation "
            "template or cdk.out)"
        )
    return "no AWS::StepFunctions::StateMachine resource"


def run_extract(args: argparse.Namespace) -> int:
    """Print or write the definitions named by ``args``; return the exit status."""
    from constructs_sfn.testing.assembly import SynthesizedApp, TemplateError

    for given in (args.source, args.out_dir or ""):
        if "\x00" in given:
            shown = given.replace("\x00", "\\x00")
            emit(f"constructs-sfn: {shown}: not a valid path (it contains a NUL character)", sys.stderr)
            return 2
    source = Path(args.source)
    try:
        if source.is_dir():
            if not (source / "manifest.json").is_file():
                raise TemplateError(f"{source}: not a cloud assembly (no manifest.json); run 'cdk synth' first")
            app = SynthesizedApp.from_assembly(source)
        elif source.is_file():
            app = SynthesizedApp.from_template(source)
        else:
            raise TemplateError(f"{source}: no such file or directory")
        machines = [app.state_machine(args.machine)] if args.machine else app.state_machines
    except TemplateError as error:
        emit(f"constructs-sfn: {error}", sys.stderr)
        return 2
    except RecursionError:
        emit(f"constructs-sfn: {source}: a template is nested too deeply to read", sys.stderr)
        return 2
    if not machines:
        emit(f"constructs-sfn: {source}: {_why_no_machine(source)}", sys.stderr)
        return 2
    if args.out_dir is None:
        if len(machines) > 1:
            names = ", ".join(m.name for m in machines)
            emit(
                f"constructs-sfn: {source} holds {len(machines)} state machines ({names}); "
                "choose one with --state-machine or write them all with --out-dir",
                sys.stderr,
            )
            return 2
        emit(_pretty(machines[0].definition))
        return 0
    out_dir = Path(args.out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for machine in machines:
            target = out_dir / output_file_name(machine.name)
            target.write_text(_pretty(machine.definition) + "\n", encoding="utf-8")
            emit(f"{machine.name}: {target}")
    except OSError as error:
        emit(f"constructs-sfn: {out_dir}: {error.strerror or error}", sys.stderr)
        return 2
    return 0
