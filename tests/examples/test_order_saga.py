"""The order_saga example: synthesized once in-process, then run scenario by scenario locally.

The Lambda functions are served by the example's own handler code (``functions/orders.py``),
the DynamoDB step and the dead-letter queue by a moto server on loopback through real boto3, so
each scenario is checked on both sides: what the execution did (states, error, cause) and what
it left behind in the table and the queue. One more test runs ``python app.py`` as the README
says and checks it writes the same definition.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from cdk.compliance import cfn_lint_errors, nag_violations

from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.testing import ScenarioRun, SynthesizedApp

pytestmark = pytest.mark.synth

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "order_saga"
REGION = "us-east-1"
ORDER = {
    "orderId": "o-1001",
    "amount": 99.5,
    "items": [{"sku": "book", "quantity": 2}, {"sku": "lamp", "quantity": 1}],
    "address": {"country": "DE"},
}


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Example:
    """The example stack, synthesized once, and its handler module."""

    def __init__(self) -> None:
        self.app_module = _load("order_saga_app", EXAMPLE / "app.py")
        self.handlers = _load("order_saga_functions", EXAMPLE / "functions" / "orders.py")
        app = self.app_module.build_app()
        self.stack = app.node.find_child("OrderSaga")
        self.synth = SynthesizedApp.from_stack(self.stack)
        self.machine = self.synth.state_machine(self.stack.saga.state_machine)
        self.template: dict[str, Any] = self.synth.stacks[0].template


@pytest.fixture(scope="module")
def example() -> Example:
    """The example, synthesized once for the module."""
    return Example()


@pytest.fixture(scope="module")
def aws(moto_endpoint: str) -> Callable[[str], Any]:
    """``aws("sqs")``: a plain boto3 client on moto, to arrange resources and inspect side effects."""
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=moto_endpoint)

    return client


class World:
    """One scenario's table, queue and runner, and the Lambda calls in order."""

    def __init__(self, example: Example, aws: Callable[[str], Any], moto_endpoint: str) -> None:
        self.aws = aws
        suffix = uuid.uuid4().hex[:8]
        self.table = f"orders-{suffix}"
        aws("dynamodb").create_table(
            TableName=self.table,
            KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        self.queue_name = f"saga-dlq-{suffix}"
        self.queue_url = aws("sqs").create_queue(QueueName=self.queue_name)["QueueUrl"]
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        stack = example.stack
        self.runner = example.machine.runner(
            values={stack.orders: self.table, stack.saga.dead_letter_queue: self.queue_name},
            sdk=Boto3Integrations(session=session, endpoint_url=moto_endpoint),
        )
        self.calls: list[str] = []
        for construct_id, handler_name in example.app_module.FUNCTIONS.items():
            self.runner.bind_lambda(
                stack.functions[construct_id], self._recorded(getattr(example.handlers, handler_name))
            )

    def _recorded(self, handler: Callable[[dict[str, Any], Any], Any]) -> Callable[[dict[str, Any], Any], Any]:
        def call(event: dict[str, Any], context: Any) -> Any:
            self.calls.append(handler.__name__)
            return handler(event, context)

        return call

    def run(self, order: dict[str, Any], name: str) -> ScenarioRun:
        """Run the saga on ``order``."""
        return self.runner.run(order, name=name)

    def item(self, order_id: str) -> dict[str, Any] | None:
        """The order's record in the table, or None."""
        found: dict[str, Any] | None = (
            self.aws("dynamodb").get_item(TableName=self.table, Key={"orderId": {"S": order_id}}).get("Item")
        )
        return found

    def dead_letters(self) -> list[dict[str, Any]]:
        """The dead-letter records, parsed."""
        messages = self.aws("sqs").receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(message["Body"]) for message in messages]


@pytest.fixture
def world(example: Example, aws: Callable[[str], Any], moto_endpoint: str) -> World:
    """A fresh table, queue and runner."""
    return World(example, aws, moto_endpoint)


def test_an_order_that_can_be_served_is_recorded_charged_and_shipped(world: World) -> None:
    run = world.run(ORDER, "happy-1")
    assert run.status == "SUCCEEDED", run.describe()
    assert run.states_entered == ["Start", "ReserveInventory", "RecordOrder", "ChargePayment", "ShipOrder", "Succeeded"]
    assert world.calls == ["reserve_inventory", "charge_payment", "ship_order"]
    assert world.item("o-1001") == {
        "orderId": {"S": "o-1001"},
        "status": {"S": "PLACED"},
        "sagaKey": {"S": "happy-1:RecordOrder"},
    }
    results = run.output["results"]
    assert results["ChargePayment"] == {"chargeId": "ch-happy-1:ChargePayment", "amount": 99.5}
    assert results["ShipOrder"] == {"trackingNumber": "trk-happy-1:ShipOrder"}
    assert world.dead_letters() == []


