"""The demo CDK app: every constructs_sfn construct in one stack, checked by cdk-nag.

``cdk synth`` (see cdk.json) runs this file. cdk-nag's AwsSolutions pack is registered as a
policy-validation plugin, so an unacknowledged finding fails the synth. The stack is
environment-agnostic: no account or region lookups, so synthesis is offline and repeatable.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from cdk_nag import AwsSolutionsChecks
from constructs import Construct

from constructs_sfn.cdk import ObservableStateMachine, acknowledge_rule
from constructs_sfn.cdk.approval import ApprovalWorkflow
from constructs_sfn.cdk.approval_options import ApprovalNotification
from constructs_sfn.cdk.distributed_map_job import DistributedMapJob
from constructs_sfn.cdk.item_sources import ItemSource
from constructs_sfn.cdk.map_job_options import ItemProcessor
from constructs_sfn.cdk.saga import SagaWorkflow
from constructs_sfn.cdk.saga_steps import SagaAction, SagaStep

DEMO_OWNER = "platform-team"
#: The demo functions' code: each echoes what it did, so local runs can be read.
_DEMO_CODE = "def handler(event, context):\n    return {'ok': True}\n"


def order_workflow(scope: Construct) -> sfn.IChainable:
    """A small but real JSONPath workflow: validate, route, wait, fan out over lines, summarise."""
    normalize = sfn.Pass(
        scope,
        "NormalizeOrder",
        parameters={
            "orderId.$": "$.orderId",
            "priority.$": "$.priority",
            "lines.$": "$.lines",
            "lineCount.$": "States.ArrayLength($.lines)",
        },
    )
    rejected = sfn.Fail(scope, "RejectEmptyOrder", error="Order.Empty", cause="An order needs at least one line")
    hold = sfn.Wait(scope, "HoldStandardOrder", time=sfn.WaitTime.duration(cdk.Duration.seconds(5)))
    price_line = sfn.Pass(
        scope,
        "PriceLine",
        parameters={
            "sku.$": "$.sku",
            "quantity.$": "$.quantity",
            "total.$": "States.MathAdd($.quantity, 0)",
        },
    )
    lines = sfn.Map(
        scope,
        "PriceLines",
        items_path="$.lines",
        max_concurrency=4,
        result_path="$.priced",
    ).item_processor(price_line)
    summarize = sfn.Pass(
        scope,
        "Summarize",
        parameters={"orderId.$": "$.orderId", "lines.$": "$.lineCount", "priced.$": "$.priced"},
    )
    done = sfn.Succeed(scope, "OrderAccepted")
    price_and_finish = lines.next(summarize).next(done)
    route = (
        sfn.Choice(scope, "RouteOrder")
        .when(sfn.Condition.number_equals("$.lineCount", 0), rejected)
        .when(sfn.Condition.string_equals("$.priority", "express"), price_and_finish)
        .otherwise(hold.next(price_and_finish))
    )
    return normalize.next(route)


class DemoFunctions(Construct):
    """Small Lambda functions for the demo workflows, each with its own role and log group."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)

    def function(self, construct_id: str, description: str) -> lambda_.Function:
        """One function; its role may write to its own log group and nothing else."""
        log_group = logs.LogGroup(
            self,
            f"{construct_id}Logs",
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        role = iam.Role(self, f"{construct_id}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        log_group.grant_write(role)
        return lambda_.Function(
            self,
            construct_id,
            description=description,
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline(_DEMO_CODE),
            role=role,
            log_group=log_group,
            timeout=cdk.Duration.seconds(10),
        )


def order_saga(scope: Construct, functions: DemoFunctions, alarm_topic: sns.ITopic) -> SagaWorkflow:
    """Reserve stock, charge the card, ship; undone in reverse order when a step fails."""

    def step(name: str, action: str, undo: str | None) -> SagaStep:
        return SagaStep(
            name,
            action=SagaAction.lambda_function(functions.function(f"{name}Fn", action)),
            compensation=(
                SagaAction.lambda_function(functions.function(f"Undo{name}Fn", undo)) if undo is not None else None
            ),
        )

    return SagaWorkflow(
        scope,
        "OrderSaga",
        owner=DEMO_OWNER,
        alarm_topic=alarm_topic,
        timeout=cdk.Duration.minutes(15),
        comment="Demo: an order saga with reverse compensation and a dead-letter record",
        steps=[
            step("Reserve", "Reserve the order's stock", "Release the reserved stock"),
            step("Charge", "Charge the customer's card", "Refund the charge"),
            step("Ship", "Hand the parcel to the carrier", None),
        ],
    )


def expense_approval(scope: Construct, alarm_topic: sns.ITopic) -> ApprovalWorkflow:
    """A person approves or rejects an expense; a day of silence sends a reminder, then escalates."""
    approvers = sns.Topic(scope, "Approvers", enforce_ssl=True)
    managers = sns.Topic(scope, "FinanceManagers", enforce_ssl=True)
    return ApprovalWorkflow(
        scope,
        "ExpenseApproval",
        notification=ApprovalNotification.topic(approvers, subject="An expense awaits your approval"),
        escalation=ApprovalNotification.topic(managers, subject="Overdue expense approval"),
        deadline=cdk.Duration.days(3),
        reminders=1,
        reminder_interval=cdk.Duration.days(1),
        owner=DEMO_OWNER,
        alarm_topic=alarm_topic,
        comment="Demo: expense approval with one reminder, escalation and a three-day deadline",
    )


def price_catalogue(scope: Construct, functions: DemoFunctions, alarm_topic: sns.ITopic) -> DistributedMapJob:
    """Every row of a CSV price list in S3 re-priced by a function; a few bad rows are tolerated."""
    access_logs = s3.Bucket(
        scope,
        "AccessLogs",
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
    )
    acknowledge_rule(
        access_logs,
        "AwsSolutions-S1",
        "This bucket receives the other buckets' server access logs; logging it to itself would loop.",
    )
    catalogue = s3.Bucket(
        scope,
        "Catalogue",
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        server_access_logs_bucket=access_logs,
        server_access_logs_prefix="catalogue/",
    )
    return DistributedMapJob(
        scope,
        "PriceCatalogue",
        items=ItemSource.csv(catalogue, "incoming/prices.csv"),
        item_processor=ItemProcessor.function(functions.function("RepriceFn", "Re-price one catalogue row")),
        max_concurrency=10,
        tolerated_failure_percentage=20,
        result_prefix="repriced/",
        access_logs_bucket=access_logs,
        owner=DEMO_OWNER,
        alarm_topic=alarm_topic,
        timeout=cdk.Duration.hours(1),
    )


class ConstructsSfnDemo(cdk.Stack):
    """The demo stack: one of each construct, every default reviewed by cdk-nag."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id, description="constructs_sfn demo app")
        # The team answers for everything here, including the supporting buckets and functions.
        cdk.Tags.of(self).add("Owner", DEMO_OWNER)
        # One topic for every alarm of the four workflows: one place for the on-call to subscribe.
        self.alarm_topic = sns.Topic(self, "Alarms", display_name="constructs_sfn demo alarms", enforce_ssl=True)
        self.orders = ObservableStateMachine(
            self,
            "OrderWorkflow",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=order_workflow(self),
            owner=DEMO_OWNER,
            timeout=cdk.Duration.minutes(5),
            comment="Demo: route, wait and price the lines of an order",
            alarm_topic=self.alarm_topic,
        )
        functions = DemoFunctions(self, "Functions")
        self.saga = order_saga(self, functions, self.alarm_topic)
        self.approval = expense_approval(self, self.alarm_topic)
        self.price_job = price_catalogue(self, functions, self.alarm_topic)


def build_app() -> cdk.App:
    """Build the demo app with cdk-nag AwsSolutions checks registered."""
    app = cdk.App()
    cdk.Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, verbose=True, write_suppressions_to_cloud_formation=True)
    )
    ConstructsSfnDemo(app, "ConstructsSfnDemo")
    return app


if __name__ == "__main__":
    build_app().synth()
