"""ApprovalWorkflow, run: the synthesized definition on the local executor, real boto3 against moto.

The stack is synthesized once (``SynthesizedApp``); each test runs the extracted definition on a
fresh ``WorkflowRunner`` whose SNS publishes go through real boto3 to a moto server on loopback.
Each topic has an SQS queue subscribed (raw delivery), which is where a test reads the
notification an approver would get, with its task token. The approver's answer is the callback
handler itself, called in-process with an API Gateway proxy event and the runner's
``LocalStepFunctions`` injected; its used-token table is a moto DynamoDB table.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import aws_cdk as cdk
import boto3
import pytest
from aws_cdk import aws_sns as sns

from constructs_sfn.cdk.approval import TIMED_OUT_ERROR, ApprovalWorkflow
from constructs_sfn.cdk.approval_callback.handler import CallbackHandler, token_hash
from constructs_sfn.cdk.approval_options import ApprovalNotification
from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.testing import StateMachineUnderTest, SynthesizedApp
from constructs_sfn.testing.runner import ScenarioRun, WorkflowRunner

pytestmark = pytest.mark.synth

REGION = "us-east-1"
DAY = 86400
DEADLINE_DAYS = 7
REMINDERS = 2
REQUEST = {"expenseId": "exp-7", "amount": 420.0, "requester": "alice"}
BOB = "arn:aws:iam::123456789012:user/bob"
CAROL = "arn:aws:iam::123456789012:user/carol"
FIXED_NOW = 1_800_000_000.0


class Built:
    """The synthesized stack: its machine, topics and the callback's API resource paths."""

    def __init__(self) -> None:
        app = cdk.App()
        stack = cdk.Stack(app, "Test")
        self.approvers = sns.Topic(stack, "Approvers", enforce_ssl=True)
        self.managers = sns.Topic(stack, "Managers", enforce_ssl=True)
        self.workflow = ApprovalWorkflow(
            stack,
            "Approval",
            notification=ApprovalNotification.topic(self.approvers, subject="Expense to approve"),
            escalation=ApprovalNotification.topic(self.managers, subject="Overdue expense"),
            deadline=cdk.Duration.days(DEADLINE_DAYS),
            reminders=REMINDERS,
            reminder_interval=cdk.Duration.days(1),
            owner="finance",
        )
        synth = SynthesizedApp.from_stack(stack)
        self.machine: StateMachineUnderTest = synth.state_machine("Test/Approval/Machine")


@pytest.fixture(scope="module")
def built() -> Built:
    return Built()


# -- moto on loopback ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def session(moto_endpoint: str) -> Any:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


class Inbox:
    """A moto topic with an SQS queue subscribed: what its subscribers were sent."""

    def __init__(self, session: Any, endpoint: str, name: str) -> None:
        self.sns = session.client("sns", endpoint_url=endpoint)
        self.sqs = session.client("sqs", endpoint_url=endpoint)
        self.topic_name = f"{name}-{uuid.uuid4().hex[:8]}"
        self.topic_arn = self.sns.create_topic(Name=self.topic_name)["TopicArn"]
        self.queue_url = self.sqs.create_queue(QueueName=self.topic_name)["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.sns.subscribe(
            TopicArn=self.topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"}
        )
        self.received: list[dict[str, Any]] = []

    def messages(self) -> list[dict[str, Any]]:
        """Every notification received so far (JSON bodies), oldest first."""
        while True:
            batch = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not batch:
                return self.received
            for message in batch:
                self.received.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])


