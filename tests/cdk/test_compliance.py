"""ObservableStateMachine passes cdk-nag AwsSolutions and cfn-lint out of the box, in every variant.

Every acknowledgement it records carries a written reason, and acknowledgements are narrow: a
wildcard introduced by a task grant is still reported.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks

from cdk.compliance import acknowledgements, cfn_lint_errors, nag_violations, untagged_resources
from cdk.synthesis import Built, build
from constructs_sfn.cdk import StateMachineLogging, Tracing
from constructs_sfn.cdk.acknowledgements import MIN_REASON_LENGTH

VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "express": {"state_machine_type": sfn.StateMachineType.EXPRESS, "timeout": cdk.Duration.minutes(2)},
    "encrypted-logs": {"log_encryption_key": lambda s: kms.Key(s, "LogKey", enable_key_rotation=True)},
    "jsonata": {
        "query_language": sfn.QueryLanguage.JSONATA,
        "definition_body": lambda s: sfn.Pass.jsonata(s, "Start", outputs={"ok": "{% $states.input %}"}),
    },
    "downgraded": {
        "logging": StateMachineLogging.errors_only(reason="cost: only failures are investigated"),
        "tracing": Tracing.disabled(reason="X-Ray is not available in this partition"),
    },
    "logging-off": {"logging": StateMachineLogging.off(reason="debug-only sandbox machine, deleted nightly")},
    "no-alarms-no-dashboard": {"alarms_enabled": False, "create_dashboard": False},
}


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def variant(request: pytest.FixtureRequest) -> Built:
    return build(**VARIANTS[request.param])


def test_no_unacknowledged_cdk_nag_finding(variant: Built) -> None:
    assert nag_violations(variant.stack) == []


def test_no_cfn_lint_error(variant: Built) -> None:
    assert cfn_lint_errors(variant.template) == []


def test_owner_tag_on_every_taggable_resource(variant: Built) -> None:
    assert untagged_resources(variant.template, "Owner", "team-orders", logical_prefix="Machine") == []
    assert any(logical_id.startswith("Machine") for logical_id in variant.template["Resources"])


def test_every_acknowledgement_has_a_written_reason(variant: Built) -> None:
    found = acknowledgements(variant.stack)
    assert found, "the observability policy's wildcard is always acknowledged"
    for path, rules in found.items():
        for rule_id, reason in rules.items():
            assert len(reason.strip()) >= MIN_REASON_LENGTH, (path, rule_id)


def test_default_acknowledges_only_the_observability_wildcard(baseline: Built) -> None:
    found = acknowledgements(baseline.stack)
    assert list(found) == ["Test/Machine/ObservabilityPolicy"]
    [(rule_id, reason)] = found["Test/Machine/ObservabilityPolicy"].items()
    assert rule_id.rsplit("::", 1)[-1] == "AwsSolutions-IAM5[Resource::*]" or rule_id.endswith(
        "AwsSolutions-IAM5[Resource::*]"
    )
    assert "no resource-level permissions" in reason


def test_downgrades_are_acknowledged_with_the_callers_reason() -> None:
    built = build(**VARIANTS["downgraded"])
    rules = acknowledgements(built.stack)["Test/Machine/StateMachine"]
    reasons = {rule_id.rsplit("::", 1)[-1]: reason for rule_id, reason in rules.items()}
    assert reasons == {
        "AwsSolutions-SF1": "cost: only failures are investigated",
        "AwsSolutions-SF2": "X-Ray is not available in this partition",
    }


def test_without_the_acknowledgements_nag_would_flag_the_downgrades() -> None:
    # Proves the oracle sees SF1/SF2 at all: a plain StateMachine with the same settings fails.
    app = cdk.App()
    stack = cdk.Stack(app, "Plain")
    sfn.StateMachine(
        stack,
        "Machine",
        definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, "Start")),
        tracing_enabled=False,
    )
    rules = {rule for rule, _, _ in nag_violations(stack)}
    assert {"AwsSolutions-SF1", "AwsSolutions-SF2"} <= rules


def test_task_grant_wildcards_are_still_reported() -> None:
    def with_lambda_task(stack: cdk.Stack) -> sfn.IChainable:
        function = lambda_.Function.from_function_arn(
            stack, "Fn", "arn:aws:lambda:eu-west-1:111111111111:function:price"
        )
        return tasks.LambdaInvoke(stack, "Price", lambda_function=function)

    built = build(definition_body=with_lambda_task)
    findings = nag_violations(built.stack)
    assert [(rule, paths) for rule, _, paths in findings] == [
        (
            "AwsSolutions-IAM5[Resource::arn:aws:lambda:eu-west-1:111111111111:function:price:*]",
            ["Test/Machine/Role/DefaultPolicy/Resource"],
        )
    ]
