"""Hostile JSON text at the definition layer: Jackson's read constraints, never a Python error."""

from __future__ import annotations

import json
import sys

import pytest

from constructs_sfn.asl.parse.json_text import (
    MAX_NESTING_DEPTH,
    MAX_NUMBER_LENGTH,
    JsonDecodeError,
    decode_json_text,
    ensure_recursion_headroom,
    jackson_syntax_error,
    json_float,
    may_exceed_double,
    may_exceed_limits,
    number_length,
    reserve_recursion_for_depth,
    value_depth,
)

DEPTH_MESSAGE = (
    "Document nesting depth (1001) exceeds the maximum allowed (1000, from "
    "`StreamReadConstraints.getMaxNestingDepth()`)"
)


def nested(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


def nested_objects(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("text", [nested(1000), nested_objects(1000), "[" * 500 + nested_objects(500) + "]" * 500])
def test_a_thousand_levels_are_valid(text: str) -> None:
    assert jackson_syntax_error(text) is None


@pytest.mark.parametrize("text", [nested(1001), nested_objects(1001), nested(50_000), "[" * 5000])
def test_the_thousand_and_first_level_is_jacksons_depth_error(text: str) -> None:
    error = jackson_syntax_error(text)
    assert error is not None
    assert error.message == DEPTH_MESSAGE


def test_depth_error_points_after_the_opening_bracket() -> None:
    error = jackson_syntax_error(nested(1001))
    assert error is not None
    assert (error.line, error.column) == (1, 1002)  # Jackson's column: characters read + 1


def test_an_earlier_syntax_error_wins_over_depth() -> None:
    error = jackson_syntax_error("[1 2" + nested(2000))
    assert error is not None
    assert error.message.startswith("Unexpected character ('2' (code 50))")


@pytest.mark.parametrize(
    ("literal", "length"),
    [("1" * 1001, 1001), ("-" + "9" * 1001, 1001), ("1." + "5" * 999, 1001), ("1e" + "1" * 999, 1001)],
)
def test_numbers_over_a_thousand_characters_are_refused(literal: str, length: int) -> None:
    error = jackson_syntax_error(f'{{"n": {literal}}}')
    assert error is not None
    assert error.message == (
        f"Number value length ({length}) exceeds the maximum allowed ({MAX_NUMBER_LENGTH}, from "
        "`StreamReadConstraints.getMaxNumberLength()`)"
    )


def test_numbers_of_a_thousand_digits_decode_exactly() -> None:
    assert decode_json_text("9" * 1000) == int("9" * 1000)
    assert jackson_syntax_error("-" + "9" * 1000) is None


def test_number_length_counts_like_jackson() -> None:
    assert number_length("-123") == 3
    assert number_length("-1.5e3") == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NaN", "Unrecognized token 'NaN'"),
        ("[Infinity]", "Unrecognized token 'Infinity'"),
        ('{"a": -Infinity}', "Unexpected character: expected digit (0-9) to follow minus sign"),
    ],
)
def test_non_numeric_numbers_are_not_json(text: str, message: str) -> None:
    with pytest.raises(JsonDecodeError) as excinfo:
        decode_json_text(text)
    assert excinfo.value.syntax is not None
    assert excinfo.value.message.startswith(message)


def test_python_digit_limit_never_shows() -> None:
    # Python refuses int("1" * 4301); Jackson's own limit answers first.
    with pytest.raises(JsonDecodeError) as excinfo:
        decode_json_text("1" * 5000)
    assert "Number value length (5000)" in excinfo.value.message


def test_decoding_as_deep_as_aws_accepts() -> None:
    value = decode_json_text(nested(MAX_NESTING_DEPTH))
    assert value_depth(value) == MAX_NESTING_DEPTH
    assert sys.getrecursionlimit() >= 25 * MAX_NESTING_DEPTH


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1e400", "Infinity"),
        ("[-1e999, 1.5e300, 2e-400]", ["-Infinity", 1.5e300, 0.0]),
        ("1" * 400 + ".0", "Infinity"),
    ],
)
def test_literals_beyond_the_double_range_are_held_as_jackson_writes_them(text: str, value: object) -> None:
    assert decode_json_text(text) == value


def test_json_float_keeps_finite_values() -> None:
    assert json_float("2.5") == 2.5


def test_cheap_searches_never_miss() -> None:
    assert not may_exceed_limits("[" + "1," * 2000 + "1]")
    assert may_exceed_limits("1" * 1001)
    assert may_exceed_double("1e308")
    assert not may_exceed_double("[1.5, 2e10]")


def test_strings_that_look_like_numbers_are_fine() -> None:
    text = json.dumps({"digits": "1" * 5000, "e": "1e999"})
    assert decode_json_text(text) == {"digits": "1" * 5000, "e": "1e999"}


def test_value_depth_ends_on_cycles_and_shared_values() -> None:
    cyclic: dict[str, object] = {}
    cyclic["a"] = cyclic
    cyclic["b"] = [cyclic, cyclic]
    assert value_depth(cyclic) == MAX_NESTING_DEPTH + 1
    shared: list[object] = []
    for _ in range(60):
        shared = [shared, shared]
    assert value_depth(shared) == 61
    assert value_depth("text") == 0


def test_headroom_is_raised_never_lowered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "getrecursionlimit", lambda: 100_000)
    calls: list[int] = []
    monkeypatch.setattr(sys, "setrecursionlimit", calls.append)
    reserve_recursion_for_depth(1000)
    ensure_recursion_headroom(nested(900))
    assert calls == []


def test_shallow_text_needs_no_headroom(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(sys, "setrecursionlimit", calls.append)
    ensure_recursion_headroom(json.dumps([[1]] * 500))
    reserve_recursion_for_depth(100)
    assert calls == []


def test_too_deep_stays_too_deep_once_python_could_decode_it() -> None:
    reserve_recursion_for_depth(MAX_NESTING_DEPTH)  # now json.loads itself would decode 1001 levels
    with pytest.raises(JsonDecodeError) as excinfo:
        decode_json_text(nested(1001))
    assert excinfo.value.message == DEPTH_MESSAGE
