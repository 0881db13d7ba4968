"""``constructs-sfn test-state``: run one state as the TestState API does, on the local client."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from constructs_sfn.cli.console import UsageError, api_error_text, emit, json_text, option_text, parse_json_option
from constructs_sfn.cli.sources import add_machine_arguments, load_definition_file, pick_machine
from constructs_sfn.local import LocalStepFunctions

__all__ = ["register_test_state", "run_test_state"]

_ROLE_ARN = "arn:aws:iam::123456789012:role/constructs-sfn-local"
_DESCRIPTION = """\
Run a single state the way the Step Functions TestState API does, locally: its input and output
processing, its Retry and Catch decisions, and (with --mock) a mocked service result. Prints the
status (SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR), the output or the error and cause, the next
state, and the inspection data (--inspection-level DEBUG or TRACE shows every processing step).

Either name a state of a definition (SOURCE and --state), or give one state's own JSON or YAML
with --state-definition.

Exit status: 0 when the status is SUCCEEDED, 1 for any other status, 2 for a usage error
(a missing or invalid file, a bad option, a request TestState rejects).
"""
_EPILOG = """\
examples:
  constructs-sfn test-state machine.asl.json --state Charge --input '{"amount": 5}' \\
      --mock '{"result": "{\\"paid\\": true}"}' --inspection-level DEBUG
  constructs-sfn test-state --state-definition pass.json --input @input.json --json
"""


def register_test_state(commands: Any) -> None:
    """Add the ``test-state`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "test-state",
        help="run one state as the TestState API does",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_machine_arguments(
        parser, purpose="that holds the state", optional_source=True, source_note=" holding the state"
    )
    parser.add_argument("--state", metavar="NAME", default=None, help="the name of the state to run (with SOURCE)")
    parser.add_argument(
        "--state-definition",
        metavar="FILE",
        default=None,
        help="a JSON or YAML file holding one state's definition, instead of SOURCE and --state",
    )
    parser.add_argument(
        "--input",
        default="{}",
        metavar="JSON",
        help="the state's input as JSON text, @FILE to read it from a file, or @- from standard input (default: {})",
    )
    parser.add_argument(
        "--inspection-level",
        type=str.upper,
        choices=("INFO", "DEBUG", "TRACE"),
        default="INFO",
        help="how much inspection data to show: INFO (default), DEBUG (every input/output processing "
        "step), TRACE (also the HTTP request and response of an HTTP Task)",
    )
    parser.add_argument(
        "--mock",
        metavar="JSON",
        default=None,
        help='a mocked service result as JSON text or @FILE, as TestState takes it: {"result": "<JSON text>"} '
        'or {"errorOutput": {"error": "...", "cause": "..."}}',
    )
    parser.add_argument(
        "--context",
        metavar="JSON",
        default=None,
        help="the context object ($$) values to use, as JSON text or @FILE",
    )
    parser.add_argument(
        "--variables",
        metavar="JSON",
        default=None,
        help="workflow variables the state can read, as a JSON object text or @FILE",
    )
    parser.add_argument(
        "--reveal-secrets",
        action="store_true",
        help="show the request and response data that TRACE hides by default (revealSecrets)",
    )
    parser.add_argument("--json", action="store_true", help="print the TestState API response as JSON")
    parser.set_defaults(handler=run_test_state)


def _request(args: argparse.Namespace) -> dict[str, Any]:
    request: dict[str, Any] = {"roleArn": _ROLE_ARN, "inspectionLevel": args.inspection_level}
    if args.state_definition is not None:
        if args.source is not None or args.state is not None:
            raise UsageError("--state-definition: give either --state-definition or SOURCE with --state, not both")
        loaded = load_definition_file(Path(args.state_definition))
        request["definition"] = json.dumps(loaded.document, ensure_ascii=False)
    else:
        if args.source is None:
            raise UsageError("test-state: give a SOURCE and --state NAME, or --state-definition FILE")
        if args.state is None:
            raise UsageError(f"test-state {args.source}: --state NAME is needed to say which state to run")
        machine = pick_machine(args.source, args.state_machine)
        request["definition"] = machine.definition_text
        request["stateName"] = args.state
    parse_json_option(args.input, "--input")
    request["input"] = option_text(args.input)
    if args.mock is not None:
        mock = parse_json_option(args.mock, "--mock")
        if not isinstance(mock, Mapping):
            raise UsageError('--mock: expected a JSON object such as {"result": "{}"}')
        request["mock"] = mock
    for option, key in (("context", "context"), ("variables", "variables")):
        value = getattr(args, option)
        if value is not None:
            parse_json_option(value, f"--{option}")
            request[key] = option_text(value)
    if args.reveal_secrets:
        request["revealSecrets"] = True
    return request


def run_test_state(args: argparse.Namespace) -> int:
    """Call ``test_state`` with the request ``args`` describe; print the answer; return the exit status."""
    from botocore.exceptions import ClientError, ParamValidationError

    request = _request(args)
    label = args.state_definition if args.state_definition is not None else args.source
    try:
        response = LocalStepFunctions().test_state(**request)
    except (ClientError, ParamValidationError) as error:
        message = api_error_text(error)
        if "does not exist in the definition" in message:
            states = json.loads(request["definition"]).get("States", {})
            message += f"; its top-level states: {', '.join(states) or 'none'}"
        raise UsageError(f"{label}: {message}") from None
    response.pop("ResponseMetadata", None)
    if args.json:
        emit(json_text(response, indent=4))
    else:
        _print_text(response)
    return 0 if response.get("status") == "SUCCEEDED" else 1


def _print_text(response: Mapping[str, Any]) -> None:
    emit(f"status: {response.get('status')}")
    for key in ("nextState", "output", "error", "cause"):
        if response.get(key) is not None:
            emit(f"{key}: {response[key]}")
    inspection = response.get("inspectionData")
    if isinstance(inspection, Mapping) and inspection:
        emit("inspection data:")
        for key, value in inspection.items():
            emit(f"  {key}: {value if isinstance(value, str) else json_text(value)}")
