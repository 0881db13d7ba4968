"""The worked example and rules of the developer guide's State Machine Structure, Common State
Fields and Succeed state pages.

Pages: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-state-machine-structure.html,
https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-common-fields.html and
https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-succeed-state.html
"""

from __future__ import annotations

from typing import Any

import pytest
from docs_support import entered, run

from constructs_sfn.asl import DefinitionError, parse_definition

HELLO = {
    "Comment": "A Hello World example of the Amazon States Language using a Pass state",
    "StartAt": "HelloWorld",
    "States": {"HelloWorld": {"Type": "Pass", "Result": "Hello World!", "End": True}},
}


def test_hello_world_returns_its_pass_result() -> None:
    """The page's machine starts at ``HelloWorld``, which ends the execution with its Result."""
    execution = run(HELLO, {})

    assert (execution.status, execution.output) == ("SUCCEEDED", "Hello World!")


def test_start_at_is_case_sensitive() -> None:
    """``StartAt`` must match a state name exactly, case included."""
    with pytest.raises(DefinitionError):
        parse_definition({**HELLO, "StartAt": "helloworld"})


def test_states_run_by_their_transitions_not_their_order() -> None:
    """States may be listed in any order; ``Next`` fields decide what runs."""
    definition = {
        "StartAt": "First",
        "States": {
            "Third": {"Type": "Succeed"},
            "Second": {"Type": "Pass", "Next": "Third"},
            "First": {"Type": "Pass", "Next": "Second"},
        },
    }

    assert entered(run(definition, {})) == ["First", "Second", "Third"]


def test_version_one_is_accepted_and_several_end_states_are_allowed() -> None:
    """``Version`` "1.0" is the language version; a machine may have several end states."""
    definition = {
        "Version": "1.0",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.a", "BooleanEquals": True, "Next": "A"}],
                "Default": "B",
            },
            "A": {"Type": "Pass", "Result": "a", "End": True},
            "B": {"Type": "Pass", "Result": "b", "End": True},
        },
    }

    assert run(definition, {"a": True}).output == "a"
    assert run(definition, {"a": False}).output == "b"


@pytest.mark.parametrize(
    "state",
    [
        {"Type": "Pass", "Next": "Done", "End": True},
        {"Type": "Pass"},
        {"Type": "Succeed", "Next": "Done"},
        {"Type": "Succeed", "End": True},
    ],
    ids=["next-and-end", "neither", "succeed-with-next", "succeed-with-end"],
)
def test_next_or_end_exactly_once_and_succeed_has_neither(state: dict[str, Any]) -> None:
    """Only one of ``Next`` or ``End`` may be used in a state (and a non-terminal state needs one);
    a Succeed state is terminal, so it has no ``Next`` and no ``End``.
    """
    definition: dict[str, Any] = {"StartAt": "S", "States": {"S": state}}
    if "Next" in state:
        definition["States"]["Done"] = {"Type": "Succeed"}

    with pytest.raises(DefinitionError) as raised:
        parse_definition(definition)

    assert "at /States/S'" in str(raised.value)
    assert "'Next'" in str(raised.value) or "'End'" in str(raised.value)


def test_a_succeed_state_ends_with_its_input_as_output() -> None:
    """The page's ``SuccessState`` stops the execution successfully, passing its input on."""
    definition = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "SuccessState"}],
                "Default": "More",
            },
            "More": {"Type": "Pass", "End": True},
            "SuccessState": {"Type": "Succeed"},
        },
    }

    execution = run(definition, {"done": True})

    assert (execution.status, execution.output) == ("SUCCEEDED", {"done": True})
    assert entered(execution)[-1] == "SuccessState"
