"""acknowledge_rule: records what cdk-nag reads, and refuses acknowledgements without a reason."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sns as sns

from cdk.compliance import acknowledgements, nag_violations
from constructs_sfn.cdk import ConstructPropsError, acknowledge_rule
from constructs_sfn.cdk.acknowledgements import reason_problem


def _stack_with_plain_topic() -> tuple[cdk.Stack, sns.Topic]:
    stack = cdk.Stack(cdk.App(), "Ack")
    return stack, sns.Topic(stack, "Topic")


def test_acknowledged_finding_is_not_reported_and_the_reason_is_kept() -> None:
    stack, topic = _stack_with_plain_topic()
    assert [rule for rule, _, _ in nag_violations(stack)] == ["AwsSolutions-SNS3"]
    acknowledge_rule(topic, "AwsSolutions-SNS3", "  publishers are in-account services using TLS  ")
    assert nag_violations(stack) == []
    [(path, rules)] = acknowledgements(stack).items()
    assert path == "Ack/Topic"
    assert list(rules.values()) == ["publishers are in-account services using TLS"]


def test_finding_is_appended_in_brackets() -> None:
    stack, topic = _stack_with_plain_topic()
    acknowledge_rule(topic, "AwsSolutions-IAM5", "documented wildcard only", finding="Resource::*")
    [rules] = acknowledgements(stack).values()
    assert [rule_id.endswith("AwsSolutions-IAM5[Resource::*]") for rule_id in rules] == [True]


@pytest.mark.parametrize("reason", ["", "   ", "too short", None, 42])
def test_reasons_must_be_written(reason: object) -> None:
    assert reason_problem("AwsSolutions-SF1", reason) is not None
    _, topic = _stack_with_plain_topic()
    with pytest.raises(ConstructPropsError, match=r"^Ack/Topic: reason: acknowledging AwsSolutions-SF1 needs"):
        acknowledge_rule(topic, "AwsSolutions-SF1", reason)  # type: ignore[arg-type]


def test_a_ten_character_reason_is_enough() -> None:
    assert reason_problem("AwsSolutions-SF1", "0123456789") is None
