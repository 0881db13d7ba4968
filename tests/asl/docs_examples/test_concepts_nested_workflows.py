"""The worked examples of the developer guide's "Start Workflow Executions From a Task State" page,
run on :class:`~constructs_sfn.local.LocalStepFunctions` with
:class:`~constructs_sfn.integrations.NestedExecutions` (the child is a real local state machine).

Page: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-nested-workflows.html
"""

from __future__ import annotations

import json
from typing import Any

from constructs_sfn.integrations import NestedExecutions
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
HELLO_WORLD = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}


def parent(resource: str, child_input: dict[str, Any]) -> dict[str, Any]:
    """The page's Task state (with its Retry) as the parent machine's only state."""
    task = {
        "Type": "Task",
        "Resource": resource,
        "Parameters": {
            "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld",
            "Input": child_input,
        },
        "Retry": [{"ErrorEquals": ["StepFunctions.ExecutionLimitExceeded"]}],
        "End": True,
    }
    return {"StartAt": "Start", "States": {"Start": task}}


def machines(resource: str, child_input: dict[str, Any]) -> tuple[LocalStepFunctions, str, str]:
    """A client holding the ``HelloWorld`` child and the parent; returns the client and both ARNs."""
    client = LocalStepFunctions(region="us-east-1", account_id="123456789012", services=NestedExecutions())
    child = client.create_state_machine(name="HelloWorld", definition=json.dumps(HELLO_WORLD), roleArn=ROLE)
    made = client.create_state_machine(
        name="Parent", definition=json.dumps(parent(resource, child_input)), roleArn=ROLE
    )
    return client, child["stateMachineArn"], made["stateMachineArn"]


def test_start_execution_starts_the_child_with_the_given_input() -> None:
    """The Task starts an execution of ``HelloWorld`` with ``{"Comment": "Hello world!"}`` as input;
    without ``.sync`` the parent goes on with StartExecution's answer (executionArn, startDate).
    """
    client, child_arn, parent_arn = machines("arn:aws:states:::states:startExecution", {"Comment": "Hello world!"})

    run = client.start_execution(stateMachineArn=parent_arn)
    described = client.describe_execution(executionArn=run["executionArn"])

    assert described["status"] == "SUCCEEDED", described
    (child_run,) = client.list_executions(stateMachineArn=child_arn)["executions"]
    child = client.describe_execution(executionArn=child_run["executionArn"])
    assert json.loads(child["input"]) == {"Comment": "Hello world!"}
    output = json.loads(described["output"])
    assert output["ExecutionArn"] == child_run["executionArn"]
    assert "StartDate" in output


def test_the_parent_execution_id_is_passed_to_the_child() -> None:
    """``"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"`` hands the child the ARN of
    the execution that started it.
    """
    child_input = {"Comment": "Hello world!", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}
    client, child_arn, parent_arn = machines("arn:aws:states:::states:startExecution", child_input)

    run = client.start_execution(stateMachineArn=parent_arn)

    (child_run,) = client.list_executions(stateMachineArn=child_arn)["executions"]
    child = client.describe_execution(executionArn=child_run["executionArn"])
    assert json.loads(child["input"]) == {
        "Comment": "Hello world!",
        "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": run["executionArn"],
    }


def test_sync_waits_for_the_child_and_returns_its_output() -> None:
    """With ``.sync:2`` (the "Run a Job" pattern) the parent waits and gets the child's output as JSON."""
    client, _child_arn, parent_arn = machines(
        "arn:aws:states:::states:startExecution.sync:2", {"Comment": "Hello world!"}
    )

    run = client.start_execution(stateMachineArn=parent_arn)
    described = client.describe_execution(executionArn=run["executionArn"])

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["Status"] == "SUCCEEDED"
    assert output["Output"] == {"Comment": "Hello world!"}
