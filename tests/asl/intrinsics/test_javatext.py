"""Java toString rendering used by States.Format."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.intrinsics.javatext import java_double_text, java_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("HelloWorld", "HelloWorld"),
        ("", ""),
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (1, "1"),
        (-12, "-12"),
        (1.1, "1.1"),
        ({"Arg1": 1, "Arg2": []}, "{Arg1=1, Arg2=[]}"),
        ({"Id": "arn:x", "Name": "n"}, "{Id=arn:x, Name=n}"),
        ([1, "a", None, [True]], "[1, a, null, [true]]"),
        ({"a": {"b": 2.5}}, "{a={b=2.5}}"),
    ],
)
def test_java_text(value: Any, text: str) -> None:
    assert java_text(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1.0"),
        (100.0, "100.0"),
        (0.001, "0.001"),
        (9999999.0, "9999999.0"),
        (1e7, "1.0E7"),
        (1e10, "1.0E10"),
        (12345678.9, "1.23456789E7"),
        (0.0001, "1.0E-4"),
        (-3.75e-7, "-3.75E-7"),
        (1.7976931348623157e308, "1.7976931348623157E308"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        (float("nan"), "NaN"),
    ],
)
def test_java_double_text(value: float, text: str) -> None:
    assert java_double_text(value) == text
