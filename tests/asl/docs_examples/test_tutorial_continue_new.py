"""The tutorial "Continue as a New Execution" of the developer guide on
:class:`~constructs_sfn.local.LocalStepFunctions`, with its two Lambda functions as Python handlers
(``Restart`` calls StartExecution on the same client, as the tutorial's function calls the service).

Page: https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-continue-new.html

The page is inconsistent about how many executions run: its excerpt of ``ShouldRestart`` tests
``NumericGreaterThan: 1`` and the page says four executions run for ``executionCount`` 4, but the
full definition it gives tests ``NumericGreaterThan: 0``, which starts a fifth (counts 4, 3, 2, 1, 0).
Both definitions are run here and each gives the count its rule implies.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from constructs_sfn.integrations import LambdaHandlers
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/LambdaRole"
CONTINUE_AS_NEW: dict[str, Any] = {
    "Comment": "Continue-as-new State Machine Example",
    "StartAt": "ConfigureCount",
    "States": {
        "ConfigureCount": {
            "Type": "Pass",
            "Result": {"count": 100, "index": -1, "step": 1},
            "ResultPath": "$.iterator",
            "Next": "Iterator",
        },
        "Iterator": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Iterator",
            "ResultPath": "$.iterator",
            "Next": "IsCountReached",
        },
        "IsCountReached": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.iterator.continue", "BooleanEquals": True, "Next": "ExampleWork"}],
            "Default": "ShouldRestart",
        },
        "ExampleWork": {
            "Comment": "Your application logic, to run a specific number of times",
            "Type": "Pass",
            "Result": {"success": True},
            "ResultPath": "$.result",
            "Next": "Iterator",
        },
        "ShouldRestart": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.restart.executionCount", "NumericGreaterThan": 0, "Next": "Restart"}],
            "Default": "Done",
        },
        "Restart": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Restart",
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
}


def iterator(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The tutorial's ``Iterator``: adds ``step`` to ``index``; ``continue`` while below ``count``."""
    index = event["iterator"]["index"] + event["iterator"]["step"]
    count = event["iterator"]["count"]
    return {"index": index, "step": event["iterator"]["step"], "count": count, "continue": index < count}


def run_tutorial(definition: dict[str, Any], execution_count: int) -> tuple[LocalStepFunctions, str, str]:
    """Create ``ContinueAsNew`` and start ``Test1``; returns the client, machine ARN and first execution ARN."""
    handlers = LambdaHandlers()
    client = LocalStepFunctions(region="us-east-1", account_id="123456789012", services=handlers)

    def restart(event: dict[str, Any], context: Any) -> str:
        """The tutorial's ``Restart``: decrement the count, start a new execution with the event."""
        event["restart"]["executionCount"] -= 1
        text = json.dumps(event)
        client.start_execution(stateMachineArn=event["restart"]["StateMachineArn"], input=text)
        return text  # the tutorial's function answers JSON.stringify(event): a string

    handlers.bind("Iterator", iterator).bind("Restart", restart)
    arn = client.create_state_machine(name="ContinueAsNew", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    first = client.start_execution(
        stateMachineArn=arn,
        name="Test1",
        input=json.dumps({"restart": {"StateMachineArn": arn, "executionCount": execution_count}}),
    )
    return client, arn, first["executionArn"]


def executions(client: LocalStepFunctions, arn: str) -> list[dict[str, Any]]:
    """Every execution of the machine, described."""
    listed = client.list_executions(stateMachineArn=arn)["executions"]
    return [client.describe_execution(executionArn=item["executionArn"]) for item in listed]


@pytest.mark.parametrize(("threshold", "expected_runs"), [(0, 5), (1, 4)], ids=["full-definition", "excerpt"])
def test_each_execution_starts_the_next_until_the_count_runs_out(threshold: int, expected_runs: int) -> None:
    """Every execution counts to 100 and, while ``executionCount`` is above the threshold, starts the
    next with the count decremented; all of them succeed.
    """
    definition = copy.deepcopy(CONTINUE_AS_NEW)
    definition["States"]["ShouldRestart"]["Choices"][0]["NumericGreaterThan"] = threshold

    client, arn, first_arn = run_tutorial(definition, 4)

    described = executions(client, arn)
    assert len(described) == expected_runs
    assert all(item["status"] == "SUCCEEDED" for item in described)
    counts = sorted(json.loads(item["input"])["restart"]["executionCount"] for item in described)
    assert counts == list(range(4 - expected_runs + 1, 5))
    first = client.describe_execution(executionArn=first_arn)
    assert first["name"] == "Test1"
    # Restart answered JSON text, so the first execution's output is a JSON string holding the event.
    assert json.loads(json.loads(first["output"]))["restart"]["executionCount"] == 3


def test_one_execution_loops_the_iterator_a_hundred_times() -> None:
    """``ConfigureCount`` sets count 100 from index -1 step 1: ExampleWork runs 100 times, then the
    iterator reports ``continue`` false with index 100.
    """
    client, _arn, first_arn = run_tutorial(CONTINUE_AS_NEW, 0)

    events = client.get_execution_history(executionArn=first_arn, maxResults=1000)["events"]
    entered = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]
    assert entered.count("ExampleWork") == 100
    assert entered.count("Iterator") == 101
    assert entered[-2:] == ["ShouldRestart", "Done"]
    final = json.loads(client.describe_execution(executionArn=first_arn)["output"])
    assert final["iterator"] == {"index": 100, "step": 1, "count": 100, "continue": False}
    assert final["result"] == {"success": True}
