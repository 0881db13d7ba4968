"""ResultWriter: a Map Run's child results exported to S3 in AWS's layout, streamed as they come.

Under ``<Prefix>/<map run id>/`` the writer puts ``SUCCEEDED_0.json``, ``FAILED_0.json`` and
``PENDING_0.json`` (each only when it has entries; ``.jsonl`` with ``OutputType: JSONL``) and a
``manifest.json`` naming them (a redriven Map Run adds ``SUCCEEDED_1.json``... for its attempt and
lists the earlier SUCCEEDED files too; that redrive layout is ours, the pages read do not show
AWS's)::

    {"DestinationBucket": ..., "MapRunArn": ...,
     "ResultFiles": {"FAILED": [{"Key": ..., "Size": ...}], "PENDING": [], "SUCCEEDED": [...]}}

With ``Transformation: NONE`` (the default when exporting) an entry is the child execution's
metadata with its ``Input`` and ``Output`` as JSON text; ``COMPACT`` keeps only the outputs and
``FLATTEN`` also flattens array outputs; a failed child's entry is always the full metadata.
The Map's output becomes ``{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}``.

The writes go through the execution's task service, like a Task's: ``arn:aws:states:::s3:putObject``
with ``{Bucket, Key, Body}`` for a file that fits one part, and the S3 multipart-upload SDK
actions (``aws-sdk:s3:createMultipartUpload`` / ``uploadPart`` / ``completeMultipartUpload``) for
bigger ones, so at most one part per status file is held in memory. A failed write fails the
Map with ``States.ResultWriterFailed``.

Developer guide: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.jsonpath.jsontext import to_json_text
from constructs_sfn.asl.runtime.context import format_timestamp
from constructs_sfn.asl.runtime.item_reader import invoke_for_map
from constructs_sfn.asl.runtime.map_run_children import ChildOutcome, output_text_of

if TYPE_CHECKING:
    from constructs_sfn.asl.model.states import MapState
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.map_run import MapRun

__all__ = [
    "PART_BYTES",
    "ResultWriter",
    "child_entry",
    "transformed_texts",
    "transformed_values",
    "writer_config",
]

PART_BYTES = 5 * 1024 * 1024
"""Bytes buffered per status file before a multipart part is uploaded: S3's minimum part size, so
the memory held per file is as small as S3 allows."""
_PUT = "arn:aws:states:::s3:putObject"
_SDK = "arn:aws:states:::aws-sdk:s3:"


def writer_config(state: MapState) -> tuple[str | None, str]:
    """``(Transformation, OutputType)`` of the state's WriterConfig (None: the default applies)."""
    writer = state.result_writer or {}
    config: Mapping[str, Any] = writer.get("WriterConfig") or {}
    transformation = config.get("Transformation")
    return (str(transformation) if transformation is not None else None), str(config.get("OutputType", "JSON"))


