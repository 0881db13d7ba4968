"""Failure thresholds of a Distributed Map state given by JSONata expressions.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html (the current
guide: ``ToleratedFailureCount`` is a whole number of items from 0, ``ToleratedFailurePercentage`` a
number from 0 to 100; in JSONata states either may be an expression that evaluates to such a value).

A value of the wrong type is a JSONata result-type error, reported as ``States.QueryEvaluationError``
naming the field, the form AWS records for the ``Items`` field ("... returned an unexpected result
type. Expected 'array', but was 'object' ..." in the conformance corpus).
"""

from __future__ import annotations

from typing import Any

import pytest
from docs_support import run


def distributed(field: str, value: Any) -> dict[str, Any]:
    """A JSONata Distributed Map over two items with one threshold field."""
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}},
    }
    map_state = {"Type": "Map", "Items": [1, 2], field: value, "ItemProcessor": processor, "End": True}
    return {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": map_state}}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ToleratedFailureCount", "{% 'a' %}"),
        ("ToleratedFailureCount", "{% 1.5 %}"),
        ("ToleratedFailureCount", "{% true %}"),
        ("ToleratedFailurePercentage", "{% 'a' %}"),
        ("ToleratedFailurePercentage", "{% true %}"),
    ],
)
def test_a_threshold_expression_of_the_wrong_type_fails_the_state(field: str, value: str) -> None:
    """A string, a Boolean, or (for the count) a fraction is no threshold."""
    execution = run(distributed(field, value), {})

    assert (execution.status, execution.error) == ("FAILED", "States.QueryEvaluationError")
    assert f"'{field}'" in (execution.cause or "")


@pytest.mark.parametrize(
    ("field", "value", "cause"),
    [
        ("ToleratedFailureCount", "{% -1 %}", "ToleratedFailureCount cannot be negative."),
        ("ToleratedFailurePercentage", "{% 101 %}", "ToleratedFailurePercentage must be between 0 and 100."),
    ],
)
def test_a_threshold_out_of_range_fails_with_aws_cause(field: str, value: str, cause: str) -> None:
    """Out of range values fail with the causes the conformance corpus records."""
    execution = run(distributed(field, value), {})

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert cause in (execution.cause or "")


@pytest.mark.parametrize(
    ("field", "value"), [("ToleratedFailureCount", "{% 1 %}"), ("ToleratedFailurePercentage", "{% 50.5 %}")]
)
def test_a_threshold_in_range_is_accepted(field: str, value: str) -> None:
    """A count of 1 or a percentage of 50.5 is a valid threshold: the Map runs."""
    assert run(distributed(field, value), {}).status == "SUCCEEDED"
