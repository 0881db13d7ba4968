"""ObservableStateMachine: defaults, every prop's effect on the template, validation, pass-throughs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Annotations, Match

from cdk.synthesis import MACHINE_PATH, Built, build
from constructs_sfn.cdk import (
    AlarmOptions,
    ConstructPropsError,
    ExecutionAlarm,
    StateMachineLogging,
    Tracing,
)
from constructs_sfn.cdk.encryption import StateMachineEncryption
from constructs_sfn.cdk.schedule import ExecutionSchedule

SM = "AWS::StepFunctions::StateMachine"
ALARM = "AWS::CloudWatch::Alarm"
LOG_DELIVERY = "logs:CreateLogDelivery"
XRAY = "xray:PutTraceSegments"


def definition(built: Built) -> dict[str, Any]:
    """The state machine's ASL definition, parsed."""
    text = built.props(SM)["DefinitionString"]
    if isinstance(text, dict):  # Fn::Join when the definition holds tokens
        text = "".join(part if isinstance(part, str) else "TOKEN" for part in text["Fn::Join"][1])
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def alarms_by_metric(built: Built) -> dict[str, dict[str, Any]]:
    """Alarm properties keyed by metric name (ExecutionTime for the duration alarm)."""
    return {props["Properties"]["MetricName"]: props["Properties"] for props in built.resources(ALARM).values()}


def policy_actions(built: Built, logical_prefix: str) -> set[str]:
    """All actions of the IAM policies whose logical id starts with ``logical_prefix``."""
    actions: set[str] = set()
    for logical_id, policy in built.resources("AWS::IAM::Policy").items():
        if logical_id.startswith(logical_prefix):
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                value = statement["Action"]
                actions.update([value] if isinstance(value, str) else value)
    return actions


