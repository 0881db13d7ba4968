"""What a ``Catch`` rule makes of a state's error: the state's output and the variables it assigns.

JSONPath: the error output goes to ``ResultPath`` (default ``$``, the whole output; ``null`` keeps the
state's input); JSONata: ``Output`` (default: the error output) with ``$states.errorOutput``. Both may
``Assign`` variables. See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.model.states import Catcher, State
from constructs_sfn.asl.runtime.dataflow import apply_result_path, evaluate_assignment

__all__ = ["caught_outcome"]


def caught_outcome(
    state: State,
    catcher: Catcher,
    raw_input: Any,
    error: StatesError,
    context: Any,
    variables: Mapping[str, Any],
    *,
    rng: random.Random,
    now_millis: Callable[[], int],
) -> tuple[Any, dict[str, Any] | None]:
    """``(output, assigned)`` of ``state`` after ``catcher`` caught ``error`` (``assigned``: None when
    the catcher has no ``Assign``)."""
    error_output = error.as_output()
    if state.is_jsonata:
        states = {"input": raw_input, "errorOutput": error_output, "context": context}
        output = (
            catcher.output.evaluate(states, variables, field="Output", rng=rng, now_millis=now_millis())
            if catcher.output is not None
            else error_output
        )
        assigned = (
            evaluate_assignment(catcher.assign, states=states, variables=variables, rng=rng, now_millis=now_millis())
            if catcher.assign is not None
            else None
        )
        return output, assigned
    assigned = (
        evaluate_assignment(catcher.assign, jsonpath_value=error_output, context=context, variables=variables)
        if catcher.assign is not None
        else None
    )
    if catcher.discard_result:
        return raw_input, assigned
    return apply_result_path(catcher.result_path, False, raw_input, error_output), assigned
