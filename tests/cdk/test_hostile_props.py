"""Hostile props: wrong types, non-finite numbers and invalid names fail eagerly, naming path and prop.

Each construct is built in a fresh ``cdk.Stack(cdk.App(), "Hostile")`` with valid props plus one
bad value; the constructor must raise :class:`ConstructPropsError` (never an ``AttributeError``,
a ``JSONDecodeError`` from the jsii runtime or CDK's own error) whose message is
``<construct path>: <prop>: <what was expected>, got <what>``. No synthesis is needed: the checks
run in the constructor. Tokens stay accepted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk import AlarmOptions, ConstructPropsError, ExecutionAlarm, ObservableStateMachine
from constructs_sfn.cdk.approval import ApprovalWorkflow
from constructs_sfn.cdk.approval_options import ApprovalNotification
from constructs_sfn.cdk.distributed_map_job import DistributedMapJob
from constructs_sfn.cdk.item_sources import ItemSource
from constructs_sfn.cdk.map_job_options import ItemProcessor
from constructs_sfn.cdk.saga import SagaWorkflow
from constructs_sfn.cdk.saga_steps import SagaAction, SagaStep
from constructs_sfn.cdk.validation import PropsValidator, describe

Case = tuple[str, dict[str, Any], str]

FAILED = ExecutionAlarm.FAILED
NAN = math.nan
INF = math.inf


def _fn(stack: cdk.Stack, name: str) -> lambda_.IFunction:
    return lambda_.Function.from_function_arn(stack, name, f"arn:aws:lambda:us-east-1:123456789012:function:{name}")


def _alarm(**fields: Any) -> dict[ExecutionAlarm, AlarmOptions]:
    return {FAILED: AlarmOptions(**fields)}


#: Props every construct passes to its ObservableStateMachine: (id, bad props, prop named).
COMMON: list[Case] = [
    ("owner-int", {"owner": 123}, "owner"),
    ("owner-list", {"owner": ["team"]}, "owner"),
    ("owner-newline", {"owner": "team\norders"}, "owner"),
    ("owner-semicolon", {"owner": "team;orders"}, "owner"),
    ("owner-blank", {"owner": "  "}, "owner"),
    ("name-int", {"state_machine_name": 42}, "state_machine_name"),
    ("name-empty", {"state_machine_name": ""}, "state_machine_name"),
    ("name-too-long", {"state_machine_name": "x" * 81}, "state_machine_name"),
    ("name-space", {"state_machine_name": "my machine"}, "state_machine_name"),
    ("name-slash", {"state_machine_name": "team/orders"}, "state_machine_name"),
    ("name-colon", {"state_machine_name": "team:orders"}, "state_machine_name"),
    ("name-bracket", {"state_machine_name": "orders[1]"}, "state_machine_name"),
    ("name-wildcard", {"state_machine_name": "orders*"}, "state_machine_name"),
    ("name-control", {"state_machine_name": "orders\x07"}, "state_machine_name"),
    ("name-non-ascii", {"state_machine_name": "commandes-é"}, "state_machine_name"),
    ("name-comma", {"state_machine_name": "a,b"}, "state_machine_name"),
    ("name-trailing-newline", {"state_machine_name": "orders\n"}, "state_machine_name"),
    ("name-for-default-log-group", {"state_machine_name": "orders+(eu)"}, "state_machine_name"),
    ("comment-int", {"comment": 7}, "comment"),
    ("timeout-int", {"timeout": 900}, "timeout"),
    ("timeout-str", {"timeout": "15 minutes"}, "timeout"),
    ("threshold-int", {"execution_time_threshold": 60}, "execution_time_threshold"),
    ("role-str", {"role": "arn:aws:iam::123456789012:role/x"}, "role"),
    ("logging-str", {"logging": "ALL"}, "logging"),
    ("retention-int", {"log_retention": 30}, "log_retention"),
    ("log-group-int", {"log_group_name": 5}, "log_group_name"),
    ("log-key-str", {"log_encryption_key": "alias/logs"}, "log_encryption_key"),
    ("log-removal-str", {"log_removal_policy": "RETAIN"}, "log_removal_policy"),
    ("tracing-bool", {"tracing": True}, "tracing"),
    ("alarms-enabled-str", {"alarms_enabled": "no"}, "alarms_enabled"),
    ("alarms-enabled-none", {"alarms_enabled": None}, "alarms_enabled"),
    ("alarm-topic-str", {"alarm_topic": "arn:aws:sns:us-east-1:123456789012:t"}, "alarm_topic"),
    ("alarm-options-list", {"alarm_options": [AlarmOptions()]}, "alarm_options"),
    ("alarm-threshold-nan", {"alarm_options": _alarm(threshold=NAN)}, "alarm_options[FAILED].threshold"),
    ("alarm-threshold-inf", {"alarm_options": _alarm(threshold=INF)}, "alarm_options[FAILED].threshold"),
    ("alarm-threshold-str", {"alarm_options": _alarm(threshold="5")}, "alarm_options[FAILED].threshold"),
    ("alarm-threshold-bool", {"alarm_options": _alarm(threshold=True)}, "alarm_options[FAILED].threshold"),
    ("alarm-period-int", {"alarm_options": _alarm(period=60)}, "alarm_options[FAILED].period"),
    (
        "alarm-periods-str",
        {"alarm_options": _alarm(evaluation_periods="3")},
        "alarm_options[FAILED].evaluation_periods",
    ),
    (
        "alarm-datapoints-nan",
        {"alarm_options": _alarm(datapoints_to_alarm=NAN)},
        "alarm_options[FAILED].datapoints_to_alarm",
    ),
    ("alarm-enabled-str", {"alarm_options": _alarm(enabled="no")}, "alarm_options[FAILED].enabled"),
    (
        "alarm-periods-fraction",
        {"alarm_options": _alarm(evaluation_periods=1.5)},
        "alarm_options[FAILED].evaluation_periods",
    ),
    ("dashboard-str", {"create_dashboard": "yes"}, "create_dashboard"),
]

MACHINE_ONLY: list[Case] = [
    ("type-str", {"state_machine_type": "STANDARD"}, "state_machine_type"),
    ("body-str", {"definition_body": '{"StartAt": "A", "States": {}}'}, "definition_body"),
    ("body-dict", {"definition_body": {"StartAt": "A", "States": {}}}, "definition_body"),
    ("body-int", {"definition_body": 1}, "definition_body"),
    ("query-language-str", {"query_language": "JSONATA"}, "query_language"),
    ("substitutions-str", {"definition_substitutions": "a=b"}, "definition_substitutions"),
    ("substitutions-int-value", {"definition_substitutions": {"a": 1}}, "definition_substitutions['a']"),
    ("schedule-str", {"schedule": "rate(5 minutes)"}, "schedule"),
    ("encryption-str", {"encryption": "aws"}, "encryption"),
    ("removal-str", {"removal_policy": "DESTROY"}, "removal_policy"),
    ("lint-str", {"lint": "yes"}, "lint"),
    ("lint-suppressions-list", {"lint_suppressions": ["Rule"]}, "lint_suppressions"),
    ("lint-suppressions-flat", {"lint_suppressions": {"": "reason"}}, "lint_suppressions['']"),
]

SAGA_ONLY: list[Case] = [
    ("saga-type-str", {"state_machine_type": "STANDARD"}, "state_machine_type"),
    ("saga-queue-str", {"dead_letter_queue": "https://sqs/q"}, "dead_letter_queue"),
    ("saga-retention-int", {"dead_letter_retention": 86400}, "dead_letter_retention"),
    ("saga-dlq-threshold-nan", {"dead_letter_alarm": AlarmOptions(threshold=NAN)}, "dead_letter_alarm.threshold"),
    ("saga-dlq-threshold-str", {"dead_letter_alarm": AlarmOptions(threshold="5")}, "dead_letter_alarm.threshold"),
    ("saga-dlq-period-int", {"dead_letter_alarm": AlarmOptions(period=60)}, "dead_letter_alarm.period"),
    ("saga-dlq-enabled-int", {"dead_letter_alarm": AlarmOptions(enabled=0)}, "dead_letter_alarm.enabled"),
    ("saga-steps-str", {"steps": "Reserve,Charge"}, "steps"),
]

APPROVAL_ONLY: list[Case] = [
    ("approval-notification-str", {"notification": "arn:aws:sns:us-east-1:1:t"}, "notification"),
    ("approval-deadline-int", {"deadline": 3600}, "deadline"),
    ("approval-reminders-str", {"reminders": "2"}, "reminders"),
    ("approval-interval-int", {"reminders": 1, "reminder_interval": 600}, "reminder_interval"),
    ("approval-rate-nan", {"throttling_rate_limit": NAN}, "throttling_rate_limit"),
    ("approval-rate-str", {"throttling_rate_limit": "5"}, "throttling_rate_limit"),
    ("approval-burst-bool", {"throttling_burst_limit": True}, "throttling_burst_limit"),
    ("approval-burst-fraction", {"throttling_burst_limit": 2.5}, "throttling_burst_limit"),
    ("approval-stage-int", {"stage_name": 1}, "stage_name"),
    ("approval-on-approved-str", {"on_approved": "Done"}, "on_approved"),
    ("approval-on-timeout-dict", {"on_timeout": {"Type": "Fail"}}, "on_timeout"),
    ("approval-removal-str", {"removal_policy": "DESTROY"}, "removal_policy"),
    ("approval-type-str", {"state_machine_type": "EXPRESS"}, "state_machine_type"),
]

JOB_ONLY: list[Case] = [
    ("job-concurrency-str", {"max_concurrency": "10"}, "max_concurrency"),
    ("job-concurrency-nan", {"max_concurrency": NAN}, "max_concurrency"),
    ("job-pct-nan", {"tolerated_failure_percentage": NAN}, "tolerated_failure_percentage"),
    ("job-count-str", {"tolerated_failure_count": "1"}, "tolerated_failure_count"),
    ("job-query-language-str", {"query_language": "JSONPATH"}, "query_language"),
    ("job-result-bucket-str", {"result_bucket": "my-bucket"}, "result_bucket"),
    ("job-logs-bucket-str", {"access_logs_bucket": "my-logs"}, "access_logs_bucket"),
    ("job-bucket-removal-str", {"result_bucket_removal_policy": "DESTROY"}, "result_bucket_removal_policy"),
    ("job-definition-returns-str", {"definition": lambda _map: "not a state"}, "definition"),
    ("job-map-alarm-nan", {"map_run_alarm": AlarmOptions(threshold=NAN)}, "map_run_alarm.threshold"),
    ("job-map-alarm-period-int", {"map_run_alarm": AlarmOptions(period=300)}, "map_run_alarm.period"),
    ("job-map-alarm-enabled-str", {"map_run_alarm": AlarmOptions(enabled="off")}, "map_run_alarm.enabled"),
    ("job-child-type-str", {"child_execution_type": "EXPRESS"}, "child_execution_type"),
    ("job-schedule-str", {"schedule": "rate(1 day)"}, "schedule"),
    ("job-encryption-str", {"encryption": "aws"}, "encryption"),
    ("job-removal-str", {"removal_policy": "DESTROY"}, "removal_policy"),
]

Builder = Callable[[Construct, dict[str, Any]], Construct]


def _machine(scope: Construct, props: dict[str, Any]) -> Construct:
    base: dict[str, Any] = {
        "state_machine_type": sfn.StateMachineType.STANDARD,
        "definition_body": sfn.Pass(scope, "Start"),
        "owner": "team-orders",
        "timeout": cdk.Duration.minutes(10),
    }
    return ObservableStateMachine(scope, "Machine", **{**base, **props})


def _saga(scope: Construct, props: dict[str, Any]) -> Construct:
    stack = cdk.Stack.of(scope)
    steps = [
        SagaStep(
            "Reserve",
            action=SagaAction.lambda_function(_fn(stack, "reserve")),
            compensation=SagaAction.lambda_function(_fn(stack, "release")),
        ),
        SagaStep("Charge", action=SagaAction.lambda_function(_fn(stack, "charge"))),
    ]
    base: dict[str, Any] = {"steps": steps, "owner": "team-orders", "timeout": cdk.Duration.minutes(10)}
    return SagaWorkflow(scope, "Saga", **{**base, **props})


def _approval(scope: Construct, props: dict[str, Any]) -> Construct:
    topic = sns.Topic.from_topic_arn(scope, "Approvers", "arn:aws:sns:us-east-1:123456789012:approvers")
    base: dict[str, Any] = {"notification": ApprovalNotification.topic(topic), "owner": "finance"}
    return ApprovalWorkflow(scope, "Approval", **{**base, **props})


def _job(scope: Construct, props: dict[str, Any]) -> Construct:
    bucket = s3.Bucket.from_bucket_name(scope, "Source", "source-bucket")
    base: dict[str, Any] = {
        "items": ItemSource.csv(bucket, "in/rows.csv"),
        "item_processor": ItemProcessor.chain(sfn.Pass(scope, "Step")),
        "max_concurrency": 10,
        "owner": "team-data",
        "timeout": cdk.Duration.hours(1),
    }
    return DistributedMapJob(scope, "Job", **{**base, **props})


def _assert_refused(builder: Builder, path: str, props: dict[str, Any], prop: str) -> None:
    stack = cdk.Stack(cdk.App(), "Hostile")
    with pytest.raises(ConstructPropsError) as raised:
        builder(stack, props)
    error = raised.value
    # Props passed through are checked by the ObservableStateMachine child, named by its own path.
    assert error.path in (path, f"{path}/Machine"), str(error)
    assert error.prop == prop, str(error)
    message = str(error)
    assert message.startswith(f"{error.path}: {prop}: "), message
    assert ", got " in message, message


def _ids(cases: list[Case]) -> list[str]:
    return [case[0] for case in cases]


def _params(cases: list[Case]) -> list[tuple[dict[str, Any], str]]:
    return [(props, prop) for _, props, prop in cases]


@pytest.mark.parametrize(("props", "prop"), _params(COMMON + MACHINE_ONLY), ids=_ids(COMMON + MACHINE_ONLY))
def test_observable_state_machine_refuses(props: dict[str, Any], prop: str) -> None:
    _assert_refused(_machine, "Hostile/Machine", props, prop)


@pytest.mark.parametrize(("props", "prop"), _params(COMMON + SAGA_ONLY), ids=_ids(COMMON + SAGA_ONLY))
def test_saga_refuses(props: dict[str, Any], prop: str) -> None:
    _assert_refused(_saga, "Hostile/Saga", props, prop)


@pytest.mark.parametrize(("props", "prop"), _params(COMMON + APPROVAL_ONLY), ids=_ids(COMMON + APPROVAL_ONLY))
def test_approval_refuses(props: dict[str, Any], prop: str) -> None:
    _assert_refused(_approval, "Hostile/Approval", props, prop)


@pytest.mark.parametrize(("props", "prop"), _params(COMMON + JOB_ONLY), ids=_ids(COMMON + JOB_ONLY))
def test_distributed_map_job_refuses(props: dict[str, Any], prop: str) -> None:
    _assert_refused(_job, "Hostile/Job", props, prop)


@pytest.mark.parametrize("builder", [_machine, _saga, _approval, _job], ids=["machine", "saga", "approval", "job"])
def test_tokens_and_valid_values_are_accepted(builder: Builder) -> None:
    stack = cdk.Stack(cdk.App(), "Hostile")
    name = cdk.CfnParameter(stack, "Name").value_as_string
    owner = cdk.CfnParameter(stack, "Owner").value_as_string
    threshold = cdk.CfnParameter(stack, "Threshold", type="Number").value_as_number
    built = builder(
        stack,
        {
            "state_machine_name": name,
            "owner": owner,
            "alarm_options": {FAILED: AlarmOptions(threshold=threshold, evaluation_periods=2)},
        },
    )
    assert built.node.path.startswith("Hostile/")
    # Unicode letters, numbers, spaces and the allowed symbols make a valid owner tag value.
    other = cdk.Stack(cdk.App(), "Hostile")
    accepted = builder(other, {"owner": "équipe Zürich 2 _.:/=+-@", "state_machine_name": "Orders-v2.1_eu"})
    assert accepted.node.path.startswith("Hostile/")


def test_name_with_symbols_is_accepted_with_an_explicit_log_group() -> None:
    stack = cdk.Stack(cdk.App(), "Hostile")
    machine = _machine(
        stack, {"state_machine_name": "orders+(eu)='1'", "log_group_name": "/aws/vendedlogs/states/orders-eu"}
    )
    assert isinstance(machine, ObservableStateMachine)


def test_nan_never_reaches_the_jsii_runtime() -> None:
    # Token.is_unresolved(nan) kills the jsii kernel (it cannot serialize NaN); the validator
    # answers for non-finite numbers itself, and the runtime keeps working afterwards.
    assert not PropsValidator.is_token(NAN)
    assert not PropsValidator.is_token(INF)
    assert not PropsValidator.is_token(object())
    assert PropsValidator.is_token(cdk.Fn.get_att("Other", "Arn"))
    assert cdk.Duration.minutes(1).to_seconds() == 60


def test_describe_names_type_and_value() -> None:
    assert describe(900) == "900"
    assert describe("5") == "'5'"
    assert describe("x" * 100).endswith("...")
    assert describe(None) == "None"
    assert describe([1]) == "a list"
