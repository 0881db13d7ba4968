"""The AWS JSON 1.0 envelope: request decoding and response encoding, without a server.

Wire format: https://docs.aws.amazon.com/step-functions/latest/apireference/making-api-requests.html;
timestamps travel as epoch seconds, which botocore's JSON parser reads back to ``datetime``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from constructs_sfn.local.endpoint.wire import WireError, decode_request, encode_body, encode_error

HEADERS = {"X-Amz-Target": "AWSStepFunctions.StartExecution", "Content-Type": "application/x-amz-json-1.0"}


def test_decode_a_request() -> None:
    request = decode_request("POST", HEADERS, b'{"stateMachineArn": "arn", "input": "{}"}')
    assert request.action == "StartExecution"
    assert request.params == {"stateMachineArn": "arn", "input": "{}"}
    lower = {key.lower(): value for key, value in HEADERS.items()}
    assert decode_request("POST", lower, b"").params == {}


@pytest.mark.parametrize(
    ("method", "headers", "body", "code"),
    [
        ("GET", HEADERS, b"", "UnknownOperationException"),
        ("POST", {"Content-Type": "application/x-amz-json-1.0"}, b"{}", "UnknownOperationException"),
        ("POST", {**HEADERS, "X-Amz-Target": "StartExecution"}, b"{}", "UnknownOperationException"),
        ("POST", {**HEADERS, "Content-Type": "text/xml"}, b"{}", "SerializationException"),
        ("POST", HEADERS, b'"text"', "SerializationException"),
        ("POST", HEADERS, b"{'single': 'quotes'}", "SerializationException"),
        ("POST", HEADERS, b'{"n": Infinity}', "SerializationException"),
    ],
)
def test_refusals(method: str, headers: dict[str, str], body: bytes, code: str) -> None:
    with pytest.raises(WireError) as refused:
        decode_request(method, headers, body)
    assert refused.value.code == code
    assert refused.value.status == 400


def test_encode_body_timestamps_and_metadata() -> None:
    """Datetimes become epoch seconds with milliseconds; ResponseMetadata stays off the wire."""
    instant = datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)
    body = json.loads(encode_body({"startDate": instant, "ResponseMetadata": {"RequestId": "r"}, "n": [1]}))
    assert body == {"startDate": 1714564800.123, "n": [1]}


def test_encode_body_keeps_lone_surrogates_as_escapes() -> None:
    raw = encode_body({"output": '"\udc00"'})
    assert raw == b'{"output":"\\"\\udc00\\""}'
    assert json.loads(raw)["output"] == '"\udc00"'


def test_encode_error_namespaces() -> None:
    """Step Functions' own errors and the front end's sit in different namespaces; botocore
    keeps what follows ``#`` either way."""
    service = json.loads(encode_error("ExecutionDoesNotExist", "gone"))
    assert service == {"__type": "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist", "message": "gone"}
    front = json.loads(encode_error("SerializationException", "bad"))
    assert front["__type"] == "com.amazon.coral.service#SerializationException"
    constraint = json.loads(encode_error("ValidationException", "1 validation error detected: Value null at 'name'"))
    assert constraint["__type"] == "com.amazon.coral.validate#ValidationException"
    rule = json.loads(encode_error("ValidationException", "Version description can only be set when publish is true"))
    assert rule["__type"] == "com.amazonaws.swf.service.v2.model#ValidationException"
