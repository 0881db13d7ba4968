"""SagaWorkflow at the template level: defaults, every prop's effect on the output, bad props, oracles.

Two stacks are synthesized once each: ``baseline`` (only the required props) and ``custom``
(every optional prop changed); each prop has its own test comparing the two. A few props that
exclude each other get a synthesis of their own. Bad props fail in the constructor, before any
synthesis.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks

from cdk.compliance import acknowledgements, cfn_lint_errors, nag_violations, untagged_resources
from constructs_sfn.cdk import AlarmOptions, ConstructPropsError, ExecutionAlarm, StateMachineLogging, Tracing
from constructs_sfn.cdk.saga import (
    COMPENSATED_ERROR,
    COMPENSATION_FAILED_ERROR,
    SagaWorkflow,
)
from constructs_sfn.cdk.saga_steps import (
    SagaAction,
    SagaRetry,
    SagaStep,
    compensation_idempotency_key,
    idempotency_key,
)
from constructs_sfn.testing import SynthesizedApp

pytestmark = pytest.mark.synth

SM = "AWS::StepFunctions::StateMachine"
ALARM = "AWS::CloudWatch::Alarm"
QUEUE = "AWS::SQS::Queue"


def function(stack: cdk.Stack, name: str) -> lambda_.Function:
    """A small inline Python function."""
    return lambda_.Function(
        stack,
        name,
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
    )


def lambda_steps(stack: cdk.Stack) -> list[SagaStep]:
    """Reserve (compensated), Charge (compensated), Ship: all Lambda functions."""
    return [
        SagaStep(
            "Reserve",
            action=SagaAction.lambda_function(function(stack, "ReserveFn")),
            compensation=SagaAction.lambda_function(function(stack, "ReleaseFn")),
        ),
        SagaStep(
            "Charge",
            action=SagaAction.lambda_function(function(stack, "ChargeFn")),
            compensation=SagaAction.lambda_function(function(stack, "RefundFn")),
        ),
        SagaStep("Ship", action=SagaAction.lambda_function(function(stack, "ShipFn"))),
    ]


class Synth:
    """One stack holding one SagaWorkflow, synthesized once."""

    def __init__(self, stack: cdk.Stack, saga: SagaWorkflow, extra: dict[str, Any]) -> None:
        self.stack = stack
        self.saga = saga
        self.extra = extra
        app = SynthesizedApp.from_stack(stack)
        self.template: dict[str, Any] = app.stacks[0].template
        self.definition: dict[str, Any] = app.state_machine(saga.state_machine).definition

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Resources of ``resource_type`` by logical id."""
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == resource_type}

    def props(self, resource_type: str) -> dict[str, Any]:
        """Properties of the single resource of ``resource_type``."""
        found = list(self.resources(resource_type).values())
        assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
        props: dict[str, Any] = found[0].get("Properties", {})
        return props

    def logical_id(self, construct: Any) -> str:
        """The logical id of ``construct``'s default resource."""
        child = construct.node.default_child
        return str(self.stack.resolve(self.stack.get_logical_id(child)))

    def state(self, name: str) -> dict[str, Any]:
        """One state of the definition."""
        states: dict[str, Any] = self.definition["States"]
        return states[name]

    def alarms(self) -> dict[str, dict[str, Any]]:
        """Alarm properties by metric name."""
        return {r["Properties"]["MetricName"]: r["Properties"] for r in self.resources(ALARM).values()}

    def policy_statements(self) -> list[dict[str, Any]]:
        """Every statement of the execution role's default policy."""
        statements: list[dict[str, Any]] = []
        for logical_id, policy in self.resources("AWS::IAM::Policy").items():
            if "RoleDefaultPolicy" in logical_id:
                statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
        return statements


Build = Callable[..., Synth]


def build(*, steps: Callable[[cdk.Stack], list[SagaStep]] = lambda_steps, **props: Any) -> Synth:
    """Build ``Test/Saga``; a callable prop is called with ``(stack, extra)`` to create resources."""
    app = cdk.App()
    stack = cdk.Stack(app, "Test")
    extra: dict[str, Any] = {}
    resolved = {k: (v(stack, extra) if callable(v) else v) for k, v in props.items()}
    saga = SagaWorkflow(stack, "Saga", steps=steps(stack), **{"owner": "team-orders", **resolved})
    return Synth(stack, saga, extra)


def construct(stack: cdk.Stack, steps: list[SagaStep] | None = None, **props: Any) -> SagaWorkflow:
    """The construct only (for props that fail before synthesis)."""
    return SagaWorkflow(stack, "Saga", steps=steps or lambda_steps(stack), **{"owner": "team-orders", **props})


