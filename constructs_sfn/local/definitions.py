"""State machine definitions at the API boundary: AWS's static checks, then the parsed model.

``CreateStateMachine``/``UpdateStateMachine`` reject a definition with ``InvalidDefinition``
(``Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ... at /States/X/Next'``) and
``ValidateStateMachineDefinition`` reports the same problems as diagnostics. The checks live in
:mod:`constructs_sfn.asl.parse.validate`; this module applies them to the text callers send.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from constructs_sfn.asl.errors import DefinitionProblem
from constructs_sfn.asl.parse.validate import (
    render_invalid_definition_message,
    validate_definition_text,
    validate_state_definition,
    validation_response,
)

__all__ = [
    "CheckedDefinition",
    "check_definition",
    "check_single_state",
    "invalid_definition_message",
    "validation_result",
]


class CheckedDefinition:
    """The outcome of checking one definition: its problems and, when usable, its document."""

    __slots__ = ("document", "problems", "text")

    def __init__(self, text: str, problems: Sequence[DefinitionProblem], document: Mapping[str, Any] | None) -> None:
        self.text = text
        self.problems = tuple(problems)
        self.document = document

    @property
    def errors(self) -> tuple[DefinitionProblem, ...]:
        """The problems that make the definition unusable (severity ``ERROR``)."""
        return tuple(problem for problem in self.problems if problem.severity == "ERROR")

    @property
    def message(self) -> str:
        """AWS's ``InvalidDefinition`` message for the errors."""
        return invalid_definition_message(self.errors, self.text)


def check_definition(text: str, *, state_machine_type: str = "STANDARD") -> CheckedDefinition:
    """Check definition ``text`` as AWS does for a state machine of ``state_machine_type``."""
    problems = validate_definition_text(text, state_machine_type=state_machine_type)
    document = None
    if not any(problem.severity == "ERROR" for problem in problems):
        decoded = json.loads(text)
        document = decoded if isinstance(decoded, Mapping) else None
    return CheckedDefinition(text, problems, document)


def check_single_state(text: str, document: Any, *, state_name: str) -> CheckedDefinition:
    """Check a lone state (TestState without ``stateName``), located as ``/States/<state_name>``."""
    problems = validate_state_definition(document, state_name=state_name)
    usable = document if isinstance(document, Mapping) else None
    return CheckedDefinition(text, problems, usable)


def invalid_definition_message(problems: Sequence[DefinitionProblem], text: str) -> str:
    """AWS's ``InvalidDefinition`` message for ``problems`` of the definition ``text``."""
    return render_invalid_definition_message(list(problems), definition_text=text)


def validation_result(checked: CheckedDefinition, *, severity: str, max_results: int) -> dict[str, Any]:
    """``ValidateStateMachineDefinition``'s body: ``result``, ``diagnostics``, ``truncated``."""
    return validation_response(checked.problems, severity=severity, max_results=max_results)
