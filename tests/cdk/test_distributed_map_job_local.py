"""DistributedMapJob run locally: the synthesized definition on the executor, S3 on a moto server.

The job is synthesized once per module; its definition is taken from the template by
``SynthesizedApp`` and run by the local executor. The ItemReader's ``s3:getObject`` /
``s3:listObjectsV2`` go through real boto3 to a moto server on loopback, where the test put the
items; the item processor Lambda is played by a Python handler.

What the local run does not show: the executor ignores ``ResultWriter`` (nothing is written to
the result bucket, and the Map's output is the array of results instead of AWS's
``{"MapRunArn", "ResultWriterDetails"}``), runs child executions inline (EXPRESS or STANDARD
alike) and checks no IAM. Those facts are asserted on the template in test_distributed_map_job.py.
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
        values={stack.source: bucket},
        sdk=Boto3Integrations(session=session, endpoint_url=endpoint),
        wrap=wrap,
    )


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
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any
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
    assert run.output == [{"id": i, "label": f"ITEM-{i}", "qty": i * 3} for i in range(1, 9)]
    types = [event["type"] for event in run.events]
    assert "MapRunStarted" in types
    assert "MapRunSucceeded" in types


def test_failures_within_the_tolerance_succeed(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any
) -> None:
    stack, synth = jobs
    runner = runner_for(stack, synth, stack.csv_job, bucket_name, moto_endpoint, session)
    runner.bind_lambda(stack.transform, transform({"3", "6"}))  # 2 of 8 = 25%: at the threshold
    run = runner.run({}, name="two-bad-rows")
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    failed = [item for item in run.output if "Error" in item]
    assert [item["Error"] for item in failed] == ["ItemRejectedError", "ItemRejectedError"]
    assert len(run.output) == 8


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
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any
) -> None:
    stack, synth = jobs
    runner = runner_for(stack, synth, stack.jsonl_job, bucket_name, moto_endpoint, session)
    run = runner.run({}, name="orders")
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert run.output == [{"order": "o-1", "total": 11}, {"order": "o-2", "total": 22}, {"order": "o-3", "total": 33}]


def test_listed_objects_under_the_prefix_arrive_in_batches(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any
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
    assert run.output == [2, 2, 1]
    assert all(batch["BatchInput"] == {"run": "nightly"} for batch in batches)
    keys = [item["Key"] for batch in batches for item in batch["Items"]]
    assert keys == [f"in/docs/doc-{i}.txt" for i in range(5)]  # nothing outside the prefix


def test_the_result_writer_is_not_executed_locally(
    jobs: tuple[JobStack, SynthesizedApp], bucket_name: str, moto_endpoint: str, session: Any, s3_client: Any
) -> None:
    # Pins down today's executor: ResultWriter is parsed and checked, never performed. When the
    # executor learns Distributed Map result writing, this test must change with it.
    stack, synth = jobs
    recorders: list[Recorder] = []
    runner = runner_for(stack, synth, stack.csv_job, bucket_name, moto_endpoint, session, recorders=recorders)
    runner.bind_lambda(stack.transform, transform(set()))
    run = runner.run({}, name="no-writer")
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    [recorder] = recorders
    assert recorder.resources[0] == "arn:aws:states:::s3:getObject"  # the ItemReader, through the services
    assert not any(resource.endswith("s3:putObject") for resource in recorder.resources)
    assert isinstance(run.output, list)  # AWS would answer {"MapRunArn": ..., "ResultWriterDetails": ...}
    assert s3_client.list_objects_v2(Bucket=bucket_name, Prefix="results/").get("KeyCount") == 0
