"""What TestState refuses before running, and what it then runs: written from the API reference.

Every test calls the client as a user would (``LocalStepFunctions.test_state``) and runs the real
runtime, so a check that lets a request through is also seen to run it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions

from ..helpers import ROLE, error_of

TASK_REF = "https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html"
LAMBDA = "arn:aws:states:::lambda:invoke"
ERROR = {"errorOutput": {"error": "Mock.Error", "cause": "mocked"}}


def rejected(sfn: LocalStepFunctions, **kwargs: Any) -> tuple[str, str]:
    """The (code, message) TestState answers with."""
    with pytest.raises(ClientError) as excinfo:
        sfn.test_state(**kwargs)
    return error_of(excinfo)


def machine(states: dict[str, Any], **top: Any) -> str:
    return json.dumps({"StartAt": next(iter(states)), "States": states, **top})


def task(**fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": LAMBDA, "Parameters": {"FunctionName": "f"}, "End": True, **fields}


def ending(fields: dict[str, Any]) -> dict[str, Any]:
    """``End: true`` unless the fields name a ``Next``."""
    return fields if "Next" in fields else {"End": True, **fields}


def map_state(inner: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return ending(
        {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": next(iter(inner)), "States": inner},
            **fields,
        }
    )


def parallel(*branches: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return ending(
        {"Type": "Parallel", "Branches": [{"StartAt": next(iter(b)), "States": b} for b in branches], **fields}
    )


PASS_BRANCH = {"B": {"Type": "Pass", "End": True}}
NESTED = machine(
    {
        "Prepare": {"Type": "Pass", "Next": "Each"},
        "Each": map_state(
            {
                "Shape": {
                    "Type": "Pass",
                    "Parameters": {"item.$": "$", "doubled.$": "States.MathAdd($.n, $.n)"},
                    "Next": "Call",
                },
                "Call": task(ResultSelector={"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"}),
            },
            Next="Both",
        ),
        "Both": parallel(
            {"Left": {"Type": "Pass", "Result": "L", "Next": "LeftEnd"}, "LeftEnd": {"Type": "Succeed"}}, PASS_BRANCH
        ),
    }
)


class TestStateName:
    """stateName: "If this field is specified, the definition must contain a fully-formed state machine"."""

    def test_a_state_inside_a_map_processor_runs_on_the_given_input(self, sfn: LocalStepFunctions) -> None:
        """A state of a Map's ItemProcessor is tested like any state: its input is ``input``.

        https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
        """
        response = sfn.test_state(definition=NESTED, stateName="Shape", input='{"n": 4}', inspectionLevel="DEBUG")
        assert response["status"] == "SUCCEEDED"
        assert response["nextState"] == "Call"
        assert json.loads(response["output"]) == {"item": {"n": 4}, "doubled": 8}
        assert json.loads(response["inspectionData"]["afterParameters"]) == {"item": {"n": 4}, "doubled": 8}

    def test_a_state_inside_a_parallel_branch(self, sfn: LocalStepFunctions) -> None:
        """https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html"""
        response = sfn.test_state(definition=NESTED, stateName="Left")
        assert (response["status"], json.loads(response["output"]), response["nextState"]) == (
            "SUCCEEDED",
            "L",
            "LeftEnd",
        )
        assert sfn.test_state(definition=NESTED, stateName="LeftEnd")["status"] == "SUCCEEDED"

    def test_the_map_context_of_a_mocked_task_inside_a_map(self, sfn: LocalStepFunctions) -> None:
        """Inside a Map, ``$$.Map.Item.Index`` and ``.Value`` come from the ``context`` argument.

        API_TestState.html: context is "A JSON string representing a valid Context object for the
        state under test"; a state in an ItemProcessor has the Map section.
        """
        response = sfn.test_state(
            definition=NESTED,
            stateName="Call",
            mock={"result": '{"Payload": 1}'},
            context=json.dumps({"Map": {"Item": {"Index": 2, "Value": {"n": 7}}}}),
        )
        assert response["status"] == "SUCCEEDED"
        assert json.loads(response["output"]) == {"value": {"n": 7}, "index": 2}

    def test_the_map_context_must_be_well_typed(self, sfn: LocalStepFunctions) -> None:
        code, message = rejected(
            sfn,
            definition=NESTED,
            stateName="Call",
            mock={"result": "{}"},
            context=json.dumps({"Map": {"Item": {"Index": "2"}}}),
        )
        assert (code, message) == (
            "ValidationException",
            "Invalid Context object provided: Map.Item.Index must be an integer",
        )
        code, message = rejected(
            sfn, definition=NESTED, stateName="Call", mock={"result": "{}"}, context='{"Map": {"Items": []}}'
        )
        assert message == "Invalid Context object provided: Field 'Items' is not allowed"

    def test_a_map_context_outside_a_map_is_refused(self, sfn: LocalStepFunctions) -> None:
        """AWS's recorded message for a top-level Task given ``{"Map": {}}``."""
        code, message = rejected(sfn, definition=json.dumps(task()), mock={"result": "{}"}, context='{"Map": {}}')
        assert code == "ValidationException"
        assert message == "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"

    def test_nested_states_inherit_the_query_language(self, sfn: LocalStepFunctions) -> None:
        """A state in a Map of a JSONata machine is a JSONata state ("QueryLanguage ... at the top
        level" applies to every state that does not set its own).

        https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
        """
        inner = {"Echo": {"Type": "Pass", "Output": "{% $states.input.n * 10 %}", "End": True}}
        each = {"Type": "Map", "Items": "{% [] %}", "ItemProcessor": {"StartAt": "Echo", "States": inner}, "End": True}
        definition = machine({"M": each}, QueryLanguage="JSONata")
        response = sfn.test_state(definition=definition, stateName="Echo", input='{"n": 3}')
        assert json.loads(response["output"]) == 30

    def test_workflow_variables_reach_a_nested_state(self, sfn: LocalStepFunctions) -> None:
        """variables: "JSON object literal that sets variables used in the state under test"."""
        inner = {"Use": {"Type": "Pass", "Parameters": {"seen.$": "$greeting"}, "Assign": {"after": 1}, "End": True}}
        response = sfn.test_state(
            definition=machine({"M": map_state(inner)}),
            stateName="Use",
            variables='{"greeting": "hi"}',
            inspectionLevel="DEBUG",
        )
        assert json.loads(response["output"]) == {"seen": "hi"}
        assert json.loads(response["inspectionData"]["variables"]) == {"greeting": "hi", "after": 1}

    def test_a_name_the_definition_lacks(self, sfn: LocalStepFunctions) -> None:
        assert rejected(sfn, definition=NESTED, stateName="Ghost") == (
            "ValidationException",
            "State 'Ghost' does not exist in the definition",
        )