@pytest.fixture
def stack() -> cdk.Stack:
    """A fresh stack for constructor-only tests."""
    return cdk.Stack(cdk.App(), "Test")


@pytest.fixture(scope="module")
def baseline() -> Synth:
    """Only the required props (and owner)."""
    return build()


def _topic(stack: cdk.Stack, extra: dict[str, Any]) -> sns.Topic:
    extra["topic"] = sns.Topic(stack, "OpsTopic", enforce_ssl=True)
    return extra["topic"]


def _role(stack: cdk.Stack, extra: dict[str, Any]) -> iam.Role:
    extra["role"] = iam.Role(stack, "OwnRole", assumed_by=iam.ServicePrincipal("states.amazonaws.com"))
    return extra["role"]


def _key(stack: cdk.Stack, extra: dict[str, Any]) -> kms.Key:
    extra["key"] = kms.Key(stack, "LogKey", enable_key_rotation=True)
    return extra["key"]


@pytest.fixture(scope="module")
def custom() -> Synth:
    """Every optional prop changed."""
    return build(
        state_machine_type=sfn.StateMachineType.STANDARD,
        owner="team-payments",
        state_machine_name="order-saga",
        comment="Orders, with compensations",
        timeout=cdk.Duration.minutes(20),
        role=_role,
        logging=StateMachineLogging.errors_only(reason="Payloads carry card data; errors are enough"),
        log_retention=logs.RetentionDays.ONE_YEAR,
        log_group_name="/aws/vendedlogs/states/order-saga-custom",
        log_encryption_key=_key,
        log_removal_policy=cdk.RemovalPolicy.DESTROY,
        tracing=Tracing.disabled(reason="Tracing is done by the payment provider's own tooling"),
        alarm_topic=_topic,
        alarm_options={ExecutionAlarm.FAILED: AlarmOptions(threshold=5)},
        execution_time_threshold=cdk.Duration.minutes(7),
        create_dashboard=False,
        dead_letter_retention=cdk.Duration.days(4),
        dead_letter_alarm=AlarmOptions(threshold=3, period=cdk.Duration.minutes(5), evaluation_periods=2),
        dead_letter_retry=SagaRetry(max_attempts=7, interval=cdk.Duration.seconds(3)),
    )


# --- defaults: shape, resources, IAM, alarms -----------------------------------------------


def test_default_definition_has_the_documented_shape(baseline: Synth) -> None:
    assert baseline.definition["StartAt"] == "Start"
    assert set(baseline.definition["States"]) == {
        "Start",
        "Reserve",
        "ReserveFailed",
        "Charge",
        "ChargeFailed",
        "Ship",
        "ShipFailed",
        "CompensateReserve",
        "CompensateReserveFailed",
        "CompensateCharge",
        "CompensateChargeFailed",
        "RecordCompensationFailure",
        "Succeeded",
        "Compensated",
        "CompensationFailed",
        "DeadLetterNotRecorded",
    }
    assert baseline.state("Start")["Parameters"] == {"input.$": "$", "results": {}, "compensations": {}}
    assert [baseline.state(s)["Next"] for s in ("Start", "Reserve", "Charge", "Ship")] == [
        "Reserve",
        "Charge",
        "Ship",
        "Succeeded",
    ]
    assert baseline.state("ShipFailed")["Next"] == "CompensateCharge"
    assert baseline.state("CompensateCharge")["Next"] == "CompensateReserve"
    assert baseline.state("ChargeFailed")["Next"] == "CompensateReserve"
    assert baseline.state("CompensateReserve")["Next"] == "Compensated"
    assert baseline.state("ReserveFailed")["Next"] == "Compensated"
    assert baseline.state("Compensated")["Error"] == COMPENSATED_ERROR == "Saga.Compensated"
    assert baseline.state("CompensationFailed")["Error"] == COMPENSATION_FAILED_ERROR == "Saga.CompensationFailed"
    assert baseline.state("DeadLetterNotRecorded")["Error"] == COMPENSATION_FAILED_ERROR


