"""Hostile JSON text through the client: AWS's error codes (or, within AWS's limits, a normal
execution), never RecursionError, ValueError or an "Internal executor error"."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.json_text import JsonSyntaxError, held_json_text, parse_json_text

from .helpers import CALLBACK, RecordingService, create, definition, error_of

DEPTH = "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)"
LENGTH = (
    "Number value length (5000) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)"
)
NAN = "Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"
ECHO = definition({"Echo": {"Type": "Pass", "Parameters": {"value.$": "$"}, "End": True}})


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def described(sfn: LocalStepFunctions, input_text: str) -> dict[str, object]:
    arn = create(sfn, "echo", ECHO)
    started = sfn.start_execution(stateMachineArn=arn, input=input_text)
    return sfn.describe_execution(executionArn=started["executionArn"])


class TestReader:
    def test_as_deep_as_jackson_allows(self) -> None:
        value = parse_json_text(deep(1000))
        for _ in range(999):
            value = value[0]
        assert value == []

    @pytest.mark.parametrize("text", [deep(1001), deep_object(1001), "[" * 100_000])
    def test_deeper_is_jacksons_error(self, text: str) -> None:
        with pytest.raises(JsonSyntaxError) as excinfo:
            parse_json_text(text)
        assert excinfo.value.message == DEPTH
        assert (excinfo.value.line, excinfo.value.column) == (1, 1002 if text[1] == "[" else 5002)

    def test_long_numbers_are_jacksons_error(self) -> None:
        with pytest.raises(JsonSyntaxError) as excinfo:
            parse_json_text("[" + "1" * 5000 + "]")
        assert excinfo.value.message == LENGTH

    def test_time_is_linear_in_the_text(self) -> None:
        # 100,000 containers before the error: working out each one's line and column eagerly
        # (quadratic) took minutes; the positions are now only turned into lines for a message.
        text = "[" + "[1],\n" * 100_000 + "x"
        started = time.perf_counter()
        with pytest.raises(JsonSyntaxError, match="Unrecognized token 'x'"):
            parse_json_text(text)
        assert time.perf_counter() - started < 15

    def test_huge_floats_are_held_as_jackson_writes_them(self) -> None:
        assert parse_json_text("[1e400, -1e400, 1e-400]") == ["Infinity", "-Infinity", 0.0]
        assert held_json_text("[1e400]", ["Infinity"]) == '["Infinity"]'
        assert held_json_text("[1.5]", [1.5]) == "[1.5]"


class TestStartExecution:
    def test_a_thousand_levels_run(self, sfn: LocalStepFunctions) -> None:
        body = described(sfn, deep(1000))
        assert body["status"] == "SUCCEEDED"
        assert json.loads(str(body["output"]))["value"] == json.loads(deep(1000))

    @pytest.mark.parametrize(
        ("text", "message"),
        [(deep(1001), DEPTH), (deep_object(2000), DEPTH), ('{"n": ' + "7" * 5000 + "}", LENGTH), ("NaN", NAN)],
    )
    def test_text_jackson_refuses_is_invalid_execution_input(
        self, sfn: LocalStepFunctions, text: str, message: str
    ) -> None:
        arn = create(sfn, "echo", ECHO)
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=arn, input=text)
        assert error_of(excinfo) == ("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{message}'")

    def test_numbers_beyond_the_double_range_run(self, sfn: LocalStepFunctions) -> None:
        body = described(sfn, '{"big": 1e400, "small": -1e999}')
        assert body["status"] == "SUCCEEDED"
        assert json.loads(str(body["output"])) == {"value": {"big": "Infinity", "small": "-Infinity"}}

    def test_lone_surrogates_are_kept(self, sfn: LocalStepFunctions) -> None:
        body = described(sfn, '{"s": "\\ud800"}')
        assert body["status"] == "SUCCEEDED"
        assert body["output"] == '{"value":{"s":"\ud800"}}'


class TestSendTaskSuccess:
    def waiting(self, sfn: LocalStepFunctions, service: RecordingService) -> tuple[str, str]:
        started = sfn.start_execution(stateMachineArn=create(sfn, "cb", CALLBACK), input="{}")
        return started["executionArn"], service.tokens[-1]

    @pytest.mark.parametrize(("text", "message"), [(deep(1001), DEPTH), ("1" * 5000, LENGTH), ("NaN", NAN)])
    def test_output_jackson_refuses_is_invalid_output(
        self, sfn: LocalStepFunctions, service: RecordingService, text: str, message: str
    ) -> None:
        arn, token = self.waiting(sfn, service)
        with pytest.raises(ClientError) as excinfo:
            sfn.send_task_success(taskToken=token, output=text)
        assert error_of(excinfo) == ("InvalidOutput", f"Invalid Output: '{message}'")
        assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"

    def test_deep_output_resumes_the_execution(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        arn, token = self.waiting(sfn, service)
        sfn.send_task_success(taskToken=token, output=deep_object(999))
        assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"

    def test_huge_floats_resume_the_execution(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        arn, token = self.waiting(sfn, service)
        sfn.send_task_success(taskToken=token, output='{"x": 1e400}')
        body = sfn.describe_execution(executionArn=arn)
        assert (body["status"], body["output"]) == ("SUCCEEDED", '{"x":"Infinity"}')


class TestDefinitions:
    def text(self, result: str) -> str:
        return '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":' + result + ',"End":true}}}'

    @pytest.mark.parametrize(
        ("result", "message"), [(deep(1000), "Document nesting depth (1001)"), ("1" * 5000, LENGTH)]
    )
    def test_create_refuses_what_jackson_refuses(self, sfn: LocalStepFunctions, result: str, message: str) -> None:
        with pytest.raises(ClientError) as excinfo:
            create(sfn, "deep", self.text(result))
        code, text = error_of(excinfo)
        assert code == "InvalidDefinition"
        assert text.startswith(f"Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: {message}")

    def test_validate_reports_depth_as_a_diagnostic(self, sfn: LocalStepFunctions) -> None:
        body = sfn.validate_state_machine_definition(definition=self.text(deep(1000)))
        assert body["result"] == "FAIL"
        [diagnostic] = body["diagnostics"]
        assert diagnostic["code"] == "INVALID_JSON_DESCRIPTION"
        assert diagnostic["message"].startswith("Document nesting depth (1001)")

    def test_a_definition_at_the_limit_is_created_and_runs(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "deep", self.text(deep(996)))  # 4 levels of the machine itself
        started = sfn.start_execution(stateMachineArn=arn)
        assert sfn.describe_execution(executionArn=started["executionArn"])["status"] == "SUCCEEDED"


class TestTestState:
    PASS = json.dumps({"Type": "Pass", "End": True})

    def test_deep_input_runs(self, sfn: LocalStepFunctions) -> None:
        assert sfn.test_state(definition=self.PASS, input=deep(1000))["output"] == deep(1000)

    def test_too_deep_input_is_invalid(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.test_state(definition=self.PASS, input=deep(1001))
        assert error_of(excinfo) == ("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{DEPTH}'")

    def test_too_deep_variables_are_a_validation_error(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.test_state(definition=self.PASS, input="{}", variables='{"v": ' + deep(1000) + "}")
        code, message = error_of(excinfo)
        assert code == "ValidationException"
        assert DEPTH in message

    def test_huge_numbers_give_jacksons_output(self, sfn: LocalStepFunctions) -> None:
        body = sfn.test_state(definition='{"Type":"Pass","Result":[1e999],"End":true}', input="1e400")
        assert body["output"] == '["Infinity"]'

    def test_a_thousand_deep_choice_rule_is_evaluated(self, sfn: LocalStepFunctions) -> None:
        rule = '{"Not":' * 996 + '{"Variable":"$.a","IsPresent":true}' + "}" * 996
        text = '{"Type":"Choice","Choices":[' + rule[:-1] + ',"Next":"Yes"}],"Default":"No"}'
        assert sfn.test_state(definition=text, input='{"a": 1}')["nextState"] == "Yes"
