"""Numeric fields a JSONata state may compute: ``Seconds``, ``TimeoutSeconds``,
``HeartbeatSeconds``, ``MaxConcurrency``, ``ToleratedFailureCount``, ``ToleratedFailurePercentage``.

The result must be a JSON number of the right kind in the field's range. A non-number is AWS's
"returned an unexpected result type" failure (the form AWS uses for ``Items``); the wording of the
out-of-range failure was not recorded from AWS and follows the same sentence.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.jsonata.jsvalues import js_type_name, to_json_text
from constructs_sfn.asl.jsonata.messages import unexpected_type
from constructs_sfn.asl.jsonata.template import JsonataValue

__all__ = ["evaluate_integer", "evaluate_number"]


def _source(value: JsonataValue, field: str) -> str:
    return value.expression.text if value.expression is not None else field


def _out_of_range(
    value: JsonataValue, field: str, result: float | int, minimum: float | None, maximum: float | None
) -> StatesError:
    bounds = []
    if minimum is not None:
        bounds.append(f"greater than or equal to {to_json_text(minimum)}")
    if maximum is not None:
        bounds.append(f"less than or equal to {to_json_text(maximum)}")
    return StatesError(
        ErrorName.QUERY_EVALUATION_ERROR,
        f"The JSONata expression '{_source(value, field)}' specified for the field '{field}' returned "
        f"an out of range value. Expected a value {' and '.join(bounds)}, but was: {to_json_text(result)}",
    )


def evaluate_number(
    value: JsonataValue,
    states: Mapping[str, Any],
    variables: Mapping[str, Any],
    *,
    field: str,
    minimum: float | None = None,
    maximum: float | None = None,
    rng: random.Random | None = None,
    now_millis: int | None = None,
) -> float | int:
    """The field's number, checked against the inclusive ``minimum``/``maximum``."""
    result = value.evaluate(states, variables, field=field, rng=rng, now_millis=now_millis)
    if isinstance(result, bool) or not isinstance(result, (int, float)):
        raise StatesError(
            ErrorName.QUERY_EVALUATION_ERROR,
            unexpected_type(_source(value, field), field, "number", js_type_name(result), to_json_text(result)),
        )
    if (minimum is not None and result < minimum) or (maximum is not None and result > maximum):
        raise _out_of_range(value, field, result, minimum, maximum)
    return result


def evaluate_integer(
    value: JsonataValue,
    states: Mapping[str, Any],
    variables: Mapping[str, Any],
    *,
    field: str,
    minimum: int | None = 0,
    maximum: int | None = None,
    rng: random.Random | None = None,
    now_millis: int | None = None,
) -> int:
    """The field's integer (an integral JSON number such as ``2.0`` counts), range-checked."""
    result = value.evaluate(states, variables, field=field, rng=rng, now_millis=now_millis)
    integral = isinstance(result, int) or (isinstance(result, float) and result.is_integer())
    if isinstance(result, bool) or not integral:
        raise StatesError(
            ErrorName.QUERY_EVALUATION_ERROR,
            unexpected_type(_source(value, field), field, "integer", js_type_name(result), to_json_text(result)),
        )
    number = int(result)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise _out_of_range(value, field, number, minimum, maximum)
    return number
