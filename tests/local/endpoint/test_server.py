"""The endpoint driven by a real boto3 client over HTTP on loopback.

What a client sees is the Step Functions API reference
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html) and its
common errors (https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local.endpoint import EndpointServer, EndpointSettings, is_loopback

from .conftest import ROLE, boto3_client

WAIT_THEN_PASS = json.dumps(
    {
        "StartAt": "Wait",
        "States": {
            "Wait": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
            "Done": {"Type": "Pass", "Result": {"done": True}, "ResultPath": "$.result", "End": True},
        },
    }
)


def _machine(remote: Any, name: str = "orders", definition: str = WAIT_THEN_PASS) -> str:
    arn: str = remote.create_state_machine(name=name, definition=definition, roleArn=ROLE)["stateMachineArn"]
    return arn


def test_create_start_describe_history_round_trip(remote: Any) -> None:
    """CreateStateMachine, StartExecution, DescribeExecution and GetExecutionHistory over the wire:
    boto3 parses every response (timestamps included) as it parses AWS's."""
    before = datetime.now(UTC) - timedelta(seconds=1)
    arn = _machine(remote)
    assert arn == "arn:aws:states:us-east-1:123456789012:stateMachine:orders"
    started = remote.start_execution(stateMachineArn=arn, name="run-1", input='{"order": 7}')
    assert started["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:orders:run-1"
    assert isinstance(started["startDate"], datetime)
    assert started["startDate"] >= before
    assert started["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"] == started["ResponseMetadata"]["RequestId"]

    described = remote.describe_execution(executionArn=started["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"order": 7, "result": {"done": True}}
    # the hour-long Wait passed on the virtual clock, and the timestamps say so
    assert described["stopDate"] - described["startDate"] == timedelta(hours=1)

    events = remote.get_execution_history(executionArn=started["executionArn"])["events"]
    assert [event["type"] for event in events] == [
        "ExecutionStarted",
        "WaitStateEntered",
        "WaitStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert all(isinstance(event["timestamp"], datetime) for event in events)
    assert remote.describe_state_machine(stateMachineArn=arn)["definition"] == WAIT_THEN_PASS


def test_errors_arrive_as_the_modelled_boto3_exceptions(remote: Any) -> None:
    """Unknown ARNs, invalid ARNs and invalid definitions raise the exception classes of
    boto3's model, with AWS's messages (API reference: DescribeExecution, StartExecution errors)."""
    arn = _machine(remote)
    missing = arn.replace(":stateMachine:", ":execution:") + ":nope"
    with pytest.raises(remote.exceptions.ExecutionDoesNotExist) as no_execution:
        remote.describe_execution(executionArn=missing)
    assert no_execution.value.response["Error"]["Message"] == f"Execution Does Not Exist: '{missing}'"
    assert no_execution.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(remote.exceptions.StateMachineDoesNotExist):
        remote.start_execution(stateMachineArn=arn + "x")
    with pytest.raises(remote.exceptions.InvalidArn):
        remote.describe_execution(executionArn="not-an-arn")
    with pytest.raises(remote.exceptions.InvalidDefinition):
        remote.create_state_machine(name="bad", definition='{"StartAt": "Nowhere", "States": {}}', roleArn=ROLE)
    remote.start_execution(stateMachineArn=arn, name="twice", input="{}")
    with pytest.raises(remote.exceptions.ExecutionAlreadyExists):
        remote.start_execution(stateMachineArn=arn, name="twice", input='{"other": 1}')


def test_server_side_constraints_are_validation_exceptions(remote: Any) -> None:
    """A name over 80 characters passes boto3's own checks and is refused by the service with
    ``ValidationException`` (CreateStateMachine: name is 1-80 characters)."""
    with pytest.raises(ClientError) as refused:
        remote.create_state_machine(name="n" * 81, definition=WAIT_THEN_PASS, roleArn=ROLE)
    error = refused.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert "Member must have length less than or equal to 80" in error["Message"]


def test_tags_round_trip_over_the_wire(remote: Any) -> None:
    """TagResource, ListTagsForResource and UntagResource through the wire protocol
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TagResource.html)."""
    arn = _machine(remote)
    remote.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
    assert remote.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]
    remote.untag_resource(resourceArn=arn, tagKeys=["k"])
    assert remote.list_tags_for_resource(resourceArn=arn)["tags"] == []


def test_activity_task_token_answered_over_the_wire(remote: Any) -> None:
    """A worker polls GetActivityTask and answers SendTaskSuccess; the execution resumes
    (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html)."""
    activity = remote.create_activity(name="approve")["activityArn"]
    definition = json.dumps(
        {"StartAt": "Approve", "States": {"Approve": {"Type": "Task", "Resource": activity, "End": True}}}
    )
    arn = _machine(remote, "approvals", definition)
    execution = remote.start_execution(stateMachineArn=arn, input='{"amount": 12}')["executionArn"]
    assert remote.describe_execution(executionArn=execution)["status"] == "RUNNING"
    task = remote.get_activity_task(activityArn=activity, workerName="worker-1")
    assert json.loads(task["input"]) == {"amount": 12}
    remote.send_task_success(taskToken=task["taskToken"], output='{"approved": true}')
    described = remote.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"approved": True}
    with pytest.raises(remote.exceptions.TaskTimedOut):  # the token is spent
        remote.send_task_success(taskToken=task["taskToken"], output="{}")


def test_task_token_timeout_expires_in_wall_clock_time() -> None:
    """``TimeoutSeconds`` of a callback task runs out after that many real seconds: the ticker
    hands wall-clock time to the virtual clock (States.Timeout, as the developer guide's
    error-handling page describes: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)."""
    settings = EndpointSettings.from_environment({})
    with EndpointServer(port=0, settings=settings, tick_seconds=0.1) as server:
        remote = boto3_client(server.url)
        activity = remote.create_activity(name="slow")["activityArn"]
        definition = json.dumps(
            {
                "StartAt": "Slow",
                "States": {"Slow": {"Type": "Task", "Resource": activity, "TimeoutSeconds": 1, "End": True}},
            }
        )
        arn = _machine(remote, "slow", definition)
        execution = remote.start_execution(stateMachineArn=arn)["executionArn"]
        assert remote.describe_execution(executionArn=execution)["status"] == "RUNNING"
        deadline = time.monotonic() + 10
        status = "RUNNING"
        while status == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.1)
            described = remote.describe_execution(executionArn=execution)
            status = described["status"]
        assert status == "FAILED"
        assert described["error"] == "States.Timeout"


def test_mock_config_test_case(tmp_path: Path) -> None:
    """``<stateMachineArn>#<TestCase>`` runs the test case of the mock configuration file
    (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html)."""
    config = {
        "StateMachines": {"charges": {"TestCases": {"Declined": {"Charge": "CardDeclined"}}}},
        "MockedResponses": {"CardDeclined": {"0": {"Throw": {"Error": "Card.Declined", "Cause": "insufficient"}}}},
    }
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    definition = json.dumps(
        {
            "StartAt": "Charge",
            "States": {
                "Charge": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                    "End": True,
                }
            },
        }
    )
    settings = EndpointSettings.from_environment({"SFN_MOCK_CONFIG": str(path)})
    with EndpointServer(port=0, settings=settings) as server:
        remote = boto3_client(server.url)
        arn = _machine(remote, "charges", definition)
        execution = remote.start_execution(stateMachineArn=f"{arn}#Declined")["executionArn"]
        described = remote.describe_execution(executionArn=execution)
        assert described["status"] == "FAILED"
        assert (described["error"], described["cause"]) == ("Card.Declined", "insufficient")


