"""The ``SdkHttpMetadata``/``SdkResponseMetadata`` that optimized integrations add to results.

Step Functions' optimized integrations (``lambda:invoke``, ``dynamodb:putItem``,
``sqs:sendMessage``, ``sns:publish``, ``states:startExecution``) return the service response plus
the HTTP metadata of the call, with the top-level keys in alphabetical order::

    {"MessageId": "...",
     "SdkHttpMetadata": {"AllHttpHeaders": {"Content-Type": ["text/xml"], ...},
                         "HttpHeaders": {"Content-Type": "text/xml", ...},
                         "HttpStatusCode": 200},
     "SdkResponseMetadata": {"RequestId": "..."}}

Request ids are derived deterministically from the request, so snapshot tests stay stable.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from constructs_sfn.asl.services import TaskRequest

__all__ = [
    "canonical_header_name",
    "deterministic_request_id",
    "http_date",
    "sdk_http_metadata",
    "with_sdk_metadata",
]

_NAMESPACE = uuid.UUID("6f1c1a8e-3b7a-4d55-9a57-5b0f6c2d9e10")
_CANONICAL = {
    "connection": "Connection",
    "content-length": "Content-Length",
    "content-type": "Content-Type",
    "date": "Date",
    "server": "Server",
    "x-amz-crc32": "x-amz-crc32",
    "x-amz-executed-version": "X-Amz-Executed-Version",
    "x-amzn-remapped-content-length": "x-amzn-Remapped-Content-Length",
    "x-amzn-requestid": "x-amzn-RequestId",
    "x-amzn-trace-id": "X-Amzn-Trace-Id",
}


def canonical_header_name(name: str) -> str:
    """The header spelling AWS's Java SDK reports (botocore lowercases header names)."""
    return _CANONICAL.get(name.lower(), name)


def deterministic_request_id(request: TaskRequest, invocation: int = 0) -> str:
    """A UUID that is the same every time the same execution invokes the same state the same way."""
    seed = f"{request.execution_arn}/{request.state_name}/{request.attempt}/{invocation}"
    return str(uuid.uuid5(_NAMESPACE, seed))


def http_date(request: TaskRequest) -> str:
    """The ``Date`` header: when the state was entered, on the execution's clock."""
    state = request.context.get("State") if isinstance(request.context, Mapping) else None
    entered = state.get("EnteredTime") if isinstance(state, Mapping) else None
    moment: datetime | None = None
    if isinstance(entered, str):
        try:
            moment = datetime.fromisoformat(entered)
        except ValueError:
            moment = None
    if moment is None:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def sdk_http_metadata(headers: Mapping[str, str], status_code: int) -> dict[str, Any]:
    """``SdkHttpMetadata`` for a response with ``headers`` (any spelling) and ``status_code``."""
    canonical = {canonical_header_name(k): str(v) for k, v in headers.items()}
    ordered = sorted(canonical.items(), key=lambda kv: kv[0].lower())
    return {
        "AllHttpHeaders": {k: [v] for k, v in ordered},
        "HttpHeaders": dict(ordered),
        "HttpStatusCode": status_code,
    }


def with_sdk_metadata(
    body: Mapping[str, Any], *, headers: Mapping[str, str], status_code: int, request_id: str
) -> dict[str, Any]:
    """``body`` plus ``SdkHttpMetadata``/``SdkResponseMetadata``, keys in AWS's alphabetical order."""
    merged = dict(body)
    merged["SdkHttpMetadata"] = sdk_http_metadata(headers, status_code)
    merged["SdkResponseMetadata"] = {"RequestId": request_id}
    return {key: merged[key] for key in sorted(merged)}
