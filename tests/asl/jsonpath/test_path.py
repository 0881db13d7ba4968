"""compile_path / Path.find: roots, definite lookups, Jayway error messages, indefinite queries."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonpath import Path, PathNotFound, compile_path, compile_reference_path

DOC: dict[str, Any] = {
    "a": {"b": [1, 2, {"c": 3}], "empty": None, "flag": False},
    "users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}],
    "dash-name": "dashed",
    "with space": "spaced",
    'Test\\""Name"': "escaped",
}
CONTEXT = {"Execution": {"Id": "arn:exec", "Input": {"k": "v"}}, "Map": {"Item": {"Index": 2}}}
VARIABLES = {"x": {"a": [10, 20]}, "n": 5}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$", DOC),
        ("$.a.empty", None),
        ("$.a.flag", False),
        ("$.a.b[2].c", 3),
        ("$.a.b[-1]", {"c": 3}),
        ("$.a.b[-3]", 1),
        ("$['a']['b'][0]", 1),
        ('$["a"]["b"][1]', 2),
        ("$.dash-name", "dashed"),
        ("$['with space']", "spaced"),
        # AWS keeps backslashes in bracketed names literally.
        ('$[\'Test\\""Name"\']', "escaped"),
        ("$.users[ 1 ].year", 1998),
    ],
)
def test_definite_input_paths(text: str, expected: Any) -> None:
    path = compile_path(text)
    assert path.is_definite
    assert path.root_kind == "input"
    assert path.find(DOC) == expected


def test_context_and_variable_roots() -> None:
    context_path = compile_path("$$.Execution.Input.k")
    assert (context_path.root_kind, context_path.variable_name) == ("context", None)
    assert context_path.find(DOC, CONTEXT, VARIABLES) == "v"
    assert compile_path("$$").find(DOC, CONTEXT) is CONTEXT
    variable_path = compile_path("$x.a[1]")
    assert (variable_path.root_kind, variable_path.variable_name) == ("variable", "x")
    assert variable_path.find(DOC, CONTEXT, VARIABLES) == 20
    assert compile_path("$n").find(DOC, CONTEXT, VARIABLES) == 5


def test_undefined_variable_is_path_not_found() -> None:
    with pytest.raises(PathNotFound):
        compile_path("$nope.a").find(DOC, CONTEXT, VARIABLES)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("$.NoSuchOutputPath", "No results for path: $['NoSuchOutputPath']"),
        ("$.no.such.result.path", "Missing property in path $['no']"),
        ("$.a.b[7]", "No results for path: $['a']['b'][7]"),
        ("$.a.nope", "No results for path: $['a']['nope']"),
        ("$.a.empty[0]", "The path $['a']['empty'] is null"),
        (
            "$.a.b.c",
            (
                "Expected to find an object with property ['c'] in path $['a']['b'] but found "
                "'java.util.ArrayList'. This is not a json object according to the JsonProvider: "
                "'com.jayway.jsonpath.spi.json.JacksonJsonProvider'."
            ),
        ),
        ("$.dash-name[0]", 'Filter: [0] can only be applied to arrays. Current context is: "dashed"'),
    ],
)
def test_definite_misses_carry_jayway_messages(text: str, message: str) -> None:
    with pytest.raises(PathNotFound) as caught:
        compile_path(text).find(DOC)
    assert caught.value.message == message
    assert caught.value.path_text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.users[?(@.status == 0)]", [{"year": 1997, "status": 0}]),
        ("$.users[?(@.year > 1997)].year", [1998]),
        ("$.users[*].year", [1997, 1998]),
        ("$.users.*.status", [0, 1]),
        ("$..c", [3]),
        ("$..year", [1997, 1998]),
        ("$.a.b[0:2]", [1, 2]),
        ("$.a.b[::2]", [1, {"c": 3}]),
        ("$.a.b[-2:]", [2, {"c": 3}]),
        ("$.a.b[0,2]", [1, {"c": 3}]),
        ("$.a.b[5:9]", []),
        ("$.users[*].missing", []),
    ],
)
def test_indefinite_paths_return_lists(text: str, expected: list[Any]) -> None:
    path = compile_path(text)
    assert not path.is_definite
    assert path.find(DOC) == expected


def test_indefinite_path_fails_while_still_definite() -> None:
    # Jayway: a missing non-leaf property before the path turns indefinite is an error.
    with pytest.raises(PathNotFound, match=r"Missing property in path \$\['nope'\]"):
        compile_path("$.nope[*].x").find(DOC)


@pytest.mark.parametrize(
    "text",
    ["", "a.b", "$.", "$..", "$[", "$['a'", "$.a b", "$[?(@.a ==)]", "$[1:2:0]", "$$$"],
)
def test_malformed_paths_are_definition_errors(text: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        compile_path(text, location="/States/S/InputPath")
    assert caught.value.location == "/States/S/InputPath"


def test_reference_paths_must_be_definite() -> None:
    assert isinstance(compile_reference_path("$.a.b[0]"), Path)
    with pytest.raises(DefinitionError):
        compile_reference_path("$.a[*]", location="/x")


def test_normalized_spelling() -> None:
    assert compile_path("$.a.b[0]").normalized == "$['a']['b'][0]"
