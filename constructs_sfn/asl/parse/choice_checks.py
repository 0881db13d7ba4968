"""Choice state rules: JSONPath rules (``Variable`` + one operator, ``And``/``Or``/``Not``) and
JSONata rules (``Condition``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.parse.jsonata_syntax import expression_body
from constructs_sfn.asl.parse.schema_context import (
    JSONATA,
    JSONPATH,
    ProblemSink,
    at_field,
    at_index,
)
from constructs_sfn.asl.parse.template_checks import check_assign, check_jsonata_value
from constructs_sfn.asl.parse.value_checks import check_path, is_timestamp

__all__ = ["COMPARISON_OPERATORS", "check_choices"]

_STRING_OPERATORS = (
    "StringEquals",
    "StringLessThan",
    "StringGreaterThan",
    "StringLessThanEquals",
    "StringGreaterThanEquals",
    "StringMatches",
)
_NUMERIC_OPERATORS = (
    "NumericEquals",
    "NumericLessThan",
    "NumericGreaterThan",
    "NumericLessThanEquals",
    "NumericGreaterThanEquals",
)
_TIMESTAMP_OPERATORS = (
    "TimestampEquals",
    "TimestampLessThan",
    "TimestampGreaterThan",
    "TimestampLessThanEquals",
    "TimestampGreaterThanEquals",
)
_TYPE_TESTS = ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
_PATH_OPERATORS = tuple(
    f"{name}Path" for name in (*_STRING_OPERATORS[:-1], *_NUMERIC_OPERATORS, "BooleanEquals", *_TIMESTAMP_OPERATORS)
)
COMPARISON_OPERATORS = frozenset(
    (
        *_STRING_OPERATORS,
        *_NUMERIC_OPERATORS,
        *_TIMESTAMP_OPERATORS,
        *_TYPE_TESTS,
        "BooleanEquals",
        *_PATH_OPERATORS,
    )
)
_BOOLEAN_OPERATORS = ("And", "Or", "Not")
_JSONPATH_RULE_FIELDS = frozenset(("Variable", "Next", "Comment", "Assign", *COMPARISON_OPERATORS, *_BOOLEAN_OPERATORS))
_JSONATA_RULE_FIELDS = frozenset(("Condition", "Next", "Comment", "Assign", "Output"))
_MAX_DEPTH = 64


def check_choices(sink: ProblemSink, state: Mapping[str, Any], location: str, query_language: str) -> None:
    """Check ``Choices`` (a non-empty array of top-level rules) and ``Default``."""
    choices_location = at_field(location, "Choices")
    choices = state["Choices"]
    if sink.expect_type(choices, "ARRAY", choices_location) and sink.non_empty(choices, choices_location):
        for index, rule in enumerate(choices):
            where = at_index(choices_location, index)
            if query_language == JSONATA:
                _check_jsonata_rule(sink, rule, where)
            else:
                _check_jsonpath_rule(sink, rule, where, top_level=True, depth=0)
    if "Default" in state:
        sink.expect_type(state["Default"], "STRING", at_field(location, "Default"))


def _check_jsonata_rule(sink: ProblemSink, rule: Any, where: str) -> None:
    if not sink.expect_type(rule, "OBJECT", where):
        return
    for field in rule:
        if field in _JSONATA_RULE_FIELDS:
            continue
        if field in _JSONPATH_RULE_FIELDS:
            sink.error(
                f"The QueryLanguage is set to '{JSONATA}', but field '{field}' is only supported for "
                f"the '{JSONPATH}' QueryLanguage",
                where,
            )
        else:
            sink.not_supported(field, where)
    if sink.required_field(rule, "Condition", where):
        condition = rule["Condition"]
        condition_location = at_field(where, "Condition")
        if not isinstance(condition, bool):
            if expression_body(condition) is None:
                sink.error("Expected value of type [BOOLEAN]", condition_location)
            else:
                check_jsonata_value(sink, condition, condition_location)
    if sink.required_field(rule, "Next", where):
        sink.expect_type(rule["Next"], "STRING", at_field(where, "Next"))
    if "Output" in rule:
        check_jsonata_value(sink, rule["Output"], at_field(where, "Output"))
    if "Assign" in rule:
        check_assign(sink, rule["Assign"], at_field(where, "Assign"), JSONATA)


def _check_jsonpath_rule(sink: ProblemSink, rule: Any, where: str, *, top_level: bool, depth: int) -> None:
    if depth > _MAX_DEPTH or not sink.expect_type(rule, "OBJECT", where):
        return
    for field in rule:
        if field in ("Next", "Assign") and not top_level:
            sink.not_supported(field, where)
        elif field in _JSONATA_RULE_FIELDS and field not in _JSONPATH_RULE_FIELDS:
            sink.error(
                f"The QueryLanguage is set to '{JSONPATH}', but field '{field}' is only supported for "
                f"the '{JSONATA}' QueryLanguage",
                where,
            )
        elif field not in _JSONPATH_RULE_FIELDS:
            sink.not_supported(field, where)
    if top_level and sink.required_field(rule, "Next", where):
        sink.expect_type(rule["Next"], "STRING", at_field(where, "Next"))
    if top_level and "Assign" in rule:
        check_assign(sink, rule["Assign"], at_field(where, "Assign"), JSONPATH)
    operators = [field for field in rule if field in COMPARISON_OPERATORS or field in _BOOLEAN_OPERATORS]
    if len(operators) != 1:
        # Unverified wording: AWS requires exactly one comparison or boolean operator per rule.
        sink.error("A choice rule must contain exactly one comparison operator", where)
        return
    operator = operators[0]
    if operator in _BOOLEAN_OPERATORS:
        _check_boolean_operator(sink, rule, operator, where, depth)
        return
    if sink.required_field(rule, "Variable", where):
        check_path(sink, rule["Variable"], at_field(where, "Variable"), "Variable", nullable=False)
    _check_operand(sink, operator, rule[operator], at_field(where, operator))


def _check_boolean_operator(sink: ProblemSink, rule: Mapping[str, Any], operator: str, where: str, depth: int) -> None:
    location = at_field(where, operator)
    if "Variable" in rule:
        sink.not_supported("Variable", where)
    operand = rule[operator]
    if operator == "Not":
        _check_jsonpath_rule(sink, operand, location, top_level=False, depth=depth + 1)
        return
    if not sink.expect_type(operand, "ARRAY", location) or not sink.non_empty(operand, location):
        return
    for index, nested in enumerate(operand):
        _check_jsonpath_rule(sink, nested, at_index(location, index), top_level=False, depth=depth + 1)


def _check_operand(sink: ProblemSink, operator: str, operand: Any, location: str) -> None:
    if operator.endswith("Path"):
        check_path(sink, operand, location, operator, nullable=False)
    elif operator in _STRING_OPERATORS:
        sink.expect_type(operand, "STRING", location)
    elif operator in _NUMERIC_OPERATORS:
        sink.expect_type(operand, "NUMBER", location)
    elif operator in _TIMESTAMP_OPERATORS:
        if sink.expect_type(operand, "STRING", location) and not is_timestamp(operand):
            # Unverified wording.
            sink.error(f"The value for the field '{operator}' must be a valid timestamp", location)
    else:  # BooleanEquals and the Is* tests
        sink.expect_type(operand, "BOOLEAN", location)
