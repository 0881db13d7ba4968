"""Compiled intrinsic function calls: ``compile_intrinsic`` once, ``Intrinsic.evaluate`` per use."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, Final

from constructs_sfn.asl.errors import DefinitionError, ErrorName, StatesError
from constructs_sfn.asl.intrinsics.functions import FUNCTIONS, format_pieces
from constructs_sfn.asl.intrinsics.grammar import Argument, Call, LiteralArg, PathArg, StringArg, parse_call
from constructs_sfn.asl.jsonpath.evaluate import PathNotFound
from constructs_sfn.asl.jsonpath.jsontext import to_json_text

__all__ = ["Intrinsic", "compile_intrinsic", "is_intrinsic"]

_KNOWN: Final = frozenset(FUNCTIONS)
_SYSTEM_RANDOM: Final = random.SystemRandom()


def is_intrinsic(text: str) -> bool:
    """Whether a ``.$`` field's string value is an intrinsic call rather than a path."""
    return text.startswith("States.")


def _check_arity(call: Call, location: str) -> None:
    spec = FUNCTIONS[call.name]
    count = len(call.args)
    if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
        if spec.max_args is None:
            expected = f"at least {spec.min_args}"
        elif spec.min_args == spec.max_args:
            expected = str(spec.min_args)
        else:
            expected = f"{spec.min_args} to {spec.max_args}"
        raise DefinitionError(
            f"Invalid intrinsic function call {call.text!r}: {call.name} takes {expected} "
            f"argument(s) but {count} were given",
            location=location,
        )
    for arg in call.args:
        if isinstance(arg, Call):
            _check_arity(arg, location)


class Intrinsic:
    """A compiled intrinsic function call such as ``States.Format('{}', $.name)``."""

    __slots__ = ("_call", "field", "text")

    def __init__(self, text: str, call: Call, field: str) -> None:
        self.text = text
        self._call = call
        self.field = field

    def __repr__(self) -> str:
        return f"Intrinsic({self.text!r})"

    @property
    def name(self) -> str:
        """The outermost function's name, e.g. ``States.Format``."""
        return self._call.name

    def evaluate(
        self,
        input: Any,
        context: Any = None,
        variables: Mapping[str, Any] | None = None,
        rng: random.Random | None = None,
    ) -> Any:
        """Evaluate the call. Failures raise StatesError (``States.Runtime``) with AWS's cause."""
        return self._invoke(self._call, input, context, variables, _SYSTEM_RANDOM if rng is None else rng)

    def _invoke(
        self, call: Call, input: Any, context: Any, variables: Mapping[str, Any] | None, rng: random.Random
    ) -> Any:
        args = call.args
        if call.name == "States.Format" and args and isinstance(args[0], StringArg):
            # A literal template keeps escaped braces apart from "{}" placeholders.
            values = [self._value(arg, input, context, variables, rng) for arg in args[1:]]
            return format_pieces(call.name, args[0].pieces, values)
        values = [self._value(arg, input, context, variables, rng) for arg in args]
        return FUNCTIONS[call.name].impl(call.name, values, rng)

    def _value(
        self, arg: Argument, input: Any, context: Any, variables: Mapping[str, Any] | None, rng: random.Random
    ) -> Any:
        if isinstance(arg, PathArg):
            try:
                return arg.path.find(input, context, variables)
            except PathNotFound as missing:
                raise StatesError(
                    ErrorName.RUNTIME,
                    f"The JsonPath argument for the field '{self.field}' could not be found in the "
                    f"input '{to_json_text(input)}'",
                ) from missing
        if isinstance(arg, StringArg):
            return arg.value
        if isinstance(arg, LiteralArg):
            return arg.value
        return self._invoke(arg, input, context, variables, rng)


def compile_intrinsic(text: str, *, location: str = "", field: str = "") -> Intrinsic:
    """Compile an intrinsic call; raise DefinitionError (with ``location``) when malformed.

    ``field`` names the payload-template key (``"x.$"``) for runtime causes; it defaults to the
    call text.
    """
    call = parse_call(text, location=location, known=_KNOWN)
    _check_arity(call, location)
    return Intrinsic(text, call, field or text)
