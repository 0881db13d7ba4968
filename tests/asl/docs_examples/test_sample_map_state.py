"""The sample project of the developer guide's "Dynamically Process Data with a Map State" page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/sample-map-state.html

The page's definition starts at ``Read messages from SQS Queue`` while the state is named
``Read Messages from SQS Queue`` (capital M): as printed it is not a valid definition, and the first
test says so. The others run it with the two names agreeing, the services played by a worker.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from docs_support import FakeService, entered, run

from constructs_sfn.asl import DefinitionError, parse_definition
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

READ = "MapSampleProj-ReadFromSQSQueueLambda-1MY3M63RMJVA9"
DELETE = "MapSampleProj-DeleteFromSQSQueueLambda-198J2839ZO5K2"
TOPIC = "arn:aws:sns:us-east-1:012345678910:MapSampleProj-SNSTopic-1CQO4HQ3IR1KN"
TABLE = "MapSampleProj-DDBTable-YJDJ1MKIN6C5"

PAGE_DEFINITION: dict[str, Any] = {
    "Comment": "An example of the Amazon States Language for reading messages from an SQS queue and iteratively processing each message.",
    "StartAt": "Read messages from SQS Queue",
    "States": {
        "Read Messages from SQS Queue": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "OutputPath": "$.Payload",
            "Parameters": {"FunctionName": READ},
            "Next": "Are there messages to process?",
        },
        "Are there messages to process?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$", "StringEquals": "No messages", "Next": "Finish"}],
            "Default": "Process messages",
        },
        "Process messages": {
            "Type": "Map",
            "Next": "Finish",
            "ItemsPath": "$",
            "Parameters": {"MessageNumber.$": "$$.Map.Item.Index", "MessageDetails.$": "$$.Map.Item.Value"},
            "Iterator": {
                "StartAt": "Write message to DynamoDB",
                "States": {
                    "Write message to DynamoDB": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::dynamodb:putItem",
                        "ResultPath": None,
                        "Parameters": {
                            "TableName": TABLE,
                            "ReturnConsumedCapacity": "TOTAL",
                            "Item": {
                                "MessageId": {"S.$": "$.MessageDetails.MessageId"},
                                "Body": {"S.$": "$.MessageDetails.Body"},
                            },
                        },
                        "Next": "Remove message from SQS queue",
                    },
                    "Remove message from SQS queue": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::lambda:invoke",
                        "InputPath": "$.MessageDetails",
                        "ResultPath": None,
                        "Parameters": {"FunctionName": DELETE, "Payload": {"ReceiptHandle.$": "$.ReceiptHandle"}},
                        "Next": "Publish message to SNS topic",
                    },
                    "Publish message to SNS topic": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::sns:publish",
                        "InputPath": "$.MessageDetails",
                        "Parameters": {
                            "Subject": "Message from Step Functions!",
                            "Message.$": "$.Body",
                            "TopicArn": TOPIC,
                        },
                        "End": True,
                    },
                },
            },
        },
        "Finish": {"Type": "Succeed"},
    },
}
MESSAGES = [
    {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": "hello"},
    {"MessageId": "m-2", "ReceiptHandle": "r-2", "Body": "world"},
]


def corrected() -> dict[str, Any]:
    """The page's definition with ``StartAt`` spelled as the state is."""
    definition = copy.deepcopy(PAGE_DEFINITION)
    definition["StartAt"] = "Read Messages from SQS Queue"
    return definition


def services(messages: Any) -> FakeService:
    """Lambda, DynamoDB and SNS as the sample uses them; the read function answers ``messages``."""

    def answer(request: TaskRequest) -> TaskOutcome:
        if request.resource.endswith("lambda:invoke"):
            if request.parameters["FunctionName"] == READ:
                return TaskOutcome.success({"StatusCode": 200, "Payload": messages})
            return TaskOutcome.success({"StatusCode": 200, "Payload": None})
        if request.resource.endswith("dynamodb:putItem"):
            return TaskOutcome.success({"ConsumedCapacity": {"TableName": TABLE, "CapacityUnits": 1.0}})
        return TaskOutcome.success({"MessageId": "sns-" + request.parameters["Message"]})

    return FakeService(answer)


def test_the_page_definition_as_printed_names_a_missing_start_state() -> None:
    """``StartAt`` must name a state of the machine; the page's differs in case from the state's name."""
    with pytest.raises(DefinitionError) as raised:
        parse_definition(PAGE_DEFINITION)

    assert "Read messages from SQS Queue" in str(raised.value)


def test_each_message_is_written_removed_and_published() -> None:
    """With messages, the Choice (``$`` is an array, not the string "No messages") goes to the Map;
    each iteration gets ``MessageNumber`` and ``MessageDetails``, writes the item, deletes by receipt
    handle and publishes the body; the discarded results (ResultPath null) leave the SNS answers.
    """
    worker = services(MESSAGES)

    execution = run(corrected(), {}, worker=worker)

    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    assert execution.output == [{"MessageId": "sns-hello"}, {"MessageId": "sns-world"}]
    calls = [(r.resource.rsplit(":", 1)[-1], r.parameters) for r in worker.requests]
    assert (
        "putItem",
        {
            "TableName": TABLE,
            "ReturnConsumedCapacity": "TOTAL",
            "Item": {"MessageId": {"S": "m-1"}, "Body": {"S": "hello"}},
        },
    ) in calls
    assert ("invoke", {"FunctionName": DELETE, "Payload": {"ReceiptHandle": "r-2"}}) in calls
    assert ("publish", {"Subject": "Message from Step Functions!", "Message": "world", "TopicArn": TOPIC}) in calls


def test_no_messages_goes_straight_to_finish() -> None:
    """When the read function answers the string ``No messages``, the Choice goes to Finish."""
    execution = run(corrected(), {}, worker=services("No messages"))

    assert execution.status == "SUCCEEDED"
    assert entered(execution) == ["Read Messages from SQS Queue", "Are there messages to process?", "Finish"]
    assert execution.output == "No messages"
