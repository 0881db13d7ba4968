"""DistributedMapJob run locally: the synthesized definition on the executor, S3 on a moto server.

The job is synthesized once per module; its definition is taken from the template by
``SynthesizedApp`` and run by the local executor. The ItemReader's ``s3:getObject`` /
``s3:listObjectsV2`` go through real boto3 to a moto server on loopback, where the test put the
items; the item processor Lambda is played by a Python handler.

The ResultWriter runs too: the job's result bucket is bound to the moto bucket, the Map's output
is AWS's ``{"MapRunArn", "ResultWriterDetails"}`` and the results are read back from S3 (the
``manifest.json`` and its ``SUCCEEDED_0.json`` / ``FAILED_0.json``). What the local run does not
show: IAM (asserted on the template in test_distributed_map_job.py) and real parallelism.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import aws_cdk as cdk
import boto3
import pytest
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn

from constructs_sfn.asl.services import TaskOutcome, TaskRequest, TaskService
from constructs_sfn.cdk.distributed_map_job import DistributedMapJob
from constructs_sfn.cdk.item_sources import ItemSource
from constructs_sfn.cdk.map_job_options import ItemBatching, ItemProcessor
from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.testing import StateMachineUnderTest, SynthesizedApp

REGION = "us-east-1"
CSV_ROWS = [{"id": str(i), "name": f"item-{i}", "qty": str(i * 3)} for i in range(1, 9)]  # 8 rows
CSV_TEXT = "id,name,qty\n" + "".join(f"{r['id']},{r['name']},{r['qty']}\n" for r in CSV_ROWS)
TOLERATED_PERCENT = 25  # 2 of 8 items may fail


class ItemRejectedError(Exception):
    """Raised by the handler for the items a test wants to fail."""


@pytest.fixture(scope="module")
def session(moto_endpoint: str) -> Any:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


@pytest.fixture(scope="module")
def s3_client(session: Any, moto_endpoint: str) -> Any:
    return session.client("s3", endpoint_url=moto_endpoint)


class JobStack(cdk.Stack):
    """Three jobs over one source bucket: CSV with a Lambda, JSON Lines with a chain, listing with batches."""

    def __init__(self, scope: cdk.App, id: str, *, csv_tolerance: float) -> None:
        super().__init__(scope, id)
        self.source = s3.Bucket(self, "Source")
        self.transform = lambda_.Function(
            self,
            "Transform",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
        )
        self.csv_job = DistributedMapJob(
            self,
            "CsvJob",
            items=ItemSource.csv(self.source, "in/rows.csv"),
            item_processor=ItemProcessor.function(self.transform),
            max_concurrency=4,
            tolerated_failure_percentage=csv_tolerance,
            owner="team-data",
            timeout=cdk.Duration.hours(1),
        )
        self.jsonl_job = DistributedMapJob(
            self,
            "JsonlJob",
            items=ItemSource.json_lines(self.source, "in/orders.jsonl"),
            item_processor=ItemProcessor.chain(
                sfn.Pass(self, "Total", parameters={"order.$": "$.order", "total.$": "States.MathAdd($.a, $.b)"})
            ),
            max_concurrency=2,
            owner="team-data",
            timeout=cdk.Duration.hours(1),
        )
        self.listing_job = DistributedMapJob(
            self,
            "ListingJob",
            items=ItemSource.list_objects(self.source, prefix="in/docs/"),
            item_processor=ItemProcessor.function(self.transform),
            item_batching=ItemBatching(max_items=2, batch_input={"run": "nightly"}),
            max_concurrency=2,
            owner="team-data",
            timeout=cdk.Duration.hours(1),
        )


def synthesize(csv_tolerance: float) -> tuple[JobStack, SynthesizedApp]:
    app = cdk.App()
    stack = JobStack(app, "Jobs", csv_tolerance=csv_tolerance)
    return stack, SynthesizedApp.from_stack(stack)


@pytest.fixture(scope="module")
def jobs() -> tuple[JobStack, SynthesizedApp]:
    return synthesize(TOLERATED_PERCENT)


@pytest.fixture(scope="module")
def bucket_name(s3_client: Any) -> str:
    name = f"source-{uuid.uuid4().hex[:8]}"
    s3_client.create_bucket(Bucket=name)
    s3_client.put_object(Bucket=name, Key="in/rows.csv", Body=CSV_TEXT.encode())
    lines = [{"order": f"o-{i}", "a": i, "b": 10 * i} for i in range(1, 4)]
    s3_client.put_object(Bucket=name, Key="in/orders.jsonl", Body="\n".join(json.dumps(x) for x in lines).encode())
    for index in range(5):
        s3_client.put_object(Bucket=name, Key=f"in/docs/doc-{index}.txt", Body=b"x" * (index + 1))
    s3_client.put_object(Bucket=name, Key="elsewhere/not-listed.txt", Body=b"no")
    return name


class Recorder:
    """Wraps the services the executor calls and records each resource it asks for."""

    def __init__(self, inner: TaskService) -> None:
        self.inner = inner
        self.resources: list[str] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        self.resources.append(request.resource)
        return self.inner.invoke(request)


def runner_for(
    stack: JobStack,
    synth: SynthesizedApp,
    job: DistributedMapJob,
    bucket: str,
    endpoint: str,
    session: Any,
    *,
    recorders: list[Recorder] | None = None,
) -> Any:
    machine: StateMachineUnderTest = synth.state_machine(job.state_machine)

    def wrap(services: TaskService) -> TaskService:
        recorder = Recorder(services)
        if recorders is not None:
            recorders.append(recorder)
        return recorder

    return machine.runner(
        values={stack.source: bucket, job.result_bucket: bucket},
        sdk=Boto3Integrations(session=session, endpoint_url=endpoint),
        wrap=wrap,
    )


def written(s3_client: Any, output: Any) -> dict[str, list[dict[str, Any]]]:
    """The ResultWriter's entries by status, read back through the manifest the output names."""
    details = output["ResultWriterDetails"]
    manifest = json.loads(s3_client.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    return {
        status: [
            entry
            for file in files
            for entry in json.loads(
                s3_client.get_object(Bucket=manifest["DestinationBucket"], Key=file["Key"])["Body"].read()
            )
        ]
        for status, files in manifest["ResultFiles"].items()
    }


def outputs(s3_client: Any, output: Any) -> list[Any]:
    """The succeeded children's outputs, in the order they were written."""
    return [json.loads(entry["Output"]) for entry in written(s3_client, output)["SUCCEEDED"]]


def transform(rejected: set[str]) -> Any:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["id"] in rejected:
            raise ItemRejectedError(f"row {event['id']} is invalid")
        return {"id": int(event["id"]), "label": event["name"].upper(), "qty": int(event["qty"])}

    return handler


def test_definition_reads_the_csv_and_writes_results_as_synthesized(jobs: tuple[JobStack, SynthesizedApp]) -> None:
    stack, synth = jobs
    definition = synth.state_machine(stack.csv_job.state_machine).definition
    state = definition["States"]["DistributedMap"]
    assert state["ItemReader"]["Parameters"]["Bucket"] == "<Jobs/Source>"
    assert state["ItemReader"]["ReaderConfig"] == {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}
    assert state["ResultWriter"]["Parameters"]["Prefix"] == "results/"
    assert state["ToleratedFailurePercentage"] == TOLERATED_PERCENT


def test_every_csv_row_is_processed_by_the_lambda_handler(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any, s3_client: Any
) -> None:
    stack, synth = jobs
    seen: list[dict[str, Any]] = []
    runner = runner_for(stack, synth, stack.csv_job, bucket_name, moto_endpoint, session)

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return transform(set())(event, context)

    runner.bind_lambda(stack.transform, handler)
    run = runner.run({}, name="all-good")
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert sorted(seen, key=lambda e: int(e["id"])) == CSV_ROWS  # rows as read from moto, as strings
    assert outputs(s3_client, run.output) == [{"id": i, "label": f"ITEM-{i}", "qty": i * 3} for i in range(1, 9)]
    types = [event["type"] for event in run.events]
    assert "MapRunStarted" in types
    assert "MapRunSucceeded" in types


def test_failures_within_the_tolerance_succeed(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any, s3_client: Any
) -> None:
    stack, synth = jobs
    runner = runner_for(stack, synth, stack.csv_job, bucket_name, moto_endpoint, session)
    runner.bind_lambda(stack.transform, transform({"3", "6"}))  # 2 of 8 = 25%: at the threshold
    run = runner.run({}, name="two-bad-rows")
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    entries = written(s3_client, run.output)
    assert [item["Error"] for item in entries["FAILED"]] == ["ItemRejectedError", "ItemRejectedError"]
    assert len(entries["SUCCEEDED"]) == 6


def test_failures_over_the_tolerance_fail_the_map_run(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any
) -> None:
    stack, synth = jobs
    runner = runner_for(stack, synth, stack.csv_job, bucket_name, moto_endpoint, session)
    runner.bind_lambda(stack.transform, transform({"2", "4", "7"}))  # 3 of 8 = 37.5%
    run = runner.run({}, name="three-bad-rows")
    assert run.status == "FAILED"
    assert run.error == "States.ExceedToleratedFailureThreshold"
    assert "MapRunFailed" in [event["type"] for event in run.events]


def test_a_misconfigured_tolerance_changes_the_outcome(bucket_name: str, moto_endpoint: str, session: Any) -> None:
    # The same two bad rows with a tolerance of 10%: the run that passed above must now fail,
    # so the tolerance really is what the synthesized definition carries.
    stack, synth = synthesize(10)
    runner = runner_for(stack, synth, stack.csv_job, bucket_name, moto_endpoint, session)
    runner.bind_lambda(stack.transform, transform({"3", "6"}))
    run = runner.run({}, name="two-bad-rows-strict")
    assert run.status == "FAILED"
    assert run.error == "States.ExceedToleratedFailureThreshold"


def test_json_lines_items_run_through_the_chain(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any, s3_client: Any
) -> None:
    stack, synth = jobs
    runner = runner_for(stack, synth, stack.jsonl_job, bucket_name, moto_endpoint, session)
    run = runner.run({}, name="orders")
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert outputs(s3_client, run.output) == [
        {"order": "o-1", "total": 11},
        {"order": "o-2", "total": 22},
        {"order": "o-3", "total": 33},
    ]


def test_listed_objects_under_the_prefix_arrive_in_batches(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any, s3_client: Any
) -> None:
    stack, synth = jobs
    batches: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> int:
        batches.append(event)
        return len(event["Items"])

    runner = runner_for(stack, synth, stack.listing_job, bucket_name, moto_endpoint, session)
    runner.bind_lambda(stack.transform, handler)
    run = runner.run({}, name="docs")
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert outputs(s3_client, run.output) == [2, 2, 1]
    assert all(batch["BatchInput"] == {"run": "nightly"} for batch in batches)
    keys = [item["Key"] for batch in batches for item in batch["Items"]]
    assert keys == [f"in/docs/doc-{i}.txt" for i in range(5)]  # nothing outside the prefix


def test_the_result_writer_puts_the_manifest_and_results_in_s3(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any, s3_client: Any
) -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html: the output
    # names the Map Run and the manifest under <Prefix>/<map run id>/.
    stack, synth = jobs
    recorders: list[Recorder] = []
    runner = runner_for(stack, synth, stack.csv_job, bucket_name, moto_endpoint, session, recorders=recorders)
    runner.bind_lambda(stack.transform, transform(set()))
    run = runner.run({}, name="with-writer")
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    [recorder] = recorders
    assert recorder.resources[0] == "arn:aws:states:::s3:getObject"  # the ItemReader, through the services
    assert "arn:aws:states:::s3:putObject" in recorder.resources
    run_id = run.output["MapRunArn"].rsplit(":", 1)[-1]
    assert run.output["ResultWriterDetails"] == {"Bucket": bucket_name, "Key": f"results/{run_id}/manifest.json"}
    listed = s3_client.list_objects_v2(Bucket=bucket_name, Prefix=f"results/{run_id}/")
    assert sorted(o["Key"] for o in listed["Contents"]) == [
        f"results/{run_id}/SUCCEEDED_0.json",
        f"results/{run_id}/manifest.json",
    ]
    assert len(written(s3_client, run.output)["SUCCEEDED"]) == 8
