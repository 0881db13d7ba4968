"""Response bodies about executions, in the exact shape boto3 returns them.

Dates are timezone-aware ``datetime`` objects; ``input``/``output`` are JSON text. Redrive fields
follow AWS: a finished execution that did not succeed is ``REDRIVABLE``; others say why not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from constructs_sfn.asl.runtime import Execution
from constructs_sfn.local.records import ExecutionRecord
from constructs_sfn.local.redrive import redrive_fields

__all__ = [
    "billing_details",
    "describe_execution_shape",
    "execution_list_item",
    "history_events",
    "sync_execution_shape",
]

_DATA_KEYS = ("input", "output")


def _data(body: dict[str, Any], key: str, text: str | None, *, include: bool) -> None:
    if text is None:
        return
    if include:
        body[key] = text
    body[f"{key}Details"] = {"included": include}


def describe_execution_shape(
    record: ExecutionRecord, *, include_data: bool = True, now: datetime | None = None
) -> dict[str, Any]:
    """``DescribeExecution``'s body (without ``ResponseMetadata``); ``now`` decides the redrive status."""
    execution = record.execution
    status = execution.status
    body: dict[str, Any] = {
        "executionArn": record.arn,
        "stateMachineArn": record.state_machine_arn,
        "name": record.name,
        "status": status,
        "startDate": execution.start_date,
    }
    if status != "RUNNING" and execution.stop_date is not None:
        body["stopDate"] = execution.stop_date
    _data(body, "input", record.input_text, include=include_data)
    if status == "SUCCEEDED":
        _data(body, "output", execution.output_text, include=include_data)
    if record.trace_header is not None:
        body["traceHeader"] = record.trace_header
    if record.version is not None:
        body["stateMachineVersionArn"] = record.version.arn
    if record.alias_arn is not None:
        body["stateMachineAliasArn"] = record.alias_arn
    if status not in ("RUNNING", "SUCCEEDED"):
        if execution.error is not None:
            body["error"] = execution.error
        if execution.cause is not None:
            body["cause"] = execution.cause
    body.update(redrive_fields(record, now if now is not None else execution.clock.now()))
    return body


def sync_execution_shape(
    record: ExecutionRecord, *, status: str, error: str | None, cause: str | None, include_data: bool = True
) -> dict[str, Any]:
    """``StartSyncExecution``'s body (without ``billingDetails`` and ``ResponseMetadata``)."""
    execution = record.execution
    body: dict[str, Any] = {
        "executionArn": record.arn,
        "stateMachineArn": record.state_machine_arn,
        "name": record.name,
        "startDate": execution.start_date,
        "stopDate": execution.stop_date if execution.stop_date is not None else execution.clock.now(),
        "status": status,
    }
    if error is not None:
        body["error"] = error
    if cause is not None:
        body["cause"] = cause
    _data(body, "input", record.input_text, include=include_data)
    if status == "SUCCEEDED":
        _data(body, "output", execution.output_text, include=include_data)
    if record.trace_header is not None:
        body["traceHeader"] = record.trace_header
    return body


def billing_details(execution: Execution) -> dict[str, int]:
    """Express billing: 64 MB, duration rounded up to the next 100 ms (at least 100 ms)."""
    end = execution.stop_date if execution.stop_date is not None else execution.clock.now()
    millis = (end - execution.start_date) / timedelta(milliseconds=1)
    billed = max(100, math.ceil(millis / 100) * 100)
    return {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": billed}


def execution_list_item(record: ExecutionRecord) -> dict[str, Any]:
    """One entry of ``ListExecutions``."""
    execution = record.execution
    item: dict[str, Any] = {
        "executionArn": record.arn,
        "stateMachineArn": record.state_machine_arn,
        "name": record.name,
        "status": execution.status,
        "startDate": execution.start_date,
    }
    if execution.status != "RUNNING" and execution.stop_date is not None:
        item["stopDate"] = execution.stop_date
    if record.version is not None:
        item["stateMachineVersionArn"] = record.version.arn
    if record.alias_arn is not None:
        item["stateMachineAliasArn"] = record.alias_arn
    item["redriveCount"] = execution.redrive_count
    if execution.redrive_date is not None:
        item["redriveDate"] = execution.redrive_date
    return item


def history_events(events: Iterable[Mapping[str, Any]], *, include_data: bool = True) -> list[dict[str, Any]]:
    """Copies of history events; without execution data, ``input``/``output`` are left out."""
    out: list[dict[str, Any]] = []
    for event in events:
        copied: dict[str, Any] = {}
        for key, value in event.items():
            if isinstance(value, Mapping):
                value = {k: v for k, v in value.items() if include_data or k not in _DATA_KEYS}
            copied[key] = value
        out.append(copied)
    return out