class TestMock:
    """API_MockInput.html: "A JSON object that contains a mocked result or errorOutput"."""

    def test_result_and_error_output_together(self, sfn: LocalStepFunctions) -> None:
        """https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html"""
        code, message = rejected(sfn, definition=json.dumps(task()), mock={"result": "{}", **ERROR})
        assert (code, message) == (
            "ValidationException",
            "A mock may specify either a result or an errorOutput, not both",
        )

    def test_neither_result_nor_error_output(self, sfn: LocalStepFunctions) -> None:
        code, message = rejected(sfn, definition=json.dumps(task()), mock={"fieldValidationMode": "NONE"})
        assert (code, message) == ("ValidationException", "A mock must specify either a result or an errorOutput")

    def test_error_output_needs_its_error(self, sfn: LocalStepFunctions) -> None:
        """API_MockErrorOutput.html: error "is required if mock.errorOutput is specified".

        https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockErrorOutput.html
        """
        code, message = rejected(sfn, definition=json.dumps(task()), mock={"errorOutput": {"cause": "why"}})
        assert (code, message) == (
            "ValidationException",
            "The field 'error' is required when mock.errorOutput is specified",
        )
        response = sfn.test_state(definition=json.dumps(task()), mock={"errorOutput": {"error": "E"}})
        assert (response["status"], response["error"], "cause" in response) == ("FAILED", "E", False)

    def test_a_parallel_result_has_one_element_per_branch(self, sfn: LocalStepFunctions) -> None:
        """A mocked Parallel result stands for the branch outputs: one per branch.

        https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
        """
        state = json.dumps(parallel(PASS_BRANCH, {"C": {"Type": "Pass", "End": True}}))
        code, message = rejected(sfn, definition=state, mock={"result": '["only one"]'})
        assert code == "ValidationException"
        assert message.startswith("Mocked result must be an array with one element per branch")
        response = sfn.test_state(definition=state, mock={"result": '["a", "b"]'})
        assert json.loads(response["output"]) == ["a", "b"]

    def test_a_mock_is_enough_without_a_role(self, sfn: LocalStepFunctions) -> None:
        """roleArn is optional: only an unmocked Task calls a service with it (API_TestState.html)."""
        assert sfn.test_state(definition=json.dumps(task()), mock={"result": '{"ok": true}'})["status"] == "SUCCEEDED"
        assert sfn.test_state(definition=json.dumps({"Type": "Pass", "End": True}))["status"] == "SUCCEEDED"
        assert sfn.test_state(definition=json.dumps(task()), roleArn=ROLE)["status"] == "SUCCEEDED"

    @pytest.mark.parametrize("state_type", ["Choice", "Wait"])
    def test_no_mock_for_flow_states(self, sfn: LocalStepFunctions, state_type: str) -> None:
        """mock: "A mock can only be specified for Task, Map, or Parallel states"."""
        state = {
            "Choice": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "X"}],
                "Default": "X",
            },
            "Wait": {"Type": "Wait", "Seconds": 1, "End": True},
        }
        code, message = rejected(sfn, definition=json.dumps(state[state_type]), mock={"result": "{}"})
        assert (code, message) == (
            "ValidationException",
            f"State type '{state_type}' is not supported when a mock is specified",
        )

    def test_an_empty_context_with_a_mock(self, sfn: LocalStepFunctions) -> None:
        """An empty context object keeps every default field (API_TestState.html: context)."""
        state = task(ResultSelector={"name.$": "$$.State.Name", "retries.$": "$$.State.RetryCount"})
        response = sfn.test_state(definition=json.dumps(state), mock={"result": "{}"}, context="{}")
        assert json.loads(response["output"]) == {"name": "StateName", "retries": 0}


