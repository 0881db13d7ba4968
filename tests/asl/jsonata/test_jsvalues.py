"""JavaScript number text, JSON text and the engine-to-JSON conversion."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.jsvalues import (
    UnsupportedResult,
    format_js_number,
    format_string_function_number,
    js_type_name,
    to_json_text,
    to_plain_json,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (-0.0, "0"),
        (3, "3"),
        (3.0, "3"),
        (1.5, "1.5"),
        (-2.25, "-2.25"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e300, "1.5e+300"),
        (123456789012345680000.0, "123456789012345680000"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (1.25e-7, "1.25e-7"),
        (0.1 + 0.2, "0.30000000000000004"),
        (9223372036854775807, "9223372036854775807"),
        (10**22, "1e+22"),
    ],
)
def test_format_js_number(number: float, text: str) -> None:
    assert format_js_number(number) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_js_number_round_trips(number: float) -> None:
    assert float(format_js_number(number)) == number


def test_string_function_keeps_fifteen_significant_digits() -> None:
    assert format_string_function_number(1 / 3) == "0.333333333333333"
    assert format_string_function_number(0.1 + 0.2) == "0.3"
    assert format_string_function_number(12) == "12"


def test_json_text_is_compact_javascript_json() -> None:
    value = {"a": [1, 2.5, None, True], "b": 'q"\\\n\u0001é', "c": {}}
    assert to_json_text(value) == '{"a":[1,2.5,null,true],"b":"q\\"\\\\\\n\\u0001é","c":{}}'
    assert to_json_text(Utils.NULL_VALUE) == "null"


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "null"),
        (Utils.NULL_VALUE, "null"),
        (True, "boolean"),
        (1, "number"),
        (1.5, "number"),
        ("s", "string"),
        ([], "array"),
        ({}, "object"),
    ],
)
def test_js_type_name(value: object, name: str) -> None:
    assert js_type_name(value) == name


def test_to_plain_json_shares_unchanged_values() -> None:
    document = {"a": [1, {"b": "c"}], "d": None}
    assert to_plain_json(document) is document


def test_to_plain_json_converts_engine_values() -> None:
    sequence = Utils.create_sequence_from_iter([1.0, Utils.NULL_VALUE, math.inf])
    converted = to_plain_json({"k": sequence, "n": -math.inf, "x": math.nan})
    assert converted == {"k": [1, None, "Infinity"], "n": "-Infinity", "x": "NaN"}
    assert type(converted["k"]) is list
    assert type(converted["k"][0]) is int


def test_to_plain_json_refuses_functions() -> None:
    with pytest.raises(UnsupportedResult):
        to_plain_json([len])
