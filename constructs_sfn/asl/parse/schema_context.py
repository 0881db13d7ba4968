"""Shared vocabulary of the static validator: problem codes, JSON-pointer locations, type checks.

AWS reports schema problems as ``<CODE>: <message> at <location>``. Locations are JSON pointers
built from field names, with array items written ``Field[0]`` (AWS's form, for example
``/States/C/Choices[0]/Next`` or ``/States/P/Branches[0]/States/X``). State names are inserted
verbatim: a state called ``a/b`` is located at ``/States/a/b``, as AWS prints it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionProblem

__all__ = [
    "DUPLICATE_STATE_NAME",
    "INVALID_JSONATA_EXPRESSION",
    "INVALID_JSON_DESCRIPTION",
    "INVALID_LABEL_NAME",
    "INVALID_STATE_NAME",
    "JSONATA",
    "JSONPATH",
    "MISSING_END_STATE",
    "MISSING_TRANSITION_TARGET",
    "SCHEMA_VALIDATION_FAILED",
    "TOO_DEEPLY_NESTED",
    "UNSUPPORTED_JSONATA_EXPRESSION",
    "ProblemSink",
    "at_field",
    "at_index",
    "is_integer",
    "is_number",
    "json_type_name",
    "reported",
]

SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET"
MISSING_END_STATE = "MISSING_END_STATE"
DUPLICATE_STATE_NAME = "DUPLICATE_STATE_NAME"
INVALID_STATE_NAME = "INVALID_STATE_NAME"
INVALID_LABEL_NAME = "INVALID_LABEL_NAME"
INVALID_JSON_DESCRIPTION = "INVALID_JSON_DESCRIPTION"
INVALID_JSONATA_EXPRESSION = "INVALID_JSONATA_EXPRESSION"
UNSUPPORTED_JSONATA_EXPRESSION = "UNSUPPORTED_JSONATA_EXPRESSION"
TOO_DEEPLY_NESTED = "TOO_DEEPLY_NESTED"

JSONPATH = "JSONPath"
JSONATA = "JSONata"


def at_field(location: str, field: str) -> str:
    """The pointer of ``field`` inside the object at ``location`` (``""`` is the root)."""
    return f"{location}/{field}"


def at_index(location: str, index: int) -> str:
    """The pointer of array item ``index`` of the array at ``location``, in AWS's ``[i]`` form."""
    return f"{location}[{index}]"


def reported(location: str) -> str:
    """The root is reported as ``/``; every other pointer as is."""
    return location or "/"


def is_integer(value: Any) -> bool:
    """A JSON integer (``true``/``false`` are not numbers, ``1.5`` is not an integer)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """A finite JSON number."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def json_type_name(value: Any) -> str:
    """The type name AWS prints in ``Expected value of type [...]``."""
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "INTEGER"
    if isinstance(value, float):
        return "NUMBER"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, Mapping):
        return "OBJECT"
    if isinstance(value, list | tuple):
        return "ARRAY"
    return "NULL"


class ProblemSink:
    """Collects problems in the order they are found; the order is part of AWS's contract."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[DefinitionProblem] = []

    def error(self, message: str, location: str, code: str = SCHEMA_VALIDATION_FAILED) -> None:
        """Record an ERROR diagnostic."""
        self.problems.append(DefinitionProblem(code=code, message=message, location=location))

    def warning(self, message: str, location: str, code: str) -> None:
        """Record a WARNING diagnostic (never blocks creation)."""
        self.problems.append(DefinitionProblem(code=code, message=message, location=location, severity="WARNING"))

    def has_errors(self) -> bool:
        """Whether any ERROR was recorded."""
        return any(p.severity == "ERROR" for p in self.problems)

    # -- the recurring schema messages -------------------------------------------------------
    def expect_type(self, value: Any, expected: str, location: str) -> bool:
        """Check ``value`` against one AWS type name (STRING, INTEGER, ...); report when it differs."""
        actual = json_type_name(value)
        ok = actual == expected or (expected == "NUMBER" and actual == "INTEGER")
        if not ok:
            self.error(f"Expected value of type [{expected}]", location)
        return ok

    def required(self, obj: Mapping[str, Any], names: Iterable[str], location: str) -> bool:
        """AWS's ``These fields are required: [A, B]`` for objects of the state machine's skeleton."""
        missing = [name for name in names if name not in obj]
        if missing:
            self.error(f"These fields are required: [{', '.join(missing)}]", reported(location))
        return not missing

    def required_field(self, obj: Mapping[str, Any], name: str, location: str) -> bool:
        """AWS's ``The field 'X' is required but was missing`` for nested configuration objects."""
        if name in obj:
            return True
        self.error(f"The field '{name}' is required but was missing", location)
        return False

    def not_supported(self, field: str, location: str) -> None:
        """AWS's message for a field the object does not accept, located at the object."""
        self.error(f"Field '{field}' is not supported", reported(location))

    def one_of(self, value: Any, allowed: tuple[str, ...], location: str) -> bool:
        """An enum field: a string from ``allowed``."""
        if not self.expect_type(value, "STRING", location):
            return False
        if value not in allowed:
            self.error(f"Value should be one of the following: [{', '.join(allowed)}]", location)
            return False
        return True

    def integer_in_range(
        self, value: Any, location: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> bool:
        """An integer field with AWS's ``Minimum value is N`` / ``Maximum value is N`` bounds."""
        if not is_integer(value):
            self.error("Expected value of type [INTEGER]", location)
            return False
        return self._bounds(value, location, minimum, maximum)

    def number_in_range(
        self,
        value: Any,
        location: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> bool:
        """A number field with bounds."""
        if not is_number(value):
            self.error("Expected value of type [NUMBER]", location)
            return False
        return self._bounds(value, location, minimum, maximum)

    def _bounds(self, value: float, location: str, minimum: float | None, maximum: float | None) -> bool:
        if minimum is not None and value < minimum:
            self.error(f"Minimum value is {_number_text(minimum)}", location)
            return False
        if maximum is not None and value > maximum:
            self.error(f"Maximum value is {_number_text(maximum)}", location)
            return False
        return True

    def non_empty(self, value: Any, location: str) -> bool:
        """AWS's ``Value cannot be empty`` for arrays and objects that need at least one item."""
        if len(value) == 0:
            self.error("Value cannot be empty", location)
            return False
        return True


def _number_text(value: float) -> str:
    return str(value)
