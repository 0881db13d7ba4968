"""java_hash_order / java_string_hash against values Java computes."""

from __future__ import annotations

import pytest

from constructs_sfn.asl.jsonpath import java_hash_order
from constructs_sfn.asl.jsonpath.javaorder import java_string_hash


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a", 97),
        ("hello", 99162322),
        ("Hello World", 2**32 - 862545276),  # Java: -862545276
        ("😀", 1772899),  # hashed as its UTF-16 surrogate pair, as Java does
    ],
)
def test_string_hash(text: str, expected: int) -> None:
    assert java_string_hash(text) == expected


@pytest.mark.parametrize(
    ("keys", "order"),
    [
        (["a", "b", "c", "d"], ["a", "b", "c", "d"]),
        (["d", "c", "b", "a"], ["a", "b", "c", "d"]),
        (["constant_in_literal", "constant_input_field"], ["constant_input_field", "constant_in_literal"]),
        (
            [
                "simpleArray",
                "partitionedArray",
                "containsElement",
                "numberRange",
                "thirdElement",
                "arraySize",
                "uniqueValues",
            ],
            [
                "uniqueValues",
                "simpleArray",
                "thirdElement",
                "partitionedArray",
                "arraySize",
                "containsElement",
                "numberRange",
            ],
        ),
        ([], []),
    ],
)
def test_hash_order(keys: list[str], order: list[str]) -> None:
    assert java_hash_order(keys) == order


def test_large_maps_use_a_larger_table() -> None:
    keys = [f"k{i}" for i in range(40)]
    assert sorted(java_hash_order(keys)) == sorted(keys)
    # With 40 keys the table has 64 buckets, so "k1" (bucket 1 of 16) is no longer first.
    assert java_hash_order(keys) != java_hash_order(keys[:12])[:12] + keys[12:]
