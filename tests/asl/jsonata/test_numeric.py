"""Numeric fields computed by JSONata (Seconds, TimeoutSeconds, MaxConcurrency, ...)."""

from __future__ import annotations

import pytest

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.jsonata import compile_jsonata_value, evaluate_integer, evaluate_number

STATES = {"input": {"waitSeconds": 0, "s": "x", "f": 1.5, "neg": -1, "two": 2.0, "pct": 100}}


def integer(value: object, **bounds: int | None) -> int:
    compiled = compile_jsonata_value(value, location="/States/W/Seconds")
    return evaluate_integer(compiled, STATES, {}, field="Seconds", **bounds)


def test_integers_pass() -> None:
    assert integer("{% $states.input.waitSeconds %}") == 0
    assert integer("{% $states.input.two %}") == 2
    assert integer("{% $variable := 1 %}") == 1
    assert integer(5) == 5


@pytest.mark.parametrize(
    ("expression", "actual", "rendered"),
    [("$states.input.s", "string", '"x"'), ("$states.input.f", "number", "1.5"), ("true", "boolean", "true")],
)
def test_a_non_integer_is_an_unexpected_type(expression: str, actual: str, rendered: str) -> None:
    with pytest.raises(StatesError) as caught:
        integer("{% " + expression + " %}")
    assert caught.value.error == "States.QueryEvaluationError"
    assert caught.value.cause == (
        f"The JSONata expression '{expression}' specified for the field 'Seconds' returned an unexpected "
        f"result type. Expected 'integer', but was '{actual}' for value: {rendered}"
    )


def test_a_value_out_of_range_is_refused() -> None:
    with pytest.raises(StatesError) as caught:
        integer("{% $states.input.neg %}")
    assert caught.value.error == "States.QueryEvaluationError"
    assert "out of range" in str(caught.value.cause)
    assert integer("{% $states.input.neg %}", minimum=None) == -1
    with pytest.raises(StatesError):
        integer("{% 100 %}", maximum=99)


def test_numbers() -> None:
    compiled = compile_jsonata_value("{% $states.input.pct %}", location="/x")
    assert evaluate_number(compiled, STATES, {}, field="ToleratedFailurePercentage", minimum=0, maximum=100) == 100
    with pytest.raises(StatesError):
        evaluate_number(compiled, STATES, {}, field="ToleratedFailurePercentage", maximum=99.5)
    text = compile_jsonata_value("{% $states.input.s %}", location="/x")
    with pytest.raises(StatesError) as caught:
        evaluate_number(text, STATES, {}, field="ToleratedFailurePercentage")
    assert "Expected 'number', but was 'string'" in str(caught.value.cause)