def test_list_executions_with_pagination(remote: Any) -> None:
    """ListExecutions pages with nextToken; boto3's paginator walks every page over the wire."""
    arn = _machine(remote)
    started = {remote.start_execution(stateMachineArn=arn, name=f"run-{i}")["executionArn"] for i in range(7)}
    pages = list(
        remote.get_paginator("list_executions").paginate(stateMachineArn=arn, PaginationConfig={"PageSize": 3})
    )
    assert [len(page["executions"]) for page in pages] == [3, 3, 1]
    listed = [item["executionArn"] for page in pages for item in page["executions"]]
    assert set(listed) == started
    assert len(listed) == 7
    with pytest.raises(ClientError) as refused:
        remote.list_executions(stateMachineArn=arn, nextToken="forged")
    assert refused.value.response["Error"]["Code"] == "InvalidToken"


def test_many_threads_start_and_describe(endpoint: EndpointServer) -> None:
    """Concurrent clients, each on its own connections: every start is answered and listed once."""
    arn = _machine(boto3_client(endpoint.url))
    failures: list[BaseException] = []
    arns: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        client = boto3_client(endpoint.url)
        try:
            for run in range(20):
                execution = client.start_execution(stateMachineArn=arn, name=f"t{index}-r{run}")["executionArn"]
                assert client.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
                with lock:
                    arns.append(execution)
        except BaseException as error:
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert len(set(arns)) == 160
    listed = remote_listing(endpoint.url, arn)
    assert listed == set(arns)


def remote_listing(url: str, arn: str) -> set[str]:
    """Every execution ARN ListExecutions shows for ``arn``."""
    paginator = boto3_client(url).get_paginator("list_executions")
    return {item["executionArn"] for page in paginator.paginate(stateMachineArn=arn) for item in page["executions"]}


def test_only_loopback_without_allow_remote() -> None:
    """Binding an address that is not loopback is refused unless asked for explicitly."""
    assert is_loopback("127.0.0.1")
    assert is_loopback("localhost")
    assert is_loopback("::1")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.0.2.10")
    with pytest.raises(PermissionError, match="allow_remote"):
        EndpointServer(host="0.0.0.0", port=0, settings=EndpointSettings.from_environment({}))


def test_close_releases_the_port() -> None:
    """After close() the port is free again and the server's threads are gone."""
    server = EndpointServer(port=0, settings=EndpointSettings.from_environment({})).start()
    port = server.port
    boto3_client(server.url).list_state_machines()
    server.close()
    again = EndpointServer(port=port, settings=EndpointSettings.from_environment({})).start()
    try:
        assert boto3_client(again.url).list_state_machines()["stateMachines"] == []
    finally:
        again.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("sfn-endpoint")]
