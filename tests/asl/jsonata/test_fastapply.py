"""Calls in the direct evaluator: the one-argument built-ins answered directly, a workflow variable
shadowing a built-in, and ``$map``/``$filter`` with a function literal
(https://docs.jsonata.org/higher-order-functions, https://docs.jsonata.org/aggregation-functions)."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.jsonata.engine import builtin_function
from constructs_sfn.asl.jsonata.fastapply import builtin_call, higher_order_call
from constructs_sfn.asl.jsonata.fastcall import Fallback
from constructs_sfn.asl.jsonata.fastsequence import NULL
from constructs_sfn.asl.jsonata.fasttypes import Node


def constant(value: Any) -> Node:
    return lambda _value, _scope: value


@pytest.mark.parametrize(
    ("name", "argument", "expected"),
    [
        ("count", [1, 2, 3], 3),
        ("count", None, 0),
        ("count", NULL, 0),
        ("count", "x", 1),
        ("exists", None, False),
        ("exists", 0, True),
        ("boolean", "", False),
        ("boolean", None, None),
        ("not", 0, True),
    ],
)
def test_one_argument_built_ins(name: str, argument: Any, expected: Any) -> None:
    call = builtin_call(name, builtin_function(name), (constant(argument),))
    assert call(None, ({}, {}, {}), None) == expected


def test_a_workflow_variable_named_like_the_built_in_falls_back() -> None:
    call = builtin_call("count", builtin_function("count"), (constant([1]),))
    with pytest.raises(Fallback):
        call(None, ({}, {"count": 1}, {}), None)


def test_a_built_in_of_two_arguments_is_the_engines() -> None:
    call = builtin_call("substring", builtin_function("substring"), (constant("hello"), constant(1)))
    assert call(None, ({}, {}, {}), None) == "ello"


def test_map_and_filter_bind_member_index_and_array() -> None:
    def doubled_plus_index(_value: Any, scope: Any) -> Any:
        return scope[2]["v"] * 2 + scope[2]["i"]

    mapped = higher_order_call("map", constant([1, 2, 3]), doubled_plus_index, ["v", "i"])
    assert list(mapped(None, ({}, {}, {}), None)) == [2, 5, 8]
    kept = higher_order_call("filter", constant([1, 2, 3]), lambda _v, scope: scope[2]["v"] > 1, ["v"])
    assert list(kept(None, ({}, {}, {}), None)) == [2, 3]
    assert higher_order_call("map", constant(None), doubled_plus_index, ["v"])(None, ({}, {}, {}), None) is None
