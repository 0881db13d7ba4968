"""Shared helpers for the local client tests: definitions, a recording task service, error access."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"


def definition(states: dict[str, Any], start: str | None = None, **top: Any) -> str:
    """Definition text with ``states`` (StartAt defaults to the first state)."""
    return json.dumps({"StartAt": start or next(iter(states)), "States": states, **top})


PASS = definition({"Hello": {"Type": "Pass", "Result": {"greeting": "hi"}, "End": True}})
FAIL = definition({"Boom": {"Type": "Fail", "Error": "Oops", "Cause": "it broke"}})
CALLBACK = definition(
    {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "HeartbeatSeconds": 60,
            "End": True,
        }
    }
)


class RecordingService:
    """A task service that answers every request with ``{}`` and remembers the requests."""

    def __init__(self) -> None:
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Record the request; succeed immediately with an empty object."""
        self.requests.append(request)
        return TaskOutcome.success({})

    @property
    def tokens(self) -> list[str]:
        """The task tokens handed to the service, in order."""
        return [request.task_token for request in self.requests if request.task_token]


def create(client: LocalStepFunctions, name: str = "machine", text: str = PASS, **extra: Any) -> str:
    """Create a state machine and return its ARN."""
    return str(client.create_state_machine(name=name, definition=text, roleArn=ROLE, **extra)["stateMachineArn"])


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """``(code, message)`` of a raised ClientError."""
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]
