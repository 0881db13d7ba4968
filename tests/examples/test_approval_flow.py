"""The approval_flow example: synthesized once in-process, then run scenario by scenario locally.

The stack is synthesized once per module, the state machine definition is taken out of the
template with ``constructs_sfn.testing.SynthesizedApp`` (CDK tokens become readable placeholders
such as ``https://sqs.us-east-1.amazonaws.com/123456789012/<ApprovalFlow/ApprovalInbox>``), and
each named scenario runs it on ``LocalStepFunctions`` with
a virtual clock: days of waiting for a human cost milliseconds. The table, the inbox queue and
the topics are played by :class:`FakeAws`, which refuses calls aimed at any resource other than
the ones the template wires to the workflow.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations import TaskServices, parse_resource
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.testing import SynthesizedApp

pytestmark = pytest.mark.synth

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "approval_flow"
ROLE = "arn:aws:iam::123456789012:role/expense-approval"
HOUR = 3600
DAY = 24 * HOUR
WALL_TIME_BUDGET_SECONDS = 2.0
REQUEST = {
    "requestId": "exp-42",
    "requester": "alice@example.com",
    "amount": 1250.5,
    "description": "Conference travel",
}


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("approval_flow_app", EXAMPLE / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Synthesized:
    """What the tests need from one synthesis: the template, the definition, the wiring."""

    app: ModuleType
    template: Template
    definition: dict[str, Any]
    state_machine_type: str
    table: str
    inbox: str
    escalations: str
    requester_notices: str
    machine_logical_id: str


@pytest.fixture(scope="module")
def synthesized() -> Synthesized:
    app_module = _load_example()
    # The feature flags of the example's cdk.json, so this synthesizes what `cdk synth` would.
    context = json.loads((EXAMPLE / "cdk.json").read_text(encoding="utf-8"))["context"]
    stack = app_module.ApprovalFlowStack(cdk.App(context=context), "ApprovalFlow")
    template = Template.from_stack(stack)
    [machine] = SynthesizedApp.from_stack(stack).state_machines

    def ref(construct: Any) -> str:
        # The placeholder the definition uses for the construct's Ref (queue URL, topic ARN, table name).
        return machine.placeholder(construct)

    return Synthesized(
        app=app_module,
        template=template,
        definition=machine.definition,
        state_machine_type=machine.state_machine_type,
        table=ref(stack.requests),
        inbox=ref(stack.inbox),
        escalations=ref(stack.escalations),
        requester_notices=ref(stack.requester_notices),
        machine_logical_id=machine.logical_id,
    )


# -- the services, played by Python --------------------------------------------------------------


class FakeAws:
    """The example's DynamoDB table, SQS inbox and SNS topics, keyed by their template placeholders.

    A call that names any other table, queue or topic fails, so a miswired workflow cannot pass.
    DynamoDB attribute values are checked as DynamoDB checks them (``N`` must be a string).
    """

    def __init__(self, synthesized: Synthesized) -> None:
        self.tables: dict[str, dict[str, dict[str, Any]]] = {synthesized.table: {}}
        self.queues: dict[str, list[dict[str, Any]]] = {synthesized.inbox: []}
        self.topics: dict[str, list[dict[str, Any]]] = {
            synthesized.escalations: [],
            synthesized.requester_notices: [],
        }

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Serve one optimized-integration call (``...:::dynamodb:putItem`` and friends)."""
        action = request.resource.split(":::", 1)[-1].removesuffix(".waitForTaskToken")
        handlers = {
            "dynamodb:putItem": self._put_item,
            "dynamodb:updateItem": self._update_item,
            "sqs:sendMessage": self._send_message,
            "sns:publish": self._publish,
        }
        handler = handlers.get(action)
        if handler is None:
            return TaskOutcome.failure("FakeAws.Unsupported", f"no fake for {request.resource}")
        try:
            return TaskOutcome.success(handler(request.parameters))
        except FakeAwsError as error:
            return TaskOutcome.failure("FakeAws.ValidationException", str(error))

    # DynamoDB

    def _table(self, params: dict[str, Any]) -> dict[str, dict[str, Any]]:
        name = params["TableName"]
        if name not in self.tables:
            raise FakeAwsError(f"no table {name!r} is wired to this workflow")
        return self.tables[name]

    @staticmethod
    def _check_attributes(item: dict[str, Any]) -> None:
        for name, value in item.items():
            [(kind, raw)] = value.items()
            if kind not in ("S", "N") or not isinstance(raw, str):
                raise FakeAwsError(f"attribute {name!r}: {kind} must be given as a string, got {raw!r}")

    def _put_item(self, params: dict[str, Any]) -> dict[str, Any]:
        item = params["Item"]
        self._check_attributes(item)
        self._table(params)[item["requestId"]["S"]] = item
        return {}

    def _update_item(self, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(params)
        key = params["Key"]["requestId"]["S"]
        if key not in table:
            raise FakeAwsError(f"no item {key!r}")
        names = params.get("ExpressionAttributeNames", {})
        values = params.get("ExpressionAttributeValues", {})
        self._check_attributes(values)
        match = re.fullmatch(r"SET (#\w+) = (:\w+)", params["UpdateExpression"])
        if match is None:
            raise FakeAwsError(f"unsupported update {params['UpdateExpression']!r}")
        table[key] = {**table[key], names[match[1]]: values[match[2]]}
        return {}

    # SQS and SNS: objects arrive as compact JSON text, as Step Functions sends them.

    @staticmethod
    def _text(value: Any) -> str:
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = params["QueueUrl"]
        if queue not in self.queues:
            raise FakeAwsError(f"no queue {queue!r} is wired to this workflow")
        body = self._text(params["MessageBody"])
        message_id = str(uuid.uuid4())
        self.queues[queue].append({"MessageId": message_id, "Body": body})
        return {"MessageId": message_id, "MD5OfMessageBody": hashlib.md5(body.encode()).hexdigest()}

    def _publish(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = params["TopicArn"]
        if topic not in self.topics:
            raise FakeAwsError(f"no topic {topic!r} is wired to this workflow")
        self.topics[topic].append({"Message": self._text(params["Message"]), "Subject": params.get("Subject")})
        return {"MessageId": str(uuid.uuid4())}


class FakeAwsError(Exception):
    """A call the real service would refuse."""


class ApprovalRun:
    """One scenario: the extracted workflow on a local client, the fakes, and the inbox's view."""

    def __init__(self, synthesized: Synthesized) -> None:
        self.synthesized = synthesized
        self.aws = FakeAws(synthesized)
        services = TaskServices(read_env=False)
        # Bind each Task's Resource exactly as the template spells it.
        for state in synthesized.definition["States"].values():
            if state["Type"] == "Task":
                services.bind(state["Resource"], self.aws)
        self.sfn = LocalStepFunctions(services=services)
        self.machine = self.sfn.create_state_machine(
            name="ExpenseApproval", definition=json.dumps(synthesized.definition), roleArn=ROLE
        )["stateMachineArn"]
        self.execution = ""
        self._started = 0.0

    def submit(self, request: dict[str, Any]) -> None:
        self._started = time.perf_counter()
        started = self.sfn.start_execution(stateMachineArn=self.machine, input=json.dumps(request))
        self.execution = started["executionArn"]

    @property
    def wall_time(self) -> float:
        return time.perf_counter() - self._started

    def inbox_request(self) -> dict[str, Any]:
        """The approval request the inbox received (exactly one)."""
        [message] = self.aws.queues[self.synthesized.inbox]
        body: dict[str, Any] = json.loads(message["Body"])
        return body

    def answer(self, **decision: Any) -> None:
        self.sfn.send_task_success(taskToken=self.inbox_request()["taskToken"], output=json.dumps(decision))

    def heartbeat(self) -> None:
        self.sfn.send_task_heartbeat(taskToken=self.inbox_request()["taskToken"])

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = self.sfn.describe_execution(executionArn=self.execution)
        return described

    def elapsed(self) -> timedelta:
        described = self.describe()
        elapsed: timedelta = described["stopDate"] - described["startDate"]
        return elapsed

    def status(self) -> str:
        status: str = self.describe()["status"]
        return status

    def output(self) -> Any:
        described = self.describe()
        assert described["status"] == "SUCCEEDED", (described.get("error"), described.get("cause"))
        return json.loads(described["output"])

    def stored_status(self) -> str:
        status: str = self.aws.tables[self.synthesized.table][REQUEST["requestId"]]["status"]["S"]
        return status

    def published(self, topic: str) -> list[dict[str, Any]]:
        return self.aws.topics[topic]

    def visited(self) -> list[str]:
        events = self.sfn.get_execution_history(executionArn=self.execution, maxResults=1000)["events"]
        return [event["stateEnteredEventDetails"]["name"] for event in events if "stateEnteredEventDetails" in event]


@pytest.fixture
def run(synthesized: Synthesized) -> ApprovalRun:
    return ApprovalRun(synthesized)


# -- (a) the synthesized template ----------------------------------------------------------------


def test_template_holds_a_valid_standard_workflow_with_a_guarded_approval_step(synthesized: Synthesized) -> None:
    app = synthesized.app
    definition = synthesized.definition
    assert synthesized.state_machine_type == "STANDARD"
    assert definition["TimeoutSeconds"] == app.APPROVAL_TIMEOUT.to_seconds() + DAY
    approval = definition["States"]["RequestApproval"]
    assert approval["Resource"].endswith(":states:::sqs:sendMessage.waitForTaskToken")
    assert approval["HeartbeatSeconds"] == app.APPROVAL_HEARTBEAT.to_seconds() == DAY
    assert approval["TimeoutSeconds"] == app.APPROVAL_TIMEOUT.to_seconds() == 7 * DAY
    assert approval["Parameters"]["QueueUrl"] == synthesized.inbox
    assert approval["Parameters"]["MessageBody"]["taskToken.$"] == "$$.Task.Token"
    assert approval["Catch"] == [
        {"ErrorEquals": ["States.HeartbeatTimeout", "States.Timeout"], "ResultPath": "$.failure", "Next": "Escalate"}
    ]
    assert definition["States"]["Escalate"]["Parameters"]["TopicArn"] == synthesized.escalations
    # The extracted definition passes AWS's own validation rules.
    validated = LocalStepFunctions().validate_state_machine_definition(definition=json.dumps(definition))
    assert (validated["result"], validated["diagnostics"]) == ("OK", [])


def test_template_grants_the_inbox_the_task_token_callbacks(synthesized: Synthesized) -> None:
    synthesized.template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                # Sorted: the feature flags in the example's cdk.json minimize policies.
                                "Action": [
                                    "states:SendTaskFailure",
                                    "states:SendTaskHeartbeat",
                                    "states:SendTaskSuccess",
                                ],
                                "Resource": {"Ref": synthesized.machine_logical_id},
                            }
                        )
                    ]
                )
            }
        },
    )
    synthesized.template.has_resource_properties(
        "AWS::StepFunctions::StateMachine",
        {"LoggingConfiguration": Match.object_like({"Level": "ALL"}), "TracingConfiguration": {"Enabled": True}},
    )


