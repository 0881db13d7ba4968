"""Argument parsing and the sub-commands of ``constructs-sfn``.

Every failure a user can cause (a missing file, a file that is not UTF-8, invalid JSON, JSON of
the wrong shape, an invalid definition) is reported as one clear line naming the file and
location, with exit status 2; never a traceback. JSON input is read by AWS's rules
(:func:`~constructs_sfn.local.json_text.parse_json_text`: no ``NaN``, at most 1000 levels).
Text that the terminal cannot show (lone surrogates) is printed as ``\\udXXX`` escapes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from constructs_sfn.asl import (
    DefinitionError,
    Execution,
    VirtualClock,
    parse_definition,
)
from constructs_sfn.asl.runtime import to_json_text
from constructs_sfn.cli.extract_command import register_extract
from constructs_sfn.cli.lint_command import register_lint
from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text

if TYPE_CHECKING:
    from constructs_sfn.testing import Expectation, ScenarioRun

__all__ = ["main"]


class UsageError(Exception):
    """A user error: printed as one line, exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="constructs-sfn", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a definition on the local executor")
    run.add_argument("definition", help="definition file (JSON or YAML)")
    run.add_argument("--input", default="{}", help="execution input as JSON text, or @file.json")
    run.add_argument("--history", action="store_true", help="print the execution history")
    validate = commands.add_parser("validate", help="validate a definition as CreateStateMachine would")
    validate.add_argument("definition")
    demo = commands.add_parser("demo", help="run the demo app's workflows from cdk.out")
    demo.add_argument("--cdk-out", default="cdk.out")
    demo.add_argument("--scenarios", default="tests/demo", help="folder of *.scenarios.yaml files")
    register_lint(commands)
    register_extract(commands)
    args = parser.parse_args(argv)
    if args.command in ("lint", "extract"):
        return int(args.handler(args))
    try:
        if args.command == "run":
            return _run(Path(args.definition), args.input, show_history=args.history)
        if args.command == "validate":
            return _validate(Path(args.definition))
        return _demo(Path(args.cdk_out), Path(args.scenarios))
    except UsageError as error:
        # One line, always: messages quoted from parsers may span several (YAML's "in <string>").
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        _say(f"constructs-sfn: {'; '.join(lines)}", sys.stderr)
        return 2


def _say(text: str, stream: IO[str] | None = None) -> None:
    """Print one line; characters the stream cannot encode (lone surrogates) become escapes."""
    out = sys.stdout if stream is None else stream
    encoding = getattr(out, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding, "replace"), file=out)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from error
    except ValueError as error:  # a NUL character in the path
        raise UsageError(f"{path}: cannot be read: {error}") from error
    try:
        return data.decode("utf-8-sig")  # a byte-order mark is no content
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text (byte {error.start}: {error.reason})") from None


def _definition(path: Path) -> Any:
    try:
        return parse_definition(_read(path))
    except DefinitionError as error:
        raise UsageError(f"{path}: {error}") from error


def _input(text: str) -> Any:
    source = "--input"
    if text.startswith("@"):
        source = text[1:]
        text = _read(Path(source))
    try:
        return parse_json_text(text)
    except JsonSyntaxError as error:
        detail = error.message or "no JSON value"
        raise UsageError(f"{source}: not JSON (line {error.line}, column {error.column}): {detail}") from None


def _run(path: Path, input_text: str, *, show_history: bool) -> int:
    definition = _definition(path)
    execution = Execution(definition, _input(input_text), clock=VirtualClock()).run()
    if show_history:
        for event in execution.events:
            _say(json.dumps(event, default=str))
    _print_outcome(path.name, "run", execution)
    return 0 if execution.status == "SUCCEEDED" else 1


def _validate(path: Path) -> int:
    _definition(path)
    _say(f"{path}: OK")
    return 0


def _print_outcome(machine: str, scenario: str, execution: Execution) -> None:
    elapsed = execution.seconds_since_start()
    line = f"{machine} / {scenario}: {execution.status} after {elapsed:g}s of workflow time"
    if execution.status == "SUCCEEDED":
        line += f", output {to_json_text(execution.output)}"
    else:
        line += f", error {execution.error!r}, cause {execution.cause!r}"
    _say(f"{line} ({len(execution.events)} history events)")


