"""ApprovalWorkflow passes cdk-nag AwsSolutions and cfn-lint, in every notification and auth variant.

Acknowledgements are few, each with a written reason: COG4 on the IAM-authorized methods, APIG3
(WAF) on the API, and the observability wildcard of ObservableStateMachine.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Template

from cdk.compliance import acknowledgements, cfn_lint_errors, nag_violations, untagged_resources
from constructs_sfn.cdk.acknowledgements import MIN_REASON_LENGTH
from constructs_sfn.cdk.approval import ApprovalWorkflow
from constructs_sfn.cdk.approval_options import ApprovalNotification, CallbackAuthorization

pytestmark = pytest.mark.synth


def _build(variant: str) -> tuple[cdk.Stack, dict[str, Any]]:
    app = cdk.App()
    stack = cdk.Stack(app, "Test")
    topic = sns.Topic(stack, "Approvers", enforce_ssl=True)
    props: dict[str, Any] = {"notification": ApprovalNotification.topic(topic), "owner": "finance"}
    if variant == "queue-with-rounds":
        queue = sqs.Queue(stack, "Inbox", enforce_ssl=True, encryption=sqs.QueueEncryption.SQS_MANAGED)
        props |= {
            "notification": ApprovalNotification.queue(queue),
            "reminders": 2,
            "reminder_interval": cdk.Duration.days(1),
            "escalation": ApprovalNotification.topic(topic),
        }
    elif variant == "function":
        function = lambda_.Function.from_function_arn(
            stack, "Notifier", "arn:aws:lambda:us-east-1:123456789012:function:notify"
        )
        props["notification"] = ApprovalNotification.function(function)
    elif variant == "function-construct":
        own = lambda_.Function(
            stack,
            "OwnNotifier",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\n    return None\n"),
        )
        props["notification"] = ApprovalNotification.function(own)
    elif variant == "cognito":
        pool = cognito.UserPool(
            stack,
            "Pool",
            password_policy=cognito.PasswordPolicy(min_length=12, require_symbols=True),
        )
        props["authorization"] = CallbackAuthorization.cognito(pool)
    ApprovalWorkflow(stack, "Approval", **props)
    return stack, Template.from_stack(stack).to_json()


VARIANTS = ["defaults", "queue-with-rounds", "function", "function-construct", "cognito"]


@pytest.fixture(scope="module", params=VARIANTS)
def variant(request: pytest.FixtureRequest) -> tuple[str, cdk.Stack, dict[str, Any]]:
    stack, template = _build(request.param)
    return request.param, stack, template


def test_no_unacknowledged_cdk_nag_finding_under_the_construct(variant: tuple[str, cdk.Stack, dict[str, Any]]) -> None:
    name, stack, _ = variant
    findings = [f for f in nag_violations(stack) if any(p.startswith("Test/Approval/") for p in f[2])]
    assert findings == [], name


def test_defaults_have_no_cdk_nag_finding_at_all() -> None:
    stack, _ = _build("defaults")
    assert nag_violations(stack) == []


def test_no_cfn_lint_error(variant: tuple[str, cdk.Stack, dict[str, Any]]) -> None:
    _, _, template = variant
    # cfn-lint checks every partition of the app; the test's own user pool (not the construct's)
    # is a type AWS does not offer in some of them.
    pool = [logical_id for logical_id, r in template["Resources"].items() if r["Type"] == "AWS::Cognito::UserPool"]
    errors = [e for e in cfn_lint_errors(template) if not any(f"'{p}'" in e for p in pool)]
    assert errors == []


def test_owner_tag_on_every_taggable_resource(variant: tuple[str, cdk.Stack, dict[str, Any]]) -> None:
    _, _, template = variant
    assert untagged_resources(template, "Owner", "finance", logical_prefix="ApprovalMachine") == []


def test_acknowledgements_are_narrow_and_reasoned() -> None:
    stack, _ = _build("defaults")
    found = acknowledgements(stack)
    rules = {(path, rule_id.removeprefix("Annotation::")) for path, entries in found.items() for rule_id in entries}
    assert rules == {
        ("Test/Approval/Callback/Api/Default/approve/POST", "AwsSolutions-COG4"),
        ("Test/Approval/Callback/Api/Default/reject/POST", "AwsSolutions-COG4"),
        ("Test/Approval/Callback/Api", "AwsSolutions-APIG3"),
        ("Test/Approval/Machine/ObservabilityPolicy", "AwsSolutions-IAM5[Resource::*]"),
    }
    for entries in found.values():
        for reason in entries.values():
            assert len(reason.strip()) >= MIN_REASON_LENGTH


def test_a_function_notification_acknowledges_only_its_versions_wildcard() -> None:
    stack, _ = _build("function")
    found = acknowledgements(stack)["Test/Approval/Machine/Role"]
    assert list(found) == [
        "Annotation::AwsSolutions-IAM5[Resource::arn:aws:lambda:us-east-1:123456789012:function:notify:*]"
    ]


def test_cognito_needs_no_cog4_acknowledgement() -> None:
    stack, _ = _build("cognito")
    rules = {rule_id for entries in acknowledgements(stack).values() for rule_id in entries}
    assert not any("COG4" in rule for rule in rules)
