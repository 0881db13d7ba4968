"""SFN000: what validation rejects is reported by lint too, as ValidateStateMachineDefinition reports it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.lint import lint_definition
from constructs_sfn.lint.engine import json_pointer
from constructs_sfn.local import LocalStepFunctions

BROKEN: dict[str, tuple[dict[str, Any], str]] = {
    "missing-target": ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}, "STANDARD"),
    "retry-all-first": (
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sns:publish",
                    "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}],
                    "End": True,
                }
            },
        },
        "STANDARD",
    ),
    "unknown-field": ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Nxt": "B", "End": True}}}, "STANDARD"),
    "express-callback": (
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
                    "TimeoutSeconds": 5,
                    "End": True,
                }
            },
        },
        "EXPRESS",
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_same_problems_as_validate_state_machine_definition(name: str) -> None:
    definition, machine_type = BROKEN[name]
    response = LocalStepFunctions().validate_state_machine_definition(
        definition=json.dumps(definition), type=machine_type
    )
    assert response["result"] == "FAIL"
    expected = [
        (d["code"], json_pointer(d.get("location", ""))) for d in response["diagnostics"] if d["severity"] == "ERROR"
    ]
    findings = [f for f in lint_definition(definition, state_machine_type=machine_type) if f.rule == "SFN000"]
    assert [(f.message.split(":", 1)[0], f.pointer) for f in findings if f.severity == "error"] == expected
    assert all(f.state is not None for f in findings if f.pointer.startswith("/States/"))


def test_locations_become_json_pointers() -> None:
    assert (
        json_pointer("/States/P/Branches[0]/States/A/Catch[12]/Next") == "/States/P/Branches/0/States/A/Catch/12/Next"
    )
    branch = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}, "Lost": {"Type": "Pass", "End": True}}}
    nested = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [branch], "End": True}}}
    [finding] = lint_definition(nested)
    assert (finding.pointer, finding.state) == ("/States/P/Branches/0/States/Lost", "Lost")


def test_valid_definition_has_no_validation_finding() -> None:
    definition = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    assert LocalStepFunctions().validate_state_machine_definition(definition=json.dumps(definition))["result"] == "OK"
    assert [f for f in lint_definition(definition) if f.rule == "SFN000"] == []


def test_undecodable_text_raises_definition_error() -> None:
    from constructs_sfn.asl import DefinitionError

    with pytest.raises(DefinitionError, match="Invalid JSON"):
        lint_definition("{oops")
