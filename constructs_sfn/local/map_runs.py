"""Map Runs on the local client: finding them and their child executions, and AWS's response shapes.

A Map Run is recorded by the executor with the execution whose Distributed Map started it
(:func:`constructs_sfn.asl.runtime.map_run.map_runs_of`); STANDARD child executions are kept by
their Map Run, and may start Map Runs of their own (a nested Distributed Map), so lookups walk
that tree. EXPRESS children are counted, never kept (AWS keeps no history for them).

API reference: https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html,
API_ListMapRuns.html, API_UpdateMapRun.html and API_ListExecutions.html (``mapRunArn``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from constructs_sfn.asl.runtime import Execution
from constructs_sfn.asl.runtime.map_run import MapRun, map_runs_of

__all__ = [
    "child_list_item",
    "describe_child_shape",
    "describe_map_run_shape",
    "find_child",
    "find_map_run",
    "map_run_list_item",
    "map_runs_started_by",
]


def _walk(executions: Iterable[Execution]) -> Iterator[MapRun]:
    pending = list(executions)
    while pending:
        execution = pending.pop()
        for run in map_runs_of(execution):
            yield run
            pending.extend(run.children)


def map_runs_started_by(execution: Execution) -> list[MapRun]:
    """The Map Runs ``execution`` itself started, oldest first."""
    return list(map_runs_of(execution))


def find_map_run(executions: Iterable[Execution], arn: str) -> MapRun | None:
    """The Map Run named ``arn`` among ``executions`` and their STANDARD children."""
    return next((run for run in _walk(executions) if run.arn == arn), None)


def find_child(executions: Iterable[Execution], arn: str) -> tuple[MapRun, Execution] | None:
    """The STANDARD child execution named ``arn`` and the Map Run that started it."""
    for run in _walk(executions):
        for child in run.children:
            if child.info.execution_arn == arn:
                return run, child
    return None


def describe_map_run_shape(run: MapRun) -> dict[str, Any]:
    """``DescribeMapRun``'s body (without ``ResponseMetadata``)."""
    body: dict[str, Any] = {
        "mapRunArn": run.arn,
        "executionArn": run.execution_arn,
        "status": run.effective_status(),
        "startDate": run.start_date,
    }
    stop_date = run.effective_stop_date()
    if stop_date is not None:
        body["stopDate"] = stop_date
    body["maxConcurrency"] = run.max_concurrency
    body["toleratedFailurePercentage"] = run.tolerated_failure_percentage
    body["toleratedFailureCount"] = run.tolerated_failure_count
    body["itemCounts"] = run.items.as_dict()
    body["executionCounts"] = run.executions.as_dict()
    body["redriveCount"] = run.redrive_count
    if run.redrive_date is not None:
        body["redriveDate"] = run.redrive_date
    return body


def map_run_list_item(run: MapRun) -> dict[str, Any]:
    """One entry of ``ListMapRuns``."""
    item: dict[str, Any] = {
        "executionArn": run.execution_arn,
        "mapRunArn": run.arn,
        "stateMachineArn": run.state_machine_arn,
        "startDate": run.start_date,
    }
    stop_date = run.effective_stop_date()
    if stop_date is not None:
        item["stopDate"] = stop_date
    return item


def child_list_item(run: MapRun, child: Execution) -> dict[str, Any]:
    """One entry of ``ListExecutions(mapRunArn=...)``."""
    item: dict[str, Any] = {
        "executionArn": child.info.execution_arn,
        "stateMachineArn": child.info.state_machine_arn,
        "name": child.info.execution_name,
        "status": child.status,
        "startDate": child.start_date,
    }
    if child.status != "RUNNING" and child.stop_date is not None:
        item["stopDate"] = child.stop_date
    item["mapRunArn"] = run.arn
    item["redriveCount"] = 0
    return item


def describe_child_shape(run: MapRun, child: Execution, *, include_data: bool = True) -> dict[str, Any]:
    """``DescribeExecution``'s body for a Map Run's child execution."""
    body: dict[str, Any] = {
        "executionArn": child.info.execution_arn,
        "stateMachineArn": child.info.state_machine_arn,
        "name": child.info.execution_name,
        "status": child.status,
        "startDate": child.start_date,
    }
    if child.status != "RUNNING" and child.stop_date is not None:
        body["stopDate"] = child.stop_date
    if include_data:
        body["input"] = child.input_text
    body["inputDetails"] = {"included": include_data}
    if child.status == "SUCCEEDED" and child.output_text is not None:
        if include_data:
            body["output"] = child.output_text
        body["outputDetails"] = {"included": include_data}
    if child.status not in ("RUNNING", "SUCCEEDED"):
        if child.error is not None:
            body["error"] = child.error
        if child.cause is not None:
            body["cause"] = child.cause
    body["mapRunArn"] = run.arn
    body["redriveCount"] = 0
    body["redriveStatus"] = "NOT_REDRIVABLE" if child.status in ("RUNNING", "SUCCEEDED") else "REDRIVABLE"
    return body
