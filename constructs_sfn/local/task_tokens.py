"""Callbacks: ``SendTaskSuccess``, ``SendTaskFailure``, ``SendTaskHeartbeat``.

A task token routes the call to the execution waiting on it. The token of an execution that has
ended (or of a task that timed out) answers ``TaskTimedOut``; a token the client never handed out
answers ``InvalidToken``. See
https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token.
"""

# boto3's keyword names (taskToken, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

from typing import Any

from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.host import ClientHost, given
from constructs_sfn.local.json_text import JsonSyntaxError, held_json_text, parse_json_text
from constructs_sfn.local.records import ExecutionRecord
from constructs_sfn.local.request_validation import boto3_parameters

__all__ = ["TaskTokenOperations"]

_TASK_GONE = "Task Timed Out: 'Provided task does not exist anymore'"


@boto3_parameters
class TaskTokenOperations:
    """The callback operations of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def send_task_success(self: ClientHost, *, taskToken: str, output: str) -> dict[str, Any]:
        """``SendTaskSuccess``: resume the task waiting on ``taskToken`` with ``output``."""
        operation = "SendTaskSuccess"
        self._validate(operation, given(taskToken=taskToken, output=output))
        record = _waiting_on(self, taskToken, operation)
        try:
            value = parse_json_text(output)
        except JsonSyntaxError as bad:
            raise self._error(AwsErrorCode.INVALID_OUTPUT, f"Invalid Output: '{bad.message}'", operation) from None
        record.execution.send_task_success(taskToken, held_json_text(output, value))
        self._track(record)
        return self._ok({})

    def send_task_failure(
        self: ClientHost, *, taskToken: str, error: str | None = None, cause: str | None = None
    ) -> dict[str, Any]:
        """``SendTaskFailure``: fail the task waiting on ``taskToken`` (Retry/Catch apply)."""
        operation = "SendTaskFailure"
        self._validate(operation, given(taskToken=taskToken, error=error, cause=cause))
        record = _waiting_on(self, taskToken, operation)
        record.execution.send_task_failure(taskToken, error, cause)
        self._track(record)
        return self._ok({})

    def send_task_heartbeat(self: ClientHost, *, taskToken: str) -> dict[str, Any]:
        """``SendTaskHeartbeat``: reset the heartbeat timer of the task waiting on ``taskToken``."""
        operation = "SendTaskHeartbeat"
        self._validate(operation, given(taskToken=taskToken))
        record = _waiting_on(self, taskToken, operation)
        record.execution.send_task_heartbeat(taskToken)
        return self._ok({})


def _waiting_on(host: ClientHost, token: str, operation: str) -> ExecutionRecord:
    record = host._token_owners.get(token)
    if record is None:
        if token in host._retired_tokens:
            raise host._error(AwsErrorCode.TASK_TIMED_OUT, _TASK_GONE, operation)
        raise host._error(AwsErrorCode.INVALID_TOKEN, "Invalid Token: 'Invalid token'", operation)
    if record.execution.status != "RUNNING" or token not in record.execution.tokens:
        raise host._error(AwsErrorCode.TASK_TIMED_OUT, _TASK_GONE, operation)
    return record
