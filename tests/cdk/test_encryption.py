"""ObservableStateMachine's ``encryption``: customer-managed KMS keys, their grants and validation."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Annotations, Match

from cdk.compliance import cfn_lint_errors, nag_violations
from cdk.synthesis import MACHINE_PATH, Built, build
from constructs_sfn.cdk import ConstructPropsError, StateMachineLogging
from constructs_sfn.cdk.encryption import StateMachineEncryption, needs_known_name

SM = "AWS::StepFunctions::StateMachine"
KEY = "AWS::KMS::Key"
CONTEXT = "kms:EncryptionContext:aws:states:stateMachineArn"
IMPORTED_KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.fixture(scope="module")
def created_key() -> Built:
    return build(encryption=StateMachineEncryption.customer_managed())


def statements_with(built: Built, action: str) -> list[dict[str, Any]]:
    """Statements of the execution role's default policy that grant ``action``."""
    found = []
    for logical_id, policy in built.resources("AWS::IAM::Policy").items():
        if logical_id.startswith("MachineRoleDefaultPolicy"):
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                if action in actions:
                    found.append(statement)
    return found


def key_id(built: Built) -> str:
    [found] = built.resources(KEY)
    return found


def test_baseline_sets_no_encryption_configuration(baseline: Built) -> None:
    assert "EncryptionConfiguration" not in baseline.props(SM)
    assert baseline.resources(KEY) == {}
    assert baseline.machine.encryption_key is None


def test_created_key_rotates_is_retained_and_is_the_machines_key(created_key: Built) -> None:
    key = created_key.one(KEY)
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"
    assert created_key.props(SM)["EncryptionConfiguration"] == {
        "Type": "CUSTOMER_MANAGED_KMS_KEY",
        "KmsKeyId": {"Fn::GetAtt": [key_id(created_key), "Arn"]},
        "KmsDataKeyReusePeriodSeconds": 300,
    }
    assert created_key.machine.node.find_child("EncryptionKey") is created_key.machine.encryption_key


