"""compile_jsonata_value / JsonataValue: delimiters, templates, field paths in causes."""

from __future__ import annotations

import random
from typing import Any

import pytest

from constructs_sfn.asl.errors import DefinitionError, StatesError
from constructs_sfn.asl.jsonata import compile_jsonata_value, expression_text, is_jsonata_expression

INPUT = {"input_value": "string literal", "input_values": [1, 2, 3]}
STATES = {"input": INPUT, "context": {"State": {"Name": "State0"}}}


def evaluate(value: Any, states: Any = None, variables: Any = None, field: str = "Output") -> Any:
    compiled = compile_jsonata_value(value, location="/States/S/Output")
    return compiled.evaluate(
        STATES if states is None else states,
        variables or {},
        field=field,
        rng=random.Random(0),
        now_millis=0,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% $states.input %}", True),
        ("{%$states.input%}", True),
        ("{%%}", True),
        (" {% states.input %} ", False),  # AWS keeps this literal: no whitespace around the delimiters
        ("{% states.input %} ", False),
        ("$states.input", False),
        ("{%", False),
        ("%}", False),
        ("{%}", False),
        (1, False),
        (None, False),
    ],
)
def test_is_jsonata_expression_requires_exact_delimiters(text: Any, expected: bool) -> None:
    assert is_jsonata_expression(text) is expected


def test_expression_text_is_trimmed_inside_the_delimiters() -> None:
    assert expression_text("{%  $fn := function($x){$x}  %}") == "$fn := function($x){$x}"


def test_literals_and_look_alikes_stay_constant() -> None:
    # The BASE_LITERALS shape: none of these is an expression, so the value comes back unchanged.
    literals = {
        "constant_null": None,
        "constant_int": 0,
        "constant_float": 0.1,
        "constant_bool": True,
        "constant_not_jsonata": " {% states.input %} ",
        "constant_varpath_states": "$states.input",
        "constant_jp_input.$": "$",
        "constant_if": "States.Format('Format:{}', 101)",
        "constant_lst": [None, 0, 0.1, True, [], {"constant": 0}, "$no.such.var.path"],
        "constant_obj_empty": {},
    }
    compiled = compile_jsonata_value(literals, location="/Output")
    assert compiled.is_constant
    assert compiled.expression is None
    assert compiled.evaluate({}, {}, field="Output") is literals


@pytest.mark.parametrize("literal", [None, True, 0, 0.1, "string literal", [], {}])
def test_any_json_literal_is_a_constant_output(literal: Any) -> None:
    compiled = compile_jsonata_value(literal, location="/Output")
    assert compiled.is_constant
    assert evaluate(literal) == literal


def test_expressions_nest_in_arrays_and_objects() -> None:
    value = [None, 0, "string", "$nosuchvar", "{% $states.input %}", {"key": "{% true %}"}]
    compiled = compile_jsonata_value(value, location="/Output")
    assert not compiled.is_constant
    assert evaluate(value) == [None, 0, "string", "$nosuchvar", INPUT, {"key": True}]


def test_a_whole_field_expression_exposes_its_compiled_expression() -> None:
    compiled = compile_jsonata_value("{% $states.input %}", location="/Output")
    assert compiled.expression is not None
    assert compiled.expression.text == "$states.input"


def test_object_template_with_states_variables_and_functions() -> None:
    output = evaluate(
        {
            "ja_states_input": "{% $states.input %}",
            "ja_var_access": "{% $var_input_value %}",
            "ja_expr": "{% $sum($states.input.input_values) + $var_constant_1 %}",
        },
        variables={"var_input_value": "string literal", "var_constant_1": 1},
    )
    assert output == {"ja_states_input": INPUT, "ja_var_access": "string literal", "ja_expr": 7}


def test_integral_results_are_integers() -> None:
    # AWS answers 3, not 3.0, for an integral number.
    result = evaluate("{% $states.input.f * 2 %}", states={"input": {"f": 1.5}})
    assert result == 3
    assert type(result) is int


def test_the_map_items_shape_with_a_number_function() -> None:
    assert evaluate([1, '{% $number("2") %}', 3]) == [1, 2, 3]
    assert evaluate([1, "{% $number('2') %}", 3]) == [1, 2, 3]