# -- (b) scenarios on virtual time -------------------------------------------------------------


def test_approved(run: ApprovalRun) -> None:
    run.submit(REQUEST)
    assert run.status() == "RUNNING"
    assert run.stored_status() == "PENDING"
    request = run.inbox_request()
    assert {key: request[key] for key in ("requestId", "requester", "amount", "description")} == REQUEST
    run.sfn.advance_clock(3 * HOUR)
    run.answer(approved=True, approver="bob", comment="enjoy")

    assert run.wall_time < WALL_TIME_BUDGET_SECONDS
    assert run.output() == {"requestId": "exp-42", "outcome": "APPROVED"}
    assert run.stored_status() == "APPROVED"
    assert run.elapsed() == timedelta(hours=3)
    assert run.visited() == ["RecordRequest", "RequestApproval", "Decide", "MarkApproved", "RecordOutcome", "Summarize"]
    assert run.published(run.synthesized.requester_notices) == []
    assert run.published(run.synthesized.escalations) == []
    # The amount reached DynamoDB as a number attribute, written as a string.
    stored = run.aws.tables[run.synthesized.table]["exp-42"]
    assert stored["amount"] == {"N": "1250.5"}


def test_rejected(run: ApprovalRun) -> None:
    run.submit(REQUEST)
    run.sfn.advance_clock(20 * HOUR)
    run.heartbeat()
    run.sfn.advance_clock(16 * HOUR)
    run.answer(approved=False, approver="bob", comment="over budget")

    assert run.output() == {"requestId": "exp-42", "outcome": "REJECTED"}
    assert run.stored_status() == "REJECTED"
    assert run.published(run.synthesized.requester_notices) == [
        {"Message": "Expense exp-42 was rejected by bob: over budget", "Subject": None}
    ]
    assert run.published(run.synthesized.escalations) == []
    assert run.elapsed() == timedelta(hours=36)


