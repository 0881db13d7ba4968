"""More of the API through the wire: EXPRESS sync executions, definition validation, TestState.

API reference: StartSyncExecution
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html),
ValidateStateMachineDefinition
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html),
TestState (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from botocore.config import Config

from constructs_sfn.local.endpoint import EndpointServer

from .conftest import ROLE

GREET = json.dumps(
    {"StartAt": "Greet", "States": {"Greet": {"Type": "Pass", "Parameters": {"hello.$": "$.who"}, "End": True}}}
)


@pytest.fixture
def sync_remote(endpoint: EndpointServer) -> Any:
    """A boto3 client that does not put ``sync-`` before the host.

    The model gives StartSyncExecution and TestState the host prefix ``sync-``; boto3 puts it
    before any endpoint's host (``http://sync-127.0.0.1:port``), a name that does not resolve.
    Hence ``Config(inject_host_prefix=False)`` (or ``AWS_DISABLE_HOST_PREFIX_INJECTION=true``).
    """
    import boto3

    return boto3.client(
        "stepfunctions",
        endpoint_url=endpoint.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(inject_host_prefix=False, retries={"max_attempts": 1, "mode": "standard"}),
    )


def test_start_sync_execution_of_an_express_machine(sync_remote: Any) -> None:
    remote = sync_remote
    arn = remote.create_state_machine(name="quick", definition=GREET, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    result = remote.start_sync_execution(stateMachineArn=arn, input='{"who": "wire"}')
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"hello": "wire"}
    assert isinstance(result["stopDate"], datetime)
    assert result["billingDetails"]["billedDurationInMilliseconds"] >= 100
    standard = remote.create_state_machine(name="slow", definition=GREET, roleArn=ROLE)["stateMachineArn"]
    with pytest.raises(remote.exceptions.StateMachineTypeNotSupported):
        remote.start_sync_execution(stateMachineArn=standard)


def test_validate_state_machine_definition(remote: Any) -> None:
    assert remote.validate_state_machine_definition(definition=GREET)["result"] == "OK"
    broken = remote.validate_state_machine_definition(definition='{"StartAt": "Missing", "States": {}}')
    assert broken["result"] == "FAIL"
    assert broken["diagnostics"]


def test_test_state(sync_remote: Any) -> None:
    state = json.dumps(json.loads(GREET)["States"]["Greet"])
    answer = sync_remote.test_state(definition=state, roleArn=ROLE, input='{"who": "state"}')
    assert answer["status"] == "SUCCEEDED"
    assert json.loads(answer["output"]) == {"hello": "state"}


def test_describe_state_machine_for_execution_and_stop(remote: Any) -> None:
    activity = remote.create_activity(name="hold")["activityArn"]
    definition = json.dumps(
        {"StartAt": "Hold", "States": {"Hold": {"Type": "Task", "Resource": activity, "End": True}}}
    )
    arn = remote.create_state_machine(name="held", definition=definition, roleArn=ROLE)["stateMachineArn"]
    execution = remote.start_execution(stateMachineArn=arn)["executionArn"]
    assert remote.describe_state_machine_for_execution(executionArn=execution)["definition"] == definition
    stopped = remote.stop_execution(executionArn=execution, error="Operator", cause="no longer needed")
    assert isinstance(stopped["stopDate"], datetime)
    described = remote.describe_execution(executionArn=execution)
    assert (described["status"], described["error"], described["cause"]) == ("ABORTED", "Operator", "no longer needed")


def test_a_definition_near_the_one_mib_limit(remote: Any) -> None:
    """Definitions up to 1,048,576 characters are accepted (CreateStateMachine's limit): such a
    body, non-ASCII text escaped as ``\\uXXXX`` by boto3, passes the endpoint's body limit."""
    text = "é" * 1_000_000  # 6 MB on the wire, past the 1 MiB mark where bodies are read two at a time
    definition = json.dumps(
        {"StartAt": "Big", "States": {"Big": {"Type": "Pass", "Result": text, "End": True}}}, ensure_ascii=False
    )
    assert len(definition) <= 1_048_576
    arn = remote.create_state_machine(name="big", definition=definition, roleArn=ROLE)["stateMachineArn"]
    assert remote.describe_state_machine(stateMachineArn=arn)["definition"] == definition