def test_default_action_retry_is_jittered_and_bounded_and_failures_are_caught_into_error(baseline: Synth) -> None:
    reserve = baseline.state("Reserve")
    assert reserve["Retry"] == [
        {
            "ErrorEquals": ["States.ALL"],
            "IntervalSeconds": 1,
            "MaxAttempts": 3,
            "BackoffRate": 2,
            "MaxDelaySeconds": 20,
            "JitterStrategy": "FULL",
        }
    ]
    assert reserve["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "ReserveFailed"}]
    assert reserve["TimeoutSeconds"] == 300
    assert reserve["ResultPath"] == "$.results.Reserve"
    assert reserve["Parameters"]["idempotencyKey.$"] == "States.Format('{}:Reserve', $$.Execution.Name)"
    assert baseline.state("ReserveFailed") == {
        "Type": "Pass",
        "Result": "Reserve",
        "ResultPath": "$.failedStep",
        "Next": "Compensated",
    }


def test_default_compensation_retry_tries_harder_and_hands_over_input_error_and_key(baseline: Synth) -> None:
    compensation = baseline.state("CompensateReserve")
    [retry] = compensation["Retry"]
    assert retry == {
        "ErrorEquals": ["States.ALL"],
        "IntervalSeconds": 2,
        "MaxAttempts": 8,
        "BackoffRate": 2,
        "MaxDelaySeconds": 60,
        "JitterStrategy": "FULL",
    }
    assert compensation["Catch"] == [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.compensationError", "Next": "CompensateReserveFailed"}
    ]
    assert compensation["ResultPath"] == "$.compensations.Reserve"
    assert compensation["Parameters"] == {
        "input.$": "$.input",
        "results.$": "$.results",
        "error.$": "$.error",
        "failedStep.$": "$.failedStep",
        "step": "Reserve",
        "idempotencyKey.$": "States.Format('{}:Reserve:compensation', $$.Execution.Name)",
        "actionIdempotencyKey.$": "States.Format('{}:Reserve', $$.Execution.Name)",
    }


def test_default_dead_letter_queue_is_encrypted_tls_only_and_keeps_records_14_days(baseline: Synth) -> None:
    queue = baseline.props(QUEUE)
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600
    [policy] = baseline.resources("AWS::SQS::QueuePolicy").values()
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    record = baseline.state("RecordCompensationFailure")
    assert record["Resource"] == "arn:aws:states:::sqs:sendMessage"
    assert record["Parameters"]["QueueUrl"].endswith("<Test/Saga/DeadLetterQueue>")
    assert set(record["Parameters"]["MessageBody"]) == {
        "executionName.$",
        "executionArn.$",
        "stateMachineArn.$",
        "failedStep.$",
        "stepError.$",
        "failedCompensation.$",
        "compensationError.$",
        "input.$",
        "results.$",
        "compensations.$",
    }
    assert "MessageGroupId.$" not in record["Parameters"]


def test_default_dead_letter_alarm_goes_to_the_machine_alarm_topic(baseline: Synth) -> None:
    alarm = baseline.alarms()["ApproximateNumberOfMessagesVisible"]
    assert alarm["Threshold"] == 1
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["Statistic"] == "Maximum"
    assert alarm["Period"] == 60
    assert alarm["EvaluationPeriods"] == 1
    assert alarm["TreatMissingData"] == "notBreaching"
    topic_ref = {"Ref": baseline.logical_id(baseline.saga.alarm_topic)}
    assert alarm["AlarmActions"] == [topic_ref]
    assert alarm["OKActions"] == [topic_ref]
    assert baseline.saga.alarm_topic is baseline.saga.machine.alarm_topic
    assert alarm["Dimensions"] == [
        {
            "Name": "QueueName",
            "Value": {"Fn::GetAtt": [baseline.logical_id(baseline.saga.dead_letter_queue), "QueueName"]},
        }
    ]
    # The machine's own execution alarms are there too.
    assert {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled", "ExecutionsAborted"} <= set(
        baseline.alarms()
    )


def test_default_role_may_invoke_only_the_saga_functions_and_send_only_to_the_queue(baseline: Synth) -> None:
    invoked: set[str] = set()
    sent: list[Any] = []
    for statement in baseline.policy_statements():
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        assert "*" not in resources
        if "lambda:InvokeFunction" in actions:
            for resource in resources:
                target = (
                    resource["Fn::GetAtt"][0]
                    if "Fn::GetAtt" in resource
                    else resource["Fn::Join"][1][0]["Fn::GetAtt"][0]
                )
                invoked.add(target)
        if "sqs:SendMessage" in actions:
            sent.extend(resources)
    expected = {baseline.logical_id(f) for f in baseline.saga.definition.lambda_functions}
    assert invoked == expected
    assert len(expected) == 5
    assert sent == [{"Fn::GetAtt": [baseline.logical_id(baseline.saga.dead_letter_queue), "Arn"]}]


def test_default_props_leave_no_cdk_nag_error_and_no_cfn_lint_error(baseline: Synth) -> None:
    assert [v for v in nag_violations(baseline.saga) if v[1] == "error"] == []
    assert cfn_lint_errors(baseline.template) == []


def test_every_acknowledgement_has_a_reason(baseline: Synth) -> None:
    found = acknowledgements(baseline.saga)
    queue_path = baseline.saga.dead_letter_queue.node.path
    assert any(rule.endswith("AwsSolutions-SQS3") for rule in found[queue_path])
    role_rules = found[baseline.saga.role.node.path]
    assert len([rule for rule in role_rules if "AwsSolutions-IAM5[Resource::<" in rule]) == 5
    for rules in found.values():
        for reason in rules.values():
            assert len(reason) > 40


def test_attributes_expose_the_machine_and_its_resources(baseline: Synth) -> None:
    saga = baseline.saga
    assert saga.state_machine is saga.machine.state_machine
    assert saga.role is saga.machine.role
    assert saga.log_group is saga.machine.log_group
    assert saga.alarms == saga.machine.alarms
    assert saga.dead_letter_alarm is not None
    assert saga.state_machine_arn == saga.machine.state_machine_arn
    assert baseline.props(SM)["StateMachineType"] == "STANDARD"


def test_owner_is_tagged_on_every_resource_of_the_saga(baseline: Synth, custom: Synth) -> None:
    assert untagged_resources(baseline.template, "Owner", "team-orders", logical_prefix="Saga") == []
    assert untagged_resources(custom.template, "Owner", "team-payments", logical_prefix="Saga") == []


def test_grants_reach_the_machine_and_the_dead_letter_queue(stack: cdk.Stack) -> None:
    saga = construct(stack)
    user = iam.User(stack, "Operator")
    saga.grant_start_execution(user)
    saga.grant_read(user)
    saga.grant_consume_dead_letters(user)
    template = SynthesizedApp.from_stack(stack).stacks[0].template
    statements = [
        s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy" and "Operator" in json.dumps(r["Properties"].get("Users", []))
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    ]
    actions = {a for s in statements for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
    assert {"states:StartExecution", "states:DescribeExecution", "sqs:ReceiveMessage", "sqs:DeleteMessage"} <= actions


# --- every prop changes the output ----------------------------------------------------------


def test_prop_state_machine_name(baseline: Synth, custom: Synth) -> None:
    assert "StateMachineName" not in baseline.props(SM)
    assert custom.props(SM)["StateMachineName"] == "order-saga"


def test_prop_comment(baseline: Synth, custom: Synth) -> None:
    assert "Comment" not in baseline.definition
    assert custom.definition["Comment"] == "Orders, with compensations"


def test_prop_timeout(baseline: Synth, custom: Synth) -> None:
    assert "TimeoutSeconds" not in baseline.definition
    assert custom.definition["TimeoutSeconds"] == 1200


def test_prop_role(baseline: Synth, custom: Synth) -> None:
    assert custom.props(SM)["RoleArn"] == {"Fn::GetAtt": [custom.logical_id(custom.extra["role"]), "Arn"]}
    assert custom.saga.role is custom.extra["role"]
    assert baseline.props(SM)["RoleArn"]["Fn::GetAtt"][0].startswith("SagaMachineRole")


def test_prop_logging(baseline: Synth, custom: Synth) -> None:
    assert baseline.props(SM)["LoggingConfiguration"]["Level"] == "ALL"
    assert custom.props(SM)["LoggingConfiguration"]["Level"] == "ERROR"


def test_prop_log_retention(baseline: Synth, custom: Synth) -> None:
    assert baseline.props("AWS::Logs::LogGroup")["RetentionInDays"] == 90
    assert custom.props("AWS::Logs::LogGroup")["RetentionInDays"] == 365


def test_prop_log_group_name(baseline: Synth, custom: Synth) -> None:
    assert baseline.props("AWS::Logs::LogGroup")["LogGroupName"].startswith("/aws/vendedlogs/states/Test-Saga")
    assert custom.props("AWS::Logs::LogGroup")["LogGroupName"] == "/aws/vendedlogs/states/order-saga-custom"


def test_prop_log_encryption_key(baseline: Synth, custom: Synth) -> None:
    assert "KmsKeyId" not in baseline.props("AWS::Logs::LogGroup")
    key_id = custom.logical_id(custom.extra["key"])
    assert custom.props("AWS::Logs::LogGroup")["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}


def test_prop_log_removal_policy(baseline: Synth, custom: Synth) -> None:
    [base_group] = baseline.resources("AWS::Logs::LogGroup").values()
    [custom_group] = custom.resources("AWS::Logs::LogGroup").values()
    assert base_group["DeletionPolicy"] == "Retain"
    assert custom_group["DeletionPolicy"] == "Delete"


def test_prop_tracing(baseline: Synth, custom: Synth) -> None:
    assert baseline.props(SM)["TracingConfiguration"] == {"Enabled": True}
    assert custom.props(SM)["TracingConfiguration"] == {"Enabled": False}


def test_prop_alarm_topic_receives_the_dead_letter_alarm_too(baseline: Synth, custom: Synth) -> None:
    topic_ref = {"Ref": custom.logical_id(custom.extra["topic"])}
    assert custom.alarms()["ApproximateNumberOfMessagesVisible"]["AlarmActions"] == [topic_ref]
    assert custom.alarms()["ExecutionsFailed"]["AlarmActions"] == [topic_ref]
    assert custom.resources("AWS::SNS::Topic").keys() == {custom.logical_id(custom.extra["topic"])}
    assert len(baseline.resources("AWS::SNS::Topic")) == 1


def test_prop_alarm_options(baseline: Synth, custom: Synth) -> None:
    assert baseline.alarms()["ExecutionsFailed"]["Threshold"] == 1
    assert custom.alarms()["ExecutionsFailed"]["Threshold"] == 5


def test_prop_execution_time_threshold(baseline: Synth, custom: Synth) -> None:
    assert "ExecutionTime" not in baseline.alarms()  # no timeout: no bound for the duration alarm
    assert custom.alarms()["ExecutionTime"]["Threshold"] == 7 * 60 * 1000


def test_prop_create_dashboard(baseline: Synth, custom: Synth) -> None:
    [dashboard] = baseline.resources("AWS::CloudWatch::Dashboard").values()
    assert "Failed compensations waiting in the dead-letter queue" in json.dumps(dashboard)
    assert custom.resources("AWS::CloudWatch::Dashboard") == {}
    assert custom.saga.machine.dashboard is None


def test_prop_dead_letter_retention(baseline: Synth, custom: Synth) -> None:
    assert baseline.props(QUEUE)["MessageRetentionPeriod"] == 1209600
    assert custom.props(QUEUE)["MessageRetentionPeriod"] == 4 * 24 * 3600


def test_prop_dead_letter_alarm(baseline: Synth, custom: Synth) -> None:
    base = baseline.alarms()["ApproximateNumberOfMessagesVisible"]
    tuned = custom.alarms()["ApproximateNumberOfMessagesVisible"]
    assert (base["Threshold"], base["Period"], base["EvaluationPeriods"]) == (1, 60, 1)
    assert (tuned["Threshold"], tuned["Period"], tuned["EvaluationPeriods"]) == (3, 300, 2)


def test_prop_dead_letter_retry(baseline: Synth, custom: Synth) -> None:
    [base] = baseline.state("RecordCompensationFailure")["Retry"]
    [tuned] = custom.state("RecordCompensationFailure")["Retry"]
    assert (base["MaxAttempts"], base["IntervalSeconds"]) == (5, 1)
    assert (tuned["MaxAttempts"], tuned["IntervalSeconds"]) == (7, 3)


def test_prop_state_machine_type_standard_is_the_default(baseline: Synth, custom: Synth) -> None:
    assert baseline.props(SM)["StateMachineType"] == custom.props(SM)["StateMachineType"] == "STANDARD"


def test_prop_dead_letter_alarm_disabled_and_alarms_disabled() -> None:
    quiet = build(dead_letter_alarm=AlarmOptions(enabled=False))
    assert "ApproximateNumberOfMessagesVisible" not in quiet.alarms()
    assert "ExecutionsFailed" in quiet.alarms()
    assert quiet.saga.dead_letter_alarm is None
    silent = build(alarms_enabled=False)
    assert silent.alarms() == {}
    assert silent.saga.alarm_topic is None
    assert silent.resources("AWS::SNS::Topic") == {}


def test_prop_dead_letter_queue_given_is_used_and_none_is_created() -> None:
    def fifo(stack: cdk.Stack, extra: dict[str, Any]) -> sqs.Queue:
        extra["queue"] = sqs.Queue(
            stack, "OpsDlq", fifo=True, enforce_ssl=True, encryption=sqs.QueueEncryption.KMS_MANAGED
        )
        return extra["queue"]

    given = build(dead_letter_queue=fifo)
    assert list(given.resources(QUEUE)) == [given.logical_id(given.extra["queue"])]
    assert given.saga.dead_letter_queue is given.extra["queue"]
    parameters = given.state("RecordCompensationFailure")["Parameters"]
    assert parameters["QueueUrl"].endswith("<Test/OpsDlq>")
    # A FIFO queue needs a group; the execution name also deduplicates a retried send.
    assert parameters["MessageGroupId.$"] == "$$.Execution.Name"
    assert parameters["MessageDeduplicationId.$"] == "$$.Execution.Name"
    alarm = given.alarms()["ApproximateNumberOfMessagesVisible"]
    assert alarm["Dimensions"][0]["Value"] == {"Fn::GetAtt": [given.logical_id(given.extra["queue"]), "QueueName"]}


def test_the_saga_creates_a_topic_when_the_machine_has_none_but_the_dead_letter_alarm_is_on() -> None:
    off = {kind: AlarmOptions(enabled=False) for kind in ExecutionAlarm}
    built = build(alarm_options=off)
    assert list(built.alarms()) == ["ApproximateNumberOfMessagesVisible"]
    assert built.saga.machine.alarm_topic is None
    assert built.saga.alarm_topic is not None
    assert built.saga.alarm_topic.node.path == "Test/Saga/AlarmTopic"


def _step_props_steps(stack: cdk.Stack) -> list[SagaStep]:
    table = dynamodb.TableV2(
        stack, "Orders", partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING)
    )
    own_task = tasks.CallAwsService(
        stack,
        "NotifyCarrier",
        service="sns",
        action="publish",
        parameters={"TopicArn": "arn:aws:sns:us-east-1:123456789012:carrier", "Message.$": "$.input.orderId"},
        iam_resources=["arn:aws:sns:us-east-1:123456789012:carrier"],
        result_path=sfn.JsonPath.DISCARD,
        task_timeout=sfn.Timeout.duration(cdk.Duration.seconds(42)),
    )
    return [
        SagaStep(
            "Record",
            action=SagaAction.aws_sdk(
                "dynamodb",
                "putItem",
                parameters={
                    "TableName": table.table_name,
                    "Item": {"pk": {"S.$": "$.input.orderId"}, "token": {"S": idempotency_key("Record")}},
                },
                iam_resources=[table.table_arn],
            ),
            compensation=SagaAction.aws_sdk(
                "dynamodb",
                "deleteItem",
                parameters={"TableName": table.table_name, "Key": {"pk": {"S.$": "$.input.orderId"}}},
                iam_resources=[table.table_arn],
                iam_action="dynamodb:DeleteItem",
            ),
            retry=SagaRetry(
                errors=("DynamoDb.InternalServerErrorException",),
                max_attempts=1,
                backoff_rate=3.0,
                max_delay=cdk.Duration.seconds(7),
                jitter=False,
            ),
            compensation_retry=SagaRetry.none(),
            timeout=cdk.Duration.seconds(11),
            compensation_timeout=cdk.Duration.seconds(13),
        ),
        SagaStep("Notify", action=SagaAction.task(own_task)),
        SagaStep("Audit", action=SagaAction.lambda_function(function(stack, "AuditFn"))),
    ]


@pytest.fixture(scope="module")
def step_props() -> Synth:
    """Steps with every SagaStep and SagaAction option set."""
    return build(steps=_step_props_steps)


def test_step_retry_timeout_and_their_compensation_counterparts(baseline: Synth, step_props: Synth) -> None:
    record = step_props.state("Record")
    assert record["Retry"] == [
        {
            "ErrorEquals": ["DynamoDb.InternalServerErrorException"],
            "IntervalSeconds": 1,
            "MaxAttempts": 1,
            "BackoffRate": 3,
            "MaxDelaySeconds": 7,
            "JitterStrategy": "NONE",
        }
    ]
    assert record["TimeoutSeconds"] == 11
    compensation = step_props.state("CompensateRecord")
    assert compensation["Retry"][0]["MaxAttempts"] == 0
    assert compensation["TimeoutSeconds"] == 13
    assert baseline.state("Reserve")["TimeoutSeconds"] == baseline.state("CompensateReserve")["TimeoutSeconds"] == 300


def test_sdk_actions_call_the_service_with_the_given_iam(step_props: Synth) -> None:
    record = step_props.state("Record")
    assert record["Resource"] == "arn:aws:states:::aws-sdk:dynamodb:putItem"
    assert record["Parameters"]["Item"]["token"] == {"S.$": "States.Format('{}:Record', $$.Execution.Name)"}
    assert step_props.state("CompensateRecord")["Resource"] == "arn:aws:states:::aws-sdk:dynamodb:deleteItem"
    table_arn = {"Fn::GetAtt": [next(iter(step_props.resources("AWS::DynamoDB::GlobalTable"))), "Arn"]}
    by_action = {s["Action"]: s["Resource"] for s in step_props.policy_statements() if isinstance(s["Action"], str)}
    assert by_action["dynamodb:putItem"] == table_arn
    assert by_action["dynamodb:DeleteItem"] == table_arn


def test_a_task_you_build_keeps_its_own_settings_and_gets_the_saga_routing(step_props: Synth) -> None:
    notify = step_props.state("NotifyCarrier")
    assert notify["TimeoutSeconds"] == 42
    assert notify["ResultPath"] is None
    assert notify["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "NotifyFailed"}]
    assert notify["Retry"][0]["MaxAttempts"] == 3
    assert step_props.state("Record")["Next"] == "NotifyCarrier"
    assert step_props.state("NotifyCarrier")["Next"] == "Audit"
    assert step_props.state("NotifyFailed")["Next"] == "CompensateRecord"


def test_a_step_without_compensation_is_skipped_in_the_chain(step_props: Synth) -> None:
    assert "CompensateNotify" not in step_props.definition["States"]
    assert step_props.state("AuditFailed")["Next"] == "CompensateRecord"


def test_idempotency_key_helpers_render_states_format(stack: cdk.Stack) -> None:
    assert stack.resolve(idempotency_key("Charge")) == "States.Format('{}:Charge', $$.Execution.Name)"
    assert (
        stack.resolve(compensation_idempotency_key("Charge"))
        == "States.Format('{}:Charge:compensation', $$.Execution.Name)"
    )


# --- bad props --------------------------------------------------------------------------------


def test_express_is_refused_with_the_reason(stack: cdk.Stack) -> None:
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, state_machine_type=sfn.StateMachineType.EXPRESS)
    assert caught.value.path == "Test/Saga"
    assert caught.value.prop == "state_machine_type"
    assert "must be STANDARD" in str(caught.value)
    assert "exactly once" in str(caught.value)


def _steps(*names: str, compensate: bool = True) -> Callable[[cdk.Stack], list[SagaStep]]:
    def make(stack: cdk.Stack) -> list[SagaStep]:
        return [
            SagaStep(
                name,
                action=SagaAction.lambda_function(function(stack, f"F{index}")),
                compensation=SagaAction.lambda_function(function(stack, f"U{index}"))
                if compensate and index < len(names) - 1
                else None,
            )
            for index, name in enumerate(names)
        ]

    return make


@pytest.mark.parametrize(
    ("make_steps", "prop", "message"),
    [
        (_steps("Only"), "steps", "at least two steps"),
        (_steps("Pay", "Pay"), "steps[1].name", "names two steps"),
        (_steps("Pay", "bad name"), "steps[1].name", "letters, digits, _ and -"),
        (_steps("Pay", "9lives"), "steps[1].name", "must start with a letter"),
        (_steps("Pay", "Ship", compensate=False), "steps", "no step has a compensation"),
    ],
)
def test_bad_steps_are_refused(
    stack: cdk.Stack, make_steps: Callable[[cdk.Stack], list[SagaStep]], prop: str, message: str
) -> None:
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, steps=make_steps(stack))
    assert caught.value.prop == prop
    assert message in str(caught.value)


def test_an_empty_step_list_is_refused(stack: cdk.Stack) -> None:
    with pytest.raises(ConstructPropsError, match="at least two steps"):
        SagaWorkflow(stack, "Saga", steps=[], owner="team")


def test_a_compensation_on_the_last_step_is_refused(stack: cdk.Stack) -> None:
    steps = lambda_steps(stack)
    steps[-1] = SagaStep(
        "Ship",
        action=steps[-1].action,
        compensation=SagaAction.lambda_function(function(stack, "UnshipFn")),
    )
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, steps)
    assert caught.value.prop == "steps[2].compensation"
    assert "would never run" in str(caught.value)


