"""The demo CDK app: every constructs_sfn construct in one stack, checked by cdk-nag.

``cdk synth`` (see cdk.json) runs this file. cdk-nag's AwsSolutions pack is registered as a
policy-validation plugin, so an unacknowledged finding fails the synth. The stack is
environment-agnostic: no account or region lookups, so synthesis is offline and repeatable.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_stepfunctions as sfn
from cdk_nag import AwsSolutionsChecks
from constructs import Construct

from constructs_sfn.cdk import ObservableStateMachine

DEMO_OWNER = "platform-team"


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


class ConstructsSfnDemo(cdk.Stack):
    """The demo stack; later constructs are added here as they land."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id, description="constructs_sfn demo app")
        self.orders = ObservableStateMachine(
            self,
            "OrderWorkflow",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=order_workflow(self),
            owner=DEMO_OWNER,
            timeout=cdk.Duration.minutes(5),
            comment="Demo: route, wait and price the lines of an order",
        )


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
