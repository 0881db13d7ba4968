"""Shared helpers for the TestState tests: resources and a scripted task service."""

from __future__ import annotations

from collections.abc import Callable

from constructs_sfn.asl.services import TaskOutcome, TaskRequest

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
