"""TestState as AWS answers it: context object, mocked Map/Parallel, retries, inspection fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest

from constructs_sfn.asl.runtime import VirtualClock
from constructs_sfn.asl.services import TaskOutcome
from constructs_sfn.local.teststate import TestStateScope, run_test_state

from .support import ACTIVITY_ARN, LAMBDA_INVOKE, SQS_CALLBACK, FakeService

ERROR_MOCK = {"errorOutput": {"error": "Mock.Error", "cause": "mocked"}}
SCOPE = TestStateScope(region="eu-west-1", account_id="111111111111", partition="aws")
PROCESSOR = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def run(state: dict[str, Any], input_value: Any = None, **options: Any) -> dict[str, Any]:
    """Run a bare state at DEBUG level in a fixed scope."""
    options.setdefault("inspection_level", "DEBUG")
    return run_test_state(
        definition=state,
        state_name=None,
        input_value={} if input_value is None else input_value,
        scope=SCOPE,
        **options,
    )


def output(response: dict[str, Any]) -> Any:
    """The decoded output."""
    return json.loads(response["output"])


CONTEXT_OUT = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.context %}", "End": True}


class TestContextObject:
    def test_an_express_execution_of_a_throw_away_machine(self) -> None:
        clock = VirtualClock(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))

        context = output(run(CONTEXT_OUT, {"a": 1}, clock=clock))

        execution, machine = context["Execution"], context["StateMachine"]
        assert execution["Id"] == f"arn:aws:states:eu-west-1:111111111111:express:{machine['Name']}:{execution['Name']}"
        assert machine["Id"] == f"arn:aws:states:eu-west-1:111111111111:stateMachine:{machine['Name']}"
        assert execution["Input"] == {"a": 1}
        assert execution["StartTime"] == "2025-01-02T03:04:05.000Z"
        assert execution["RoleArn"] is None
        assert "RedriveCount" not in execution
        assert context["State"] == {"Name": "StateName", "EnteredTime": "2025-01-02T03:04:05.000Z"}

    def test_the_role_shows_when_given(self) -> None:
        role = "arn:aws:iam::111111111111:role/R"

        assert output(run(CONTEXT_OUT, role_arn=role))["Execution"]["RoleArn"] == role

    def test_state_name_is_state_name_even_for_a_named_state_of_a_machine(self) -> None:
        definition = {"StartAt": "First", "States": {"First": CONTEXT_OUT}}

        response = run_test_state(definition=definition, state_name="First", input_value={})

        assert output(response)["State"]["Name"] == "StateName"

    @pytest.mark.parametrize(
        ("state", "has_retry_count"),
        [
            ({"Type": "Task", "Resource": LAMBDA_INVOKE, "ResultSelector": {"c.$": "$$.State"}, "End": True}, True),
            ({"Type": "Pass", "Parameters": {"c.$": "$$.State"}, "End": True}, False),
        ],
    )
    def test_retry_count_only_for_states_that_retry(self, state: dict[str, Any], has_retry_count: bool) -> None:
        options = {"mock": {"result": "{}"}} if state["Type"] == "Task" else {}

        assert ("RetryCount" in output(run(state, **options))["c"]) is has_retry_count

    def test_given_fields_replace_the_defaults(self) -> None:
        given = {"Execution": {"Name": "exec-1", "Input": {"given": True}}, "State": {"Name": "Mine", "RetryCount": 3}}

        context = output(run(CONTEXT_OUT, {"a": 1}, context=given))

        assert context["Execution"]["Name"] == "exec-1"
        assert context["Execution"]["Input"] == {"given": True}
        assert context["State"]["Name"] == "Mine"
        assert context["State"]["RetryCount"] == 3
        assert context["Execution"]["Id"].startswith("arn:aws:states:eu-west-1:111111111111:express:")

    def test_a_given_task_token_is_what_a_callback_task_sees(self) -> None:
        state = {
            "Type": "Task",
            "Resource": SQS_CALLBACK,
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "End": True,
        }

        response = run(state, mock={"result": "{}"}, context={"Task": {"Token": "given-token"}})

        assert response["inspectionData"]["afterParameters"]["MessageBody"]["token"] == "given-token"


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


MAP_JSONATA = {
    "Type": "Map",
    "QueryLanguage": "JSONata",
    "Items": "{% $states.input.values %}",
    "ItemProcessor": PROCESSOR,
    "End": True,
}


class TestMockedMap:
    def test_the_mock_is_the_whole_result(self) -> None:
        state = {**MAP_JSONATA, "Output": {"r": "{% $states.result %}"}}

        response = run(state, {"values": [1, 2]}, mock={"result": "[10, 20]"})

        assert response["status"] == "SUCCEEDED"
        assert output(response) == {"r": [10, 20]}
        assert response["inspectionData"] == {"input": {"values": [1, 2]}, "maxConcurrency": 0}

    @pytest.mark.parametrize(
        ("tolerance", "failures", "status"),
        [
            ({"ToleratedFailureCount": 1}, 1, "SUCCEEDED"),
            ({"ToleratedFailureCount": 1}, 2, "FAILED"),
            ({"ToleratedFailurePercentage": 50}, 2, "FAILED"),
            ({"ToleratedFailurePercentage": 70}, 2, "SUCCEEDED"),
            ({"ToleratedFailureCount": 5, "ToleratedFailurePercentage": 10}, 1, "FAILED"),
            ({}, 3, "SUCCEEDED"),
        ],
    )
    def test_failed_iterations_count_against_the_thresholds(
        self, tolerance: dict[str, Any], failures: int, status: str
    ) -> None:
        state = {**MAP_JSONATA, **tolerance}

        response = run(
            state,
            {"values": [1, 2, 3]},
            mock={"result": "[1, 2, 3]"},
            state_configuration={"mapIterationFailureCount": failures},
        )

        assert response["status"] == status
        if status == "FAILED":
            assert response["error"] == "States.ExceedToleratedFailureThreshold"
            assert response["cause"] == "The specified tolerated failure threshold was exceeded"

    def test_thresholds_are_reported(self) -> None:
        state = {
            **MAP_JSONATA,
            "ToleratedFailureCount": "{% 2 %}",
            "ToleratedFailurePercentage": 25,
            "MaxConcurrency": 4,
        }

        data = run(state, {"values": []}, mock={"result": "[]"})["inspectionData"]

        assert data["toleratedFailureCount"] == 2
        assert data["toleratedFailurePercentage"] == 25.0
        assert isinstance(data["toleratedFailurePercentage"], float)
        assert data["maxConcurrency"] == 4

    def test_a_mocked_error_fails_the_map_after_its_settings_are_evaluated(self) -> None:
        state = {"Type": "Map", "ItemsPath": "$.values", "ItemProcessor": PROCESSOR, "End": True}

        response = run(state, {"values": [1]}, mock=ERROR_MOCK, state_configuration={"errorCausedByState": "P"})

        assert (response["status"], response["error"], response["cause"]) == ("FAILED", "Mock.Error", "mocked")
        assert response["inspectionData"] == {
            "input": {"values": [1]},
            "afterInputPath": {"values": [1]},
            "afterItemsPath": [1],
            "maxConcurrency": 0,
        }

    def test_jsonpath_steps_around_the_mocked_result(self) -> None:
        state = {
            "Type": "Map",
            "InputPath": "$.in",
            "ItemsPath": "$.values",
            "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "tag.$": "$.tag"},
            "ItemBatcher": {"MaxItemsPerBatch": 2},
            "ItemProcessor": PROCESSOR,
            "ResultSelector": {"all.$": "$"},
            "ResultPath": "$.out",
            "End": True,
        }

        response = run(state, {"in": {"values": ["a", "b", "c"], "tag": "t"}}, mock={"result": "[1, 2, 3]"})

        selected = [{"value": v, "index": i, "tag": "t"} for i, v in enumerate(["a", "b", "c"])]
        assert response["inspectionData"] == {
            "input": {"in": {"values": ["a", "b", "c"], "tag": "t"}},
            "afterInputPath": {"values": ["a", "b", "c"], "tag": "t"},
            "afterResultSelector": {"all": [1, 2, 3]},
            "afterResultPath": {"in": {"values": ["a", "b", "c"], "tag": "t"}, "out": {"all": [1, 2, 3]}},
            "afterItemsPath": ["a", "b", "c"],
            "afterItemSelector": selected,
            "afterItemBatcher": [{"Items": selected[:2]}, {"Items": selected[2:]}],
            "maxConcurrency": 0,
        }

    @pytest.mark.parametrize(("items_path", "shown"), [("$$", "$"), ("$$.Execution.Input", "$.Execution.Input")])
    def test_items_that_are_not_an_array(self, items_path: str, shown: str) -> None:
        state = {"Type": "Map", "ItemsPath": items_path, "ItemProcessor": PROCESSOR, "End": True}

        response = run(state, {"not": "an array"}, mock={"result": "[]"})

        assert response["status"] == "FAILED"
        assert response["error"] == "States.Runtime"
        assert response["cause"] == f'Reference path "{shown}" must point to array.'

    @pytest.mark.parametrize(
        ("reader_config", "data", "items"),
        [
            ({"InputType": "JSON"}, "[1, 2]", [1, 2]),
            ({"InputType": "JSONL"}, '{"a": 1}\n{"a": 2}\n', [{"a": 1}, {"a": 2}]),
            ({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}, "h1,h2\nx,y\n", [{"h1": "x", "h2": "y"}]),
        ],
    )
    def test_item_reader_data_stands_in_for_the_reader(
        self, reader_config: dict[str, Any], data: str, items: list[Any]
    ) -> None:
        state = {
            "Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": reader_config},
            "ItemSelector": {"item.$": "$$.Map.Item.Value"},
            "ItemProcessor": {**PROCESSOR, "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
            "End": True,
        }

        response = run(state, {}, mock={"result": "[]"}, state_configuration={"mapItemReaderData": data})

        assert response["inspectionData"]["afterItemSelector"] == [{"item": item} for item in items]


class TestMockedParallel:
    BRANCHES: ClassVar[list[dict[str, Any]]] = [PROCESSOR, PROCESSOR]

    def test_the_mock_is_the_result_and_only_result_steps_are_reported(self) -> None:
        state = {"Type": "Parallel", "InputPath": "$.in", "ResultPath": "$.out", "Branches": self.BRANCHES, "End": True}

        response = run(state, {"in": {"a": 1}}, mock={"result": '["x", "y"]'})

        assert output(response) == {"in": {"a": 1}, "out": ["x", "y"]}
        assert response["inspectionData"] == {
            "input": {"in": {"a": 1}},
            "afterResultSelector": ["x", "y"],
            "afterResultPath": {"in": {"a": 1}, "out": ["x", "y"]},
        }

    def test_a_mocked_error_can_be_caught(self) -> None:
        state = {
            "Type": "Parallel",
            "Branches": self.BRANCHES,
            "Catch": [{"ErrorEquals": ["Mock.Error"], "Next": "Handler"}],
            "End": True,
        }

        response = run(state, mock=ERROR_MOCK)

        assert response["status"] == "CAUGHT_ERROR"
        assert output(response) == {"Error": "Mock.Error", "Cause": "mocked"}


class TestTasks:
    def test_a_mocked_activity_answers_without_a_worker(self) -> None:
        response = run({"Type": "Task", "Resource": ACTIVITY_ARN, "End": True}, {"x": 1}, mock={"result": '{"ok": 1}'})

        assert response["status"] == "SUCCEEDED"
        assert output(response) == {"ok": 1}
        assert response["inspectionData"]["result"] == {"ok": 1}

    def test_a_mocked_activity_error(self) -> None:
        response = run({"Type": "Task", "Resource": ACTIVITY_ARN, "End": True}, mock=ERROR_MOCK)

        assert (response["status"], response["error"]) == ("FAILED", "Mock.Error")

    def test_jsonata_task_reports_arguments_and_result_only(self) -> None:
        state = {
            "Type": "Task",
            "QueryLanguage": "JSONata",
            "Resource": LAMBDA_INVOKE,
            "Arguments": {"FunctionName": "f"},
            "Output": {"r": "{% $states.result %}"},
            "Next": "After",
        }

        response = run(state, {"a": 1}, mock={"result": '{"v": 2}'})

        assert response["nextState"] == "After"
        assert response["inspectionData"] == {
            "input": {"a": 1},
            "afterArguments": {"FunctionName": "f"},
            "result": {"v": 2},
        }


class TestInspectionFields:
    @pytest.mark.parametrize(
        "state",
        [
            {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": 1, "Next": "X"}]},
            {"Type": "Wait", "Seconds": 5, "Next": "X"},
            {"Type": "Succeed"},
        ],
    )
    def test_flow_states_report_the_input_path_only(self, state: dict[str, Any]) -> None:
        assert run(state, {"a": 1})["inspectionData"] == {"input": {"a": 1}, "afterInputPath": {"a": 1}}

    def test_jsonata_flow_states_report_the_input_only(self) -> None:
        state = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.a %}", "End": True}

        assert run(state, {"a": 1})["inspectionData"] == {"input": {"a": 1}}

    def test_variables_after_the_state(self) -> None:
        state = {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"x": "{% $x + 1 %}"}, "End": True}

        assert run(state, variables={"x": 1, "y": 0})["inspectionData"]["variables"] == {"x": 2, "y": 0}

    def test_no_variables_no_field(self) -> None:
        assert "variables" not in run({"Type": "Pass", "End": True}, variables={})["inspectionData"]

    def test_inspection_text_is_what_the_api_sends(self) -> None:
        state = {"Type": "Map", "QueryLanguage": "JSONata", "ItemProcessor": PROCESSOR, "End": True}

        data = run(state, [1], mock={"result": "[2]"}, inspection_text=True)["inspectionData"]

        assert data == {"input": "[1]", "maxConcurrency": 0}

    def test_info_level_reports_none(self) -> None:
        assert "inspectionData" not in run({"Type": "Pass", "End": True}, inspection_level="INFO")


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
