"""Order saga: reserve stock, record the order, charge the card, ship; undo in reverse on failure.

Built on ``SagaWorkflow``. Three steps are Lambda functions (``functions/orders.py``), one is an
AWS SDK call (DynamoDB ``PutItem``, undone by ``DeleteItem``). When a step fails after its
retries, the steps before it are compensated in reverse order; a compensation that fails too
lands in the dead-letter queue for a person to clean up, and raises an alarm.

Synthesize with ``cdk synth`` from this directory (see README.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.saga import SagaWorkflow
from constructs_sfn.cdk.saga_steps import SagaAction, SagaRetry, SagaStep, idempotency_key

__all__ = ["FUNCTIONS", "OWNER", "OrderSagaStack", "build_app"]

OWNER = "team-orders"
FUNCTIONS_DIR = Path(__file__).resolve().parent / "functions"
#: Construct id of each Lambda function -> its handler in functions/orders.py.
FUNCTIONS = {
    "ReserveInventoryFn": "reserve_inventory",
    "ReleaseInventoryFn": "release_inventory",
    "ChargePaymentFn": "charge_payment",
    "RefundPaymentFn": "refund_payment",
    "ShipOrderFn": "ship_order",
}


class OrderSagaStack(cdk.Stack):
    """The orders table, the five Lambda functions and the saga composing them."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        self.orders = dynamodb.TableV2(
            self,
            "Orders",
            partition_key=dynamodb.Attribute(name="orderId", type=dynamodb.AttributeType.STRING),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.functions = {name: self._function(name, handler) for name, handler in FUNCTIONS.items()}
        fn = self.functions
        orders = self.orders

        self.saga = SagaWorkflow(
            self,
            "Saga",
            owner=OWNER,
            timeout=cdk.Duration.minutes(30),
            steps=[
                SagaStep(
                    "ReserveInventory",
                    action=SagaAction.lambda_function(fn["ReserveInventoryFn"]),
                    compensation=SagaAction.lambda_function(fn["ReleaseInventoryFn"]),
                    timeout=cdk.Duration.seconds(30),
                ),
                SagaStep(
                    "RecordOrder",
                    # A retry after a PutItem that did land finds its own key and succeeds again.
                    action=SagaAction.aws_sdk(
                        "dynamodb",
                        "putItem",
                        parameters={
                            "TableName": orders.table_name,
                            "Item": {
                                "orderId": {"S": sfn.JsonPath.string_at("$.input.orderId")},
                                "status": {"S": "PLACED"},
                                "sagaKey": {"S": idempotency_key("RecordOrder")},
                            },
                            "ConditionExpression": "attribute_not_exists(orderId) OR sagaKey = :key",
                            "ExpressionAttributeValues": {":key": {"S": idempotency_key("RecordOrder")}},
                        },
                        iam_resources=[orders.table_arn],
                    ),
                    compensation=SagaAction.aws_sdk(
                        "dynamodb",
                        "deleteItem",
                        parameters={
                            "TableName": orders.table_name,
                            "Key": {"orderId": {"S": sfn.JsonPath.string_at("$.input.orderId")}},
                        },
                        iam_resources=[orders.table_arn],
                    ),
                    # Another order with the same id is a business failure: do not retry it.
                    retry=SagaRetry(
                        errors=(
                            "DynamoDb.ProvisionedThroughputExceededException",
                            "DynamoDb.InternalServerErrorException",
                        )
                    ),
                ),
                SagaStep(
                    "ChargePayment",
                    action=SagaAction.lambda_function(fn["ChargePaymentFn"]),
                    compensation=SagaAction.lambda_function(fn["RefundPaymentFn"]),
                    timeout=cdk.Duration.seconds(30),
                ),
                SagaStep(
                    "ShipOrder",
                    action=SagaAction.lambda_function(fn["ShipOrderFn"]),
                    timeout=cdk.Duration.minutes(1),
                ),
            ],
        )

    def _function(self, name: str, handler: str) -> lambda_.Function:
        # Each function writes to its own log group through its own role: no managed policy,
        # no account-wide log permissions.
        log_group = logs.LogGroup(
            self,
            f"{name}Logs",
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        role = iam.Role(self, f"{name}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        log_group.grant_write(role)
        return lambda_.Function(
            self,
            name,
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler=f"orders.{handler}",
            code=lambda_.Code.from_asset(str(FUNCTIONS_DIR)),
            role=role,
            log_group=log_group,
            timeout=cdk.Duration.seconds(20),
            memory_size=256,
        )


def build_app(outdir: str | None = None) -> cdk.App:
    """The app with its one stack (``OrderSaga``), environment-agnostic."""
    app = cdk.App(outdir=outdir)
    OrderSagaStack(app, "OrderSaga")
    return app


if __name__ == "__main__":
    build_app().synth()
