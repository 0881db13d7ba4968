"""JSONPath-mode Choice rules: AWS's operator semantics, errors and definition checks."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_sfn.asl.errors import DefinitionError, StatesError
from constructs_sfn.asl.runtime.choice import COMPARISON_OPERATORS, ChoiceRule, compile_choice_rule

LOCATION = "/States/Check/Choices/0"
NO_VARIABLES: dict[str, Any] = {}


def rule(operator: str, operand: Any, variable: str = "$.v", **extra: Any) -> ChoiceRule:
    """A top-level comparison rule on ``variable``."""
    return compile_choice_rule({"Variable": variable, operator: operand, "Next": "Yes", **extra}, location=LOCATION)


def holds(operator: str, operand: Any, value: Any) -> bool:
    """Whether ``{"v": value}`` satisfies ``operator: operand``."""
    return rule(operator, operand).matches({"v": value}, {}, NO_VARIABLES)


# Values of every JSON type, for "a wrong type is simply false" checks.
ODD_VALUES: list[Any] = [None, True, False, 0, 1, 1.5, "", "1", "true", [], [1], {}, {"a": 1}]


class TestStringOperators:
    @pytest.mark.parametrize(
        ("operator", "operand", "value", "expected"),
        [
            ("StringEquals", "Hello", "Hello", True),
            ("StringEquals", "Hello", "hello", False),
            ("StringEquals", "\t\r\n", "\t\n", False),
            ("StringEquals", "", "", True),
            ("StringLessThan", "AB", "A", True),
            ("StringLessThan", "A", "AB", False),
            ("StringLessThan", "", "", False),
            ("StringLessThan", "a", "B", True),  # 'B' (66) < 'a' (97)
            ("StringGreaterThan", "a", "B", False),
            ("StringGreaterThan", "A ", "A", False),
            ("StringGreaterThan", "A", "A ", True),
            ("StringGreaterThan", "ABC", "AB", False),
            ("StringLessThanEquals", "", "", True),
            ("StringLessThanEquals", "AB", "A", True),
            ("StringLessThanEquals", "A", "AB", False),
            ("StringGreaterThanEquals", "A", "AB", True),
            ("StringGreaterThanEquals", "AB", "A", False),
            ("StringGreaterThanEquals", "", "", True),
        ],
    )
    def test_comparisons(self, operator: str, operand: str, value: str, expected: bool) -> None:
        assert holds(operator, operand, value) is expected

    @pytest.mark.parametrize("value", ODD_VALUES)
    @pytest.mark.parametrize("operator", ["StringEquals", "StringLessThan", "StringGreaterThanEquals"])
    def test_non_strings_never_match(self, operator: str, value: Any) -> None:
        if isinstance(value, str):
            return
        assert holds(operator, "1", value) is False
        assert holds(operator, "", value) is False

    def test_order_is_java_utf16_code_units(self) -> None:
        # U+FF5E is below U+1F600 as a code point, but above its high surrogate (U+D83D).
        fullwidth_tilde, grinning_face = "\uff5e", "\U0001f600"
        assert holds("StringGreaterThan", grinning_face, fullwidth_tilde) is True
        assert holds("StringLessThan", fullwidth_tilde, grinning_face) is True
        # Code-point order would say False here (the strings are not ASCII, so no shortcut).
        assert holds("StringLessThan", "x" + fullwidth_tilde, "x" + grinning_face) is True
        assert holds("StringGreaterThanEquals", "x" + fullwidth_tilde, "x" + grinning_face) is False
        # With an ASCII side both orders agree.
        assert holds("StringLessThan", grinning_face, "a") is True
        assert holds("StringGreaterThan", "a", grinning_face) is True

    def test_lone_surrogates_compare_without_error(self) -> None:
        assert holds("StringLessThan", "\udc00", "\ud800") is True
        assert holds("StringEquals", "\ud800", "\ud800") is True


class TestStringMatches:
    @pytest.mark.parametrize(
        ("pattern", "value", "expected"),
        [
            ("foo*.log", "foo23.log", True),
            ("*.log", "zebra.log", True),
            ("foo*.*", "foobar.zebra", True),
            ("foo*.log", "foo.log", True),
            ("foo*.log", "foo23.txt", False),
            ("*", "", True),
            ("*", "anything", True),
            ("**", "x", True),
            ("", "", True),
            ("", "a", False),
            ("exact", "exact", True),
            ("exact", "exactly", False),
            ("a*b*c", "abc", True),
            ("a*b*c", "aXbYc", True),
            ("a*b*c", "acb", False),
            ("ab*ba", "aba", False),  # head and tail may not overlap
            ("ab*ba", "abba", True),
            ("a*a*a", "aa", False),
            ("a*a*a", "aaa", True),
            ("*needle*", "haystack needle haystack", True),
            ("*.", "a.b", False),
            ("?", "x", False),  # no other glob characters
            ("?", "?", True),
            ("[ab]", "a", False),
            ("[ab]", "[ab]", True),
        ],
    )
    def test_wildcards(self, pattern: str, value: str, expected: bool) -> None:
        assert holds("StringMatches", pattern, value) is expected

    @pytest.mark.parametrize(
        ("pattern", "value", "expected"),
        [
            ("a\\*b", "a*b", True),  # JSON "a\\*b": a literal star
            ("a\\*b", "axb", False),
            ("a\\\\b", "a\\b", True),  # JSON "a\\\\b": a literal backslash
            ("a\\\\*", "a\\xyz", True),  # literal backslash, then a wildcard
            ("a\\\\*", "axyz", False),
            ("\\*", "*", True),
            ("\\*", "", False),
            ("a\\b", "a\\b", True),  # a backslash before anything else is itself
            ("a\\", "a\\", True),
        ],
    )
    def test_escapes(self, pattern: str, value: str, expected: bool) -> None:
        assert holds("StringMatches", pattern, value) is expected

    @pytest.mark.parametrize("value", ODD_VALUES)
    def test_non_strings_never_match(self, value: Any) -> None:
        if isinstance(value, str):
            return
        assert holds("StringMatches", "*", value) is False

    def test_many_wildcards_stay_fast(self) -> None:
        # A backtracking matcher would take exponential time here.
        assert holds("StringMatches", "*a" * 30 + "*b", "a" * 5000) is False


class TestNumericOperators:
    @pytest.mark.parametrize(
        ("operator", "operand", "value", "expected"),
        [
            ("NumericEquals", 1, 1, True),
            ("NumericEquals", 1.0, 1, True),
            ("NumericEquals", 0, 0.0, True),
            ("NumericEquals", 2.22, 2.22, True),
            ("NumericEquals", 1, 1.1, False),
            ("NumericEquals", 0, -0.0, True),
            ("NumericEquals", 2**53, 2**53 + 1, False),  # exact, not via float
            ("NumericEquals", float(2**53), 2**53 + 1, False),
            ("NumericEquals", 10**30, 10**30, True),
            ("NumericLessThan", 1, 0, True),
            ("NumericLessThan", 0, 0.0, False),
            ("NumericLessThan", 1, 0.9999999999, True),
            ("NumericGreaterThan", 0, 1, True),
            ("NumericGreaterThan", 1, 1, False),
            ("NumericGreaterThan", -1.5, -1, True),
            ("NumericLessThanEquals", 0, 0, True),
            ("NumericLessThanEquals", 0, 1, False),
            ("NumericGreaterThanEquals", 1, 1.0, True),
            ("NumericGreaterThanEquals", 1, 0, False),
        ],
    )
    def test_comparisons(self, operator: str, operand: float, value: float, expected: bool) -> None:
        assert holds(operator, operand, value) is expected

    @pytest.mark.parametrize(
        ("operand", "value"),
        [(1, True), (0, False), (1, "1"), (0, "0"), (0, None), (0, []), (0, {}), (1, [1]), (0, "")],
    )
    def test_non_numbers_never_match(self, operand: int, value: Any) -> None:
        # In particular true is not 1 and false is not 0.
        for operator in ("NumericEquals", "NumericLessThanEquals", "NumericGreaterThanEquals"):
            assert holds(operator, operand, value) is False


class TestBooleanEquals:
    @pytest.mark.parametrize(
        ("operand", "value", "expected"),
        [(True, True, True), (False, False, True), (True, False, False), (False, True, False)],
    )
    def test_booleans(self, operand: bool, value: bool, expected: bool) -> None:
        assert holds("BooleanEquals", operand, value) is expected

    @pytest.mark.parametrize("value", [0, 1, 0.0, 1.1, "true", "false", "", None, [], {}, {"A": 0}])
    def test_non_booleans_never_match(self, value: Any) -> None:
        assert holds("BooleanEquals", True, value) is False
        assert holds("BooleanEquals", False, value) is False


class TestTimestampOperators:
    T0 = "2012-10-09T19:00:55Z"
    T1 = "2012-10-09T19:00:56Z"

    @pytest.mark.parametrize(
        ("operator", "operand", "value", "expected"),
        [
            ("TimestampEquals", T0, T0, True),
            ("TimestampEquals", T0, T1, False),
            ("TimestampEquals", T0, "2012-10-09T20:00:55+01:00", True),  # same instant
            ("TimestampEquals", T0, "2012-10-09T19:00:55.000Z", True),
            ("TimestampEquals", T0, "2012-10-09T19:00:55.000000001Z", False),  # nanosecond exact
            ("TimestampEquals", T0, "2012-10-09t19:00:55z", True),
            ("TimestampLessThan", T1, T0, True),
            ("TimestampLessThan", T0, T0, False),
            ("TimestampGreaterThan", T0, T1, True),
            ("TimestampGreaterThan", T1, T0, False),
            ("TimestampGreaterThan", T0, "2012-10-09T19:00:55-00:01", True),
            ("TimestampLessThanEquals", T0, T0, True),
            ("TimestampLessThanEquals", T0, T1, False),
            ("TimestampGreaterThanEquals", T0, T0, True),
            ("TimestampGreaterThanEquals", T1, T0, False),
        ],
    )
    def test_comparisons(self, operator: str, operand: str, value: str, expected: bool) -> None:
        assert holds(operator, operand, value) is expected

    @pytest.mark.parametrize(
        "value",
        [
            "2012-10-09T19:00:55",  # no offset
            "2012-10-09 19:00:55Z",
            "2023-02-24 12:15:56.832957",
            "2023-02-24",
            "",
            " ",
            None,
            0,
            1.1,
            True,
            [],
            [""],
            {},
        ],
    )
    def test_non_timestamps_never_match(self, value: Any) -> None:
        for operator in ("TimestampEquals", "TimestampLessThanEquals", "TimestampGreaterThanEquals"):
            assert holds(operator, self.T0, value) is False


class TestTypeTests:
    @pytest.mark.parametrize(
        ("operator", "matching", "not_matching"),
        [
            ("IsNull", [None], [0, False, "", "null", [], {}]),
            ("IsString", ["", "x", "2012-10-09T19:00:55Z"], [None, 0, True, [], {}, ["x"]]),
            ("IsBoolean", [True, False], [None, 0, 1, "true", [], {}]),
            ("IsNumeric", [0, 1, 0.0, 1.1, -3, 10**40], [None, True, False, "1", "", [], {}]),
            (
                "IsTimestamp",
                ["2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00", "2016-03-05T21:29:29.243167252Z"],
                ["2012-10-09T19:00:55", "2023-02-24", "", None, 0, True, [], {}],
            ),
        ],
    )
    def test_true_and_false_flags(self, operator: str, matching: list[Any], not_matching: list[Any]) -> None:
        for value in matching:
            assert holds(operator, True, value) is True, value
            assert holds(operator, False, value) is False, value
        for value in not_matching:
            assert holds(operator, True, value) is False, value
            assert holds(operator, False, value) is True, value

    def test_is_present(self) -> None:
        present = rule("IsPresent", True)
        absent = rule("IsPresent", False)
        for value in [None, 0, False, "", [], {}]:
            assert present.matches({"v": value}, {}, NO_VARIABLES) is True
            assert absent.matches({"v": value}, {}, NO_VARIABLES) is False
        assert present.matches({"other": 1}, {}, NO_VARIABLES) is False
        assert absent.matches({"other": 1}, {}, NO_VARIABLES) is True

    def test_is_present_on_a_missing_nested_path_and_the_whole_input(self) -> None:
        nested = rule("IsPresent", True, variable="$.a.b[2]")
        assert nested.matches({"a": {"b": [0, 1]}}, {}, NO_VARIABLES) is False
        assert nested.matches({"a": {"b": "012"}}, {}, NO_VARIABLES) is False  # no indexing into strings
        assert nested.matches({"a": {"b": {"2": 2}}}, {}, NO_VARIABLES) is False
        assert nested.matches({"a": [0, 1, 2]}, {}, NO_VARIABLES) is False
        assert nested.matches({"a": {"b": [0, 1, 2]}}, {}, NO_VARIABLES) is True
        assert rule("IsPresent", True, variable="$").matches(7, {}, NO_VARIABLES) is True


class TestMissingPaths:
    CAUSE = "Invalid path '$.v': The choice state's condition path references an invalid value."

    @pytest.mark.parametrize(
        ("operator", "operand"),
        [
            ("StringEquals", "x"),
            ("StringMatches", "*"),
            ("NumericEquals", 0),
            ("BooleanEquals", True),
            ("TimestampEquals", "2012-10-09T19:00:55Z"),
            ("IsNull", True),
            ("IsNull", False),
            ("IsNumeric", False),
            ("IsString", False),
            ("IsBoolean", False),
            ("IsTimestamp", False),
            ("NumericEqualsPath", "$.w"),
        ],
    )
    def test_missing_variable_fails_with_states_runtime(self, operator: str, operand: Any) -> None:
        compiled = rule(operator, operand)
        with pytest.raises(StatesError) as caught:
            compiled.matches({"w": 0}, {}, NO_VARIABLES)
        assert caught.value.error == "States.Runtime"
        assert caught.value.cause == self.CAUSE

    def test_missing_path_operand_names_that_path(self) -> None:
        compiled = rule("NumericLessThanEqualsPath", "$.right", variable="$.left")
        with pytest.raises(StatesError) as caught:
            compiled.matches({"left": 8}, {}, NO_VARIABLES)
        assert caught.value.error == "States.Runtime"
        assert caught.value.cause == (
            "Invalid path '$.right': The choice state's condition path references an invalid value."
        )

    def test_variable_is_read_before_the_operand(self) -> None:
        compiled = rule("StringEqualsPath", "$.right", variable="$.left")
        with pytest.raises(StatesError, match=r"'\$\.left'"):
            compiled.matches({}, {}, NO_VARIABLES)


class TestPathOperands:
    @pytest.mark.parametrize(
        ("operator", "left", "right", "expected"),
        [
            ("StringEqualsPath", "Hello", "Hello", True),
            ("StringEqualsPath", " ", "     ", False),
            ("StringLessThanPath", "A", "AB", True),
            ("StringGreaterThanPath", "AB", "ABC", False),
            ("StringLessThanEqualsPath", "", "", True),
            ("StringGreaterThanEqualsPath", "AB", "A", True),
            ("NumericEqualsPath", 1, 1.0, True),
            ("NumericLessThanPath", 0, 1, True),
            ("NumericGreaterThanPath", 1, 0, True),
            ("NumericLessThanEqualsPath", 1, 0, False),
            ("NumericGreaterThanEqualsPath", 0.0, 0, True),
            ("BooleanEqualsPath", False, False, True),
            ("BooleanEqualsPath", True, False, False),
            ("TimestampEqualsPath", "2012-10-09T19:00:55Z", "2012-10-09T21:00:55+02:00", True),
            ("TimestampLessThanPath", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", False),
            ("TimestampGreaterThanPath", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", True),
            ("TimestampLessThanEqualsPath", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
            ("TimestampGreaterThanEqualsPath", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", False),
        ],
    )
    def test_compare_two_input_values(self, operator: str, left: Any, right: Any, expected: bool) -> None:
        compiled = rule(operator, "$.right", variable="$.left")
        assert compiled.matches({"left": left, "right": right}, {}, NO_VARIABLES) is expected

    @pytest.mark.parametrize(
        ("operator", "left", "right"),
        [
            ("NumericEqualsPath", 8, {"value": 8}),
            ("NumericEqualsPath", "8", 8),
            ("NumericEqualsPath", 1, True),
            ("NumericEqualsPath", True, 1),
            ("StringEqualsPath", "1", 1),
            ("StringEqualsPath", None, None),
            ("BooleanEqualsPath", 0, False),
            ("TimestampEqualsPath", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55"),
            ("TimestampEqualsPath", "not a time", "not a time"),
        ],
    )
    def test_wrong_types_on_either_side_are_false(self, operator: str, left: Any, right: Any) -> None:
        compiled = rule(operator, "$.right", variable="$.left")
        assert compiled.matches({"left": left, "right": right}, {}, NO_VARIABLES) is False

    def test_operands_from_variables_and_context(self) -> None:
        guess = rule("StringEqualsPath", "$answer", variable="$guess")
        assert guess.matches({}, {}, {"guess": "the_answer", "answer": "the_answer"}) is True
        assert guess.matches({}, {}, {"guess": "the_guess", "answer": "the_answer"}) is False
        context = {"Execution": {"Input": {"input-value": 0}}}
        budget = rule("NumericLessThanEqualsPath", "$$.Execution.Input.input-value", variable="$.n")
        assert budget.matches({"n": 0}, context, NO_VARIABLES) is True
        assert budget.matches({"n": 1}, context, NO_VARIABLES) is False

    def test_variable_in_context_object(self) -> None:
        compiled = rule("NumericLessThanEquals", 0, variable="$$.Execution.Input.input-value")
        context = {"Execution": {"Input": {"input-value": 0}}}
        assert compiled.matches({"unrelated": True}, context, NO_VARIABLES) is True

    def test_missing_workflow_variable_fails_unless_is_present(self) -> None:
        with pytest.raises(StatesError):
            rule("IsNull", False, variable="$unset").matches({}, {}, NO_VARIABLES)
        assert rule("IsPresent", True, variable="$unset").matches({}, {}, NO_VARIABLES) is False
        assert rule("IsPresent", True, variable="$unset").matches({}, {}, {"unset": None}) is True


class TestBooleanCombinators:
    AWS_DOCS_CHOICES: ClassVar[list[dict[str, Any]]] = [
        {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
        {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
        {
            "And": [
                {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                {"Variable": "$.value", "NumericLessThan": 30},
            ],
            "Next": "ValueInTwenties",
        },
    ]

    def choose(self, state_input: Any) -> str | None:
        rules = [
            compile_choice_rule(choice, location=f"/States/X/Choices/{index}")
            for index, choice in enumerate(self.AWS_DOCS_CHOICES)
        ]
        return next((r.next for r in rules if r.matches(state_input, {}, NO_VARIABLES)), None)

    @pytest.mark.parametrize(
        ("state_input", "expected"),
        [
            ({"type": "Private", "value": 22}, "ValueInTwenties"),
            ({"type": "Public", "value": 22}, "Public"),
            ({"type": "Private", "value": 0}, "ValueIsZero"),
            ({"type": "Private", "value": 30}, None),
            ({"type": "Private", "value": 19.999}, None),
        ],
    )
    def test_aws_docs_example(self, state_input: dict[str, Any], expected: str | None) -> None:
        assert self.choose(state_input) == expected

    def test_or_and_nested_not(self) -> None:
        compiled = compile_choice_rule(
            {
                "Or": [
                    {"Variable": "$.a", "BooleanEquals": True},
                    {"Not": {"Not": {"Variable": "$.b", "IsNull": True}}},
                ],
                "Next": "Yes",
            },
            location=LOCATION,
        )
        assert compiled.matches({"a": True, "b": 1}, {}, NO_VARIABLES) is True
        assert compiled.matches({"a": False, "b": None}, {}, NO_VARIABLES) is True
        assert compiled.matches({"a": False, "b": 1}, {}, NO_VARIABLES) is False

    def test_and_short_circuits_before_a_missing_path(self) -> None:
        # The Map "break" idiom: guard with IsPresent / IsNumeric, then compare.
        compiled = compile_choice_rule(
            {
                "And": [
                    {"IsPresent": True, "Variable": "$.x"},
                    {
                        "And": [
                            {"IsNumeric": True, "Variable": "$.x"},
                            {"NumericEquals": 3, "Variable": "$.x"},
                        ]
                    },
                ],
                "Next": "Break",
            },
            location=LOCATION,
        )
        assert compiled.matches({}, {}, NO_VARIABLES) is False
        assert compiled.matches({"x": "Hello"}, {}, NO_VARIABLES) is False
        assert compiled.matches({"x": 3.0}, {}, NO_VARIABLES) is True

    def test_or_short_circuits_before_a_missing_path(self) -> None:
        compiled = compile_choice_rule(
            {
                "Or": [{"Variable": "$.a", "IsPresent": False}, {"Variable": "$.a", "NumericEquals": 1}],
                "Next": "Yes",
            },
            location=LOCATION,
        )
        assert compiled.matches({}, {}, NO_VARIABLES) is True
        assert compiled.matches({"a": 1}, {}, NO_VARIABLES) is True
        assert compiled.matches({"a": 2}, {}, NO_VARIABLES) is False

    def test_errors_propagate_through_combinators(self) -> None:
        compiled = compile_choice_rule(
            {"Not": {"And": [{"Variable": "$.missing", "StringEquals": "x"}]}, "Next": "Yes"},
            location=LOCATION,
        )
        with pytest.raises(StatesError, match="missing"):
            compiled.matches({}, {}, NO_VARIABLES)


class TestCompiledShape:
    def test_top_level_fields(self) -> None:
        compiled = compile_choice_rule(
            {
                "Variable": "$.v",
                "StringEquals": "x",
                "Next": "Target",
                "Assign": {"chosen.$": "$.v"},
                "Comment": "why",
            },
            location=LOCATION,
        )
        assert compiled.operator == "StringEquals"
        assert compiled.variable == "$.v"
        assert compiled.operand == "x"
        assert compiled.next == "Target"
        assert compiled.assign == {"chosen.$": "$.v"}
        assert compiled.comment == "why"
        assert compiled.location == LOCATION
        assert compiled.children == ()

    def test_nested_rules_are_exposed(self) -> None:
        compiled = compile_choice_rule(
            {
                "And": [{"Variable": "$.a", "IsPresent": True}, {"Not": {"Variable": "$.b", "IsNull": True}}],
                "Next": "T",
            },
            location=LOCATION,
        )
        assert compiled.assign is None
        first, second = compiled.children
        assert (first.operator, first.variable, first.next, first.location) == (
            "IsPresent",
            "$.a",
            None,
            f"{LOCATION}/And/0",
        )
        assert second.operator == "Not"
        assert second.children[0].location == f"{LOCATION}/And/1/Not"

    def test_nested_comment_is_allowed(self) -> None:
        compiled = compile_choice_rule(
            {"And": [{"Variable": "$.status", "StringEquals": "complete", "Comment": "done?"}], "Next": "T"},
            location=LOCATION,
        )
        assert compiled.children[0].comment == "done?"

    def test_compiles_as_nested_when_asked(self) -> None:
        compiled = compile_choice_rule({"Variable": "$.a", "IsNull": True}, location="/x", top_level=False)
        assert compiled.next is None
        assert compiled.matches({"a": None}, {}, NO_VARIABLES) is True

    def test_operator_catalogue(self) -> None:
        assert len(COMPARISON_OPERATORS) == 39
        assert {"StringMatches", "IsTimestamp", "BooleanEqualsPath", "TimestampGreaterThanEqualsPath"} <= (
            COMPARISON_OPERATORS
        )
        assert "StringMatchesPath" not in COMPARISON_OPERATORS
        assert "IsPresentPath" not in COMPARISON_OPERATORS


class TestDefinitionErrors:
    @pytest.mark.parametrize(
        ("definition", "location", "message"),
        [
            ("not an object", LOCATION, "must be a JSON object"),
            ({"Variable": "$.a", "StringEquals": "x"}, LOCATION, "These fields are required: [Next]"),
            ({"Variable": "$.a", "StringEquals": "x", "Next": ""}, f"{LOCATION}/Next", "non-empty string"),
            ({"Variable": "$.a", "StringEquals": "x", "Next": 3}, f"{LOCATION}/Next", "non-empty string"),
            (
                {"Variable": "$.a", "StringEqual": "x", "Next": "T"},
                LOCATION,
                "'StringEqual' is not supported",
            ),
            ({"Variable": "$.a", "StringMatchesPath": "$.b", "Next": "T"}, LOCATION, "not supported"),
            (
                {"Condition": "{% true %}", "Next": "T"},
                LOCATION,
                "only supported when the QueryLanguage is JSONata",
            ),
            ({"Variable": "$.a", "Next": "T"}, LOCATION, "exactly one of And, Or, Not"),
            ({"Next": "T"}, LOCATION, "exactly one of And, Or, Not"),
            (
                {"Variable": "$.a", "StringEquals": "x", "IsNull": True, "Next": "T"},
                LOCATION,
                "found: [StringEquals, IsNull]",
            ),
            ({"And": [], "Or": [], "Next": "T"}, LOCATION, "exactly one operator"),
            ({"StringEquals": "x", "Next": "T"}, LOCATION, "These fields are required: [Variable]"),
            ({"Variable": 5, "StringEquals": "x", "Next": "T"}, f"{LOCATION}/Variable", "must be a string"),
            (
                {"Variable": "$.a", "And": [{"Variable": "$.a", "IsNull": True}], "Next": "T"},
                LOCATION,
                "'Variable' is not supported together with 'And'",
            ),
            ({"And": [], "Next": "T"}, f"{LOCATION}/And", "Value cannot be empty"),
            ({"Or": {"Variable": "$.a", "IsNull": True}, "Next": "T"}, f"{LOCATION}/Or", "must be an array"),
            ({"Not": [], "Next": "T"}, f"{LOCATION}/Not", "must be a JSON object"),
            (
                {"And": [{"Variable": "$.a", "IsNull": True, "Next": "T"}], "Next": "T"},
                f"{LOCATION}/And/0",
                "'Next' is only supported in a top-level choice rule",
            ),
            (
                {"Not": {"Variable": "$.a", "IsNull": True, "Assign": {}}, "Next": "T"},
                f"{LOCATION}/Not",
                "'Assign' is only supported in a top-level choice rule",
            ),
            (
                {
                    "Or": [{"Variable": "$.a", "IsNull": True}, {"Variable": "$.a", "NumericEquals": "1"}],
                    "Next": "T",
                },
                f"{LOCATION}/Or/1/NumericEquals",
                "must be a number",
            ),
            (
                {"Variable": "$.a", "NumericEquals": True, "Next": "T"},
                f"{LOCATION}/NumericEquals",
                "a number",
            ),
            ({"Variable": "$.a", "StringEquals": 1, "Next": "T"}, f"{LOCATION}/StringEquals", "a string"),
            (
                {"Variable": "$.a", "StringMatches": None, "Next": "T"},
                f"{LOCATION}/StringMatches",
                "a string",
            ),
            (
                {"Variable": "$.a", "BooleanEquals": "true", "Next": "T"},
                f"{LOCATION}/BooleanEquals",
                "a boolean",
            ),
            ({"Variable": "$.a", "BooleanEquals": 1, "Next": "T"}, f"{LOCATION}/BooleanEquals", "a boolean"),
            ({"Variable": "$.a", "IsNull": "true", "Next": "T"}, f"{LOCATION}/IsNull", "a boolean"),
            ({"Variable": "$.a", "IsPresent": 1, "Next": "T"}, f"{LOCATION}/IsPresent", "a boolean"),
            (
                {"Variable": "$.a", "TimestampEquals": "2016-03-14 01:59:00Z", "Next": "T"},
                f"{LOCATION}/TimestampEquals",
                "ISO-8601 extended offset date-time",
            ),
            (
                {"Variable": "$.a", "TimestampLessThan": 0, "Next": "T"},
                f"{LOCATION}/TimestampLessThan",
                "ISO-8601",
            ),
            (
                {"Variable": "$.a", "NumericEqualsPath": 1, "Next": "T"},
                f"{LOCATION}/NumericEqualsPath",
                "a string",
            ),
            (
                {"Variable": "$.a", "IsNull": True, "Comment": 1, "Next": "T"},
                f"{LOCATION}/Comment",
                "a string",
            ),
        ],
    )
    def test_bad_rules(self, definition: Any, location: str, message: str) -> None:
        with pytest.raises(DefinitionError) as caught:
            compile_choice_rule(definition, location=LOCATION)
        assert caught.value.location == location
        assert message in caught.value.message
        assert caught.value.code == "SCHEMA_VALIDATION_FAILED"

    @pytest.mark.parametrize("field", ["Variable", "StringEqualsPath"])
    @pytest.mark.parametrize("path", ["not a path", "$.a[*]", "$..a"])
    def test_bad_or_indefinite_paths_point_at_their_field(self, field: str, path: str) -> None:
        definition = {"Variable": "$.a", "StringEqualsPath": "$.b", "Next": "T", field: path}
        with pytest.raises(DefinitionError) as caught:
            compile_choice_rule(definition, location=LOCATION)
        assert caught.value.location == f"{LOCATION}/{field}"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=10,
)

PROPERTY_RULES = [
    compile_choice_rule({"Variable": variable, operator: operand, "Next": "T"}, location=LOCATION)
    for variable in ("$.v", "$.v.a[1]", "$.v[0].b")
    for operator, operand in [
        ("StringEquals", "a"),
        ("StringLessThan", "\U0001f600"),
        ("StringMatches", "*a*"),
        ("NumericEquals", 0),
        ("NumericGreaterThan", 0.5),
        ("BooleanEquals", False),
        ("TimestampLessThan", "2012-10-09T19:00:55Z"),
        ("IsNull", True),
        ("IsPresent", True),
        ("IsNumeric", True),
        ("IsString", False),
        ("IsBoolean", True),
        ("IsTimestamp", True),
        ("StringEqualsPath", "$.w"),
        ("NumericLessThanEqualsPath", "$.w"),
        ("BooleanEqualsPath", "$.w"),
        ("TimestampGreaterThanPath", "$.w"),
    ]
]


@settings(max_examples=150, deadline=None)
@given(state_input=JSON_VALUES, variable=JSON_VALUES, other=JSON_VALUES)
def test_matches_returns_a_bool_or_raises_states_error(state_input: Any, variable: Any, other: Any) -> None:
    errors: list[StatesError] = []
    for candidate in (state_input, {"v": variable}, {"v": variable, "w": other}):
        for compiled in PROPERTY_RULES:
            try:
                result = compiled.matches(candidate, {}, NO_VARIABLES)
            except StatesError as error:
                errors.append(error)
            else:
                assert isinstance(result, bool)
    assert all(error.error == "States.Runtime" for error in errors)


@settings(max_examples=100, deadline=None)
@given(variable=JSON_VALUES)
def test_is_tests_partition_json_values(variable: Any) -> None:
    kinds = ["IsNull", "IsString", "IsBoolean", "IsNumeric"]
    results = [holds(kind, True, variable) for kind in kinds]
    is_container = isinstance(variable, list | dict)
    assert sum(results) == (0 if is_container else 1)
    assert holds("IsPresent", True, variable) is True
