"""State machine definitions at the API boundary: AWS's static checks, then the parsed model.

``CreateStateMachine``/``UpdateStateMachine`` reject a definition with ``InvalidDefinition``
(``Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ... at /States/X/Next'``) and
``ValidateStateMachineDefinition`` reports the same problems as diagnostics. The checks themselves
live in :mod:`constructs_sfn.asl.parse.validate`; this module adds the ones that depend on the
state machine type (what EXPRESS workflows cannot do) and turns problems into API shapes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from constructs_sfn.asl.errors import DefinitionError, DefinitionProblem
from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text

__all__ = [
    "CheckedDefinition",
    "check_definition",
    "diagnostics",
    "invalid_definition_message",
]

_NOT_AN_OBJECT = "Definition must be a valid JSON object"


class CheckedDefinition:
    """The outcome of checking one definition text: its problems and, when valid, its document."""

    __slots__ = ("document", "problems")

    def __init__(self, problems: Sequence[DefinitionProblem], document: Mapping[str, Any] | None) -> None:
        self.problems = tuple(problems)
        self.document = document

    @property
    def errors(self) -> tuple[DefinitionProblem, ...]:
        """The problems that make the definition unusable (severity ``ERROR``)."""
        return tuple(problem for problem in self.problems if problem.severity == "ERROR")


def check_definition(
    text: str, *, state_machine_type: str = "STANDARD", allow_missing_targets: bool = False
) -> CheckedDefinition:
    """Check ``text`` as AWS does for a state machine of ``state_machine_type``.

    ``allow_missing_targets`` relaxes transition-target checks, for TestState's single-state form
    where ``Next`` names a state outside the definition.
    """
    problems = list(_static_problems(text))
    if allow_missing_targets:
        problems = [p for p in problems if p.code != "MISSING_TRANSITION_TARGET"]
    document: Mapping[str, Any] | None = None
    if not any(p.severity == "ERROR" for p in problems):
        decoded = parse_json_text(text)
        document = decoded if isinstance(decoded, Mapping) else None
        if document is not None and state_machine_type == "EXPRESS":
            problems.extend(_express_problems(document, ""))
    return CheckedDefinition(problems, document if not any(p.severity == "ERROR" for p in problems) else None)


def invalid_definition_message(problems: Sequence[DefinitionProblem]) -> str:
    """AWS's ``InvalidDefinition`` message for ``problems`` (errors only)."""
    try:
        from constructs_sfn.asl.parse.validate import render_invalid_definition_message
    except ImportError:
        return DefinitionError(problems[0].message, problems=tuple(problems)).render()
    return str(render_invalid_definition_message(list(problems)))


def diagnostics(problems: Sequence[DefinitionProblem]) -> list[dict[str, str]]:
    """``ValidateStateMachineDefinition`` diagnostics for ``problems``."""
    try:
        from constructs_sfn.asl.parse.validate import to_diagnostics
    except ImportError:
        return [_diagnostic(problem) for problem in problems]
    return [dict(item) for item in to_diagnostics(list(problems))]


def _diagnostic(problem: DefinitionProblem) -> dict[str, str]:
    out = {"severity": problem.severity, "code": problem.code, "message": problem.message}
    if problem.location:
        out["location"] = problem.location
    return out


def _static_problems(text: str) -> list[DefinitionProblem]:
    try:
        from constructs_sfn.asl.parse.validate import validate_definition
    except ImportError:
        return _fallback_problems(text)
    return list(validate_definition(text))


def _fallback_problems(text: str) -> list[DefinitionProblem]:
    """Until the full validator is available: JSON syntax, then whatever the parser refuses."""
    from constructs_sfn.asl.parse import parse_definition

    try:
        document = parse_json_text(text)
    except JsonSyntaxError as error:
        if not error.message:
            return [DefinitionProblem(code="SCHEMA_VALIDATION_FAILED", message=_NOT_AN_OBJECT)]
        return [
            DefinitionProblem(
                code="INVALID_JSON_DESCRIPTION",
                message=f"{error.message}\n at {error.location}",
                location=error.location,
            )
        ]
    if not isinstance(document, Mapping):
        return [DefinitionProblem(code="SCHEMA_VALIDATION_FAILED", message=_NOT_AN_OBJECT)]
    try:
        parse_definition(document, validate=False)
    except DefinitionError as error:
        return list(error.problems)
    return []


def _express_problems(document: Mapping[str, Any], base: str) -> Iterator[DefinitionProblem]:
    """What an EXPRESS workflow may not contain: ``.sync``, ``.waitForTaskToken``, activities."""
    for state, location in _states(document, base):
        resource = state.get("Resource")
        if state.get("Type") != "Task" or not isinstance(resource, str):
            continue
        where = f"{location}/Resource"
        if resource.endswith((".sync", ".sync:2")):
            message = "Express state machine does not support '.sync' service integration"
        elif resource.endswith(".waitForTaskToken"):
            # AWS's message really ends with a space before " at <location>".
            message = "Express state machine does not support '.waitForTaskToken' service integration "
        elif ":activity:" in resource and resource.split(":")[2:3] == ["states"]:
            message = "Express state machine does not support Activity ARN"
        else:
            continue
        yield DefinitionProblem(code="SCHEMA_VALIDATION_FAILED", message=message, location=where)


def _states(document: Mapping[str, Any], base: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    states = document.get("States")
    if not isinstance(states, Mapping):
        return
    for name, state in states.items():
        if not isinstance(state, Mapping):
            continue
        location = f"{base}/States/{name}"
        yield state, location
        branches = state.get("Branches")
        if isinstance(branches, list):
            for index, branch in enumerate(branches):
                if isinstance(branch, Mapping):
                    yield from _states(branch, f"{location}/Branches/{index}")
        for field in ("ItemProcessor", "Iterator"):
            processor = state.get(field)
            if isinstance(processor, Mapping):
                yield from _states(processor, f"{location}/{field}")
