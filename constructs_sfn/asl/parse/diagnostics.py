"""Problems -> AWS's texts: the ``InvalidDefinition`` message and ValidateStateMachineDefinition's
response.

``CreateStateMachine`` joins the problems as ``<CODE>: <message> at <location>`` separated by
``", "`` inside ``Invalid State Machine Definition: '...'``; a problem without location prints
``at null`` (``MISSING_END_STATE: Workflow has no terminal state at null``). An invalid Map label
is reported by a different AWS component with a different form, which embeds the definition text:
``Error=ValueError Args=["Label contains invalid character: ' '"] in definition '<text>'.``
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from constructs_sfn.asl.errors import DefinitionProblem
from constructs_sfn.asl.parse.schema_context import INVALID_LABEL_NAME

__all__ = [
    "render_invalid_definition_message",
    "render_problem",
    "to_diagnostics",
    "validation_response",
]

_MAX_RESULTS = 100


def render_problem(problem: DefinitionProblem) -> str:
    """One problem as AWS prints it inside ``InvalidDefinition``."""
    return f"{problem.code}: {problem.message} at {problem.location or 'null'}"


def render_invalid_definition_message(
    problems: Sequence[DefinitionProblem],
    definition: Any = None,
    *,
    definition_text: str | None = None,
) -> str:
    """The exact ``InvalidDefinition`` message AWS returns for ``problems`` (errors only).

    ``definition_text`` (the text as the caller sent it) or else ``definition`` (serialized with
    ``json.dumps``) is only needed for the Map label form, which quotes the whole definition.
    """
    errors = [p for p in problems if p.severity == "ERROR"] or list(problems)
    if errors and errors[0].code == INVALID_LABEL_NAME:
        text = definition_text if definition_text is not None else json.dumps(definition)
        return f"Error=ValueError Args={[errors[0].message]!r} in definition '{text}'."
    joined = ", ".join(render_problem(p) for p in errors)
    return f"Invalid State Machine Definition: '{joined}'"


def to_diagnostics(problems: Iterable[DefinitionProblem], *, severity: str = "ERROR") -> list[dict[str, str]]:
    """ValidateStateMachineDefinition's ``diagnostics`` items (``location`` only when known).

    ``severity="ERROR"`` (AWS's default) keeps errors only; ``"WARNING"`` keeps warnings too.
    """
    out: list[dict[str, str]] = []
    for problem in problems:
        if severity == "ERROR" and problem.severity != "ERROR":
            continue
        item = {"code": problem.code, "message": problem.message, "severity": problem.severity}
        if problem.location:
            item["location"] = problem.location
        out.append(item)
    return out


def validation_response(
    problems: Iterable[DefinitionProblem], *, severity: str = "ERROR", max_results: int = 0
) -> dict[str, Any]:
    """The whole ValidateStateMachineDefinition response body (``maxResults`` 0 means 100)."""
    diagnostics = to_diagnostics(problems, severity=severity)
    limit = max_results or _MAX_RESULTS
    failed = any(item["severity"] == "ERROR" for item in diagnostics)
    return {
        "result": "FAIL" if failed else "OK",
        "diagnostics": diagnostics[:limit],
        "truncated": len(diagnostics) > limit,
    }
