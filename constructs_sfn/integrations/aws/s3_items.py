"""A Distributed Map's ``arn:aws:states:::s3:getObject`` ItemReader, with the body left as a stream.

The generic optimized path reads a response body whole; for an ItemReader that would hold a
million-row object in memory at once. Here the answer is ``{"Body": <botocore StreamingBody>}``,
which the executor's reader (:mod:`constructs_sfn.asl.runtime.item_reader`) decodes a chunk at a
time. ``s3:listObjectsV2`` pages and the ResultWriter's ``s3:putObject`` need no special shape and
take the generic path.

Developer guide: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.aws.clients import ClientProvider
from constructs_sfn.integrations.aws.errors import translate_exception

__all__ = ["ITEM_READER_GET_OBJECT", "stream_object"]

ITEM_READER_GET_OBJECT = "arn:aws:states:::s3:getObject"
_GET_OBJECT_FIELDS = ("Bucket", "Key", "VersionId", "Range", "ExpectedBucketOwner")


def stream_object(clients: ClientProvider, request: TaskRequest) -> TaskOutcome:
    """GetObject for an ItemReader: ``{"Body": stream}``, or the error AWS names."""
    params = request.parameters if isinstance(request.parameters, Mapping) else {}
    missing = [name for name in ("Bucket", "Key") if not isinstance(params.get(name), str)]
    if missing:
        return TaskOutcome.failure(
            ErrorName.ITEM_READER_FAILED,
            f"The ItemReader's parameters of state '{request.state_name}' need string fields "
            f"{' and '.join(repr(name) for name in missing)} to read an S3 object",
        )
    parts = request.state_machine_arn.split(":")
    region = parts[3] if len(parts) > 3 and parts[0] == "arn" and parts[3] else None
    client = clients.client("s3", default_region=region)
    kwargs: dict[str, Any] = {name: params[name] for name in _GET_OBJECT_FIELDS if params.get(name) is not None}
    try:
        response = client.get_object(**kwargs)
    except Exception as exc:
        error = translate_exception(exc, client=client, style="optimized", service="s3")
        if error is None:
            raise
        return TaskOutcome(error=error)
    return TaskOutcome.success({"Body": response["Body"]})