@pytest.mark.parametrize(
    ("retry", "field", "message"),
    [
        (SagaRetry(errors=()), "errors", "non-empty tuple"),
        (SagaRetry(errors=("States.ALL", "Payments.Declined")), "errors", "States.ALL must appear alone"),
        (SagaRetry(errors=("",)), "errors", "non-empty strings"),
        (SagaRetry(max_attempts=-1), "max_attempts", "whole number >= 0"),
        (SagaRetry(backoff_rate=0.5), "backoff_rate", "at least 1"),
        (SagaRetry(interval=cdk.Duration.seconds(0)), "interval", "positive duration"),
    ],
)
def test_bad_retry_policies_are_refused(stack: cdk.Stack, retry: SagaRetry, field: str, message: str) -> None:
    steps = lambda_steps(stack)
    steps[1] = SagaStep("Charge", action=steps[1].action, compensation=steps[1].compensation, retry=retry)
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, steps)
    assert caught.value.prop == f"steps[1].retry.{field}"
    assert message in str(caught.value)


def test_an_action_that_is_not_a_saga_action_is_refused(stack: cdk.Stack) -> None:
    fn = function(stack, "Plain")
    steps = lambda_steps(stack)
    steps[0] = SagaStep("Reserve", action=fn, compensation=steps[0].compensation)  # type: ignore[arg-type]
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, steps)
    assert caught.value.prop == "steps[0].action"
    assert "must be a SagaAction" in str(caught.value)


