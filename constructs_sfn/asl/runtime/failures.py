"""How a state's failure is described: AWS's location prefix, ``EvaluationFailed`` details, and the
error an execution records when it fails.

AWS prefixes the cause of a ``States.Runtime`` or ``States.QueryEvaluationError`` with the state and
the event it was entered at, and records an ``EvaluationFailed`` event naming the field whose JSONata
expression failed. See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
"""

from __future__ import annotations

import re
from typing import Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.model.states import State

__all__ = ["error_details", "evaluation_failed_details", "execution_failure", "located_error"]

_FIELD_RE = re.compile(r"specified for the field '([^']+)'")
_LOCATED_PREFIX = "An error occurred while executing the state"


def located_error(error: StatesError, state: State, entered_id: int) -> StatesError:
    """``error`` with AWS's 'An error occurred while executing the state ...' prefix, for evaluation
    failures (``States.Runtime``, ``States.QueryEvaluationError``) not located yet; else ``error``."""
    if getattr(error, "located", False) or error.error not in (
        ErrorName.RUNTIME,
        ErrorName.QUERY_EVALUATION_ERROR,
    ):
        return error
    cause = error.cause or ""
    if not cause.startswith(_LOCATED_PREFIX):
        cause = f"{_LOCATED_PREFIX} '{state.name}' (entered at the event id #{entered_id}). {cause}"
    located = StatesError(error.error, cause)
    located.located = True  # type: ignore[attr-defined]
    for attribute in ("field", "branch_failure"):
        if hasattr(error, attribute):
            setattr(located, attribute, getattr(error, attribute))
    located.evaluation = getattr(error, "evaluation", True)  # type: ignore[attr-defined]
    return located


def evaluation_failed_details(error: StatesError, state: State) -> dict[str, Any]:
    """The details of the ``EvaluationFailed`` event of a JSONata evaluation failure of ``state``."""
    details: dict[str, Any] = {"cause": error.cause or "", "error": error.error}
    location = getattr(error, "field", None)
    if location is None:
        match = _FIELD_RE.search(error.cause or "")
        location = match.group(1) if match else None
    if location is not None:
        details["location"] = location
    details["state"] = state.name
    return details


def execution_failure(error: BaseException) -> StatesError:
    """The error a failed execution records: a ``StatesError`` as raised (under the name it records,
    e.g. ``States.Timeout`` for an activity that timed out), anything else as ``States.Runtime``."""
    states_error = error if isinstance(error, StatesError) else StatesError(ErrorName.RUNTIME, str(error))
    if hasattr(states_error, "recorded_error"):
        states_error = StatesError(states_error.recorded_error, states_error.cause)
    return states_error


def error_details(error: str | None, cause: str | None) -> dict[str, Any]:
    """``{"error": ..., "cause": ...}`` of an ``ExecutionFailed``/``ExecutionAborted`` event, without
    the parts that are not given."""
    details: dict[str, Any] = {}
    if error is not None:
        details["error"] = error
    if cause is not None:
        details["cause"] = cause
    return details