def _print_template_summary(template: Path) -> None:
    """One line per resource type of a synthesized stack, so the main job shows what it built."""
    try:
        document = parse_json_text(_read(template))
    except JsonSyntaxError as error:
        detail = error.message or "no JSON value"
        raise UsageError(f"{template}: not JSON (line {error.line}, column {error.column}): {detail}") from None
    if not isinstance(document, Mapping):
        raise UsageError(f"{template}: expected a CloudFormation template (a JSON object), got {_kind(document)}")
    resources = document.get("Resources") or {}
    if not isinstance(resources, Mapping):
        raise UsageError(f"{template}: Resources: expected an object of resources, got {_kind(resources)}")
    counts: dict[str, int] = {}
    for name, resource in resources.items():
        if not isinstance(resource, Mapping):
            raise UsageError(f"{template}: Resources.{name}: expected an object, got {_kind(resource)}")
        kind = str(resource.get("Type", "?"))
        counts[kind] = counts.get(kind, 0) + 1
    _say(f"Synthesized {template.name.removesuffix('.template.json')}: {len(resources)} resources")
    for kind, count in sorted(counts.items()):
        _say(f"  {count:3d} x {kind}")


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a boolean" if isinstance(value, bool) else "a number"


def _expected_text(expect: Expectation) -> str:
    parts = [expect.status or "any status"]
    if expect.error:
        parts.append(f"error {expect.error}")
    if expect.output_includes:
        parts.append(f"output with {to_json_text(dict(expect.output_includes))}")
    if expect.visits:
        parts.append(f"through {' -> '.join(expect.visits)}")
    return ", ".join(parts)


def _retries(steps: Any) -> list[str]:
    """``Charge x4`` for every state that took more than one attempt (Map/Parallel insides too)."""
    found: list[str] = []
    for step in steps:
        if len(step.attempts) > 1:
            found.append(f"{step.name} x{len(step.attempts)}")
        for branch in step.branches:
            found.extend(_retries(branch.steps))
    return found


def _happened_text(run: ScenarioRun) -> str:
    from constructs_sfn.testing.behaviour import trace_execution

    text = run.status
    if run.error:
        text += f", error {run.error}"
    elapsed = run.execution.seconds_since_start()
    text += f" after {elapsed:g} s of workflow time via {' -> '.join(run.states_entered) or '(no state)'}"
    retried = sorted(set(_retries(trace_execution(run).steps)))
    if retried:
        text += f"; attempts: {', '.join(retried)}"
    return text


def _demo(cdk_out: Path, scenarios_dir: Path) -> int:
    from constructs_sfn.testing import ScenarioError, SynthesizedApp, TemplateError, load_scenarios
    from constructs_sfn.testing.local_aws import LocalAws
    from constructs_sfn.testing.scenarios import run_scenario, scenario_runner

    templates = sorted(cdk_out.glob("*.template.json"))
    if not templates:
        raise UsageError(f"{cdk_out}: no synthesized templates; run 'cdk synth' first")
    for template in templates:
        _print_template_summary(template)
    files = sorted(p for p in scenarios_dir.glob("*.scenarios.*") if p.suffix in (".yaml", ".yml", ".json"))
    if not files:
        raise UsageError(f"{scenarios_dir}: no *.scenarios.yaml files")
    try:
        app = SynthesizedApp.from_assembly(cdk_out)
        loaded = [load_scenarios(file) for file in files]
    except (ScenarioError, TemplateError) as error:
        raise UsageError(str(error)) from error
    total = passed = 0
    aws = LocalAws()  # scenario_runner starts it when a scenario asks for local AWS (moto's server)
    try:
        for scenario_file in loaded:
            for scenario in scenario_file.scenarios:
                key = scenario.state_machine or scenario_file.state_machine
                if key is None:
                    raise UsageError(f"{scenario.source}: no state_machine given")
                try:
                    machine = app.state_machine(key)
                    result = run_scenario(scenario_runner(machine, scenario, aws=aws), scenario)
                except (ScenarioError, TemplateError) as error:
                    raise UsageError(str(error)) from error
                total += 1
                passed += result.ok
                verdict = "as expected" if result.ok else "NOT AS EXPECTED"
                _say(f"{machine.name} / {scenario.name}: {verdict}")
                _say(f"    expected: {_expected_text(scenario.expect)}")
                _say(f"    happened: {_happened_text(result.run)}")
                for failure in result.failures:
                    _say(f"    differs:  {failure}")
    finally:
        aws.stop()
    _say(f"{passed}/{total} scenarios as expected")
    return 0 if passed == total else 1
