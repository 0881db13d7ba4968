"""State input/output processing for both query languages, and ``Assign``.

JSONPath: InputPath -> Parameters -> (work) -> ResultSelector -> ResultPath -> OutputPath.
JSONata: ``$states.input`` -> Arguments -> (work) -> ``$states.result`` -> Output, with Assign
evaluated against the same bindings as Output before any variable changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.model.states import Assignment, State

__all__ = [
    "apply_input_path",
    "apply_output_path",
    "apply_result_path",
    "evaluate_assignment",
]


def _invalid_path(path: Any, error: Exception) -> StatesError:
    """AWS's cause for an InputPath/OutputPath that selects nothing (Jayway's message)."""
    from constructs_sfn.asl.jsonpath import invalid_path_cause

    text = getattr(path, "text", str(path))
    return StatesError("States.Runtime", invalid_path_cause(text, getattr(error, "message", str(error))))


def apply_input_path(state: State, raw_input: Any, context: Any, variables: Mapping[str, Any]) -> Any:
    """InputPath: ``$`` by default, ``{}`` when null."""
    if state.input_path_null:
        return {}
    path = state.input_path
    if path is None:
        return raw_input
    try:
        return path.find(raw_input, context, variables)
    except StatesError:
        raise
    except Exception as error:
        raise _invalid_path(path, error) from error


def apply_result_path(state_result_path: Any, is_null: bool, raw_input: Any, result: Any) -> Any:
    """ResultPath: ``$`` by default (replace), keep the input when null."""
    if is_null:
        return raw_input
    if state_result_path is None:
        return result
    from constructs_sfn.asl.jsonpath import set_result_path

    return set_result_path(raw_input, state_result_path, result)


def apply_output_path(state: State, value: Any, context: Any, variables: Mapping[str, Any]) -> Any:
    """OutputPath: ``$`` by default, ``{}`` when null."""
    if state.output_path_null:
        return {}
    path = state.output_path
    if path is None:
        return value
    try:
        return path.find(value, context, variables)
    except StatesError:
        raise
    except Exception as error:
        raise _invalid_path(path, error) from error


def evaluate_assignment(
    assignment: Assignment,
    *,
    jsonpath_value: Any = None,
    states: Mapping[str, Any] | None = None,
    context: Any = None,
    variables: Mapping[str, Any],
    rng: Any = None,
    now_millis: int | None = None,
) -> dict[str, Any]:
    """All of an Assign block's values, computed before any of them is applied."""
    if assignment.query_language == "JSONata":
        result = assignment.values.evaluate(states or {}, variables, field="Assign", rng=rng, now_millis=now_millis)
    else:
        result = assignment.values.evaluate(jsonpath_value, context, variables, rng)
    if not isinstance(result, dict):
        raise StatesError("States.Runtime", "The Assign field must evaluate to a JSON object")
    return result
