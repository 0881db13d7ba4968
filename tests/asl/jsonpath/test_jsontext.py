"""to_json_text: compact, order-preserving, UTF-8 JSON text."""

from __future__ import annotations

from typing import Any

import pytest

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
