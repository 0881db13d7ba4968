"""AWS's texts for the problems: InvalidDefinition messages and ValidateStateMachineDefinition."""

from __future__ import annotations

import json

from constructs_sfn.asl.errors import DefinitionProblem
from constructs_sfn.asl.parse.diagnostics import (
    render_invalid_definition_message,
    to_diagnostics,
    validation_response,
)
from constructs_sfn.asl.parse.validate import validate_definition


def test_one_problem() -> None:
    problems = validate_definition({"Comment": "BASE_INVALID_DER", "StartAt": "State_1"})
    assert render_invalid_definition_message(problems) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    )


def test_several_problems_are_joined_in_order_and_null_locations_print_null() -> None:
    problems = validate_definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "NOPE"}}})
    assert render_invalid_definition_message(problems) == (
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: NOPE at "
        "/States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'"
    )


def test_trailing_space_of_the_wait_for_task_token_message_is_kept() -> None:
    definition = {
        "StartAt": "Publish",
        "States": {
            "Publish": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken", "End": True}
        },
    }
    message = render_invalid_definition_message(validate_definition(definition, state_machine_type="EXPRESS"))
    assert message.endswith("service integration  at /States/Publish/Resource'")


def test_label_problems_use_the_value_error_form_with_the_definition_text() -> None:
    definition = {
        "StartAt": "MapState",
        "States": {
            "MapState": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                "Label": "label_#",
                "End": True,
            }
        },
    }
    problems = validate_definition(definition)
    assert render_invalid_definition_message(problems, definition) == (
        "Error=ValueError Args=[\"Label contains invalid character: '#'\"] in definition '"
        + json.dumps(definition)
        + "'."
    )
    assert render_invalid_definition_message(problems, definition_text="{...}").endswith(" in definition '{...}'.")


def test_label_args_use_python_list_repr() -> None:
    problem = DefinitionProblem("INVALID_LABEL_NAME", "Label contains invalid character: '\"'", "/States/M/Label")
    assert render_invalid_definition_message([problem], definition_text="T") == (
        "Error=ValueError Args=['Label contains invalid character: \\'\"\\''] in definition 'T'."
    )


def test_warnings_are_not_rendered_when_there_are_errors() -> None:
    warning = DefinitionProblem("NO_DOLLAR", "w", "/States/A", severity="WARNING")
    error = DefinitionProblem("SCHEMA_VALIDATION_FAILED", "e", "/States/A")
    assert render_invalid_definition_message([warning, error]) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: e at /States/A'"
    )


def test_diagnostics_shape() -> None:
    problems = [
        DefinitionProblem("SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object"),
        DefinitionProblem("NO_DOLLAR", "w", "/States/A", severity="WARNING"),
        DefinitionProblem("SCHEMA_VALIDATION_FAILED", "These fields are required: [StartAt]", "/"),
    ]
    assert to_diagnostics(problems) == [
        {"code": "SCHEMA_VALIDATION_FAILED", "message": "Definition must be a valid JSON object", "severity": "ERROR"},
        {
            "code": "SCHEMA_VALIDATION_FAILED",
            "location": "/",
            "message": "These fields are required: [StartAt]",
            "severity": "ERROR",
        },
    ]
    assert len(to_diagnostics(problems, severity="WARNING")) == 3


def test_validation_response() -> None:
    assert validation_response([]) == {"result": "OK", "diagnostics": [], "truncated": False}
    errors = [DefinitionProblem("SCHEMA_VALIDATION_FAILED", str(i), "/") for i in range(3)]
    response = validation_response(errors, max_results=2)
    assert response["result"] == "FAIL"
    assert [d["message"] for d in response["diagnostics"]] == ["0", "1"]
    assert response["truncated"] is True
    warning_only = [DefinitionProblem("NO_PATH", "w", "/States/A", severity="WARNING")]
    assert validation_response(warning_only, severity="WARNING")["result"] == "OK"