def child_entry(outcome: ChildOutcome) -> dict[str, Any]:
    """The full (``Transformation: NONE``) entry AWS writes for one child execution."""
    entry: dict[str, Any] = {}
    if not outcome.succeeded:
        if outcome.cause is not None:
            entry["Cause"] = outcome.cause
        if outcome.error is not None:
            entry["Error"] = outcome.error
    entry["ExecutionArn"] = outcome.arn
    entry["Input"] = outcome.input_text
    entry["InputDetails"] = {"Included": True}
    entry["Name"] = outcome.name
    if outcome.succeeded:
        entry["Output"] = output_text_of(outcome)
        entry["OutputDetails"] = {"Included": True}
    if outcome.execution_type == "STANDARD":
        entry["RedriveCount"] = 0
        if outcome.succeeded:
            entry["RedriveStatus"] = "NOT_REDRIVABLE"
            entry["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
        else:
            entry["RedriveStatus"] = "REDRIVABLE"
    entry["StartDate"] = format_timestamp(outcome.start_date)
    entry["StateMachineArn"] = outcome.state_machine_arn
    entry["Status"] = outcome.status
    entry["StopDate"] = format_timestamp(outcome.stop_date)
    return entry


def transformed_values(outcome: ChildOutcome, transformation: str) -> list[Any]:
    """The values one child contributes under ``transformation`` (FLATTEN may give several)."""
    if not outcome.succeeded or transformation == "NONE":
        return [child_entry(outcome)]
    if transformation == "FLATTEN" and isinstance(outcome.output, list):
        return list(outcome.output)
    return [outcome.output]


def transformed_texts(outcome: ChildOutcome, transformation: str) -> list[str]:
    """:func:`transformed_values` as JSON texts (a child's own output text is reused, not redone)."""
    if outcome.succeeded and transformation == "COMPACT":
        return [output_text_of(outcome)]
    return [to_json_text(value) for value in transformed_values(outcome, transformation)]


class _StatusFile:
    """One ``<STATUS>_0.json`` file, uploaded in parts as entries arrive."""

    def __init__(self, writer: ResultWriter, status: str) -> None:
        self.writer = writer
        # A redriven Map Run writes its attempt's files beside the earlier ones: <STATUS>_<redrives>.
        attempt = writer.run.redrive_count
        self.key = f"{writer.folder}{status}_{attempt}.{'jsonl' if writer.output_type == 'JSONL' else 'json'}"
        self.buffer: list[str] = []
        self.buffered = 0
        self.size = 0
        self.entries = 0
        self.upload_id: str | None = None
        self.parts: list[dict[str, Any]] = []

    def add(self, text: str) -> None:
        if self.writer.output_type == "JSONL":
            piece = text + "\n"
        else:
            piece = ("[" if self.entries == 0 else ",") + text
        self.entries += 1
        self.buffer.append(piece)
        # Bytes, not characters: parts are sized in bytes (ASCII text needs no encoding to count).
        self.buffered += len(piece) if piece.isascii() else len(piece.encode("utf-8"))
        if self.buffered >= PART_BYTES:
            self._upload_part()

    def _take(self) -> str:
        body = "".join(self.buffer)
        self.size += self.buffered
        self.buffer, self.buffered = [], 0
        return body

    def _upload_part(self) -> None:
        writer = self.writer
        if self.upload_id is None:
            started = writer.call("createMultipartUpload", {"Bucket": writer.bucket, "Key": self.key})
            self.upload_id = str(started.get("UploadId")) if isinstance(started, Mapping) else None
            if not self.upload_id:
                raise writer.failure("createMultipartUpload returned no UploadId")
        number = len(self.parts) + 1
        answer = writer.call(
            "uploadPart",
            {
                "Bucket": writer.bucket,
                "Key": self.key,
                "UploadId": self.upload_id,
                "PartNumber": number,
                "Body": self._take(),
            },
        )
        etag = answer.get("ETag") if isinstance(answer, Mapping) else None
        self.parts.append({"ETag": etag, "PartNumber": number})

    def close(self) -> dict[str, Any]:
        if self.writer.output_type != "JSONL":
            self.buffer.append("]")
            self.buffered += 1
        if self.upload_id is None:
            self.writer.put(self.key, self._take())
        else:
            self._upload_part()
            self.writer.call(
                "completeMultipartUpload",
                {
                    "Bucket": self.writer.bucket,
                    "Key": self.key,
                    "UploadId": self.upload_id,
                    "MultipartUpload": {"Parts": self.parts},
                },
            )
        return {"Key": self.key, "Size": self.size}


class ResultWriter:
    """Streams one Map Run's results to S3; see the module docstring."""

    def __init__(self, ex: Execution, state: MapState, context: Any, run: MapRun, parameters: Any) -> None:
        if not isinstance(parameters, Mapping) or not isinstance(parameters.get("Bucket"), str):
            raise StatesError(
                ErrorName.RESULT_WRITER_FAILED,
                f"The ResultWriter's parameters must name a 'Bucket' string, but were {to_json_text(parameters)}",
            )
        self.ex = ex
        self.state = state
        self.context = context
        self.run = run
        self.bucket: str = parameters["Bucket"]
        prefix = str(parameters.get("Prefix") or "").strip("/")
        self.folder = f"{prefix}/{run.run_id}/" if prefix else f"{run.run_id}/"
        transformation, self.output_type = writer_config(state)
        self.transformation = transformation or "NONE"
        self._files: dict[str, _StatusFile] = {}

    @property
    def manifest_key(self) -> str:
        """Where ``manifest.json`` goes."""
        return f"{self.folder}manifest.json"

    def add(self, outcome: ChildOutcome) -> None:
        """Write one child's result (buffered; a full part is uploaded at once)."""
        status = "SUCCEEDED" if outcome.succeeded else "FAILED"
        file = self._files.get(status)
        if file is None:
            file = self._files[status] = _StatusFile(self, status)
        for text in transformed_texts(outcome, self.transformation):
            file.add(text)

    def close(self) -> dict[str, str]:
        """Finish every file, write the manifest; returns ``ResultWriterDetails``."""
        listed: dict[str, list[dict[str, Any]]] = {"FAILED": [], "PENDING": [], "SUCCEEDED": list(self.run.written)}
        for status, file in self._files.items():
            listed[status].append(file.close())
        # The failures of earlier attempts were redriven; their successes stay part of the results.
        self.run.written = list(listed["SUCCEEDED"])
        manifest = {"DestinationBucket": self.bucket, "MapRunArn": self.run.arn, "ResultFiles": listed}
        self.put(self.manifest_key, to_json_text(manifest))
        return {"Bucket": self.bucket, "Key": self.manifest_key}

    def failure(self, cause: str) -> StatesError:
        """``States.ResultWriterFailed`` with ``cause``."""
        return StatesError(ErrorName.RESULT_WRITER_FAILED, cause)

    def put(self, key: str, body: str) -> None:
        """One PutObject through the task service."""
        self._invoke(_PUT, {"Bucket": self.bucket, "Key": key, "Body": body})

    def call(self, action: str, parameters: dict[str, Any]) -> Any:
        """One S3 SDK action through the task service (multipart uploads)."""
        return self._invoke(f"{_SDK}{action}", parameters)

    def _invoke(self, resource: str, parameters: dict[str, Any]) -> Any:
        outcome = invoke_for_map(self.ex, self.state, self.context, resource, parameters)
        if outcome.error is not None:
            raise self.failure(outcome.error.cause or outcome.error.error)
        return outcome.output
