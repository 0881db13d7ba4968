"""Hostile Lambda payloads read back through boto3's response: Jackson's rules decide what is JSON.
A payload Jackson refuses (too deep, a number too long, ``NaN``) is kept as the text it is, as any
other payload that is not JSON; a number beyond the double range is held as ``"Infinity"``; never
a RecursionError or an "Internal executor error"."""

from __future__ import annotations

import io
from typing import Any

import pytest

from constructs_sfn.asl import Execution, VirtualClock, parse_definition
from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.integrations.jsontext import json_text_or_value

REFUSED = ["[" * 3000 + "]" * 3000, '{"n": ' + "7" * 5000 + "}", "NaN", '{"n": NaN}']
INVOKE = {
    "StartAt": "Call",
    "States": {
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "Charge", "Payload": {}},
            "OutputPath": "$.Payload",
            "End": True,
        }
    },
}


class LambdaClient:
    """Answers every ``invoke`` with the same payload bytes, as boto3's Lambda client returns them."""

    def __init__(self, payload: bytes, function_error: str | None = None) -> None:
        self.payload = payload
        self.function_error = function_error

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        response: dict[str, Any] = {
            "StatusCode": 200,
            "ExecutedVersion": "$LATEST",
            "Payload": io.BytesIO(self.payload),
            "ResponseMetadata": {"HTTPStatusCode": 200, "RequestId": "req-1", "HTTPHeaders": {}},
        }
        if self.function_error:
            response["FunctionError"] = self.function_error
        return response


def run(payload: str, function_error: str | None = None) -> Execution:
    client = LambdaClient(payload.encode(), function_error)
    services = Boto3Integrations(client_factory=lambda service: client, sleep=lambda seconds: None)
    return Execution(parse_definition(INVOKE), {}, services=services, clock=VirtualClock.fixed()).run()


@pytest.mark.parametrize("text", REFUSED)
def test_text_jackson_refuses_is_kept_as_text(text: str) -> None:
    assert json_text_or_value(text) == text


@pytest.mark.parametrize("text", REFUSED)
def test_a_payload_jackson_refuses_is_the_payload_text(text: str) -> None:
    execution = run(text)
    assert execution.status == "SUCCEEDED"
    assert execution.output == text


def test_a_payload_beyond_the_double_range_is_held_as_jackson_writes_it() -> None:
    assert json_text_or_value("[1e400, -1e999]") == ["Infinity", "-Infinity"]
    execution = run('{"big": 1e400}')
    assert (execution.status, execution.output_text) == ("SUCCEEDED", '{"big":"Infinity"}')


def test_a_payload_as_deep_as_jackson_allows_is_json() -> None:
    text = '{"a":' * 999 + "1" + "}" * 999
    execution = run(text)
    assert (execution.status, execution.output_text) == ("SUCCEEDED", text)


def test_a_deep_function_error_document_is_the_cause() -> None:
    text = "[" * 3000 + "]" * 3000
    execution = run(text, function_error="Unhandled")
    assert (execution.status, execution.error, execution.cause) == ("FAILED", "Lambda.Unknown", text)
