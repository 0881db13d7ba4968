"""Calls of built-in functions for the direct evaluator: the engine's functions, validated faster.

A call in the engine evaluates its arguments, matches their type symbols against the function's
signature (a regular expression over one letter per argument), builds the validated argument list
(substituting the context for a missing ``-`` parameter, wrapping a single value where an array
is expected, checking array member types) and calls the implementation. :class:`BuiltinCall` does
the same with the engine's own signature and implementation, remembering the regular-expression
match per symbol string. Any argument list the engine would refuse raises :class:`Fallback`, so
the engine reports the error in its own words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jsonata.jsonata import Jsonata
from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.fastsequence import symbol

__all__ = ["UNSAFE_FUNCTIONS", "BuiltinCall", "Fallback"]

# Built-ins the direct evaluator never calls: they read the clock or the random source the engine
# is given per evaluation, evaluate text, or only ever raise.
UNSAFE_FUNCTIONS = frozenset(("random", "uuid", "now", "millis", "eval", "shuffle", "error", "assert"))
_MISSING = object()
_MAX_REMEMBERED = 64
_is_numeric = Utils.is_numeric
_convert_number = Utils.convert_number


class Fallback(Exception):  # noqa: N818 - a control signal, not an error
    """This evaluation needs the engine."""


class BuiltinCall:
    """One built-in function (an engine ``JFunction``) called the way the engine calls it."""

    __slots__ = ("_context_patterns", "_function", "_matches", "_method", "_params", "_pattern")

    def __init__(self, function: Any) -> None:
        self._function = function
        signature = function.signature
        self._params: tuple[Any, ...] | None = None if signature is None else tuple(signature._params)
        self._pattern: re.Pattern[str] | None = None if signature is None else signature._regex
        self._context_patterns = (
            {}
            if self._params is None
            else {index: re.compile(param.regex) for index, param in enumerate(self._params) if param.context}
        )
        self._matches: dict[str, tuple[str, ...] | None] = {}
        # A library function is called through ``Functions._call``; doing its work here (pad the
        # arguments, turn an integral number result into an int) saves two calls per evaluation.
        native = type(function) is Jsonata.JNativeFunction and function.method is not None
        self._method: tuple[Any, int] | None = (function.method, function.nargs) if native else None

    def __call__(self, arguments: Sequence[Any], context: Any) -> Any:
        """The function's raw result (before the engine unwraps a sequence)."""
        validated = self._validate(arguments, context)
        method = self._method
        if method is None:
            return self._function.call(context, validated)
        implementation, count = method
        if len(validated) < count:
            validated = [*validated, *([None] * (count - len(validated)))]
        result = implementation(*validated)
        if _is_numeric(result):
            result = _convert_number(result)
        return result

    def _groups(self, arguments: Sequence[Any]) -> tuple[str, ...]:
        if len(arguments) == 1:
            supplied = symbol(arguments[0])
        else:
            supplied = "".join([symbol(argument) for argument in arguments])
        groups = self._matches.get(supplied, _MISSING)
        if groups is _MISSING:
            pattern = self._pattern
            matched = pattern.fullmatch(supplied) if pattern is not None else None
            groups = None if matched is None else matched.groups()
            if len(self._matches) < _MAX_REMEMBERED:
                self._matches[supplied] = groups
        if groups is None:
            raise Fallback
        return groups  # type: ignore[return-value]  # narrowed from the sentinel above

    def _validate(self, arguments: Sequence[Any], context: Any) -> Sequence[Any]:
        # Signature.validate, step by step, with the regular-expression match remembered.
        params = self._params
        if params is None:
            return arguments
        groups = self._groups(arguments)
        validated: list[Any] = []
        position = 0
        count = len(arguments)
        for index, param in enumerate(params):
            matched = groups[index]
            if matched == "":
                if param.context and param.regex is not None:
                    if self._context_patterns[index].fullmatch(symbol(context)) is None:
                        raise Fallback
                    validated.append(context)
                else:
                    validated.append(arguments[position] if position < count else None)
                    position += 1
                continue
            for single in matched:
                argument = arguments[position] if position < count else None
                if param.type == "a":
                    if single == "m":
                        argument = None
                    else:
                        if param.subtype is not None and not _array_members_fit(argument, single, matched, param):
                            raise Fallback
                        if single != "a":
                            argument = [argument]
                validated.append(argument)
                position += 1
        return validated


def _array_members_fit(argument: Any, single: str, matched: str, param: Any) -> bool:
    subtype = param.subtype
    if single != "a":
        return bool(matched == subtype)
    if not argument:
        return True
    wanted = symbol(argument[0])
    if wanted != str(subtype[0]):
        return False
    return all(symbol(member) == wanted for member in argument)
