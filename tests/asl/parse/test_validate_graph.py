"""The graph pass: transition targets, reachability, terminal states, duplicate names."""

from __future__ import annotations

from typing import Any

from constructs_sfn.asl.parse.validate import validate_definition

MTT = "MISSING_TRANSITION_TARGET"
PASS_END = {"Type": "Pass", "End": True}


def found(definition: Any) -> list[tuple[str, str, str]]:
    return [(p.code, p.message, p.location) for p in validate_definition(definition)]


def test_missing_next_then_unreachable() -> None:
    definition = {
        "StartAt": "pass1",
        "States": {"pass1": {"Type": "Pass", "Next": "pass3"}, "pass2": PASS_END},
    }
    assert found(definition) == [
        (MTT, "Missing 'Next' target: pass3", "/States/pass1/Next"),
        (MTT, 'State "pass2" is not reachable.', "/States/pass2"),
    ]


def test_every_transition_field_says_next() -> None:
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Ghost1"}],
                "Next": "C",
            },
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Ghost2"}],
                "Default": "Ghost3",
            },
            "Z": PASS_END,
        },
    }
    assert found(definition) == [
        (MTT, "Missing 'Next' target: Ghost1", "/States/T/Catch[0]/Next"),
        (MTT, "Missing 'Next' target: Ghost2", "/States/C/Choices[0]/Next"),
        (MTT, "Missing 'Next' target: Ghost3", "/States/C/Default"),
        (MTT, 'State "Z" is not reachable.', "/States/Z"),
    ]


def test_dangling_start_at() -> None:
    assert found({"StartAt": "Nope", "States": {"A": PASS_END}}) == [
        (MTT, "Missing 'Next' target: Nope", "/StartAt"),
        (MTT, 'State "A" is not reachable.', "/States/A"),
    ]


def test_no_terminal_state() -> None:
    loop = {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}
    assert found({"StartAt": "A", "States": loop}) == [("MISSING_END_STATE", "Workflow has no terminal state", "")]
    # It suppresses the unreachable-state reports...
    with_unused = {**loop, "Unused": {"Type": "Pass", "Next": "A"}}
    assert found({"StartAt": "A", "States": with_unused}) == [
        ("MISSING_END_STATE", "Workflow has no terminal state", "")
    ]
    # ...but comes after a missing target.
    assert found({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "NOPE"}}}) == [
        (MTT, "Missing 'Next' target: NOPE", "/States/A/Next"),
        ("MISSING_END_STATE", "Workflow has no terminal state", ""),
    ]
    # An unreachable terminal state is a terminal state all the same.
    with_terminal = {**loop, "C": PASS_END}
    assert found({"StartAt": "A", "States": with_terminal}) == [(MTT, 'State "C" is not reachable.', "/States/C")]


def test_nested_containers() -> None:
    inner_loop = {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}
    nested_loop = {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "A", "States": inner_loop}, "End": True}},
    }
    assert found(nested_loop) == []
    parallel = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "W", "States": {"W": PASS_END, "Ghost": PASS_END}}],
                "End": True,
            }
        },
    }
    assert found(parallel) == [(MTT, 'State "Ghost" is not reachable.', "/States/P/Branches[0]/States/Ghost")]
    cross = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "Nope", "States": {"A": {"Type": "Pass", "Next": "Out"}}},
                "Next": "Out",
            },
            "Out": PASS_END,
        },
    }
    assert found(cross) == [
        (MTT, "Missing 'Next' target: Nope", "/States/M/ItemProcessor/StartAt"),
        (MTT, "Missing 'Next' target: Out", "/States/M/ItemProcessor/States/A/Next"),
        (MTT, 'State "A" is not reachable.', "/States/M/ItemProcessor/States/A"),
    ]


def test_state_names_with_slashes_are_located_verbatim() -> None:
    definition = {"StartAt": "Start", "States": {"Start": PASS_END, "a/b": PASS_END}}
    assert found(definition) == [(MTT, 'State "a/b" is not reachable.', "/States/a/b")]


def test_duplicate_state_names_across_nesting() -> None:
    definition = {
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "Iterator": {"StartAt": "Final", "States": {"Final": PASS_END}},
                "Next": "Final",
            },
            "Final": PASS_END,
        },
    }
    assert found(definition) == [("DUPLICATE_STATE_NAME", "Duplicate State name: Final", "/States/Final")]
