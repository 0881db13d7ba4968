"""TestState's ``inspectionData``: which intermediate values AWS reports for which state.

The runtime records every processing step it passes through (``Execution.inspect``); AWS reports
only some of them, depending on the state type and query language:

* JSONPath Pass/Task: ``afterInputPath`` and ``afterParameters`` (the effective input even without
  a ``Parameters`` field), the Task's raw ``result``, ``afterResultSelector`` (the result when
  there is no ResultSelector) and ``afterResultPath``. A Pass with ``Result`` reports that
  ``result`` and none of the input steps.
* JSONPath Choice/Wait/Succeed/Fail: ``afterInputPath`` only.
* JSONPath Map: the input steps, ``afterItemsPath``, ``afterItemSelector``, ``afterItemBatcher``,
  ``maxConcurrency``, the tolerated failure thresholds, then the result steps.
  JSONPath Parallel: only the result steps.
* JSONata: ``afterArguments`` and ``result`` for a Task, the item and threshold values for a Map,
  nothing else.

Every state adds ``input``, the workflow ``variables`` after the state (when there are any) and
``errorDetails`` (``catchIndex``, or ``retryIndex`` and ``retryBackoffIntervalSeconds``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.model.states import MapState, PassState, State
from constructs_sfn.asl.runtime.frame import to_json_text

__all__ = ["JSON_TEXT_FIELDS", "as_json_text", "inspection_data"]

# AWS's InspectionData field order.
_ORDER = (
    "input",
    "afterArguments",
    "afterInputPath",
    "afterParameters",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "request",
    "response",
    "variables",
    "errorDetails",
    "afterItemsPath",
    "afterItemSelector",
    "afterItemBatcher",
    "afterItemsPointer",
    "toleratedFailureCount",
    "toleratedFailurePercentage",
    "maxConcurrency",
)
_INPUT_STEPS = frozenset({"afterInputPath"})
_RESULT_STEPS = frozenset({"afterResultSelector", "afterResultPath"})
_MAP_STEPS = frozenset(
    {
        "afterItemsPath",
        "afterItemSelector",
        "afterItemBatcher",
        "afterItemsPointer",
        "maxConcurrency",
        "toleratedFailureCount",
        "toleratedFailurePercentage",
    }
)
_JSONPATH_FIELDS: Mapping[str, frozenset[str]] = {
    "Pass": _INPUT_STEPS | {"afterParameters", "result"} | _RESULT_STEPS,
    "Task": _INPUT_STEPS | {"afterParameters", "result"} | _RESULT_STEPS | {"request", "response"},
    "Choice": _INPUT_STEPS,
    "Wait": _INPUT_STEPS,
    "Succeed": _INPUT_STEPS,
    "Fail": _INPUT_STEPS,
    "Map": _INPUT_STEPS | _MAP_STEPS | _RESULT_STEPS,
    "Parallel": _RESULT_STEPS,
}
_JSONATA_FIELDS: Mapping[str, frozenset[str]] = {
    "Task": frozenset({"afterArguments", "result", "request", "response"}),
    "Map": _MAP_STEPS - {"afterItemsPath"},
}
_ALWAYS = frozenset({"input", "variables", "errorDetails"})
JSON_TEXT_FIELDS = frozenset(
    {
        "input",
        "afterArguments",
        "afterInputPath",
        "afterParameters",
        "result",
        "afterResultSelector",
        "afterResultPath",
        "variables",
        "afterItemsPath",
        "afterItemSelector",
        "afterItemBatcher",
        "afterItemsPointer",
    }
)
"""The inspection fields the API sends as JSON text (the others are numbers or structures)."""


def inspection_data(
    state: State,
    recorded: Mapping[str, Any],
    *,
    variables: Mapping[str, Any],
    error_details: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The inspection data AWS reports for ``state``, from what the runtime ``recorded``."""
    values = dict(recorded)
    if variables:
        values["variables"] = dict(variables)
    if error_details:
        values["errorDetails"] = dict(error_details)
    if state.is_jsonata:
        allowed = _JSONATA_FIELDS.get(state.type, frozenset())
    else:
        allowed = _JSONPATH_FIELDS.get(state.type, frozenset())
        values = _jsonpath_defaults(state, values)
    allowed = allowed | _ALWAYS
    return {key: values[key] for key in _ORDER if key in allowed and key in values}


def as_json_text(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with its JSON-valued fields written as JSON text, as the TestState API sends them."""
    return {key: to_json_text(value) if key in JSON_TEXT_FIELDS else value for key, value in data.items()}


def _jsonpath_defaults(state: State, values: dict[str, Any]) -> dict[str, Any]:
    if isinstance(state, PassState) and state.has_result:
        # The Result is the state's result: the input steps play no part in it.
        values.pop("afterInputPath", None)
        values.pop("afterParameters", None)
        if "afterResultSelector" in values:
            values["result"] = state.result
        return values
    if state.type in ("Pass", "Task") and state.parameters is None and "afterInputPath" in values:
        values.setdefault("afterParameters", values["afterInputPath"])
    if isinstance(state, MapState) and state.item_reader is None and "maxConcurrency" in values:
        values.setdefault("afterItemsPath", values.get("afterInputPath"))
    return values
