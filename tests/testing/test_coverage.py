"""Coverage across scenarios: recording through the executor observer, the report and its renderings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.asl import Execution, parse_definition
from constructs_sfn.integrations import TaskServices
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.testing.coverage import (
    JSON_SCHEMA,
    CoverageError,
    CoverageRecorder,
    CoverageReport,
)

ROLE = "arn:aws:iam::123456789012:role/r"
CHARGE = "arn:aws:lambda:us-east-1:123456789012:function:charge"

ORDERS = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.kind", "StringEquals": "paid", "Next": "Charge"}],
            "Default": "Reject",
        },
        "Charge": {
            "Type": "Task",
            "Resource": CHARGE,
            "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 1, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["Declined"], "Next": "Refund"}],
            "Next": "Done",
        },
        "Refund": {"Type": "Pass", "End": True},
        "Reject": {"Type": "Fail", "Error": "Rejected"},
        "Done": {"Type": "Succeed"},
    },
}


class Charges:
    """The charge handler: fails with the errors listed in the event, one per attempt."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.calls += 1
        errors = event.get("errors", [])
        if len(errors) >= self.calls:
            raise _error(errors[self.calls - 1])
        return {"charged": True}


def _error(name: str) -> Exception:
    return type(name, (Exception,), {})("scripted")


def scenario(recorder: CoverageRecorder, value: dict[str, Any], key: str = "Stack/Orders") -> str:
    """Run one scenario on a fresh local client (as a test would), returning the status."""
    services = TaskServices(read_env=False)
    services.bind_lambda("charge", Charges())
    client = LocalStepFunctions(services=services, observer=recorder.observer_for(key, ORDERS))
    arn = client.create_state_machine(name="Orders", roleArn=ROLE, definition=json.dumps(ORDERS))["stateMachineArn"]
    started = client.start_execution(stateMachineArn=arn, input=json.dumps(value))
    status: str = client.describe_execution(executionArn=started["executionArn"])["status"]
    return status


def test_a_registered_machine_never_run_is_zero_percent() -> None:
    recorder = CoverageRecorder()
    recorder.register("Stack/Orders", ORDERS)
    machine = recorder.report().machine("Stack/Orders")
    assert (machine.percent, machine.executions, machine.states.covered) == (0.0, 0, 0)
    assert len(machine.missed) == len(machine.items)


def test_the_happy_path_alone_leaves_error_paths_missed() -> None:
    recorder = CoverageRecorder()
    assert scenario(recorder, {"kind": "paid"}) == "SUCCEEDED"
    machine = recorder.report().machine("Stack/Orders")
    assert machine.executions == 1
    assert (machine.states.covered, machine.states.total) == (3, 5)
    assert [item.id for item in machine.missed] == [
        "choice_default:/States/Route/Default",
        "retry:/States/Charge/Retry/0",
        "catch:/States/Charge/Catch/0",
        "state:/States/Refund",
        "end:/States/Refund/End",
        "state:/States/Reject",
        "end:/States/Reject/End",
    ]


def test_each_scenario_taking_a_new_path_raises_the_figure() -> None:
    recorder = CoverageRecorder()
    figures = []
    for value in (
        {"kind": "paid"},
        {"kind": "paid", "errors": ["Throttled"]},
        {"kind": "paid", "errors": ["Declined"]},
        {"kind": "other"},
    ):
        scenario(recorder, value)
        figures.append(recorder.report().percent)
    assert figures == sorted(figures)
    assert len(set(figures)) == 4, figures
    final = recorder.report()
    assert final.percent == 100.0
    assert final.machine("Stack/Orders").missed == ()
    assert final.machine("Stack/Orders").hits["state:/States/Route"] == 4


def test_repeating_a_path_adds_hits_not_coverage() -> None:
    recorder = CoverageRecorder()
    scenario(recorder, {"kind": "paid"})
    before = recorder.report()
    scenario(recorder, {"kind": "paid"})
    after = recorder.report()
    assert after.percent == before.percent
    assert after.machine("Stack/Orders").hits["next:/States/Charge/Next"] == 2


def test_retry_that_fires_counts_each_firing() -> None:
    recorder = CoverageRecorder()
    scenario(recorder, {"kind": "paid", "errors": ["Throttled", "Throttled"]})
    machine = recorder.report().machine("Stack/Orders")
    # MaxAttempts 1: one retry, then the second Throttled is not caught and the execution fails.
    assert machine.hits["retry:/States/Charge/Retry/0"] == 1
    assert "catch:/States/Charge/Catch/0" not in machine.hits


def test_plain_executions_without_a_client() -> None:
    recorder = CoverageRecorder()
    observer = recorder.observer_for("orders")
    model = parse_definition(ORDERS)
    Execution(model, {"kind": "other"}, observer=observer).run()
    report = recorder.report()
    assert report.machine("orders").hits == {
        "state:/States/Route": 1,
        "choice_default:/States/Route/Default": 1,
        "state:/States/Reject": 1,
        "end:/States/Reject/End": 1,
    }


CHILD = {"StartAt": "Leaf", "States": {"Leaf": {"Type": "Succeed"}}}


def parent_of(child_arn: str) -> dict[str, Any]:
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child_arn, "Input": {}},
                "End": True,
            }
        },
    }


