"""ApprovalWorkflow's synthesized template: defaults, least privilege, every prop's effect, validation."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Annotations, Match, Template

from constructs_sfn.cdk import AlarmOptions, ConstructPropsError, ExecutionAlarm, StateMachineLogging, Tracing
from constructs_sfn.cdk.approval import TIMED_OUT_ERROR, ApprovalWorkflow
from constructs_sfn.cdk.approval_callback import ASSET_DIRECTORY
from constructs_sfn.cdk.approval_options import ApprovalNotification, CallbackAuthorization
from constructs_sfn.testing import SynthesizedApp

pytestmark = pytest.mark.synth

SM = "AWS::StepFunctions::StateMachine"
PATH = "Test/Approval"


class Built:
    """One stack with an ApprovalWorkflow (and a topic, a queue and a function to notify)."""

    def __init__(self, **props: Any) -> None:
        self.app = cdk.App()
        self.stack = cdk.Stack(self.app, "Test")
        self.topic = sns.Topic(self.stack, "Approvers", enforce_ssl=True)
        self.queue = sqs.Queue(self.stack, "Inbox", enforce_ssl=True)
        self.function = lambda_.Function.from_function_arn(
            self.stack, "Notifier", "arn:aws:lambda:us-east-1:123456789012:function:notify"
        )
        defaults: dict[str, Any] = {"notification": lambda b: ApprovalNotification.topic(b.topic), "owner": "finance"}
        resolved = {k: (v(self) if callable(v) else v) for k, v in {**defaults, **props}.items()}
        self.workflow = ApprovalWorkflow(self.stack, "Approval", **resolved)
        self._template: dict[str, Any] | None = None
        self._definition: dict[str, Any] | None = None

    @property
    def template(self) -> dict[str, Any]:
        if self._template is None:
            self._template = Template.from_stack(self.stack).to_json()
        return self._template

    @property
    def definition(self) -> dict[str, Any]:
        if self._definition is None:
            self._definition = SynthesizedApp.from_stack(self.stack).state_machine(f"{PATH}/Machine").definition
        return self._definition

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == resource_type}

    def props(self, resource_type: str) -> dict[str, Any]:
        [resource] = self.resources(resource_type).values()
        found: dict[str, Any] = resource.get("Properties", {})
        return found

    def logical_id(self, construct: Any) -> str:
        return self.stack.get_logical_id(construct.node.default_child)

    def statements(self, logical_prefix: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for logical_id, policy in self.resources("AWS::IAM::Policy").items():
            if logical_id.startswith(logical_prefix):
                found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
        return found


@pytest.fixture(scope="module")
def baseline() -> Built:
    return Built()


def states(built: Built) -> dict[str, Any]:
    found: dict[str, Any] = built.definition["States"]
    return found


# --- defaults ---------------------------------------------------------------------------------


def test_default_shape_one_round_for_the_whole_deadline(baseline: Built) -> None:
    definition = baseline.definition
    assert definition["StartAt"] == "RequestApproval"
    ask = definition["States"]["RequestApproval"]
    assert ask["Resource"] == "arn:aws:states:::sns:publish.waitForTaskToken"
    assert ask["TimeoutSeconds"] == 7 * 86400
    assert ask["Next"] == "Approved"
    assert ask["ResultPath"] == "$.approval"
    assert ask["Catch"] == [
        {"ErrorEquals": ["Approval.Rejected"], "ResultPath": "$.approval", "Next": "ReadRejection"},
        {"ErrorEquals": ["States.Timeout"], "ResultPath": None, "Next": "RecordTimeout"},
    ]
    assert ask["Parameters"]["Message"]["taskToken.$"] == "$$.Task.Token"
    assert definition["States"]["Approved"]["Type"] == "Succeed"
    assert definition["States"]["Rejected"]["Type"] == "Succeed"
    assert definition["States"]["TimedOut"] == {
        "Type": "Fail",
        "Error": TIMED_OUT_ERROR,
        "Cause": "Nobody decided before the approval deadline",
    }
    assert definition["TimeoutSeconds"] == 8 * 86400
    assert baseline.workflow.round_seconds == (7 * 86400,)


def test_notification_carries_the_callback_urls_of_the_api(baseline: Built) -> None:
    message = states(baseline)["RequestApproval"]["Parameters"]["Message"]
    api = f"{PATH}/Callback/Api"
    assert message["approveUrl"] == (
        f"https://<{api}>.execute-api.us-east-1.amazonaws.com/<{api}/DeploymentStage.v1>/approve"
    )
    assert message["rejectUrl"].endswith("/reject")
    assert message["request.$"] == "$"
    assert message["executionArn.$"] == "$$.Execution.Id"


def test_default_logging_keeps_execution_data_and_so_the_token_out_of_the_logs(baseline: Built) -> None:
    logging = baseline.props(SM)["LoggingConfiguration"]
    assert logging["Level"] == "ALL"
    assert logging["IncludeExecutionData"] is False
    Annotations.from_stack(baseline.stack).has_no_warning("*", Match.string_like_regexp("task token"))


def test_logging_with_execution_data_is_accepted_with_a_warning() -> None:
    built = Built(logging=StateMachineLogging.all())
    assert built.props(SM)["LoggingConfiguration"]["IncludeExecutionData"] is True
    warnings = Annotations.from_stack(built.stack).find_warning(f"/{PATH}", Match.string_like_regexp("task token"))
    assert len(warnings) == 1


def test_callback_role_may_only_answer_this_machine_and_write_its_table_and_logs(baseline: Built) -> None:
    table = baseline.logical_id(baseline.workflow.token_table)
    machine = baseline.logical_id(baseline.workflow.state_machine)
    log_group = baseline.logical_id(baseline.workflow.callback.function_log_group)
    statements = baseline.statements("ApprovalCallback")
    assert sorted((json.dumps(s["Action"]), json.dumps(s["Resource"])) for s in statements) == sorted(
        [
            (json.dumps(["states:SendTaskSuccess", "states:SendTaskFailure"]), json.dumps({"Ref": machine})),
            (json.dumps(["dynamodb:PutItem", "dynamodb:DeleteItem"]), json.dumps({"Fn::GetAtt": [table, "Arn"]})),
            (
                json.dumps(["logs:CreateLogStream", "logs:PutLogEvents"]),
                json.dumps({"Fn::GetAtt": [log_group, "Arn"]}),
            ),
        ]
    )
    roles = baseline.resources("AWS::IAM::Role")
    callback_role = roles[baseline.logical_id(baseline.workflow.callback.role)]["Properties"]
    assert "ManagedPolicyArns" not in callback_role
    assert callback_role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}


def test_state_machine_role_may_only_publish_to_the_notification_topic(baseline: Built) -> None:
    [statement] = baseline.statements("ApprovalMachineRoleDefaultPolicy")
    assert statement["Action"] == "sns:Publish"
    assert statement["Resource"] == {"Ref": baseline.logical_id(baseline.topic)}


def test_callback_function_ships_the_packaged_handler(baseline: Built) -> None:
    function = baseline.props("AWS::Lambda::Function")
    assert function["Handler"] == "handler.handler"
    assert function["Runtime"].startswith("python3.")
    table = baseline.logical_id(baseline.workflow.token_table)
    assert function["Environment"]["Variables"] == {
        "TOKEN_TABLE_NAME": {"Ref": table},
        "TOKEN_TTL_SECONDS": str(8 * 86400),
    }
    assert function["LoggingConfig"]["LogGroup"] == {
        "Ref": baseline.logical_id(baseline.workflow.callback.function_log_group)
    }


def test_the_asset_holds_the_handler_module_only(baseline: Built) -> None:
    assembly = baseline.app.synth()
    [function] = baseline.resources("AWS::Lambda::Function").values()
    asset_hash = function["Properties"]["Code"]["S3Key"].removesuffix(".zip")
    staged = Path(assembly.directory) / f"asset.{asset_hash}"
    files = sorted(p.name for p in staged.rglob("*") if p.is_file())
    assert files == ["handler.py"]
    assert (staged / "handler.py").read_text(encoding="utf-8") == (ASSET_DIRECTORY / "handler.py").read_text(
        encoding="utf-8"
    )


def test_the_handler_module_stands_alone_in_its_asset() -> None:
    # Deployed without the package: only the standard library and boto3 (imported lazily).
    tree = ast.parse((ASSET_DIRECTORY / "handler.py").read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert "constructs_sfn" not in imported
    top_level = {
        (node.module if isinstance(node, ast.ImportFrom) else node.names[0].name).split(".")[0]
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    assert "boto3" not in top_level


def test_token_table_is_keyed_by_hash_with_ttl_and_point_in_time_recovery(baseline: Built) -> None:
    table = baseline.props("AWS::DynamoDB::Table")
    assert table["KeySchema"] == [{"AttributeName": "tokenHash", "KeyType": "HASH"}]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["BillingMode"] == "PAY_PER_REQUEST"


def test_api_methods_are_iam_authorized_validated_and_logged_without_bodies(baseline: Built) -> None:
    methods = baseline.resources("AWS::ApiGateway::Method")
    assert len(methods) == 2
    for method in methods.values():
        props = method["Properties"]
        assert props["HttpMethod"] == "POST"
        assert props["AuthorizationType"] == "AWS_IAM"
        assert props["Integration"]["Type"] == "AWS_PROXY"
        assert "RequestValidatorId" in props
    paths = {r["Properties"]["PathPart"] for r in baseline.resources("AWS::ApiGateway::Resource").values()}
    assert paths == {"approve", "reject"}
    assert baseline.props("AWS::ApiGateway::RequestValidator")["ValidateRequestBody"] is True
    schema = baseline.props("AWS::ApiGateway::Model")["Schema"]
    assert schema["required"] == ["taskToken"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"taskToken", "comment"}
    stage = baseline.props("AWS::ApiGateway::Stage")
    assert stage["StageName"] == "v1"
    assert "$context.identity.caller" in stage["AccessLogSetting"]["Format"]
    assert "body" not in stage["AccessLogSetting"]["Format"].lower()
    [settings] = stage["MethodSettings"]
    assert settings["LoggingLevel"] == "ERROR"
    assert settings["DataTraceEnabled"] is False
    assert (settings["ThrottlingRateLimit"], settings["ThrottlingBurstLimit"]) == (10, 20)
    assert baseline.resources("AWS::ApiGateway::Account") == {}


def test_attributes(baseline: Built) -> None:
    workflow = baseline.workflow
    assert workflow.state_machine is workflow.machine.state_machine
    assert workflow.role is workflow.machine.role
    assert workflow.log_group is workflow.machine.log_group
    assert workflow.alarm_topic is workflow.machine.alarm_topic
    assert set(workflow.alarms) == set(workflow.machine.alarms)
    assert workflow.api is workflow.callback.api
    assert workflow.callback_function is workflow.callback.function
    assert workflow.token_table is workflow.callback.table
    assert workflow.deadline_seconds == 7 * 86400
    assert [s.node.id for s in workflow.approval_states] == ["RequestApproval"]
    assert cdk.Token.is_unresolved(workflow.approve_url)
    assert cdk.Token.is_unresolved(workflow.reject_url)


def test_grant_decide_allows_invoking_exactly_the_two_methods() -> None:
    built = Built()
    approvers = iam.Role(built.stack, "Approvers2", assumed_by=iam.AccountRootPrincipal())
    built.workflow.grant_decide(approvers)
    [statement] = built.statements("Approvers2")
    assert statement["Action"] == "execute-api:Invoke"
    rendered = json.dumps(statement["Resource"])
    assert "/POST/approve" in rendered
    assert "/POST/reject" in rendered


# --- each prop changes the output -------------------------------------------------------------


def test_notification_queue() -> None:
    built = Built(notification=lambda b: ApprovalNotification.queue(b.queue))
    ask = states(built)["RequestApproval"]
    assert ask["Resource"] == "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    assert ask["Parameters"]["MessageBody"]["taskToken.$"] == "$$.Task.Token"


def test_notification_function() -> None:
    built = Built(notification=lambda b: ApprovalNotification.function(b.function))
    ask = states(built)["RequestApproval"]
    assert ask["Resource"] == "arn:aws:states:::lambda:invoke.waitForTaskToken"
    assert ask["Parameters"]["Payload"]["taskToken.$"] == "$$.Task.Token"


def test_fifo_queue_gets_a_group_per_execution_and_an_id_per_round() -> None:
    def fifo(b: Built) -> ApprovalNotification:
        return ApprovalNotification.queue(sqs.Queue(b.stack, "Fifo", fifo=True, enforce_ssl=True))

    built = Built(notification=fifo, reminders=1, reminder_interval=cdk.Duration.days(1))
    found = states(built)
    for name in ("RequestApproval", "Reminder1"):
        parameters = found[name]["Parameters"]
        assert parameters["MessageGroupId.$"] == "$$.Execution.Name"
        assert parameters["MessageDeduplicationId.$"] == f"States.Format('{{}}-{name}', $$.Execution.Name)"
    assert "MessageGroupId" not in json.dumps(states(Built(notification=lambda b: ApprovalNotification.queue(b.queue))))


def test_topic_subject() -> None:
    built = Built(notification=lambda b: ApprovalNotification.topic(b.topic, subject="Please approve"))
    assert states(built)["RequestApproval"]["Parameters"]["Subject"] == "Please approve"


@pytest.fixture(scope="module")
def rounds() -> Built:
    def escalation(b: Built) -> ApprovalNotification:
        return ApprovalNotification.queue(b.queue)

    return Built(
        deadline=cdk.Duration.days(5),
        reminders=2,
        reminder_interval=cdk.Duration.hours(12),
        escalation=escalation,
    )


def test_deadline_reminders_interval_and_escalation(rounds: Built) -> None:
    found = states(rounds)
    chain = ["RequestApproval", "Reminder1", "Reminder2", "Escalate"]
    assert [found[name]["TimeoutSeconds"] for name in chain] == [43200, 43200, 43200, 5 * 86400 - 3 * 43200]
    assert rounds.workflow.round_seconds == (43200, 43200, 43200, 5 * 86400 - 3 * 43200)
    for current, following in zip(chain, [*chain[1:], "RecordTimeout"], strict=True):
        [timeout_catch] = [c for c in found[current]["Catch"] if c["ErrorEquals"] == ["States.Timeout"]]
        assert timeout_catch == {"ErrorEquals": ["States.Timeout"], "ResultPath": None, "Next": following}
        assert found[current]["Next"] == "Approved"
    assert found["Escalate"]["Resource"] == "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    kinds = [(found[n]["Parameters"].get("Message") or found[n]["Parameters"]["MessageBody"])["kind"] for n in chain]
    assert kinds == ["REQUEST", "REMINDER", "REMINDER", "ESCALATION"]
    assert rounds.definition["TimeoutSeconds"] == 6 * 86400


def test_deadline_alone_sets_the_single_round_and_the_default_timeout() -> None:
    built = Built(deadline=cdk.Duration.days(3))
    assert states(built)["RequestApproval"]["TimeoutSeconds"] == 3 * 86400
    assert built.definition["TimeoutSeconds"] == 4 * 86400
    function = built.props("AWS::Lambda::Function")
    assert function["Environment"]["Variables"]["TOKEN_TTL_SECONDS"] == str(4 * 86400)


def test_reminders_without_escalation_last_reminder_waits_until_the_deadline() -> None:
    built = Built(reminders=1, reminder_interval=cdk.Duration.days(2))
    found = states(built)
    assert (found["RequestApproval"]["TimeoutSeconds"], found["Reminder1"]["TimeoutSeconds"]) == (
        2 * 86400,
        5 * 86400,
    )
    assert "Escalate" not in found


def test_on_approved_on_rejected_on_timeout() -> None:
    def branch(name: str) -> Callable[[Built], sfn.IChainable]:
        return lambda b: sfn.Pass(b.stack, name)

    built = Built(on_approved=branch("Pay"), on_rejected=branch("TellRequester"), on_timeout=branch("Chase"))
    found = states(built)
    assert found["RequestApproval"]["Next"] == "Pay"
    assert found["RecordRejection"]["Next"] == "TellRequester"
    assert found["RecordTimeout"]["Next"] == "Chase"
    assert {"Approved", "Rejected", "TimedOut"}.isdisjoint(found)


def test_authorization_cognito() -> None:
    def with_pool(b: Built) -> CallbackAuthorization:
        pool = cognito.UserPool(b.stack, "Pool")
        return CallbackAuthorization.cognito(pool, scopes=["approvals/decide"])

    built = Built(authorization=with_pool)
    for method in built.resources("AWS::ApiGateway::Method").values():
        assert method["Properties"]["AuthorizationType"] == "COGNITO_USER_POOLS"
        assert method["Properties"]["AuthorizationScopes"] == ["approvals/decide"]
    assert built.props("AWS::ApiGateway::Authorizer")["Type"] == "COGNITO_USER_POOLS"


def test_throttling_and_stage_name() -> None:
    built = Built(throttling_rate_limit=2, throttling_burst_limit=4, stage_name="prod")
    stage = built.props("AWS::ApiGateway::Stage")
    assert stage["StageName"] == "prod"
    [settings] = stage["MethodSettings"]
    assert (settings["ThrottlingRateLimit"], settings["ThrottlingBurstLimit"]) == (2, 4)


def test_state_machine_type_standard_is_the_default() -> None:
    built = Built(state_machine_type=sfn.StateMachineType.STANDARD)
    assert built.props(SM)["StateMachineType"] == "STANDARD"


# Pass-through props of ObservableStateMachine, all set on one stack (one synth); each test
# checks that prop's own effect against the baseline.


@pytest.fixture(scope="module")
def passed_through() -> Built:
    return Built(
        owner="approvals-team",
        state_machine_name="expense-approval",
        comment="Approve expenses",
        timeout=cdk.Duration.days(10),
        role=lambda b: iam.Role(b.stack, "OwnRole", assumed_by=iam.ServicePrincipal("states.amazonaws.com")),
        logging=StateMachineLogging.errors_only(reason="only failures are investigated here"),
        log_retention=logs.RetentionDays.ONE_YEAR,
        log_group_name="/aws/vendedlogs/states/expense-approval-logs",
        log_encryption_key=lambda b: kms.Key(b.stack, "LogKey", enable_key_rotation=True),
        log_removal_policy=cdk.RemovalPolicy.DESTROY,
        tracing=Tracing.disabled(reason="X-Ray is not used in this account"),
        alarm_topic=lambda b: sns.Topic(b.stack, "Pager", enforce_ssl=True),
        alarm_options={ExecutionAlarm.THROTTLED: AlarmOptions(enabled=False)},
        execution_time_threshold=cdk.Duration.days(9),
        create_dashboard=False,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )


def machine_log_group(built: Built) -> dict[str, Any]:
    log_group = built.workflow.log_group
    assert log_group is not None
    resource: dict[str, Any] = built.template["Resources"][built.logical_id(log_group)]
    return resource


PASS_THROUGH: dict[str, Callable[[Built], Any]] = {
    "owner": lambda b: {t["Key"]: t["Value"] for t in b.props(SM)["Tags"]}["Owner"],
    "state_machine_name": lambda b: b.props(SM).get("StateMachineName"),
    "comment": lambda b: b.definition.get("Comment"),
    "timeout": lambda b: b.definition["TimeoutSeconds"],
    "role": lambda b: json.dumps(b.props(SM)["RoleArn"]),
    "logging": lambda b: b.props(SM)["LoggingConfiguration"]["Level"],
    "log_retention": lambda b: machine_log_group(b)["Properties"]["RetentionInDays"],
    "log_group_name": lambda b: machine_log_group(b)["Properties"]["LogGroupName"],
    "log_encryption_key": lambda b: "KmsKeyId" in machine_log_group(b)["Properties"],
    "log_removal_policy": lambda b: machine_log_group(b)["DeletionPolicy"],
    "tracing": lambda b: b.props(SM)["TracingConfiguration"]["Enabled"],
    "alarm_topic": lambda b: min(
        json.dumps(a["Properties"]["AlarmActions"]) for a in b.resources("AWS::CloudWatch::Alarm").values()
    ),
    "alarm_options": lambda b: sorted(
        a["Properties"]["MetricName"] for a in b.resources("AWS::CloudWatch::Alarm").values()
    ),
    "execution_time_threshold": lambda b: [
        a["Properties"]["Threshold"]
        for a in b.resources("AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "ExecutionTime"
    ],
    "create_dashboard": lambda b: len(b.resources("AWS::CloudWatch::Dashboard")),
    "removal_policy": lambda b: next(iter(b.resources(SM).values())).get("DeletionPolicy"),
}


@pytest.mark.parametrize("prop", sorted(PASS_THROUGH))
def test_pass_through_prop_changes_the_output(prop: str, baseline: Built, passed_through: Built) -> None:
    read = PASS_THROUGH[prop]
    assert read(passed_through) != read(baseline)


def test_alarms_enabled_false() -> None:
    built = Built(alarms_enabled=False)
    assert built.resources("AWS::CloudWatch::Alarm") == {}
    assert built.workflow.alarm_topic is None


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "prop", "message"),
    [
        ({"state_machine_type": sfn.StateMachineType.EXPRESS}, "state_machine_type", "STANDARD only"),
        ({"notification": "arn:aws:sns:us-east-1:1:t"}, "notification", "ApprovalNotification.topic"),
        ({"notification": lambda b: ApprovalNotification.topic(b.queue)}, "notification", "needs an ITopic"),
        ({"escalation": lambda b: ApprovalNotification.queue(b.topic)}, "escalation", "needs an IQueue"),
        ({"reminders": -1, "reminder_interval": cdk.Duration.days(1)}, "reminders", ">= 0"),
        ({"reminders": 2}, "reminder_interval", "is required"),
        ({"reminder_interval": cdk.Duration.days(1)}, "reminder_interval", "no effect"),
        ({"reminders": 7, "reminder_interval": cdk.Duration.days(1)}, "reminder_interval", "leave no time"),
        ({"deadline": cdk.Duration.millis(1500)}, "deadline", "whole seconds"),
        ({"deadline": cdk.Duration.days(400)}, "deadline", "up to 364 days"),
        ({"timeout": cdk.Duration.days(7)}, "timeout", "longer than the deadline"),
        ({"throttling_rate_limit": 0}, "throttling_rate_limit", "at least 1"),
        ({"throttling_burst_limit": 0}, "throttling_burst_limit", "at least 1"),
        ({"authorization": "IAM"}, "authorization", "CallbackAuthorization"),
        ({"stage_name": "v 1"}, "stage_name", "letters, digits"),
    ],
)
def test_bad_props_are_refused_naming_the_path_and_prop(props: dict[str, Any], prop: str, message: str) -> None:
    with pytest.raises(ConstructPropsError) as raised:
        Built(**props)
    assert raised.value.path == PATH
    assert raised.value.prop == prop
    assert message in str(raised.value)


def test_express_refusal_says_why() -> None:
    with pytest.raises(ConstructPropsError, match=r"waitForTaskToken"):
        Built(state_machine_type=sfn.StateMachineType.EXPRESS)
