"""Map Runs on LocalStepFunctions: ListMapRuns, DescribeMapRun, UpdateMapRun, ListExecutions(mapRunArn).

API reference: https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html,
https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListMapRuns.html,
https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateMapRun.html and
https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html (``mapRunArn``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions

from .helpers import ROLE, definition


def job(execution_type: str = "STANDARD", **fields: Any) -> str:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type},
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericLessThan": 0, "Next": "Bad"}],
                "Default": "Good",
            },
            "Bad": {"Type": "Fail", "Error": "Negative"},
            "Good": {"Type": "Pass", "End": True},
        },
    }
    return definition({"Job": {"Type": "Map", "ItemProcessor": processor, "Label": "Rows", "End": True, **fields}})


def start(sfn: LocalStepFunctions, text: str, items: list[Any]) -> str:
    machine = sfn.create_state_machine(name="Nightly", definition=text, roleArn=ROLE)["stateMachineArn"]
    return str(sfn.start_execution(stateMachineArn=machine, input=json.dumps(items))["executionArn"])


def test_list_and_describe_a_map_run(sfn: LocalStepFunctions) -> None:
    execution = start(sfn, job(MaxConcurrency=5, ToleratedFailureCount=1), [1, -2, 3])
    assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert listed["executionArn"] == execution
    assert listed["stateMachineArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:Nightly/Rows"
    assert listed["mapRunArn"].startswith("arn:aws:states:us-east-1:123456789012:mapRun:Nightly/Rows:")
    described = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    assert described["status"] == "SUCCEEDED"
    assert (described["maxConcurrency"], described["toleratedFailureCount"]) == (5, 1)
    assert described["toleratedFailurePercentage"] == 0.0
    assert described["itemCounts"]["total"] == 3
    assert (described["itemCounts"]["succeeded"], described["itemCounts"]["failed"]) == (2, 1)
    assert described["executionCounts"] == described["itemCounts"]  # no batches: one child per item
    assert described["stopDate"] >= described["startDate"]


def test_a_failed_map_run_is_described_as_failed(sfn: LocalStepFunctions) -> None:
    execution = start(sfn, job(), [1, -2])
    assert sfn.describe_execution(executionArn=execution)["status"] == "FAILED"
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert sfn.describe_map_run(mapRunArn=listed["mapRunArn"])["status"] == "FAILED"


def test_child_executions_are_listed_described_and_have_a_history(sfn: LocalStepFunctions) -> None:
    execution = start(sfn, job(ToleratedFailurePercentage=50), [1, -2])
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    children = sfn.list_executions(mapRunArn=listed["mapRunArn"])["executions"]
    assert sorted(child["status"] for child in children) == ["FAILED", "SUCCEEDED"]
    assert all(child["executionArn"].split(":execution:")[1].startswith("Nightly/Rows:") for child in children)
    failed = next(child for child in children if child["status"] == "FAILED")
    described = sfn.describe_execution(executionArn=failed["executionArn"])
    assert (described["error"], described["input"], described["mapRunArn"]) == ("Negative", "-2", listed["mapRunArn"])
    events = sfn.get_execution_history(executionArn=failed["executionArn"])["events"]
    assert [event["type"] for event in events] == [
        "ExecutionStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "FailStateEntered",
        "ExecutionFailed",
    ]
    only_failed = sfn.list_executions(mapRunArn=listed["mapRunArn"], statusFilter="FAILED")["executions"]
    assert [child["executionArn"] for child in only_failed] == [failed["executionArn"]]


def test_express_children_are_counted_but_not_listed(sfn: LocalStepFunctions) -> None:
    execution = start(sfn, job("EXPRESS"), [1, 2])
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert sfn.describe_map_run(mapRunArn=listed["mapRunArn"])["executionCounts"]["succeeded"] == 2
    assert sfn.list_executions(mapRunArn=listed["mapRunArn"])["executions"] == []


def test_update_map_run_records_the_new_limits(sfn: LocalStepFunctions) -> None:
    execution = start(sfn, job(), [1])
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    sfn.update_map_run(mapRunArn=listed["mapRunArn"], maxConcurrency=7, toleratedFailurePercentage=12.5)
    described = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    assert (described["maxConcurrency"], described["toleratedFailurePercentage"]) == (7, 12.5)
    with pytest.raises(ClientError) as raised:
        sfn.update_map_run(mapRunArn=listed["mapRunArn"])
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_an_unknown_map_run_is_not_found(sfn: LocalStepFunctions) -> None:
    unknown = "arn:aws:states:us-east-1:123456789012:mapRun:Nightly/Rows:00000000-0000-4000-8000-000000000000"
    for call in (
        lambda: sfn.describe_map_run(mapRunArn=unknown),
        lambda: sfn.list_executions(mapRunArn=unknown),
        lambda: sfn.update_map_run(mapRunArn=unknown, maxConcurrency=1),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert raised.value.response["Error"]["Code"] == "ResourceNotFound"


def test_list_map_runs_pages(sfn: LocalStepFunctions) -> None:
    first_map = {key: value for key, value in json.loads(job())["States"]["Job"].items() if key != "End"}
    two_maps = json.dumps(
        {
            "StartAt": "First",
            "States": {
                "First": {**first_map, "Next": "Second", "ResultPath": None},
                "Second": {
                    "Type": "Map",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "Again",
                        "States": {"Again": {"Type": "Pass", "End": True}},
                    },
                    "End": True,
                },
            },
        }
    )
    execution = start(sfn, two_maps, [1])
    pages = list(sfn.get_paginator("list_map_runs").paginate(executionArn=execution, PaginationConfig={"PageSize": 1}))
    assert [len(page["mapRuns"]) for page in pages] == [1, 1]
    first, second = (page["mapRuns"][0] for page in pages)
    assert first["startDate"] >= second["startDate"]  # newest first
    assert first["mapRunArn"] != second["mapRunArn"]


def test_a_map_run_whose_parent_timed_out_is_aborted(sfn: LocalStepFunctions) -> None:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Hold",
        "States": {"Hold": {"Type": "Wait", "Seconds": 60, "End": True}},
    }
    text = definition({"Job": {"Type": "Map", "ItemProcessor": processor, "End": True}}, TimeoutSeconds=30)
    execution = start(sfn, text, [1, 2])
    described = sfn.describe_execution(executionArn=execution)
    assert described["status"] == "TIMED_OUT"
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    map_run = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    assert map_run["status"] == "ABORTED"
    assert map_run["stopDate"] == described["stopDate"]


class FlakyWork:
    """A task service that fails the items it was told to, until they are fixed."""

    def __init__(self, broken: set[int]) -> None:
        self.broken = broken
        self.calls: list[int] = []

    def invoke(self, request: Any) -> Any:
        from constructs_sfn.asl.services import TaskOutcome

        item = request.parameters["n"]
        self.calls.append(item)
        if item in self.broken:
            return TaskOutcome.failure("Work.Broken", f"item {item} is broken")
        return TaskOutcome.success({"done": item})


def test_redriving_the_parent_redrives_only_the_unsuccessful_children() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
    work = FlakyWork({2})
    sfn = LocalStepFunctions(services=work)
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"n.$": "$"},
                "End": True,
            }
        },
    }
    text = definition({"Job": {"Type": "Map", "ItemProcessor": processor, "Label": "Rows", "End": True}})
    execution = start(sfn, text, [1, 2, 3])
    assert sfn.describe_execution(executionArn=execution)["status"] == "FAILED"
    assert work.calls == [1, 2]  # no tolerance: the run stops at the first failure
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    failed_child = next(
        child["executionArn"]
        for child in sfn.list_executions(mapRunArn=listed["mapRunArn"])["executions"]
        if child["status"] == "FAILED"
    )

    work.broken.clear()
    sfn.redrive_execution(executionArn=execution)
    described = sfn.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"done": 1}, {"done": 2}, {"done": 3}]
    assert work.calls == [1, 2, 2, 3]  # item 1 is not run again
    assert sfn.list_map_runs(executionArn=execution)["mapRuns"] == [listed]  # the same Map Run
    map_run = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    assert (map_run["status"], map_run["redriveCount"]) == ("SUCCEEDED", 1)
    assert (map_run["itemCounts"]["succeeded"], map_run["itemCounts"]["failed"], map_run["itemCounts"]["total"]) == (
        3,
        0,
        3,
    )
    history = [event["type"] for event in sfn.get_execution_history(executionArn=failed_child)["events"]]
    assert "ExecutionRedriven" in history
    assert history[-1] == "ExecutionSucceeded"
    parent = [event["type"] for event in sfn.get_execution_history(executionArn=execution)["events"]]
    assert "MapRunRedriven" in parent
