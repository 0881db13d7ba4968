"""The demo app (app.py, cdk.json) through the real `cdk synth`: the issue's must-show facts."""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import subprocess
import tarfile
from pathlib import Path
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sns as sns

from cdk.compliance import cfn_lint_errors, untagged_resources

REPO = Path(__file__).resolve().parents[2]
STATE_MACHINE = "AWS::StepFunctions::StateMachine"
ALARM_METRICS = {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled", "ExecutionsAborted", "ExecutionTime"}


def _load_app_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("constructs_sfn_demo_app", REPO / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cli_env() -> dict[str, str]:
    # What scripts/env.sh sets, so the test runs the same way `make demo` does.
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(REPO / ".venv" / "bin"), str(REPO / "node_modules" / ".bin"), env["PATH"]])
    env["JSII_NODE"] = str(REPO / "node_modules" / ".bin" / "node")
    env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    env["CDK_DISABLE_VERSION_CHECK"] = "1"
    env["CDK_DISABLE_CLI_TELEMETRY"] = "1"
    return env


@pytest.fixture(scope="module")
def cloud_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the real CLI: `cdk synth` from the repository root, as `make demo` does."""
    out = tmp_path_factory.mktemp("cdk.out")
    result = subprocess.run(
        [str(REPO / "node_modules" / ".bin" / "cdk"), "synth", "--no-notices", "--quiet", "-o", str(out)],
        cwd=REPO,
        env=_cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def template(cloud_assembly: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((cloud_assembly / "ConstructsSfnDemo.template.json").read_text())
    return loaded


def _of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def _path(resource: dict[str, Any]) -> str:
    return str(resource.get("Metadata", {}).get("aws:cdk:path", ""))


@pytest.mark.synth
def test_one_state_machine_per_construct_with_logging_and_tracing(template: dict[str, Any]) -> None:
    machines = {_path(m).split("/")[1]: m for m in _of_type(template, STATE_MACHINE).values()}
    assert sorted(machines) == ["ExpenseApproval", "OrderSaga", "OrderWorkflow", "PriceCatalogue"]
    for name, machine in machines.items():
        logging = machine["Properties"]["LoggingConfiguration"]
        # The approval machine keeps execution data (and so its task tokens) out of its logs.
        assert (logging["Level"], logging["IncludeExecutionData"]) == ("ALL", name != "ExpenseApproval"), name
        assert machine["Properties"]["TracingConfiguration"] == {"Enabled": True}, name
    definition = json.loads(machines["OrderWorkflow"]["Properties"]["DefinitionString"])
    assert {state["Type"] for state in definition["States"].values()} >= {"Pass", "Choice", "Wait", "Map", "Fail"}
    assert definition["TimeoutSeconds"] > 0


@pytest.mark.synth
def test_every_alarm_goes_to_the_one_alarm_topic(template: dict[str, Any]) -> None:
    [topic_id] = [k for k, v in _of_type(template, "AWS::SNS::Topic").items() if _path(v).endswith("/Alarms/Resource")]
    alarms = list(_of_type(template, "AWS::CloudWatch::Alarm").values())
    by_machine: dict[str, set[str]] = {}
    for alarm in alarms:
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic_id}], _path(alarm)
        metric = alarm["Properties"].get("MetricName", "(math)")
        by_machine.setdefault(_path(alarm).split("/")[1], set()).add(metric)
    assert by_machine["OrderWorkflow"] == ALARM_METRICS
    for name in ("OrderSaga", "ExpenseApproval", "PriceCatalogue"):
        assert by_machine[name] >= ALARM_METRICS - {"ExecutionTime"}, name
    # The saga alarms on its dead-letter queue, the job on failed Map Runs.
    assert "ApproximateNumberOfMessagesVisible" in by_machine["OrderSaga"]
    assert len(by_machine["PriceCatalogue"]) > len(ALARM_METRICS)


@pytest.mark.synth
def test_owner_tag_on_every_taggable_resource(template: dict[str, Any]) -> None:
    assert untagged_resources(template, "Owner", "platform-team") == []


@pytest.mark.synth
def test_no_cfn_lint_error(template: dict[str, Any]) -> None:
    assert cfn_lint_errors(template) == []


@pytest.mark.synth
def test_validation_passed_and_acknowledgements_carry_reasons(cloud_assembly: Path, template: dict[str, Any]) -> None:
    report = json.loads((cloud_assembly / "validation-report.json").read_text())
    # The report lists only plugins with something to say; none may report an error.
    errors = [
        violation
        for plugin in report["pluginReports"]
        for violation in plugin.get("violations", [])
        if violation.get("severity") in ("error", "fatal")
    ]
    assert errors == []
    # app.py asks cdk-nag to write its acknowledgements into the template for auditors.
    suppressions = [
        rule
        for resource in template["Resources"].values()
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
    ]
    assert suppressions
    assert all(len(rule["reason"].strip()) >= 10 for rule in suppressions)


def test_an_unacknowledged_finding_fails_the_synth() -> None:
    app = _load_app_module().build_app()
    stack = app.node.find_child("ConstructsSfnDemo")
    sns.Topic(stack, "TopicWithoutTls")  # AwsSolutions-SNS3: publishers may skip TLS
    with pytest.raises(RuntimeError, match="ValidationFailed") as raised:
        app.synth()
    message = str(raised.value)
    assert "AwsSolutions-SNS3" in message
    assert "ConstructsSfnDemo/TopicWithoutTls/Resource" in message
    # Only the planted topic: the demo's own resources are clean.
    assert message.count("ConstructsSfnDemo/") == 1


def test_cdk_json_runs_app_py_and_pins_the_recommended_feature_flags() -> None:
    config = json.loads((REPO / "cdk.json").read_text())
    assert config["app"] == ".venv/bin/python app.py"
    [tarball] = glob.glob(str(Path(cdk.__file__).parent / "_jsii" / "aws-cdk-lib@*.jsii.tgz"))
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/recommended-feature-flags.json")
        assert member is not None
        recommended = json.load(member)
    pinned = {flag: config["context"].get(flag) for flag in recommended}
    assert pinned == recommended, "re-pin cdk.json's context to the installed aws-cdk-lib's recommended flags"