def test_execution_role_may_use_the_key_only_for_this_machine(created_key: Built) -> None:
    name = created_key.props(SM)["StateMachineName"]
    assert name.startswith("Test-Machine-")
    assert len(name) <= 80
    [statement] = [s for s in statements_with(created_key, "kms:Decrypt") if CONTEXT in json.dumps(s)]
    assert sorted(statement["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert statement["Resource"] == {"Fn::GetAtt": [key_id(created_key), "Arn"]}
    arn = statement["Condition"]["StringEquals"][CONTEXT]
    # The condition names exactly the machine's (generated) name, not "stateMachine:" with nothing after.
    assert arn["Fn::Join"][1][-1] == f":stateMachine:{name}"


def test_a_given_name_is_kept_and_named_by_the_grant() -> None:
    built = build(encryption=StateMachineEncryption.customer_managed(), state_machine_name="orders")
    assert built.props(SM)["StateMachineName"] == "orders"
    [statement] = [s for s in statements_with(built, "kms:Decrypt") if CONTEXT in json.dumps(s)]
    assert statement["Condition"]["StringEquals"][CONTEXT]["Fn::Join"][1][-1] == ":stateMachine:orders"


def test_logging_with_the_key_lets_log_delivery_decrypt(created_key: Built) -> None:
    [for_logs] = [s for s in statements_with(created_key, "kms:GenerateDataKey") if "SourceArn" in json.dumps(s)]
    assert for_logs["Action"] == "kms:GenerateDataKey"
    source = for_logs["Condition"]["StringEquals"]["kms:EncryptionContext:SourceArn"]
    assert source["Fn::Join"][1][0] == "arn:"
    assert source["Fn::Join"][1][-1] == ":*"
    assert ":logs:" in json.dumps(source)
    key_policy = created_key.props(KEY)["KeyPolicy"]["Statement"]
    [delivery] = [s for s in key_policy if s.get("Principal") == {"Service": "delivery.logs.amazonaws.com"}]
    assert delivery["Action"] == "kms:Decrypt"


def test_without_logging_no_log_delivery_grants() -> None:
    built = build(
        encryption=StateMachineEncryption.customer_managed(),
        logging=StateMachineLogging.off(reason="debug-only sandbox machine, deleted nightly"),
    )
    assert [s for s in statements_with(built, "kms:GenerateDataKey") if "SourceArn" in json.dumps(s)] == []
    key_policy = built.props(KEY)["KeyPolicy"]["Statement"]
    assert all(s.get("Principal") != {"Service": "delivery.logs.amazonaws.com"} for s in key_policy)


def test_a_given_key_is_used_and_none_created() -> None:
    built = build(encryption=lambda s: StateMachineEncryption.customer_managed(kms.Key(s, "Mine")))
    assert list(built.resources(KEY)) == [key_id(built)]
    assert key_id(built).startswith("Mine")
    assert built.props(SM)["EncryptionConfiguration"]["KmsKeyId"] == {"Fn::GetAtt": [key_id(built), "Arn"]}
    assert built.machine.node.try_find_child("EncryptionKey") is None


def test_an_imported_key_is_granted_in_iam_and_warns_about_its_policy() -> None:
    built = build(
        encryption=lambda s: StateMachineEncryption.customer_managed(
            kms.Key.from_key_arn(s, "Imported", IMPORTED_KEY_ARN)
        )
    )
    assert built.resources(KEY) == {}
    assert built.props(SM)["EncryptionConfiguration"]["KmsKeyId"] == IMPORTED_KEY_ARN
    [statement] = [s for s in statements_with(built, "kms:Decrypt") if CONTEXT in json.dumps(s)]
    assert statement["Resource"] == IMPORTED_KEY_ARN
    warnings = Annotations.from_stack(built.stack).find_warning("/Test/Machine", Match.string_like_regexp("imported"))
    assert "delivery.logs.amazonaws.com" in json.dumps([w.entry.data for w in warnings])


def test_data_key_reuse_period_changes_the_template(created_key: Built) -> None:
    built = build(encryption=StateMachineEncryption.customer_managed(data_key_reuse_period=cdk.Duration.minutes(15)))
    assert built.template != created_key.template
    assert built.props(SM)["EncryptionConfiguration"]["KmsDataKeyReusePeriodSeconds"] == 900


def test_aws_owned_is_explicit_in_the_template(baseline: Built) -> None:
    built = build(encryption=StateMachineEncryption.aws_owned())
    assert built.template != baseline.template
    assert built.props(SM)["EncryptionConfiguration"] == {"Type": "AWS_OWNED_KEY"}
    assert built.resources(KEY) == {}
    assert statements_with(built, "kms:Decrypt") == []
    assert "StateMachineName" not in built.props(SM)  # no name is generated for AWS-owned keys


def test_an_imported_role_gets_the_key_grant() -> None:
    built = build(
        encryption=StateMachineEncryption.customer_managed(),
        role=lambda s: iam.Role.from_role_arn(s, "Given", "arn:aws:iam::111111111111:role/given"),
    )
    grants = [
        statement
        for policy in built.resources("AWS::IAM::Policy").values()
        if policy["Properties"]["Roles"] == ["given"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if CONTEXT in json.dumps(statement)
    ]
    assert len(grants) == 1


def test_needs_known_name_only_for_customer_managed_keys() -> None:
    assert needs_known_name(StateMachineEncryption.customer_managed())
    assert not needs_known_name(StateMachineEncryption.aws_owned())
    assert not needs_known_name(None)


def test_option_attributes() -> None:
    period = cdk.Duration.minutes(2)
    option = StateMachineEncryption.customer_managed(data_key_reuse_period=period)
    assert option.is_customer_managed
    assert option.key is None
    assert option.data_key_reuse_period is period
    assert repr(option) == "StateMachineEncryption.customer_managed()"
    assert not StateMachineEncryption.aws_owned().is_customer_managed


# --- compliance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "props",
    [
        {"encryption": StateMachineEncryption.customer_managed()},
        {
            "encryption": StateMachineEncryption.customer_managed(data_key_reuse_period=cdk.Duration.minutes(1)),
            "log_encryption_key": lambda s: kms.Key(s, "LogKey", enable_key_rotation=True),
        },
    ],
    ids=["created-key", "with-encrypted-logs"],
)
def test_encryption_passes_cdk_nag_and_cfn_lint(props: dict[str, Any]) -> None:
    built = build(**props)
    assert nag_violations(built.stack) == []
    assert cfn_lint_errors(built.template) == []


# --- validation ------------------------------------------------------------------------------

INVALID: list[tuple[str, Any, str]] = [
    ("not-an-option", "a key", "encryption: must be StateMachineEncryption.aws_owned()"),
    (
        "reuse-short",
        StateMachineEncryption.customer_managed(data_key_reuse_period=cdk.Duration.seconds(59)),
        "encryption.data_key_reuse_period: must be whole seconds from 60 to 900",
    ),
    (
        "reuse-long",
        StateMachineEncryption.customer_managed(data_key_reuse_period=cdk.Duration.minutes(16)),
        "encryption.data_key_reuse_period: must be whole seconds from 60 to 900",
    ),
    (
        "reuse-fraction",
        StateMachineEncryption.customer_managed(data_key_reuse_period=cdk.Duration.millis(60_500)),
        "encryption.data_key_reuse_period: must be whole seconds",
    ),
    (
        "reuse-zero",
        StateMachineEncryption.customer_managed(data_key_reuse_period=cdk.Duration.seconds(0)),
        "encryption.data_key_reuse_period: must be a positive duration",
    ),
    (
        "key-not-key",
        StateMachineEncryption.customer_managed("alias/mine"),  # type: ignore[arg-type]
        "encryption.key: must be a kms.IKey",
    ),
]


@pytest.mark.parametrize(("encryption", "message"), [(e, m) for _, e, m in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_encryption_fails_eagerly(encryption: Any, message: str) -> None:
    with pytest.raises(ConstructPropsError) as raised:
        build(encryption=encryption)
    assert str(raised.value).startswith(f"{MACHINE_PATH}: {message}")


def test_a_token_reuse_period_is_refused_clearly() -> None:
    # aws-cdk-lib checks the bounds at synth time and cannot with a token; say so plainly.
    def encryption(stack: cdk.Stack) -> StateMachineEncryption:
        seconds = cdk.CfnParameter(stack, "Reuse", type="Number").value_as_number
        return StateMachineEncryption.customer_managed(data_key_reuse_period=cdk.Duration.seconds(seconds))

    with pytest.raises(ConstructPropsError, match=r"encryption\.data_key_reuse_period: must be known at synth time"):
        build(encryption=encryption)