def test_compensation_options_without_a_compensation_are_refused(stack: cdk.Stack) -> None:
    steps = lambda_steps(stack)
    steps.insert(
        2,
        SagaStep(
            "Audit", action=SagaAction.lambda_function(function(stack, "AuditFn")), compensation_retry=SagaRetry()
        ),
    )
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, steps)
    assert caught.value.prop == "steps[2].compensation_retry"


def test_bad_actions_are_refused(stack: cdk.Stack) -> None:
    replaces_state = tasks.CallAwsService(
        stack, "Own", service="sns", action="publish", parameters={}, iam_resources=["arn:aws:sns:us-east-1:1:t"]
    )
    catches = tasks.CallAwsService(
        stack,
        "Own2",
        service="sns",
        action="publish",
        parameters={},
        iam_resources=["arn:aws:sns:us-east-1:1:t"],
        result_path=sfn.JsonPath.DISCARD,
    )
    catches.add_catch(sfn.Pass(stack, "Elsewhere"))
    discards = tasks.CallAwsService(
        stack,
        "Own3",
        service="sns",
        action="publish",
        parameters={},
        iam_resources=["arn:aws:sns:us-east-1:1:t"],
        result_path=sfn.JsonPath.DISCARD,
    )
    cases: list[tuple[SagaAction, cdk.Duration | None, str, str]] = [
        (SagaAction.task(replaces_state), None, "steps[0].action", "would replace the saga state"),
        (SagaAction.task(catches), None, "steps[0].action", "has its own Catch"),
        (SagaAction.task(discards), cdk.Duration.seconds(5), "steps[0].timeout", "set task_timeout on that Task"),
        (
            SagaAction.aws_sdk("s3", "putObject", parameters={}, iam_resources=[]),
            None,
            "steps[0].action.iam_resources",
            "least privilege",
        ),
        (SagaAction.aws_sdk("s3", "", parameters={}, iam_resources=["*"]), None, "steps[0].action.action", "non-empty"),
        (SagaAction.lambda_function("arn:aws:lambda:us-east-1:1:function:f"), None, "steps[0].action", "IFunction"),  # type: ignore[arg-type]
    ]
    for index, (action, timeout, prop, message) in enumerate(cases):
        steps = lambda_steps(cdk.Stack(cdk.App(), f"S{index}"))
        steps[0] = SagaStep("Reserve", action=action, compensation=steps[0].compensation, timeout=timeout)
        with pytest.raises(ConstructPropsError) as caught:
            SagaWorkflow(stack, f"Saga{index}", steps=steps, owner="team")
        assert caught.value.prop == prop, action
        assert message in str(caught.value)


