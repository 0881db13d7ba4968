"""Wrong calls of the Python API: boto3's errors where boto3 has one, otherwise a TypeError or
ValueError that names the argument and what was expected; never OverflowError."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ParamValidationError

from constructs_sfn.integrations.mock_config import MockConfig
from constructs_sfn.local import LocalStepFunctions

from .helpers import PASS, create, definition

# A task waiting for its token for up to 30,000,000 seconds: the execution stays parked.
WAIT_LONG = definition(
    {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
            "TimeoutSeconds": 30_000_000,
            "End": True,
        }
    }
)


def boto3_error(operation: str, **params: Any) -> str:
    """What real boto3 reports for ``params`` (it validates before sending anything)."""
    client = boto3.client("stepfunctions", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with pytest.raises(ParamValidationError) as excinfo:
        getattr(client, operation)(**params)
    return str(excinfo.value)


class TestBoto3CallingConvention:
    def test_unknown_parameter_is_boto3s_error(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn)
        with pytest.raises(ParamValidationError) as excinfo:
            sfn.start_execution(stateMachineArn=arn, foo=1)
        assert str(excinfo.value) == boto3_error("start_execution", stateMachineArn=arn, foo=1)
        assert 'Unknown parameter in input: "foo", must be one of: stateMachineArn, name, input, traceHeader' in str(
            excinfo.value
        )

    def test_missing_parameter_is_boto3s_error(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ParamValidationError) as excinfo:
            sfn.send_task_success(taskToken="t")
        assert str(excinfo.value) == boto3_error("send_task_success", taskToken="t")

    def test_unknown_and_missing_together(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ParamValidationError) as excinfo:
            sfn.create_state_machine(name="m", definiton=PASS, roleArn="arn:aws:iam::123456789012:role/r")
        message = str(excinfo.value)
        assert 'Missing required parameter in input: "definition"' in message
        assert 'Unknown parameter in input: "definiton"' in message

    def test_every_operation_checks(self, sfn: LocalStepFunctions) -> None:
        for method in ("describe_execution", "list_state_machines", "test_state", "get_activity_task"):
            with pytest.raises(ParamValidationError, match='Unknown parameter in input: "bogus"'):
                getattr(sfn, method)(bogus=True)

    def test_positional_arguments_are_refused_as_boto3_refuses_them(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(TypeError, match=r"^start_execution\(\) only accepts keyword arguments\.$"):
            sfn.start_execution(create(sfn))

    def test_wrong_types_are_boto3s_error(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ParamValidationError, match="Invalid type for parameter input"):
            sfn.start_execution(stateMachineArn=create(sfn), input={"not": "text"})

    def test_correct_calls_still_work(self, sfn: LocalStepFunctions) -> None:
        started = sfn.start_execution(stateMachineArn=create(sfn), input="{}")
        assert sfn.describe_execution(executionArn=started["executionArn"])["status"] == "SUCCEEDED"
        assert sfn.start_execution.__name__ == "start_execution"
        assert "StartExecution" in (sfn.start_execution.__doc__ or "")


class TestMockConfigArgument:
    @pytest.mark.parametrize("value", [[1], 5, 1.5, b"{}"])
    def test_wrong_types_name_the_argument(self, value: Any) -> None:
        with pytest.raises(TypeError) as excinfo:
            LocalStepFunctions(mock_config=value)
        message = str(excinfo.value)
        assert message.startswith("mock_config must be a MockConfig, the mock configuration's JSON object")
        assert message.endswith(f"not {type(value).__name__}")

    def test_accepted_forms(self, tmp_path: Path) -> None:
        data = {"StateMachines": {}, "MockedResponses": {}}
        path = tmp_path / "MockConfigFile.json"
        path.write_text(json.dumps(data))
        for value in (data, MockConfig.from_dict(data), path, str(path)):
            assert LocalStepFunctions(mock_config=value).services is not None


class TestAdvanceClock:
    @pytest.mark.parametrize("value", [None, "10", True, [1]])
    def test_non_numbers_name_the_argument(self, sfn: LocalStepFunctions, value: Any) -> None:
        with pytest.raises(TypeError, match=r"advance_clock\(seconds=\.\.\.\) takes a number of seconds"):
            sfn.advance_clock(value)

    @pytest.mark.parametrize("value", [-1, math.nan, -math.inf])
    def test_negative_or_nan_is_refused(self, sfn: LocalStepFunctions, value: float) -> None:
        with pytest.raises(ValueError, match="must not be negative or NaN"):
            sfn.advance_clock(value)

    @pytest.mark.parametrize("value", [math.inf, 1e12, 1e300, 10**30])
    def test_past_the_end_of_time_is_refused_before_anything_moves(self, sfn: LocalStepFunctions, value: float) -> None:
        started = sfn.start_execution(stateMachineArn=create(sfn, "wait", WAIT_LONG))
        before = sfn.local_execution(started["executionArn"]).clock.now()
        with pytest.raises(ValueError, match=r"would move the clock past 9999-12-31T23:59:59Z.*at most \d+ seconds"):
            sfn.advance_clock(value)
        assert sfn.local_execution(started["executionArn"]).clock.now() == before
        assert sfn.describe_execution(executionArn=started["executionArn"])["status"] == "RUNNING"

    def test_the_long_wait_still_ends(self, sfn: LocalStepFunctions) -> None:
        started = sfn.start_execution(stateMachineArn=create(sfn, "wait", WAIT_LONG))
        sfn.advance_clock(30_000_000)
        body = sfn.describe_execution(executionArn=started["executionArn"])
        assert (body["status"], body["error"]) == ("FAILED", "States.Timeout")
