"""The engine's sequence rules, transcribed for the direct evaluator.

jsonata-python represents a JSONata *sequence* as a ``Utils.JList`` flagged ``sequence``; a
sequence of one stands for its member and an empty one for *undefined* (the engine "mangles" every
node's result that way), a path step flattens the arrays it produces one level unless they were
built by an array constructor (``cons``), and a predicate either picks positions or keeps the
members for which it holds. The direct evaluator produces exactly the engine's intermediate values
(the same ``JList`` flags included), so that every later rule, and the engine's own functions it
calls, see what they would have seen in the engine. Each function here mirrors one engine method
and says which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from jsonata.jsonata import Jsonata
from jsonata.signature import Signature
from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.budget import check_sequence_length

__all__ = [
    "NULL",
    "JList",
    "finish_step",
    "index_filter",
    "lookup",
    "predicate_filter",
    "sequence",
    "symbol",
    "truthy",
    "unwrap",
]

JList = Utils.JList
NULL = Utils.NULL_VALUE
_MISSING = object()
_is_numeric = Utils.is_numeric
_is_array_of_numbers = Utils.is_array_of_numbers
_boolize = Jsonata.boolize
# Signature symbols of the JSON types, by exact type (the engine's ``Signature.get_symbol``).
_SYMBOLS: dict[type, str] = {
    str: "s",
    bool: "b",
    int: "n",
    float: "n",
    list: "a",
    JList: "a",
    dict: "o",
    type(None): "m",
    type(NULL): "m",
}
_signature_symbol = Signature.get_symbol


def truthy(value: Any) -> bool:
    """The effective boolean value (``Jsonata.boolize``; undefined is false)."""
    if value is True:
        return True
    if value is False or value is None:
        return False
    result: bool = _boolize(value)
    return result


def sequence(items: Sequence[Any] = ()) -> Any:
    """A new sequence holding ``items`` (``Utils.create_sequence``)."""
    result = JList(items)
    result.sequence = True
    return result


def unwrap(result: Any) -> Any:
    """What the engine makes of a node's result: a sequence of one is its member, none is undefined."""
    if type(result) is JList and result.sequence and not result.tuple_stream:
        if not result:
            return None
        if len(result) == 1 and not result.keep_singleton:
            return result[0]
    return result


def lookup(value: Any, key: str) -> Any:
    """A field of an object, mapped over an array (``Functions.lookup``), before unwrapping."""
    if isinstance(value, dict):
        found = value.get(key, _MISSING)
        if found is _MISSING:
            return None
        return NULL if found is None else found
    if isinstance(value, list):
        result = sequence()
        for item in value:
            found = lookup(item, key)
            if found is not None:
                if isinstance(found, list):
                    result.extend(found)
                else:
                    result.append(found)
        return result
    return None


def finish_step(results: list[Any], *, last: bool) -> Any:
    """The value a path step hands on (the end of ``Jsonata.evaluate_step``).

    ``results`` are the step's non-undefined results, one per input member. The last step keeps
    a single array as it is; otherwise arrays are flattened into the sequence, except arrays an
    array constructor built. A flattened sequence longer than the evaluation's item limit is
    refused (``$a.$a.$a`` multiplies sizes without creating anything else).
    """
    if last and len(results) == 1:
        only = results[0]
        if type(only) is JList:
            if not only.sequence:
                return only
        elif isinstance(only, list):
            return only
    flat = sequence()
    for result in results:
        if type(result) is JList:
            if result.cons:
                flat.append(result)
            else:
                check_sequence_length(len(flat) + len(result))
                flat.extend(result)
        elif isinstance(result, list):
            check_sequence_length(len(flat) + len(result))
            flat.extend(result)
        else:
            flat.append(result)
    return flat


def _members(value: Any) -> Any:
    if value is None:
        return sequence()
    if not isinstance(value, list):
        return sequence((value,))
    return value


def index_filter(position: int) -> Callable[[Any], Any]:
    """A predicate that is a number literal: pick one member, counting from the end when negative.

    (``Jsonata.evaluate_filter`` for a ``number`` predicate.)
    """

    def pick(value: Any) -> Any:
        members = _members(value)
        index = position + len(members) if position < 0 else position
        results = sequence()
        if 0 <= index < len(members):
            item = members[index]
            if item is None:
                item = NULL
            if isinstance(item, list):
                return item
            results.append(item)
        return results

    return pick


def predicate_filter(test: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Keep the members the predicate holds for, or the positions it evaluates to.

    ``test(member, scope)`` evaluates the predicate with the member as its context
    (``Jsonata.evaluate_filter`` for any other predicate).
    """

    def keep(value: Any, scope: Any) -> Any:
        members = _members(value)
        results = sequence()
        count = len(members)
        for index, item in enumerate(members):
            outcome = test(item, scope)
            if outcome is True:
                results.append(item)
                continue
            if outcome is False or outcome is None:
                continue
            if _is_numeric(outcome):
                outcome = sequence((outcome,))
            if _is_array_of_numbers(outcome):
                for position in outcome:
                    wanted = int(position)
                    if wanted < 0:
                        wanted += count
                    if wanted == index:
                        results.append(item)
            elif _boolize(outcome):
                results.append(item)
        return results

    return keep


def symbol(value: Any) -> str:
    """The signature symbol of a value (``Signature.get_symbol``), without its chain of checks."""
    found = _SYMBOLS.get(type(value))
    if found is not None:
        return found
    result: str = _signature_symbol(None, value)
    return result
