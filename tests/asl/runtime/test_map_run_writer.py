"""ResultWriter: the files a Map Run puts through the task service, and the Map's output.

Layout and entry fields from https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
(``manifest.json`` naming ``SUCCEEDED_n`` / ``FAILED_n`` / ``PENDING_n`` files under
``<Prefix>/<map run id>/``, the Map output ``{"MapRunArn", "ResultWriterDetails"}``, WriterConfig
``Transformation`` / ``OutputType``). The service here records the writes instead of S3.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from runtime_support import FakeService, execute, single

from constructs_sfn.asl.runtime import map_run_writer
from constructs_sfn.asl.services import TaskOutcome, TaskRequest


class FakeS3:
    """Answers the writer's S3 calls and keeps what was put."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], str] = {}
        self.uploads: dict[str, list[str]] = {}
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        self.requests.append(request)
        params = request.parameters
        action = request.resource.rsplit(":", 1)[-1]
        if action == "putObject":
            self.objects[(params["Bucket"], params["Key"])] = params["Body"]
            return TaskOutcome.success({"ETag": '"e"'})
        if action == "createMultipartUpload":
            self.uploads[params["Key"]] = []
            return TaskOutcome.success({"UploadId": "u1"})
        if action == "uploadPart":
            self.uploads[params["Key"]].append(params["Body"])
            return TaskOutcome.success({"ETag": f'"p{params["PartNumber"]}"'})
        if action == "completeMultipartUpload":
            assert [p["PartNumber"] for p in params["MultipartUpload"]["Parts"]] == list(
                range(1, len(self.uploads[params["Key"]]) + 1)
            )
            self.objects[(params["Bucket"], params["Key"])] = "".join(self.uploads.pop(params["Key"]))
            return TaskOutcome.success({})
        return TaskOutcome.failure("S3.Unexpected", request.resource)

    def json(self, key: str) -> Any:
        return json.loads(self.objects[("out", key)])


def job(writer: dict[str, Any], *, jsonata: bool = False, **fields: Any) -> dict[str, Any]:
    """A Distributed Map whose children fail for a negative ``v``, with ``writer`` as its ResultWriter."""
    negative = (
        {"Condition": "{% $states.input.v < 0 %}", "Next": "Bad"}
        if jsonata
        else {"Variable": "$.v", "NumericLessThan": 0, "Next": "Bad"}
    )
    states = {
        "Check": {"Type": "Choice", "Choices": [negative], "Default": "Good"},
        "Bad": {"Type": "Fail", "Error": "Negative", "Cause": "below zero"},
        "Good": {"Type": "Pass", "End": True},
    }
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Check",
        "States": states,
    }
    definition = single({"Type": "Map", "ItemProcessor": processor, "ResultWriter": writer, "Label": "L", **fields})
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


ITEMS = [{"v": 1}, {"v": -1}, {"v": 2}]


def test_the_manifest_and_the_files_it_names() -> None:
    s3 = FakeS3()
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs/"}}
    execution = execute(job(writer, ToleratedFailureCount=1), ITEMS, services=s3)
    assert execution.status == "SUCCEEDED"
    arn = execution.output["MapRunArn"]
    run_id = arn.rsplit(":", 1)[-1]
    assert arn.startswith("arn:aws:states:us-east-1:123456789012:mapRun:LocalStateMachine/L:")
    assert execution.output["ResultWriterDetails"] == {"Bucket": "out", "Key": f"runs/{run_id}/manifest.json"}
    manifest = s3.json(f"runs/{run_id}/manifest.json")
    succeeded_key, failed_key = f"runs/{run_id}/SUCCEEDED_0.json", f"runs/{run_id}/FAILED_0.json"
    assert manifest == {
        "DestinationBucket": "out",
        "MapRunArn": arn,
        "ResultFiles": {
            "FAILED": [{"Key": failed_key, "Size": len(s3.objects[("out", failed_key)].encode())}],
            "PENDING": [],
            "SUCCEEDED": [{"Key": succeeded_key, "Size": len(s3.objects[("out", succeeded_key)].encode())}],
        },
    }
    succeeded = s3.json(succeeded_key)
    assert [entry["Input"] for entry in succeeded] == ['{"v":1}', '{"v":2}']
    assert sorted(succeeded[0]) == [
        "ExecutionArn",
        "Input",
        "InputDetails",
        "Name",
        "Output",
        "OutputDetails",
        "RedriveCount",
        "RedriveStatus",
        "RedriveStatusReason",
        "StartDate",
        "StateMachineArn",
        "Status",
        "StopDate",
    ]
    assert succeeded[0]["StateMachineArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:LocalStateMachine/L"
    assert succeeded[0]["ExecutionArn"].endswith(f":execution:LocalStateMachine/L:{succeeded[0]['Name']}")
    [failed] = s3.json(failed_key)
    assert (failed["Status"], failed["Error"], failed["Cause"], failed["Input"]) == (
        "FAILED",
        "Negative",
        "below zero",
        '{"v":-1}',
    )
    assert "Output" not in failed


def test_jsonata_arguments_name_the_bucket() -> None:
    s3 = FakeS3()
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "{% 'o' & 'ut' %}", "Prefix": "j"}}
    execution = execute(job(writer, jsonata=True, ToleratedFailurePercentage=50), ITEMS, services=s3)
    assert execution.status == "SUCCEEDED"
    assert execution.output["ResultWriterDetails"]["Key"].startswith("j/")


def test_compact_jsonl_writes_only_the_outputs_and_failures_in_full() -> None:
    s3 = FakeS3()
    writer = {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "out", "Prefix": "c"},
        "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"},
    }
    execution = execute(job(writer, ToleratedFailureCount=1), ITEMS, services=s3)
    key = execution.output["ResultWriterDetails"]["Key"].replace("manifest.json", "SUCCEEDED_0.jsonl")
    assert s3.objects[("out", key)] == '{"v":1}\n{"v":2}\n'
    failed = s3.objects[("out", key.replace("SUCCEEDED", "FAILED"))]
    assert json.loads(failed.splitlines()[0])["Error"] == "Negative"


def test_big_files_go_up_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(map_run_writer, "PART_BYTES", 40)
    s3 = FakeS3()
    writer = {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "out", "Prefix": "big"},
        "WriterConfig": {"Transformation": "COMPACT"},
    }
    items = [{"v": i, "pad": "x" * 20} for i in range(10)]
    execution = execute(job(writer), items, services=s3)
    key = execution.output["ResultWriterDetails"]["Key"].replace("manifest.json", "SUCCEEDED_0.json")
    assert s3.json(key) == items
    parts = [r for r in s3.requests if r.resource.endswith("uploadPart")]
    assert len(parts) > 3
    assert all(len(r.parameters["Body"]) >= 40 for r in parts[:-1])


def test_a_failed_write_fails_the_map_with_result_writer_failed() -> None:
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "p"}}
    service = FakeService(TaskOutcome.failure("S3.NoSuchBucket", "The specified bucket does not exist"))
    execution = execute(job(writer), [{"v": 1}], services=service)
    assert (execution.error, execution.cause) == ("States.ResultWriterFailed", "The specified bucket does not exist")


def test_a_writer_without_a_bucket_fails_the_map_clearly() -> None:
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Prefix": "p"}}
    execution = execute(job(writer), [{"v": 1}], services=FakeS3())
    assert execution.error == "States.ResultWriterFailed"
    assert "'Bucket'" in (execution.cause or "")
