"""set_result_path: spine copying, object creation, and AWS's ReferencePathConflict causes."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.jsonpath import RESULT_PATH_ERROR, compile_reference_path, set_result_path


@pytest.mark.parametrize(
    ("document", "path", "value", "expected"),
    [
        ({"a": 1}, "$", "r", "r"),
        ("text", "$", {"r": 1}, {"r": 1}),
        ({"a": 1}, "$.b", "r", {"a": 1, "b": "r"}),
        ({"a": 1}, "$.a", "r", {"a": "r"}),
        ({}, "$.x.y.z", 1, {"x": {"y": {"z": 1}}}),
        ({"x": {"k": 0}}, "$.x.y", 1, {"x": {"k": 0, "y": 1}}),
        ({"x": None}, "$.x.y", 1, {"x": {"y": 1}}),
        ({"x": [1, 2]}, "$.x[1]", 9, {"x": [1, 9]}),
        ({"x": [1, {"a": 0}]}, "$.x[-1].b", 9, {"x": [1, {"a": 0, "b": 9}]}),
        ([0, 1], "$[0]", "r", ["r", 1]),
        ({"a": 1}, "$['odd key']", 2, {"a": 1, "odd key": 2}),
    ],
)
def test_places_the_result(document: Any, path: str, value: Any, expected: Any) -> None:
    assert set_result_path(document, compile_reference_path(path), value) == expected


def test_null_result_path_keeps_the_input() -> None:
    document = {"a": 1}
    assert set_result_path(document, None, "ignored") is document


def test_copies_only_the_spine() -> None:
    untouched = {"deep": [1, 2, 3]}
    document = {"keep": untouched, "x": {"y": {"old": 1}}}
    result = set_result_path(document, compile_reference_path("$.x.y.new"), 5)
    assert result == {"keep": untouched, "x": {"y": {"old": 1, "new": 5}}}
    assert result["keep"] is untouched
    assert document == {"keep": untouched, "x": {"y": {"old": 1}}}


def test_key_order_is_kept_and_new_keys_go_last() -> None:
    result = set_result_path({"b": 1, "a": 2}, compile_reference_path("$.c"), 3)
    assert list(result) == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("document", "path", "cause"),
    [
        ("input1", "$.someTaskResult", 'Unable to apply ReferencePath $.someTaskResult to input "input1"'),
        (None, "$.x", "Unable to apply ReferencePath $.x to input null"),
        ([1, 2], "$.x", "Unable to apply ReferencePath $.x to input [1,2]"),
        ({"a": 5}, "$.a.b", 'Unable to apply step "b" to input {"a":5}'),
        ({"a": "s"}, "$.a[0]", 'Unable to apply step "0" to input {"a":"s"}'),
        ({"a": [1]}, "$.a[3]", 'Unable to apply step "3" to input {"a":[1]}'),
        ({"a": {"b": [1]}}, "$.a.b.c", 'Unable to apply step "c" to input {"a":{"b":[1]}}'),
    ],
)
def test_conflicts(document: Any, path: str, cause: str) -> None:
    with pytest.raises(StatesError) as caught:
        set_result_path(document, compile_reference_path(path), "r")
    assert caught.value.error == RESULT_PATH_ERROR == "States.ReferencePathConflict"
    assert caught.value.cause == cause
