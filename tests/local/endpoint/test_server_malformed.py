"""Malformed requests sent as raw HTTP get AWS-shaped JSON errors, never a traceback.

The envelope is AWS JSON 1.0 as the API reference describes it
(https://docs.aws.amazon.com/step-functions/latest/apireference/making-api-requests.html): POST,
``X-Amz-Target: AWSStepFunctions.<Action>``, ``Content-Type: application/x-amz-json-1.0``; errors
carry ``__type`` and ``message`` (https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html).
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from constructs_sfn.local.endpoint import EndpointServer, EndpointSettings

from .conftest import boto3_client

TARGET = "AWSStepFunctions."
JSON_1_0 = "application/x-amz-json-1.0"


def send(
    server: EndpointServer,
    body: bytes | str = b"{}",
    *,
    target: str | None = "AWSStepFunctions.ListStateMachines",
    content_type: str | None = JSON_1_0,
    method: str = "POST",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """One raw request; status, lower-cased headers and the JSON body of the answer."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    sent = dict(headers or {})
    if target is not None:
        sent["X-Amz-Target"] = target
    if content_type is not None:
        sent["Content-Type"] = content_type
    try:
        connection.request(method, "/", body=body, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        answer_headers = {key.lower(): value for key, value in response.getheaders()}
        status = response.status
    finally:
        connection.close()
    assert b"Traceback" not in raw
    return status, answer_headers, json.loads(raw)


@pytest.fixture(scope="module")
def server() -> Iterator[EndpointServer]:
    """One endpoint for the module, with a small body limit."""
    settings = EndpointSettings.from_environment({})
    with EndpointServer(port=0, settings=settings, max_body_bytes=4096) as running:
        yield running


def assert_error(answer: tuple[int, dict[str, str], dict[str, Any]], status: int, code: str, *words: str) -> None:
    """The answer is an AWS JSON error ``code`` with HTTP ``status``, mentioning ``words``."""
    got_status, headers, body = answer
    assert got_status == status, body
    assert body["__type"].rsplit("#", 1)[1] == code
    assert headers["content-type"] == JSON_1_0
    assert headers["x-amzn-requestid"]
    for word in words:
        assert word in body["message"]


def test_a_good_request_answers_json_1_0(server: EndpointServer) -> None:
    """The baseline: a well-formed request succeeds with the JSON 1.0 content type and a request id."""
    status, headers, body = send(server)
    assert status == 200
    assert body == {"stateMachines": []}
    assert headers["content-type"] == JSON_1_0
    assert len(headers["x-amzn-requestid"]) == 36


def test_bad_json_is_a_serialization_exception(server: EndpointServer) -> None:
    assert_error(send(server, b'{"name": '), 400, "SerializationException", "not JSON", "line 1")
    assert_error(send(server, b"\xff\xfe{}"), 400, "SerializationException", "not UTF-8")
    assert_error(send(server, b"[1, 2]"), 400, "SerializationException", "JSON object", "an array")
    assert_error(send(server, b'{"maxResults": NaN}'), 400, "SerializationException", "NaN")
    too_deep = b"[" * 2000 + b"]" * 2000  # nested deeper than any JSON parser here follows
    assert_error(send(server, too_deep), 400, "SerializationException", "cannot be read as JSON")


def test_too_deep_json_is_refused_whatever_the_recursion_limit(server: EndpointServer) -> None:
    """The nesting limit decides, not Python's recursion limit, which a library loaded earlier (the
    JSONata engine raises it) may have raised: the same body gets the same answer in any process."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        answer = send(server, b"[" * 2000 + b"]" * 2000)
    finally:
        sys.setrecursionlimit(limit)
    assert_error(answer, 400, "SerializationException", "cannot be read as JSON", "2000 levels")
    shallow_enough = b'{"notAMember": ' + b"[" * 50 + b"]" * 50 + b"}"  # read; a member the API lacks is ignored
    assert send(server, shallow_enough)[0] == 200


def test_missing_or_unknown_target_is_an_unknown_operation(server: EndpointServer) -> None:
    assert_error(send(server, target=None), 400, "UnknownOperationException", "X-Amz-Target")
    assert_error(
        send(server, target="AWSStepFunctions.LaunchRockets"), 400, "UnknownOperationException", "LaunchRockets"
    )
    assert_error(send(server, target="DynamoDB_20120810.GetItem"), 400, "UnknownOperationException", "DynamoDB")
    assert_error(send(server, target=TARGET), 400, "UnknownOperationException")
    # a client method that is not an API operation is not reachable over the wire
    assert_error(
        send(server, target="AWSStepFunctions.AdvanceClock", body=b'{"seconds": 5}'), 400, "UnknownOperationException"
    )


def test_wrong_content_type_or_method(server: EndpointServer) -> None:
    assert_error(send(server, content_type="text/plain"), 400, "SerializationException", "Content-Type")
    assert_error(send(server, content_type=None), 400, "SerializationException", "Content-Type")
    assert_error(send(server, method="GET", body=b""), 400, "UnknownOperationException", "POST")
    status, _, body = send(server, content_type="application/json")  # accepted, as AWS does
    assert (status, body) == (200, {"stateMachines": []})


def test_a_body_over_the_limit_is_refused_unread(server: EndpointServer) -> None:
    """413 before reading the body: memory stays bounded whatever the client claims to send."""
    assert_error(send(server, b" " * 5000), 413, "RequestEntityTooLargeException", "4096")
    with socket.create_connection((server.host, server.port), timeout=10) as raw:
        raw.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
            b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 99999999999\r\n\r\n"
        )
        head = raw.recv(4096)
    assert head.startswith(b"HTTP/1.1 413")


def test_chunked_and_broken_requests(server: EndpointServer) -> None:
    """No Content-Length (chunked), a bad one, or a request line that is not HTTP: JSON errors."""
    assert_error(
        send(server, headers={"Transfer-Encoding": "chunked"}, body=b"2\r\n{}\r\n0\r\n\r\n"),
        411,
        "LengthRequiredException",
    )
    with socket.create_connection((server.host, server.port), timeout=10) as raw:
        raw.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\n")
        answer = read_to_close(raw)
    assert answer.startswith(b"HTTP/1.1 400")
    assert b"SerializationException" in answer
    with socket.create_connection((server.host, server.port), timeout=10) as raw:
        raw.sendall(b"HELLO\r\n\r\n")
        answer = read_to_close(raw)
    assert b"SerializationException" in answer
    assert b"Traceback" not in answer


def read_to_close(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (bounded)."""
    chunks: list[bytes] = []
    while sum(map(len, chunks)) < 65536:
        chunk = connection.recv(4096)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_wrong_member_types_name_the_member(server: EndpointServer) -> None:
    target = "AWSStepFunctions.StartExecution"
    body = json.dumps({"stateMachineArn": 12})
    assert_error(
        send(server, body, target=target), 400, "SerializationException", "'stateMachineArn'", "a string", "a number"
    )
    body = json.dumps({"stateMachineArn": "arn", "input": {"not": "text"}})
    assert_error(send(server, body, target=target), 400, "SerializationException", "'input'", "an object")
    body = json.dumps({"stateMachineArn": "arn:x", "maxResults": True})
    assert_error(
        send(server, body, target="AWSStepFunctions.ListExecutions"), 400, "SerializationException", "'maxResults'"
    )
    body = json.dumps({"name": "n", "definition": "{}", "roleArn": "r", "tags": {"k": "v"}})
    assert_error(
        send(server, body, target="AWSStepFunctions.CreateStateMachine"), 400, "SerializationException", "'tags'"
    )


def test_missing_required_members_are_validation_errors(server: EndpointServer) -> None:
    """AWS's front end wording: ``Value null at 'name' failed to satisfy constraint``."""
    answer = send(server, b"{}", target="AWSStepFunctions.CreateStateMachine")
    assert_error(answer, 400, "ValidationException", "3 validation errors detected")
    message = answer[2]["message"]
    for member in ("name", "definition", "roleArn"):
        assert f"Value null at '{member}' failed to satisfy constraint: Member must not be null" in message
    empty = json.dumps({"name": "", "definition": "{}", "roleArn": "arn:aws:iam::123456789012:role/r"})
    answer = send(server, empty, target="AWSStepFunctions.CreateStateMachine")
    assert_error(answer, 400, "ValidationException", "Member must have length greater than or equal to 1")


def test_unknown_members_and_nulls_are_ignored(server: EndpointServer) -> None:
    """AWS ignores members the API does not define; null stands for "not given"."""
    status, _, body = send(server, json.dumps({"maxResults": None, "futureOption": 1}))
    assert (status, body) == (200, {"stateMachines": []})


def test_keep_alive_survives_errors(server: EndpointServer) -> None:
    """An error answer keeps the connection usable for the next request (boto3 pools connections)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        for target in ("AWSStepFunctions.Nope", "AWSStepFunctions.ListStateMachines"):
            connection.request("POST", "/", body=b"{}", headers={"X-Amz-Target": target, "Content-Type": JSON_1_0})
            response = connection.getresponse()
            response.read()
        assert response.status == 200
    finally:
        connection.close()


class _BrokenClient:
    """A client whose every call fails unexpectedly."""

    def list_activities(self, *, maxResults: int | None = None, nextToken: str | None = None) -> dict[str, Any]:  # noqa: N803 - boto3's names
        return {"activities": [object()]}  # nothing JSON can write

    def list_state_machines(self, *, maxResults: int | None = None, nextToken: str | None = None) -> dict[str, Any]:  # noqa: N803 - boto3's names
        raise RuntimeError("disk on fire")


def test_an_unexpected_failure_is_an_internal_failure_without_traceback() -> None:
    settings = EndpointSettings.from_environment({})
    with EndpointServer(_BrokenClient(), port=0, settings=settings, tick_seconds=0) as broken:  # type: ignore[arg-type]
        assert_error(send(broken), 500, "InternalFailure", "RuntimeError", "disk on fire")
        unwritable = send(broken, target="AWSStepFunctions.ListActivities")
        assert_error(unwritable, 500, "InternalFailure", "TypeError", "object is not JSON serializable")
        from botocore.exceptions import ClientError

        with pytest.raises(ClientError) as raised:
            boto3_client(broken.url).list_state_machines()
        assert raised.value.response["Error"]["Code"] == "InternalFailure"
