"""ObservableStateMachine's ``removal_policy``: passed through to the state machine, and only to it."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from cdk.synthesis import MACHINE_PATH, Built, build
from constructs_sfn.cdk import ConstructPropsError

SM = "AWS::StepFunctions::StateMachine"


def test_default_is_cdks_destroy(baseline: Built) -> None:
    machine = baseline.one(SM)
    assert (machine["DeletionPolicy"], machine["UpdateReplacePolicy"]) == ("Delete", "Delete")


@pytest.mark.parametrize(
    ("policy", "deletion", "replace"),
    [
        (cdk.RemovalPolicy.RETAIN, "Retain", "Retain"),
        (cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, "RetainExceptOnCreate", "Retain"),
    ],
    ids=["retain", "retain-on-update-or-delete"],
)
def test_policy_changes_the_state_machine(
    baseline: Built, policy: cdk.RemovalPolicy, deletion: str, replace: str
) -> None:
    built = build(removal_policy=policy)
    assert built.template != baseline.template
    machine = built.one(SM)
    assert (machine["DeletionPolicy"], machine["UpdateReplacePolicy"]) == (deletion, replace)


def test_policy_applies_to_the_machine_only(baseline: Built) -> None:
    built = build(removal_policy=cdk.RemovalPolicy.RETAIN)
    for logical_id, resource in built.template["Resources"].items():
        if resource["Type"] != SM:
            assert resource.get("DeletionPolicy") == baseline.template["Resources"][logical_id].get("DeletionPolicy")
    # the log group keeps its own policy (log_removal_policy)
    assert built.one("AWS::Logs::LogGroup")["DeletionPolicy"] == "Retain"


def test_log_removal_policy_and_removal_policy_are_independent() -> None:
    built = build(removal_policy=cdk.RemovalPolicy.RETAIN, log_removal_policy=cdk.RemovalPolicy.DESTROY)
    assert built.one(SM)["DeletionPolicy"] == "Retain"
    assert built.one("AWS::Logs::LogGroup")["DeletionPolicy"] == "Delete"


def test_snapshot_is_refused_eagerly() -> None:
    with pytest.raises(ConstructPropsError, match="removal_policy: state machines have no snapshot"):
        build(removal_policy=cdk.RemovalPolicy.SNAPSHOT)


def test_not_a_removal_policy_fails_eagerly() -> None:
    with pytest.raises(ConstructPropsError) as raised:
        build(removal_policy="retain")
    assert str(raised.value).startswith(f"{MACHINE_PATH}: removal_policy: must be a RemovalPolicy, got 'retain'")
