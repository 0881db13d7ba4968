"""The engine's sequence rules, transcribed: each helper agrees with the engine method it mirrors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonata.functions import Functions
from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.signature import Signature
from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.engine import AwsJsonata
from constructs_sfn.asl.jsonata.fastsequence import (
    NULL,
    JList,
    finish_step,
    index_filter,
    lookup,
    predicate_filter,
    sequence,
    symbol,
    truthy,
    unwrap,
)
from constructs_sfn.asl.jsonata.jsvalues import to_plain_json

_SCALAR = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.5, "", "a"])
_JSON = st.recursive(
    _SCALAR,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2)
    ),
    max_leaves=10,
)


def _text(value: Any) -> str:
    return json.dumps(None if value is None else to_plain_json(value))


def _flags(value: Any) -> tuple[Any, ...]:
    if not isinstance(value, Utils.JList):
        return (type(value).__name__,)
    return (value.sequence, value.cons, value.keep_singleton, value.tuple_stream)


def test_a_sequence_of_one_is_its_member_and_an_empty_one_is_undefined() -> None:
    assert unwrap(sequence((5,))) == 5
    assert unwrap(sequence()) is None
    several = sequence((1, 2))
    assert unwrap(several) is several
    constructed = JList([7])  # an array constructor's result is not a sequence
    assert unwrap(constructed) is constructed
    kept = sequence((3,))
    kept.keep_singleton = True
    assert unwrap(kept) is kept


@given(value=_JSON, key=st.sampled_from(["a", "b"]))
def test_lookup_is_the_engines(value: Any, key: str) -> None:
    ours, theirs = lookup(value, key), Functions.lookup(value, key)
    assert _text(ours) == _text(theirs)
    assert _flags(ours) == _flags(theirs)


def test_lookup_flattens_nested_arrays_and_marks_null() -> None:
    assert lookup([[{"a": 1}], {"a": [2, 3]}], "a") == [1, 2, 3]
    assert lookup({"a": None}, "a") is NULL
    assert lookup({"b": 1}, "a") is None
    assert lookup("text", "a") is None


def _engine_step(results: list[Any], *, last: bool) -> Any:
    # Jsonata.evaluate_step over members whose evaluation is the member itself.
    engine = AwsJsonata("$")
    step = engine.ast
    inputs = sequence(results)
    original = engine.eval
    engine.eval = lambda expr, value, environment: value
    try:
        return Jsonata.evaluate_step(engine, step, inputs, None, last)
    finally:
        engine.eval = original


@pytest.mark.parametrize("last", [True, False])
@pytest.mark.parametrize(
    "results",
    [
        [[1, 2]],
        [sequence((1, 2))],
        [[1], [2, [3]]],
        [1, "a"],
        [],
    ],
)
def test_finish_step_is_the_engines(results: list[Any], last: bool) -> None:
    ours = finish_step(list(results), last=last)
    theirs = _engine_step(list(results), last=last)
    assert _text(ours) == _text(theirs)
    assert _flags(ours) == _flags(theirs)


def test_an_array_constructor_result_is_not_flattened() -> None:
    built = JList([1, 2])
    built.cons = True
    assert finish_step([built, 3], last=False) == [[1, 2], 3]


def _number_predicate(position: int) -> Any:
    node = Parser.Symbol(AwsJsonata("1").parser)
    node.type = "number"
    node.value = position
    return node


@pytest.mark.parametrize("position", [0, 1, -1, -2, 5])
@pytest.mark.parametrize("value", [None, 7, [1, None, [2, 3]], [], {"a": 1}, [[4]]])
def test_index_filter_is_the_engines(position: int, value: Any) -> None:
    engine = AwsJsonata("1")
    ours = index_filter(position)(value)
    theirs = engine.evaluate_filter(_number_predicate(position), value, None)
    assert _text(ours) == _text(theirs)
    assert _flags(ours) == _flags(theirs)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([True, False, None], ["a"]),
        ([0, 0, 0], ["a"]),  # a number selects a position
        ([[0, 2], 1, 0], ["a", "b"]),
        ([-1, "x", -1], ["b", "c"]),
        ([1.5, {}, [-1]], ["c"]),
    ],
)
def test_predicate_filter_keeps_members_or_positions(outcomes: list[Any], expected: list[str]) -> None:
    members = ["a", "b", "c"]
    answers = dict(zip(members, outcomes, strict=True))
    keep = predicate_filter(lambda member, scope: answers[member])
    assert list(keep(members, None)) == expected


@given(value=_JSON)
def test_symbols_and_truthiness_are_the_engines(value: Any) -> None:
    assert symbol(value) == Signature.get_symbol(None, value)
    assert truthy(value) == Jsonata.boolize(value)
    for special in (NULL, sequence((value,)), JList()):
        assert symbol(special) == Signature.get_symbol(None, special)
        assert truthy(special) == Jsonata.boolize(special)
