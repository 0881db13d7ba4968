"""Jayway semantics of the JSONPath walker: filters, recursive descent, unions, functions."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.jsonpath import PathNotFound, compile_path, json_equal

STORE: dict[str, Any] = {
    "store": {
        "book": [
            {"category": "reference", "author": "Rees", "title": "Sayings", "price": 8.95},
            {"category": "fiction", "author": "Waugh", "title": "Sword", "price": 12.99},
            {"category": "fiction", "author": "Melville", "title": "Moby", "isbn": "0-553", "price": 8.99},
            {"category": "fiction", "author": "Tolkien", "title": "Rings", "isbn": "0-395", "price": 22.99},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "expensive": 10,
    "tags": ["a", "b", "c"],
    "matrix": [[1, 2], [3, 4]],
    "flags": [{"on": True}, {"on": False}, {"on": None}, {}],
}


def titles(value: list[dict[str, Any]]) -> list[str]:
    return [item["title"] for item in value]


@pytest.mark.parametrize(
    ("text", "expected_titles"),
    [
        ("$.store.book[?(@.price < 10)]", ["Sayings", "Moby"]),
        ("$.store.book[?(@.price <= 8.99)]", ["Sayings", "Moby"]),
        ("$.store.book[?(@.price > 20)]", ["Rings"]),
        ("$.store.book[?(@.price >= 22.99)]", ["Rings"]),
        ("$.store.book[?(@.isbn)]", ["Moby", "Rings"]),
        ("$.store.book[?(!@.isbn)]", ["Sayings", "Sword"]),
        ("$.store.book[?(@.category == 'fiction' && @.price < 10)]", ["Moby"]),
        ("$.store.book[?(@.category == 'reference' || @.price > 20)]", ["Sayings", "Rings"]),
        ("$.store.book[?(@.category != 'fiction')]", ["Sayings"]),
        ('$.store.book[?(@.author == "Waugh")]', ["Sword"]),
        ("$.store.book[?(@.price < $.expensive)]", ["Sayings", "Moby"]),
        ("$.store.book[?(@.author =~ /M.*/)]", ["Moby"]),
        ("$.store.book[?(@.author =~ /m.*/i)]", ["Moby"]),
        ("$.store.book[?(@.author in ['Rees', 'Tolkien'])]", ["Sayings", "Rings"]),
        ("$.store.book[?(@.author nin ['Rees', 'Tolkien'])]", ["Sword", "Moby"]),
        ("$.store.book[?(@.title size 5)]", ["Sword", "Rings"]),
        ("$.store.book[?(@.title contains 'o')]", ["Sword", "Moby"]),
        ("$.store.book[?((@.price < 9) && (@.isbn))]", ["Moby"]),
        # A missing property is not equal to anything, so != matches it (Jayway).
        ("$.store.book[?(@.isbn != '0-553')]", ["Sayings", "Sword", "Rings"]),
    ],
)
def test_filters(text: str, expected_titles: list[str]) -> None:
    assert titles(compile_path(text).find(STORE)) == expected_titles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.flags[?(@.on == true)]", [{"on": True}]),
        ("$.flags[?(@.on == false)]", [{"on": False}]),
        ("$.flags[?(@.on == null)]", [{"on": None}]),
        # Existence is about presence, not truthiness: a null member exists.
        ("$.flags[?(@.on)]", [{"on": True}, {"on": False}, {"on": None}]),
        # AWS: the @ of a filter only matches objects, never scalars or arrays.
        ("$.tags[?(@ == 'a')]", []),
        ("$.matrix[?(@)]", []),
        # A filter applied to an object tests the object itself.
        ("$.store.bicycle[?(@.color == 'red')].price", [19.95]),
        ("$.store.bicycle[?(@.color == 'blue')]", []),
    ],
)
def test_filter_edge_cases(text: str, expected: list[Any]) -> None:
    assert compile_path(text).find(STORE) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$..author", ["Rees", "Waugh", "Melville", "Tolkien"]),
        ("$.store..price", [8.95, 12.99, 8.99, 22.99, 19.95]),
        ("$..book[2].title", ["Moby"]),
        ("$..book[-1:].title", ["Rings"]),
        ("$..[?(@.isbn)].title", ["Moby", "Rings"]),
        ("$.store.*.color", ["red"]),
        ("$.matrix[*][0]", [1, 3]),
        ("$.matrix..[1]", [[3, 4], 2, 4]),
        ("$.tags[1:]", ["b", "c"]),
        ("$.tags[:-1]", ["a", "b"]),
        ("$.tags[::-1]", ["c", "b", "a"]),
        ("$.tags[0,2]", ["a", "c"]),
        ("$.tags[0,7]", ["a"]),
        ("$.store.book[0,1].title", ["Sayings", "Sword"]),
        ("$..nothing", []),
    ],
)
def test_indefinite_selection_order(text: str, expected: list[Any]) -> None:
    assert compile_path(text).find(STORE) == expected


def test_multi_name_leaf_merges_present_members() -> None:
    path = compile_path("$.store.bicycle['color','price','size']")
    assert path.is_definite
    assert path.find(STORE) == {"color": "red", "price": 19.95}


def test_recursive_descent_visits_a_node_before_its_children() -> None:
    doc = {"a": {"a": {"a": 1}}}
    assert compile_path("$..a").find(doc) == [{"a": {"a": 1}}, {"a": 1}, 1]


def test_function_syntax_names_a_property() -> None:
    """AWS: "Functions such as length() aren't supported" - ``length()`` is just a property name.

    https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
    """
    with pytest.raises(PathNotFound):
        compile_path("$.tags.length()").find(STORE)
    assert compile_path("$.x.length()").find({"x": {"length()": 3}}) == 3


def test_filter_on_a_primitive_is_path_not_found_while_definite() -> None:
    with pytest.raises(PathNotFound, match="can not be applied to primitives"):
        compile_path("$.expensive[?(@.a)]").find(STORE)


@pytest.mark.parametrize(
    ("left", "op", "right", "matches"),
    [
        ("1", "==", "'1'", True),  # Jayway compares a number with a numeric string as numbers
        ("'1'", "==", "1", True),
        ("'1.0'", "==", "1", False),  # ...but a string on the left against the number's text
        ("1", "==", "1.0", True),
        ("true", "==", "1", False),
        ("'b'", ">", "'a'", True),
        ("'b'", ">", "1", False),
        ("null", "==", "null", True),
        ("[1, 2]", "==", "[1, 2]", True),
        ("[1, 'x']", "contains", "'x'", True),
        ("[1, 2]", "subsetof", "[1, 2, 3]", True),
        ("[1, 4]", "subsetof", "[1, 2, 3]", False),
        ("[1, 4]", "anyof", "[1, 2, 3]", True),
        ("[5, 4]", "noneof", "[1, 2, 3]", True),
        ("''", "empty", "true", True),
        ("[]", "empty", "false", False),
        ("1", "===", "1", True),
        ("1", "===", "'1'", False),
        ("1", "!==", "'1'", True),
    ],
)
def test_comparison_operators(left: str, op: str, right: str, matches: bool) -> None:
    path = compile_path(f"$[?({left} {op} {right})]")
    assert path.find({"x": 1}) == ([{"x": 1}] if matches else [])


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        (1, 1.0, True),
        (True, 1, False),
        (False, 0, False),
        (None, None, True),
        ({"a": [1, True]}, {"a": [1.0, True]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ([1, 2], [2, 1], False),
        ("1", 1, False),
    ],
)
def test_json_equal(left: Any, right: Any, equal: bool) -> None:
    assert json_equal(left, right) is equal
    assert json_equal(right, left) is equal
