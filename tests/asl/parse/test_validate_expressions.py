"""Creation-time syntax of paths, intrinsic calls and JSONata expressions."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.parse.jsonata_syntax import jsonata_expression_problem
from constructs_sfn.asl.parse.path_syntax import (
    PathShape,
    is_intrinsic_call,
    own_intrinsic_call,
    own_path_shape,
    path_shape,
)
from constructs_sfn.asl.parse.validate import validate_definition


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("$", PathShape("input", True)),
        ("$.a.b[0]", PathShape("input", True)),
        ("$['a b'].c", PathShape("input", True)),
        ("$.a-b.c_d", PathShape("input", True)),
        ("$$.Execution.Input", PathShape("context", True)),
        ("$$", PathShape("context", True)),
        ("$x.a[1]", PathShape("variable", True)),
        ("$.a[*]", PathShape("input", False)),
        ("$..a", PathShape("input", False)),
        ("$.a[1:3]", PathShape("input", False)),
        ("$.a[0,1]", PathShape("input", False)),
        ("$.a[?(@.b > 1)]", PathShape("input", False)),
        ("$.*", PathShape("input", False)),
    ],
)
def test_valid_paths(text: str, shape: PathShape) -> None:
    assert path_shape(text) == shape
    assert own_path_shape(text) == shape


@pytest.mark.parametrize("text", ["", "a", "$.", "$.a.", "$[", "$.a]", "$.a[", "$a b", "$.a[]", "$. a", "$.a['b]"])
def test_invalid_paths(text: str) -> None:
    assert own_path_shape(text) is None
    if text != "$.a]":  # the JSONPath engine reads "a]" as a property name
        assert path_shape(text) is None


def test_function_calls_are_paths_but_not_reference_paths() -> None:
    assert path_shape("$.a.length()") == PathShape("input", False)


@pytest.mark.parametrize(
    "text",
    [
        "States.Format('{} and {}', $.a, $$.Execution.Id)",
        "States.StringToJson($.s)",
        "States.Array(1, -2.5, true, null, 'x', States.UUID())",
        "States.JsonMerge($.a, $.b, false)",
        "States.Format('it\\'s \\{not\\} a \\\\ placeholder')",
        "States.ArrayGetItem($.a[0], 1)",
        "States.MathAdd($x, 1)",
    ],
)
def test_valid_intrinsics(text: str) -> None:
    assert is_intrinsic_call(text)
    assert own_intrinsic_call(text)


@pytest.mark.parametrize(
    "text",
    [
        'States.StringToJson(\'{"text":"An \\"escaped\\" quote"}\')',
        "States.Format('He said, \\\"Hello\\\"', 'x')",
        "States.Nope(1)",
        "States.Format('unterminated)",
        "States.Format('a',)",
        "States.Format('a') trailing",
        "States.UUID(",
        "Format('x')",
    ],
)
def test_invalid_intrinsics(text: str) -> None:
    assert not is_intrinsic_call(text)
    assert not own_intrinsic_call(text)


@pytest.mark.parametrize("text", ["States.Format()", "States.UUID(1)", "States.MathAdd(1)"])
def test_the_engine_also_checks_arity(text: str) -> None:
    assert own_intrinsic_call(text)
    assert not is_intrinsic_call(text)


@pytest.mark.parametrize(
    ("expression", "code", "message"),
    [
        ("a[1,2)", "INVALID_JSONATA_EXPRESSION", 'Expected "]", got ","'),
        ('"unterminated', "INVALID_JSONATA_EXPRESSION", "String literal must be terminated by a matching quote"),
        ("1 +", "INVALID_JSONATA_EXPRESSION", "Unexpected end of expression"),
        ('{"a":}', "INVALID_JSONATA_EXPRESSION", 'The symbol "}" cannot be used as a unary operator'),
        ("", "INVALID_JSONATA_EXPRESSION", "Unexpected end of expression"),
        ("$$", "UNSUPPORTED_JSONATA_EXPRESSION", "Reference to '$$' is not supported."),
        ("phone", "UNSUPPORTED_JSONATA_EXPRESSION", "Reference to 'phone' at the top level is not supported."),
        ("$count(items)", "UNSUPPORTED_JSONATA_EXPRESSION", "Reference to 'items' at the top level is not supported."),
        ('{"a": b}', "UNSUPPORTED_JSONATA_EXPRESSION", "Reference to 'b' at the top level is not supported."),
        ("$states.errorOutput", "UNSUPPORTED_JSONATA_EXPRESSION", "Field '$states.errorOutput' does not exist."),
    ],
)
def test_refused_jsonata(expression: str, code: str, message: str) -> None:
    assert jsonata_expression_problem(expression, error_output_available=False) == (code, message)


@pytest.mark.parametrize(
    "expression",
    [
        "$states.input.a[price > 5].name",
        "$map($states.input.items, function($v) { $v.name })",
        "($x := 5; $x + 1)",
        "$states.input.items^(price)",
        "$states.context.Execution.Id & '-' & $string($random())",
        "$states.input.a.(b + c)",
        " 1 ",
    ],
)
def test_accepted_jsonata(expression: str) -> None:
    assert jsonata_expression_problem(expression, error_output_available=False) is None


def test_error_output_is_available_in_catchers_only() -> None:
    assert jsonata_expression_problem("$states.errorOutput.Cause", error_output_available=True) is None


def jsonata_machine(state: dict[str, Any]) -> dict[str, Any]:
    return {"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": state}}


def test_jsonata_problems_are_located_at_the_string() -> None:
    state = {"Type": "Pass", "Output": {"v": ["ok", "{% phone %}"]}, "End": True}
    [problem] = validate_definition(jsonata_machine(state))
    assert (problem.code, problem.location) == ("UNSUPPORTED_JSONATA_EXPRESSION", "/States/S/Output/v[1]")


def test_error_output_inside_a_catch_is_accepted() -> None:
    catch = [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "H"}]
    definition = jsonata_machine(
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": catch, "Next": "H"}
    )
    definition["States"]["H"] = {"Type": "Pass", "End": True}
    assert validate_definition(definition) == []
    definition["States"]["H"]["Output"] = "{% $states.errorOutput %}"
    assert [p.message for p in validate_definition(definition)] == ["Field '$states.errorOutput' does not exist."]


def test_strings_that_are_not_expressions_are_literals() -> None:
    state = {"Type": "Pass", "Output": {"a": "{% not closed", "b": "phone %}"}, "End": True}
    assert validate_definition(jsonata_machine(state)) == []
