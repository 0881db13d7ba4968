"""run.py: one attempt of the state, the status it ends in, Retry/Catch, the state under test."""

from __future__ import annotations

import json

import pytest

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.services import TaskOutcome
from constructs_sfn.local.teststate import run_test_state

from .support import (
    ERROR_MOCK,
    LAMBDA_ARN,
    LAMBDA_INVOKE,
    FakeService,
    output,
    run,
    try_state,
)


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


class TestRetryAndCatch:
    RETRY = (
        {"ErrorEquals": ["Other"]},
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 2},
    )

    def test_retriable_names_the_matching_retrier(self) -> None:
        state = {"Type": "Task", "Resource": LAMBDA_INVOKE, "Retry": list(self.RETRY), "End": True}

        response = run(state, mock=ERROR_MOCK)

        assert response["status"] == "RETRIABLE"
        assert response["inspectionData"]["errorDetails"] == {"retryBackoffIntervalSeconds": 3, "retryIndex": 1}
        assert "output" not in response
        assert "nextState" not in response

    def test_max_delay_caps_the_back_off(self) -> None:
        retrier = {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxDelaySeconds": 4}
        state = {"Type": "Task", "Resource": LAMBDA_INVOKE, "Retry": [retrier], "End": True}

        response = run(state, mock=ERROR_MOCK)

        assert response["inspectionData"]["errorDetails"]["retryBackoffIntervalSeconds"] == 4

    def test_spent_retrier_falls_through_to_the_catcher(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Retry": list(self.RETRY),
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handler"}],
            "End": True,
        }

        response = run(state, {"in": 1}, mock=ERROR_MOCK, state_configuration={"retrierRetryCount": 2})

        assert response["status"] == "CAUGHT_ERROR"
        assert response["nextState"] == "Handler"
        assert output(response) == {"in": 1, "error": {"Error": "Mock.Error", "Cause": "mocked"}}
        assert response["inspectionData"]["errorDetails"] == {"catchIndex": 0}

    def test_the_retry_count_is_the_context_retry_count(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Parameters": {"attempt.$": "$$.State.RetryCount"},
            "End": True,
        }

        response = run(state, mock={"result": "{}"}, state_configuration={"retrierRetryCount": 2})

        assert response["inspectionData"]["afterParameters"] == {"attempt": 2}

    def test_states_all_does_not_retry_a_runtime_error(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Parameters": {"x.$": "$.missing"},
            "Retry": [{"ErrorEquals": ["States.ALL"]}],
            "End": True,
        }

        response = run(state, mock={"result": "{}"})

        assert response["status"] == "FAILED"
        assert response["error"] == "States.Runtime"


class TestUnmockedMap:
    def test_iterations_run_as_in_an_execution_and_stay_out_of_the_inspection_data(self) -> None:
        worker = {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1}],
            "End": True,
        }
        state = {"Type": "Map", "ItemProcessor": {"StartAt": "W", "States": {"W": worker}}, "End": True}
        service = FakeService(TaskOutcome.failure("Flaky"), TaskOutcome.success("done"))

        response = run(state, [1, 2], services=service)

        assert response["status"] == "SUCCEEDED"
        assert output(response) == ["done", "done"]
        assert response["inspectionData"] == {
            "input": [1, 2],
            "afterInputPath": [1, 2],
            "afterResultSelector": ["done", "done"],
            "afterResultPath": ["done", "done"],
            "afterItemsPath": [1, 2],
            "maxConcurrency": 0,
        }
