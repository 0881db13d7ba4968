"""Jackson-worded JSON syntax errors (definitions and execution inputs are decoded by Jackson)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_sfn.asl.parse.json_text import jackson_syntax_error

VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("not a definition", f"Unrecognized token 'not': was expecting {VALUE_LIST}", 4),
        ("not some json", f"Unrecognized token 'not': was expecting {VALUE_LIST}", 4),
        ("{'not': 'json'", "Unexpected character (''' (code 39)): was expecting double-quote to start field name", 3),
        ("hello", "Unrecognized token 'hello': was expecting ('true', 'false' or 'null')", 6),
        ("[1 2]", "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries", 5),
        ('{"a" 1}', "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value", 7),
        (
            '"a\x01"',
            (
                "Illegal unquoted character ((CTRL-CHAR, code 1)): has to be escaped using backslash to be "
                "included in string value"
            ),
            4,
        ),
        ('"\\x"', "Unrecognized character escape 'x' (code 120)", 4),
        ("01", "Invalid numeric value: Leading zeroes not allowed", 2),
        ("]", f"Unexpected character (']' (code 93)): expected a valid value {VALUE_LIST}", 2),
    ],
)
def test_jackson_messages(text: str, message: str, column: int) -> None:
    error = jackson_syntax_error(text)
    assert error is not None
    assert (error.message, error.line, error.column) == (message, 1, column)


def test_unclosed_object_names_the_start_marker() -> None:
    error = jackson_syntax_error('{"a": 1')
    assert error is not None
    assert error.message == (
        "Unexpected end-of-input: expected close marker for Object (start marker at "
        '[Source: (String)"{"a": 1"; line: 1, column: 1])'
    )


def test_location_and_full_message() -> None:
    error = jackson_syntax_error("\n\n  nope")
    assert error is not None
    assert (error.line, error.column) == (3, 7)
    assert error.location == '[Source: (String)"\n\n  nope"; line: 3, column: 7]'
    assert error.full_message == f"{error.message}\n at {error.location}"
    long_error = jackson_syntax_error("x" * 600)
    assert long_error is not None
    assert long_error.location.startswith('[Source: (String)"' + "x" * 500 + '"[truncated 100 chars]; line: 1')


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        max_leaves=20,
    )
)
def test_valid_json_has_no_error(value: object) -> None:
    assert jackson_syntax_error(json.dumps(value)) is None
    assert jackson_syntax_error(json.dumps(value, indent=2, ensure_ascii=False)) is None


@given(st.text(max_size=40))
def test_agrees_with_python_on_what_is_json(text: str) -> None:
    try:
        json.loads(text)
        python_ok = True
    except ValueError:
        python_ok = False
    error = jackson_syntax_error(text)
    if python_ok and text.strip() and not any(word in text for word in ("NaN", "Infinity")):
        assert error is None
