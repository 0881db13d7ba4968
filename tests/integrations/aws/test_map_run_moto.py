"""Distributed Maps end to end: LocalStepFunctions, boto3 to a moto S3 on loopback, results read back.

Readers (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html): JSON,
JSONL, CSV, an S3 Inventory MANIFEST and listObjectsV2 (paged, and with LOAD_AND_FLATTEN); batching
(https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html); tolerated
failures under and over the threshold (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html);
the ResultWriter's files (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html)
and a STANDARD child execution's own history.
"""

from __future__ import annotations

import gzip
import json
import uuid
from typing import Any

import boto3
import pytest

from constructs_sfn.asl.runtime import map_run_writer
from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.local import LocalStepFunctions

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/JobRole"


@pytest.fixture(scope="module")
def s3(moto_endpoint: str) -> Any:
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    return session.client("s3", endpoint_url=moto_endpoint)


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"job-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def sfn(moto_endpoint: str) -> LocalStepFunctions:
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    return LocalStepFunctions(services=Boto3Integrations(session=session, endpoint_url=moto_endpoint))


def map_job(reader: dict[str, Any] | None, processor_states: dict[str, Any], **fields: Any) -> str:
    state: dict[str, Any] = {
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": fields.pop("execution_type", "STANDARD")},
            "StartAt": next(iter(processor_states)),
            "States": processor_states,
        },
        "Label": "Job",
        "End": True,
        **fields,
    }
    if reader is not None:
        state["ItemReader"] = reader
    return json.dumps({"StartAt": "Run", "States": {"Run": state}})


PASS = {"Item": {"Type": "Pass", "End": True}}
REJECT_BAD = {
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.ok", "StringEquals": "no", "Next": "Reject"}],
        "Default": "Accept",
    },
    "Reject": {"Type": "Fail", "Error": "Rejected", "Cause": "row refused"},
    "Accept": {"Type": "Pass", "Parameters": {"id.$": "$.id"}, "End": True},
}


def run(sfn: LocalStepFunctions, definition: str, input_value: Any = None) -> dict[str, Any]:
    machine = sfn.create_state_machine(name=f"m{uuid.uuid4().hex[:8]}", definition=definition, roleArn=ROLE)
    started = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input=json.dumps(input_value or {}))
    return sfn.describe_execution(executionArn=started["executionArn"])


def get_object(bucket: str, key: str, **config: Any) -> dict[str, Any]:
    return {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": config,
        "Parameters": {"Bucket": bucket, "Key": key},
    }


def written(s3: Any, output: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The manifest and each status's entries (JSON or JSON Lines files), read back from S3."""
    details = output["ResultWriterDetails"]
    manifest = json.loads(s3.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    entries: dict[str, list[Any]] = {}
    for status, files in manifest["ResultFiles"].items():
        entries[status] = []
        for file in files:
            body = s3.get_object(Bucket=manifest["DestinationBucket"], Key=file["Key"])["Body"].read()
            assert len(body) == file["Size"]
            if file["Key"].endswith(".jsonl"):
                entries[status].extend(json.loads(line) for line in body.decode().splitlines())
            else:
                entries[status].extend(json.loads(body))
    return manifest, entries


def test_json_items(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="in/items.json", Body=json.dumps([{"n": 1}, {"n": 2}]).encode())
    reader = get_object(bucket, "in/items.json", InputType="JSON")
    described = run(sfn, map_job(reader, PASS))
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"n": 1}, {"n": 2}]


def test_jsonl_items(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="in/items.jsonl", Body=b'{"n": 1}\n\n{"n": 2}\n{"n": 3}')
    reader = get_object(bucket, "in/items.jsonl", InputType="JSONL")
    described = run(sfn, map_job(reader, PASS))
    assert json.loads(described["output"]) == [{"n": 1}, {"n": 2}, {"n": 3}]


