"""JSON text read as Jackson reads it: values, and Jackson's own error messages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text

VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


def message_of(text: str) -> str:
    """Jackson's message for ``text``."""
    with pytest.raises(JsonSyntaxError) as excinfo:
        parse_json_text(text)
    return excinfo.value.message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": [1, 2.5, "x", null, true, false]}', {"a": [1, 2.5, "x", None, True, False]}),
        ("  42 ", 42),
        ('"\\u00e9\\n"', "é\n"),
        # Jackson stops after the first value; what follows is never looked at.
        ("{} trailing", {}),
        ('{"a": 1}}', {"a": 1}),
        ("1 2", 1),
        ("true{", True),
    ],
)
def test_values(text: str, value: Any) -> None:
    assert parse_json_text(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not some json", f"Unrecognized token 'not': was expecting {VALUE_LIST}"),
        ("True", f"Unrecognized token 'True': was expecting {VALUE_LIST}"),
        ("nulls", f"Unrecognized token 'nulls': was expecting {VALUE_LIST}"),
        ("{'not': 'json'", "Unexpected character (''' (code 39)): was expecting double-quote to start field name"),
        ("%", f"Unexpected character ('%' (code 37)): expected a valid value {VALUE_LIST}"),
        ("[1,]", f"Unexpected character (']' (code 93)): expected a valid value {VALUE_LIST}"),
        ('{"a":1,}', "Unexpected character ('}' (code 125)): was expecting double-quote to start field name"),
        ('{"a" 1}', "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value"),
        ("[1 2]", "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"),
        ('{"a":1 "b":2}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries"),
        ('{"a":', "Unexpected end-of-input within/between Object entries"),
        ('"abc', "Unexpected end-of-input: was expecting closing quote for a string value"),
        ('{"ab', "Unexpected end-of-input in field name"),
        ("NaN", "Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"),
        ("-Infinity", "Non-standard token '-Infinity': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"),
        ("01", "Invalid numeric value: Leading zeroes not allowed"),
        ("1.x", "Unexpected character ('x' (code 120)) in numeric value: Decimal point not followed by a digit"),
        ("1ex", "Unexpected character ('x' (code 120)) in numeric value: Exponent indicator not followed by a digit"),
        (
            "-a",
            (
                "Unexpected character ('a' (code 97)) in numeric value: expected digit (0-9) to follow minus sign, "
                "for valid numeric value"
            ),
        ),
        ("1x", "Unexpected character ('x' (code 120)): Expected space separating root-level values"),
        ('"a\\x"', "Unrecognized character escape 'x' (code 120)"),
        (
            '"\\u12g4"',
            "Unexpected character ('g' (code 103)): expected a hex-digit for character escape sequence",
        ),
        (
            '"a\nb"',
            (
                "Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included "
                "in string value"
            ),
        ),
    ],
)
def test_jackson_messages(text: str, message: str) -> None:
    assert message_of(text) == message


def test_unclosed_containers_name_their_start() -> None:
    assert message_of('{"a": [1') == (
        "Unexpected end-of-input: expected close marker for Array "
        '(start marker at [Source: (String)"{"a": [1"; line: 1, column: 7])'
    )
    assert message_of("[1}") == (
        "Unexpected close marker '}': expected ']' (for Array starting at "
        '[Source: (String)"[1}"; line: 1, column: 1])'
    )


def test_empty_text_has_no_message() -> None:
    assert message_of("") == ""
    assert message_of(" \n ") == ""


def test_location_is_jacksons() -> None:
    with pytest.raises(JsonSyntaxError) as excinfo:
        parse_json_text("not a definition")
    assert excinfo.value.location == '[Source: (String)"not a definition"; line: 1, column: 4]'
    with pytest.raises(JsonSyntaxError) as excinfo:
        parse_json_text('{\n  "a": nope}')
    assert (excinfo.value.line, excinfo.value.column) == (2, 12)


def test_long_sources_are_truncated_in_locations() -> None:
    text = "[" + "1," * 400 + "x"
    with pytest.raises(JsonSyntaxError) as excinfo:
        parse_json_text(text)
    assert f"[truncated {len(text) - 500} chars]" in excinfo.value.location


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_every_json_document_round_trips(value: Any) -> None:
    assert parse_json_text(json.dumps(value)) == value
