"""The Step Functions wire protocol (AWS JSON 1.0): requests in, response bytes out.

A request is ``POST`` with ``X-Amz-Target: AWSStepFunctions.<Action>``, ``Content-Type:
application/x-amz-json-1.0`` and a JSON object as body. A response is that content type with a JSON
object: the operation's output, timestamps as epoch seconds (numbers, millisecond precision, as
botocore's JSON parser reads them). An error is HTTP 400 (or the status given) with ``{"__type":
"<namespace>#<Code>", "message": ...}``; botocore keeps the part after ``#`` as the error code.

Nothing here knows about the client; :mod:`constructs_sfn.local.endpoint.operations` does.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from constructs_sfn.asl.parse.json_text import MAX_NESTING_DEPTH, json_text_depth

__all__ = [
    "CONTENT_TYPE",
    "TARGET_PREFIX",
    "WireError",
    "WireRequest",
    "decode_request",
    "encode_body",
    "encode_error",
    "json_type_name",
]

CONTENT_TYPE = "application/x-amz-json-1.0"
TARGET_PREFIX = "AWSStepFunctions."
_ACCEPTED_CONTENT_TYPES = frozenset({CONTENT_TYPE, "application/json"})
_SERVICE_NAMESPACE = "com.amazonaws.swf.service.v2.model"
"""Where Step Functions' modelled errors live (what AWS puts before ``#`` in ``__type``)."""
_CORAL_NAMESPACE = "com.amazon.coral.service"
"""Where the errors of AWS's front end live (serialization, unknown operation)."""
_CORAL_CODES = frozenset({"SerializationException", "UnknownOperationException", "RequestEntityTooLargeException"})
_VALIDATOR_NAMESPACE = "com.amazon.coral.validate"
_VALIDATOR_MESSAGE = re.compile(r"^\d+ validation errors? detected: ")
"""AWS's request validator (model constraints) words its ``ValidationException`` this way; the
service's own ``ValidationException`` (a rule of Step Functions) lives in the service namespace."""


class WireError(Exception):
    """A request answered with an AWS JSON error: ``code``, ``message`` and HTTP ``status``."""

    def __init__(self, code: str, message: str, *, status: int = 400, request_id: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.request_id = request_id
        """The request id the client drew for this answer (None: the server draws one)."""


@dataclass(frozen=True)
class WireRequest:
    """A decoded request: the action (``StartExecution``) and its parameters (a JSON object)."""

    action: str
    params: dict[str, Any]


def decode_request(method: str, headers: Mapping[str, str], body: bytes) -> WireRequest:
    """Check the protocol envelope and decode the body, or raise the :class:`WireError` AWS answers.

    ``headers`` are matched without regard to case (pass ``http.client.HTTPMessage`` or a dict with
    lower-case keys).
    """
    if method != "POST":
        raise WireError(
            "UnknownOperationException",
            f"The Step Functions API takes POST requests with an X-Amz-Target header, not {method}",
        )
    target = _header(headers, "x-amz-target")
    if not target:
        raise WireError(
            "UnknownOperationException",
            f"Missing X-Amz-Target header: name the operation as {TARGET_PREFIX}<Action>",
        )
    if not target.startswith(TARGET_PREFIX) or len(target) == len(TARGET_PREFIX):
        raise WireError("UnknownOperationException", f"Unknown operation {target!r}: expected {TARGET_PREFIX}<Action>")
    content_type = (_header(headers, "content-type") or "").split(";", 1)[0].strip().lower()
    if content_type not in _ACCEPTED_CONTENT_TYPES:
        shown = content_type or "none"
        raise WireError(
            "SerializationException",
            f"Content-Type must be {CONTENT_TYPE} (AWS JSON 1.0), got {shown}",
        )
    return WireRequest(action=target[len(TARGET_PREFIX) :], params=_decode_object(body))


def encode_body(body: Mapping[str, Any]) -> bytes:
    """A response body: ``body`` as JSON, ``ResponseMetadata`` left out, datetimes as epoch seconds."""
    payload = {key: value for key, value in body.items() if key != "ResponseMetadata"}
    # ASCII escapes keep lone surrogates (legal in JSON text, not in UTF-8) intact on the wire.
    return json.dumps(payload, default=_json_value, separators=(",", ":"), allow_nan=False).encode("ascii")


def encode_error(code: str, message: str) -> bytes:
    """An error body as AWS sends it: ``__type`` with the error's namespace, and ``message``."""
    if code in _CORAL_CODES:
        namespace = _CORAL_NAMESPACE
    elif code == "ValidationException" and _VALIDATOR_MESSAGE.match(message):
        namespace = _VALIDATOR_NAMESPACE
    else:
        namespace = _SERVICE_NAMESPACE
    return json.dumps({"__type": f"{namespace}#{code}", "message": message}).encode("ascii")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value


def _decode_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        # botocore always sends at least "{}"; an empty body is read as no parameters, as AWS does.
        return {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WireError(
            "SerializationException", f"The request body is not UTF-8 (byte {error.start}: {error.reason})"
        ) from None
    depth = json_text_depth(text)
    if depth > MAX_NESTING_DEPTH:
        # Refused by the limit itself, never by whatever recursion limit the process has (a library
        # loaded earlier may have raised it), so the same body always gets the same answer.
        raise WireError(
            "SerializationException",
            f"The request body cannot be read as JSON: it nests {depth} levels, more than {MAX_NESTING_DEPTH}",
        )
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise WireError(
            "SerializationException",
            f"The request body is not JSON (line {error.lineno}, column {error.colno}): {error.msg}",
        ) from None
    except (ValueError, RecursionError) as error:
        raise WireError("SerializationException", f"The request body cannot be read as JSON: {error}") from None
    if not isinstance(value, dict):
        raise WireError(
            "SerializationException", f"The request body must be a JSON object, not {json_type_name(value)}"
        )
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Milliseconds as AWS keeps them; a float keeps botocore's parser on its epoch path.
        return round(value.timestamp(), 3)
    if isinstance(value, bytes | bytearray):
        raise TypeError("blob members are not part of any Step Functions response")
    if isinstance(value, float) and not math.isfinite(value):  # pragma: no cover - json raises first
        raise TypeError("non-finite number")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_type_name(value: Any) -> str:
    """How an error message names the JSON type of ``value`` (``a string``, ``an array``, ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