def nested_client(observer: Any) -> tuple[LocalStepFunctions, str, str]:
    client = LocalStepFunctions(services=TaskServices(read_env=False), observer=observer)
    child = client.create_state_machine(name="Child", roleArn=ROLE, definition=json.dumps(CHILD))["stateMachineArn"]
    parent = client.create_state_machine(name="Parent", roleArn=ROLE, definition=json.dumps(parent_of(child)))[
        "stateMachineArn"
    ]
    return client, parent, child


def test_observer_for_one_machine_ignores_nested_children() -> None:
    recorder = CoverageRecorder()
    client, parent, _child = nested_client(None)
    client.observer = recorder.observer_for("parent")
    client.start_execution(stateMachineArn=parent, input="{}")
    assert recorder.keys == ("parent",)
    assert recorder.report().percent == 100.0


def test_one_observer_for_several_machines_keys_them_apart() -> None:
    recorder = CoverageRecorder()
    client, parent, child = nested_client(None)
    client.observer = recorder.observer({parent: "Stack/Parent", child: "Stack/Child"})
    client.start_execution(stateMachineArn=parent, input="{}")
    report = recorder.report()
    assert [m.key for m in report.machines] == ["Stack/Parent", "Stack/Child"]
    assert [m.executions for m in report.machines] == [1, 1]
    assert report.machine("Stack/Child").hits == {"state:/States/Leaf": 1, "end:/States/Leaf/End": 1}


def test_unknown_keys_are_named() -> None:
    recorder = CoverageRecorder()
    recorder.register("a", CHILD)
    with pytest.raises(CoverageError, match=r"'b'.*known: 'a'"):
        recorder.report(["b"])
    with pytest.raises(CoverageError, match="no coverage recorded for state machine 'b'"):
        recorder.report().machine("b")


@pytest.fixture
def partial_report() -> CoverageReport:
    recorder = CoverageRecorder()
    scenario(recorder, {"kind": "paid"})
    scenario(recorder, {"kind": "paid"}, key="Stack/Other")
    scenario(recorder, {"kind": "other"}, key="Stack/Other")
    return recorder.report()


def test_json_follows_the_documented_schema(partial_report: CoverageReport) -> None:
    data = json.loads(partial_report.to_json_text())
    assert (data["schema"], data["version"]) == (JSON_SCHEMA, 1)
    assert set(data["totals"]) == {"states", "transitions", "percent"}
    first = data["state_machines"][0]
    assert set(first) == {"key", "executions", "states", "transitions", "percent", "items", "missed"}
    assert first["key"] == "Stack/Orders"
    assert first["states"] == {"covered": 3, "total": 5, "percent": 60.0}
    assert first["transitions"] == {"covered": 3, "total": 8, "percent": 37.5}
    assert set(first["items"][0]) == {"id", "kind", "state", "state_pointer", "location", "label", "target", "hits"}
    assert first["items"][0] == {
        "id": "state:/States/Route",
        "kind": "state",
        "state": "Route",
        "state_pointer": "/States/Route",
        "location": "/States/Route",
        "label": "Route (Choice)",
        "target": None,
        "hits": 1,
    }
    assert "catch:/States/Charge/Catch/0" in first["missed"]
    total = data["totals"]
    assert total["states"] == {"covered": 7, "total": 10, "percent": 70.0}  # Other misses only Refund


def test_json_round_trip_and_merge_of_sessions(partial_report: CoverageReport, tmp_path: Path) -> None:
    path = tmp_path / "cov.json"
    partial_report.write_json(path)
    again = CoverageReport.from_json(json.loads(path.read_text(encoding="utf-8")))
    assert again.to_json() == partial_report.to_json()
    other = CoverageRecorder()
    scenario(other, {"kind": "paid", "errors": ["Declined"]})
    scenario(other, {"kind": "paid", "errors": ["Throttled"]})
    merged = again.merged(other.report())
    orders = merged.machine("Stack/Orders")
    assert orders.executions == 3
    assert orders.hits["state:/States/Route"] == 3
    assert merged.machine("Stack/Orders").percent > partial_report.machine("Stack/Orders").percent
    with pytest.raises(CoverageError, match="expected a constructs-sfn/workflow-coverage report"):
        CoverageReport.from_json({"schema": "something else"})


def test_text_summary(partial_report: CoverageReport) -> None:
    text = partial_report.render_text()
    lines = text.splitlines()
    assert lines[0].split() == ["State", "machine", "Runs", "States", "Miss", "Transitions", "Miss", "Cover"]
    assert lines[2].split() == ["Stack/Orders", "1", "3/5", "2", "3/8", "5", "46.2%"]
    assert lines[5].split() == ["TOTAL", "3", "7/10", "3", "8/16", "8", "57.7%"]
    assert "Never taken:" in lines
    assert any("catch  Charge: Catch 0 [Declined] -> Refund  [/States/Charge/Catch/0]" in line for line in lines)
    assert "Never taken" not in partial_report.render_text(show_missed=False)


def test_html_is_self_contained(partial_report: CoverageReport, tmp_path: Path) -> None:
    path = tmp_path / "cov.html"
    partial_report.write_html(path, title="Orders <coverage>")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Orders &lt;coverage&gt;</title>" in page
    assert "<script" not in page
    assert "http://" not in page
    assert "https://" not in page
    assert '<tr class="miss"><td>catch</td><td>Charge: Catch 0 [Declined] -&gt; Refund</td>' in page
    assert '<tr class="hit"><td>state</td><td>Route (Choice)</td>' in page
