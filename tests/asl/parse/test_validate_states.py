"""Per-state-type rules of the schema pass."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl.parse.validate import validate_definition

SCHEMA = "SCHEMA_VALIDATION_FAILED"
TYPES = "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]"
LAMBDA = "arn:aws:states:::lambda:invoke"


def state_problems(state: Any, *, language: str | None = None) -> list[tuple[str, str, str]]:
    definition: dict[str, Any] = {"StartAt": "S", "States": {"S": state}}
    if language:
        definition["QueryLanguage"] = language
    return [(p.code, p.message, p.location) for p in validate_definition(definition)]


def only_messages(state: Any, **kwargs: Any) -> list[tuple[str, str]]:
    return [(message, location) for _, message, location in state_problems(state, **kwargs)]


# -- skeleton of a state -----------------------------------------------------------------------
def test_state_must_be_an_object_with_a_type() -> None:
    assert only_messages([]) == [("Expected value of type [OBJECT]", "/States/S")]
    assert only_messages({"End": True}) == [("These fields are required: [Type]", "/States/S")]
    assert only_messages({"Type": 1}) == [("Expected value of type [STRING]", "/States/S/Type")]
    assert only_messages({"Type": "Nope", "End": True}) == [
        (f"The field 'Type' should have one of these values: {TYPES}", "/States/S/Type")
    ]


def test_unsupported_fields_are_reported_at_the_state_in_aws_order() -> None:
    state = {
        "Type": "Pass",
        "End": True,
        "Retry": [{"ErrorEquals": ["States.ALL"]}],
        "TimeoutSeconds": 5,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "S"}],
    }
    assert only_messages(state) == [
        ("Field 'TimeoutSeconds' is not supported", "/States/S"),
        ("Field 'Catch' is not supported", "/States/S"),
        ("Field 'Retry' is not supported", "/States/S"),
    ]


@pytest.mark.parametrize("state_type", ["Map", "Parallel", "Pass", "Wait", "Choice", "Succeed", "Fail"])
def test_timeout_seconds_is_a_task_field(state_type: str) -> None:
    messages = [m for m, _ in only_messages({"Type": state_type, "TimeoutSeconds": 5})]
    assert "Field 'TimeoutSeconds' is not supported" in messages


def test_language_fields_are_reported_at_the_state() -> None:
    jsonata_fields = {"Type": "Task", "Resource": LAMBDA, "Output": {"v": 1}, "Arguments": {}, "End": True}
    assert only_messages(jsonata_fields) == [
        (
            (
                "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' "
                "QueryLanguage"
            ),
            "/States/S",
        ),
        (
            (
                "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' "
                "QueryLanguage"
            ),
            "/States/S",
        ),
    ]
    jsonpath_fields = {"Type": "Pass", "ResultPath": "$.c", "OutputPath": "$.b", "InputPath": "$.a", "End": True}
    assert [m.split("field ")[1] for m, _ in only_messages(jsonpath_fields, language="JSONata")] == [
        "'InputPath' is only supported for the 'JSONPath' QueryLanguage",
        "'OutputPath' is only supported for the 'JSONPath' QueryLanguage",
        "'ResultPath' is only supported for the 'JSONPath' QueryLanguage",
    ]


def test_state_query_language_value() -> None:
    state = {"Type": "Pass", "QueryLanguage": "jsonata", "InputPath": "$.a", "End": True}
    assert only_messages(state) == [
        (
            (
                "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' "
                "QueryLanguage"
            ),
            "/States/S",
        ),
        ("Value should be one of the following: [JSONPath, JSONata]", "/States/S/QueryLanguage"),
    ]


def test_next_and_end() -> None:
    assert only_messages({"Type": "Pass"}) == [("One of 'Next' or 'End' must be specified", "/States/S")]
    assert only_messages({"Type": "Pass", "End": False}) == [("One of 'Next' or 'End' must be specified", "/States/S")]
    both = only_messages({"Type": "Pass", "Next": "S", "End": True})
    assert both == [("Only one of 'Next' or 'End' can be specified", "/States/S")]
    assert only_messages({"Type": "Pass", "End": "yes"}) == [
        ("Expected value of type [BOOLEAN]", "/States/S/End"),
        ("One of 'Next' or 'End' must be specified", "/States/S"),
    ]
    assert only_messages({"Type": "Succeed", "End": True}) == [("Field 'End' is not supported", "/States/S")]


# -- paths and templates ---------------------------------------------------------------------------
def test_paths() -> None:
    state = {"Type": "Pass", "InputPath": "a.b", "OutputPath": None, "ResultPath": "$.a[*]", "End": True}
    assert only_messages(state) == [
        ("The value for the field 'InputPath' must be a valid JSONPath", "/States/S/InputPath"),
        ("The value for the field 'ResultPath' must be a valid ReferencePath", "/States/S/ResultPath"),
    ]
    assert only_messages({"Type": "Pass", "ResultPath": "$$.Execution", "End": True}) == [
        ("The value for the field 'ResultPath' must be a valid ReferencePath", "/States/S/ResultPath")
    ]
    assert only_messages({"Type": "Pass", "InputPath": "$$.Execution.Input", "End": True}) == []


def test_payload_template_dollar_keys() -> None:
    bad = 'States.StringToJson(\'{"text":"An \\"escaped double quote\\" here"}\')'
    state = {"Type": "Pass", "Parameters": {"parsed.$": bad}, "End": True}
    assert only_messages(state) == [
        (
            "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call",
            "/States/S/Parameters",
        )
    ]
    nested = {"Type": "Pass", "Parameters": {"a": [{"b.$": "States.Nope(1)"}], "ok.$": "$.x"}, "End": True}
    assert only_messages(nested) == [
        (
            "The value for the field 'b.$' must be a valid JSONPath or a valid intrinsic function call",
            "/States/S/Parameters",
        )
    ]
    assert only_messages({"Type": "Pass", "Parameters": "x", "End": True}) == [
        ("Expected value of type [OBJECT]", "/States/S/Parameters")
    ]


def test_assign() -> None:
    assert only_messages({"Type": "Pass", "Assign": {"x.$": "$.a", "y": 1}, "End": True}) == []
    assert only_messages({"Type": "Pass", "Assign": {"1x": 1, "states": 2}, "End": True}) == [
        ("Invalid variable name '1x'", "/States/S/Assign"),
        ("The variable name 'states' is reserved", "/States/S/Assign"),
    ]
    assert only_messages({"Type": "Succeed", "Assign": {}}) == [("Field 'Assign' is not supported", "/States/S")]


# -- Task ------------------------------------------------------------------------------------------
def test_task_requires_a_resource() -> None:
    assert only_messages({"Type": "Task", "End": True}) == [("These fields are required: [Resource]", "/States/S")]


def test_task_timeouts() -> None:
    state = {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 0, "HeartbeatSecondsPath": "$.h[*]", "End": True}
    assert only_messages(state) == [
        ("Minimum value is 1", "/States/S/TimeoutSeconds"),
        (
            "The value for the field 'HeartbeatSecondsPath' must be a valid ReferencePath",
            "/States/S/HeartbeatSecondsPath",
        ),
    ]
    both = {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 5, "HeartbeatSeconds": 5, "End": True}
    assert only_messages(both) == [
        (
            "The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
            "/States/S/HeartbeatSeconds",
        )
    ]
    jsonata = {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": "{% $states.input.t %}", "End": True}
    assert only_messages(jsonata, language="JSONata") == []


def test_credentials_need_a_role_arn() -> None:
    state = {"Type": "Task", "Resource": LAMBDA, "Credentials": {"InvalidField": "x"}, "End": True}
    assert only_messages(state, language="JSONata") == [
        ("The field 'RoleArn' is required but was missing", "/States/S/Credentials")
    ]
    path_role = {"Type": "Task", "Resource": LAMBDA, "Credentials": {"RoleArn.$": "$.role"}, "End": True}
    assert only_messages(path_role) == []


# -- Retry and Catch -------------------------------------------------------------------------------
def test_retriers() -> None:
    retry = [
        {"ErrorEquals": [], "IntervalSeconds": 0},
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1.5, "BackoffRate": 0.5, "JitterStrategy": "SOME"},
        {"ErrorEquals": ["X"], "MaxDelaySeconds": 31622401, "Foo": 1},
    ]
    state = {"Type": "Task", "Resource": LAMBDA, "Retry": retry, "End": True}
    assert only_messages(state) == [
        ("Value cannot be empty", "/States/S/Retry[0]/ErrorEquals"),
        ("Minimum value is 1", "/States/S/Retry[0]/IntervalSeconds"),
        ("Retrier with 'States.ALL' must be the last one", "/States/S/Retry[1]/ErrorEquals"),
        ("Expected value of type [INTEGER]", "/States/S/Retry[1]/MaxAttempts"),
        ("Minimum value is 1", "/States/S/Retry[1]/BackoffRate"),
        ("Value should be one of the following: [FULL, NONE]", "/States/S/Retry[1]/JitterStrategy"),
        ("Field 'Foo' is not supported", "/States/S/Retry[2]"),
        ("Maximum value is 31622400", "/States/S/Retry[2]/MaxDelaySeconds"),
    ]


def test_catchers() -> None:
    catch = [
        {"ErrorEquals": ["States.ALL", "X"], "Next": "S"},
        {"Next": "S", "ResultPath": "$.e"},
        {"ErrorEquals": ["X"]},
    ]
    state = {"Type": "Task", "Resource": LAMBDA, "Catch": catch, "End": True}
    assert only_messages(state) == [
        ("Catcher with 'States.ALL' must not contain other error names", "/States/S/Catch[0]/ErrorEquals"),
        ("The field 'ErrorEquals' is required but was missing", "/States/S/Catch[1]"),
        ("The field 'Next' is required but was missing", "/States/S/Catch[2]"),
    ]


def test_jsonata_catcher_refuses_result_path() -> None:
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "S", "ResultPath": "$.e", "Output": "{% $states.errorOutput %}"}]
    state = {"Type": "Task", "Resource": LAMBDA, "Catch": catch, "End": True}
    assert only_messages(state, language="JSONata") == [
        (
            (
                "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' "
                "QueryLanguage"
            ),
            "/States/S/Catch[0]",
        )
    ]


# -- Choice ----------------------------------------------------------------------------------------
def choice(*rules: Any, **extra: Any) -> dict[str, Any]:
    return {"Type": "Choice", "Choices": list(rules), "Default": "S", **extra}


def test_choice_requires_non_empty_choices() -> None:
    assert only_messages({"Type": "Choice"}) == [("These fields are required: [Choices]", "/States/S")]
    assert only_messages(choice()) == [("Value cannot be empty", "/States/S/Choices")]


def test_choice_rule_operators() -> None:
    rules = [
        {"Variable": "$.x", "Next": "S"},
        {"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "S"},
        {"StringEquals": "a", "Next": "S"},
        {"Variable": "$.x", "NumericGreaterThan": "1", "Next": "S"},
        {"Variable": "$.x", "TimestampEquals": "2016-03-14 01:59:00", "Next": "S"},
        {"Variable": "$.x", "IsPresent": True},
        {"Variable": "x", "StringMatchesPath": "$.y", "Next": "S"},
    ]
    assert only_messages(choice(*rules)) == [
        ("A choice rule must contain exactly one comparison operator", "/States/S/Choices[0]"),
        ("A choice rule must contain exactly one comparison operator", "/States/S/Choices[1]"),
        ("The field 'Variable' is required but was missing", "/States/S/Choices[2]"),
        ("Expected value of type [NUMBER]", "/States/S/Choices[3]/NumericGreaterThan"),
        ("The value for the field 'TimestampEquals' must be a valid timestamp", "/States/S/Choices[4]/TimestampEquals"),
        ("The field 'Next' is required but was missing", "/States/S/Choices[5]"),
        ("Field 'StringMatchesPath' is not supported", "/States/S/Choices[6]"),
        ("A choice rule must contain exactly one comparison operator", "/States/S/Choices[6]"),
    ]


def test_boolean_rules() -> None:
    rules = [
        {
            "And": [{"Variable": "$.a", "IsNull": False}, {"Not": {"Variable": "$.b", "BooleanEquals": True}}],
            "Next": "S",
        },
        {"Or": [], "Next": "S"},
        {"Not": {"Variable": "$.b", "IsNull": True, "Next": "S"}, "Next": "S"},
    ]
    assert only_messages(choice(*rules)) == [
        ("Value cannot be empty", "/States/S/Choices[1]/Or"),
        ("Field 'Next' is not supported", "/States/S/Choices[2]/Not"),
    ]


def test_jsonata_choice_rules() -> None:
    rules = [
        {"Condition": "{% $states.input.x > 1 %}", "Next": "S", "Output": {"a": 1}},
        {"Variable": "$.x", "Condition": True, "Next": "S"},
        {"Next": "S"},
    ]
    assert only_messages(choice(*rules), language="JSONata") == [
        (
            (
                "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' "
                "QueryLanguage"
            ),
            "/States/S/Choices[1]",
        ),
        ("The field 'Condition' is required but was missing", "/States/S/Choices[2]"),
    ]
    assert only_messages(choice({"Condition": "{% true %}", "Next": "S"})) == [
        (
            (
                "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' "
                "QueryLanguage"
            ),
            "/States/S/Choices[0]",
        ),
        ("A choice rule must contain exactly one comparison operator", "/States/S/Choices[0]"),
    ]


# -- Wait, Fail ------------------------------------------------------------------------------------
def test_wait_needs_exactly_one_duration() -> None:
    message = "Exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath' must be specified"
    assert only_messages({"Type": "Wait", "End": True}) == [(message, "/States/S")]
    assert only_messages({"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": True}) == [(message, "/States/S")]
    assert only_messages({"Type": "Wait", "Seconds": -1, "End": True}) == [("Minimum value is 0", "/States/S/Seconds")]
    assert only_messages({"Type": "Wait", "Timestamp": "yesterday", "End": True}) == [
        ("The value for the field 'Timestamp' must be a valid timestamp", "/States/S/Timestamp")
    ]
    assert only_messages({"Type": "Wait", "Timestamp": "2016-03-14T01:59:00.123+02:00", "End": True}) == []
    assert only_messages({"Type": "Wait", "Seconds": "{% 3 %}", "End": True}, language="JSONata") == []


def test_fail_error_and_cause() -> None:
    state = {"Type": "Fail", "Error": "E", "ErrorPath": "$.e", "CausePath": "States.Format('{}', $.c)"}
    assert only_messages(state) == [("Only one of 'Error' and 'ErrorPath' can be specified", "/States/S/Error")]
    assert only_messages({"Type": "Fail", "CausePath": "not a path"}) == [
        (
            "The value for the field 'CausePath' must be a valid JSONPath or a valid intrinsic function call",
            "/States/S/CausePath",
        )
    ]


# -- Parallel and Map --------------------------------------------------------------------------------
def test_parallel_branches() -> None:
    assert only_messages({"Type": "Parallel", "Branches": [], "End": True}) == [
        ("Value cannot be empty", "/States/S/Branches")
    ]
    branch = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    assert only_messages({"Type": "Parallel", "Branches": [branch, {}], "End": True}) == [
        ("Field 'QueryLanguage' is not supported", "/States/S/Branches[0]"),
        ("These fields are required: [States, StartAt]", "/States/S/Branches[1]"),
    ]
    nested = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Foo": 1, "End": True}}}
    assert only_messages({"Type": "Parallel", "Branches": [nested], "End": True}) == [
        ("Field 'Foo' is not supported", "/States/S/Branches[0]/States/P")
    ]


def processor(**extra: Any) -> dict[str, Any]:
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}, **extra}


def test_map_processor_and_config() -> None:
    assert only_messages({"Type": "Map", "End": True}) == [("These fields are required: [ItemProcessor]", "/States/S")]
    config = {"Mode": "PARALLEL", "ExecutionType": "SLOW", "Extra": 1}
    assert only_messages({"Type": "Map", "ItemProcessor": processor(ProcessorConfig=config), "End": True}) == [
        ("Field 'Extra' is not supported", "/States/S/ItemProcessor/ProcessorConfig"),
        ("Value should be one of the following: [INLINE, DISTRIBUTED]", "/States/S/ItemProcessor/ProcessorConfig/Mode"),
        (
            "Value should be one of the following: [STANDARD, EXPRESS]",
            "/States/S/ItemProcessor/ProcessorConfig/ExecutionType",
        ),
    ]
    assert only_messages({"Type": "Map", "Iterator": processor(QueryLanguage="JSONata"), "End": True}) == [
        ("Field 'QueryLanguage' is not supported", "/States/S/Iterator")
    ]


def test_map_concurrency_and_tolerance() -> None:
    state = {
        "Type": "Map",
        "ItemProcessor": processor(),
        "MaxConcurrency": -1,
        "ToleratedFailureCount": 2,
        "ToleratedFailureCountPath": "$.n",
        "ToleratedFailurePercentage": 101,
        "End": True,
    }
    assert only_messages(state) == [
        ("Minimum value is 0", "/States/S/MaxConcurrency"),
        (
            "Only one of 'ToleratedFailureCount' and 'ToleratedFailureCountPath' can be specified",
            "/States/S/ToleratedFailureCount",
        ),
        ("Maximum value is 100", "/States/S/ToleratedFailurePercentage"),
    ]
    jsonata = {"Type": "Map", "ItemProcessor": processor(), "MaxConcurrency": "{% 2 %}", "End": True}
    assert only_messages(jsonata, language="JSONata") == []
    assert only_messages({**jsonata, "MaxConcurrencyPath": "$.m"}, language="JSONata") == [
        (
            (
                "The QueryLanguage is set to 'JSONata', but field 'MaxConcurrencyPath' is only supported for the "
                "'JSONPath' QueryLanguage"
            ),
            "/States/S",
        )
    ]


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("label_ ", "Label contains invalid character: ' '"),
        ('label_"', "Label contains invalid character: '\"'"),
        ("label_\x85", "Label contains invalid character: '\\x85'"),
        ("x" * 41, "Label cannot exceed 40 characters"),
    ],
)
def test_map_label(label: str, message: str) -> None:
    state = {"Type": "Map", "ItemProcessor": processor(), "Label": label, "End": True}
    assert state_problems(state) == [("INVALID_LABEL_NAME", message, "/States/S/Label")]
    assert state_problems({**state, "Label": "x" * 40}) == []


def test_map_reader_batcher_writer() -> None:
    state = {
        "Type": "Map",
        "ItemProcessor": processor(ProcessorConfig={"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}),
        "ItemReader": {"ReaderConfig": {"InputType": "XML"}, "Arguments": {}},
        "ItemBatcher": {"MaxItemsPerBatch": 0},
        "ResultWriter": {"WriterConfig": {"Transformation": "SQUASH", "OutputType": "JSON"}},
        "End": True,
    }
    assert only_messages(state) == [
        ("The field 'Resource' is required but was missing", "/States/S/ItemReader"),
        (
            (
                "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' "
                "QueryLanguage"
            ),
            "/States/S/ItemReader/Arguments",
        ),
        (
            "Value should be one of the following: [CSV, JSON, JSONL, MANIFEST, PARQUET]",
            "/States/S/ItemReader/ReaderConfig/InputType",
        ),
        ("Minimum value is 1", "/States/S/ItemBatcher/MaxItemsPerBatch"),
        (
            "Value should be one of the following: [NONE, COMPACT, FLATTEN]",
            "/States/S/ResultWriter/WriterConfig/Transformation",
        ),
    ]


def test_map_items_in_jsonata_and_items_path_in_jsonpath() -> None:
    jsonata = {"Type": "Map", "Items": 5, "ItemProcessor": processor(), "End": True}
    assert only_messages(jsonata, language="JSONata") == [("Expected value of type [ARRAY]", "/States/S/Items")]
    jsonpath = {"Type": "Map", "ItemsPath": "$.items[*]", "ItemProcessor": processor(), "End": True}
    assert only_messages(jsonpath) == [
        ("The value for the field 'ItemsPath' must be a valid ReferencePath", "/States/S/ItemsPath")
    ]


def test_a_dollar_value_can_only_have_been_meant_as_a_path() -> None:
    state = {"Type": "Pass", "Parameters": {"p.$": "$.a["}, "End": True}
    assert only_messages(state) == [("The value for the field 'p.$' must be a valid JSONPath", "/States/S/Parameters")]
    assert only_messages({"Type": "Fail", "ErrorPath": "$["}) == [
        ("The value for the field 'ErrorPath' must be a valid JSONPath", "/States/S/ErrorPath")
    ]
