"""How a Task's resource behaves: integration pattern, Lambda or not, asynchronous or not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.model import Retrier, TaskState
from constructs_sfn.lint.context import StateInfo

__all__ = [
    "LAMBDA_TRANSIENT_ERRORS",
    "is_activity",
    "is_async_send",
    "is_callback",
    "is_lambda",
    "is_sync",
    "payload",
    "retries_error",
]

LAMBDA_TRANSIENT_ERRORS = (
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
)
"""The Lambda errors AWS recommends retrying: the service's, not your function's."""

_STATES = "arn:aws:states:::"
_ASYNC_SENDS = ("sns:publish", "sqs:sendMessage", "events:putEvents", "states:startExecution")


def is_callback(resource: str) -> bool:
    """``.waitForTaskToken``: the Task waits until someone calls SendTaskSuccess/Failure."""
    return resource.endswith(".waitForTaskToken")


def is_sync(resource: str) -> bool:
    """``.sync`` / ``.sync:2``: the Task waits for the job it started."""
    return ".sync" in resource.rsplit(":::", 1)[-1] if resource.startswith(_STATES) else False


def is_activity(resource: str) -> bool:
    """An activity ARN: a worker polls GetActivityTask."""
    return resource.startswith("arn:") and ":activity:" in resource


def is_lambda(resource: str) -> bool:
    """A Lambda function ARN or the ``lambda:invoke`` integration (any pattern)."""
    return (resource.startswith("arn:") and ":lambda:" in resource and ":function:" in resource) or (
        resource.startswith(_STATES + "lambda:invoke")
    )


def payload(info: StateInfo) -> Any:
    """What the Task sends: ``Parameters`` (JSONPath) or ``Arguments`` (JSONata), raw."""
    return info.raw.get("Arguments") if info.state.is_jsonata else info.raw.get("Parameters")


def is_async_send(info: StateInfo) -> bool:
    """A Task that only hands work to someone else and does not wait for it to happen."""
    state = info.state
    if not isinstance(state, TaskState) or is_callback(state.resource) or is_sync(state.resource):
        return False
    action = state.resource.removeprefix(_STATES)
    if action in _ASYNC_SENDS:
        return True
    if action == "lambda:invoke":
        params = payload(info)
        return isinstance(params, Mapping) and params.get("InvocationType") == "Event"
    return False


def retries_error(retriers: tuple[Retrier, ...], error: str) -> bool:
    """True when a retrier that retries at least once matches ``error``.

    ``States.TaskFailed`` matches every error but ``States.Timeout``; ``States.ALL`` matches all.
    """
    for retrier in retriers:
        if retrier.max_attempts <= 0:
            continue
        names = retrier.error_equals
        if error in names or "States.ALL" in names or ("States.TaskFailed" in names and error != "States.Timeout"):
            return True
    return False
