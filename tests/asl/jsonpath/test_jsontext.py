"""to_json_text: compact, order-preserving, UTF-8 JSON text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_sfn.asl.jsonpath import to_json_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"b": 1, "a": [1, 2.5, None, True]}, '{"b":1,"a":[1,2.5,null,true]}'),
        ("HelloWorld", '"HelloWorld"'),
        ({"Arg1": 1, "Arg2": []}, '{"Arg1":1,"Arg2":[]}'),
        ("é ✓ 🆗", '"é ✓ 🆗"'),
        ('quote " and \\ and \n', '"quote \\" and \\\\ and \\n"'),
        (1.0, "1.0"),
        (None, "null"),
    ],
)
def test_renders(value: Any, text: str) -> None:
    assert to_json_text(value) == text


def test_rejects_nan() -> None:
    with pytest.raises(ValueError, match="Out of range"):
        to_json_text(float("nan"))


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(_JSON_VALUES)
def test_the_same_text_as_the_json_module_writes(value: object) -> None:
    """The once-built C encoder writes exactly what ``json.dumps`` with AWS's options writes."""
    assert to_json_text(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def test_what_json_refuses_is_refused_the_same_way() -> None:
    for bad in (float("nan"), [1, float("inf")]):
        with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
            to_json_text(bad)
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        to_json_text({"a": {1, 2}})
