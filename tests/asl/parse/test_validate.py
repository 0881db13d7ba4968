"""Top level of validate_definition: skeleton fields, QueryLanguage, Express rules, the passes."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.parse.validate import (
    validate_definition,
    validate_definition_text,
    validate_state_definition,
)

SCHEMA = "SCHEMA_VALIDATION_FAILED"


def found(definition: Any, **kwargs: Any) -> list[tuple[str, str, str]]:
    return [(p.code, p.message, p.location) for p in validate_definition(definition, **kwargs)]


def machine(*, top: dict[str, Any] | None = None, **states: dict[str, Any]) -> dict[str, Any]:
    first = next(iter(states))
    return {**(top or {}), "StartAt": first, "States": states}


PASS_END = {"Type": "Pass", "End": True}


def test_a_minimal_machine_is_valid() -> None:
    assert found(machine(A=PASS_END)) == []


@pytest.mark.parametrize("value", [None, 1, "text", [], True])
def test_a_definition_that_is_not_an_object(value: Any) -> None:
    assert found(value) == [(SCHEMA, "Definition must be a valid JSON object", "")]


def test_missing_states_and_start_at_are_listed_states_first() -> None:
    assert found({}) == [(SCHEMA, "These fields are required: [States, StartAt]", "/")]
    assert found({"StartAt": "A"}) == [(SCHEMA, "These fields are required: [States]", "/")]
    assert found({"States": {"A": PASS_END}}) == [(SCHEMA, "These fields are required: [StartAt]", "/")]


def test_unknown_top_level_field() -> None:
    assert found({**machine(A=PASS_END), "Coment": "typo"}) == [(SCHEMA, "Field 'Coment' is not supported", "/")]


def test_top_level_field_types() -> None:
    definition = machine(top={"Comment": 1, "Version": 1, "TimeoutSeconds": 0}, A=PASS_END)
    assert found(definition) == [
        (SCHEMA, "Expected value of type [STRING]", "/Comment"),
        (SCHEMA, "Expected value of type [STRING]", "/Version"),
        (SCHEMA, "Minimum value is 1", "/TimeoutSeconds"),
    ]


def test_states_must_be_a_non_empty_object() -> None:
    assert found({"StartAt": "A", "States": {}}) == [(SCHEMA, "Value cannot be empty", "/States")]
    assert found({"StartAt": "A", "States": []}) == [(SCHEMA, "Expected value of type [OBJECT]", "/States")]
    assert found({"StartAt": 1, "States": {"A": PASS_END}}) == [(SCHEMA, "Expected value of type [STRING]", "/StartAt")]


def test_query_language_outside_the_enum_is_reported_at_the_field() -> None:
    definition = machine(top={"QueryLanguage": "jsonata"}, A=PASS_END)
    assert found(definition) == [
        (SCHEMA, "Value should be one of the following: [JSONPath, JSONata]", "/QueryLanguage")
    ]
    assert found(machine(top={"QueryLanguage": 5}, A=PASS_END)) == [
        (SCHEMA, "Expected value of type [STRING]", "/QueryLanguage")
    ]


def test_an_unknown_top_level_language_resolves_to_jsonata() -> None:
    definition = machine(top={"QueryLanguage": "jsonpath"}, A={**PASS_END, "InputPath": "$.a"})
    assert found(definition) == [
        (SCHEMA, "Value should be one of the following: [JSONPath, JSONata]", "/QueryLanguage"),
        (
            SCHEMA,
            (
                "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the "
                "'JSONPath' QueryLanguage"
            ),
            "/States/A",
        ),
    ]


def test_a_state_cannot_downgrade_a_jsonata_machine() -> None:
    definition = machine(top={"QueryLanguage": "JSONata"}, Pass={**PASS_END, "QueryLanguage": "JSONPath"})
    assert found(definition) == [
        (SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", "/States/Pass")
    ]


def test_the_downgrade_suppresses_the_language_field_check_only() -> None:
    state = {**PASS_END, "QueryLanguage": "JSONPath", "Output": {"v": 1}, "Foo": 1}
    assert found(machine(top={"QueryLanguage": "JSONata"}, X=state)) == [
        (SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", "/States/X"),
        (SCHEMA, "Field 'Foo' is not supported", "/States/X"),
    ]


def test_nested_states_inherit_the_machine_language_not_the_parent_state() -> None:
    inner = {"Type": "Pass", "Output": {"v": "{% 1 %}"}, "End": True}
    definition = machine(
        M={
            "Type": "Map",
            "QueryLanguage": "JSONata",
            "ItemProcessor": {"StartAt": "P", "States": {"P": inner}},
            "End": True,
        }
    )
    assert found(definition) == [
        (
            SCHEMA,
            (
                "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the "
                "'JSONata' QueryLanguage"
            ),
            "/States/M/ItemProcessor/States/P",
        )
    ]


def test_an_explicit_jsonpath_state_under_a_jsonata_map_is_valid() -> None:
    definition = {
        "StartAt": "Map",
        "QueryLanguage": "JSONPath",
        "States": {
            "Map": {
                "Type": "Map",
                "QueryLanguage": "JSONata",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Pass",
                    "States": {"Pass": {"QueryLanguage": "JSONPath", "Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
    assert found(definition) == []


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        (
            "arn:aws:states:us-east-1:111111111111:activity:name",
            "Express state machine does not support Activity ARN",
        ),
        (
            "arn:aws:states:::states:startExecution.sync",
            "Express state machine does not support '.sync' service integration",
        ),
        (
            "arn:aws:states:::states:startExecution.sync:2",
            "Express state machine does not support '.sync' service integration",
        ),
        (
            "arn:aws:states:::sns:publish.waitForTaskToken",
            "Express state machine does not support '.waitForTaskToken' service integration ",
        ),
    ],
)
def test_express_machines_refuse_activities_and_callbacks(resource: str, message: str) -> None:
    definition = machine(T={"Type": "Task", "Resource": resource, "End": True})
    assert found(definition, state_machine_type="STANDARD") == []
    assert found(definition, state_machine_type="EXPRESS") == [(SCHEMA, message, "/States/T/Resource")]


def test_schema_errors_suppress_the_graph_pass() -> None:
    definition = machine(A={"Type": "Pass", "Next": "Nowhere", "Foo": 1})
    assert found(definition) == [(SCHEMA, "Field 'Foo' is not supported", "/States/A")]


def test_arbitrary_python_values_never_raise() -> None:
    weird: list[Any] = [object(), {1: 2}, {"States": {1: {}}, "StartAt": 1}, {"States": {"A": {"Type": object()}}}]
    for value in weird:
        assert isinstance(validate_definition(value), list)


def test_deep_nesting_is_too_deeply_nested_not_a_crash() -> None:
    definition: dict[str, Any] = {"Type": "Pass", "End": True}
    for _ in range(80):
        definition = {
            "Type": "Parallel",
            "Branches": [{"StartAt": "S", "States": {"S": definition}}],
            "End": True,
        }
    codes = {p.code for p in validate_definition({"StartAt": "S", "States": {"S": definition}})}
    assert codes == {"TOO_DEEPLY_NESTED"}


def test_text_entry_point() -> None:
    assert [(p.code, p.message, p.location) for p in validate_definition_text(" ")] == [
        (SCHEMA, "Definition must be a valid JSON object", "")
    ]
    [problem] = validate_definition_text("not a definition")
    assert problem.code == "INVALID_JSON_DESCRIPTION"
    assert problem.location == '[Source: (String)"not a definition"; line: 1, column: 4]'
    assert problem.message == (
        "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', "
        "'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]"
    )
    assert validate_definition_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}') == []


def test_a_lone_state_is_located_as_test_state_locates_it() -> None:
    problems = validate_state_definition({"Type": "Parallel", "Branches": [], "End": True})
    assert [(p.message, p.location) for p in problems] == [("Value cannot be empty", "/States/StateName/Branches")]
    assert validate_state_definition({"Type": "Pass"}) == []
    assert [p.message for p in validate_state_definition({"Type": "Nope"}, state_name="S")] == [
        "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]"
    ]