class TestStateConfiguration:
    """API_TestStateConfiguration.html, field by field.

    https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestStateConfiguration.html
    """

    def test_map_iteration_failure_count_is_a_map_field(self, sfn: LocalStepFunctions) -> None:
        """mapIterationFailureCount: "The number of Map state iterations that failed"."""
        code, message = rejected(
            sfn,
            definition=json.dumps(parallel(PASS_BRANCH)),
            mock={"result": "[1]"},
            stateConfiguration={"mapIterationFailureCount": 1},
        )
        assert (code, message) == (
            "ValidationException",
            "mapIterationFailureCount can only be specified for a Map state, not a Parallel state",
        )

    def test_map_item_reader_data_needs_an_item_reader(self, sfn: LocalStepFunctions) -> None:
        """mapItemReaderData: "The data read by ItemReader in Distributed Map states"."""
        code, message = rejected(
            sfn,
            definition=json.dumps(map_state(PASS_BRANCH)),
            input='{"items": []}',
            mock={"result": "[]"},
            stateConfiguration={"mapItemReaderData": "[1]"},
        )
        assert (code, message) == (
            "ValidationException",
            "mapItemReaderData can only be specified for a Map state with an ItemReader",
        )

    def test_error_caused_by_state_names_a_state_inside_the_mocked_map(self, sfn: LocalStepFunctions) -> None:
        """errorCausedByState: "The name of the state from which an error originates when an error is
        mocked for a Map or Parallel state"."""
        definition = machine({"Outer": map_state({"Inner": map_state({"Deepest": {"Type": "Pass", "End": True}})})})
        response = sfn.test_state(
            definition=definition,
            stateName="Outer",
            input='{"items": []}',
            mock=ERROR,
            stateConfiguration={"errorCausedByState": "Deepest"},
        )
        assert (response["status"], response["error"], response["cause"]) == ("FAILED", "Mock.Error", "mocked")
        code, message = rejected(
            sfn,
            definition=definition,
            stateName="Outer",
            input='{"items": []}',
            mock=ERROR,
            stateConfiguration={"errorCausedByState": "Outer"},
        )
        assert (code, message) == (
            "ValidationException",
            "errorCausedByState 'Outer' is not a state inside the Map state 'Outer'",
        )

    def test_error_caused_by_state_needs_a_mocked_error(self, sfn: LocalStepFunctions) -> None:
        code, message = rejected(
            sfn,
            definition=json.dumps(parallel(PASS_BRANCH)),
            mock={"result": "[1]"},
            stateConfiguration={"errorCausedByState": "B"},
        )
        assert (code, message) == (
            "ValidationException",
            "errorCausedByState can only be specified when mock.errorOutput is specified",
        )

    def test_error_caused_by_state_is_for_map_and_parallel_only(self, sfn: LocalStepFunctions) -> None:
        code, message = rejected(
            sfn, definition=json.dumps(task()), mock=ERROR, stateConfiguration={"errorCausedByState": "X"}
        )
        assert (code, message) == (
            "ValidationException",
            "errorCausedByState can only be specified for a Map or Parallel state, not a Task state",
        )

    def test_retrier_retry_count_decides_between_retriable_and_caught(self, sfn: LocalStepFunctions) -> None:
        """retrierRetryCount: "The number of retry attempts that have occurred for the state's Retry
        that applies to the mocked error"; InspectionErrorDetails reports retryIndex,
        retryBackoffIntervalSeconds or catchIndex.

        https://docs.aws.amazon.com/step-functions/latest/apireference/API_InspectionErrorDetails.html
        """
        state = task(
            Retry=[
                {"ErrorEquals": ["Other"], "MaxAttempts": 5},
                {"ErrorEquals": ["Mock.Error"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 2},
            ],
            Catch=[{"ErrorEquals": ["Nope"], "Next": "X"}, {"ErrorEquals": ["States.ALL"], "Next": "Handler"}],
        )
        state.pop("End")
        state["Next"] = "After"
        answers = [
            sfn.test_state(
                definition=json.dumps(state),
                mock=ERROR,
                inspectionLevel="DEBUG",
                stateConfiguration={"retrierRetryCount": count},
            )
            for count in (0, 1, 2)
        ]
        assert [a["status"] for a in answers] == ["RETRIABLE", "RETRIABLE", "CAUGHT_ERROR"]
        assert answers[0]["inspectionData"]["errorDetails"] == {"retryBackoffIntervalSeconds": 3, "retryIndex": 1}
        assert answers[1]["inspectionData"]["errorDetails"] == {"retryBackoffIntervalSeconds": 6, "retryIndex": 1}
        assert answers[2]["inspectionData"]["errorDetails"] == {"catchIndex": 1}
        assert answers[2]["nextState"] == "Handler"
        assert "nextState" not in answers[0]
