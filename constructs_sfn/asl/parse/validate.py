"""Static validation of Amazon States Language definitions, reproducing how AWS rejects them.

Run it on the raw decoded definition, before the model is built::

    problems = validate_definition(document, state_machine_type="STANDARD")
    if any(p.severity == "ERROR" for p in problems):
        raise InvalidDefinition(render_invalid_definition_message(problems, document))

It never raises: any JSON value (or any Python value) goes in, a list of
:class:`~constructs_sfn.asl.errors.DefinitionProblem` comes out, in AWS's order. Like AWS it
works in two passes: the schema pass (``SCHEMA_VALIDATION_FAILED``, JSONata expression errors,
Map labels) and, only when that pass found no error, the graph pass (duplicate names, missing
transition targets, unreachable states, no terminal state).
"""

from __future__ import annotations

import json
from typing import Any

from constructs_sfn.asl.errors import DefinitionProblem
from constructs_sfn.asl.parse.diagnostics import (
    render_invalid_definition_message,
    to_diagnostics,
    validation_response,
)
from constructs_sfn.asl.parse.graph_checks import check_graph
from constructs_sfn.asl.parse.json_text import jackson_syntax_error
from constructs_sfn.asl.parse.schema_context import (
    INVALID_JSON_DESCRIPTION,
    TOO_DEEPLY_NESTED,
    ProblemSink,
)
from constructs_sfn.asl.parse.schema_walk import SchemaWalk

__all__ = [
    "render_invalid_definition_message",
    "to_diagnostics",
    "validate_definition",
    "validate_definition_text",
    "validate_state_definition",
    "validation_response",
]

_TEST_STATE_NAME = "StateName"


def validate_definition(raw: Any, *, state_machine_type: str = "STANDARD") -> list[DefinitionProblem]:
    """Every problem AWS reports for the decoded definition ``raw`` (``[]`` when it is valid).

    ``state_machine_type`` is ``STANDARD`` or ``EXPRESS``; Express machines refuse activities,
    ``.sync`` and ``.waitForTaskToken`` resources.
    """
    sink = ProblemSink()
    walk = SchemaWalk(sink, state_machine_type=state_machine_type)
    try:
        walk.definition(raw)
        if not sink.has_errors():
            check_graph(sink, walk.containers, walk.state_names)
    except RecursionError:
        sink.error("The states are too deeply nested", "/", code=TOO_DEEPLY_NESTED)
    return sink.problems


def validate_state_definition(
    raw: Any, *, state_name: str = _TEST_STATE_NAME, state_machine_type: str = "STANDARD"
) -> list[DefinitionProblem]:
    """The problems of a single state, as TestState checks a lone state definition.

    AWS locates them as if the state were ``/States/StateName``; transitions are not checked
    because the state's ``Next`` names a state outside the definition.
    """
    sink = ProblemSink()
    walk = SchemaWalk(sink, state_machine_type=state_machine_type)
    try:
        walk.state_alone(raw, state_name)
    except RecursionError:
        sink.error("The states are too deeply nested", "/", code=TOO_DEEPLY_NESTED)
    return sink.problems


def validate_definition_text(text: str, *, state_machine_type: str = "STANDARD") -> list[DefinitionProblem]:
    """Like :func:`validate_definition`, starting from the definition text as AWS receives it.

    Blank text is ``Definition must be a valid JSON object``; a JSON syntax error is
    ``INVALID_JSON_DESCRIPTION`` with Jackson's message and ``[Source: ...]`` location.
    """
    if not text.strip():
        return [DefinitionProblem(code="SCHEMA_VALIDATION_FAILED", message="Definition must be a valid JSON object")]
    syntax_error = jackson_syntax_error(text)
    if syntax_error is not None:
        return [
            DefinitionProblem(
                code=INVALID_JSON_DESCRIPTION,
                message=syntax_error.full_message,
                location=syntax_error.location,
            )
        ]
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        return [DefinitionProblem(code=INVALID_JSON_DESCRIPTION, message=str(error))]
    return validate_definition(document, state_machine_type=state_machine_type)