def test_csv_items_with_given_headers_and_a_delimiter(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="in/rows.csv", Body=b'1;"a;b"\n2;c\n')
    reader = get_object(
        bucket, "in/rows.csv", InputType="CSV", CSVHeaderLocation="GIVEN", CSVHeaders=["id", "v"], CSVDelimiter="SEMICOLON"
    )  # fmt: skip
    described = run(sfn, map_job(reader, PASS))
    assert json.loads(described["output"]) == [{"id": "1", "v": "a;b"}, {"id": "2", "v": "c"}]


def test_an_s3_inventory_manifest(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="inv/data/part-1.csv.gz", Body=gzip.compress(b'"src","a.txt","10"\n'))
    s3.put_object(Bucket=bucket, Key="inv/data/part-2.csv.gz", Body=gzip.compress(b'"src","b.txt","20"\n'))
    manifest = {
        "sourceBucket": "src",
        "destinationBucket": f"arn:aws:s3:::{bucket}",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size",
        "files": [{"key": "inv/data/part-1.csv.gz"}, {"key": "inv/data/part-2.csv.gz"}],
    }
    s3.put_object(Bucket=bucket, Key="inv/manifest.json", Body=json.dumps(manifest).encode())
    described = run(sfn, map_job(get_object(bucket, "inv/manifest.json", InputType="MANIFEST"), PASS))
    assert json.loads(described["output"]) == [
        {"Bucket": "src", "Key": "a.txt", "Size": "10"},
        {"Bucket": "src", "Key": "b.txt", "Size": "20"},
    ]


def test_list_objects_pages_in_batches(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    for index in range(5):
        s3.put_object(Bucket=bucket, Key=f"docs/d{index}.txt", Body=b"x" * (index + 1))
    s3.put_object(Bucket=bucket, Key="other/skip.txt", Body=b"no")
    reader = {
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket": bucket, "Prefix": "docs/", "MaxKeys": 2},  # three pages
    }
    count = {
        "Count": {"Type": "Pass", "Parameters": {"keys.$": "$.Items[*].Key", "run.$": "$.BatchInput.run"}, "End": True}
    }
    described = run(sfn, map_job(reader, count, ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"run": "n1"}}))
    assert described["status"] == "SUCCEEDED", described.get("cause")
    assert json.loads(described["output"]) == [
        {"keys": ["docs/d0.txt", "docs/d1.txt"], "run": "n1"},
        {"keys": ["docs/d2.txt", "docs/d3.txt"], "run": "n1"},
        {"keys": ["docs/d4.txt"], "run": "n1"},
    ]


def test_list_objects_load_and_flatten_reads_each_listed_object(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="parts/a.jsonl", Body=b'{"n": 1}\n{"n": 2}\n')
    s3.put_object(Bucket=bucket, Key="parts/b.jsonl", Body=b'{"n": 3}\n')
    reader = {
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "ReaderConfig": {"InputType": "JSONL", "Transformation": "LOAD_AND_FLATTEN"},
        "Parameters": {"Bucket": bucket, "Prefix": "parts/"},
    }
    described = run(sfn, map_job(reader, PASS))
    assert described["status"] == "SUCCEEDED", described.get("cause")
    assert json.loads(described["output"]) == [{"n": 1}, {"n": 2}, {"n": 3}]


def csv_rows(s3: Any, bucket: str, bad: set[int], rows: int = 10) -> dict[str, Any]:
    text = "id,ok\n" + "".join(f"{i},{'no' if i in bad else 'yes'}\n" for i in range(1, rows + 1))
    s3.put_object(Bucket=bucket, Key="in/rows.csv", Body=text.encode())
    return get_object(bucket, "in/rows.csv", InputType="CSV", CSVHeaderLocation="FIRST_ROW")


def writer(bucket: str, **config: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": bucket, "Prefix": "out"},
    }
    if config:
        spec["WriterConfig"] = config
    return spec


