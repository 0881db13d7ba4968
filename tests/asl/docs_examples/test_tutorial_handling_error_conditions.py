"""The tutorial "Handling Error Conditions Using a State Machine" of the developer guide, with the
tutorial's ``FailFunction`` written as a Python Lambda handler.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-handling-error-conditions.html

(The tutorial says Step Functions "retries the function twice"; its definition has no Retry, so the
function runs once and the Catch decides.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from docs_support import entered, run

from constructs_sfn.asl import StatesError
from constructs_sfn.integrations import LambdaHandlers
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/R"
FAIL_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:FailFunction"
CATCH_FAILURE = {
    "Comment": "A Catch example of the Amazon States Language using an AWS Lambda function",
    "StartAt": "CreateAccount",
    "States": {
        "CreateAccount": {
            "Type": "Task",
            "Resource": FAIL_FUNCTION,
            "Catch": [
                {"ErrorEquals": ["CustomError"], "Next": "CustomErrorFallback"},
                {"ErrorEquals": ["States.TaskFailed"], "Next": "ReservedTypeFallback"},
                {"ErrorEquals": ["States.ALL"], "Next": "CatchAllFallback"},
            ],
            "End": True,
        },
        "CustomErrorFallback": {
            "Type": "Pass",
            "Result": "This is a fallback from a custom Lambda function exception",
            "End": True,
        },
        "ReservedTypeFallback": {
            "Type": "Pass",
            "Result": "This is a fallback from a reserved error code",
            "End": True,
        },
        "CatchAllFallback": {"Type": "Pass", "Result": "This is a fallback from any error code", "End": True},
    },
}


class CustomError(Exception):
    """The tutorial's error type: its name is the error Step Functions sees."""


def raises(error: Exception) -> LambdaHandlers:
    """``FailFunction`` as a handler that raises ``error``."""

    def handler(event: Any, context: Any) -> Any:
        raise error

    return LambdaHandlers({"FailFunction": handler})


def test_the_custom_error_goes_to_its_own_fallback() -> None:
    """``CustomError('This is a custom error!')`` matches the first catcher."""
    execution = run(CATCH_FAILURE, {}, worker=raises(CustomError("This is a custom error!")))

    assert entered(execution) == ["CreateAccount", "CustomErrorFallback"]
    assert execution.output == "This is a fallback from a custom Lambda function exception"
    caught = [e for e in execution.events if e["type"] == "LambdaFunctionFailed"]
    assert caught[0]["lambdaFunctionFailedEventDetails"]["error"] == "CustomError"
    assert (
        json.loads(caught[0]["lambdaFunctionFailedEventDetails"]["cause"])["errorMessage"] == "This is a custom error!"
    )


def test_another_function_error_is_a_task_failure() -> None:
    """Any other error the function raises is matched by ``States.TaskFailed``."""
    execution = run(CATCH_FAILURE, {}, worker=raises(ValueError("bad value")))

    assert entered(execution) == ["CreateAccount", "ReservedTypeFallback"]


def test_a_timeout_is_not_a_task_failure_and_falls_to_states_all() -> None:
    """``States.Timeout`` is not matched by ``States.TaskFailed``; only ``States.ALL`` catches it."""
    execution = run(CATCH_FAILURE, {}, worker=raises(StatesError("States.Timeout", "took too long")))

    assert entered(execution) == ["CreateAccount", "CatchAllFallback"]


@pytest.mark.parametrize(
    "name",
    [
        "has space",
        "tab\there",
        "wild*card",
        "what?",
        "<angle>",
        "{brace}",
        "[bracket]",
        "colon:",
        "semi;",
        "comma,",
        "back\\slash",
        "pipe|",
        "caret^",
        "tilde~",
        "dollar$",
        "hash#",
        "percent%",
        "amp&",
        "back`tick",
        'quote"',
        "ctl\u0001",
        "ctl\u007f",
        "ctl\u009f",
    ],
)
def test_state_machine_names_the_tutorial_rules_out(name: str) -> None:
    """Names must not hold whitespace, wildcards, brackets, the listed special characters or control
    characters: CreateStateMachine refuses them with ``InvalidName``.
    """
    client = LocalStepFunctions()

    with pytest.raises(ClientError) as raised:
        client.create_state_machine(name=name, definition=json.dumps(CATCH_FAILURE), roleArn=ROLE)

    assert raised.value.response["Error"]["Code"] == "InvalidName"


def test_a_name_longer_than_80_characters_fails_the_length_constraint() -> None:
    """Names are 1-80 characters; a longer one fails the request's length constraint
    (``ValidationException``, before the name's characters are looked at).
    """
    client = LocalStepFunctions()

    with pytest.raises(ClientError) as raised:
        client.create_state_machine(name="x" * 81, definition=json.dumps(CATCH_FAILURE), roleArn=ROLE)

    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "length less than or equal to 80" in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize("name", ["Catchfailure", "x" * 80, "ünïcödé-名前", "dots.and-dashes_ok"])
def test_state_machine_names_the_tutorial_allows(name: str) -> None:
    """Up to 80 characters; non-ASCII letters are allowed (they only do not work with CloudWatch)."""
    client = LocalStepFunctions()

    made = client.create_state_machine(name=name, definition=json.dumps(CATCH_FAILURE), roleArn=ROLE)

    assert made["stateMachineArn"].endswith(":stateMachine:" + name)
