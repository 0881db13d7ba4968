"""Endpoint settings read as Step Functions Local reads its own, and SDK tasks reaching moto.

Configuration options: https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-config-options.html
(``AWS_ACCOUNT_ID``, ``AWS_DEFAULT_REGION``, ``LAMBDA_ENDPOINT``, ``SQS_ENDPOINT``, ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from constructs_sfn.integrations import MockConfigError
from constructs_sfn.local.endpoint import EndpointConfigError, EndpointServer, EndpointSettings

from .conftest import ROLE, boto3_client


def test_defaults_are_step_functions_locals() -> None:
    settings = EndpointSettings.from_environment({})
    assert (settings.region, settings.account_id, settings.mock_config) == ("us-east-1", "123456789012", None)
    assert settings.service_endpoints == {}


def test_environment_variables_and_options() -> None:
    env = {
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_ACCOUNT_ID": "111122223333",
        "SFN_MOCK_CONFIG": "/tmp/mocks.json",
        "LAMBDA_ENDPOINT": "http://127.0.0.1:3001",
        "SQS_ENDPOINT": "http://127.0.0.1:4566",
        "SAGE_MAKER_ENDPOINT": "http://127.0.0.1:4567",
        "STEP_FUNCTIONS_ENDPOINT": " ",
    }
    settings = EndpointSettings.from_environment(env)
    assert (settings.region, settings.account_id, settings.mock_config) == (
        "eu-central-1",
        "111122223333",
        "/tmp/mocks.json",
    )
    assert settings.service_endpoints == {
        "lambda": "http://127.0.0.1:3001",
        "sqs": "http://127.0.0.1:4566",
        "sagemaker": "http://127.0.0.1:4567",
    }
    chosen = EndpointSettings.from_environment(
        env, region="ap-south-1", account_id="444455556666", mock_config="m.json"
    )
    assert (chosen.region, chosen.account_id, chosen.mock_config) == ("ap-south-1", "444455556666", "m.json")
    assert EndpointSettings.from_environment({"AWS_REGION": "us-west-2"}).region == "us-west-2"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AWS_DEFAULT_REGION": "moon"}, "region 'moon' is not an AWS region name"),
        ({"AWS_ACCOUNT_ID": "12345"}, "account '12345' is not a 12-digit AWS account id"),
        ({"SQS_ENDPOINT": "127.0.0.1:4566"}, "SQS_ENDPOINT='127.0.0.1:4566' must be an http:// or https:// URL"),
    ],
)
def test_unusable_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(EndpointConfigError, match=re.escape(message)):
        EndpointSettings.from_environment(env)


def test_an_unreadable_mock_config_fails_at_start() -> None:
    settings = EndpointSettings.from_environment({"SFN_MOCK_CONFIG": "/nonexistent/MockConfigFile.json"})
    with pytest.raises(MockConfigError, match=r"/nonexistent/MockConfigFile\.json"):
        settings.build_client()


def test_the_client_runs_on_a_virtual_clock_from_now() -> None:
    """ARNs carry the account and region; Wait states take no wall time."""
    client = EndpointSettings(region="eu-west-1", account_id="111122223333").build_client()
    definition = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": True}}})
    arn = client.create_state_machine(name="day", definition=definition, roleArn=ROLE)["stateMachineArn"]
    assert arn == "arn:aws:states:eu-west-1:111122223333:stateMachine:day"
    run = client.start_execution(stateMachineArn=arn)
    described = client.describe_execution(executionArn=run["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert (described["stopDate"] - described["startDate"]).total_seconds() == 86400


@pytest.fixture
def moto_queue(moto_endpoint: str) -> Iterator[tuple[Any, str]]:
    """An SQS client on the moto server and a fresh queue."""
    import boto3

    sqs = boto3.client("sqs", endpoint_url=moto_endpoint, region_name="us-east-1")
    url = sqs.create_queue(QueueName="callbacks")["QueueUrl"]
    try:
        yield sqs, url
    finally:
        sqs.delete_queue(QueueUrl=url)


def test_wait_for_task_token_through_sqs_on_moto(moto_endpoint: str, moto_queue: tuple[Any, str]) -> None:
    """``sqs:sendMessage.waitForTaskToken`` puts the token on a moto queue (``SQS_ENDPOINT``); a
    worker reads it and answers over the wire; the execution resumes
    (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token)."""
    sqs, queue = moto_queue
    settings = EndpointSettings.from_environment({"SQS_ENDPOINT": moto_endpoint})
    definition = json.dumps(
        {
            "StartAt": "Ask",
            "States": {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.id"}},
                    "End": True,
                }
            },
        }
    )
    with EndpointServer(port=0, settings=settings) as server:
        remote = boto3_client(server.url)
        arn = remote.create_state_machine(name="ask", definition=definition, roleArn=ROLE)["stateMachineArn"]
        execution = remote.start_execution(stateMachineArn=arn, input='{"id": "o-9"}')["executionArn"]
        assert remote.describe_execution(executionArn=execution)["status"] == "RUNNING"
        message = json.loads(sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"][0]["Body"])
        assert message["order"] == "o-9"
        remote.send_task_success(taskToken=message["token"], output='{"approved": "o-9"}')
        described = remote.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"approved": "o-9"}


def test_aws_endpoint_url_reaches_every_other_service(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a per-service variable, SDK tasks resolve endpoints as boto3 does: the generic
    ``AWS_ENDPOINT_URL`` sends an ``aws-sdk:dynamodb:putItem`` task to moto."""
    import boto3

    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    dynamodb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    definition = json.dumps(
        {
            "StartAt": "Put",
            "States": {
                "Put": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem",
                    "Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}}},
                    "End": True,
                }
            },
        }
    )
    try:
        with EndpointServer(port=0, settings=EndpointSettings.from_environment({})) as server:
            remote = boto3_client(server.url)
            arn = remote.create_state_machine(name="put", definition=definition, roleArn=ROLE)["stateMachineArn"]
            execution = remote.start_execution(stateMachineArn=arn, input='{"id": "o-1"}')["executionArn"]
            described = remote.describe_execution(executionArn=execution)
        assert described["status"] == "SUCCEEDED", described
        assert dynamodb.get_item(TableName="orders", Key={"id": {"S": "o-1"}})["Item"] == {"id": {"S": "o-1"}}
    finally:
        dynamodb.delete_table(TableName="orders")


