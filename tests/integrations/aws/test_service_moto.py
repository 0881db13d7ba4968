"""Boto3Integrations against a moto server on loopback, through real boto3 clients."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import pytest

from constructs_sfn.asl.services import TaskOutcome
from constructs_sfn.integrations import Boto3Integrations

from ..conftest import RequestFactory

METADATA_KEYS = ["SdkHttpMetadata", "SdkResponseMetadata"]


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def sdk(session: Any, moto_endpoint: str) -> Boto3Integrations:
    return Boto3Integrations(session=session, endpoint_url=moto_endpoint)


@pytest.fixture
def table(direct: Any) -> str:
    name = _unique("orders")
    direct("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def _ok(outcome: TaskOutcome) -> Any:
    assert outcome.error is None, outcome.error
    return outcome.output


def _error(outcome: TaskOutcome) -> tuple[str, str]:
    assert outcome.error is not None, outcome.output
    return outcome.error.error, outcome.error.cause or ""


def test_dynamodb_optimized_put_and_get(sdk: Boto3Integrations, table: str, make_request: RequestFactory) -> None:
    item = {"id": {"S": "id1"}, "data": {"S": "HelloWorld"}}
    put = _ok(sdk.invoke(make_request("arn:aws:states:::dynamodb:putItem", {"TableName": table, "Item": item})))
    assert list(put) == METADATA_KEYS
    assert put["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert put["SdkHttpMetadata"]["HttpHeaders"]["Content-Type"] == "application/x-amz-json-1.0"
    assert put["SdkResponseMetadata"]["RequestId"] == put["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
    got = _ok(
        sdk.invoke(make_request("arn:aws:states:::dynamodb:getItem", {"TableName": table, "Key": {"id": {"S": "id1"}}}))
    )
    assert list(got) == ["Item", *METADATA_KEYS]
    assert got["Item"] == item


def test_dynamodb_sdk_put_get_and_query(sdk: Boto3Integrations, table: str, make_request: RequestFactory) -> None:
    item = {"id": {"S": "id1"}, "n": {"N": "7"}}
    assert (
        _ok(sdk.invoke(make_request("arn:aws:states:::aws-sdk:dynamodb:putItem", {"TableName": table, "Item": item})))
        == {}
    )
    got = _ok(
        sdk.invoke(
            make_request("arn:aws:states:::aws-sdk:dynamodb:getItem", {"TableName": table, "Key": {"id": {"S": "id1"}}})
        )
    )
    assert got == {"Item": item}
    query = _ok(
        sdk.invoke(
            make_request(
                "arn:aws:states:::aws-sdk:dynamodb:query",
                {
                    "TableName": table,
                    "KeyConditionExpression": "id = :id",
                    "ExpressionAttributeValues": {":id": {"S": "id1"}},
                },
            )
        )
    )
    assert query["Items"] == [item]
    assert query["Count"] == 1


def test_dynamodb_errors(sdk: Boto3Integrations, table: str, make_request: RequestFactory) -> None:
    item = {"id": {"S": "id1"}}
    missing = {"TableName": _unique("missing"), "Item": item}
    error, cause = _error(sdk.invoke(make_request("arn:aws:states:::dynamodb:putItem", missing)))
    assert error == "DynamoDB.ResourceNotFoundException"
    assert "(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: " in cause
    assert cause.endswith("; Proxy: null)")
    error, cause = _error(sdk.invoke(make_request("arn:aws:states:::aws-sdk:dynamodb:putItem", missing)))
    assert error == "DynamoDb.ResourceNotFoundException"
    assert "(Service: DynamoDb, Status Code: 400, Request ID: " in cause
    conditional = {"TableName": table, "Item": item, "ConditionExpression": "attribute_exists(id)"}
    error, _ = _error(sdk.invoke(make_request("arn:aws:states:::dynamodb:putItem", conditional)))
    assert error == "DynamoDB.ConditionalCheckFailedException"
    error, cause = _error(
        sdk.invoke(make_request("arn:aws:states:::aws-sdk:dynamodb:putItem", {"TableName": table, "Item": None}))
    )
    assert error == "DynamoDb.DynamoDbException"
    assert 'Missing required parameter in input: "Item"' in cause


def test_sqs_send_message(sdk: Boto3Integrations, direct: Any, make_request: RequestFactory) -> None:
    sqs = direct("sqs")
    queue_url = sqs.create_queue(QueueName=_unique("jobs"))["QueueUrl"]
    body = {"Message": "txt", "Count": 2}
    sent = _ok(
        sdk.invoke(make_request("arn:aws:states:::sqs:sendMessage", {"QueueUrl": queue_url, "MessageBody": body}))
    )
    assert list(sent) == ["MD5OfMessageBody", "MessageId", *METADATA_KEYS]
    text = '{"Message":"txt","Count":2}'
    assert sent["MD5OfMessageBody"] == hashlib.md5(text.encode()).hexdigest()
    received = sqs.receive_message(QueueUrl=queue_url)["Messages"]
    assert [m["Body"] for m in received] == [text]
    sdk_sent = _ok(
        sdk.invoke(
            make_request("arn:aws:states:::aws-sdk:sqs:sendMessage", {"QueueUrl": queue_url, "MessageBody": "plain"})
        )
    )
    assert set(sdk_sent) == {"MD5OfMessageBody", "MessageId"}


def test_sqs_errors(sdk: Boto3Integrations, direct: Any, moto_endpoint: str, make_request: RequestFactory) -> None:
    queue_url = direct("sqs").create_queue(QueueName=_unique("jobs"))["QueueUrl"]
    error, cause = _error(
        sdk.invoke(make_request("arn:aws:states:::sqs:sendMessage", {"QueueUrl": queue_url, "MessageBody": None}))
    )
    assert error == "SQS.AmazonSQSException"
    assert "MessageBody" in cause
    missing = {"QueueUrl": f"{moto_endpoint}/123456789012/{_unique('nope')}", "MessageBody": "x"}
    error, cause = _error(sdk.invoke(make_request("arn:aws:states:::sqs:sendMessage", missing)))
    assert error == "SQS.QueueDoesNotExistException"
    assert "Error Code: AWS.SimpleQueueService.NonExistentQueue;" in cause
    error, _ = _error(sdk.invoke(make_request("arn:aws:states:::aws-sdk:sqs:sendMessage", missing)))
    assert error == "Sqs.QueueDoesNotExistException"


def test_sns_publish(sdk: Boto3Integrations, direct: Any, make_request: RequestFactory) -> None:
    topic = direct("sns").create_topic(Name=_unique("events"))["TopicArn"]
    published = _ok(
        sdk.invoke(make_request("arn:aws:states:::sns:publish", {"TopicArn": topic, "Message": {"Message": "Hi"}}))
    )
    assert list(published) == ["MessageId", *METADATA_KEYS]
    error, cause = _error(
        sdk.invoke(make_request("arn:aws:states:::sns:publish", {"TopicArn": f"{topic}-missing", "Message": "x"}))
    )
    assert error == "SNS.NotFoundException"
    assert "(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: " in cause


def test_s3_sdk_put_and_get_object(sdk: Boto3Integrations, make_request: RequestFactory) -> None:
    bucket = _unique("bucket")
    _ok(sdk.invoke(make_request("arn:aws:states:::aws-sdk:s3:createBucket", {"Bucket": bucket})))
    put = _ok(
        sdk.invoke(
            make_request(
                "arn:aws:states:::aws-sdk:s3:putObject", {"Bucket": bucket, "Key": "k", "Body": {"Dict": "Value"}}
            )
        )
    )
    digest = hashlib.md5(b'{"Dict":"Value"}').hexdigest()
    assert put["ETag"] == f'"{digest}"'
    got = _ok(sdk.invoke(make_request("arn:aws:states:::aws-sdk:s3:getObject", {"Bucket": bucket, "Key": "k"})))
    assert got["Body"] == '{"Dict":"Value"}'
    assert got["ContentLength"] == 16
    assert got["LastModified"].endswith("Z")
    error, cause = _error(
        sdk.invoke(make_request("arn:aws:states:::aws-sdk:s3:listObjects", {"Bucket": _unique("none")}))
    )
    assert error == "S3.NoSuchBucketException"
    assert cause.startswith("The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: ")


def test_eventbridge_put_events(sdk: Boto3Integrations, make_request: RequestFactory) -> None:
    entries = [{"Source": "orders", "DetailType": "Placed", "Detail": {"id": 1}}]
    result = _ok(sdk.invoke(make_request("arn:aws:states:::events:putEvents", {"Entries": entries})))
    assert list(result) == ["Entries", "FailedEntryCount"]
    assert result["FailedEntryCount"] == 0
    assert len(result["Entries"]) == 1


def test_step_functions_start_execution(sdk: Boto3Integrations, direct: Any, make_request: RequestFactory) -> None:
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    machine = direct("stepfunctions").create_state_machine(
        name=_unique("child"), definition=definition, roleArn="arn:aws:iam::123456789012:role/sfn"
    )["stateMachineArn"]
    started = _ok(
        sdk.invoke(
            make_request(
                "arn:aws:states:::states:startExecution", {"StateMachineArn": machine, "Input": {"a": 1}, "Name": "kid"}
            )
        )
    )
    assert list(started) == ["ExecutionArn", *METADATA_KEYS, "StartDate"]
    assert started["ExecutionArn"].endswith(":kid")
    assert isinstance(started["StartDate"], int)
    described = direct("stepfunctions").describe_execution(executionArn=started["ExecutionArn"])
    assert described["input"] == '{"a":1}'
    via_sdk = _ok(sdk.invoke(make_request("arn:aws:states:::aws-sdk:sfn:startExecution", {"StateMachineArn": machine})))
    assert set(via_sdk) == {"ExecutionArn", "StartDate"}
    assert via_sdk["StartDate"].endswith("Z")
    missing = {"StateMachineArn": f"{machine}-missing"}
    error, cause = _error(sdk.invoke(make_request("arn:aws:states:::states:startExecution", missing)))
    assert error == "StepFunctions.StateMachineDoesNotExistException"
    assert "(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist;" in cause
    error, _ = _error(sdk.invoke(make_request("arn:aws:states:::aws-sdk:sfn:startExecution", missing)))
    assert error == "Sfn.StateMachineDoesNotExistException"


def test_endpoint_from_environment(
    session: Any, moto_endpoint: str, direct: Any, monkeypatch: pytest.MonkeyPatch, make_request: RequestFactory
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    topic = direct("sns").create_topic(Name=_unique("env"))["TopicArn"]
    integrations = Boto3Integrations(session=session)
    assert integrations.client("sns").meta.endpoint_url == moto_endpoint
    assert "MessageId" in _ok(
        integrations.invoke(make_request("arn:aws:states:::sns:publish", {"TopicArn": topic, "Message": "m"}))
    )


def test_unknown_action_and_unsupported_sync(sdk: Boto3Integrations, make_request: RequestFactory) -> None:
    error, cause = _error(sdk.invoke(make_request("arn:aws:states:::aws-sdk:s3:teleportObject", {}, state_name="Beam")))
    assert error == "States.Runtime"
    assert (
        cause
        == "The resource 'arn:aws:states:::aws-sdk:s3:teleportObject' of state 'Beam' names the action 'teleportObject', which the s3 API does not have."
    )
    error, cause = _error(sdk.invoke(make_request("arn:aws:states:::eks:runJob.sync", {}, state_name="Run")))
    assert error == "States.Runtime"
    assert "'.sync' pattern of eks:runJob (state 'Run') is not supported" in cause


def test_activities_are_not_routed(sdk: Boto3Integrations, make_request: RequestFactory) -> None:
    request = make_request("arn:aws:states:us-east-1:123456789012:activity:Approve")
    assert sdk.route(request) is None
    assert _error(sdk.invoke(request))[0] == "States.Runtime"
