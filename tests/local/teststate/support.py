"""Shared helpers for the TestState tests: resources and a scripted task service."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.local.teststate import TestStateScope, run_test_state

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:worker"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
SQS_CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
ACTIVITY_ARN = "arn:aws:states:us-east-1:123456789012:activity:approve"


class FakeService:
    """A TaskService answering from a script: one outcome (or callable) per call, last one repeats.

    Every request is kept in ``requests`` so tests can assert what the runtime sent.
    """

    def __init__(self, *script: TaskOutcome | Callable[[TaskRequest], TaskOutcome]) -> None:
        self.script = list(script) or [TaskOutcome.success({})]
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Answer with the next scripted outcome."""
        step = self.script[min(len(self.requests), len(self.script) - 1)]
        self.requests.append(request)
        return step(request) if callable(step) else step


ERROR_MOCK = {"errorOutput": {"error": "Mock.Error", "cause": "mocked"}}
SCOPE = TestStateScope(region="eu-west-1", account_id="111111111111", partition="aws")
PROCESSOR = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def run(state: dict[str, Any], input_value: Any = None, **options: Any) -> dict[str, Any]:
    """Run a bare state at DEBUG level in a fixed scope."""
    options.setdefault("inspection_level", "DEBUG")
    return run_test_state(
        definition=state,
        state_name=None,
        input_value={} if input_value is None else input_value,
        scope=SCOPE,
        **options,
    )


def try_state(state: dict[str, Any], input_value: Any = None, **options: Any) -> dict[str, Any]:
    """Run ``state`` (a bare state document) through TestState at the default (INFO) level."""
    return run_test_state(
        definition=state, state_name=None, input_value={} if input_value is None else input_value, **options
    )


def output(response: dict[str, Any]) -> Any:
    """The decoded output."""
    return json.loads(response["output"])
