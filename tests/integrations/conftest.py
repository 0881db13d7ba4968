"""Shared fixtures for the integration tests: TaskRequest factories (the runtime is not needed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from constructs_sfn.asl.services import TaskRequest

STATE_MACHINE_ARN = "arn:aws:states:eu-west-1:111122223333:stateMachine:Orders"
EXECUTION_ARN = "arn:aws:states:eu-west-1:111122223333:execution:Orders:run-1"

RequestFactory = Callable[..., TaskRequest]


def build_request(
    resource: str,
    parameters: Any = None,
    *,
    state_name: str = "Task",
    attempt: int = 0,
    execution_arn: str = EXECUTION_ARN,
    state_machine_arn: str = STATE_MACHINE_ARN,
    test_case: str | None = None,
    entered_time: str = "2024-05-01T12:00:00.000Z",
    **extra: Any,
) -> TaskRequest:
    """A TaskRequest as the runtime would build it for one attempt of a Task state."""
    context = {
        "Execution": {"Id": execution_arn, "Name": execution_arn.rsplit(":", 1)[-1]},
        "StateMachine": {"Id": state_machine_arn, "Name": state_machine_arn.rsplit(":", 1)[-1]},
        "State": {"Name": state_name, "EnteredTime": entered_time, "RetryCount": attempt},
    }
    return TaskRequest(
        resource=resource,
        parameters=parameters,
        state_name=state_name,
        execution_arn=execution_arn,
        state_machine_arn=state_machine_arn,
        context=context,
        attempt=attempt,
        test_case=test_case,
        **extra,
    )


@pytest.fixture
def make_request() -> RequestFactory:
    """Factory for TaskRequests: ``make_request(resource, parameters, state_name=..., ...)``."""
    return build_request
