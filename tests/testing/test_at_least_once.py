"""At-least-once delivery: duplicate each Task and name the ones that are not idempotent."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.asl import Execution, parse_definition
from constructs_sfn.asl.services import TaskOutcome, TaskRequest, TaskService
from constructs_sfn.integrations import TaskServices
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.testing.at_least_once import (
    AtLeastOnceError,
    DuplicateDelivery,
    ServiceWrapper,
    check_at_least_once,
    runner_scenario,
)

ROLE = "arn:aws:iam::123456789012:role/r"


def fn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


DEFINITION = {
    "StartAt": "Reserve",
    "States": {
        "Reserve": {"Type": "Task", "Resource": fn("reserve"), "ResultPath": "$.reservation", "Next": "Lines"},
        "Lines": {
            "Type": "Map",
            "ItemsPath": "$.lines",
            "ItemProcessor": {
                "StartAt": "Charge",
                "States": {"Charge": {"Type": "Task", "Resource": fn("charge"), "End": True}},
            },
            "ResultPath": "$.charges",
            "Next": "Count",
        },
        "Count": {"Type": "Task", "Resource": fn("count"), "ResultPath": "$.seen", "End": True},
    },
}


class Ledger:
    """Fake side effects: an idempotent reservation (keyed), a charge list (appends), a counter."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.reservations: dict[str, int] = {}
        self.charges: list[int] = []
        self.count = 0

    def reserve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.reservations[event["order"]] = len(event["lines"])
        return {"held": len(event["lines"])}

    def charge(self, event: int, context: Any) -> int:
        self.charges.append(event)
        return event

    def count_call(self, event: Any, context: Any) -> int:
        # Not a side effect anyone records, but its result lands in the output.
        self.count += 1
        return self.count

    def snapshot(self) -> dict[str, Any]:
        return {"reservations": dict(self.reservations), "charges": list(self.charges)}


def local_scenario(ledger: Ledger, value: Any) -> Any:
    def scenario(wrap: ServiceWrapper | None) -> Any:
        ledger.clear()
        services = TaskServices(read_env=False)
        services.bind_lambda("reserve", ledger.reserve)
        services.bind_lambda("charge", ledger.charge)
        services.bind_lambda("count", ledger.count_call)
        dispatch: TaskService = wrap(services) if wrap is not None else services
        client = LocalStepFunctions(services=dispatch)
        arn = client.create_state_machine(name="Orders", roleArn=ROLE, definition=json.dumps(DEFINITION))[
            "stateMachineArn"
        ]
        started = client.start_execution(stateMachineArn=arn, input=json.dumps(value))
        return client.describe_execution(executionArn=started["executionArn"])

    return scenario


ORDER = {"order": "o-1", "lines": [10, 20]}


def test_names_the_tasks_whose_duplicate_changes_outcome_or_side_effects() -> None:
    ledger = Ledger()
    report = check_at_least_once(local_scenario(ledger, ORDER), side_effects=ledger.snapshot)
    assert report.baseline.status == "SUCCEEDED"
    assert report.baseline.side_effects == {"reservations": {"o-1": 2}, "charges": [10, 20]}
    assert report.baseline.output["seen"] == 1
    assert not report.idempotent
    assert [v.state for v in report.tasks] == ["Reserve", "Charge", "Count"]
    assert report.non_idempotent_tasks == ["Charge", "Count"]
    verdicts = {v.state: v for v in report.tasks}
    assert verdicts["Reserve"].idempotent
    assert verdicts["Reserve"].duplicated == 1
    assert verdicts["Charge"].duplicated == 2  # once per Map iteration
    expected = (
        'side effects: {"charges": [10, 20], "reservations": {"o-1": 2}} -> '
        '{"charges": [10, 10, 20, 20], "reservations": {"o-1": 2}}'
    )
    assert verdicts["Charge"].differences == (expected,)
    [count_change] = verdicts["Count"].differences
    assert count_change.startswith("output: ")
    assert '"seen": 1' in count_change
    assert '"seen": 2' in count_change
    assert len(report.all_differences) == 2


