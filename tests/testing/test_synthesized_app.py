"""SynthesizedApp on real syntheses: in-process, ``python app.py`` and the cdk CLI."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from constructs_sfn.testing import PlaceholderError, SynthesizedApp

pytestmark = pytest.mark.synth

APP = Path(__file__).parent / "apps" / "loan_app.py"
REPO = Path(__file__).resolve().parents[2]
FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:<Loans/ScoreFn>"
QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/<Loans/ReviewQueue>"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("loan_app_under_test", APP)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def app_module() -> ModuleType:
    return _load()


@pytest.fixture(scope="module")
def in_process(app_module: ModuleType) -> tuple[Any, SynthesizedApp]:
    app = app_module.build_app()
    stack = app.node.find_child("Loans")
    return stack, SynthesizedApp.from_stack(stack)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    node = REPO / "node_modules" / ".bin"
    env["PATH"] = f"{node}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("JSII_NODE", str(node / "node"))
    env.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    env["CDK_DISABLE_VERSION_CHECK"] = "1"
    env["CDK_DISABLE_CLI_TELEMETRY"] = "1"
    return env


def test_in_process_stack_gives_readable_definition(in_process: tuple[Any, SynthesizedApp]) -> None:
    _, synth = in_process
    machine = synth.state_machine("Loans/Decide")
    states = machine.definition["States"]
    assert states["Score"]["Resource"] == FN_ARN
    assert states["SendToReview"]["Parameters"]["QueueUrl"] == QUEUE_URL
    assert machine.construct_path == "Loans/Decide/Resource"
    assert "${" not in machine.definition_text


def test_bind_the_construct_itself(in_process: tuple[Any, SynthesizedApp]) -> None:
    stack, synth = in_process
    machine = synth.state_machine(stack.machine)
    assert machine.placeholder(stack.score_fn, "Arn") == FN_ARN
    assert machine.placeholder(stack.review_queue) == QUEUE_URL
    runner = machine.runner()
    runner.bind_lambda(stack.score_fn, lambda event, context: {"score": 900})
    run = runner.run({"applicant": "a-1"})
    assert run.status == "SUCCEEDED", run.describe()
    assert run.states_entered == ["Score", "Route", "Approved"]
    with pytest.raises(PlaceholderError, match="construct 'Loans/ReviewQueue' is not a Lambda function"):
        runner.bind_lambda(stack.review_queue, lambda event, context: {})


def _same_view(synth: SynthesizedApp, reference: SynthesizedApp) -> None:
    machine = synth.state_machine("Loans/Decide")
    expected = reference.state_machine("Loans/Decide")
    assert machine.definition == expected.definition
    assert machine.construct_path == expected.construct_path
    assert sorted(machine.placeholders) == sorted(expected.placeholders)


def test_python_app_py_assembly_has_paths_without_path_metadata(
    in_process: tuple[Any, SynthesizedApp], tmp_path: Path
) -> None:
    out = tmp_path / "cdk.out"
    subprocess.run(
        [sys.executable, str(APP)], check=True, env={**_env(), "CDK_OUTDIR": str(out)}, cwd=tmp_path, timeout=300
    )
    template = json.loads((out / "Loans.template.json").read_text())
    assert not any("aws:cdk:path" in (r.get("Metadata") or {}) for r in template["Resources"].values())
    _same_view(SynthesizedApp.from_assembly(out), in_process[1])


@pytest.mark.skipif(not (REPO / "node_modules" / ".bin" / "cdk").exists(), reason="the aws-cdk CLI is not installed")
def test_cdk_cli_assembly_and_single_template(in_process: tuple[Any, SynthesizedApp], tmp_path: Path) -> None:
    shutil.copy(APP, tmp_path / "app.py")
    out = tmp_path / "cdk.out"
    subprocess.run(
        [
            str(REPO / "node_modules" / ".bin" / "cdk"),
            "synth",
            "--no-notices",
            "--quiet",
            "--app",
            f"{sys.executable} app.py",
            "--output",
            str(out),
        ],
        check=True,
        env=_env(),
        cwd=tmp_path,
        timeout=300,
    )
    _same_view(SynthesizedApp.from_assembly(out), in_process[1])
    _same_view(SynthesizedApp.from_template(out / "Loans.template.json"), in_process[1])


def test_definition_from_file_asset_and_substitutions(tmp_path: Path) -> None:
    """``DefinitionBody.from_file`` synthesizes DefinitionS3Location (a file asset) plus
    DefinitionSubstitutions; the extracted definition reads the asset and substitutes."""
    import aws_cdk as cdk
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_stepfunctions as sfn

    asl = tmp_path / "flow.asl.json"
    asl.write_text(
        json.dumps({"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "${fn}", "End": True}}})
    )
    app = cdk.App(outdir=str(tmp_path / "out"))
    stack = cdk.Stack(app, "Files")
    function = lambda_.Function(
        stack,
        "Worker",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
    )
    machine = sfn.StateMachine(
        stack,
        "FromFile",
        definition_body=sfn.DefinitionBody.from_file(str(asl)),
        definition_substitutions={"fn": function.function_arn},
        role=iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("states.amazonaws.com")),
    )
    template = json.loads(json.dumps(cdk.assertions.Template.from_stack(stack).to_json()))
    [resource] = [r for r in template["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"]
    assert "DefinitionS3Location" in resource["Properties"]
    extracted = SynthesizedApp.from_stack(stack).state_machine(machine)
    assert extracted.definition["States"]["Call"]["Resource"] == (
        "arn:aws:lambda:us-east-1:123456789012:function:<Files/Worker>"
    )
    runner = extracted.runner()
    runner.bind_lambda(function, lambda event, context: {"echo": event})
    assert runner.run({"n": 1}).output == {"echo": {"n": 1}}
