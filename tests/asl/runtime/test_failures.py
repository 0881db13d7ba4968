"""How :mod:`constructs_sfn.asl.runtime.failures` describes a state's failure, as AWS does.

AWS prefixes the cause of an evaluation failure with "An error occurred while executing the state
'<name>' (entered at the event id #<n>)." and records ``EvaluationFailed`` with the field's location
(https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
https://docs.aws.amazon.com/step-functions/latest/apireference/API_EvaluationFailedEventDetails.html).
"""

from __future__ import annotations

import json

from constructs_sfn.asl import parse_definition
from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.runtime.failures import (
    error_details,
    evaluation_failed_details,
    execution_failure,
    located_error,
)

STATE = parse_definition(json.dumps({"StartAt": "Fetch", "States": {"Fetch": {"Type": "Pass", "End": True}}})).states[
    "Fetch"
]


def test_an_evaluation_failure_is_located_once() -> None:
    located = located_error(StatesError("States.Runtime", "bad path"), STATE, 4)
    assert located.cause == "An error occurred while executing the state 'Fetch' (entered at the event id #4). bad path"
    assert located_error(located, STATE, 9) is located


def test_other_errors_keep_their_cause() -> None:
    error = StatesError("Card.Declined", "no funds")
    assert located_error(error, STATE, 4) is error


def test_evaluation_failed_names_the_field_from_the_cause() -> None:
    error = StatesError("States.QueryEvaluationError", "The JSONata expression specified for the field 'Output' failed")
    assert evaluation_failed_details(error, STATE) == {
        "cause": error.cause,
        "error": "States.QueryEvaluationError",
        "location": "Output",
        "state": "Fetch",
    }


def test_an_execution_records_non_states_errors_as_runtime() -> None:
    recorded = execution_failure(RuntimeError("boom"))
    assert (recorded.error, recorded.cause) == ("States.Runtime", "boom")


def test_error_details_leave_out_what_is_not_given() -> None:
    assert error_details("E", None) == {"error": "E"}
    assert error_details(None, "c") == {"cause": "c"}
    assert error_details(None, None) == {}
