"""The worked example of the developer guide's Fail state page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-fail-state.html
"""

from __future__ import annotations

from typing import Any

import pytest
from docs_support import run

from constructs_sfn.asl import DefinitionError, parse_definition


def test_a_fail_state_ends_the_execution_with_its_error_and_cause() -> None:
    """The page's ``FailState`` fails the execution with error ``ErrorA``, cause ``Invalid response.``."""
    definition = {
        "StartAt": "FailState",
        "States": {"FailState": {"Type": "Fail", "Cause": "Invalid response.", "Error": "ErrorA"}},
    }

    execution = run(definition, {"any": "input"})

    assert (execution.status, execution.error, execution.cause) == ("FAILED", "ErrorA", "Invalid response.")
    assert execution.events[-1]["type"] == "ExecutionFailed"
    assert execution.events[-1]["executionFailedEventDetails"] == {"error": "ErrorA", "cause": "Invalid response."}


@pytest.mark.parametrize("field", [{"Next": "X"}, {"End": True}, {"InputPath": "$.a"}, {"ResultPath": "$.a"}])
def test_a_fail_state_takes_no_next_end_or_paths(field: dict[str, Any]) -> None:
    """A Fail state allows only ``Type`` and ``Comment`` of the common fields (plus Error and Cause):
    no ``Next``, no ``End``, no paths.
    """
    state = {"Type": "Fail", "Error": "ErrorA", **field}
    definition = {"StartAt": "F", "States": {"F": state, "X": {"Type": "Succeed"}}}

    with pytest.raises(DefinitionError):
        parse_definition(definition)