class World:
    """One runner on moto, the two inboxes, the token table and the callback handler."""

    def __init__(self, built: Built, session: Any, endpoint: str) -> None:
        self.approvers = Inbox(session, endpoint, "approvers")
        self.managers = Inbox(session, endpoint, "managers")
        self.runner: WorkflowRunner = built.machine.runner(
            values={built.approvers: self.approvers.topic_name, built.managers: self.managers.topic_name},
            sdk=Boto3Integrations(session=session, endpoint_url=endpoint),
        )
        self.dynamodb = session.client("dynamodb", endpoint_url=endpoint)
        self.table = f"tokens-{uuid.uuid4().hex[:8]}"
        self.dynamodb.create_table(
            TableName=self.table,
            KeySchema=[{"AttributeName": "tokenHash", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "tokenHash", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        self.handler = CallbackHandler(
            sfn_client=self.runner.client,
            dynamodb_client=self.dynamodb,
            table_name=self.table,
            ttl_seconds=8 * DAY,
            clock=lambda: FIXED_NOW,
        )

    def answer(self, action: str, token: str, *, approver: str = BOB, comment: str = "") -> dict[str, Any]:
        """POST /<action> as API Gateway (IAM authorization) hands it to the function."""
        event = {
            "resource": f"/{action}",
            "path": f"/{action}",
            "httpMethod": "POST",
            "headers": {"Content-Type": "application/json"},
            "requestContext": {"resourcePath": f"/{action}", "stage": "v1", "identity": {"userArn": approver}},
            "body": json.dumps({"taskToken": token, "comment": comment}),
            "isBase64Encoded": False,
        }
        response: dict[str, Any] = self.handler(event, None)
        return response


@pytest.fixture
def world(built: Built, session: Any, moto_endpoint: str) -> World:
    return World(built, session, moto_endpoint)


def only_token(inbox: Inbox) -> str:
    [message] = inbox.messages()
    token: str = message["taskToken"]
    return token


def test_approve_resumes_the_execution_with_the_approver_and_comment(world: World) -> None:
    run: ScenarioRun = world.runner.run(REQUEST, name="approve")
    assert run.status == "RUNNING"
    [request] = world.approvers.messages()
    assert request["kind"] == "REQUEST"
    assert request["request"] == REQUEST
    assert request["executionArn"] == run.execution_arn
    assert request["approveUrl"].endswith("/approve")
    assert request["rejectUrl"].endswith("/reject")

    response = world.answer("approve", request["taskToken"], comment="within budget")

    assert response["statusCode"] == 200, response
    assert run.status == "SUCCEEDED", run.describe()
    assert run.output == {
        **REQUEST,
        "approval": {
            "decision": "APPROVED",
            "approver": BOB,
            "comment": "within budget",
            "decidedAt": "2027-01-15T08:00:00.000Z",
        },
    }
    assert run.states_entered == ["RequestApproval", "Approved"]
    # The used token is recorded by hash, never in clear.
    item = world.dynamodb.get_item(TableName=world.table, Key={"tokenHash": {"S": token_hash(request["taskToken"])}})
    assert item["Item"]["decision"] == {"S": "APPROVED"}
    assert request["taskToken"] not in json.dumps(item["Item"])


def test_reject_routes_to_the_rejected_branch_with_the_decision(world: World) -> None:
    run = world.runner.run(REQUEST, name="reject")
    response = world.answer("reject", only_token(world.approvers), comment="over budget")

    assert response["statusCode"] == 200, response
    assert run.status == "SUCCEEDED", run.describe()
    assert run.states_entered == ["RequestApproval", "ReadRejection", "RecordRejection", "Rejected"]
    assert run.output["approval"] == {
        "decision": "REJECTED",
        "approver": BOB,
        "comment": "over budget",
        "decidedAt": "2027-01-15T08:00:00.000Z",
    }
    assert "Approved" not in run.states_entered


def test_silence_until_the_deadline_routes_to_the_timeout_branch(world: World) -> None:
    run = world.runner.run(REQUEST, name="timeout")
    world.runner.advance_clock(DEADLINE_DAYS * DAY - 1)
    assert run.status == "RUNNING"
    world.runner.advance_clock(1)

    assert run.status == "FAILED", run.describe()
    assert run.error == TIMED_OUT_ERROR
    assert run.states_entered[-2:] == ["RecordTimeout", "TimedOut"]
    assert "Approved" not in run.states_entered
    assert "Rejected" not in run.states_entered


def test_reminder_rounds_then_escalation_each_with_a_new_token(world: World) -> None:
    run = world.runner.run(REQUEST, name="escalation")
    for day in range(1, REMINDERS + 1):
        world.runner.advance_clock(DAY)
        assert len(world.approvers.messages()) == day + 1
    assert world.managers.messages() == []
    world.runner.advance_clock(DAY)

    approver_rounds = world.approvers.messages()
    [escalation] = world.managers.messages()
    assert [m["kind"] for m in approver_rounds] == ["REQUEST", "REMINDER", "REMINDER"]
    assert [m["round"] for m in [*approver_rounds, escalation]] == [0, 1, 2, 3]
    assert escalation["kind"] == "ESCALATION"
    assert escalation["respondWithinSeconds"] == (DEADLINE_DAYS - 3) * DAY
    tokens = [m["taskToken"] for m in [*approver_rounds, escalation]]
    assert len(set(tokens)) == 4
    assert run.states_entered == ["RequestApproval", "Reminder1", "Reminder2", "Escalate"]

    # A token of an expired round no longer works; the escalation's does.
    stale = world.answer("approve", tokens[0])
    assert stale["statusCode"] == 410, stale
    assert run.status == "RUNNING"
    response = world.answer("approve", escalation["taskToken"], approver=CAROL, comment="approved on escalation")
    assert response["statusCode"] == 200, response
    assert run.status == "SUCCEEDED", run.describe()
    assert run.output["approval"]["approver"] == CAROL
    assert run.states_entered[-1] == "Approved"


def test_escalation_round_also_ends_at_the_deadline(world: World) -> None:
    run = world.runner.run(REQUEST, name="escalation-timeout")
    world.runner.advance_clock(3 * DAY)
    assert run.states_entered[-1] == "Escalate"
    world.runner.advance_clock((DEADLINE_DAYS - 3) * DAY - 1)
    assert run.status == "RUNNING"
    world.runner.advance_clock(1)
    assert run.status == "FAILED"
    assert run.error == TIMED_OUT_ERROR


def test_a_replayed_token_is_refused_and_never_reaches_step_functions(world: World) -> None:
    calls: list[str] = []
    real = world.runner.client

    class CountingClient:
        def send_task_success(self, **kwargs: Any) -> Any:
            calls.append("success")
            return real.send_task_success(**kwargs)

        def send_task_failure(self, **kwargs: Any) -> Any:
            calls.append("failure")
            return real.send_task_failure(**kwargs)

    world.handler = CallbackHandler(
        sfn_client=CountingClient(), dynamodb_client=world.dynamodb, table_name=world.table, clock=lambda: FIXED_NOW
    )
    run = world.runner.run(REQUEST, name="replay")
    token = only_token(world.approvers)
    first = world.answer("approve", token, comment="yes")
    replay = world.answer("reject", token, approver=CAROL, comment="changed my mind")

    assert first["statusCode"] == 200
    assert replay["statusCode"] == 409, replay
    assert calls == ["success"]
    assert run.output["approval"]["decision"] == "APPROVED"
    assert run.output["approval"]["approver"] == BOB