@pytest.mark.parametrize(
    ("props", "prop", "message"),
    [
        ({"dead_letter_retention": cdk.Duration.days(15)}, "dead_letter_retention", "1 minute to 14 days"),
        ({"dead_letter_retention": cdk.Duration.seconds(30)}, "dead_letter_retention", "1 minute to 14 days"),
        ({"alarms_enabled": False, "dead_letter_alarm": AlarmOptions()}, "dead_letter_alarm", "has no effect"),
        ({"dead_letter_alarm": AlarmOptions(threshold=0)}, "dead_letter_alarm.threshold", "at least 1"),
        (
            {"dead_letter_alarm": AlarmOptions(period=cdk.Duration.seconds(45))},
            "dead_letter_alarm.period",
            "10 s, 30 s",
        ),
        (
            {"dead_letter_alarm": AlarmOptions(evaluation_periods=1, datapoints_to_alarm=2)},
            "dead_letter_alarm.datapoints_to_alarm",
            "cannot exceed",
        ),
        ({"dead_letter_retry": SagaRetry(max_attempts=-2)}, "dead_letter_retry.max_attempts", ">= 0"),
        ({"dead_letter_alarm": "on"}, "dead_letter_alarm", "must be an AlarmOptions"),
        ({"state_machine_type": "STANDARD"}, "state_machine_type", "StateMachineType.STANDARD"),
    ],
)
def test_bad_saga_props_are_refused(stack: cdk.Stack, props: dict[str, Any], prop: str, message: str) -> None:
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, **props)
    assert caught.value.prop == prop
    assert message in str(caught.value)


def test_retention_with_a_given_queue_is_refused(stack: cdk.Stack) -> None:
    queue = sqs.Queue(stack, "Given")
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, dead_letter_queue=queue, dead_letter_retention=cdk.Duration.days(1))
    assert caught.value.prop == "dead_letter_retention"


def test_props_of_the_machine_are_still_checked_by_it(stack: cdk.Stack) -> None:
    with pytest.raises(ConstructPropsError) as caught:
        construct(stack, log_group_name="/custom/saga")
    assert caught.value.path == "Test/Saga/Machine"
    assert caught.value.prop == "log_group_name"
