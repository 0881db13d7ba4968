"""TestState through the client: AWS's request checks, what reaches the runtime, the response."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.teststate import request

from ..helpers import ROLE, error_of

PASS_STATE = json.dumps({"Type": "Pass", "End": True})
LAMBDA_TASK = json.dumps(
    {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": True}
)
PARALLEL = json.dumps(
    {
        "Type": "Parallel",
        "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}],
        "End": True,
    }
)
MAP = json.dumps(
    {
        "Type": "Map",
        "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
        "End": True,
    }
)
CONTEXT = {
    "Execution": {
        "Id": "arn:aws:states:::execution:M:e",
        "Input": {},
        "Name": "e",
        "StartTime": "2025-01-15T10:30:00Z",
    },
    "State": {"EnteredTime": "2025-01-15T10:30:01.500Z", "Name": "S", "RetryCount": 0},
    "StateMachine": {"Id": "arn:aws:states:::stateMachine:M", "Name": "M"},
}


class FakeRuntime:
    """Stands in for ``run_test_state``: records its arguments, returns a canned response."""

    def __init__(self, response: dict[str, Any] | None = None, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.response = response or {"status": "SUCCEEDED", "output": "{}", "inspectionData": {"input": "{}"}}
        self.error = error

    def __call__(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        if self.error is not None:
            raise self.error
        return dict(self.response)


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> FakeRuntime:
    """Replace the runtime's entry point with a fake."""
    fake = FakeRuntime()
    monkeypatch.setattr(request, "run_test_state", fake)
    return fake


def rejected(sfn: LocalStepFunctions, **kwargs: Any) -> tuple[str, str]:
    """The (code, message) TestState answers with."""
    with pytest.raises(ClientError) as excinfo:
        sfn.test_state(**kwargs)
    assert excinfo.value.operation_name == "TestState"
    return error_of(excinfo)


