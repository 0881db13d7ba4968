"""The csv_transform_job example: synthesized once in-process, checked, then run locally against moto.

The stack comes from ``examples/csv_transform_job/app.py``; its state machine definition is taken
from the synthesized template by ``SynthesizedApp``. Each run puts a CSV into a bucket on a moto
server (loopback, real boto3), the Distributed Map's ItemReader reads it from there, and the
Lambda function is played by the example's own handler (``handler/transform.py``), so the test
exercises the code the function would deploy.

The ResultWriter runs too (the job's result bucket is bound to the same moto bucket): the Map's
output names the ``manifest.json`` under ``priced/``, and the tests read the priced rows back from
the ``SUCCEEDED_0.json`` / ``FAILED_0.json`` it lists. Not shown locally: MaxConcurrency as real
parallelism, and IAM. The template tests cover what is synthesized for those.
"""

from __future__ import annotations

import importlib.util
import json
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import boto3
import pytest
from cdk.compliance import cfn_lint_errors, nag_violations

from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.testing import SynthesizedApp

pytestmark = pytest.mark.synth

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "csv_transform_job"
REGION = "us-east-1"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


APP = _load("csv_transform_job_app", EXAMPLE / "app.py")
TRANSFORM = _load("csv_transform_job_handler", EXAMPLE / "handler" / "transform.py")


def orders_csv(rows: int, bad: set[int]) -> str:
    lines = ["sku,quantity,unit_price"]
    for i in range(1, rows + 1):
        price = "n/a" if i in bad else f"{i}.25"
        lines.append(f"SKU-{i},{i % 7},{price}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def stack() -> Any:
    # The feature flags of the example's cdk.json, so the stack is the one `cdk synth` builds.
    context = json.loads((EXAMPLE / "cdk.json").read_text())["context"]
    return APP.CsvTransformJobStack(cdk.App(context=context), "CsvTransformJob")


@pytest.fixture(scope="module")
def synth(stack: Any) -> SynthesizedApp:
    return SynthesizedApp.from_stack(stack)


@pytest.fixture(scope="module")
def session(moto_endpoint: str) -> Any:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


def written(client: Any, output: Any) -> dict[str, list[dict[str, Any]]]:
    """The ResultWriter's entries by status, read back through the manifest the output names."""
    details = output["ResultWriterDetails"]
    manifest = json.loads(client.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    return {
        status: [
            entry
            for file in files
            for entry in json.loads(
                client.get_object(Bucket=manifest["DestinationBucket"], Key=file["Key"])["Body"].read()
            )
        ]
        for status, files in manifest["ResultFiles"].items()
    }


def run_job(stack: Any, synth: SynthesizedApp, session: Any, endpoint: str, csv_text: str) -> tuple[Any, Any]:
    """Run the job on ``csv_text``; returns the run and the S3 client to read its results with."""
    bucket = f"orders-{uuid.uuid4().hex[:8]}"
    client = session.client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key=APP.INPUT_KEY, Body=csv_text.encode())
    machine = synth.state_machine(stack.job.state_machine)
    runner = machine.runner(
        values={stack.input_bucket: bucket, stack.job.result_bucket: bucket},
        sdk=Boto3Integrations(session=session, endpoint_url=endpoint),
    )
    runner.bind_lambda(stack.transform, TRANSFORM.handler)
    return runner.run({}, name=bucket), client


# --- the app ----------------------------------------------------------------------------------


def test_cdk_json_runs_the_app_with_the_repositorys_feature_flags() -> None:
    example = json.loads((EXAMPLE / "cdk.json").read_text())
    main = json.loads((REPO / "cdk.json").read_text())
    assert example["app"] == "python app.py"
    assert example["context"] == main["context"]


def test_no_unacknowledged_cdk_nag_finding(stack: Any, synth: SynthesizedApp) -> None:
    assert nag_violations(stack) == []


def test_no_cfn_lint_error(stack: Any) -> None:
    from aws_cdk.assertions import Template

    assert cfn_lint_errors(Template.from_stack(stack).to_json()) == []


def test_the_job_reads_the_csv_and_writes_priced_results(stack: Any, synth: SynthesizedApp) -> None:
    state = synth.state_machine(stack.job.state_machine).definition["States"]["DistributedMap"]
    assert state["ItemReader"]["ReaderConfig"] == {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}
    assert state["ItemReader"]["Parameters"]["Key"] == APP.INPUT_KEY
    assert state["ResultWriter"]["Parameters"]["Prefix"] == APP.RESULT_PREFIX
    assert state["MaxConcurrency"] == APP.MAX_CONCURRENCY
    assert state["ToleratedFailurePercentage"] == APP.TOLERATED_BAD_ROWS_PERCENT
    assert state["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] == "EXPRESS"


# --- local runs --------------------------------------------------------------------------------


def test_every_row_is_priced(stack: Any, synth: SynthesizedApp, session: Any, moto_endpoint: str) -> None:
    run, s3 = run_job(stack, synth, session, moto_endpoint, orders_csv(40, set()))
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert run.output["ResultWriterDetails"]["Key"].startswith(APP.RESULT_PREFIX)
    priced = [json.loads(entry["Output"]) for entry in written(s3, run.output)["SUCCEEDED"]]
    assert len(priced) == 40
    assert priced[0] == {"sku": "SKU-1", "quantity": 1, "total": "1.25"}
    assert priced[9] == {"sku": "SKU-10", "quantity": 3, "total": "30.75"}


def test_a_few_bad_rows_are_tolerated(stack: Any, synth: SynthesizedApp, session: Any, moto_endpoint: str) -> None:
    run, s3 = run_job(stack, synth, session, moto_endpoint, orders_csv(40, {7, 30}))  # 5%: at the limit
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    entries = written(s3, run.output)
    assert [json.loads(entry["Input"])["sku"] for entry in entries["FAILED"]] == ["SKU-7", "SKU-30"]
    assert {entry["Error"] for entry in entries["FAILED"]} == {"InvalidRowError"}
    assert len(entries["SUCCEEDED"]) == 38


def test_too_many_bad_rows_fail_the_map_run(
    stack: Any, synth: SynthesizedApp, session: Any, moto_endpoint: str
) -> None:
    run, _s3 = run_job(stack, synth, session, moto_endpoint, orders_csv(40, {3, 17, 29}))  # 7.5%
    assert run.status == "FAILED"
    assert run.error == "States.ExceedToleratedFailureThreshold"
    assert "MapRunFailed" in [event["type"] for event in run.events]