@pytest.mark.parametrize(
    ("template", "field_path"),
    [
        ({"v": "{% $states.input.missing %}"}, "Output/v"),
        ({"a": {"b": "{% $states.input.missing %}"}}, "Output/a/b"),
        ("{% $states.input.missing %}", "Output"),
        ({"values": ["{% $states.input.missing %}", 1]}, "Output/values[0]"),
        ({"a": {"b": [[1, "{% $states.input.missing %}"]]}}, "Output/a/b[0][1]"),
    ],
)
def test_an_undefined_result_names_the_field_path(template: Any, field_path: str) -> None:
    with pytest.raises(StatesError) as caught:
        evaluate(template)
    assert caught.value.error == "States.QueryEvaluationError"
    assert caught.value.cause == (
        f"The JSONata expression '$states.input.missing' specified for the field '{field_path}' "
        "returned nothing (undefined)."
    )


def test_the_field_name_is_the_callers() -> None:
    with pytest.raises(StatesError) as caught:
        evaluate({"error": "{% $stateError %}"}, field="Output")
    assert caught.value.cause == (
        "The JSONata expression '$stateError' specified for the field 'Output/error' returned nothing (undefined)."
    )


def test_explicit_nulls_are_values() -> None:
    states = {"input": {"bar": None}}
    assert evaluate({"v": "{% $states.input.bar %}", "kept": 1}, states=states) == {"v": None, "kept": 1}
    assert evaluate({"outer": {"fromExpression": "{% null %}"}}) == {"outer": {"fromExpression": None}}
    assert evaluate({"values": ["{% null %}", 1]}) == {"values": [None, 1]}
    assert evaluate("{% $nullVariable %}", variables={"nullVariable": None}) is None
    assert evaluate("{% $exists($nullVariable) %}", variables={"nullVariable": None}) is True
    assert evaluate("{% $type($states.input.bar) %}", states=states) == "null"


@pytest.mark.parametrize(
    ("expected", "actual", "value", "rendered"),
    [
        ("array", "boolean", "{% true %}", "true"),
        ("array", "null", "{% null %}", "null"),
        ("array", "number", "{% 1 %}", "1"),
        ("array", "string", "{% 'string' %}", '"string"'),
        ("array", "object", "{% {'foo': 'bar'} %}", '{"foo":"bar"}'),
    ],
)
def test_evaluate_typed_reports_the_type_as_aws_does(expected: str, actual: str, value: str, rendered: str) -> None:
    compiled = compile_jsonata_value(value, location="/States/M/Items")
    with pytest.raises(StatesError) as caught:
        compiled.evaluate_typed(STATES, {}, field="Items", expected=expected)
    text = value[2:-2].strip()
    assert caught.value.error == "States.QueryEvaluationError"
    assert caught.value.cause == (
        f"The JSONata expression '{text}' specified for the field 'Items' returned an unexpected result "
        f"type. Expected '{expected}', but was '{actual}' for value: {rendered}"
    )


def test_evaluate_typed_passes_a_matching_value() -> None:
    compiled = compile_jsonata_value("{% [1, 'two', 3] %}", location="/States/M/Items")
    assert compiled.evaluate_typed(STATES, {}, field="Items", expected="array") == [1, "two", 3]
    singleton = compile_jsonata_value("{% [0] %}", location="/States/M/Items")
    assert singleton.evaluate_typed(STATES, {}, field="Items", expected="array") == [0]


def test_a_function_result_is_an_unsupported_result_type() -> None:
    compiled = compile_jsonata_value("{% $fn := function($x){$x} %}", location="/States/M/Items")
    with pytest.raises(StatesError) as caught:
        compiled.evaluate_typed(STATES, {}, field="Items", expected="array")
    assert caught.value.cause == (
        "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an "
        "unsupported result type."
    )


def test_compile_errors_carry_the_pointer_of_the_nested_string() -> None:
    with pytest.raises(DefinitionError) as caught:
        compile_jsonata_value({"a": [1, {"b/c": "{% 1 + %}"}]}, location="/States/S/Output")
    assert caught.value.code == "INVALID_JSONATA_EXPRESSION"
    assert caught.value.location == "/States/S/Output/a/1/b~1c"
    assert caught.value.message == "Unexpected end of expression"


def test_evaluation_does_not_mutate_the_input() -> None:
    states = {"input": {"items": [{"n": 2}, {"n": 1}], "o": {"k": 1}}}
    before = repr(states)
    evaluate("{% $states.input ~> |items|{'x': 1}| %}", states=states)
    evaluate("{% $sort($states.input.items, function($a, $b){$a.n > $b.n}) %}", states=states)
    evaluate("{% $merge([$states.input.o, {'z': 2}]) %}", states=states)
    assert repr(states) == before
