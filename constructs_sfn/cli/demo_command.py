"""``constructs-sfn demo``: run the demo app's scenarios against its synthesized cdk.out."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.runtime import to_json_text
from constructs_sfn.cli.console import UsageError, emit, json_text
from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text

if TYPE_CHECKING:
    from constructs_sfn.testing import Expectation, ScenarioRun

__all__ = ["register_demo", "run_demo"]

_DESCRIPTION = """\
Run the demo app's workflows from its synthesized cloud assembly: for every scenario of the
scenario files, print what was expected and what happened (status, error, the states visited,
the states that were retried).

Exit status: 0 when every scenario went as expected, 1 when one did not, 2 for a usage error.
"""


def register_demo(commands: Any) -> None:
    """Add the ``demo`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "demo",
        help="run the demo app's workflow scenarios from cdk.out",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--cdk-out",
        default="cdk.out",
        metavar="DIR",
        help="the cloud assembly 'cdk synth' wrote (default: cdk.out)",
    )
    parser.add_argument(
        "--scenarios",
        default="tests/demo",
        metavar="DIR",
        help="the folder of *.scenarios.yaml (or .yml, .json) files to run (default: tests/demo)",
    )
    parser.set_defaults(handler=run_demo)


def _print_template_summary(template: Path) -> None:
    """One line per resource type of a synthesized stack, so the main job shows what it built."""
    from constructs_sfn.cli.console import read_text

    try:
        document = parse_json_text(read_text(template))
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
    emit(f"Synthesized {template.name.removesuffix('.template.json')}: {len(resources)} resources")
    for kind, count in sorted(counts.items()):
        emit(f"  {count:3d} x {kind}")


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
    if expect.cause_includes:
        parts.append(f"cause with {json_text(expect.cause_includes)}")
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


def run_demo(args: argparse.Namespace) -> int:
    """Run every scenario; print expected and happened for each; return the exit status."""
    from constructs_sfn.testing import ScenarioError, SynthesizedApp, TemplateError, load_scenarios
    from constructs_sfn.testing.local_aws import LocalAws
    from constructs_sfn.testing.scenarios import run_scenario, scenario_runner

    cdk_out, scenarios_dir = Path(args.cdk_out), Path(args.scenarios)
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
                emit(f"{machine.name} / {scenario.name}: {verdict}")
                emit(f"    expected: {_expected_text(scenario.expect)}")
                emit(f"    happened: {_happened_text(result.run)}")
                if result.run.status != "SUCCEEDED" and result.run.cause:
                    emit(f"    cause:    {result.run.cause}")
                for failure in result.failures:
                    emit(f"    differs:  {failure}")
    finally:
        aws.stop()
    emit(f"{passed}/{total} scenarios as expected")
    return 0 if passed == total else 1
