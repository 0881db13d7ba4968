"""Static enumeration of what can be covered in a definition."""

from __future__ import annotations

import pytest

from constructs_sfn.asl import DefinitionError, parse_definition
from constructs_sfn.testing.coverage_model import ItemKind, coverage_model, describe_choice_rule

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work"

DEFINITION = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.kind", "StringEquals": "fan", "Next": "Fan"},
                {
                    "And": [{"Variable": "$.n", "IsPresent": True}, {"Variable": "$.n", "NumericGreaterThan": 3}],
                    "Next": "Each",
                },
            ],
            "Default": "Reject",
        },
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {"StartAt": "Right", "States": {"Right": {"Type": "Succeed"}}},
            ],
            "Next": "Done",
        },
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "StartAt": "Work",
                "States": {
                    "Work": {
                        "Type": "Task",
                        "Resource": LAMBDA,
                        "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 2}],
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Skip"}],
                        "End": True,
                    },
                    "Skip": {"Type": "Pass", "End": True},
                },
            },
            "Next": "Done",
        },
        "Reject": {"Type": "Fail", "Error": "Rejected"},
        "Done": {"Type": "Succeed"},
    },
}


def test_every_state_is_listed_nested_ones_too() -> None:
    model = coverage_model(DEFINITION)
    assert [item.location for item in model.states] == [
        "/States/Route",
        "/States/Fan",
        "/States/Fan/Branches/0/States/Left",
        "/States/Fan/Branches/1/States/Right",
        "/States/Each",
        "/States/Each/ItemProcessor/States/Work",
        "/States/Each/ItemProcessor/States/Skip",
        "/States/Reject",
        "/States/Done",
    ]


def test_every_transition_is_listed_with_a_readable_label() -> None:
    model = coverage_model(DEFINITION)
    labels = {item.id: item.label for item in model.transitions}
    assert labels == {
        "choice_rule:/States/Route/Choices/0": 'Route: rule 0 ($.kind StringEquals "fan") -> Fan',
        "choice_rule:/States/Route/Choices/1": (
            "Route: rule 1 (And($.n IsPresent true, $.n NumericGreaterThan 3)) -> Each"
        ),
        "choice_default:/States/Route/Default": "Route: Default -> Reject",
        "branch:/States/Fan/Branches/0": "Fan: branch 0 (starts at Left)",
        "branch:/States/Fan/Branches/1": "Fan: branch 1 (starts at Right)",
        "next:/States/Fan/Next": "Fan -> Done",
        "end:/States/Fan/Branches/0/States/Left/End": "Left: End",
        "end:/States/Fan/Branches/1/States/Right/End": "Right: Succeed",
        "item_processor:/States/Each/ItemProcessor": "Each: item processor (starts at Work)",
        "next:/States/Each/Next": "Each -> Done",
        "retry:/States/Each/ItemProcessor/States/Work/Retry/0": "Work: Retry 0 [Throttled]",
        "catch:/States/Each/ItemProcessor/States/Work/Catch/0": "Work: Catch 0 [States.ALL] -> Skip",
        "end:/States/Each/ItemProcessor/States/Work/End": "Work: End",
        "end:/States/Each/ItemProcessor/States/Skip/End": "Skip: End",
        "end:/States/Reject/End": "Reject: Fail (Rejected)",
        "end:/States/Done/End": "Done: Succeed",
    }
    catch = model.get("catch:/States/Each/ItemProcessor/States/Work/Catch/0")
    assert catch is not None
    assert (catch.kind, catch.state, catch.target) == (ItemKind.CATCH, "Work", "Skip")


def test_accepts_text_and_parsed_definitions_alike() -> None:
    import json

    from_text = coverage_model(json.dumps(DEFINITION))
    from_model = coverage_model(parse_definition(DEFINITION))
    assert (
        [i.id for i in from_text.items]
        == [i.id for i in from_model.items]
        == [i.id for i in coverage_model(DEFINITION).items]
    )


def test_jsonata_condition_label_and_legacy_iterator() -> None:
    model = coverage_model(
        {
            "QueryLanguage": "JSONata",
            "StartAt": "Check",
            "States": {
                "Check": {
                    "Type": "Choice",
                    "Choices": [{"Condition": "{% $states.input.ok %}", "Next": "Loop"}],
                    "Default": "Loop",
                },
                "Loop": {
                    "Type": "Map",
                    "Iterator": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}},
                    "End": True,
                },
            },
        }
    )
    labels = [item.label for item in model.items]
    assert "Check: rule 0 ($states.input.ok) -> Loop" in labels
    assert "item_processor:/States/Loop/Iterator" in [item.id for item in model.items]


def test_long_rules_are_shortened() -> None:
    text = describe_choice_rule({"Variable": "$.x", "StringEquals": "y" * 200, "Next": "A"})
    assert len(text) == 72
    assert text.endswith("...")
    assert describe_choice_rule(None) == "?"


def test_invalid_definition_is_refused_with_its_location() -> None:
    with pytest.raises(DefinitionError, match="Next"):
        coverage_model({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}})
