"""compile_expression / JsonataExpression: AWS's definition errors and evaluation causes."""

from __future__ import annotations

import contextlib
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_sfn.asl.errors import DefinitionError, StatesError
from constructs_sfn.asl.jsonata import UNDEFINED, compile_expression

INPUT = {"n": 5, "objs": [{"o": {"z": 1}}, {"o": {"z": 2}}], "mixed": [1, "a"], "obj": {"a": 1}, "arr": [1, 2, 3]}


def evaluate(text: str, variables: Any = None, now_millis: int = 0) -> Any:
    expression = compile_expression(text, location="/States/S/Output")
    return expression.evaluate(
        {"input": INPUT}, variables or {}, field="Output", rng=random.Random(0), now_millis=now_millis
    )


def cause_of(text: str) -> str:
    return cause_of_with(text, {})


def cause_of_with(text: str, variables: Any) -> str:
    with pytest.raises(StatesError) as caught:
        evaluate(text, variables)
    assert caught.value.error == "States.QueryEvaluationError"
    return str(caught.value.cause)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a[1,2)", 'Expected "]", got ","'),
        ('"unterminated', "String literal must be terminated by a matching quote"),
        ("1 +", "Unexpected end of expression"),
        ('{"a":}', 'The symbol "}" cannot be used as a unary operator'),
        ("$x :=", "Unexpected end of expression"),
        ('$match("a", /abc', "No terminating / in regular expression"),
    ],
)
def test_an_expression_that_does_not_parse_is_an_invalid_definition(text: str, message: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        compile_expression(text, location="/States/Main/Output")
    assert caught.value.code == "INVALID_JSONATA_EXPRESSION"
    assert caught.value.message == message
    assert caught.value.location == "/States/Main/Output"
    assert str(caught.value) == (
        f"Invalid State Machine Definition: 'INVALID_JSONATA_EXPRESSION: {message} at /States/Main/Output'"
    )


def test_top_level_field_names_are_refused_one_problem_per_name() -> None:
    with pytest.raises(DefinitionError) as caught:
        compile_expression("phone & ' ' & name & phone", location="/States/E/Output/v")
    assert caught.value.code == "UNSUPPORTED_JSONATA_EXPRESSION"
    assert [problem.message for problem in caught.value.problems] == [
        "Reference to 'phone' at the top level is not supported.",
        "Reference to 'name' at the top level is not supported.",
    ]
    assert caught.value.problems[0].render() == (
        "UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported. at /States/E/Output/v"
    )


def test_the_context_object_reference_is_refused() -> None:
    with pytest.raises(DefinitionError) as caught:
        compile_expression("$$.Execution.Id", location="/States/E/Output")
    assert caught.value.message == "Reference to '$$' is not supported."


@pytest.mark.parametrize(
    "text",
    [
        "$states.input.objs[o.z = 1]",
        "$states.input.objs.(o.z)",
        "$states.input.objs^(o.z)",
        "$states.input.objs{'k': o.z}",
        "$map($states.input.arr, function($v){ $v })",
        "$states.input ~> |objs|{'x': 1}|",
    ],
)
def test_names_relative_to_a_produced_value_are_accepted(text: str) -> None:
    compile_expression(text, location="/Output")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ('$sum(["a"])', 'T0412: Argument 1 of function "sum" must be an array of "numbers"'),
        ('1 < "a"', 'T2009: The values 1 and "a" either side of operator "<" must be of the same data type'),
        ("1 + {}", 'T2002: The right side of the "+" operator must evaluate to a number'),
        ('"a" - 1', 'T2001: The left side of the "-" operator must evaluate to a number'),
        ("$sqrt(-1)", "D3060: The sqrt function cannot be applied to a negative number: -1"),
        ("$split('a','b',-1)", "D3020: Third argument of split function must evaluate to a positive number"),
        ("$each('x', function($v){$v})", 'T0410: Argument 1 of function "each" does not match function signature'),
        (
            "$single([1,2], function($x){true})",
            "D3138: The $single() function expected exactly 1 matching result.  Instead it matched more.",
        ),
        (
            "$reduce([1,2], function($a){$a})",
            "D3050: The second argument of reduce function must be a function with at least two arguments",
        ),
        ("$replace('a','','b')", "D3010: Second argument of replace function cannot be an empty string"),
        ("$uppercase(null)", 'T0410: Argument 1 of function "uppercase" does not match function signature'),
        ("$error('boom')", "D3137: boom"),
        ("$assert(false, 'nope')", "D3141: nope"),
    ],
)
def test_a_thrown_error_is_coded_after_the_sentence(text: str, detail: str) -> None:
    assert cause_of(text) == (
        f"The JSONata expression '{text}' specified for the field 'Output' threw an error during evaluation. {detail}"
    )