def test_idempotent_workflow_passes() -> None:
    ledger = Ledger()
    report = check_at_least_once(local_scenario(ledger, ORDER), side_effects=ledger.snapshot, tasks=["Reserve"])
    assert report.idempotent
    assert report.non_idempotent_tasks == []
    assert report.all_differences == ()
    text = report.render_text()
    assert text.splitlines() == [
        "At-least-once delivery: idempotent",
        "  baseline: SUCCEEDED",
        "  every Task twice: same",
        "  Reserve twice: same",
    ]


def test_without_side_effects_only_the_outcome_counts() -> None:
    ledger = Ledger()
    report = check_at_least_once(local_scenario(ledger, ORDER))
    assert report.non_idempotent_tasks == ["Count"]


def test_a_task_the_scenario_never_reaches() -> None:
    ledger = Ledger()
    report = check_at_least_once(
        local_scenario(ledger, {"order": "o-2", "lines": []}),
        side_effects=ledger.snapshot,
        tasks=["Charge"],
    )
    [verdict] = report.tasks
    assert (verdict.duplicated, verdict.idempotent) == (0, True)
    assert "Charge twice: not reached" in report.render_text()


def test_report_data_is_json_able() -> None:
    ledger = Ledger()
    data = check_at_least_once(local_scenario(ledger, ORDER), side_effects=ledger.snapshot, per_task=False).to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["idempotent"] is False
    assert data["tasks"] == []
    assert data["all_duplicated"]["outcome"]["side_effects"]["charges"] == [10, 10, 20, 20]


class Counting:
    """Answers each request with the number of requests seen so far."""

    def __init__(self) -> None:
        self.calls = 0

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        self.calls += 1
        return TaskOutcome.success(self.calls)


SINGLE = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Task", "Resource": fn("a"), "Next": "B"},
        "B": {"Type": "Task", "Resource": fn("b"), "End": True},
    },
}


def test_duplicate_delivery_returns_the_last_outcome_and_counts() -> None:
    inner = Counting()
    duplicated = DuplicateDelivery(inner, states=["A"], copies=3)
    execution = Execution(parse_definition(SINGLE), {}, services=duplicated).run()
    assert execution.status == "SUCCEEDED"
    assert execution.output == 4  # A delivered 3 times (1, 2, 3), then B once
    assert inner.calls == 4
    assert duplicated.deliveries == {"A": 2}
    assert duplicated.invoked == ["A", "B"]
    wrap = DuplicateDelivery.wrapper()
    everything = wrap(Counting())
    assert Execution(parse_definition(SINGLE), {}, services=everything).run().output == 4
    with pytest.raises(AtLeastOnceError, match="copies must be at least 1, got 0"):
        DuplicateDelivery(inner, copies=0)


def test_a_scenario_ignoring_wrap_is_refused() -> None:
    with pytest.raises(AtLeastOnceError, match="never applied the wrap"):
        check_at_least_once(lambda wrap: {"status": "SUCCEEDED"})


class MiniRunner:
    """The runner shape runner_scenario relies on: built with wrap=, then run(input, name=)."""

    def __init__(self, wrap: ServiceWrapper | None, ledger: Ledger) -> None:
        ledger.clear()
        services = TaskServices(read_env=False)
        services.bind_lambda("reserve", ledger.reserve)
        services.bind_lambda("charge", ledger.charge)
        services.bind_lambda("count", lambda event, context: 0)
        self.client = LocalStepFunctions(services=wrap(services) if wrap is not None else services)
        self.arn = self.client.create_state_machine(name="Orders", roleArn=ROLE, definition=json.dumps(DEFINITION))[
            "stateMachineArn"
        ]

    def run(self, input: Any = None, *, name: str | None = None) -> Execution:
        started = self.client.start_execution(stateMachineArn=self.arn, name=name, input=json.dumps(input))
        return self.client._executions[started["executionArn"]].execution


def test_runner_scenario() -> None:
    ledger = Ledger()
    report = check_at_least_once(
        runner_scenario(lambda wrap: MiniRunner(wrap, ledger), ORDER), side_effects=ledger.snapshot
    )
    assert report.non_idempotent_tasks == ["Charge"]
