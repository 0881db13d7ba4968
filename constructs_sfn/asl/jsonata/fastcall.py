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
_MAX_REMEMBERED = 64
_is_numeric = Utils.is_numeric
_convert_number = Utils.convert_number


class Fallback(Exception):  # noqa: N818 - a control signal, not an error
    """This evaluation needs the engine."""


# How one validated argument is produced (see ``_plan``).
_TAKE, _CONTEXT, _UNDEFINED, _WRAP, _TAKE_MEMBERS_OF = range(5)
_Step = tuple[int, int, Any]
# Exact types whose signature symbol is known without ``symbol`` (``Signature.get_symbol``).
_MEMBER_TYPES: dict[str, frozenset[type]] = {
    "n": frozenset((int, float)),
    "s": frozenset((str,)),
    "b": frozenset((bool,)),
    "o": frozenset((dict,)),
}
# Result types ``Functions._call`` leaves alone (it converts numbers only).
_NOT_NUMBERS = frozenset((str, bool, dict, list, type(None), Utils.JList, type(Utils.NULL_VALUE)))
_EXACT_INTEGER = 1 << 53


class BuiltinCall:
    """One built-in function (an engine ``JFunction``) called the way the engine calls it."""

    __slots__ = ("_function", "_method", "_params", "_pattern", "_plans")

    def __init__(self, function: Any) -> None:
        self._function = function
        signature = function.signature
        self._params: tuple[Any, ...] | None = None if signature is None else tuple(signature._params)
        self._pattern: re.Pattern[str] | None = None if signature is None else signature._regex
        self._plans: dict[str, tuple[_Step, ...] | None] = {}
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
        kind = type(result)
        if kind in _NOT_NUMBERS or (kind is int and -_EXACT_INTEGER <= result <= _EXACT_INTEGER):
            return result
        return _convert_number(result) if _is_numeric(result) else result

    def _validate(self, arguments: Sequence[Any], context: Any) -> Sequence[Any]:
        if self._params is None:
            return arguments
        if len(arguments) == 1:
            supplied = symbol(arguments[0])
        else:
            supplied = "".join([symbol(argument) for argument in arguments])
        if supplied in self._plans:
            plan = self._plans[supplied]
        else:
            plan = self._plan(supplied)
            if len(self._plans) < _MAX_REMEMBERED:
                self._plans[supplied] = plan
        if plan is None:
            raise Fallback
        count = len(arguments)
        validated: list[Any] = []
        for kind, position, detail in plan:
            if kind == _TAKE:
                validated.append(arguments[position] if position < count else None)
            elif kind == _UNDEFINED:
                validated.append(None)
            elif kind == _WRAP:
                validated.append([arguments[position] if position < count else None])
            elif kind == _TAKE_MEMBERS_OF:
                argument = arguments[position]
                if argument and not _members_are(argument, detail):
                    raise Fallback
                validated.append(argument)
            else:
                if detail.fullmatch(symbol(context)) is None:
                    raise Fallback
                validated.append(context)
        return validated

    def _plan(self, supplied: str) -> tuple[_Step, ...] | None:
        """``Signature.validate`` for one string of argument symbols, as steps; ``None``: refused.

        Everything but the context's type and an array's member types follows from the symbols.
        """
        pattern, params = self._pattern, self._params
        matched = pattern.fullmatch(supplied) if pattern is not None else None
        if matched is None or params is None:
            return None
        steps: list[_Step] = []
        position = 0
        for param, group in zip(params, matched.groups(), strict=True):
            if group == "":
                if param.context and param.regex is not None:
                    steps.append((_CONTEXT, 0, re.compile(param.regex)))
                else:
                    steps.append((_TAKE, position, None))
                    position += 1
                continue
            for single in group:
                if param.type != "a":
                    steps.append((_TAKE, position, None))
                elif single == "m":
                    steps.append((_UNDEFINED, position, None))
                elif single != "a":
                    if param.subtype is not None and group != param.subtype:
                        return None
                    steps.append((_WRAP, position, None))
                elif param.subtype is not None:
                    steps.append((_TAKE_MEMBERS_OF, position, str(param.subtype[0])))
                else:
                    steps.append((_TAKE, position, None))
                position += 1
        return tuple(steps)


def _members_are(argument: Any, wanted: str) -> bool:
    """Whether every member of a non-empty array has the signature symbol ``wanted``."""
    fitting = _MEMBER_TYPES.get(wanted, frozenset())
    # A loop, not all() over a generator: three times faster on the short arrays calls get.
    for member in argument:  # noqa: SIM110
        if type(member) not in fitting and symbol(member) != wanted:
            return False
    return True
