"""Hostile output text given straight to ``Execution.send_task_success`` (the client checks it before,
as AWS does, but a caller may skip the client): Jackson's rules decide. A callback or activity
output Jackson refuses fails the task as any other output that is not JSON does; a number beyond
the double range is held as ``"Infinity"``; never an "Internal executor error"."""

from __future__ import annotations

from typing import Any

import pytest
from runtime_support import ACTIVITY_ARN, SQS_CALLBACK, FakeService, execute, single

from constructs_sfn.asl import Execution
from constructs_sfn.asl.services import TaskOutcome

ENTERED = "An error occurred while executing the state 'S' (entered at the event id #2). "
HOSTILE = ["[" * 3000 + "]" * 3000, '{"n": ' + "7" * 5000 + "}", '{"n": NaN}']


def callback() -> tuple[Execution, str]:
    service = FakeService(TaskOutcome.success({"MessageId": "m-1"}))
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": SQS_CALLBACK,
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
    }
    execution = execute(single(state), {}, services=service)
    token = service.requests[0].task_token
    assert token is not None
    return execution, token


def activity() -> tuple[Execution, str]:
    execution = execute(single({"Type": "Task", "Resource": ACTIVITY_ARN}), {})
    (token,) = execution.tokens
    return execution, token


@pytest.mark.parametrize("text", HOSTILE)
def test_a_callback_output_jackson_refuses_fails_the_task(text: str) -> None:
    execution, token = callback()
    assert execution.send_task_success(token, text) is True
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert execution.cause == f"{ENTERED}The task output is not valid JSON"


@pytest.mark.parametrize("text", HOSTILE)
def test_an_activity_output_jackson_refuses_fails_the_task(text: str) -> None:
    execution, token = activity()
    assert execution.send_task_success(token, text) is True
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert execution.cause == f"{ENTERED}The activity output is not valid JSON"


@pytest.mark.parametrize("start", [callback, activity])
def test_numbers_beyond_the_double_range_are_held_as_jackson_writes_them(start: Any) -> None:
    execution, token = start()
    execution.send_task_success(token, '{"big": 1e400, "small": -1e999}')
    assert (execution.status, execution.output_text) == ("SUCCEEDED", '{"big":"Infinity","small":"-Infinity"}')


@pytest.mark.parametrize("start", [callback, activity])
def test_outputs_as_deep_as_jackson_allows_resume(start: Any) -> None:
    execution, token = start()
    text = '{"a":' * 999 + "1" + "}" * 999
    execution.send_task_success(token, text)
    assert (execution.status, execution.output_text) == ("SUCCEEDED", text)
