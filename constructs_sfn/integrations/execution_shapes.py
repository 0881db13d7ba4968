"""Results of ``states:startExecution`` as Step Functions returns them to the parent execution.

``DescribeExecution``-like input (boto3's camelCase keys, dates as datetimes, ISO text or epoch
seconds) is turned into the PascalCase result of the optimized integration:

* ``.sync``: ``Input``/``Output`` stay JSON text;
* ``.sync:2``: ``Input``/``Output`` are parsed JSON values;
* a child that did not succeed fails the parent's task with ``States.TaskFailed`` and the same
  document (with ``Error``/``Cause``, without ``Output``) as compact JSON text in the cause.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome
from constructs_sfn.integrations.jsontext import compact_json, json_text_or_value
from constructs_sfn.integrations.timestamps import epoch_millis, to_datetime

__all__ = ["execution_input_text", "sync_outcome"]

_FIELDS = (
    ("cause", "Cause"),
    ("error", "Error"),
    ("executionArn", "ExecutionArn"),
    ("input", "Input"),
    ("inputDetails", "InputDetails"),
    ("name", "Name"),
    ("output", "Output"),
    ("outputDetails", "OutputDetails"),
    ("startDate", "StartDate"),
    ("stateMachineArn", "StateMachineArn"),
    ("status", "Status"),
    ("stopDate", "StopDate"),
)


def execution_input_text(value: Any) -> str:
    """The ``Input`` parameter as StartExecution wants it: absent means ``{}``, JSON is serialized."""
    if value is None:
        return "{}"
    if isinstance(value, str):
        return value
    return compact_json(value)


def _pascal_details(details: Any) -> Any:
    if isinstance(details, Mapping):
        return {key[:1].upper() + key[1:]: value for key, value in details.items()}
    return details


def sync_outcome(describe: Mapping[str, Any], *, version: int = 1) -> TaskOutcome:
    """The parent task's outcome for a finished child (``version`` 1 for ``.sync``, 2 for ``.sync:2``).

    A child still running is reported as never completing: the runtime cannot wait for it here.
    """
    status = describe.get("status")
    if status == "RUNNING" or status is None:
        return TaskOutcome.never()
    shape: dict[str, Any] = {}
    for source, target in _FIELDS:
        value = describe.get(source, describe.get(target))
        if value is None:
            continue
        if target in ("StartDate", "StopDate"):
            value = epoch_millis(value)
        elif target in ("InputDetails", "OutputDetails"):
            value = _pascal_details(value)
        elif target in ("Input", "Output") and version == 2 and isinstance(value, str):
            value = json_text_or_value(value)
        shape[target] = value
    if "Input" in shape and "InputDetails" not in shape:
        shape["InputDetails"] = {"Included": True}
    if "Output" in shape and "OutputDetails" not in shape:
        shape["OutputDetails"] = {"Included": True}
    shape = {key: shape[key] for key in sorted(shape)}
    duration = _duration(describe)
    if status == "SUCCEEDED":
        shape.pop("Error", None)
        shape.pop("Cause", None)
        return TaskOutcome.success(shape, duration=duration)
    shape.pop("Output", None)
    shape.pop("OutputDetails", None)
    return TaskOutcome.failure(ErrorName.TASK_FAILED, compact_json(shape), duration=duration)


def _duration(describe: Mapping[str, Any]) -> float:
    start = to_datetime(describe.get("startDate", describe.get("StartDate")))
    stop = to_datetime(describe.get("stopDate", describe.get("StopDate")))
    if start is None or stop is None:
        return 0.0
    return max(0.0, (stop - start).total_seconds())
