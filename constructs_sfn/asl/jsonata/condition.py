"""A Choice rule's ``Condition`` in JSONata mode: an expression that must evaluate to a boolean."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonata.template import JsonataValue, compile_jsonata_value, is_jsonata_expression

__all__ = ["JsonataCondition", "compile_condition"]


class JsonataCondition:
    """A compiled ``Condition``: a literal boolean or a ``{% %}`` expression."""

    __slots__ = ("_value",)

    def __init__(self, value: JsonataValue) -> None:
        self._value = value

    @property
    def is_constant(self) -> bool:
        """True for a literal ``true``/``false``."""
        return self._value.is_constant

    def evaluate(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str = "Condition",
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> bool:
        """Whether the rule matches; a non-boolean result is AWS's unexpected-type failure."""
        result = self._value.evaluate_typed(
            states, variables, field=field, expected="boolean", rng=rng, now_millis=now_millis
        )
        return bool(result)


def compile_condition(value: Any, *, location: str) -> JsonataCondition:
    """Compile a ``Condition`` field; ``location`` is its JSON pointer for definition errors."""
    if isinstance(value, bool) or is_jsonata_expression(value):
        return JsonataCondition(compile_jsonata_value(value, location=location))
    raise DefinitionError(
        "The value of the field 'Condition' must be a boolean or a JSONata expression",
        location=location,
    )
