"""The approval callback handler, in-process: real paused executions, a real conditional write.

Each test starts an execution of a small ``.waitForTaskToken`` workflow on ``LocalStepFunctions``
(the notification is captured by a recording service bound to ``sns:publish``), then calls the
handler with an API Gateway proxy event. The used-token table is a DynamoDB table on a moto server
on loopback, reached through real boto3.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.cdk.approval_callback import handler as callback_module
from constructs_sfn.cdk.approval_callback.handler import (
    MAX_COMMENT_LENGTH,
    REJECTED_ERROR,
    CallbackConfigurationError,
    CallbackHandler,
    token_hash,
)
from constructs_sfn.integrations import TaskServices
from constructs_sfn.local import LocalStepFunctions

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/approval"
BOB = "arn:aws:iam::123456789012:user/bob"
NOW = 1_800_000_000.0

DEFINITION = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
            "Parameters": {
                "TopicArn": "arn:aws:sns:us-east-1:123456789012:approvers",
                "Message": {"taskToken.$": "$$.Task.Token", "request.$": "$"},
            },
            "TimeoutSeconds": 3600,
            "ResultPath": "$.approval",
            "Catch": [{"ErrorEquals": [REJECTED_ERROR], "ResultPath": "$.rejection", "Next": "Rejected"}],
            "End": True,
        },
        "Rejected": {"Type": "Pass", "End": True},
    },
}


@pytest.fixture(scope="module")
def dynamodb(moto_endpoint: str) -> Any:
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    return session.client("dynamodb", endpoint_url=moto_endpoint)


@pytest.fixture
def table(dynamodb: Any) -> str:
    name = f"tokens-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "tokenHash", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "tokenHash", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


class Notifications:
    """Records what the workflow published; the notification carries the token."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        self.sent.append(request.parameters["Message"])
        return TaskOutcome.success({"MessageId": f"m-{len(self.sent)}"})


