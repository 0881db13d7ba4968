"""Shared helpers for the local client tests: definitions, a recording task service, error access."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError

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


def check_boto3_surface(
    name: str,
    call: Callable[[LocalStepFunctions, str], Any],
    unknown: Mapping[str, Any],
    *,
    prepare: Callable[[LocalStepFunctions, str], None] | None = None,
    **create_options: Any,
) -> None:
    """``LocalStepFunctions.<name>`` is called as boto3 calls it and holds the client's lock.

    Positional arguments raise boto3's ``TypeError``, the parameters ``unknown`` (which include an
    unknown one) raise ``ParamValidationError``, and ``call(client, machine_arn)`` made from another
    thread while an execution runs waits until the execution has finished, then answers HTTP 200.
    ``prepare`` runs once the machine exists (``create_options`` go to ``create_state_machine``).
    """
    blocked: list[bool] = []
    holder: dict[str, Any] = {}

    class Probe:
        def invoke(self, request: TaskRequest) -> TaskOutcome:
            worker = threading.Thread(target=lambda: holder.setdefault("answer", call(sfn, holder["arn"])))
            worker.start()
            worker.join(0.2)
            blocked.append(worker.is_alive())
            holder["worker"] = worker
            return TaskOutcome.success({})

    sfn = LocalStepFunctions(services=Probe())
    task = definition({"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}})
    holder["arn"] = create(sfn, "m", text=task, **create_options)
    if prepare is not None:
        prepare(sfn, holder["arn"])
    method = getattr(sfn, name)
    with pytest.raises(TypeError, match="only accepts keyword arguments"):
        method(holder["arn"])
    with pytest.raises(ParamValidationError, match="Unknown parameter"):
        method(**unknown)
    sfn.start_execution(stateMachineArn=holder["arn"])
    holder["worker"].join(5)
    assert blocked == [True]
    assert holder["answer"]["ResponseMetadata"]["HTTPStatusCode"] == 200
