"""BuiltinCall: a built-in called exactly as the engine calls it, or refused for the engine."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_sfn.asl.jsonata.engine import builtin_function
from constructs_sfn.asl.jsonata.fastcall import UNSAFE_FUNCTIONS, BuiltinCall, Fallback
from constructs_sfn.asl.jsonata.fastsequence import NULL, sequence
from constructs_sfn.asl.jsonata.jsvalues import to_plain_json

_NAMES = [
    "sum",
    "count",
    "max",
    "average",
    "string",
    "substring",
    "uppercase",
    "length",
    "contains",
    "split",
    "join",
    "number",
    "round",
    "boolean",
    "not",
    "keys",
    "lookup",
    "append",
    "exists",
    "merge",
    "reverse",
    "distinct",
    "partition",
    "hash",
    "type",
    "zip",
]
_VALUE = st.recursive(
    st.none()
    | st.just(NULL)
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([1.5, 2.0, "", "ab", "a,b", "SHA-256"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2)
    ),
    max_leaves=6,
)


def _engine(name: str, arguments: list[Any], context: Any) -> tuple[str, str]:
    function = builtin_function(name)
    try:
        validated = function.validate(list(arguments), context)
        result = function.call(context, validated)
    except Exception as error:  # any refusal or failure
        return "error", type(error).__name__
    return "value", json.dumps(None if result is None else to_plain_json(result))


@pytest.mark.parametrize("name", _NAMES)
@settings(max_examples=50, deadline=None)
@given(arguments=st.lists(_VALUE, max_size=3), context=_VALUE)
def test_a_call_is_the_engines_call(name: str, arguments: list[Any], context: Any) -> None:
    call = BuiltinCall(builtin_function(name))
    expected = _engine(name, arguments, context)
    try:
        result = call(tuple(arguments), context)
    except Fallback:
        return
    except Exception:  # the implementation itself failed: the engine fails the same way
        assert expected[0] == "error"
        return
    assert expected == ("value", json.dumps(None if result is None else to_plain_json(result)))


def test_a_missing_argument_takes_the_context() -> None:
    assert BuiltinCall(builtin_function("uppercase"))((), "abc") == "ABC"
    with pytest.raises(Fallback):
        BuiltinCall(builtin_function("uppercase"))((), 5)  # the context is not a string


def test_a_single_value_is_an_array_of_one() -> None:
    assert BuiltinCall(builtin_function("sum"))((5,), None) == 5
    assert BuiltinCall(builtin_function("count"))((sequence((1, 2, 3)),), None) == 3


def test_arguments_the_signature_refuses_are_left_to_the_engine() -> None:
    with pytest.raises(Fallback):
        BuiltinCall(builtin_function("sum"))(([1, "2"],), None)  # must be an array of numbers
    with pytest.raises(Fallback):
        BuiltinCall(builtin_function("uppercase"))((1,), None)
    with pytest.raises(Fallback):
        BuiltinCall(builtin_function("merge"))(("a",), None)


def test_integral_results_are_integers() -> None:
    assert BuiltinCall(builtin_function("sum"))(([1.5, 1.5],), None) == 3
    assert type(BuiltinCall(builtin_function("sum"))(([1.5, 1.5],), None)) is int


def test_functions_reading_the_clock_or_the_random_source_are_never_called() -> None:
    assert {"random", "uuid", "now", "millis"} <= UNSAFE_FUNCTIONS