def test_step_functions_endpoint_sends_child_executions_elsewhere(moto_endpoint: str) -> None:
    """With ``STEP_FUNCTIONS_ENDPOINT`` set, ``states:startExecution`` goes to that endpoint (here
    moto's Step Functions) instead of running on this server, as in Step Functions Local."""
    import boto3

    moto_sfn = boto3.client("stepfunctions", endpoint_url=moto_endpoint, region_name="us-east-1")
    child = moto_sfn.create_state_machine(
        name="child",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
        roleArn=ROLE,
    )["stateMachineArn"]
    definition = json.dumps(
        {
            "StartAt": "Start",
            "States": {
                "Start": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution",
                    "Parameters": {"StateMachineArn": child, "Input": {"from": "parent"}},
                    "End": True,
                }
            },
        }
    )
    settings = EndpointSettings.from_environment({"STEP_FUNCTIONS_ENDPOINT": moto_endpoint})
    with EndpointServer(port=0, settings=settings) as server:
        remote = boto3_client(server.url)
        arn = remote.create_state_machine(name="parent", definition=definition, roleArn=ROLE)["stateMachineArn"]
        execution = remote.start_execution(stateMachineArn=arn)["executionArn"]
        described = remote.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED", described
    started_elsewhere = json.loads(described["output"])["ExecutionArn"]
    assert started_elsewhere in {
        item["executionArn"] for item in moto_sfn.list_executions(stateMachineArn=child)["executions"]
    }
