"""Expense approval: a human decides through a task token, and silence is escalated.

The workflow records the request in DynamoDB, puts an approval request carrying a task token on
an SQS queue and waits. The approval inbox (the service reading that queue) heartbeats while the
request is open; a person answers with ``SendTaskSuccess`` (``{"approved": true|false, ...}``).
If the inbox goes silent for a day (``HeartbeatSeconds``) or nobody decides within a week
(``TimeoutSeconds``), the request is escalated to the finance managers' topic. Every outcome is
written back to the table.

Synthesize with ``cdk synth`` from this directory (see README.md).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from constructs_sfn.cdk import ObservableStateMachine

__all__ = [
    "APPROVAL_HEARTBEAT",
    "APPROVAL_TIMEOUT",
    "OWNER",
    "ApprovalFlowStack",
    "approval_workflow",
    "build_app",
]

#: The inbox heartbeats while a request is open; a day of silence means it lost the request.
APPROVAL_HEARTBEAT = cdk.Duration.days(1)
#: A request nobody decides within a week is escalated.
APPROVAL_TIMEOUT = cdk.Duration.days(7)
OWNER = "finance-platform"


def approval_workflow(
    scope: Construct,
    *,
    requests: dynamodb.ITable,
    inbox: sqs.IQueue,
    escalations: sns.ITopic,
    requester_notices: sns.ITopic,
) -> sfn.IChainable:
    """Record -> ask a human (task token) -> approved / rejected / escalated -> record outcome."""
    record_request = tasks.DynamoPutItem(
        scope,
        "RecordRequest",
        table=requests,
        item={
            "requestId": tasks.DynamoAttributeValue.from_string(sfn.JsonPath.string_at("$.requestId")),
            "requester": tasks.DynamoAttributeValue.from_string(sfn.JsonPath.string_at("$.requester")),
            # DynamoDB wants numbers as strings; from_number() would pass the JSON number through.
            "amount": tasks.DynamoAttributeValue.number_from_string(
                sfn.JsonPath.json_to_string(sfn.JsonPath.number_at("$.amount"))
            ),
            "status": tasks.DynamoAttributeValue.from_string("PENDING"),
        },
        result_path=sfn.JsonPath.DISCARD,
    )
    request_approval = tasks.SqsSendMessage(
        scope,
        "RequestApproval",
        queue=inbox,
        integration_pattern=sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        message_body=sfn.TaskInput.from_object(
            {
                "taskToken": sfn.JsonPath.task_token,
                "requestId": sfn.JsonPath.string_at("$.requestId"),
                "requester": sfn.JsonPath.string_at("$.requester"),
                "amount": sfn.JsonPath.number_at("$.amount"),
                "description": sfn.JsonPath.string_at("$.description"),
            }
        ),
        heartbeat_timeout=sfn.Timeout.duration(APPROVAL_HEARTBEAT),
        task_timeout=sfn.Timeout.duration(APPROVAL_TIMEOUT),
        result_path="$.decision",
    )
    escalate = tasks.SnsPublish(
        scope,
        "Escalate",
        topic=escalations,
        subject="Expense approval overdue",
        message=sfn.TaskInput.from_object(
            {
                "requestId": sfn.JsonPath.string_at("$.requestId"),
                "amount": sfn.JsonPath.number_at("$.amount"),
                "reason": sfn.JsonPath.string_at("$.failure.Error"),
            }
        ),
        result_path=sfn.JsonPath.DISCARD,
    )
    notify_rejection = tasks.SnsPublish(
        scope,
        "NotifyRequester",
        topic=requester_notices,
        message=sfn.TaskInput.from_json_path_at(
            sfn.JsonPath.format(
                "Expense {} was rejected by {}: {}",
                sfn.JsonPath.string_at("$.requestId"),
                sfn.JsonPath.string_at("$.decision.approver"),
                sfn.JsonPath.string_at("$.decision.comment"),
            )
        ),
        result_path=sfn.JsonPath.DISCARD,
    )

    def outcome(state_id: str, value: str) -> sfn.Pass:
        return sfn.Pass(scope, state_id, result=sfn.Result.from_string(value), result_path="$.outcome")

    record_outcome = tasks.DynamoUpdateItem(
        scope,
        "RecordOutcome",
        table=requests,
        key={"requestId": tasks.DynamoAttributeValue.from_string(sfn.JsonPath.string_at("$.requestId"))},
        update_expression="SET #status = :outcome",
        expression_attribute_names={"#status": "status"},
        expression_attribute_values={
            ":outcome": tasks.DynamoAttributeValue.from_string(sfn.JsonPath.string_at("$.outcome"))
        },
        result_path=sfn.JsonPath.DISCARD,
    )
    summarize = sfn.Pass(
        scope,
        "Summarize",
        parameters={"requestId.$": "$.requestId", "outcome.$": "$.outcome"},
    )
    finish = record_outcome.next(summarize)

    request_approval.add_catch(
        escalate.next(outcome("MarkEscalated", "ESCALATED")).next(finish),
        errors=[sfn.Errors.HEARTBEAT_TIMEOUT, sfn.Errors.TIMEOUT],
        result_path="$.failure",
    )
    decide = (
        sfn.Choice(scope, "Decide")
        .when(
            sfn.Condition.boolean_equals("$.decision.approved", True), outcome("MarkApproved", "APPROVED").next(finish)
        )
        .otherwise(notify_rejection.next(outcome("MarkRejected", "REJECTED")).next(finish))
    )
    return record_request.next(request_approval).next(decide)


class ApprovalFlowStack(cdk.Stack):
    """The table, the approval inbox queue, two topics and the observable state machine."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id, description="constructs_sfn example: expense approval")
        self.requests = dynamodb.Table(
            self,
            "Requests",
            partition_key=dynamodb.Attribute(name="requestId", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
        )
        self.inbox = sqs.Queue(
            self,
            "ApprovalInbox",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            # A request stays in the inbox as long as the workflow is willing to wait for it.
            retention_period=APPROVAL_TIMEOUT,
        )
        self.escalations = sns.Topic(self, "Escalations", enforce_ssl=True)
        self.requester_notices = sns.Topic(self, "RequesterNotices", enforce_ssl=True)
        self.machine = ObservableStateMachine(
            self,
            "ExpenseApproval",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=approval_workflow(
                self,
                requests=self.requests,
                inbox=self.inbox,
                escalations=self.escalations,
                requester_notices=self.requester_notices,
            ),
            owner=OWNER,
            # The longest path waits a full APPROVAL_TIMEOUT; a day of slack for the rest.
            timeout=APPROVAL_TIMEOUT.plus(cdk.Duration.days(1)),
            comment="Expense approval with a human in the loop and escalation on silence",
        )
        # The approval inbox reads requests and answers the workflow with their task tokens.
        self.inbox_role = iam.Role(
            self,
            "InboxRole",
            assumed_by=iam.AccountRootPrincipal(),
            description="The approval inbox: reads approval requests and answers with their task tokens",
        )
        self.inbox.grant_consume_messages(self.inbox_role)
        self.machine.grant_task_response(self.inbox_role)


def build_app() -> cdk.App:
    """The example app: one environment-agnostic stack, synthesized offline."""
    app = cdk.App()
    ApprovalFlowStack(app, "ApprovalFlow")
    return app


if __name__ == "__main__":
    build_app().synth()
