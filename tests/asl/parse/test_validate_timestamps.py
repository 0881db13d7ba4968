"""Timestamps in a definition: the RFC 3339 profile ASL requires, checked when the machine is created.

Docs: https://states-language.net/spec.html#timestamps and
https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html ("Timestamps must conform to the
RFC3339 profile of ISO 8601, with the further restrictions that an uppercase T must separate the date
and time portions, and an uppercase Z must denote that a numeric time zone offset is not present");
RFC 3339 section 5.6 (``full-date "T" full-time``: seconds and ``Z`` or ``+hh:mm`` are part of the
grammar) and section 5.7 (month 01-12, a day the month has, hour 00-23, minute and second 00-59).
A definition's ``Timestamp`` (Wait) and ``Timestamp*`` comparison values (Choice) are held to that;
TimestampPath values at run time are read more loosely (``tests/asl/runtime/test_wait_limits.py``).
The diagnostics shape is ValidateStateMachineDefinition's (API_ValidateStateMachineDefinition.html:
``code``, ``message``, ``location``, ``severity``).
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
VALID = [
    "2024-08-18T17:33:00Z",
    "2024-02-29T00:00:00Z",
    "2024-08-18T17:33:00.5Z",
    "2024-08-18T17:33:00.123456789+05:30",
    "2024-08-18T17:33:00-08:00",
]
INVALID = [
    "2024-08-18",
    "2024-08-18t17:33:00z",
    "2024-08-18 17:33:00Z",
    "2024-08-18T17:33Z",
    "2024-08-18T17:33:00",
    "2024-08-18T17:33:00+0530",
    "2024-13-18T17:33:00Z",
    "2023-02-29T00:00:00Z",
    "2024-04-31T00:00:00Z",
    "2024-08-18T24:00:00Z",
    "2024-08-18T17:60:00Z",
    "2024-08-18T17:33:00+25:00",
    "\u0662\u0660\u0662\u0664-08-18T17:33:00Z",
]


def _wait(timestamp: str) -> dict[str, object]:
    return {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": timestamp, "End": True}}}


def _choice(timestamp: str) -> dict[str, object]:
    rule = {"Variable": "$.at", "TimestampGreaterThan": timestamp, "Next": "Done"}
    return {
        "StartAt": "C",
        "States": {"C": {"Type": "Choice", "Choices": [rule], "Default": "Done"}, "Done": {"Type": "Succeed"}},
    }


def _diagnostics(definition: dict[str, object]) -> list[dict[str, object]]:
    result = LocalStepFunctions().validate_state_machine_definition(definition=json.dumps(definition))
    return list(result["diagnostics"])


@pytest.mark.parametrize("timestamp", VALID)
def test_rfc3339_timestamps_are_accepted(timestamp: str) -> None:
    """state-wait.html / states-language.net#timestamps: the RFC 3339 profile, offsets and fractions included."""
    assert _diagnostics(_wait(timestamp)) == []
    assert _diagnostics(_choice(timestamp)) == []


@pytest.mark.parametrize("timestamp", INVALID)
def test_a_wait_timestamp_outside_the_profile_is_refused(timestamp: str) -> None:
    """state-wait.html: upper-case T and Z, RFC 3339 fields (section 5.6 and 5.7); diagnostics as
    API_ValidateStateMachineDefinition.html.
    """
    assert _diagnostics(_wait(timestamp)) == [
        {
            "code": "SCHEMA_VALIDATION_FAILED",
            "message": "The value for the field 'Timestamp' must be a valid timestamp",
            "severity": "ERROR",
            "location": "/States/W/Timestamp",
        }
    ]


@pytest.mark.parametrize("timestamp", INVALID)
def test_a_choice_timestamp_outside_the_profile_is_refused(timestamp: str) -> None:
    """state-choice.html: Timestamp comparison values are timestamps of the same profile."""
    (diagnostic,) = _diagnostics(_choice(timestamp))

    assert diagnostic["code"] == "SCHEMA_VALIDATION_FAILED"
    assert diagnostic["message"] == "The value for the field 'TimestampGreaterThan' must be a valid timestamp"
    assert diagnostic["location"] == "/States/C/Choices[0]/TimestampGreaterThan"


def test_create_state_machine_refuses_an_impossible_date() -> None:
    """API_CreateStateMachine.html: InvalidDefinition with the SCHEMA_VALIDATION_FAILED problem and its location."""
    client = LocalStepFunctions()

    with pytest.raises(ClientError) as refused:
        client.create_state_machine(name="w", definition=json.dumps(_wait("2024-02-30T00:00:00Z")), roleArn=ROLE)

    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidDefinition"
    assert error["Message"] == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'Timestamp' "
        "must be a valid timestamp at /States/W/Timestamp'"
    )


def test_a_timestamp_far_in_the_future_is_valid() -> None:
    """Nothing limits how far ahead a Timestamp is; the execution's own year limit applies at run time."""
    assert _diagnostics(_wait("2999-12-31T23:59:59Z")) == []
