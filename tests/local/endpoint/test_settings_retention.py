"""The endpoint's retention bound: ``EndpointSettings.max_executions`` reaches the client it builds.

A long-lived endpoint forgets the oldest closed executions beyond the bound and then answers
``ExecutionDoesNotExist`` for them, as AWS does after its retention period
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local.client import DEFAULT_MAX_EXECUTIONS
from constructs_sfn.local.endpoint import EndpointConfigError, EndpointServer, EndpointSettings

from .conftest import ROLE, boto3_client

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def test_the_default_is_the_clients_bound() -> None:
    settings = EndpointSettings.from_environment({})
    assert settings.max_executions == DEFAULT_MAX_EXECUTIONS
    assert settings.build_client().max_executions == DEFAULT_MAX_EXECUTIONS


def test_none_and_a_number_reach_the_client() -> None:
    assert EndpointSettings.from_environment({}, max_executions=None).build_client().max_executions is None
    assert EndpointSettings.from_environment({}, max_executions=7).build_client().max_executions == 7


@pytest.mark.parametrize("bad", [0, -5])
def test_a_bound_below_one_is_a_configuration_error(bad: int) -> None:
    with pytest.raises(EndpointConfigError, match=f"max executions {bad} must be at least 1"):
        EndpointSettings(max_executions=bad)


def test_an_endpoint_forgets_the_oldest_closed_executions() -> None:
    settings = EndpointSettings.from_environment({}, max_executions=2)
    with EndpointServer(port=0, settings=settings) as server:
        remote = boto3_client(server.url)
        arn = remote.create_state_machine(name="p", definition=PASS, roleArn=ROLE)["stateMachineArn"]
        started = [remote.start_execution(stateMachineArn=arn)["executionArn"] for _ in range(3)]
        listed = [item["executionArn"] for item in remote.list_executions(stateMachineArn=arn)["executions"]]
        with pytest.raises(ClientError) as refused:
            remote.get_execution_history(executionArn=started[0])
    assert listed == [started[2], started[1]]
    assert refused.value.response["Error"]["Code"] == "ExecutionDoesNotExist"