class Flow:
    """A local client with the workflow, the captured notifications and the handler under test."""

    def __init__(self, dynamodb: Any, table: str) -> None:
        self.notifications = Notifications()
        services = TaskServices(read_env=False).bind("arn:aws:states:::sns:publish", self.notifications)
        self.sfn = LocalStepFunctions(region=REGION, services=services)
        machine = self.sfn.create_state_machine(name="approval", definition=json.dumps(DEFINITION), roleArn=ROLE)
        self.machine_arn = machine["stateMachineArn"]
        self.dynamodb = dynamodb
        self.table = table
        self.handler = CallbackHandler(
            sfn_client=self.sfn, dynamodb_client=dynamodb, table_name=table, ttl_seconds=600, clock=lambda: NOW
        )
        self._count = 0

    def start(self) -> tuple[str, str]:
        """Start an execution; (execution ARN, the token its notification carried)."""
        self._count += 1
        started = self.sfn.start_execution(stateMachineArn=self.machine_arn, input=json.dumps({"n": self._count}))
        token: str = self.notifications.sent[-1]["taskToken"]
        return started["executionArn"], token

    def describe(self, execution: str) -> dict[str, Any]:
        described: dict[str, Any] = self.sfn.describe_execution(executionArn=execution)
        return described

    def output(self, execution: str) -> Any:
        described = self.describe(execution)
        assert described["status"] == "SUCCEEDED", described
        return json.loads(described["output"])

    def recorded(self, token: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self.dynamodb.get_item(
            TableName=self.table, Key={"tokenHash": {"S": token_hash(token)}}
        ).get("Item")
        return item


@pytest.fixture
def flow(dynamodb: Any, table: str) -> Flow:
    return Flow(dynamodb, table)


def iam_event(action: str, body: Any, *, user_arn: str | None = BOB) -> dict[str, Any]:
    identity = {"userArn": user_arn, "caller": None, "sourceIp": "198.51.100.7"}
    return {
        "resource": f"/{action}",
        "path": f"/{action}",
        "httpMethod": "POST",
        "requestContext": {"resourcePath": f"/{action}", "identity": identity},
        "body": body if isinstance(body, str) or body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


# -- decisions ----------------------------------------------------------------------------------


def test_approve_sends_task_success_with_the_iam_caller_as_approver(flow: Flow) -> None:
    execution, token = flow.start()
    response = flow.handler(iam_event("approve", {"taskToken": token, "comment": "fine"}), None)

    assert response["statusCode"] == 200
    assert body_of(response) == {"decision": "APPROVED", "approver": BOB}
    assert response["headers"]["Cache-Control"] == "no-store"
    assert flow.output(execution)["approval"] == {
        "decision": "APPROVED",
        "approver": BOB,
        "comment": "fine",
        "decidedAt": "2027-01-15T08:00:00.000Z",
    }
    item = flow.recorded(token)
    assert item is not None
    assert item["expiresAt"] == {"N": str(int(NOW) + 600)}
    assert item["approver"] == {"S": BOB}


def test_reject_sends_task_failure_with_the_decision_as_cause(flow: Flow) -> None:
    execution, token = flow.start()
    response = flow.handler(iam_event("reject", {"taskToken": token, "comment": "no"}), None)

    assert response["statusCode"] == 200
    rejection = flow.output(execution)["rejection"]
    assert rejection["Error"] == REJECTED_ERROR
    assert json.loads(rejection["Cause"]) == {
        "decision": "REJECTED",
        "approver": BOB,
        "comment": "no",
        "decidedAt": "2027-01-15T08:00:00.000Z",
    }


def test_the_approver_comes_from_the_cognito_claims_never_from_the_body(flow: Flow) -> None:
    execution, token = flow.start()
    event = iam_event("approve", {"taskToken": token, "approver": "mallory", "comment": ""}, user_arn=None)
    event["requestContext"]["authorizer"] = {"claims": {"cognito:username": "dana", "email": "dana@example.com"}}
    response = flow.handler(event, None)

    assert response["statusCode"] == 200
    assert flow.output(execution)["approval"]["approver"] == "dana"


def test_without_an_authorized_identity_the_request_is_refused_and_the_token_stays_usable(flow: Flow) -> None:
    execution, token = flow.start()
    response = flow.handler(iam_event("approve", {"taskToken": token}, user_arn=None), None)

    assert response["statusCode"] == 403
    assert flow.describe(execution)["status"] == "RUNNING"
    assert flow.recorded(token) is None


def test_comment_defaults_to_empty_and_a_base64_body_is_read(flow: Flow) -> None:
    execution, token = flow.start()
    event = iam_event("approve", None)
    event["body"] = base64.b64encode(json.dumps({"taskToken": token}).encode()).decode()
    event["isBase64Encoded"] = True
    assert flow.handler(event, None)["statusCode"] == 200
    assert flow.output(execution)["approval"]["comment"] == ""


# -- once only ----------------------------------------------------------------------------------


def test_a_replay_gets_409_and_does_not_call_step_functions(flow: Flow) -> None:
    execution, token = flow.start()
    calls: list[str] = []

    class Counting:
        def send_task_success(self, **kwargs: Any) -> Any:
            calls.append("success")
            return flow.sfn.send_task_success(**kwargs)

        def send_task_failure(self, **kwargs: Any) -> Any:
            calls.append("failure")
            return flow.sfn.send_task_failure(**kwargs)

    handler = CallbackHandler(sfn_client=Counting(), dynamodb_client=flow.dynamodb, table_name=flow.table)
    assert handler(iam_event("approve", {"taskToken": token}), None)["statusCode"] == 200
    replay = handler(iam_event("reject", {"taskToken": token}), None)

    assert replay["statusCode"] == 409
    assert calls == ["success"]
    assert flow.output(execution)["approval"]["decision"] == "APPROVED"


def test_a_token_whose_task_closed_gets_410(flow: Flow) -> None:
    execution, token = flow.start()
    flow.sfn.advance_clock(3600)
    assert flow.describe(execution)["status"] == "FAILED"

    response = flow.handler(iam_event("approve", {"taskToken": token}), None)
    assert response["statusCode"] == 410


def test_a_token_step_functions_does_not_know_gets_400(flow: Flow) -> None:
    response = flow.handler(iam_event("approve", {"taskToken": "not-a-real-token"}), None)
    assert response["statusCode"] == 400
    assert "not a valid task token" in body_of(response)["message"]


def test_a_transient_failure_releases_the_token_so_a_retry_succeeds(flow: Flow) -> None:
    execution, token = flow.start()

    class Throttled:
        def send_task_success(self, **kwargs: Any) -> Any:
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "SendTaskSuccess")

    failing = CallbackHandler(sfn_client=Throttled(), dynamodb_client=flow.dynamodb, table_name=flow.table)
    assert failing(iam_event("approve", {"taskToken": token}), None)["statusCode"] == 502
    assert flow.recorded(token) is None
    assert flow.describe(execution)["status"] == "RUNNING"

    assert flow.handler(iam_event("approve", {"taskToken": token}), None)["statusCode"] == 200
    assert flow.output(execution)["approval"]["decision"] == "APPROVED"


# -- bad requests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "body", "status", "message"),
    [
        ("approve", "not json", 400, "JSON object"),
        ("approve", None, 400, "JSON object"),
        ("approve", ["taskToken"], 400, "JSON object"),
        ("approve", {"comment": "no token"}, 400, "taskToken"),
        ("approve", {"taskToken": ""}, 400, "taskToken"),
        ("approve", {"taskToken": "x" * 2049}, 400, "taskToken"),
        ("approve", {"taskToken": "t", "comment": "x" * (MAX_COMMENT_LENGTH + 1)}, 400, "comment"),
        ("approve", {"taskToken": "t", "comment": 42}, 400, "comment"),
        ("delete", {"taskToken": "t"}, 404, "/approve or /reject"),
    ],
)
def test_bad_requests_are_refused_without_touching_the_table(
    flow: Flow, action: str, body: Any, status: int, message: str
) -> None:
    response = flow.handler(iam_event(action, body), None)
    assert response["statusCode"] == status
    assert message in body_of(response)["message"]
    assert flow.dynamodb.scan(TableName=flow.table)["Items"] == []