class TestForwarding:
    def test_arguments_reach_the_runtime(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        response = sfn.test_state(
            definition=LAMBDA_TASK,
            roleArn=ROLE,
            input='{"a": 1}',
            inspectionLevel="DEBUG",
            variables='{"x": 2}',
            stateConfiguration={"retrierRetryCount": 1},
        )
        assert response["status"] == "SUCCEEDED"
        assert response["inspectionData"] == {"input": "{}"}
        assert "ResponseMetadata" in response
        (call,) = runtime.calls
        assert call["definition"] == json.loads(LAMBDA_TASK)
        assert call["state_name"] is None
        assert call["input_value"] == {"a": 1}
        assert call["inspection_level"] == "DEBUG"
        assert call["variables"] == {"x": 2}
        assert call["state_configuration"] == {"retrierRetryCount": 1}
        assert call["role_arn"] == ROLE
        assert call["reveal_secrets"] is False
        assert call["mock"] is None
        assert call["context"] is None
        assert call["services"] is sfn.services

    def test_defaults(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        response = sfn.test_state(definition=PASS_STATE)
        (call,) = runtime.calls
        assert call["input_value"] == {}
        assert call["inspection_level"] == "INFO"
        assert "inspectionData" not in response

    def test_full_definition_with_state_name(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
        sfn.test_state(definition=json.dumps(machine), stateName="B")
        assert runtime.calls[0]["definition"] == machine
        assert runtime.calls[0]["state_name"] == "B"

    def test_single_state_may_name_a_next_state_outside_the_definition(
        self, sfn: LocalStepFunctions, runtime: FakeRuntime
    ) -> None:
        sfn.test_state(definition=json.dumps({"Type": "Pass", "Next": "Elsewhere"}))
        assert len(runtime.calls) == 1

    def test_none_values_are_left_out(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        runtime.response = {"status": "FAILED", "error": "E", "cause": None, "output": None}
        assert set(sfn.test_state(definition=PASS_STATE)) == {"status", "error", "ResponseMetadata"}

    def test_runtime_definition_errors_are_invalid_definition(
        self, sfn: LocalStepFunctions, runtime: FakeRuntime
    ) -> None:
        runtime.error = DefinitionError("The field 'X' is not supported", location="/States/StateName/X")
        code, message = rejected(sfn, definition=PASS_STATE)
        assert code == "InvalidDefinition"
        assert message.startswith("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'X'")


class TestRequestChecks:
    def test_invalid_state(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        code, message = rejected(
            sfn, definition=json.dumps({"Type": "Parallel", "Branches": [], "End": True}), mock={"result": "[]"}
        )
        assert (code, message) == (
            "InvalidDefinition",
            (
                "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at "
                "/States/StateName/Branches'"
            ),
        )
        assert runtime.calls == []

    def test_invalid_state_in_a_full_definition(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        machine = {"StartAt": "S", "States": {"S": {"Type": "TypeThatDoesNotExist", "End": True}}}
        code, message = rejected(sfn, definition=json.dumps(machine), stateName="S")
        assert code == "InvalidDefinition"
        assert message == (
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of "
            "these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/S/Type'"
        )

    def test_unknown_state_name(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        machine = {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}
        code, _ = rejected(sfn, definition=json.dumps(machine), stateName="T")
        assert code == "ValidationException"

    def test_definition_that_is_not_json(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        code, message = rejected(sfn, definition="{nope")
        assert code == "InvalidDefinition"
        assert "INVALID_JSON_DESCRIPTION" in message

    @pytest.mark.parametrize("state", [MAP, PARALLEL])
    def test_map_and_parallel_need_a_mock(self, sfn: LocalStepFunctions, runtime: FakeRuntime, state: str) -> None:
        assert rejected(sfn, definition=state) == (
            "InvalidDefinition",
            (
                "TestState API does not support Map or Parallel states. Supported state types include: "
                "[Task, Wait, Pass, Succeed, Fail, Choice]"
            ),
        )

    @pytest.mark.parametrize("state", [MAP, PARALLEL])
    def test_mocked_result_of_map_and_parallel_is_an_array(
        self, sfn: LocalStepFunctions, runtime: FakeRuntime, state: str
    ) -> None:
        assert rejected(sfn, definition=state, mock={"result": '{"not": "an array"}'}) == (
            "ValidationException",
            "Mocked result must be an array.",
        )
        sfn.test_state(definition=state, mock={"result": "[1]"})
        assert runtime.calls[-1]["mock"] == {"result": "[1]"}

    def test_map_with_result_writer_may_mock_an_object(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        state = json.loads(MAP)
        state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
        state["ResultWriter"] = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}}
        sfn.test_state(definition=json.dumps(state), mock={"result": '{"ResultWriterDetails": {}}'})
        assert len(runtime.calls) == 1

    def test_map_failure_count_cannot_exceed_the_iterations(
        self, sfn: LocalStepFunctions, runtime: FakeRuntime
    ) -> None:
        assert rejected(
            sfn, definition=MAP, mock={"result": "[1, 1, 1]"}, stateConfiguration={"mapIterationFailureCount": 4}
        ) == (
            "ValidationException",
            "Map iteration failure count must be less than or equal to the number of Map iterations",
        )

    @pytest.mark.parametrize("state_type", ["Pass", "Wait", "Choice", "Succeed", "Fail"])
    def test_mock_only_for_tasks_maps_and_parallels(
        self, sfn: LocalStepFunctions, runtime: FakeRuntime, state_type: str
    ) -> None:
        states = {
            "Pass": {"Type": "Pass", "End": True},
            "Wait": {"Type": "Wait", "Seconds": 1, "End": True},
            "Choice": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "X"}]},
            "Succeed": {"Type": "Succeed"},
            "Fail": {"Type": "Fail"},
        }
        assert rejected(sfn, definition=json.dumps(states[state_type]), mock={"result": "{}"}) == (
            "ValidationException",
            f"State type '{state_type}' is not supported when a mock is specified",
        )

    def test_reveal_secrets_with_a_mock(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        assert rejected(sfn, definition=LAMBDA_TASK, mock={"result": "{}"}, revealSecrets=True) == (
            "ValidationException",
            "TestState does not support RevealSecrets when a mock is specified.",
        )

    def test_task_without_mock_needs_a_role(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        assert rejected(sfn, definition=LAMBDA_TASK) == (
            "ValidationException",
            "RoleArn must be specified when testing a Task state",
        )
        sfn.test_state(definition=LAMBDA_TASK, mock={"result": '{"StatusCode": 200}'})
        assert runtime.calls[-1]["role_arn"] is None

    def test_callback_tasks_need_a_mock(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        state = json.dumps(
            {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}
        )
        code, _ = rejected(sfn, definition=state, roleArn=ROLE)
        assert code == "ValidationException"
        sfn.test_state(definition=state, mock={"result": "{}"})

    def test_input_that_is_not_json(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        code, message = rejected(sfn, definition=PASS_STATE, input="nope")
        assert code == "InvalidExecutionInput"
        assert message.startswith("Invalid State Machine Execution Input: 'Unrecognized token 'nope'")

    def test_variables_must_be_an_object(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        assert rejected(sfn, definition=PASS_STATE, variables="[1]")[0] == "ValidationException"

    def test_mock_schema_validation(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        state = json.dumps({"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:kms:encrypt", "End": True})
        assert rejected(sfn, definition=state, mock={"result": '{"CiphertextBlob": 123}'}) == (
            "ValidationException",
            "Mock result schema validation error: Field 'CiphertextBlob' must be a string",
        )
        sfn.test_state(definition=state, mock={"result": '{"CiphertextBlob": 123}', "fieldValidationMode": "NONE"})
        assert len(runtime.calls) == 1

    def test_mock_error_output_is_forwarded(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        mock = {"errorOutput": {"error": "Boom", "cause": "bang"}}
        sfn.test_state(definition=LAMBDA_TASK, mock=mock)
        assert runtime.calls[0]["mock"] == mock


class TestContext:
    def test_valid_context_is_forwarded(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        sfn.test_state(definition=LAMBDA_TASK, mock={"result": "{}"}, context=json.dumps(CONTEXT))
        assert runtime.calls[0]["context"] == CONTEXT

    @pytest.mark.parametrize("context", ["{}", json.dumps(CONTEXT)])
    def test_a_context_needs_a_mock(self, sfn: LocalStepFunctions, runtime: FakeRuntime, context: str) -> None:
        """API_TestState.html: context "may only be specified if a mock is specified in the same request"."""
        assert rejected(sfn, definition=PASS_STATE, context=context) == (
            "ValidationException",
            "Invalid Context object provided: A Context object may only be specified together with a mock",
        )
        assert runtime.calls == []

    def test_an_empty_context_keeps_every_default(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        sfn.test_state(definition=LAMBDA_TASK, mock={"result": "{}"}, context="{}")
        assert runtime.calls[0]["context"] == {}

    @pytest.mark.parametrize(
        ("context", "message"),
        [
            ({"Pokedex": {}}, "Field 'Pokedex' is not allowed"),
            ({"Execution": {"pokemon": "squirtle"}}, "Field 'pokemon' is not allowed"),
            ({"Execution": {"Id": 1}}, "Execution.Id must be a string"),
            ({"State": {"RetryCount": "0"}}, "State.RetryCount must be an integer"),
            ({"Map": {}}, "'Map' field is not supported when mocking a Context object"),
            (
                {"Task": {"Token": "abc"}},
                (
                    "Context object contains 'Task' when state is not a Task state with a '.sync' or "
                    "'.waitForTaskToken' service integration pattern"
                ),
            ),
        ],
    )
    def test_invalid_context(
        self, sfn: LocalStepFunctions, runtime: FakeRuntime, context: dict[str, Any], message: str
    ) -> None:
        assert rejected(sfn, definition=LAMBDA_TASK, mock={"result": "{}"}, context=json.dumps(context)) == (
            "ValidationException",
            f"Invalid Context object provided: {message}",
        )

    def test_task_token_in_context_of_a_callback_task(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        state = json.dumps({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "End": True})
        sfn.test_state(definition=state, mock={"result": "{}"}, context=json.dumps({"Task": {"Token": "t"}}))
        assert runtime.calls[0]["context"] == {"Task": {"Token": "t"}}

    def test_mock_check_comes_before_the_context_check(self, sfn: LocalStepFunctions, runtime: FakeRuntime) -> None:
        context = json.dumps({"Task": {"Token": "t"}})
        assert rejected(sfn, definition=PASS_STATE, mock={"result": "{}"}, context=context) == (
            "ValidationException",
            "State type 'Pass' is not supported when a mock is specified",
        )
