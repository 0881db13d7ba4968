"""The expense_approval example: synthesized once with its cdk.json flags, checked, then run locally.

The definition comes out of the synthesized template (``SynthesizedApp``); SNS publishes are served
by a recording service (keyed by the topic placeholders, so a miswired topic fails), and the
approver answers through the example's own callback handler, called in-process with an API
Gateway proxy event, the runner's ``LocalStepFunctions`` and a used-token table in memory that
refuses a second write for the same key as DynamoDB's conditional put does. One more test runs
``python app.py`` (what cdk.json runs) and checks it writes the same definition.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import aws_cdk as cdk
import pytest
from botocore.exceptions import ClientError
from cdk.compliance import cfn_lint_errors, nag_violations

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.cdk.approval import TIMED_OUT_ERROR
from constructs_sfn.cdk.approval_callback.handler import CallbackHandler
from constructs_sfn.testing import StateMachineUnderTest, SynthesizedApp

pytestmark = pytest.mark.synth

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "expense_approval"
DAY = 86400
APPROVER = "arn:aws:sts::123456789012:assumed-role/ApproverRole/bob"
EXPENSE = {"expenseId": "exp-9", "amount": 89.9, "requester": "alice@example.com"}


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("expense_approval_app", EXAMPLE / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Synthesized:
    def __init__(self) -> None:
        self.module = _load_example()
        context = json.loads((EXAMPLE / "cdk.json").read_text(encoding="utf-8"))["context"]
        self.stack = self.module.ExpenseApprovalStack(cdk.App(context=context), "ExpenseApproval")
        synth = SynthesizedApp.from_stack(self.stack)
        self.machine: StateMachineUnderTest = synth.state_machine("ExpenseApproval/ExpenseApproval/Machine")
        self.topics = {
            name: self.machine.placeholder(getattr(self.stack, name), "Ref")
            for name in ("approvers", "managers", "requester_notices")
        }


@pytest.fixture(scope="module")
def synthesized() -> Synthesized:
    return Synthesized()


class Topics:
    """SNS publish, played by Python: messages by topic; any other topic is refused."""

    def __init__(self, topics: dict[str, str]) -> None:
        self.by_name = topics
        self.published: dict[str, list[dict[str, Any]]] = {arn: [] for arn in topics.values()}

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        arn = request.parameters["TopicArn"]
        if arn not in self.published:
            return TaskOutcome.failure("SNS.NotFoundException", f"no topic {arn!r} is wired to this workflow")
        message = request.parameters["Message"]
        self.published[arn].append({"Subject": request.parameters.get("Subject"), "Message": message})
        return TaskOutcome.success({"MessageId": f"m-{sum(map(len, self.published.values()))}"})

    def to(self, name: str) -> list[dict[str, Any]]:
        return self.published[self.by_name[name]]


class UsedTokens:
    """The DynamoDB ``put_item`` with ``attribute_not_exists`` the handler relies on, in memory."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def put_item(self, *, TableName: str, Item: dict[str, Any], ConditionExpression: str) -> dict[str, Any]:  # noqa: N803
        assert ConditionExpression == "attribute_not_exists(tokenHash)"
        key = Item["tokenHash"]["S"]
        if key in self.items:
            raise ClientError(
                {"Error": {"Code": "ConditionalCheckFailedException", "Message": "The conditional request failed"}},
                "PutItem",
            )
        self.items[key] = Item
        return {}

    def delete_item(self, *, TableName: str, Key: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        self.items.pop(Key["tokenHash"]["S"], None)
        return {}


class Run:
    def __init__(self, synthesized: Synthesized) -> None:
        self.topics = Topics(synthesized.topics)
        self.runner = synthesized.machine.runner()
        self.runner.bind("arn:aws:states:::sns:publish", self.topics)
        self.handler = CallbackHandler(
            sfn_client=self.runner.client, dynamodb_client=UsedTokens(), table_name="tokens", clock=lambda: 1.8e9
        )

    def answer(self, action: str, token: str, comment: str) -> int:
        event = {
            "resource": f"/{action}",
            "path": f"/{action}",
            "httpMethod": "POST",
            "requestContext": {"identity": {"userArn": APPROVER}},
            "body": json.dumps({"taskToken": token, "comment": comment}),
        }
        status: int = self.handler(event, None)["statusCode"]
        return status


@pytest.fixture
def run(synthesized: Synthesized) -> Run:
    return Run(synthesized)


def test_template_passes_cdk_nag_and_cfn_lint(synthesized: Synthesized) -> None:
    assert nag_violations(synthesized.stack) == []
    assert cfn_lint_errors(cdk.assertions.Template.from_stack(synthesized.stack).to_json()) == []


def test_shape_rounds_and_deadline(synthesized: Synthesized) -> None:
    states = synthesized.machine.definition["States"]
    assert [states[n]["TimeoutSeconds"] for n in ("RequestApproval", "Reminder1", "Reminder2", "Escalate")] == [
        DAY,
        DAY,
        DAY,
        2 * DAY,
    ]
    assert states["RequestApproval"]["Parameters"]["TopicArn"] == synthesized.topics["approvers"]
    assert states["Escalate"]["Parameters"]["TopicArn"] == synthesized.topics["managers"]
    assert states["RequestApproval"]["Next"] == "NotifyApproved"
    assert states["RecordRejection"]["Next"] == "NotifyRejected"


def test_approved_and_the_requester_is_told_who_approved(run: Run) -> None:
    execution = run.runner.run(EXPENSE, name="approved")
    [request] = run.topics.to("approvers")
    assert request["Subject"] == "An expense awaits your approval"
    assert run.answer("approve", request["Message"]["taskToken"], "ok") == 200

    assert execution.status == "SUCCEEDED", execution.describe()
    assert execution.states_entered == ["RequestApproval", "NotifyApproved"]
    assert execution.output["approval"]["approver"] == APPROVER
    [notice] = run.topics.to("requester_notices")
    assert notice["Message"] == {"expenseId": "exp-9", "outcome": "APPROVED", "approver": APPROVER, "comment": "ok"}


def test_rejected_after_a_reminder(run: Run) -> None:
    execution = run.runner.run(EXPENSE, name="rejected")
    run.runner.advance_clock(DAY)
    reminder = run.topics.to("approvers")[-1]["Message"]
    assert reminder["kind"] == "REMINDER"
    assert run.answer("reject", reminder["taskToken"], "not reimbursable") == 200

    assert execution.status == "SUCCEEDED", execution.describe()
    assert execution.states_entered[-3:] == ["ReadRejection", "RecordRejection", "NotifyRejected"]
    [notice] = run.topics.to("requester_notices")
    assert notice["Message"]["outcome"] == "REJECTED"
    assert notice["Message"]["comment"] == "not reimbursable"


def test_escalated_then_timed_out(run: Run) -> None:
    execution = run.runner.run(EXPENSE, name="silence")
    run.runner.advance_clock(3 * DAY)
    [escalation] = run.topics.to("managers")
    assert escalation["Message"]["kind"] == "ESCALATION"
    run.runner.advance_clock(2 * DAY)

    assert execution.status == "FAILED"
    assert execution.error == TIMED_OUT_ERROR
    assert run.topics.to("requester_notices") == []


def test_an_answer_is_accepted_once(run: Run) -> None:
    execution = run.runner.run(EXPENSE, name="twice")
    token = run.topics.to("approvers")[0]["Message"]["taskToken"]
    assert run.answer("approve", token, "yes") == 200
    assert run.answer("reject", token, "no") == 409
    assert execution.output["approval"]["decision"] == "APPROVED"


def test_python_app_py_synthesizes_the_same_definition(synthesized: Synthesized, tmp_path: Path) -> None:
    env = {**os.environ, "CDK_OUTDIR": str(tmp_path)}
    subprocess.run([sys.executable, "app.py"], cwd=EXAMPLE, env=env, check=True, capture_output=True, timeout=300)
    machine = SynthesizedApp.from_assembly(tmp_path).state_machine("ExpenseApproval/ExpenseApproval/Machine")
    assert machine.definition == synthesized.machine.definition
    assert machine.state_machine_type == "STANDARD"
