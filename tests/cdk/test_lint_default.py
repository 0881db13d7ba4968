"""ObservableStateMachine (and so every construct built on it) lints its definition at synth time."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Annotations, Match

from constructs_sfn.cdk import ConstructPropsError, ObservableStateMachine

pytestmark = pytest.mark.synth


def _stack(context: dict[str, Any] | None = None, **props: Any) -> cdk.Stack:
    stack = cdk.Stack(cdk.App(context=context or {}), "Lint")
    wait = sfn.CustomState(
        stack,
        "Call",
        state_json={"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "q"}},
    )
    ObservableStateMachine(
        stack,
        "Machine",
        state_machine_type=sfn.StateMachineType.STANDARD,
        definition_body=wait,
        owner="team-lint",
        timeout=cdk.Duration.minutes(5),
        **props,
    )
    return stack


def _lint_warnings(stack: cdk.Stack) -> list[Any]:
    return Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("SFN001"))


def test_lint_runs_by_default_and_names_the_state() -> None:
    [warning] = _lint_warnings(_stack())
    assert "Lint/Machine" in warning.id
    assert "Call" in str(warning.entry.data)


def test_lint_off_by_prop_or_context() -> None:
    assert _lint_warnings(_stack(lint=False)) == []
    assert _lint_warnings(_stack(context={"constructs-sfn:lint": False})) == []
    assert _lint_warnings(_stack(context={"constructs-sfn:lint": "false"})) == []


def test_a_suppression_with_its_reason_silences_one_finding() -> None:
    assert _lint_warnings(_stack(lint_suppressions={"Call": {"SFN001": "SQS answers in milliseconds"}})) == []


def test_bad_lint_props_are_refused_with_the_construct_path() -> None:
    with pytest.raises(ConstructPropsError, match=r"Lint/Machine: lint: must be True or False"):
        _stack(lint="yes")
    with pytest.raises(ConstructPropsError, match=r"lint_suppressions: has no effect with lint turned off"):
        _stack(lint=False, lint_suppressions={"Call": {"SFN001": "SQS answers in milliseconds"}})
