"""The fault matrix: one row per Task and error, showing where the execution ended."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.asl import Execution, parse_definition
from constructs_sfn.asl.runtime.observer import ExecutionObserver
from constructs_sfn.integrations import TaskServices
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.testing.fault_matrix import (
    FaultCase,
    FaultMatrixError,
    FaultRow,
    fault_cases,
    fault_matrix,
    runner_scenario,
)

ROLE = "arn:aws:iam::123456789012:role/r"


def fn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


DEFINITION = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": fn("charge"),
            "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 2, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["Declined"], "Next": "Refund"}],
            "Next": "Fulfil",
        },
        "Refund": {"Type": "Pass", "End": True},
        "Fulfil": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Ship",
                    "States": {
                        "Ship": {
                            "Type": "Map",
                            "ItemsPath": "$.items",
                            "ItemProcessor": {
                                "StartAt": "Pack",
                                "States": {
                                    "Pack": {
                                        "Type": "Task",
                                        "Resource": fn("pack"),
                                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "PackFailed"}],
                                        "End": True,
                                    },
                                    "PackFailed": {"Type": "Pass", "End": True},
                                },
                            },
                            "End": True,
                        }
                    },
                },
                {"StartAt": "Notify", "States": {"Notify": {"Type": "Task", "Resource": fn("notify"), "End": True}}},
            ],
            "End": True,
        },
    },
}


def ok(event: Any, context: Any) -> Any:
    return event


def services() -> TaskServices:
    bound = TaskServices(read_env=False)
    for name in ("charge", "pack", "notify"):
        bound.bind_lambda(name, ok)
    return bound


def local_scenario(value: Any) -> Any:
    """The scenario over the lower layer: fresh services and client per row."""

    def scenario(case: FaultCase, observer: ExecutionObserver) -> Any:
        bound = services()
        bound.faults.throw(case.state, case.error, case.cause)
        client = LocalStepFunctions(services=bound, observer=observer)
        arn = client.create_state_machine(name="Orders", roleArn=ROLE, definition=json.dumps(DEFINITION))[
            "stateMachineArn"
        ]
        started = client.start_execution(stateMachineArn=arn, input=json.dumps(value))
        return client.describe_execution(executionArn=started["executionArn"])

    return scenario


def test_cases_name_each_error_the_rules_handle_then_the_generic_failure() -> None:
    cases = [(c.state, c.error) for c in fault_cases(DEFINITION)]
    assert cases == [
        ("Charge", "Throttled"),
        ("Charge", "Declined"),
        ("Charge", "States.TaskFailed"),
        ("Pack", "States.TaskFailed"),
        ("Notify", "States.TaskFailed"),
    ]
    assert fault_cases(DEFINITION)[3].state_pointer == "/States/Fulfil/Branches/0/States/Ship/ItemProcessor/States/Pack"


def test_cases_can_be_narrowed_and_overridden() -> None:
    cases = fault_cases(DEFINITION, states=["Notify"], errors={"Notify": ["Timeout", "Timeout"]}, generic_errors=())
    assert [(c.state, c.error) for c in cases] == [("Notify", "Timeout")]
    with pytest.raises(FaultMatrixError, match=r"\['Refund'\] are not Task states.*'Charge', 'Pack', 'Notify'"):
        fault_cases(DEFINITION, states=["Refund"])


def test_matrix_rows_show_where_each_fault_ends_the_execution() -> None:
    matrix = fault_matrix(DEFINITION, local_scenario({"items": [1]}))
    assert matrix.rows == (
        FaultRow(
            state="Charge",
            state_pointer="/States/Charge",
            error="Throttled",
            reached=True,
            status="FAILED",
            end_error="Throttled",
            last_state="Charge",
            retries=2,
            caught_by=None,
        ),
        FaultRow(
            state="Charge",
            state_pointer="/States/Charge",
            error="Declined",
            reached=True,
            status="SUCCEEDED",
            end_error=None,
            last_state="Refund",
            retries=0,
            caught_by="Charge: Catch 0 -> Refund",
        ),
        FaultRow(
            state="Charge",
            state_pointer="/States/Charge",
            error="States.TaskFailed",
            reached=True,
            status="FAILED",
            end_error="States.TaskFailed",
            last_state="Charge",
            retries=0,
            caught_by=None,
        ),
        FaultRow(
            state="Pack",
            state_pointer="/States/Fulfil/Branches/0/States/Ship/ItemProcessor/States/Pack",
            error="States.TaskFailed",
            reached=True,
            status="SUCCEEDED",
            end_error=None,
            last_state="PackFailed",
            retries=0,
            caught_by="Pack: Catch 0 -> PackFailed",
        ),
        FaultRow(
            state="Notify",
            state_pointer="/States/Fulfil/Branches/1/States/Notify",
            error="States.TaskFailed",
            reached=True,
            status="FAILED",
            end_error="States.TaskFailed",
            last_state="Notify",
            retries=0,
            caught_by=None,
        ),
    )
    assert [(r.state, r.error) for r in matrix.unhandled()] == [
        ("Charge", "Throttled"),
        ("Charge", "States.TaskFailed"),
        ("Notify", "States.TaskFailed"),
    ]


def test_a_task_the_scenario_never_reaches_is_flagged() -> None:
    matrix = fault_matrix(DEFINITION, local_scenario({"items": []}), states=["Pack"])
    [row] = matrix.rows
    assert (row.reached, row.status, row.handled) == (False, "SUCCEEDED", False)
    assert matrix.unreached() == [row]
    assert "(not reached)" in matrix.render_text()


def test_text_table_and_data_for_snapshots() -> None:
    matrix = fault_matrix(DEFINITION, local_scenario({"items": [1]}), states=["Charge"])
    lines = matrix.render_text().splitlines()
    assert lines[0].split() == ["State", "Error", "Status", "Ended", "with", "Last", "state", "Retries", "Caught", "by"]
    assert lines[2].split() == [
        "Charge",
        "Throttled",
        "FAILED",
        "Throttled",
        "Charge",
        "2",
        "-",
        "(no",
        "Catch",
        "routed",
        "it)",
    ]
    assert lines[3].split() == [
        "Charge",
        "Declined",
        "SUCCEEDED",
        "-",
        "Refund",
        "0",
        "Charge:",
        "Catch",
        "0",
        "->",
        "Refund",
    ]
    data = matrix.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data[1]["caught_by"] == "Charge: Catch 0 -> Refund"


class MiniRunner:
    """The shape of the toolkit's runner that runner_scenario relies on (services + run)."""

    def __init__(self, observer: ExecutionObserver) -> None:
        self.services = services()
        self.client = LocalStepFunctions(services=self.services, observer=observer)
        self.arn = self.client.create_state_machine(name="Orders", roleArn=ROLE, definition=json.dumps(DEFINITION))[
            "stateMachineArn"
        ]

    def run(self, input: Any = None, *, name: str | None = None) -> Execution:
        started = self.client.start_execution(stateMachineArn=self.arn, name=name, input=json.dumps(input))
        return self.client._executions[started["executionArn"]].execution


def test_runner_scenario_builds_a_fresh_runner_per_row() -> None:
    built: list[MiniRunner] = []

    def make(observer: ExecutionObserver) -> MiniRunner:
        built.append(MiniRunner(observer))
        return built[-1]

    matrix = fault_matrix(DEFINITION, runner_scenario(make, {"items": [1, 2]}), states=["Charge", "Pack"])
    assert len(built) == len(matrix.rows) == 4
    assert [row.status for row in matrix.rows] == ["FAILED", "SUCCEEDED", "FAILED", "SUCCEEDED"]
    assert matrix.rows[3].caught_by == "Pack: Catch 0 -> PackFailed"


def test_execution_results_are_read_too() -> None:
    model = parse_definition(DEFINITION)

    def scenario(case: FaultCase, observer: ExecutionObserver) -> Execution:
        bound = services()
        bound.faults.throw(case.state, case.error, case.cause)
        return Execution(model, {"items": [1]}, services=bound, observer=observer).run()

    matrix = fault_matrix(model, scenario, states=["Notify"])
    assert [(r.status, r.end_error, r.last_state) for r in matrix.rows] == [("FAILED", "States.TaskFailed", "Notify")]
