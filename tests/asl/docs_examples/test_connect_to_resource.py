"""The worked examples of the developer guide's "Service Integration Patterns" page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from docs_support import Worker, entered, run, seconds_of

from constructs_sfn.asl import DefinitionError, parse_definition

QUEUE = "https://sqs.us-east-2.amazonaws.com/123456789012/myQueue"


def send_to_sqs() -> dict[str, Any]:
    """The page's ``Send message to SQS`` callback task and its ``NEXT_STATE``."""
    return {
        "StartAt": "Send message to SQS",
        "States": {
            "Send message to SQS": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {
                    "QueueUrl": QUEUE,
                    "MessageBody": {"Message": "Hello from Step Functions!", "TaskToken.$": "$$.Task.Token"},
                },
                "Next": "NEXT_STATE",
            },
            "NEXT_STATE": {"Type": "Pass", "End": True},
        },
    }


def test_request_response_goes_on_after_the_call() -> None:
    """``sns:publish`` without a suffix: the workflow moves on as soon as the service answers."""
    definition = {
        "StartAt": "Send message to SNS",
        "States": {
            "Send message to SNS": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {
                    "TopicArn": "arn:aws:sns:us-east-1:123456789012:myTopic",
                    "Message": "Hello from Step Functions!",
                },
                "Next": "NEXT_STATE",
            },
            "NEXT_STATE": {"Type": "Pass", "End": True},
        },
    }

    execution = run(definition, {}, worker=Worker(lambda _p: {"MessageId": "m-1"}))

    assert execution.status == "SUCCEEDED"
    assert entered(execution) == ["Send message to SNS", "NEXT_STATE"]


def test_a_callback_task_waits_for_its_token_and_takes_the_success_output() -> None:
    """The message carries ``$$.Task.Token``; the workflow pauses until SendTaskSuccess returns that
    token, and the output sent with it is the task's result.
    """
    worker = Worker(lambda _p: {"MessageId": "m-1"})

    execution = run(send_to_sqs(), {}, worker=worker)

    assert execution.status == "RUNNING"
    (token,) = execution.tokens
    assert worker.inputs == [
        {"QueueUrl": QUEUE, "MessageBody": {"Message": "Hello from Step Functions!", "TaskToken": token}}
    ]
    execution.send_task_success(token, '{"credit": "approved"}')
    assert execution.status == "SUCCEEDED"
    assert entered(execution) == ["Send message to SQS", "NEXT_STATE"]
    assert execution.output == {"credit": "approved"}


def test_a_callback_task_fails_with_the_error_sent_back() -> None:
    """SendTaskFailure with the token fails the task with the error and cause it carries."""
    execution = run(send_to_sqs(), {}, worker=Worker(lambda _p: {"MessageId": "m-1"}))
    (token,) = execution.tokens

    execution.send_task_failure(token, "CreditCheck.Rejected", "score too low")

    assert (execution.status, execution.error, execution.cause) == ("FAILED", "CreditCheck.Rejected", "score too low")


def test_input_and_token_together_in_parameters() -> None:
    """``"Input.$": "$"`` and ``"TaskToken.$": "$$.Task.Token"`` pass the whole input and the token."""
    definition = send_to_sqs()
    definition["States"]["Send message to SQS"]["Parameters"] = {"Input.$": "$", "TaskToken.$": "$$.Task.Token"}
    worker = Worker(lambda _p: {})

    execution = run(definition, {"order": 12}, worker=worker)

    (token,) = execution.tokens
    assert worker.inputs == [{"Input": {"order": 12}, "TaskToken": token}]


def heartbeat_machine() -> dict[str, Any]:
    """The page's heartbeat example. Its ``StartAt`` reads ``Push based to SQS`` while the state is
    ``Push to SQS``; as printed it is invalid, so the state name is used for ``StartAt`` here.
    """
    return {
        "StartAt": "Push to SQS",
        "States": {
            "Push to SQS": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "HeartbeatSeconds": 600,
                "Parameters": {
                    "MessageBody": {"myTaskToken.$": "$$.Task.Token"},
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/push-based-queue",
                },
                "ResultPath": "$.SQS",
                "End": True,
            }
        },
    }


def test_the_page_heartbeat_definition_as_printed_is_invalid() -> None:
    """``StartAt`` names no state of the machine (``Push based to SQS``)."""
    definition = copy.deepcopy(heartbeat_machine())
    definition["StartAt"] = "Push based to SQS"

    with pytest.raises(DefinitionError) as raised:
        parse_definition(definition)

    assert "Push based to SQS" in str(raised.value)


def test_a_waiting_task_without_heartbeats_times_out_after_heartbeat_seconds() -> None:
    """No token and no heartbeat within 600 s: the task fails with ``States.Timeout``."""
    execution = run(heartbeat_machine(), {"order": 1}, worker=Worker(lambda _p: {"MessageId": "m-1"}))

    execution.advance_clock(600)

    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")
    assert seconds_of(execution, "ExecutionFailed") == [600]


def test_heartbeats_keep_a_waiting_task_alive_and_result_path_keeps_the_input() -> None:
    """SendTaskHeartbeat within each 600 s keeps the task waiting; the result then lands at ``$.SQS``."""
    execution = run(heartbeat_machine(), {"order": 1}, worker=Worker(lambda _p: {"MessageId": "m-1"}))
    (token,) = execution.tokens

    for _ in range(3):
        execution.advance_clock(500)
        assert execution.send_task_heartbeat(token)
    execution.send_task_success(token, '{"done": true}')

    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    assert execution.output == {"order": 1, "SQS": {"done": True}}
