"""inspection.py: the inspectionData AWS reports for each state type and query language."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .support import (
    LAMBDA_ARN,
    LAMBDA_INVOKE,
    PROCESSOR,
    run,
    try_state,
)


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