def test_the_table_name_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOKEN_TABLE_NAME", raising=False)
    with pytest.raises(CallbackConfigurationError, match="TOKEN_TABLE_NAME"):
        CallbackHandler(sfn_client=object(), dynamodb_client=object())


def test_the_lambda_entry_point_is_configured_from_the_environment(flow: Flow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKEN_TABLE_NAME", flow.table)
    monkeypatch.setenv("TOKEN_TTL_SECONDS", "120")
    configured = CallbackHandler(sfn_client=flow.sfn, dynamodb_client=flow.dynamodb, clock=lambda: NOW)
    monkeypatch.setattr(callback_module, "_DEFAULT", configured)
    execution, token = flow.start()

    assert callback_module.handler(iam_event("approve", {"taskToken": token}), None)["statusCode"] == 200
    item = flow.recorded(token)
    assert item is not None
    assert item["expiresAt"] == {"N": str(int(NOW) + 120)}
    assert flow.output(execution)["approval"]["decision"] == "APPROVED"


# -- the token never reaches the logs ----------------------------------------------------------


def test_no_outcome_logs_the_token(
    flow: Flow, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="constructs_sfn.approval_callback")
    _, approved = flow.start()
    _, rejected = flow.start()
    _, closed = flow.start()
    flow.handler(iam_event("approve", {"taskToken": approved}), None)
    flow.handler(iam_event("approve", {"taskToken": approved}), None)  # replay
    flow.handler(iam_event("reject", {"taskToken": rejected}), None)
    flow.handler(iam_event("approve", {"taskToken": rejected}, user_arn=None), None)  # no identity
    flow.sfn.advance_clock(3600)
    flow.handler(iam_event("approve", {"taskToken": closed}), None)  # gone

    class Broken:
        def send_task_success(self, **kwargs: Any) -> Any:
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": kwargs["taskToken"]}}, "X")

    _, transient = flow.start()
    CallbackHandler(sfn_client=Broken(), dynamodb_client=flow.dynamodb, table_name=flow.table)(
        iam_event("approve", {"taskToken": transient}), None
    )

    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    captured = capsys.readouterr()
    assert len(caplog.records) >= 6, "the handler logs each outcome"
    for token in (approved, rejected, closed, transient):
        assert token not in logged
        assert token not in captured.out + captured.err
    # Outcomes are correlated by a short hash prefix instead.
    assert token_hash(approved)[:12] in caplog.text
