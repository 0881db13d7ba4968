"""Evaluating JSONata function calls in the direct evaluator: built-ins called with compiled
arguments, and ``$map``/``$filter`` applying a function literal.

A built-in is the engine's own implementation (:class:`~constructs_sfn.asl.jsonata.fastcall.BuiltinCall`);
``$exists``, ``$count``, ``$boolean`` and ``$not`` of one argument are answered here, as the engine's
implementations answer them after the signature's argument handling. A workflow variable with the
function's name shadows it: the call then falls back to the engine. Which calls have these shapes
is recognized by :mod:`.fastpath`, which compiles their arguments and function bodies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from constructs_sfn.asl.jsonata.budget import CHECK_INTERVAL, checkpoint
from constructs_sfn.asl.jsonata.fastcall import BuiltinCall, Fallback
from constructs_sfn.asl.jsonata.fastsequence import NULL, sequence, symbol, truthy
from constructs_sfn.asl.jsonata.fasttypes import Call, Node, Scope

__all__ = ["builtin_call", "higher_order_call"]

# Function applications left before the next look at the budget, counted over every loop (nested
# loops of a few hundred members each multiply). Shared by threads: a race only moves a look.
_COUNTDOWN = [CHECK_INTERVAL]


def _count(argument: Any) -> int:
    # <a:n>: undefined (or null, whose symbol is "m") counts 0, a single value is an array of one.
    if argument is None or argument is NULL:
        return 0
    return len(argument) if isinstance(argument, list) else 1


def _boolean(argument: Any) -> bool | None:
    return None if argument is None else truthy(argument)


def _not(argument: Any) -> bool | None:
    return None if argument is None else not truthy(argument)


# Built-ins whose one-argument form (any argument type) is simple enough to answer here; each is
# ``Functions``' implementation after the signature's argument handling.
_ONE_ARGUMENT: dict[str, Callable[[Any], Any]] = {
    "exists": lambda argument: argument is not None,
    "count": _count,
    "boolean": _boolean,
    "not": _not,
}


def builtin_call(name: str, function: Any, parts: tuple[Node, ...]) -> Call:
    """A call of the built-in ``name`` (the engine's ``function``) with the compiled arguments ``parts``."""
    call = BuiltinCall(function)
    if len(parts) == 1:
        only = parts[0]
        direct = _ONE_ARGUMENT.get(name)
        if direct is not None:
            implementation = direct

            def call_direct(value: Any, scope: Scope, signature_context: Any) -> Any:
                if name in scope[1]:
                    raise Fallback
                return implementation(only(value, scope))

            return call_direct

        def call_one(value: Any, scope: Scope, signature_context: Any) -> Any:
            if name in scope[1]:
                raise Fallback  # a workflow variable shadows the built-in
            return call((only(value, scope),), signature_context)

        return call_one

    def call_many(value: Any, scope: Scope, signature_context: Any) -> Any:
        if name in scope[1]:
            raise Fallback
        return call([part(value, scope) for part in parts], signature_context)

    return call_many


def higher_order_call(name: str, array: Node, body: Node, parameters: list[str]) -> Call:
    """``$map`` (``name`` "map") or ``$filter`` of the compiled ``array`` with a function literal of
    ``parameters`` (one to three: member, index, array) and the compiled ``body``."""
    arity = len(parameters)
    keeps_results = name == "map"

    def apply(value: Any, scope: Scope, signature_context: Any) -> Any:
        if name in scope[1]:
            raise Fallback
        members = array(value, scope)
        kind = symbol(members)
        if kind == "m":
            return None
        if kind != "a":
            members = [members]
        results = sequence()
        for index, member in enumerate(members):
            _COUNTDOWN[0] -= 1
            if _COUNTDOWN[0] <= 0:
                _COUNTDOWN[0] = CHECK_INTERVAL
                checkpoint()
            bound = dict(scope[2])
            bound[parameters[0]] = member
            if arity > 1:
                bound[parameters[1]] = index
                if arity > 2:
                    bound[parameters[2]] = members
            # The function body sees the context the function literal was written in.
            outcome = body(value, (scope[0], scope[1], bound))
            if keeps_results:
                if outcome is not None:
                    results.append(outcome)
            elif truthy(outcome):
                results.append(member)
        return results

    return apply
