"""AwsJsonata: the engine adjusted to AWS's JSONata."""

from __future__ import annotations

import random
from typing import Any

import pytest
from jsonata.jsonata import Jsonata
from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.engine import AwsJsonata, builtin_function
from constructs_sfn.asl.jsonata.jsvalues import to_plain_json


def run(text: str, states: Any = None, variables: Any = None, now_millis: int = 0) -> Any:
    raw = AwsJsonata(text).run(states or {}, variables or {}, now_millis=now_millis, rng=random.Random(0))
    return None if raw is None else to_plain_json(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/0", "Infinity"),
        ("-1/0", "-Infinity"),
        ("0/0", "NaN"),
        ("5 % 0", "NaN"),
        ("7.5 % 2", 1.5),
        ("-7.5 % 2", -1.5),
        ("6/3", 2),
        ("1e308 * 10", "Infinity"),
        ("'a' & 1e21", "a1e+21"),
        ("1 & true & null", "1truenull"),
    ],
)
def test_javascript_arithmetic_and_concatenation(text: str, expected: Any) -> None:
    assert run(text) == expected


def test_states_and_variables_are_read_without_copying() -> None:
    document = {"big": list(range(5))}
    raw = AwsJsonata("$states.input").run({"input": document}, {}, now_millis=0, rng=random.Random(0))
    assert raw is document
    assert run("$x.y", variables={"x": {"y": 2}}) == 2
    assert run("$states", states={"input": 1}) == {"input": 1}


def test_a_null_variable_is_a_json_null() -> None:
    assert AwsJsonata("$n").run({}, {"n": None}, now_millis=0, rng=random.Random(0)) is Utils.NULL_VALUE


def test_evaluation_does_not_depend_on_the_last_constructed_expression() -> None:
    first = AwsJsonata("$millis()")
    Jsonata("1 + 1")  # the engine would otherwise evaluate on this newer instance
    assert first.run({}, {}, now_millis=42, rng=random.Random(0)) == 42


def test_a_states_mapping_that_is_not_a_dict_is_accepted() -> None:
    from types import MappingProxyType

    assert run("$states.input.a", states=MappingProxyType({"input": {"a": 1}})) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("($states.input.a)", 1),
        ("($states.input.a; $v)", 10),
        ("$map([1, 2], function($x) { $x + $v + $states.input.a })", [12, 13]),
        ("$map([1, 2], function($v) { $v })", [1, 2]),
        ("($v := 5; $v)", 5),
    ],
)
def test_blocks_and_function_bodies_see_states_and_the_variables(text: str, expected: Any) -> None:
    assert run(text, states={"input": {"a": 1}}, variables={"v": 10}) == expected


def test_builtin_function_names_what_a_name_means_without_a_variable() -> None:
    assert builtin_function("sum") is not None
    assert builtin_function("partition") is not None
    assert builtin_function("eval") is None
    assert builtin_function("no_such_function") is None


def test_boolean_and_not_cast_a_null_member_as_the_reference_engine_does() -> None:
    from constructs_sfn.asl.jsonata import compile_jsonata_value

    def run(expression: str, value: object) -> object:
        compiled = compile_jsonata_value("{% " + expression + " %}", location="/X")
        return compiled.evaluate({"input": {}}, {"v": value}, field="X")

    assert run("$boolean($v)", [None]) is False
    assert run("$not($v)", [None]) is True
    assert run("$boolean($v)", None) is False
    assert run("$boolean($v)", [0, 1]) is True
