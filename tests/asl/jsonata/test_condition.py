"""Choice ``Condition`` in JSONata mode."""

from __future__ import annotations

import pytest

from constructs_sfn.asl.errors import DefinitionError, StatesError
from constructs_sfn.asl.jsonata import compile_condition


@pytest.mark.parametrize(
    ("condition", "document", "expected"),
    [
        ("{% $states.input.condition %}", {"condition": True}, True),
        ("{% $states.input.condition %}", {"condition": False}, False),
        ("{% $states.input.cost < 10 %}", {"cost": 9}, True),
        ("{% $states.input.cost < 10 %}", {"cost": 10}, False),
        ("{% $not($states.input.type = 'Private') %}", {"type": "Private", "value": 22}, False),
        ("{% $states.input.value >= 20 and $states.input.value < 30 %}", {"value": 22}, True),
        ("{% $not($states.input.result.done) %}", {"result": {"done": False}}, True),
        (True, {}, True),
        (False, {}, False),
    ],
)
def test_conditions(condition: object, document: object, expected: bool) -> None:
    compiled = compile_condition(condition, location="/States/C/Choices/0/Condition")
    assert compiled.evaluate({"input": document}, {}) is expected


def test_a_literal_condition_is_constant() -> None:
    assert compile_condition(True, location="/c").is_constant
    assert not compile_condition("{% true %}", location="/c").is_constant


def test_a_non_boolean_result_is_an_unexpected_type() -> None:
    compiled = compile_condition("{% $states.input.n %}", location="/c")
    with pytest.raises(StatesError) as caught:
        compiled.evaluate({"input": {"n": 1}}, {}, field="Choices[0]/Condition")
    assert caught.value.cause == (
        "The JSONata expression '$states.input.n' specified for the field 'Choices[0]/Condition' returned "
        "an unexpected result type. Expected 'boolean', but was 'number' for value: 1"
    )


def test_an_undefined_condition_returns_nothing() -> None:
    compiled = compile_condition("{% $states.input.missing %}", location="/c")
    with pytest.raises(StatesError) as caught:
        compiled.evaluate({"input": {}}, {})
    assert caught.value.cause is not None
    assert caught.value.cause.endswith("specified for the field 'Condition' returned nothing (undefined).")


def test_a_condition_must_be_a_boolean_or_an_expression() -> None:
    with pytest.raises(DefinitionError) as caught:
        compile_condition("yes", location="/States/C/Choices/0/Condition")
    assert caught.value.location == "/States/C/Choices/0/Condition"
