"""compile_payload_template: paths, intrinsics, nesting, AWS key order and causes."""

from __future__ import annotations

import random
from typing import Any

import pytest

from constructs_sfn.asl.errors import DefinitionError, StatesError
from constructs_sfn.asl.jsonpath import NULL_INPUT_CAUSE, compile_payload_template

INPUT = {"Bucket": "b", "Key": "k", "items": [{"id": 1}, {"id": 2}], "name": "Ada"}
CONTEXT = {"Execution": {"Id": "arn:exec"}, "Map": {"Item": {"Value": "v", "Index": 0}}}
VARIABLES = {"greeting": "Hello {}", "n": 2}


def evaluate(template: Any, input: Any = INPUT) -> Any:
    return compile_payload_template(template, location="/States/S/Parameters").evaluate(
        input, CONTEXT, VARIABLES, random.Random(1)
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ({"b.$": "$.Bucket"}, {"b": "b"}),
        ({"all.$": "$"}, {"all": INPUT}),
        ({"ids.$": "$.items[*].id"}, {"ids": [1, 2]}),
        ({"none.$": "$.items[?(@.id > 5)]"}, {"none": []}),
        ({"id.$": "$$.Execution.Id"}, {"id": "arn:exec"}),
        ({"ctx.$": "$$.Map.Item"}, {"ctx": {"Value": "v", "Index": 0}}),
        ({"n.$": "$n"}, {"n": 2}),
        ({"s.$": "States.Format($greeting, $.name)"}, {"s": "Hello Ada"}),
        (
            {"nested": {"k.$": "$.Key"}, "list": [{"b.$": "$.Bucket"}, 1]},
            {"nested": {"k": "k"}, "list": [{"b": "b"}, 1]},
        ),
        ({"plain": "$.Bucket", "number": 1}, {"plain": "$.Bucket", "number": 1}),
    ],
)
def test_evaluates(template: Any, expected: Any) -> None:
    assert evaluate(template) == expected


def test_constant_template_is_returned_as_is() -> None:
    constant = {"a": [1, {"b": "$.not.a.path"}], "c": None}
    compiled = compile_payload_template(constant)
    assert compiled.is_constant
    assert compiled.evaluate(INPUT) is constant
    assert compile_payload_template("just a string").evaluate(INPUT) == "just a string"


def test_constant_subtrees_are_shared_not_copied() -> None:
    shared = {"deep": [1, 2]}
    result = evaluate({"const": shared, "b.$": "$.Bucket"})
    assert result["const"] is shared


@pytest.mark.parametrize(
    ("template", "order"),
    [
        # Plain keys first in written order, then ".$" keys in java.util.HashMap order.
        ({"Bucket.$": "$.Bucket", "Key.$": "$.Key", "from_previous": ["x"]}, ["from_previous", "Bucket", "Key"]),
        ({"Iterations.$": "$.Key", "Values.$": "$.Key"}, ["Values", "Iterations"]),
        ({"Iterations": 3, "Values.$": "$.Key"}, ["Iterations", "Values"]),
        ({"Question.$": "$.Key", "Answer.$": "$.Key"}, ["Answer", "Question"]),
        ({"encoded.$": "$.Key", "decoded.$": "$.Key"}, ["decoded", "encoded"]),
        ({"z": {"a.$": "$.Key"}, "a": 1}, ["z", "a"]),
    ],
)
def test_key_order_matches_aws(template: dict[str, Any], order: list[str]) -> None:
    assert list(evaluate(template)) == order


def test_missing_path_cause() -> None:
    with pytest.raises(StatesError) as caught:
        evaluate({"value.$": "$.no_such_jsonpath"}, {"int-literal": 0})
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == (
        "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found "
        "in the input '{\"int-literal\":0}'"
    )


def test_missing_context_path_quotes_the_state_input() -> None:
    with pytest.raises(StatesError) as caught:
        evaluate({"value.$": "$$.Execution.Input.nope"}, {"é": "ü"})
    assert caught.value.cause == (
        "The JSONPath '$$.Execution.Input.nope' specified for the field 'value.$' could not be "
        'found in the input \'{"é":"ü"}\''
    )


def test_missing_intrinsic_argument_cause() -> None:
    with pytest.raises(StatesError) as caught:
        evaluate({"s.$": "States.Format('{}', $.missing)"}, {"a": 1})
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == (
        "The JsonPath argument for the field 's.$' could not be found in the input '{\"a\":1}'"
    )


def test_null_input() -> None:
    with pytest.raises(StatesError) as caught:
        evaluate({"Input.$": "$"}, None)
    assert caught.value.cause == NULL_INPUT_CAUSE
    assert evaluate({"id.$": "$$.Execution.Id"}, None) == {"id": "arn:exec"}


@pytest.mark.parametrize(
    ("template", "location"),
    [
        ({"parsed.$": 'States.StringToJson(\'{"a":"x \\"y\\""}\')'}, "/States/S/Parameters"),
        ({"x.$": "not a path"}, "/States/S/Parameters"),
        ({"x.$": 5}, "/States/S/Parameters"),
        ({"x.$": ["$.a"]}, "/States/S/Parameters"),
        ({"x.$": "$.a["}, "/States/S/Parameters"),
        ({"x.$": "States.Nope()"}, "/States/S/Parameters"),
        ({"outer": {"x.$": "$$$"}}, "/States/S/Parameters/outer"),
        ({"list": [0, {"a/b": {"x.$": ""}}]}, "/States/S/Parameters/list/1/a~1b"),
    ],
)
def test_definition_errors(template: Any, location: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        compile_payload_template(template, location="/States/S/Parameters")
    assert caught.value.location == location
    assert caught.value.message.startswith("The value for the field '")
    assert caught.value.message.endswith("' must be a valid JSONPath or a valid intrinsic function call")