def tags(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource's tags as a dict."""
    return {tag["Key"]: tag["Value"] for tag in resource.get("Properties", {}).get("Tags", [])}


# --- defaults -------------------------------------------------------------------------------


def test_default_logging_is_all_with_execution_data_to_a_vended_logs_group(baseline: Built) -> None:
    logging = baseline.props(SM)["LoggingConfiguration"]
    assert logging["Level"] == "ALL"
    assert logging["IncludeExecutionData"] is True
    log_group = baseline.props("AWS::Logs::LogGroup")
    assert log_group["LogGroupName"].startswith("/aws/vendedlogs/states/Test-Machine-")
    assert log_group["RetentionInDays"] == 90
    assert baseline.one("AWS::Logs::LogGroup")["DeletionPolicy"] == "Retain"
    [(log_group_id, _)] = baseline.resources("AWS::Logs::LogGroup").items()
    assert logging["Destinations"][0]["CloudWatchLogsLogGroup"]["LogGroupArn"] == {"Fn::GetAtt": [log_group_id, "Arn"]}


def test_default_tracing_is_on(baseline: Built) -> None:
    assert baseline.props(SM)["TracingConfiguration"] == {"Enabled": True}


def test_default_role_trusts_only_step_functions_of_this_account(baseline: Built) -> None:
    [statement] = baseline.props("AWS::IAM::Role")["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "states.amazonaws.com"}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    source_arn = json.dumps(statement["Condition"]["ArnLike"]["aws:SourceArn"])
    assert ":stateMachine:*" in source_arn


def test_observability_statements_live_in_their_own_policy(baseline: Built) -> None:
    [(logical_id, policy)] = baseline.resources("AWS::IAM::Policy").items()
    assert logical_id.startswith("MachineObservabilityPolicy")
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Resource"] == "*"
    assert set(statement["Action"]) == {
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
    }
    # Step Functions validates log delivery permissions when it creates the machine.
    assert logical_id in baseline.one(SM)["DependsOn"]


def test_default_alarms_are_the_five_wired_to_the_created_topic(baseline: Built) -> None:
    [topic_id] = baseline.resources("AWS::SNS::Topic")
    alarms = alarms_by_metric(baseline)
    assert set(alarms) == {
        "ExecutionsFailed",
        "ExecutionsTimedOut",
        "ExecutionThrottled",
        "ExecutionsAborted",
        "ExecutionTime",
    }
    for props in alarms.values():
        assert props["AlarmActions"] == [{"Ref": topic_id}]
        assert props["OKActions"] == [{"Ref": topic_id}]
        assert props["TreatMissingData"] == "notBreaching"
        assert props["Namespace"] == "AWS/States"
    for name in ("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled", "ExecutionsAborted"):
        assert alarms[name]["Statistic"] == "Sum"
        assert alarms[name]["Threshold"] == 1
        assert alarms[name]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert (alarms[name]["Period"], alarms[name]["EvaluationPeriods"]) == (300, 1)
    duration = alarms["ExecutionTime"]
    assert duration["ExtendedStatistic"] == "p99"
    assert duration["ComparisonOperator"] == "GreaterThanThreshold"
    # 80% of the 10-minute timeout, in milliseconds.
    assert duration["Threshold"] == 480_000
    assert (duration["EvaluationPeriods"], duration["DatapointsToAlarm"]) == (3, 2)


def test_alarm_descriptions_name_the_construct_and_owner(baseline: Built) -> None:
    for props in alarms_by_metric(baseline).values():
        assert props["AlarmDescription"].startswith("Test/Machine (owner: team-orders): ")


def test_default_topic_refuses_publishers_without_tls(baseline: Built) -> None:
    [statement] = baseline.props("AWS::SNS::TopicPolicy")["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_default_dashboard_shows_owner_outcomes_latency_and_error_rate(baseline: Built) -> None:
    body = json.dumps(baseline.props("AWS::CloudWatch::Dashboard")["DashboardBody"])
    for fact in (
        "**Owner:** team-orders",
        "Executions by outcome",
        "ExecutionsSucceeded",
        "p50",
        "p90",
        "p99",
        "Error rate (%)",
        "IF(started > 0, 100 * (failed + timedOut + aborted) / started, 0)",
        "p99 alarm threshold",
    ):
        assert fact in body, fact


def test_owner_tag_is_on_every_taggable_resource(baseline: Built) -> None:
    taggable = {
        "AWS::IAM::Role",
        "AWS::Logs::LogGroup",
        SM,
        "AWS::SNS::Topic",
        ALARM,
        "AWS::CloudWatch::Dashboard",
    }
    seen = set()
    for resource in baseline.template["Resources"].values():
        if resource["Type"] in taggable:
            seen.add(resource["Type"])
            assert tags(resource).get("Owner") == "team-orders", resource["Type"]
    assert seen == taggable


def test_chainable_and_definition_body_give_the_same_definition() -> None:
    chained = build(definition_body=lambda s: sfn.Succeed(s, "Done"))
    wrapped = build(definition_body=lambda s: sfn.DefinitionBody.from_chainable(sfn.Succeed(s, "Done")))
    assert definition(chained) == definition(wrapped)
    assert definition(chained)["States"] == {"Done": {"Type": "Succeed"}}


# --- every prop changes the template ----------------------------------------------------------


def _imported_role(stack: cdk.Stack) -> iam.IRole:
    return iam.Role.from_role_arn(stack, "Given", "arn:aws:iam::111111111111:role/given")


def _imported_topic(stack: cdk.Stack) -> sns.ITopic:
    return sns.Topic.from_topic_arn(stack, "GivenTopic", "arn:aws:sns:eu-west-1:111111111111:pager")


def _key(stack: cdk.Stack) -> kms.IKey:
    return kms.Key(stack, "LogKey", enable_key_rotation=True)


def _check_type(b: Built) -> None:
    assert b.props(SM)["StateMachineType"] == "EXPRESS"


def _check_definition(b: Built) -> None:
    assert definition(b)["States"] == {"Given": {"Type": "Succeed"}}


def _check_owner(b: Built) -> None:
    assert tags(b.one(SM))["Owner"] == "payments"
    assert "**Owner:** payments" in json.dumps(b.props("AWS::CloudWatch::Dashboard"))


def _check_name(b: Built) -> None:
    assert b.props(SM)["StateMachineName"] == "orders"
    assert b.props("AWS::Logs::LogGroup")["LogGroupName"] == "/aws/vendedlogs/states/orders"
    [statement] = b.props("AWS::IAM::Role")["AssumeRolePolicyDocument"]["Statement"]
    assert ":stateMachine:orders" in json.dumps(statement["Condition"]["ArnLike"])


def _check_comment(b: Built) -> None:
    assert definition(b)["Comment"] == "routes orders"


def _check_timeout(b: Built) -> None:
    assert definition(b)["TimeoutSeconds"] == 120
    assert alarms_by_metric(b)["ExecutionTime"]["Threshold"] == 96_000


def _check_query_language(b: Built) -> None:
    assert definition(b)["QueryLanguage"] == "JSONata"


def _check_substitutions(b: Built) -> None:
    assert b.props(SM)["DefinitionSubstitutions"] == {"table": "orders"}


def _check_role(b: Built) -> None:
    assert b.resources("AWS::IAM::Role") == {}
    assert b.props(SM)["RoleArn"] == "arn:aws:iam::111111111111:role/given"
    [policy] = b.resources("AWS::IAM::Policy").values()
    assert policy["Properties"]["Roles"] == ["given"]


def _check_errors_only(b: Built) -> None:
    assert b.props(SM)["LoggingConfiguration"]["Level"] == "ERROR"
    assert b.props(SM)["LoggingConfiguration"]["IncludeExecutionData"] is False


def _check_without_data(b: Built) -> None:
    assert b.props(SM)["LoggingConfiguration"]["Level"] == "ALL"
    assert b.props(SM)["LoggingConfiguration"]["IncludeExecutionData"] is False


def _check_logging_off(b: Built) -> None:
    assert "LoggingConfiguration" not in b.props(SM)
    assert b.resources("AWS::Logs::LogGroup") == {}
    actions = policy_actions(b, "MachineObservabilityPolicy")
    assert XRAY in actions
    assert LOG_DELIVERY not in actions


def _check_retention(b: Built) -> None:
    assert b.props("AWS::Logs::LogGroup")["RetentionInDays"] == 7


def _check_log_group_name(b: Built) -> None:
    assert b.props("AWS::Logs::LogGroup")["LogGroupName"] == "/aws/vendedlogs/states/orders-prod"


def _check_log_key(b: Built) -> None:
    [(key_id, key)] = b.resources("AWS::KMS::Key").items()
    assert b.props("AWS::Logs::LogGroup")["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    [for_logs] = [s for s in statements if "ArnEquals" in s.get("Condition", {})]
    assert "logs." in json.dumps(for_logs["Principal"])
    log_group_arn = json.dumps(for_logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"])
    assert ":log-group:/aws/vendedlogs/states/Test-Machine-" in log_group_arn
    assert "kms:GenerateDataKey*" in for_logs["Action"]


def _check_removal(b: Built) -> None:
    assert b.one("AWS::Logs::LogGroup")["DeletionPolicy"] == "Delete"


def _check_tracing(b: Built) -> None:
    assert b.props(SM)["TracingConfiguration"] == {"Enabled": False}
    actions = policy_actions(b, "MachineObservabilityPolicy")
    assert LOG_DELIVERY in actions
    assert XRAY not in actions


def _check_alarms_off(b: Built) -> None:
    assert b.resources(ALARM) == {}
    assert b.resources("AWS::SNS::Topic") == {}
    assert "AlarmStatusWidget" not in json.dumps(b.props("AWS::CloudWatch::Dashboard"))


def _check_alarm_topic(b: Built) -> None:
    assert b.resources("AWS::SNS::Topic") == {}
    for props in alarms_by_metric(b).values():
        assert props["AlarmActions"] == ["arn:aws:sns:eu-west-1:111111111111:pager"]


def _check_alarm_options(b: Built) -> None:
    alarms = alarms_by_metric(b)
    failed = alarms["ExecutionsFailed"]
    assert (failed["Threshold"], failed["Period"]) == (5, 60)
    assert (failed["EvaluationPeriods"], failed["DatapointsToAlarm"]) == (3, 2)
    assert alarms["ExecutionsAborted"]["Threshold"] == 1  # untouched
    assert "ExecutionThrottled" not in alarms
    assert len(alarms) == 4


def _check_duration_threshold(b: Built) -> None:
    assert alarms_by_metric(b)["ExecutionTime"]["Threshold"] == 90_000


def _check_no_dashboard(b: Built) -> None:
    assert b.resources("AWS::CloudWatch::Dashboard") == {}


def _check_schedule(b: Built) -> None:
    assert b.props("AWS::Scheduler::Schedule")["ScheduleExpression"] == "rate(1 hour)"


def _check_encryption(b: Built) -> None:
    assert b.props(SM)["EncryptionConfiguration"]["Type"] == "CUSTOMER_MANAGED_KMS_KEY"


def _check_removal_policy(b: Built) -> None:
    assert b.one(SM)["DeletionPolicy"] == "Retain"


PROP_CASES: list[tuple[str, dict[str, Any], Callable[[Built], None]]] = [
    ("state_machine_type", {"state_machine_type": sfn.StateMachineType.EXPRESS, "timeout": None}, _check_type),
    (
        "definition_body",
        {
            "definition_body": sfn.DefinitionBody.from_string(
                '{"StartAt":"Given","States":{"Given":{"Type":"Succeed"}}}'
            )
        },
        _check_definition,
    ),
    ("owner", {"owner": "payments"}, _check_owner),
    ("state_machine_name", {"state_machine_name": "orders"}, _check_name),
    ("comment", {"comment": "routes orders"}, _check_comment),
    ("timeout", {"timeout": cdk.Duration.minutes(2)}, _check_timeout),
    ("query_language", {"query_language": sfn.QueryLanguage.JSONATA}, _check_query_language),
    ("definition_substitutions", {"definition_substitutions": {"table": "orders"}}, _check_substitutions),
    ("role", {"role": _imported_role}, _check_role),
    (
        "logging=errors_only",
        {"logging": StateMachineLogging.errors_only(reason="cost: only failures are investigated")},
        _check_errors_only,
    ),
    (
        "logging=all(no data)",
        {"logging": StateMachineLogging.all(include_execution_data=False)},
        _check_without_data,
    ),
    (
        "logging=off",
        {"logging": StateMachineLogging.off(reason="debug-only sandbox machine, deleted nightly")},
        _check_logging_off,
    ),
    ("log_retention", {"log_retention": logs.RetentionDays.ONE_WEEK}, _check_retention),
    ("log_group_name", {"log_group_name": "/aws/vendedlogs/states/orders-prod"}, _check_log_group_name),
    ("log_encryption_key", {"log_encryption_key": _key}, _check_log_key),
    ("log_removal_policy", {"log_removal_policy": cdk.RemovalPolicy.DESTROY}, _check_removal),
    ("tracing", {"tracing": Tracing.disabled(reason="X-Ray is not available in this partition")}, _check_tracing),
    ("alarms_enabled", {"alarms_enabled": False}, _check_alarms_off),
    ("alarm_topic", {"alarm_topic": _imported_topic}, _check_alarm_topic),
    (
        "alarm_options",
        {
            "alarm_options": {
                ExecutionAlarm.FAILED: AlarmOptions(
                    threshold=5, period=cdk.Duration.minutes(1), evaluation_periods=3, datapoints_to_alarm=2
                ),
                ExecutionAlarm.THROTTLED: AlarmOptions(enabled=False),
            }
        },
        _check_alarm_options,
    ),
    ("execution_time_threshold", {"execution_time_threshold": cdk.Duration.seconds(90)}, _check_duration_threshold),
    ("create_dashboard", {"create_dashboard": False}, _check_no_dashboard),
    # Each of these three has its own test module (test_schedule, test_encryption, test_removal_policy).
    ("schedule", {"schedule": ExecutionSchedule.rate(cdk.Duration.hours(1))}, _check_schedule),
    ("encryption", {"encryption": StateMachineEncryption.customer_managed()}, _check_encryption),
    ("removal_policy", {"removal_policy": cdk.RemovalPolicy.RETAIN}, _check_removal_policy),
]


@pytest.mark.parametrize(
    ("props", "check"), [(props, check) for _, props, check in PROP_CASES], ids=[c[0] for c in PROP_CASES]
)
def test_prop_changes_the_template(baseline: Built, props: dict[str, Any], check: Callable[[Built], None]) -> None:
    built = build(**props)
    assert built.template != baseline.template
    check(built)


def test_every_constructor_prop_has_a_template_test() -> None:
    import inspect

    from constructs_sfn.cdk import ObservableStateMachine

    params = set(inspect.signature(ObservableStateMachine.__init__).parameters) - {"self", "scope", "id"}
    covered = {case[0].split("=")[0] for case in PROP_CASES}
    # These change what the synthesis reports (lint findings as annotations), not the template:
    # tests/cdk/test_lint_default.py proves each one's effect.
    covered |= {"lint", "lint_suppressions"}
    assert params == covered


def test_owner_defaults_to_the_context_value() -> None:
    built = build(omit=("owner",), context={"constructs-sfn:owner": "from-context"})
    assert tags(built.one(SM))["Owner"] == "from-context"
    assert built.machine.owner == "from-context"


def test_express_without_timeout_alarms_at_80_percent_of_five_minutes() -> None:
    built = build(state_machine_type=sfn.StateMachineType.EXPRESS, omit=("timeout",))
    assert alarms_by_metric(built)["ExecutionTime"]["Threshold"] == 240_000
    assert Annotations.from_stack(built.stack).find_warning("*", Match.any_value()) == []


def test_standard_without_timeout_warns_and_has_no_duration_alarm() -> None:
    built = build(omit=("timeout",))
    assert "ExecutionTime" not in alarms_by_metric(built)
    assert len(alarms_by_metric(built)) == 4
    warnings = Annotations.from_stack(built.stack).find_warning("/Test/Machine", Match.any_value())
    text = json.dumps([w.entry.data for w in warnings])
    assert "No state machine timeout" in text
    assert "No ExecutionTime alarm" in text


def test_standard_without_timeout_but_with_threshold_has_the_duration_alarm() -> None:
    built = build(omit=("timeout",), execution_time_threshold=cdk.Duration.minutes(30))
    assert alarms_by_metric(built)["ExecutionTime"]["Threshold"] == 1_800_000


def test_tokens_are_accepted_unchecked() -> None:
    def owner(stack: cdk.Stack) -> str:
        return cdk.CfnParameter(stack, "Owner").value_as_string

    def timeout(stack: cdk.Stack) -> cdk.Duration:
        return cdk.Duration.seconds(cdk.CfnParameter(stack, "Timeout", type="Number").value_as_number)

    built = build(owner=owner, timeout=timeout, state_machine_type=sfn.StateMachineType.EXPRESS)
    assert tags(built.one(SM))["Owner"] == {"Ref": "Owner"}
    assert built.props(SM)["DefinitionString"]  # synthesizes


# --- eager validation ---------------------------------------------------------------------------

INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("owner-empty", {"owner": "   "}, "owner: must name a team or person"),
    ("owner-bad-chars", {"owner": "team<a>"}, "owner: must be a valid tag value"),
    ("owner-too-long", {"owner": "x" * 257}, "owner: must be a valid tag value"),
    ("owner-missing", {"owner": None}, "owner: is required"),
    ("type-not-enum", {"state_machine_type": "STANDARD"}, "state_machine_type: must be"),
    ("definition-missing", {"definition_body": None}, "definition_body: is required"),
    ("timeout-zero", {"timeout": cdk.Duration.seconds(0)}, "timeout: must be a positive duration"),
    ("timeout-fraction", {"timeout": cdk.Duration.millis(1500)}, "timeout: must be whole seconds"),
    (
        "express-timeout",
        {"state_machine_type": sfn.StateMachineType.EXPRESS, "timeout": cdk.Duration.minutes(6)},
        "timeout: EXPRESS executions run at most 5 minutes",
    ),
    ("standard-timeout", {"timeout": cdk.Duration.days(400)}, "timeout: STANDARD executions run at most 365 days"),
    (
        "express-errors-only",
        {
            "state_machine_type": sfn.StateMachineType.EXPRESS,
            "timeout": None,
            "logging": StateMachineLogging.errors_only(reason="only failures matter here"),
        },
        "logging: EXPRESS executions have no history outside their logs",
    ),
    (
        "express-without-data",
        {
            "state_machine_type": sfn.StateMachineType.EXPRESS,
            "timeout": None,
            "logging": StateMachineLogging.all(include_execution_data=False),
        },
        "logging: EXPRESS executions have no history outside their logs",
    ),
    ("logging-not-option", {"logging": sfn.LogLevel.OFF}, "logging: must be a StateMachineLogging"),
    ("tracing-not-option", {"tracing": False}, "tracing: must be Tracing.active()"),
    ("logging-short-reason", {"logging": StateMachineLogging.off(reason="meh")}, "logging.reason: acknowledging"),
    ("tracing-blank-reason", {"tracing": Tracing.disabled(reason="          ")}, "tracing.reason: acknowledging"),
    (
        "log-prop-with-logging-off",
        {
            "logging": StateMachineLogging.off(reason="debug-only sandbox machine"),
            "log_retention": logs.RetentionDays.ONE_DAY,
        },
        "log_retention: has no effect with StateMachineLogging.off()",
    ),
    ("log-group-prefix", {"log_group_name": "/my/logs"}, "log_group_name: must start with /aws/vendedlogs/"),
    ("log-group-chars", {"log_group_name": "/aws/vendedlogs/a b"}, "log_group_name: must be up to 512"),
    (
        "alarm-topic-without-alarms",
        {"alarms_enabled": False, "alarm_topic": _imported_topic},
        "alarm_topic: has no effect",
    ),
    (
        "threshold-without-alarms",
        {"alarms_enabled": False, "execution_time_threshold": cdk.Duration.minutes(1)},
        "execution_time_threshold: has no effect",
    ),
    (
        "negative-threshold",
        {"alarm_options": {ExecutionAlarm.FAILED: AlarmOptions(threshold=-1)}},
        "alarm_options[FAILED].threshold: must be at least 0",
    ),
    (
        "zero-evaluation-periods",
        {"alarm_options": {ExecutionAlarm.ABORTED: AlarmOptions(evaluation_periods=0)}},
        "alarm_options[ABORTED].evaluation_periods: must be at least 1",
    ),
    (
        "zero-datapoints",
        {"alarm_options": {ExecutionAlarm.ABORTED: AlarmOptions(datapoints_to_alarm=0)}},
        "alarm_options[ABORTED].datapoints_to_alarm: must be at least 1",
    ),
    (
        "datapoints-over-periods",
        {"alarm_options": {ExecutionAlarm.TIMED_OUT: AlarmOptions(evaluation_periods=2, datapoints_to_alarm=3)}},
        "alarm_options[TIMED_OUT].datapoints_to_alarm: cannot exceed evaluation_periods (2)",
    ),
    (
        "odd-period",
        {"alarm_options": {ExecutionAlarm.THROTTLED: AlarmOptions(period=cdk.Duration.seconds(45))}},
        "alarm_options[THROTTLED].period: CloudWatch alarm periods are 10 s, 30 s or a multiple of 60 s",
    ),
    ("unknown-alarm", {"alarm_options": {"Foo": AlarmOptions()}}, "alarm_options: unknown alarm 'Foo'"),
    (
        "alarm-options-not-options",
        {"alarm_options": {ExecutionAlarm.FAILED: {"threshold": 2}}},
        "alarm_options[FAILED]: must be an AlarmOptions",
    ),
    (
        "duration-threshold-in-options",
        {"alarm_options": {ExecutionAlarm.DURATION_P99: AlarmOptions(threshold=1000)}},
        "alarm_options[DURATION_P99].threshold: set the duration threshold with execution_time_threshold",
    ),
    (
        "threshold-not-below-timeout",
        {"execution_time_threshold": cdk.Duration.minutes(10)},
        "execution_time_threshold: must be shorter than timeout (600 s)",
    ),
    (
        "threshold-zero",
        {"execution_time_threshold": cdk.Duration.seconds(0)},
        "execution_time_threshold: must be a positive duration",
    ),
]


@pytest.mark.parametrize(("props", "message"), [(p, m) for _, p, m in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_props_fail_eagerly_naming_the_construct_path(props: dict[str, Any], message: str) -> None:
    with pytest.raises(ConstructPropsError) as raised:
        build(**props)
    assert str(raised.value).startswith(f"{MACHINE_PATH}: {message}")
    assert raised.value.path == MACHINE_PATH


def test_owner_context_must_be_a_string() -> None:
    with pytest.raises(ConstructPropsError, match="context value 'constructs-sfn:owner' must be a string"):
        build(omit=("owner",), context={"constructs-sfn:owner": 42})


def test_validation_happens_before_any_resource_is_created() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Test")
    from constructs_sfn.cdk import ObservableStateMachine

    with pytest.raises(ConstructPropsError):
        ObservableStateMachine(
            stack,
            "Machine",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.Pass(stack, "Start"),
            owner="",
        )
    machine = stack.node.find_child("Machine")
    assert machine.node.children == []


# --- pass-throughs ----------------------------------------------------------------------------


def test_attributes_pass_through(baseline: Built) -> None:
    machine = baseline.machine
    stack = baseline.stack
    [sm_id] = baseline.resources(SM)
    assert stack.resolve(machine.state_machine_arn) == {"Ref": sm_id}
    assert stack.resolve(machine.state_machine_name) == {"Fn::GetAtt": [sm_id, "Name"]}
    assert machine.state_machine_type == sfn.StateMachineType.STANDARD
    assert machine.role is machine.state_machine.role
    assert machine.log_group is not None
    assert machine.alarm_topic is not None
    assert set(machine.alarms) == set(ExecutionAlarm)
    assert machine.alarms["ExecutionsFailed"] is machine.alarms[ExecutionAlarm.FAILED]
    assert machine.dashboard is not None
    assert machine.owner == "team-orders"
    assert stack.resolve(machine.grant_principal.role_arn) == stack.resolve(machine.role.role_arn)


GRANTS: list[tuple[str, Callable[..., Any], set[str]]] = [
    ("grant_start_execution", lambda m, g: m.grant_start_execution(g), {"states:StartExecution"}),
    ("grant_start_sync_execution", lambda m, g: m.grant_start_sync_execution(g), {"states:StartSyncExecution"}),
    (
        "grant_task_response",
        lambda m, g: m.grant_task_response(g),
        {"states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"},
    ),
    ("grant_read", lambda m, g: m.grant_read(g), {"states:ListExecutions", "states:DescribeStateMachine"}),
    ("grant_execution", lambda m, g: m.grant_execution(g, "states:StopExecution"), {"states:StopExecution"}),
    ("grant_redrive_execution", lambda m, g: m.grant_redrive_execution(g), {"states:RedriveExecution"}),
    ("grant", lambda m, g: m.grant(g, "states:TagResource"), {"states:TagResource"}),
]


@pytest.mark.parametrize(("grant", "expected"), [(g, e) for _, g, e in GRANTS], ids=[c[0] for c in GRANTS])
def test_grants_pass_through(grant: Callable[..., Any], expected: set[str]) -> None:
    built = build()
    caller = iam.Role(built.stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    grant(built.machine, caller)
    actions = policy_actions(built, "CallerDefaultPolicy")
    assert expected <= actions


METRICS = [
    ("metric_failed", "ExecutionsFailed"),
    ("metric_throttled", "ExecutionThrottled"),
    ("metric_aborted", "ExecutionsAborted"),
    ("metric_succeeded", "ExecutionsSucceeded"),
    ("metric_timed_out", "ExecutionsTimedOut"),
    ("metric_started", "ExecutionsStarted"),
    ("metric_time", "ExecutionTime"),
]


@pytest.mark.parametrize(("method", "metric_name"), METRICS)
def test_metrics_pass_through(baseline: Built, method: str, metric_name: str) -> None:
    metric = getattr(baseline.machine, method)(period=cdk.Duration.minutes(1))
    assert metric.metric_name == metric_name
    assert metric.namespace == "AWS/States"
    assert metric.period.to_seconds() == 60
    assert baseline.stack.resolve(metric.dimensions["StateMachineArn"]) == baseline.stack.resolve(
        baseline.machine.state_machine_arn
    )


def test_generic_metric_passes_through(baseline: Built) -> None:
    metric = baseline.machine.metric("ExecutionsRedriven", statistic="Sum")
    assert (metric.metric_name, metric.statistic) == ("ExecutionsRedriven", "Sum")