def test_tolerated_failures_under_the_threshold_are_written_to_failed(
    sfn: LocalStepFunctions, s3: Any, bucket: str
) -> None:
    reader = csv_rows(s3, bucket, bad={3, 7})
    described = run(sfn, map_job(reader, REJECT_BAD, ToleratedFailurePercentage=20, ResultWriter=writer(bucket)))
    assert described["status"] == "SUCCEEDED", described.get("cause")
    output = json.loads(described["output"])
    run_id = output["MapRunArn"].rsplit(":", 1)[-1]
    assert output["ResultWriterDetails"] == {"Bucket": bucket, "Key": f"out/{run_id}/manifest.json"}
    manifest, entries = written(s3, output)
    assert manifest["MapRunArn"] == output["MapRunArn"]
    assert manifest["DestinationBucket"] == bucket
    assert [f["Key"] for f in manifest["ResultFiles"]["SUCCEEDED"]] == [f"out/{run_id}/SUCCEEDED_0.json"]
    assert [f["Key"] for f in manifest["ResultFiles"]["FAILED"]] == [f"out/{run_id}/FAILED_0.json"]
    assert manifest["ResultFiles"]["PENDING"] == []
    assert [json.loads(e["Output"]) for e in entries["SUCCEEDED"]] == [
        {"id": str(i)} for i in range(1, 11) if i not in (3, 7)
    ]
    first = entries["SUCCEEDED"][0]
    assert first["Status"] == "SUCCEEDED"
    assert json.loads(first["Input"]) == {"id": "1", "ok": "yes"}
    assert first["ExecutionArn"].split(":execution:")[1].startswith(f"{first['StateMachineArn'].split(':')[-1]}:")
    assert [(e["Error"], e["Cause"], json.loads(e["Input"])["id"]) for e in entries["FAILED"]] == [
        ("Rejected", "row refused", "3"),
        ("Rejected", "row refused", "7"),
    ]
    assert "Output" not in entries["FAILED"][0]


def test_failures_over_the_threshold_fail_the_map_run_and_results_are_still_written(
    sfn: LocalStepFunctions, s3: Any, bucket: str
) -> None:
    reader = csv_rows(s3, bucket, bad={2, 5, 8})
    described = run(sfn, map_job(reader, REJECT_BAD, ToleratedFailurePercentage=20, ResultWriter=writer(bucket)))
    assert (described["status"], described["error"]) == ("FAILED", "States.ExceedToleratedFailureThreshold")
    [listed] = sfn.list_map_runs(executionArn=described["executionArn"])["mapRuns"]
    map_run = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    assert map_run["status"] == "FAILED"
    assert (map_run["itemCounts"]["failed"], map_run["itemCounts"]["succeeded"]) == (3, 7)
    run_id = listed["mapRunArn"].rsplit(":", 1)[-1]
    manifest = json.loads(s3.get_object(Bucket=bucket, Key=f"out/{run_id}/manifest.json")["Body"].read())
    assert len(manifest["ResultFiles"]["FAILED"]) == 1


def test_compact_json_lines_results(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    reader = csv_rows(s3, bucket, bad=set(), rows=4)
    job = map_job(reader, REJECT_BAD, ResultWriter=writer(bucket, Transformation="COMPACT", OutputType="JSONL"))
    described = run(sfn, job)
    manifest, entries = written(s3, json.loads(described["output"]))
    assert manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].endswith("/SUCCEEDED_0.jsonl")
    assert entries["SUCCEEDED"] == [{"id": str(i)} for i in range(1, 5)]