def test_a_tail_call_without_end_is_cut_off() -> None:
    text = "($f := function($x){ $f($x+1) }; $f(1))"
    assert cause_of(text).endswith(
        "threw an error during evaluation: Expression evaluation timeout: Check for infinite loop"
    )


def test_runaway_recursion_is_a_stack_overflow() -> None:
    text = "($f := function($x){ $x <= 0 ? 0 : 1 + $f($x-1) }; $f(100000))"
    assert cause_of(text).endswith(
        "threw an error during evaluation: Stack overflow error: Check for non-terminating recursive "
        "function.  Consider rewriting as tail-recursive."
    )


def test_non_finite_numbers_are_written_as_javascript_names_them() -> None:
    assert evaluate("1/0") == "Infinity"
    assert evaluate("-1/0") == "-Infinity"
    assert evaluate("0/0") == "NaN"
    assert evaluate("1e308 * 10") == "Infinity"
    assert evaluate("[1/0, 2]") == ["Infinity", 2]
    assert evaluate("{'k': 1/0}") == {"k": "Infinity"}
    assert evaluate("5.5 % 2") == 1.5
    assert evaluate("-5.5 % 2") == -1.5


def test_now_and_millis_read_the_given_clock() -> None:
    assert evaluate("$millis()", now_millis=1_700_000_000_123) == 1_700_000_000_123
    assert evaluate("$now()", now_millis=1_700_000_000_123) == "2023-11-14T22:13:20.123Z"


def test_a_bound_variable_lives_for_one_evaluation() -> None:
    expression = compile_expression("$variable := 1", location="/Output")
    assert expression.evaluate({}, {}, field="MaxConcurrency") == 1
    assert compile_expression("$variable", location="/Output").evaluate_value({}, {}, field="x") is UNDEFINED


def test_a_workflow_variable_shadows_a_function_of_the_same_name() -> None:
    assert evaluate("$count", variables={"count": 3}) == 3
    assert cause_of_with("$not(true)", {"not": 1}).endswith("T1006: Attempted to invoke a non-function")


def test_evaluate_value_reports_undefined_without_raising() -> None:
    expression = compile_expression("$states.input.missing", location="/Output")
    assert expression.evaluate_value({"input": {}}, {}, field="Output") is UNDEFINED


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=12,
)
_EXPRESSIONS = [
    "$states.input",
    "$states.input.a",
    "$states.input.a.b[0]",
    "$states.input.a + 1",
    "$states.input.a & 'x'",
    "$states.input.a = $states.input.b",
    "$states.input.a < 3",
    "$count($states.input.a)",
    "$sum($states.input.a)",
    "$string($states.input)",
    "$keys($states.input)",
    "$states.input.*",
    "$states.input.**",
    "$states.input.a[$ > 1]",
    "$sort($states.input.a)",
    "$merge($states.input.a)",
    "$partition($states.input.a, 2)",
    "$range($states.input.a, 5, 1)",
    "$hash($states.input.a, 'SHA-256')",
    "$parse($states.input.a)",
    "$uppercase($states.input.a)",
    "$number($states.input.a)",
    "$v.x",
    "-$states.input.a",
    "$states.input.a ? 1 : 2",
    "$not($states.input.a)",
    "$states.input.a in $states.input.b",
    "$states.input.a / $states.input.b",
]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    text=st.sampled_from(_EXPRESSIONS),
    document=_JSON,
    variable=_JSON,
)
def test_evaluation_raises_only_states_errors(text: str, document: Any, variable: Any) -> None:
    expression = compile_expression(text, location="/Output")
    before = repr(document)
    failure: StatesError | None = None
    try:
        expression.evaluate_value({"input": document}, {"v": variable}, field="Output", rng=random.Random(1))
    except StatesError as error:
        failure = error
    if failure is not None:
        assert failure.error == "States.QueryEvaluationError"
        assert failure.cause
    assert repr(document) == before


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("$.a1[](){}'\"+-*/%&=<>!?:;,^~|@#` \\nul")), max_size=24))
def test_compilation_raises_only_definition_errors(text: str) -> None:
    failure: DefinitionError | None = None
    try:
        compile_expression(text, location="/Output")
    except DefinitionError as error:
        failure = error
    if failure is not None:
        assert failure.code in ("INVALID_JSONATA_EXPRESSION", "UNSUPPORTED_JSONATA_EXPRESSION")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=30))
def test_compilation_of_arbitrary_text_raises_only_definition_errors(text: str) -> None:
    with contextlib.suppress(DefinitionError):
        compile_expression(text, location="/Output")
