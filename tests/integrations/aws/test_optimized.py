"""Optimized integrations through injected fake clients (Lambda needs no container this way)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import botocore.session
from botocore.exceptions import ClientError

from constructs_sfn.integrations import Boto3Integrations

from ..conftest import RequestFactory

FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:Charge"
HEADERS = {"content-type": "application/json", "x-amzn-requestid": "req-9", "x-amz-executed-version": "$LATEST"}


class FakeClient:
    """Answers with canned responses; has the real service model so errors translate."""

    def __init__(self, service: str, **responses: Any) -> None:
        model = botocore.session.get_session().get_service_model(service)
        self.meta = SimpleNamespace(service_model=model)
        self.responses = responses
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def call(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            answer = self.responses[name]
            if callable(answer):
                answer = answer(**kwargs)
            if isinstance(answer, Exception):
                raise answer
            return answer

        return call


def _lambda_response(payload: bytes, *, function_error: str | None = None) -> Any:
    def answer(**kwargs: Any) -> dict[str, Any]:
        response: dict[str, Any] = {
            "StatusCode": 200,
            "ExecutedVersion": "$LATEST",
            "Payload": io.BytesIO(payload),
            "ResponseMetadata": {"HTTPStatusCode": 200, "RequestId": "req-9", "HTTPHeaders": HEADERS},
        }
        if function_error:
            response["FunctionError"] = function_error
        return response

    return answer


def _integrations(client: FakeClient) -> tuple[Boto3Integrations, list[str]]:
    made: list[str] = []

    def factory(service: str) -> Any:
        made.append(service)
        return client

    return Boto3Integrations(client_factory=factory, sleep=lambda seconds: None), made


def test_lambda_invoke_through_the_client(make_request: RequestFactory) -> None:
    client = FakeClient("lambda", invoke=_lambda_response(b'{"ok":true}'))
    integrations, made = _integrations(client)
    outcome = integrations.invoke(
        make_request("arn:aws:states:::lambda:invoke", {"FunctionName": "Charge", "Payload": {"n": 1}, "LogType": None})
    )
    assert made == ["lambda"]
    assert client.calls == [("invoke", {"FunctionName": "Charge", "Payload": '{"n":1}'})]
    assert outcome.output["Payload"] == {"ok": True}
    assert outcome.output["StatusCode"] == 200
    assert outcome.output["ExecutedVersion"] == "$LATEST"
    assert outcome.output["SdkHttpMetadata"]["HttpHeaders"]["X-Amz-Executed-Version"] == "$LATEST"
    assert outcome.output["SdkResponseMetadata"] == {"RequestId": "req-9"}


def test_lambda_function_error_uses_the_error_type(make_request: RequestFactory) -> None:
    document = {"errorMessage": "no", "errorType": "CustomException", "stackTrace": []}
    client = FakeClient("lambda", invoke=_lambda_response(json.dumps(document).encode(), function_error="Unhandled"))
    integrations, _ = _integrations(client)
    outcome = integrations.invoke(make_request("arn:aws:states:::lambda:invoke", {"FunctionName": "Charge"}))
    assert outcome.error is not None
    assert outcome.error.error == "CustomException"
    assert json.loads(outcome.error.cause or "") == document
    bare = integrations.invoke(make_request(FUNCTION_ARN, {"x": 1}))
    assert bare.error is not None
    assert bare.error.error == "CustomException"
    unknown = FakeClient("lambda", invoke=_lambda_response(b"Process exited", function_error="Unhandled"))
    outcome = _integrations(unknown)[0].invoke(make_request(FUNCTION_ARN))
    assert outcome.error is not None
    assert (outcome.error.error, outcome.error.cause) == ("Lambda.Unknown", "Process exited")


def test_bare_function_arn_returns_the_payload(make_request: RequestFactory) -> None:
    client = FakeClient("lambda", invoke=_lambda_response(b'"done"'))
    integrations, _ = _integrations(client)
    outcome = integrations.invoke(make_request(FUNCTION_ARN, {"x": 1}))
    assert outcome.output == "done"
    assert client.calls == [("invoke", {"FunctionName": FUNCTION_ARN, "Payload": '{"x":1}'})]


def test_lambda_service_errors(make_request: RequestFactory) -> None:
    missing = ClientError(
        {
            "Error": {"Code": "ResourceNotFoundException", "Message": "Function not found: x"},
            "ResponseMetadata": {"HTTPStatusCode": 404, "RequestId": "r"},
        },
        "Invoke",
    )
    integrations, _ = _integrations(FakeClient("lambda", invoke=missing))
    outcome = integrations.invoke(make_request("arn:aws:states:::lambda:invoke", {"FunctionName": "x"}))
    assert outcome.error is not None
    assert outcome.error.error == "Lambda.ResourceNotFoundException"
    assert outcome.error.cause == (
        "Function not found: x (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; "
        "Request ID: r; Proxy: null)"
    )
    bare = integrations.invoke(make_request(FUNCTION_ARN))
    assert bare.error is not None
    assert bare.error.error == "Lambda.ResourceNotFoundException"


def test_put_events_failed_entry(make_request: RequestFactory) -> None:
    response = {
        "FailedEntryCount": 1,
        "Entries": [{"EventId": "e1"}, {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."}],
        "ResponseMetadata": {"HTTPStatusCode": 200, "RequestId": "r", "HTTPHeaders": {}},
    }
    client = FakeClient("events", put_events=response)
    integrations, made = _integrations(client)
    outcome = integrations.invoke(
        make_request("arn:aws:states:::events:putEvents", {"Entries": [{"Detail": {"a": 1}}, {"Detail": "x"}]})
    )
    assert made == ["events"]
    assert client.calls[0][1]["Entries"][0]["Detail"] == '{"a":1}'
    assert outcome.error is not None
    assert outcome.error.error == "EventBridge.FailedEntry"
    assert outcome.error.cause == (
        '{"Entries":[{"EventId":"e1"},{"ErrorCode":"MalformedDetail","ErrorMessage":"Detail is malformed."}],'
        '"FailedEntryCount":1}'
    )


def test_start_execution_sync_polls_until_done(make_request: RequestFactory) -> None:
    start = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    statuses = iter(["RUNNING", "RUNNING", "SUCCEEDED"])

    def describe(**kwargs: Any) -> dict[str, Any]:
        status = next(statuses)
        result = {
            "executionArn": kwargs["executionArn"],
            "stateMachineArn": "arn:sm",
            "name": "kid",
            "status": status,
            "startDate": start,
            "input": "{}",
        }
        if status == "SUCCEEDED":
            result.update(stopDate=datetime(2024, 5, 1, 12, 0, 5, tzinfo=UTC), output='{"r":1}')
        return result

    client = FakeClient(
        "stepfunctions",
        start_execution={"executionArn": "arn:exec", "startDate": start, "ResponseMetadata": {}},
        describe_execution=describe,
    )
    slept: list[float] = []
    integrations = Boto3Integrations(client_factory=lambda service: client, poll_interval=0.25, sleep=slept.append)
    outcome = integrations.invoke(
        make_request("arn:aws:states:::states:startExecution.sync:2", {"StateMachineArn": "arn:sm", "Name": "kid"})
    )
    assert client.calls[0] == ("start_execution", {"stateMachineArn": "arn:sm", "name": "kid", "input": "{}"})
    assert slept == [0.25, 0.25]
    assert outcome.output["Output"] == {"r": 1}
    assert outcome.output["Status"] == "SUCCEEDED"
    assert outcome.duration == 5.0
    # connect-to-resource.html#connect-sync: the StartExecution answer is the submission (TaskSubmitted).
    assert outcome.submitted
    assert outcome.submitted_output["ExecutionArn"] == "arn:exec"


def test_start_execution_sync_gives_up_at_the_task_timeout(make_request: RequestFactory) -> None:
    client = FakeClient(
        "stepfunctions",
        start_execution={"executionArn": "arn:exec", "ResponseMetadata": {}},
        describe_execution={"status": "RUNNING"},
    )
    integrations = Boto3Integrations(client_factory=lambda service: client, sleep=lambda seconds: None)
    outcome = integrations.invoke(
        make_request("arn:aws:states:::states:startExecution.sync", {"StateMachineArn": "arn:sm"}, timeout_seconds=0.0)
    )
    assert not outcome.completes


def test_without_sdk_metadata_results_are_sorted_bodies(make_request: RequestFactory) -> None:
    client = FakeClient("sns", publish={"MessageId": "m", "ResponseMetadata": {"HTTPStatusCode": 200}})
    integrations = Boto3Integrations(client_factory=lambda service: client, sdk_metadata=False)
    outcome = integrations.invoke(make_request("arn:aws:states:::sns:publish", {"TopicArn": "t", "Message": "x"}))
    assert outcome.output == {"MessageId": "m"}
