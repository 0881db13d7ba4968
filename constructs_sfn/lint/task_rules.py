"""Rules about Task states: timeouts, heartbeats, task tokens and Lambda's transient errors."""

from __future__ import annotations

from collections.abc import Iterator

from constructs_sfn.asl.model import TaskState
from constructs_sfn.lint.context import LintContext, strings_in
from constructs_sfn.lint.findings import ERROR, WARNING, Hit, Rule
from constructs_sfn.lint.integrations import (
    LAMBDA_TRANSIENT_ERRORS,
    is_callback,
    is_lambda,
    payload,
    retries_error,
)

__all__ = ["TASK_RULES"]

_TOKEN_REFERENCES = ("$$.Task.Token", "$states.context.Task.Token")


def _tasks(ctx: LintContext) -> Iterator[tuple[TaskState, str, str]]:
    for info in ctx.states("Task"):
        if isinstance(info.state, TaskState):
            yield info.state, info.pointer, info.name


def _has_timeout(task: TaskState) -> bool:
    return task.timeout_seconds is not None or task.timeout_seconds_path is not None


def _has_heartbeat(task: TaskState) -> bool:
    return task.heartbeat_seconds is not None or task.heartbeat_seconds_path is not None


def _missing_timeout(ctx: LintContext) -> Iterator[Hit]:
    limit = "five minutes for an EXPRESS machine" if ctx.is_express else "up to a year for a STANDARD machine"
    for task, pointer, name in _tasks(ctx):
        if not _has_timeout(task) and not is_callback(task.resource):
            yield Hit(
                pointer,
                name,
                f"Task {name!r} has no TimeoutSeconds: if {task.resource} never answers, the state waits "
                f"until the execution itself times out ({limit}).",
            )


def _callback_without_deadline(ctx: LintContext) -> Iterator[Hit]:
    machine_deadline = ctx.definition.timeout_seconds is not None
    for task, pointer, name in _tasks(ctx):
        if is_callback(task.resource) and not _has_timeout(task) and not _has_heartbeat(task) and not machine_deadline:
            yield Hit(
                pointer,
                name,
                f"Callback Task {name!r} has neither HeartbeatSeconds nor TimeoutSeconds, and the machine has no "
                "TimeoutSeconds: a lost task token leaves the execution waiting for a year.",
            )


def _token_never_passed(ctx: LintContext) -> Iterator[Hit]:
    for info in ctx.states("Task"):
        task = info.state
        if not isinstance(task, TaskState) or not is_callback(task.resource):
            continue
        field = "Arguments" if task.is_jsonata else "Parameters"
        if not any(ref in text for text in strings_in(payload(info)) for ref in _TOKEN_REFERENCES):
            reference = "$states.context.Task.Token" if task.is_jsonata else "$$.Task.Token"
            yield Hit(
                f"{info.pointer}/{field}" if field in info.raw else info.pointer,
                info.name,
                f"Task {info.name!r} waits for a task token ({task.resource}) but its {field} never pass "
                f"{reference}: nobody can ever call SendTaskSuccess, so the state waits until it times out.",
                fix=f'Pass the token in the {field}, e.g. "taskToken.$": "$$.Task.Token" (JSONPath) or '
                '"taskToken": "{% $states.context.Task.Token %}" (JSONata).',
            )


def _lambda_without_retry(ctx: LintContext) -> Iterator[Hit]:
    for task, pointer, name in _tasks(ctx):
        if not is_lambda(task.resource):
            continue
        missing = [error for error in LAMBDA_TRANSIENT_ERRORS if not retries_error(task.retry, error)]
        if missing:
            yield Hit(
                f"{pointer}/Retry" if task.retry else pointer,
                name,
                f"Task {name!r} invokes Lambda but does not retry its transient errors {', '.join(missing)}: "
                "a short Lambda service hiccup fails the state.",
            )


TASK_RULES = (
    Rule(
        "SFN001",
        WARNING,
        "A Task without TimeoutSeconds (or TimeoutSecondsPath) waits as long as the execution may run.",
        "Set TimeoutSeconds to the longest time the work may take (CDK: task_timeout=sfn.Timeout.duration(...)).",
        _missing_timeout,
    ),
    Rule(
        "SFN002",
        ERROR,
        "A .waitForTaskToken Task with neither HeartbeatSeconds nor TimeoutSeconds (nor a machine TimeoutSeconds).",
        "Give the callback a deadline: TimeoutSeconds (and HeartbeatSeconds when the worker can report progress), "
        "and Catch States.Timeout.",
        _callback_without_deadline,
    ),
    Rule(
        "SFN003",
        ERROR,
        "A .waitForTaskToken Task whose Parameters/Arguments never pass $$.Task.Token ($states.context.Task.Token).",
        'Pass the task token to the worker in the Parameters ("taskToken.$": "$$.Task.Token").',
        _token_never_passed,
    ),
    Rule(
        "SFN004",
        WARNING,
        "A Lambda Task that does not retry Lambda.ServiceException, Lambda.AWSLambdaException, "
        "Lambda.SdkClientException and Lambda.TooManyRequestsException.",
        "Add a Retry for the four transient Lambda errors (IntervalSeconds 1-2, MaxAttempts 3-6, BackoffRate 2, "
        "MaxDelaySeconds, JitterStrategy FULL).",
        _lambda_without_retry,
    ),
)
"""SFN001-SFN004."""