def test_out_of_stock_fails_the_first_step_after_its_retries_and_compensates_nothing(world: World) -> None:
    order = {**ORDER, "items": [{"sku": "desk", "quantity": 3}]}
    run = world.run(order, "no-desks")
    assert run.error == "Saga.Compensated", run.describe()
    assert (
        run.cause
        == "Step ReserveInventory failed (OutOfStockError); the compensations of the steps before it completed"
    )
    assert world.calls == ["reserve_inventory"] * 4  # the default action retry: 3 retries
    assert run.states_entered == ["Start", "ReserveInventory", "ReserveInventoryFailed", "Compensated"]
    assert world.item("o-1001") is None


def test_a_declined_payment_deletes_the_order_record_then_releases_the_stock(world: World) -> None:
    run = world.run({**ORDER, "amount": 5000}, "too-much")
    assert run.error == "Saga.Compensated", run.describe()
    assert run.states_entered == [
        "Start",
        "ReserveInventory",
        "RecordOrder",
        "ChargePayment",
        "ChargePaymentFailed",
        "CompensateRecordOrder",
        "CompensateReserveInventory",
        "Compensated",
    ]
    assert world.calls == ["reserve_inventory", *["charge_payment"] * 4, "release_inventory"]
    assert world.item("o-1001") is None  # the DeleteItem compensation reached the table


def test_no_delivery_refunds_deletes_and_releases_in_reverse_order(world: World) -> None:
    run = world.run({**ORDER, "address": {"country": "AQ"}}, "antarctica")
    assert run.error == "Saga.Compensated", run.describe()
    assert run.cause.startswith("Step ShipOrder failed (ShippingUnavailableError)")
    assert run.states_entered[-5:] == [
        "ShipOrderFailed",
        "CompensateChargePayment",
        "CompensateRecordOrder",
        "CompensateReserveInventory",
        "Compensated",
    ]
    assert world.calls[-2:] == ["refund_payment", "release_inventory"]
    assert world.item("o-1001") is None


def test_a_duplicate_order_id_is_not_retried_and_releases_the_stock(world: World) -> None:
    world.aws("dynamodb").put_item(
        TableName=world.table,
        Item={"orderId": {"S": "o-1001"}, "status": {"S": "PLACED"}, "sagaKey": {"S": "someone-else:RecordOrder"}},
    )
    run = world.run(ORDER, "duplicate")
    assert run.error == "Saga.Compensated", run.describe()
    assert run.cause.startswith("Step RecordOrder failed (DynamoDb.ConditionalCheckFailedException)")
    put_item_attempts = [e for e in run.events if e["type"] == "TaskScheduled"]
    assert len(put_item_attempts) == 1  # the only SDK task that ran; its error is not in the retry list
    assert world.calls == ["reserve_inventory", "release_inventory"]
    assert world.item("o-1001")["sagaKey"] == {"S": "someone-else:RecordOrder"}  # the other order is untouched


def test_a_refund_that_keeps_failing_goes_to_the_dead_letter_queue(world: World) -> None:
    world.runner.services.faults.throw("CompensateChargePayment", "Payments.ProviderDown", "the card provider is down")
    run = world.run({**ORDER, "address": {"country": "AQ"}}, "refund-down")
    assert run.status == "FAILED"
    assert run.error == "Saga.CompensationFailed"
    assert run.states_entered[-3:] == [
        "CompensateChargePaymentFailed",
        "RecordCompensationFailure",
        "CompensationFailed",
    ]
    assert "CompensateRecordOrder" not in run.states_entered
    failures = [
        e["lambdaFunctionFailedEventDetails"]["error"] for e in run.events if e["type"] == "LambdaFunctionFailed"
    ]
    # ShipOrder: 1 + 3 attempts; the refund: 1 + 8 (the default compensation retry), then given up.
    assert failures == ["ShippingUnavailableError"] * 4 + ["Payments.ProviderDown"] * 9
    [record] = world.dead_letters()
    assert record["executionName"] == "refund-down"
    assert record["failedStep"] == "ShipOrder"
    assert record["failedCompensation"] == "ChargePayment"
    assert record["compensationError"] == {"Error": "Payments.ProviderDown", "Cause": "the card provider is down"}
    assert record["input"]["orderId"] == "o-1001"
    assert record["results"]["ChargePayment"]["chargeId"] == "ch-refund-down:ChargePayment"
    # The order record is still there for the person cleaning up: its deletion came after the refund.
    assert world.item("o-1001") is not None


def test_the_stack_passes_cdk_nag_and_cfn_lint(example: Example) -> None:
    assert [v for v in nag_violations(example.stack) if v[1] == "error"] == []
    assert cfn_lint_errors(example.template) == []


def test_python_app_py_synthesizes_the_same_definition(example: Example, tmp_path: Path) -> None:
    env = {**os.environ, "CDK_OUTDIR": str(tmp_path)}
    subprocess.run([sys.executable, "app.py"], cwd=EXAMPLE, env=env, check=True, capture_output=True, timeout=300)
    synthesized = SynthesizedApp.from_assembly(tmp_path)
    machine = synthesized.state_machine("OrderSaga/Saga/Machine")
    assert machine.definition == example.machine.definition
    assert machine.state_machine_type == "STANDARD"
