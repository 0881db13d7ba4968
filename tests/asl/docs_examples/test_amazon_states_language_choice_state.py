"""The worked examples of the developer guide's Choice state page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-choice-state.html
"""

from __future__ import annotations

from typing import Any

import pytest
from docs_support import entered, returns, run

from constructs_sfn.asl import DefinitionError, parse_definition

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:"


def page_machine() -> dict[str, Any]:
    """The page's ``ChoiceStateX`` and the states it goes to, with a ``NextState`` to end on (the page
    leaves it out).
    """
    return {
        "StartAt": "ChoiceStateX",
        "States": {
            "ChoiceStateX": {
                "Type": "Choice",
                "Choices": [
                    {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
                    {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
                    {
                        "And": [
                            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                            {"Variable": "$.value", "NumericLessThan": 30},
                        ],
                        "Next": "ValueInTwenties",
                    },
                ],
                "Default": "DefaultState",
            },
            "Public": {"Type": "Task", "Resource": FUNCTION + "Foo", "Next": "NextState"},
            "ValueIsZero": {"Type": "Task", "Resource": FUNCTION + "Zero", "Next": "NextState"},
            "ValueInTwenties": {"Type": "Task", "Resource": FUNCTION + "Bar", "Next": "NextState"},
            "DefaultState": {"Type": "Fail", "Cause": "No Matches!"},
            "NextState": {"Type": "Succeed"},
        },
    }


@pytest.mark.parametrize(
    ("state_input", "taken"),
    [
        ({"type": "Private", "value": 22}, "ValueInTwenties"),  # the page's own input
        ({"type": "Public", "value": 22}, "Public"),  # the first rule matches first
        ({"type": "Private", "value": 0}, "ValueIsZero"),
        ({"type": "Private", "value": 30}, "DefaultState"),  # NumericLessThan 30 excludes 30
    ],
)
def test_rules_are_tried_in_order_and_the_first_match_wins(state_input: dict[str, Any], taken: str) -> None:
    """The page's input ``{"type": "Private", "value": 22}`` goes to ``ValueInTwenties``; the rules are
    examined in the order listed and the first one that matches names the next state.
    """
    execution = run(page_machine(), state_input, worker=returns({}))

    assert entered(execution)[:2] == ["ChoiceStateX", taken]


def test_no_match_goes_to_default_whose_fail_state_gives_the_cause() -> None:
    """Nothing matches ``value`` 99: the Default state runs; it is a Fail state with only a Cause."""
    execution = run(page_machine(), {"type": "Private", "value": 99})

    assert (execution.status, execution.error, execution.cause) == ("FAILED", None, "No Matches!")


def test_missing_variable_fails_the_execution() -> None:
    """The page's note: without ``$.type`` in the input the execution fails (the path matches nothing,
    a ``States.Runtime`` error naming the path).
    """
    execution = run(page_machine(), {"value": 22})

    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "$.type" in (execution.cause or "")


def test_no_match_and_no_default_fails_with_states_no_choice_matched() -> None:
    """Without a Default, a Choice state that matches nothing fails the execution.

    The error name is ambiguous in AWS's own texts: the States Language specification names it
    ``States.NoChoiceMatched``, while the current error-handling.html lists that name as "reserved for
    future use" and says such failures are reported as ``States.Runtime``. No case of the conformance
    corpus records it; the executor keeps the specification's name (with cause "No Matches!"), which
    is what this test pins, so a change of rule shows up here.
    """
    definition = {
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.foo", "NumericEquals": 1, "Next": "FirstMatchState"}]},
            "FirstMatchState": {"Type": "Succeed"},
        },
    }

    execution = run(definition, {"foo": 2})

    assert (execution.status, execution.error) == ("FAILED", "States.NoChoiceMatched")


def _matches(rule: dict[str, Any], value: Any) -> bool:
    definition = {
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{**rule, "Next": "Yes"}], "Default": "No"},
            "Yes": {"Type": "Succeed"},
            "No": {"Type": "Succeed"},
        },
    }
    return entered(run(definition, {"foo": value}))[-1] == "Yes"


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        ({"Variable": "$.foo", "NumericEquals": 1}, 1, True),
        ({"Variable": "$.foo", "NumericEquals": 1}, 1.0, True),
        ({"Variable": "$.foo", "StringEquals": "MyString"}, "MyString", True),
        ({"Variable": "$.foo", "StringGreaterThan": "MyStringABC"}, "MyStringABD", True),
        ({"Variable": "$.foo", "StringGreaterThan": "MyStringABC"}, "MyStringABC", False),
        ({"Variable": "$.foo", "TimestampEquals": "2001-01-01T12:00:00Z"}, "2001-01-01T12:00:00Z", True),
        # The same instant written with an offset is the same timestamp.
        ({"Variable": "$.foo", "TimestampEquals": "2001-01-01T12:00:00Z"}, "2001-01-01T13:00:00+01:00", True),
        # No numeric match against a string, and no string match against a number.
        ({"Variable": "$.foo", "NumericEquals": 1}, "1", False),
        ({"Variable": "$.foo", "StringEquals": "1"}, 1, False),
        # A timestamp is a string: StringEquals compares its text.
        ({"Variable": "$.foo", "StringEquals": "2001-01-01T12:00:00Z"}, "2001-01-01T12:00:00Z", True),
        ({"Variable": "$.foo", "BooleanEquals": True}, True, True),
        ({"Variable": "$.foo", "BooleanEquals": True}, "true", False),
    ],
)
def test_comparison_operators_compare_only_values_of_their_type(
    rule: dict[str, Any], value: Any, expected: bool
) -> None:
    """The page's single-rule examples and its rule that each operator compares only a value of its
    own type (string, number, Boolean, timestamp).
    """
    assert _matches(rule, value) is expected


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("B", "a"),  # upper case sorts before lower case (UTF-16 code units)
        ("abc", "abcd"),  # a prefix sorts first
        ("\U0001f600", "\uffff"),  # a surrogate pair (0xD83D...) sorts below U+FFFF, unlike code points
    ],
)
def test_string_order_is_java_compare_to(smaller: str, larger: str) -> None:
    """The page sends readers to Java's ``String.compareTo`` for string order: it compares UTF-16
    code units, so a character outside the BMP sorts by its high surrogate.
    """
    assert _matches({"Variable": "$.foo", "StringLessThan": larger}, smaller)
    assert not _matches({"Variable": "$.foo", "StringLessThan": smaller}, larger)