def test_a_results_file_bigger_than_a_part_is_uploaded_in_parts(
    sfn: LocalStepFunctions, s3: Any, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(map_run_writer, "PART_BYTES", 5 * 1024 * 1024)  # S3's smallest part
    lines = "".join(json.dumps({"i": i, "pad": "p" * 1000}) + "\n" for i in range(6000))  # ~6 MB of outputs
    s3.put_object(Bucket=bucket, Key="in/big.jsonl", Body=lines.encode())
    reader = get_object(bucket, "in/big.jsonl", InputType="JSONL")
    job = map_job(reader, PASS, execution_type="EXPRESS", ResultWriter=writer(bucket, Transformation="COMPACT"))
    described = run(sfn, job)
    assert described["status"] == "SUCCEEDED", described.get("cause")
    manifest, entries = written(s3, json.loads(described["output"]))
    assert [entry["i"] for entry in entries["SUCCEEDED"]] == list(range(6000))
    [file] = manifest["ResultFiles"]["SUCCEEDED"]
    assert s3.head_object(Bucket=bucket, Key=file["Key"], PartNumber=1)["PartsCount"] == 2


def test_a_standard_childs_history(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    reader = csv_rows(s3, bucket, bad={2}, rows=2)
    described = run(sfn, map_job(reader, REJECT_BAD, ToleratedFailureCount=1))
    [listed] = sfn.list_map_runs(executionArn=described["executionArn"])["mapRuns"]
    children = sfn.list_executions(mapRunArn=listed["mapRunArn"])["executions"]
    failed = next(child for child in children if child["status"] == "FAILED")
    history = sfn.get_execution_history(executionArn=failed["executionArn"])["events"]
    assert [event["type"] for event in history] == [
        "ExecutionStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "FailStateEntered",
        "ExecutionFailed",
    ]
    assert json.loads(history[0]["executionStartedEventDetails"]["input"]) == {"id": "2", "ok": "no"}
    # The parent's history has the Map Run's events, none of the child's.
    parent = [e["type"] for e in sfn.get_execution_history(executionArn=described["executionArn"])["events"]]
    assert parent[2:5] == ["MapStateStarted", "MapRunStarted", "MapRunSucceeded"]
    assert "ChoiceStateEntered" not in parent


def test_a_missing_object_fails_the_map_with_item_reader_failed(sfn: LocalStepFunctions, bucket: str) -> None:
    described = run(sfn, map_job(get_object(bucket, "nope.json", InputType="JSON"), PASS))
    assert (described["status"], described["error"]) == ("FAILED", "States.ItemReaderFailed")


def test_a_missing_result_bucket_fails_the_map_with_result_writer_failed(sfn: LocalStepFunctions) -> None:
    described = run(sfn, map_job(None, PASS, ResultWriter=writer("no-such-bucket-here")), [1])
    assert (described["status"], described["error"]) == ("FAILED", "States.ResultWriterFailed")


def test_a_redriven_map_run_adds_its_attempts_results(sfn: LocalStepFunctions, s3: Any, bucket: str) -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html: only the unsuccessful
    # children run again (an EXPRESS child is started afresh, on the item as read again), and the
    # redriven attempt's files sit beside the first attempt's.
    reader = csv_rows(s3, bucket, bad={2}, rows=3)
    described = run(sfn, map_job(reader, REJECT_BAD, execution_type="EXPRESS", ResultWriter=writer(bucket)))
    assert described["status"] == "FAILED"
    s3.put_object(Bucket=bucket, Key="in/rows.csv", Body=b"id,ok\n1,yes\n2,yes\n3,yes\n")  # the bad row fixed
    sfn.redrive_execution(executionArn=described["executionArn"])
    again = sfn.describe_execution(executionArn=described["executionArn"])
    assert again["status"] == "SUCCEEDED", again.get("cause")
    output = json.loads(again["output"])
    run_id = output["MapRunArn"].rsplit(":", 1)[-1]
    manifest, entries = written(s3, output)
    assert [f["Key"] for f in manifest["ResultFiles"]["SUCCEEDED"]] == [
        f"out/{run_id}/SUCCEEDED_0.json",
        f"out/{run_id}/SUCCEEDED_1.json",
    ]
    assert manifest["ResultFiles"]["FAILED"] == []
    assert sorted(json.loads(e["Output"])["id"] for e in entries["SUCCEEDED"]) == ["1", "2", "3"]