def test_approver_never_answers_while_the_inbox_keeps_heartbeating(run: ApprovalRun) -> None:
    run.submit(REQUEST)
    for _ in range(8):  # the inbox is alive: a heartbeat every 20 hours, up to 160 h
        run.sfn.advance_clock(20 * HOUR)
        run.heartbeat()
    run.sfn.advance_clock(8 * HOUR - 1)
    assert run.status() == "RUNNING"
    run.sfn.advance_clock(1)

    assert run.wall_time < WALL_TIME_BUDGET_SECONDS
    assert run.output() == {"requestId": "exp-42", "outcome": "ESCALATED"}
    assert run.stored_status() == "ESCALATED"
    [escalation] = run.published(run.synthesized.escalations)
    assert escalation["Subject"] == "Expense approval overdue"
    assert json.loads(escalation["Message"]) == {"requestId": "exp-42", "amount": 1250.5, "reason": "States.Timeout"}
    assert run.elapsed() == timedelta(days=7)


def test_inbox_goes_silent_and_the_request_is_escalated_after_a_day(run: ApprovalRun) -> None:
    run.submit(REQUEST)
    run.sfn.advance_clock(DAY - 1)
    assert run.status() == "RUNNING"
    run.sfn.advance_clock(1)

    assert run.wall_time < WALL_TIME_BUDGET_SECONDS
    assert run.output() == {"requestId": "exp-42", "outcome": "ESCALATED"}
    [escalation] = run.published(run.synthesized.escalations)
    assert json.loads(escalation["Message"])["reason"] == "States.HeartbeatTimeout"
    assert run.elapsed() == timedelta(days=1)
    assert run.visited()[-4:] == ["Escalate", "MarkEscalated", "RecordOutcome", "Summarize"]


def test_an_answer_after_the_escalation_is_refused(run: ApprovalRun) -> None:
    run.submit(REQUEST)
    run.sfn.advance_clock(8 * DAY)
    assert run.output()["outcome"] == "ESCALATED"

    with pytest.raises(run.sfn.exceptions.TaskTimedOut):
        run.answer(approved=True, approver="bob", comment="sorry, holidays")
    assert run.stored_status() == "ESCALATED"


# -- known gaps ----------------------------------------------------------------------------------


def test_extracted_task_resources_parse_as_service_integrations(synthesized: Synthesized) -> None:
    approval = parse_resource(synthesized.definition["States"]["RequestApproval"]["Resource"])
    assert (approval.kind, approval.service, approval.action, approval.pattern) == (
        "optimized",
        "sqs",
        "sendMessage",
        "waitForTaskToken",
    )