@pytest.mark.parametrize(
    "rule",
    [
        {"And": [{"Variable": "$.a", "IsPresent": True, "Next": "X"}], "Next": "X"},
        {"Not": {"Variable": "$.a", "IsPresent": True, "Next": "X"}, "Next": "X"},
        {"Or": [], "Next": "X"},
    ],
    ids=["next-inside-and", "next-inside-not", "empty-or"],
)
def test_nested_rules_have_no_next_and_and_or_are_non_empty(rule: dict[str, Any]) -> None:
    """``And``/``Or`` take non-empty arrays of rules and ``Not`` one rule; only a top-level rule has
    ``Next``: a definition breaking either rule is rejected, naming where.
    """
    definition = {
        "StartAt": "C",
        "States": {"C": {"Type": "Choice", "Choices": [rule], "Default": "X"}, "X": {"Type": "Succeed"}},
    }

    with pytest.raises(DefinitionError) as raised:
        parse_definition(definition)

    assert "/States/C/Choices[0]" in str(raised.value)


@pytest.mark.parametrize("field", [{"End": True}, {"Next": "X"}])
def test_a_choice_state_has_no_end_and_no_next_of_its_own(field: dict[str, Any]) -> None:
    """Choice states do not support ``End``, and use ``Next`` only inside ``Choices``."""
    state = {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "X"}], **field}
    definition = {"StartAt": "C", "States": {"C": state, "X": {"Type": "Succeed"}}}

    with pytest.raises(DefinitionError):
        parse_definition(definition)


def test_a_rule_timestamp_must_use_upper_case_t_and_z() -> None:
    """Timestamps follow RFC 3339 with an upper-case ``T`` and ``Z``: a rule written with lower-case
    ones is not a valid definition.
    """
    rule = {"Variable": "$.foo", "TimestampEquals": "2001-01-01t12:00:00z", "Next": "X"}

    with pytest.raises(DefinitionError):
        parse_definition(
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [rule]}, "X": {"Type": "Succeed"}}}
        )
