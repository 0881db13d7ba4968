"""mocked.py: what a mock stands in for: a Task's call, a Map's iterations, a Parallel's branches."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from constructs_sfn.asl.services import TaskOutcome

from .support import (
    ACTIVITY_ARN,
    ERROR_MOCK,
    LAMBDA_INVOKE,
    PROCESSOR,
    FakeService,
    output,
    run,
)

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


class TestItemReader:
    """API_TestStateConfiguration.html: mapItemReaderData is "The data read by ItemReader in
    Distributed Map states as found in its original source"; the reader's settings still apply.

    https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestStateConfiguration.html
    https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
    """

    @staticmethod
    def reader_map(reader: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return {
            "Type": "Map",
            "ItemReader": reader,
            "ItemProcessor": {**PROCESSOR, "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
            "End": True,
            **fields,
        }

    def test_max_items_limits_what_is_read(self) -> None:
        """ReaderConfig.MaxItems: "limit the number of data items passed to the Map state"."""
        state = self.reader_map(
            {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItems": 2}},
            ItemBatcher={"MaxItemsPerBatch": 5},
        )
        response = run(state, mock={"result": "[]"}, state_configuration={"mapItemReaderData": "[1, 2, 3, 4]"})
        assert response["inspectionData"]["afterItemBatcher"] == [{"Items": [1, 2]}]

    def test_csv_with_given_headers(self) -> None:
        config = {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"]}
        state = self.reader_map(
            {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": config},
            ItemSelector={"v.$": "$$.Map.Item.Value"},
        )
        response = run(state, mock={"result": "[]"}, state_configuration={"mapItemReaderData": "1,2\n3,4\n"})
        assert response["inspectionData"]["afterItemSelector"] == [
            {"v": {"a": "1", "b": "2"}},
            {"v": {"a": "3", "b": "4"}},
        ]

    def test_an_object_listing(self) -> None:
        """An ``s3:listObjectsV2`` reader reads the bucket's listing: one item per object."""
        state = self.reader_map(
            {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}},
            ItemSelector={"key.$": "$$.Map.Item.Value.Key"},
        )
        listing = '[{"Key": "one.txt", "Size": 1}, {"Key": "two.txt", "Size": 2}]'
        response = run(state, mock={"result": "[]"}, state_configuration={"mapItemReaderData": listing})
        assert response["inspectionData"]["afterItemSelector"] == [{"key": "one.txt"}, {"key": "two.txt"}]

    def test_without_reader_data_the_reader_reads_its_source(self) -> None:
        """Without mapItemReaderData the reader's resource is called, as in an execution."""
        service = FakeService(TaskOutcome.success({"Body": '["from", "s3"]'}))
        state = self.reader_map(
            {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key.$": "$.key"}},
            ItemSelector={"v.$": "$$.Map.Item.Value"},
        )
        response = run(state, {"key": "items.json"}, mock={"result": "[]"}, services=service)
        assert response["inspectionData"]["afterItemSelector"] == [{"v": "from"}, {"v": "s3"}]
        (request,) = service.requests
        assert (request.resource, request.parameters) == (
            "arn:aws:states:::s3:getObject",
            {"Bucket": "b", "Key": "items.json"},
        )

    def test_unreadable_reader_data_fails_the_state(self) -> None:
        state = self.reader_map({"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}})
        response = run(state, mock={"result": "[]"}, state_configuration={"mapItemReaderData": "[1,"})
        assert (response["status"], response["error"]) == ("FAILED", "States.ItemReaderFailed")
