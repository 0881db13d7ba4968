"""run_test_state: one state in isolation, TestState's statuses, inspection data and mocks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.services import TaskOutcome
from constructs_sfn.local.teststate import run_test_state

from .support import LAMBDA_ARN, LAMBDA_INVOKE, FakeService


def try_state(state: dict[str, Any], input_value: Any = None, **options: Any) -> dict[str, Any]:
    """Run ``state`` (a bare state document) through TestState."""
    return run_test_state(
        definition=state, state_name=None, input_value={} if input_value is None else input_value, **options
    )


ERROR_MOCK = {"errorOutput": {"error": "Mock.Error", "cause": "mocked"}}


class TestStatuses:
    def test_succeeded_with_output_text_and_next_state(self) -> None:
        response = try_state({"Type": "Pass", "Result": {"a": 1}, "Next": "Later"}, {"in": 1})

        assert response == {"status": "SUCCEEDED", "output": '{"a":1}', "nextState": "Later"}

    def test_an_end_state_has_no_next_state(self) -> None:
        response = try_state({"Type": "Pass", "End": True}, {"in": 1})

        assert response == {"status": "SUCCEEDED", "output": '{"in":1}'}

    def test_failed_fail_state(self) -> None:
        response = try_state({"Type": "Fail", "Error": "SomeFailure", "Cause": "because"}, {"Value": "x"})

        assert response == {"status": "FAILED", "error": "SomeFailure", "cause": "because"}

    def test_failed_without_cause_omits_it(self) -> None:
        response = try_state({"Type": "Fail", "Error": "OnlyError"})

        assert response == {"status": "FAILED", "error": "OnlyError"}

    def test_failed_task_from_a_mocked_error(self) -> None:
        response = try_state({"Type": "Task", "Resource": LAMBDA_INVOKE, "End": True}, mock=ERROR_MOCK)

        assert response == {"status": "FAILED", "error": "Mock.Error", "cause": "mocked"}

    def test_retriable_reports_the_back_off_it_would_wait(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Retry": [{"ErrorEquals": ["Other"]}, {"ErrorEquals": ["Mock.Error"], "IntervalSeconds": 3}],
            "End": True,
        }

        response = try_state(state, mock=ERROR_MOCK, inspection_level="DEBUG")

        assert response["status"] == "RETRIABLE"
        assert (response["error"], response["cause"]) == ("Mock.Error", "mocked")
        assert response["inspectionData"]["errorDetails"] == {"retryBackoffIntervalSeconds": 3, "retryIndex": 1}
        assert "output" not in response

    def test_retrier_retry_count_scales_the_back_off(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Retry": [{"ErrorEquals": ["Mock.Error"], "IntervalSeconds": 4, "BackoffRate": 3, "MaxAttempts": 3}],
            "End": True,
        }

        response = try_state(
            state, mock=ERROR_MOCK, inspection_level="DEBUG", state_configuration={"retrierRetryCount": 2}
        )

        assert response["status"] == "RETRIABLE"
        assert response["inspectionData"]["errorDetails"] == {"retryBackoffIntervalSeconds": 36, "retryIndex": 0}

    def test_retrier_retry_count_keeps_the_matching_retry_index(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Retry": [{"ErrorEquals": ["Other"]}, {"ErrorEquals": ["Mock.Error"], "IntervalSeconds": 3}],
            "End": True,
        }

        response = try_state(
            state, mock=ERROR_MOCK, inspection_level="DEBUG", state_configuration={"retrierRetryCount": 1}
        )

        assert response["inspectionData"]["errorDetails"] == {"retryBackoffIntervalSeconds": 6, "retryIndex": 1}

    def test_exhausted_retries_fall_through_to_failed(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Retry": [{"ErrorEquals": ["Mock.Error"], "MaxAttempts": 2}],
            "End": True,
        }

        response = try_state(state, mock=ERROR_MOCK, state_configuration={"retrierRetryCount": 2})

        assert response == {"status": "FAILED", "error": "Mock.Error", "cause": "mocked"}

    def test_caught_error_follows_the_catcher(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Catch": [
                {"ErrorEquals": ["Nope"], "Next": "A"},
                {"ErrorEquals": ["Mock.Error"], "Next": "Handler", "ResultPath": "$.error"},
            ],
            "End": True,
        }

        response = try_state(state, {"in": 1}, mock=ERROR_MOCK, inspection_level="DEBUG")

        assert response["status"] == "CAUGHT_ERROR"
        assert (response["error"], response["cause"]) == ("Mock.Error", "mocked")
        assert response["nextState"] == "Handler"
        assert json.loads(response["output"]) == {"in": 1, "error": {"Error": "Mock.Error", "Cause": "mocked"}}
        assert response["inspectionData"]["errorDetails"] == {"catchIndex": 1}

    def test_exhausted_retries_then_caught(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Retry": [{"ErrorEquals": ["Mock.Error"], "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}],
            "End": True,
        }

        response = try_state(state, mock=ERROR_MOCK, state_configuration={"retrierRetryCount": 1})

        assert response["status"] == "CAUGHT_ERROR"
        assert response["nextState"] == "H"

    def test_jsonata_catcher_output_sees_states(self) -> None:
        state = {
            "QueryLanguage": "JSONata",
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Arguments": {"FunctionName": "foo"},
            "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Output": "{% $states.errorOutput %}", "Next": "H"}],
            "End": True,
        }

        response = try_state(state, mock={"errorOutput": {"error": "States.TaskFailed", "cause": "The task failed."}})

        assert response["status"] == "CAUGHT_ERROR"
        assert json.loads(response["output"]) == {"Error": "States.TaskFailed", "Cause": "The task failed."}

    def test_choice_reports_the_chosen_next_state(self) -> None:
        state = {
            "Type": "Choice",
            "Choices": [{"Variable": "$.value", "NumericGreaterThan": 10, "Next": "Big"}],
            "Default": "Small",
        }

        assert try_state(state, {"value": 22})["nextState"] == "Big"
        assert try_state(state, {"value": 2})["nextState"] == "Small"

    def test_a_wait_state_completes(self) -> None:
        response = try_state({"Type": "Wait", "Seconds": 86400, "Next": "After"}, {"x": 1})

        assert response == {"status": "SUCCEEDED", "output": '{"x":1}', "nextState": "After"}


class TestInspectionData:
    def test_info_level_has_no_inspection_data(self) -> None:
        assert "inspectionData" not in try_state({"Type": "Pass", "End": True}, inspection_level="INFO")

    @pytest.mark.parametrize("level", ["DEBUG", "TRACE"])
    def test_pass_with_every_processing_step(self, level: str) -> None:
        state = {
            "Type": "Pass",
            "InputPath": "$.initialData",
            "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"},
            "ResultPath": "$.modifiedData",
            "End": True,
        }
        input_value = {"initialData": {"fieldFromInput": "value from input", "otherField": "other"}, "keep": 1}

        response = try_state(state, input_value, inspection_level=level)

        params = {"staticValue": "some value", "inputValue": "value from input"}
        assert response["inspectionData"] == {
            "input": input_value,
            "afterInputPath": input_value["initialData"],
            "afterParameters": params,
            "afterResultSelector": params,
            "afterResultPath": {**input_value, "modifiedData": params},
        }

    def test_task_with_a_mocked_result(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "ResultSelector": {"value.$": "$.Payload"},
            "ResultPath": "$.out",
            "End": True,
        }

        response = try_state(state, {"n": 1}, inspection_level="DEBUG", mock={"result": '{"Payload": 42}'})

        assert response["status"] == "SUCCEEDED"
        assert json.loads(response["output"]) == {"n": 1, "out": {"value": 42}}
        assert response["inspectionData"] == {
            "input": {"n": 1},
            "afterInputPath": {"n": 1},
            "afterParameters": {"FunctionName": "f", "Payload": {"n": 1}},
            "result": {"Payload": 42},
            "afterResultSelector": {"value": 42},
            "afterResultPath": {"n": 1, "out": {"value": 42}},
        }

    def test_jsonata_task_records_after_arguments(self) -> None:
        state = {
            "QueryLanguage": "JSONata",
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Arguments": {"FunctionName": "foo", "Payload": "{% $states.input.v %}"},
            "End": True,
        }

        response = try_state(state, {"v": "bar"}, inspection_level="DEBUG", mock={"result": "{}"})

        assert response["inspectionData"]["afterArguments"] == {"FunctionName": "foo", "Payload": "bar"}

    def test_after_parameters_without_parameters(self) -> None:
        response = try_state(
            {"Type": "Task", "Resource": LAMBDA_ARN, "End": True},
            {"inputData": "HelloWorld"},
            inspection_level="DEBUG",
            mock={"result": '"HelloWorld!"'},
        )

        assert response["inspectionData"] == {
            "input": {"inputData": "HelloWorld"},
            "afterInputPath": {"inputData": "HelloWorld"},
            "afterParameters": {"inputData": "HelloWorld"},
            "result": "HelloWorld!",
            "afterResultSelector": "HelloWorld!",
            "afterResultPath": "HelloWorld!",
        }

    def test_pass_with_result(self) -> None:
        response = try_state(
            {"Type": "Pass", "Result": {"resultKey": "result value"}, "End": True},
            {"Value": "HelloWorld"},
            inspection_level="TRACE",
        )

        assert response["inspectionData"] == {
            "input": {"Value": "HelloWorld"},
            "result": {"resultKey": "result value"},
            "afterResultSelector": {"resultKey": "result value"},
            "afterResultPath": {"resultKey": "result value"},
        }

    def test_variables_are_visible_and_reported(self) -> None:
        response = try_state(
            {"Type": "Pass", "Parameters": {"v.$": "$limit"}, "End": True},
            inspection_level="DEBUG",
            variables={"limit": 5},
        )

        assert json.loads(response["output"]) == {"v": 5}
        assert response["inspectionData"]["variables"] == {"limit": 5}

    def test_context_overrides_the_context_object(self) -> None:
        response = try_state(
            {
                "Type": "Pass",
                "Parameters": {"name.$": "$$.Execution.Name", "sm.$": "$$.StateMachine.Name"},
                "End": True,
            },
            context={"Execution": {"Name": "exec-1"}, "StateMachine": {"Name": "Machine"}},
        )

        assert json.loads(response["output"]) == {"name": "exec-1", "sm": "Machine"}

    def test_map_with_a_mocked_result(self) -> None:
        state = {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "End": True,
        }

        response = try_state(state, [1, 2], inspection_level="DEBUG", mock={"result": "[7, 8]"})

        assert response["output"] == "[7,8]"
        assert response["inspectionData"]["maxConcurrency"] == 0


class TestDefinitions:
    def test_a_state_picked_from_a_full_definition(self) -> None:
        definition = {
            "StartAt": "A",
            "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Result": "b", "End": True}},
        }

        response = run_test_state(definition=definition, state_name="B", input_value={})

        assert response == {"status": "SUCCEEDED", "output": '"b"'}

    def test_the_start_state_is_the_default(self) -> None:
        definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": True}}}

        assert run_test_state(definition=definition, state_name=None, input_value={})["output"] == '"a"'

    def test_an_unknown_state_name_is_a_definition_error(self) -> None:
        definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}

        with pytest.raises(DefinitionError) as raised:
            run_test_state(definition=definition, state_name="Nope", input_value={})

        assert raised.value.code == "INVALID_STATE_NAME"

    def test_an_unknown_state_type_is_a_definition_error(self) -> None:
        with pytest.raises(DefinitionError):
            try_state({"Type": "Bogus"})

    def test_an_invalid_mock_result_is_a_definition_error(self) -> None:
        with pytest.raises(DefinitionError):
            try_state({"Type": "Task", "Resource": LAMBDA_INVOKE, "End": True}, mock={"result": "{not json"})

    def test_services_run_the_task_when_there_is_no_mock(self) -> None:
        service = FakeService(TaskOutcome.success({"from": "service"}))

        response = try_state({"Type": "Task", "Resource": LAMBDA_ARN, "End": True}, services=service)

        assert response == {"status": "SUCCEEDED", "output": '{"from":"service"}'}
        assert len(service.requests) == 1

    def test_a_mock_replaces_the_service(self) -> None:
        service = FakeService(TaskOutcome.success({"from": "service"}))

        response = try_state(
            {"Type": "Task", "Resource": LAMBDA_ARN, "End": True}, services=service, mock={"result": '"mocked"'}
        )

        assert response["output"] == '"mocked"'
        assert service.requests == []

    def test_a_mock_resolves_a_callback_task(self) -> None:
        response = try_state(
            {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True},
            mock={"result": '{"cb": 1}'},
        )

        assert response == {"status": "SUCCEEDED", "output": '{"cb":1}'}
