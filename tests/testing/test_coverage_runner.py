"""Coverage, the fault matrix and the at-least-once check on the toolkit's WorkflowRunner.

The state machine comes from a hand-written CloudFormation template (no synth needed), so the
runner binds its Lambda function by construct path exactly as with a synthesized stack.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.asl.runtime.observer import ExecutionObserver
from constructs_sfn.testing import StateMachineUnderTest, SynthesizedApp, WorkflowRunner
from constructs_sfn.testing.at_least_once import check_at_least_once
from constructs_sfn.testing.at_least_once import runner_scenario as delivery_scenario
from constructs_sfn.testing.coverage import CoverageRecorder
from constructs_sfn.testing.fault_matrix import fault_matrix, runner_scenario

DEFINITION = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.amount", "NumericGreaterThan": 0, "Next": "Charge"}],
            "Default": "Free",
        },
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "FUNCTION", "Payload.$": "$"},
            "OutputPath": "$.Payload",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["Declined"], "Next": "Declined"}],
            "End": True,
        },
        "Declined": {"Type": "Fail", "Error": "PaymentDeclined"},
        "Free": {"Type": "Succeed"},
    },
}


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> StateMachineUnderTest:
    before, after = json.dumps(DEFINITION).split("FUNCTION")
    template = {
        "Resources": {
            "ChargeFn93DD6C82": {
                "Type": "AWS::Lambda::Function",
                "Metadata": {"aws:cdk:path": "Orders/ChargeFn/Resource"},
            },
            "Machine6FC8AE80": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Metadata": {"aws:cdk:path": "Orders/Checkout/StateMachine/Resource"},
                "Properties": {
                    "DefinitionString": {"Fn::Join": ["", [before, {"Fn::GetAtt": ["ChargeFn93DD6C82", "Arn"]}, after]]}
                },
            },
        }
    }
    path: Path = tmp_path_factory.mktemp("template") / "Orders.template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    return SynthesizedApp.from_template(path).state_machine("Orders/Checkout")


class Payments:
    """A fake payment provider: charges are appended (not idempotent); 'decline' declines."""

    def __init__(self) -> None:
        self.charged: list[int] = []

    def charge(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event.get("decline"):
            raise type("Declined", (Exception,), {})("card declined")
        self.charged.append(event["amount"])
        return {"charged": event["amount"]}


def test_coverage_across_runner_scenarios(machine: StateMachineUnderTest) -> None:
    recorder = CoverageRecorder()
    observer = recorder.observer_for(machine.name, machine.definition)
    payments = Payments()
    runner = machine.runner(observer=observer)
    runner.bind_lambda("Orders/ChargeFn", payments.charge)
    assert runner.run({"amount": 5}).status == "SUCCEEDED"
    first = recorder.report().percent
    assert runner.run({"amount": 5, "decline": True}).error == "PaymentDeclined"
    second = recorder.report().percent
    assert runner.run({"amount": 0}).status == "SUCCEEDED"
    report = recorder.report()
    assert first < second < report.percent
    assert [item.id for item in report.machine("Orders/Checkout").missed] == ["retry:/States/Charge/Retry/0"]
    assert "Orders/Checkout" in report.render_text()


def test_fault_matrix_with_a_fresh_runner_per_row(machine: StateMachineUnderTest) -> None:
    def make(observer: ExecutionObserver) -> WorkflowRunner:
        runner = machine.runner(observer=observer)
        runner.bind_lambda("Orders/ChargeFn", Payments().charge)
        return runner

    matrix = fault_matrix(machine.definition, runner_scenario(make, {"amount": 5}))
    assert [(r.error, r.status, r.end_error, r.retries, r.caught_by) for r in matrix.rows] == [
        ("Lambda.TooManyRequestsException", "FAILED", "Lambda.TooManyRequestsException", 1, None),
        ("Declined", "FAILED", "PaymentDeclined", 0, "Charge: Catch 0 -> Declined"),
        ("States.TaskFailed", "FAILED", "States.TaskFailed", 0, None),
    ]
    assert [row.last_state for row in matrix.rows] == ["Charge", "Declined", "Charge"]


def test_at_least_once_with_the_runner_wrap(machine: StateMachineUnderTest) -> None:
    payments = Payments()

    def make(wrap: Any) -> WorkflowRunner:
        payments.charged.clear()
        options: dict[str, Any] = {} if wrap is None else {"wrap": wrap}
        runner = machine.runner(**options)
        runner.bind_lambda("Orders/ChargeFn", payments.charge)
        return runner

    report = check_at_least_once(delivery_scenario(make, {"amount": 7}), side_effects=lambda: list(payments.charged))
    assert report.baseline.side_effects == [7]
    assert report.all_duplicated.side_effects == [7, 7]
    assert report.non_idempotent_tasks == ["Charge"]
