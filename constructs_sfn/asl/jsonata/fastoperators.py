"""Evaluating JSONata's operators and constructors in the direct evaluator.

The arithmetic and comparison functions take the compiled operands and the engine's own
implementation of the operator, and answer the common cases (integers within 2**53, strings,
booleans, numbers of one type) themselves, exactly as the engine would; every other case goes to
the engine's implementation. Negation and the array and object constructors build the engine's
values from their compiled parts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.fastcall import Fallback
from constructs_sfn.asl.jsonata.fastsequence import JList
from constructs_sfn.asl.jsonata.fasttypes import Node, Scope

__all__ = [
    "ORDERINGS",
    "arithmetic",
    "array_constructor",
    "equality",
    "negation",
    "object_constructor",
    "ordering",
]

_EXACT_INTEGER = 1 << 53
_INTEGER_OPERATIONS: dict[str, Callable[[int, int], int]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}
ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
"""The ordering operators and their Python meaning for two values of one type."""
_is_numeric = Utils.is_numeric
_convert_number = Utils.convert_number


def arithmetic(left: Node, right: Node, op: str, numeric: Callable[[Any, Any, str], Any]) -> Node:
    """``left op right`` for ``+ - * / %``; ``numeric`` is the engine's ``evaluate_numeric_expression``."""
    exact = _INTEGER_OPERATIONS.get(op)

    def compute(value: Any, scope: Scope) -> Any:
        a = left(value, scope)
        b = right(value, scope)
        if exact is not None and type(a) is int and type(b) is int:
            # The engine computes in doubles; within 2**53 that is the integer result.
            result = exact(a, b)
            if abs(a) <= _EXACT_INTEGER and abs(b) <= _EXACT_INTEGER and abs(result) <= _EXACT_INTEGER:
                return result
        return numeric(a, b, op)

    return compute


def equality(left: Node, right: Node, equal: bool, general: Callable[[Any, Any, str], Any]) -> Node:
    """``left = right`` (``equal``) or ``left != right``; ``general`` is the engine's equality."""
    op = "=" if equal else "!="

    def compare(value: Any, scope: Scope) -> Any:
        a = left(value, scope)
        b = right(value, scope)
        kind = type(a)
        if kind is type(b) and (kind is str or kind is bool):
            return (a == b) is equal
        return general(a, b, op)

    return compare


def ordering(left: Node, right: Node, op: str, general: Callable[[Any, Any, str], Any]) -> Node:
    """``left op right`` for ``< <= > >=``; ``general`` is the engine's comparison."""
    order = ORDERINGS[op]

    def compare(value: Any, scope: Scope) -> Any:
        a = left(value, scope)
        b = right(value, scope)
        kind = type(a)
        if kind is type(b) and (kind is int or kind is str or kind is float):
            return order(a, b)
        return general(a, b, op)

    return compare


def negation(operand: Node) -> Node:
    """``-operand``: undefined stays undefined; a value that is not a number falls back to the engine."""

    def negate(value: Any, scope: Scope) -> Any:
        result = operand(value, scope)
        if result is None:
            return None
        if _is_numeric(result):
            return _convert_number(-float(result))
        raise Fallback

    return negate


def array_constructor(plan: tuple[tuple[Node, bool], ...], *, constructed: bool) -> Node:
    """``[a, b, ...]``: each member's value, spliced in when it is an array unless the member is
    itself an array constructor (``True`` in ``plan``); ``constructed``: the node was written ``[...]``."""

    def build(value: Any, scope: Scope) -> Any:
        result = JList()
        for item, nested in plan:
            member = item(value, scope)
            if member is not None:
                if nested or not isinstance(member, list):
                    result.append(member)
                else:
                    result.extend(member)
        if constructed:
            result.cons = True
        return result

    return build


def object_constructor(plan: tuple[tuple[str, Node], ...]) -> Node:
    """``{"key": value, ...}`` with literal keys; members whose value is undefined are left out."""

    def build(value: Any, scope: Scope) -> Any:
        if isinstance(value, list):
            raise Fallback  # over an array the engine groups the members by key
        result = {}
        for key, member in plan:
            found = member(value, scope)
            if found is not None:
                result[key] = found
        return result

    return build
