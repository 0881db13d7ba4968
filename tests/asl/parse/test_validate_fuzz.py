"""Invariants: garbage in, problems out; never an exception."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_sfn.asl.errors import DefinitionProblem
from constructs_sfn.asl.parse.diagnostics import render_invalid_definition_message, to_diagnostics
from constructs_sfn.asl.parse.validate import (
    validate_definition,
    validate_definition_text,
    validate_state_definition,
)

FIELD_NAMES = st.sampled_from(
    [
        "Type",
        "Next",
        "End",
        "StartAt",
        "States",
        "Branches",
        "ItemProcessor",
        "Iterator",
        "Choices",
        "Default",
        "Retry",
        "Catch",
        "ErrorEquals",
        "Parameters",
        "x.$",
        "Assign",
        "Output",
        "Arguments",
        "QueryLanguage",
        "Variable",
        "And",
        "Not",
        "StringEquals",
        "Seconds",
        "Timestamp",
        "Label",
        "MaxConcurrency",
        "Resource",
        "Credentials",
        "ResultPath",
        "InputPath",
        "Condition",
        "Items",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["Pass", "Task", "Map", "Parallel", "Choice", "JSONata", "$.a", "{% x %}", "States.ALL"])
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(FIELD_NAMES | st.text(max_size=6), children, max_size=6)
    ),
    max_leaves=40,
)


def check(problems: list[DefinitionProblem]) -> None:
    assert all(isinstance(p, DefinitionProblem) for p in problems)
    render_invalid_definition_message(problems, {"k": 1})
    to_diagnostics(problems)


@settings(max_examples=300)
@given(JSON)
def test_any_json_value_yields_problems_not_exceptions(value: Any) -> None:
    check(validate_definition(value))
    check(validate_definition(value, state_machine_type="EXPRESS"))
    check(validate_state_definition(value))


@settings(max_examples=200)
@given(st.dictionaries(FIELD_NAMES, JSON, max_size=5), st.dictionaries(st.text(max_size=4), JSON, max_size=3))
def test_definition_shaped_values(top: dict[str, Any], states: dict[str, Any]) -> None:
    check(validate_definition({**top, "StartAt": next(iter(states), "A"), "States": states}))


@given(st.text(max_size=60))
def test_any_text_yields_problems_not_exceptions(text: str) -> None:
    check(validate_definition_text(text))
