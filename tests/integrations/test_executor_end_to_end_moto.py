"""Real state machines, real boto3 clients, a real AWS API: SDK tasks against moto on loopback.

The tests start a moto server on 127.0.0.1, create tables, queues, topics and buckets with boto3,
and run state machines through ``LocalStepFunctions`` whose Task states call those services via
``Boto3Integrations``. Each test checks both sides: what the execution reports (output, history
events) and what the call left behind in the service, read back with a plain boto3 client.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from constructs_sfn.integrations import Boto3Integrations, TaskServices
from constructs_sfn.local import LocalStepFunctions

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/sfn"


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def session(moto_endpoint: str) -> Any:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


@pytest.fixture(scope="module")
def aws(session: Any, moto_endpoint: str) -> Any:
    """``aws("sqs")``: a plain boto3 client on moto, to arrange resources and inspect side effects."""

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=moto_endpoint)

    return client


@pytest.fixture
def sfn(session: Any, moto_endpoint: str) -> LocalStepFunctions:
    """The local Step Functions client whose SDK tasks go to moto through real boto3 clients."""
    services = TaskServices(read_env=False, sdk=Boto3Integrations(session=session, endpoint_url=moto_endpoint))
    return LocalStepFunctions(region=REGION, services=services)


@pytest.fixture
def table(aws: Any) -> str:
    name = _unique("orders")
    aws("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


@pytest.fixture
def queue(aws: Any) -> str:
    url: str = aws("sqs").create_queue(QueueName=_unique("jobs"))["QueueUrl"]
    return url


@pytest.fixture
def bucket(aws: Any) -> str:
    name = _unique("invoices")
    aws("s3").create_bucket(Bucket=name)
    return name


def _run(sfn: LocalStepFunctions, definition: dict[str, Any], payload: Any) -> str:
    machine = sfn.create_state_machine(name=_unique("m"), definition=json.dumps(definition), roleArn=ROLE)
    started = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input=json.dumps(payload))
    arn: str = started["executionArn"]
    return arn


def _succeeded(sfn: LocalStepFunctions, execution: str) -> Any:
    described = sfn.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED", (described.get("error"), described.get("cause"))
    return json.loads(described["output"])


def _events(sfn: LocalStepFunctions, execution: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    return events


def _task_events(events: list[dict[str, Any]], event_type: str) -> list[dict[str, Any]]:
    key = event_type[0].lower() + event_type[1:] + "EventDetails"
    return [event[key] for event in events if event["type"] == event_type]


def _receive_all(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0, MessageAttributeNames=["All"]
    ).get("Messages", [])
    return messages


# -- DynamoDB ------------------------------------------------------------------------------------


def test_dynamodb_sdk_and_optimized_put_and_get(sfn: LocalStepFunctions, aws: Any, table: str) -> None:
    definition = {
        "StartAt": "SaveOrder",
        "States": {
            "SaveOrder": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem",
                "Parameters": {
                    "TableName": table,
                    "Item": {
                        "orderId": {"S.$": "$.orderId"},
                        "total": {"N.$": "States.Format('{}', $.total)"},
                        "customer": {"S.$": "$.customer.name"},
                    },
                },
                "ResultPath": "$.saved",
                "Next": "LoadOrder",
            },
            "LoadOrder": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                "Parameters": {"TableName": table, "Key": {"orderId": {"S.$": "$.orderId"}}},
                "ResultSelector": {"total.$": "$.Item.total.N", "customer.$": "$.Item.customer.S"},
                "ResultPath": "$.loaded",
                "Next": "MarkShipped",
            },
            "MarkShipped": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {
                    "TableName": table,
                    "Item": {"orderId": {"S.$": "States.Format('{}-shipment', $.orderId)"}, "status": {"S": "SHIPPED"}},
                },
                "ResultSelector": {"httpStatus.$": "$.SdkHttpMetadata.HttpStatusCode"},
                "ResultPath": "$.shipment",
                "Next": "LoadShipment",
            },
            "LoadShipment": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {
                    "TableName": table,
                    "Key": {"orderId": {"S.$": "States.Format('{}-shipment', $.orderId)"}},
                },
                "ResultSelector": {"status.$": "$.Item.status.S"},
                "ResultPath": "$.shipmentLoaded",
                "End": True,
            },
        },
    }
    execution = _run(sfn, definition, {"orderId": "o-1", "total": 42.5, "customer": {"name": "Ada"}})

    assert _succeeded(sfn, execution) == {
        "orderId": "o-1",
        "total": 42.5,
        "customer": {"name": "Ada"},
        # SDK integrations return the API response without HTTP metadata: putItem's is empty.
        "saved": {},
        "loaded": {"total": "42.5", "customer": "Ada"},
        "shipment": {"httpStatus": 200},
        "shipmentLoaded": {"status": "SHIPPED"},
    }
    events = _events(sfn, execution)
    scheduled = _task_events(events, "TaskScheduled")
    assert [(s["resourceType"], s["resource"]) for s in scheduled] == [
        ("aws-sdk:dynamodb", "putItem"),
        ("aws-sdk:dynamodb", "getItem"),
        ("dynamodb", "putItem"),
        ("dynamodb", "getItem"),
    ]
    assert {s["region"] for s in scheduled} == {REGION}
    assert json.loads(scheduled[0]["parameters"])["Item"]["total"] == {"N": "42.5"}
    succeeded = _task_events(events, "TaskSucceeded")
    assert json.loads(succeeded[1]["output"]) == {
        "Item": {"orderId": {"S": "o-1"}, "total": {"N": "42.5"}, "customer": {"S": "Ada"}}
    }
    # The optimized integration's raw result carries AWS's HTTP metadata.
    optimized_put = json.loads(succeeded[2]["output"])
    assert sorted(optimized_put) == ["SdkHttpMetadata", "SdkResponseMetadata"]

    dynamodb = aws("dynamodb")
    stored = dynamodb.get_item(TableName=table, Key={"orderId": {"S": "o-1"}})["Item"]
    assert stored == {"orderId": {"S": "o-1"}, "total": {"N": "42.5"}, "customer": {"S": "Ada"}}
    shipment = dynamodb.get_item(TableName=table, Key={"orderId": {"S": "o-1-shipment"}})["Item"]
    assert shipment == {"orderId": {"S": "o-1-shipment"}, "status": {"S": "SHIPPED"}}


def test_conditional_put_failure_is_caught_by_its_aws_name(sfn: LocalStepFunctions, aws: Any, table: str) -> None:
    aws("dynamodb").put_item(TableName=table, Item={"orderId": {"S": "o-2"}, "owner": {"S": "first"}})
    definition = {
        "StartAt": "ClaimOrder",
        "States": {
            "ClaimOrder": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {
                    "TableName": table,
                    "Item": {"orderId": {"S.$": "$.orderId"}, "owner": {"S": "second"}},
                    "ConditionExpression": "attribute_not_exists(orderId)",
                },
                "Catch": [
                    {
                        "ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                        "ResultPath": "$.conflict",
                        "Next": "AlreadyClaimed",
                    }
                ],
                "End": True,
            },
            "AlreadyClaimed": {"Type": "Pass", "End": True},
        },
    }
    execution = _run(sfn, definition, {"orderId": "o-2"})

    output = _succeeded(sfn, execution)
    assert output["conflict"]["Error"] == "DynamoDB.ConditionalCheckFailedException"
    assert "Error Code: ConditionalCheckFailedException" in output["conflict"]["Cause"]
    [failed] = _task_events(_events(sfn, execution), "TaskFailed")
    assert (failed["error"], failed["resourceType"], failed["resource"]) == (
        "DynamoDB.ConditionalCheckFailedException",
        "dynamodb",
        "putItem",
    )
    # The condition protected the first claim.
    stored = aws("dynamodb").get_item(TableName=table, Key={"orderId": {"S": "o-2"}})["Item"]
    assert stored["owner"] == {"S": "first"}


@pytest.mark.parametrize(
    ("resource", "error", "cause_fragment"),
    [
        (
            "arn:aws:states:::aws-sdk:dynamodb:getItem",
            "DynamoDb.ResourceNotFoundException",
            "(Service: DynamoDb, Status Code: 400, Request ID: ",
        ),
        (
            "arn:aws:states:::dynamodb:getItem",
            "DynamoDB.ResourceNotFoundException",
            "(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: ",
        ),
    ],
    ids=["sdk", "optimized"],
)
def test_get_item_on_a_missing_table_is_caught_with_the_aws_error_name(
    sfn: LocalStepFunctions, resource: str, error: str, cause_fragment: str
) -> None:
    definition = {
        "StartAt": "LoadOrder",
        "States": {
            "LoadOrder": {
                "Type": "Task",
                "Resource": resource,
                "Parameters": {"TableName": _unique("missing"), "Key": {"orderId": {"S.$": "$.orderId"}}},
                "Retry": [{"ErrorEquals": ["DynamoDb.ProvisionedThroughputExceededException"], "MaxAttempts": 5}],
                "Catch": [{"ErrorEquals": [error], "ResultPath": "$.failure", "Next": "NoSuchTable"}],
                "Next": "Found",
            },
            "Found": {"Type": "Succeed"},
            "NoSuchTable": {
                "Type": "Pass",
                "Parameters": {"orderId.$": "$.orderId", "error.$": "$.failure.Error"},
                "End": True,
            },
        },
    }
    execution = _run(sfn, definition, {"orderId": "o-3"})

    assert _succeeded(sfn, execution) == {"orderId": "o-3", "error": error}
    events = _events(sfn, execution)
    # One attempt only: the Retry names a different error.
    [failed] = _task_events(events, "TaskFailed")
    assert failed["error"] == error
    assert cause_fragment in failed["cause"]
    assert [event["type"] for event in events][-5:] == [
        "TaskFailed",
        "TaskStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


# -- SQS and SNS ---------------------------------------------------------------------------------


def test_sqs_send_message_and_sns_publish(sfn: LocalStepFunctions, aws: Any, queue: str) -> None:
    sqs, sns = aws("sqs"), aws("sns")
    subscriber = sqs.create_queue(QueueName=_unique("subscriber"))["QueueUrl"]
    subscriber_arn = sqs.get_queue_attributes(QueueUrl=subscriber, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    topic = sns.create_topic(Name=_unique("order-events"))["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=subscriber_arn, Attributes={"RawMessageDelivery": "true"})
    definition = {
        "StartAt": "EnqueueFulfilment",
        "States": {
            "EnqueueFulfilment": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                "Parameters": {
                    "QueueUrl": queue,
                    "MessageBody": {"orderId.$": "$.orderId", "lines.$": "$.lines"},
                    "MessageAttributes": {"priority": {"DataType": "String", "StringValue.$": "$.priority"}},
                },
                "ResultSelector": {"messageId.$": "$.MessageId", "md5.$": "$.MD5OfMessageBody"},
                "ResultPath": "$.enqueued",
                "Next": "AnnounceOrder",
            },
            "AnnounceOrder": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {
                    "TopicArn": topic,
                    "Message.$": "States.Format('order {} accepted', $.orderId)",
                    "Subject": "order accepted",
                },
                "ResultSelector": {"messageId.$": "$.MessageId"},
                "ResultPath": "$.announced",
                "End": True,
            },
        },
    }
    execution = _run(sfn, definition, {"orderId": "o-4", "lines": [{"sku": "a", "qty": 2}], "priority": "high"})

    output = _succeeded(sfn, execution)
    [queued] = _receive_all(sqs, queue)
    # An object given for MessageBody is sent as compact JSON text, as Step Functions sends it.
    assert queued["Body"] == '{"orderId":"o-4","lines":[{"sku":"a","qty":2}]}'
    assert queued["MessageAttributes"]["priority"]["StringValue"] == "high"
    assert output["enqueued"] == {"messageId": queued["MessageId"], "md5": queued["MD5OfBody"]}
    [published] = _receive_all(sqs, subscriber)
    assert published["Body"] == "order o-4 accepted"
    assert len(output["announced"]["messageId"]) > 0
    scheduled = _task_events(_events(sfn, execution), "TaskScheduled")
    assert [(s["resourceType"], s["resource"]) for s in scheduled] == [("sqs", "sendMessage"), ("sns", "publish")]


def test_sqs_wait_for_task_token_round_trip(sfn: LocalStepFunctions, aws: Any, queue: str) -> None:
    definition = {
        "StartAt": "AskWarehouse",
        "States": {
            "AskWarehouse": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {
                    "QueueUrl": queue,
                    "MessageBody": {"taskToken.$": "$$.Task.Token", "orderId.$": "$.orderId"},
                },
                "HeartbeatSeconds": 600,
                "TimeoutSeconds": 86400,
                "ResultPath": "$.reservation",
                "End": True,
            }
        },
    }
    execution = _run(sfn, definition, {"orderId": "o-5"})
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"

    # The warehouse worker: read the request from the real queue, answer with its token.
    sqs = aws("sqs")
    [message] = _receive_all(sqs, queue)
    request = json.loads(message["Body"])
    assert request["orderId"] == "o-5"
    sfn.send_task_success(taskToken=request["taskToken"], output=json.dumps({"bin": "B-12"}))
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])

    assert _succeeded(sfn, execution) == {"orderId": "o-5", "reservation": {"bin": "B-12"}}
    events = _events(sfn, execution)
    assert [event["type"] for event in events] == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    [scheduled] = _task_events(events, "TaskScheduled")
    assert (scheduled["resource"], scheduled["heartbeatInSeconds"], scheduled["timeoutInSeconds"]) == (
        "sendMessage.waitForTaskToken",
        600,
        86400,
    )
    # TaskSubmitted carries the sendMessage response; TaskSucceeded the worker's answer.
    [submitted] = _task_events(events, "TaskSubmitted")
    assert json.loads(submitted["output"])["MessageId"] == message["MessageId"]
    [succeeded] = _task_events(events, "TaskSucceeded")
    assert json.loads(succeeded["output"]) == {"bin": "B-12"}


def test_sqs_wait_for_task_token_failure_is_caught(sfn: LocalStepFunctions, aws: Any, queue: str) -> None:
    definition = {
        "StartAt": "AskWarehouse",
        "States": {
            "AskWarehouse": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": queue, "MessageBody": {"taskToken.$": "$$.Task.Token"}},
                "Catch": [{"ErrorEquals": ["Warehouse.OutOfStock"], "ResultPath": "$.failure", "Next": "Backorder"}],
                "End": True,
            },
            "Backorder": {"Type": "Pass", "End": True},
        },
    }
    execution = _run(sfn, definition, {"orderId": "o-6"})
    [message] = _receive_all(aws("sqs"), queue)
    token = json.loads(message["Body"])["taskToken"]
    sfn.send_task_failure(taskToken=token, error="Warehouse.OutOfStock", cause="sku a")

    assert _succeeded(sfn, execution) == {
        "orderId": "o-6",
        "failure": {"Error": "Warehouse.OutOfStock", "Cause": "sku a"},
    }
    # The token is spent: answering twice is refused as AWS refuses it.
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=token, output="{}")


# -- S3 ------------------------------------------------------------------------------------------


def test_s3_put_object_then_get_object(sfn: LocalStepFunctions, aws: Any, bucket: str) -> None:
    definition = {
        "StartAt": "StoreInvoice",
        "States": {
            "StoreInvoice": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                "Parameters": {
                    "Bucket": bucket,
                    "Key.$": "States.Format('invoices/{}.json', $.orderId)",
                    "Body.$": "$.invoice",
                    "ContentType": "application/json",
                },
                "ResultSelector": {"etag.$": "$.ETag"},
                "ResultPath": "$.stored",
                "Next": "ReadInvoice",
            },
            "ReadInvoice": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                "Parameters": {"Bucket": bucket, "Key.$": "States.Format('invoices/{}.json', $.orderId)"},
                "ResultSelector": {
                    "invoice.$": "States.StringToJson($.Body)",
                    "contentType.$": "$.ContentType",
                    "etag.$": "$.ETag",
                },
                "ResultPath": "$.read",
                "OutputPath": "$.read",
                "End": True,
            },
        },
    }
    invoice = {"orderId": "o-7", "amount": 99.5, "currency": "EUR"}
    execution = _run(sfn, definition, {"orderId": "o-7", "invoice": invoice})

    output = _succeeded(sfn, execution)
    assert output["invoice"] == invoice
    assert output["contentType"] == "application/json"
    stored = aws("s3").get_object(Bucket=bucket, Key="invoices/o-7.json")
    # An object given for Body is written as compact JSON text.
    assert stored["Body"].read() == b'{"orderId":"o-7","amount":99.5,"currency":"EUR"}'
    assert stored["ETag"] == output["etag"]
    exited = [
        event["stateExitedEventDetails"] for event in _events(sfn, execution) if event["type"] == "TaskStateExited"
    ]
    assert json.loads(exited[0]["output"])["stored"] == {"etag": stored["ETag"]}


# -- a workflow using them all -------------------------------------------------------------------


def test_order_pipeline_across_services(sfn: LocalStepFunctions, aws: Any, table: str, queue: str, bucket: str) -> None:
    sns = aws("sns")
    topic = sns.create_topic(Name=_unique("receipts"))["TopicArn"]
    definition = {
        "StartAt": "Record",
        "States": {
            "Record": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": table, "Item": {"orderId": {"S.$": "$.orderId"}, "state": {"S": "NEW"}}},
                "ResultPath": None,
                "Next": "Reserve",
            },
            "Reserve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {
                    "QueueUrl": queue,
                    "MessageBody": {"taskToken.$": "$$.Task.Token", "orderId.$": "$.orderId"},
                },
                "TimeoutSeconds": 3600,
                "ResultPath": "$.reservation",
                "Next": "Archive",
            },
            "Archive": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                "Parameters": {
                    "Bucket": bucket,
                    "Key.$": "$.orderId",
                    "Body": {"orderId.$": "$.orderId", "bin.$": "$.reservation.bin"},
                },
                "ResultPath": None,
                "Next": "Notify",
            },
            "Notify": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {"TopicArn": topic, "Message.$": "$.reservation.bin"},
                "ResultPath": None,
                "Next": "Complete",
            },
            "Complete": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:dynamodb:updateItem",
                "Parameters": {
                    "TableName": table,
                    "Key": {"orderId": {"S.$": "$.orderId"}},
                    "UpdateExpression": "SET #s = :done",
                    "ExpressionAttributeNames": {"#s": "state"},
                    "ExpressionAttributeValues": {":done": {"S": "DONE"}},
                    "ReturnValues": "ALL_NEW",
                },
                "ResultSelector": {"state.$": "$.Attributes.state.S"},
                "ResultPath": "$.final",
                "End": True,
            },
        },
    }
    execution = _run(sfn, definition, {"orderId": "o-8"})
    assert aws("dynamodb").get_item(TableName=table, Key={"orderId": {"S": "o-8"}})["Item"]["state"] == {"S": "NEW"}
    [message] = _receive_all(aws("sqs"), queue)
    sfn.send_task_success(taskToken=json.loads(message["Body"])["taskToken"], output='{"bin": "C-3"}')

    assert _succeeded(sfn, execution) == {"orderId": "o-8", "reservation": {"bin": "C-3"}, "final": {"state": "DONE"}}
    assert aws("dynamodb").get_item(TableName=table, Key={"orderId": {"S": "o-8"}})["Item"]["state"] == {"S": "DONE"}
    archived = aws("s3").get_object(Bucket=bucket, Key="o-8")["Body"].read()
    assert json.loads(archived) == {"orderId": "o-8", "bin": "C-3"}
    entered = [
        event["stateEnteredEventDetails"]["name"]
        for event in _events(sfn, execution)
        if event["type"] == "TaskStateEntered"
    ]
    assert entered == ["Record", "Reserve", "Archive", "Notify", "Complete"]
