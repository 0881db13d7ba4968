"""The direct evaluator's operators answer what JSONata's engine answers, taking the fast way only
where the result is certain (https://docs.jsonata.org/numeric-operators,
https://docs.jsonata.org/comparison-operators, https://docs.jsonata.org/construction)."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.jsonata.fastcall import Fallback
from constructs_sfn.asl.jsonata.fastoperators import (
    arithmetic,
    array_constructor,
    equality,
    negation,
    object_constructor,
    ordering,
)
from constructs_sfn.asl.jsonata.fastsequence import JList
from constructs_sfn.asl.jsonata.fasttypes import Node

SCOPE: Any = ({}, {}, {})


def constant(value: Any) -> Node:
    return lambda _value, _scope: value


class Engine:
    """Stands in for the engine's operator implementations and records when it is asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[Any, Any, str]] = []

    def __call__(self, left: Any, right: Any, op: str) -> Any:
        self.asked.append((left, right, op))
        return "engine"


def test_integer_arithmetic_within_2_to_the_53_is_exact_without_the_engine() -> None:
    engine = Engine()
    assert arithmetic(constant(2), constant(3), "*", engine)(None, SCOPE) == 6
    assert engine.asked == []


@pytest.mark.parametrize(
    ("left", "right", "op"),
    [(2**53, 2, "+"), (1, 2, "/"), (1.5, 2, "+"), ("1", 2, "+"), (None, 1, "-")],
)
def test_other_arithmetic_goes_to_the_engine(left: Any, right: Any, op: str) -> None:
    """Beyond 2**53 the engine's doubles round; division and non-integers are the engine's too."""
    engine = Engine()
    assert arithmetic(constant(left), constant(right), op, engine)(None, SCOPE) == "engine"
    assert engine.asked == [(left, right, op)]


def test_equality_of_strings_and_booleans_is_direct() -> None:
    engine = Engine()
    assert equality(constant("a"), constant("a"), True, engine)(None, SCOPE) is True
    assert equality(constant(True), constant(False), False, engine)(None, SCOPE) is True
    assert equality(constant(1), constant(1.0), True, engine)(None, SCOPE) == "engine"
    assert engine.asked == [(1, 1.0, "=")]


def test_ordering_of_one_type_is_direct_and_mixed_types_go_to_the_engine() -> None:
    engine = Engine()
    assert ordering(constant(1), constant(2), "<", engine)(None, SCOPE) is True
    assert ordering(constant("b"), constant("a"), ">=", engine)(None, SCOPE) is True
    assert ordering(constant(1), constant("a"), "<", engine)(None, SCOPE) == "engine"


def test_negation() -> None:
    assert negation(constant(2))(None, SCOPE) == -2
    assert negation(constant(None))(None, SCOPE) is None
    with pytest.raises(Fallback):
        negation(constant("x"))(None, SCOPE)


def test_array_constructor_splices_arrays_but_keeps_nested_constructors() -> None:
    plan = ((constant([1, 2]), False), (constant([3]), True), (constant(None), False), (constant(4), False))
    built = array_constructor(plan, constructed=True)(None, SCOPE)
    assert isinstance(built, JList)
    assert list(built) == [1, 2, [3], 4]
    assert built.cons is True


def test_object_constructor_leaves_out_undefined_members_and_defers_over_arrays() -> None:
    build = object_constructor((("a", constant(1)), ("b", constant(None))))
    assert build({}, SCOPE) == {"a": 1}
    with pytest.raises(Fallback):
        build([1, 2], SCOPE)
