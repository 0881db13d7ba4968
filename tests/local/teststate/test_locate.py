"""locate_state: the state ``stateName`` names, wherever it is nested, with what it inherits."""

from __future__ import annotations

from typing import Any

from constructs_sfn.local.teststate.locate import SINGLE_STATE_NAME, locate_state

MACHINE: dict[str, Any] = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "Each",
                    "States": {
                        "Each": {
                            "Type": "Map",
                            "QueryLanguage": "JSONata",
                            "ItemProcessor": {"StartAt": "Deep", "States": {"Deep": {"Type": "Pass", "End": True}}},
                            "End": True,
                        }
                    },
                },
            ],
            "Next": "Old",
        },
        "Old": {
            "Type": "Map",
            "Iterator": {"StartAt": "In/Old", "States": {"In/Old": {"Type": "Pass", "End": True}}},
            "End": True,
        },
    },
}


def test_a_lone_state_is_state_name() -> None:
    """API_TestState.html: without ``stateName`` the definition is the state itself.

    https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
    """
    found = locate_state({"Type": "Pass", "End": True}, None)
    assert found is not None
    assert (found.name, found.pointer, found.query_language, found.enclosing) == (
        SINGLE_STATE_NAME,
        "/States/StateName",
        "JSONPath",
        (),
    )


def test_start_at_is_the_default_and_top_level_states_are_found() -> None:
    """stateName "Denotes the particular state within a state machine definition to be tested".

    https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
    """
    default = locate_state(MACHINE, None)
    assert default is not None
    assert default.name == "Fan"
    assert default.state_type == "Parallel"
    old = locate_state(MACHINE, "Old")
    assert old is not None
    assert old.pointer == "/States/Old"
    assert not old.in_map


def test_states_in_branches_and_processors_are_found_with_their_enclosing_states() -> None:
    """A state inside a Parallel branch or a Map's ItemProcessor (or legacy Iterator) is testable.

    https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
    """
    left = locate_state(MACHINE, "Left")
    assert left is not None
    assert (left.pointer, left.enclosing, left.in_map) == ("/States/Fan/Branches/0/States/Left", ("Parallel",), False)
    deep = locate_state(MACHINE, "Deep")
    assert deep is not None
    assert deep.pointer == "/States/Fan/Branches/1/States/Each/ItemProcessor/States/Deep"
    assert deep.enclosing == ("Parallel", "Map")
    assert deep.in_map
    legacy = locate_state(MACHINE, "In/Old")
    assert legacy is not None
    assert legacy.pointer == "/States/Old/Iterator/States/In~1Old"
    assert legacy.in_map


def test_nested_states_inherit_the_enclosing_query_language() -> None:
    """A state inherits QueryLanguage from its machine and from the Map or Parallel around it.

    https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
    """
    deep = locate_state(MACHINE, "Deep")
    assert deep is not None
    assert deep.query_language == "JSONata"
    left = locate_state({**MACHINE, "QueryLanguage": "JSONata"}, "Left")
    assert left is not None
    assert left.query_language == "JSONata"


def test_an_unknown_name_finds_nothing() -> None:
    assert locate_state(MACHINE, "Nowhere") is None
    assert locate_state({"StartAt": 3, "States": {}}, None) is None
