"""JSON values of JSONata-mode fields: literals, ``{% %}`` expressions, and templates of both.

``Arguments``, ``Output``, ``Assign``, ``Items``, ``ItemSelector`` ... take any JSON value; a
string that starts with ``{%`` and ends with ``%}`` (no surrounding whitespace, as AWS requires)
is an expression, every other string is literal, and objects and arrays are templates whose
members may be either. Expressions are compiled once here. A failure names the field the way AWS
does: ``/key`` per object key and ``[i]`` per array index below the field
(``Output/values[0]``, ``Assign/x/y``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.jsonata import messages
from constructs_sfn.asl.jsonata.expression import JsonataExpression, compile_expression
from constructs_sfn.asl.jsonata.jsvalues import js_type_name, to_json_text

__all__ = ["JsonataValue", "compile_jsonata_value", "expression_text", "is_jsonata_expression"]

_OPEN = "{%"
_CLOSE = "%}"


def is_jsonata_expression(value: Any) -> bool:
    """True for a string AWS evaluates as JSONata: exactly ``{% ... %}``, nothing around it."""
    return (
        isinstance(value, str)
        and len(value) >= len(_OPEN) + len(_CLOSE)
        and value.startswith(_OPEN)
        and value.endswith(_CLOSE)
    )


def expression_text(value: str) -> str:
    """The expression inside ``{% %}``, trimmed; AWS quotes this text in its causes."""
    return value[len(_OPEN) : -len(_CLOSE)].strip()


class JsonataValue:
    """A compiled JSONata-mode field value.

    ``is_constant`` is true when no expression is inside; ``evaluate`` then returns the value with
    no work. ``expression`` is the compiled expression when the whole value is one ``{% %}``
    string, else ``None``.
    """

    __slots__ = ("expression", "is_constant")

    def __init__(self, *, is_constant: bool, expression: JsonataExpression | None = None) -> None:
        self.is_constant = is_constant
        self.expression = expression

    def evaluate(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> Any:
        """The JSON value; expressions see ``$states`` and the workflow variables as ``$name``.

        ``field`` names the ASL field for AWS's causes (``Output``, ``Arguments``, ``Items``).
        ``now_millis`` is what ``$now()``/``$millis()`` return (default: the wall clock).
        Raises ``StatesError(States.QueryEvaluationError)`` on any evaluation failure.
        """
        raise NotImplementedError

    def evaluate_typed(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        expected: str,
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> Any:
        """Like :meth:`evaluate`, for a field that needs one JSON type (``Items``: ``'array'``).

        ``expected`` is a JSON type name (``array``, ``object``, ``string``, ``number``,
        ``boolean``); a mismatch is AWS's "returned an unexpected result type" failure.
        """
        value = self.evaluate(states, variables, field=field, rng=rng, now_millis=now_millis)
        actual = js_type_name(value)
        if actual != expected and self.expression is not None:
            raise StatesError(
                ErrorName.QUERY_EVALUATION_ERROR,
                messages.unexpected_type(self.expression.text, field, expected, actual, to_json_text(value)),
            )
        return value


class _Constant(JsonataValue):
    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        super().__init__(is_constant=True)
        self._value = value

    def evaluate(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> Any:
        return self._value


class _Expression(JsonataValue):
    __slots__ = ()

    def __init__(self, expression: JsonataExpression) -> None:
        super().__init__(is_constant=False, expression=expression)

    def evaluate(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> Any:
        expression = self.expression
        if expression is None:  # pragma: no cover - set in __init__
            raise AssertionError
        return expression.evaluate(states, variables, field=field, rng=rng, now_millis=now_millis)


class _Object(JsonataValue):
    __slots__ = ("_members",)

    def __init__(self, members: tuple[tuple[str, JsonataValue], ...]) -> None:
        super().__init__(is_constant=False)
        self._members = members

    def evaluate(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> Any:
        return {
            key: member.evaluate(states, variables, field=f"{field}/{key}", rng=rng, now_millis=now_millis)
            for key, member in self._members
        }


class _Array(JsonataValue):
    __slots__ = ("_items",)

    def __init__(self, items: tuple[JsonataValue, ...]) -> None:
        super().__init__(is_constant=False)
        self._items = items

    def evaluate(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> Any:
        return [
            item.evaluate(states, variables, field=f"{field}[{index}]", rng=rng, now_millis=now_millis)
            for index, item in enumerate(self._items)
        ]


def compile_jsonata_value(value: Any, *, location: str) -> JsonataValue:
    """Compile a JSONata-mode field value; ``location`` is its JSON pointer for definition errors.

    Raises :class:`~constructs_sfn.asl.errors.DefinitionError` (``INVALID_JSONATA_EXPRESSION``,
    ``UNSUPPORTED_JSONATA_EXPRESSION``) at the pointer of the offending string.
    """
    if is_jsonata_expression(value):
        return _Expression(compile_expression(expression_text(value), location=location))
    if isinstance(value, dict):
        members = tuple(
            (str(key), compile_jsonata_value(member, location=f"{location}/{_pointer_token(str(key))}"))
            for key, member in value.items()
        )
        if all(member.is_constant for _, member in members):
            return _Constant(value)
        return _Object(members)
    if isinstance(value, list):
        items = tuple(compile_jsonata_value(item, location=f"{location}/{index}") for index, item in enumerate(value))
        if all(item.is_constant for item in items):
            return _Constant(value)
        return _Array(items)
    return _Constant(value)


def _pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
