"""Rules for EXPRESS machines: no waiting for callbacks or jobs, short Waits, idempotent Tasks."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from constructs_sfn.asl.model import TaskState, WaitState
from constructs_sfn.lint.context import LintContext, StateInfo, strings_in
from constructs_sfn.lint.findings import ERROR, WARNING, Hit, Rule
from constructs_sfn.lint.integrations import is_activity, is_callback, is_lambda, is_sync, payload

__all__ = ["EXPRESS_MAX_SECONDS", "EXPRESS_RULES"]

EXPRESS_MAX_SECONDS = 300
"""An Express execution runs for at most five minutes."""

_STATES = "arn:aws:states:::"
# Integrations whose effect happens again when the request is repeated (a duplicate message, event,
# execution or increment), unless the request carries a deduplication key.
_REPEATS_EFFECT = {
    "sqs:sendMessage": "sends the message again",
    "sns:publish": "publishes the message again",
    "events:putEvents": "puts the events again",
    "states:startExecution": "starts another execution unless a Name is given",
    "ecs:runTask": "runs another task",
    "batch:submitJob": "submits another job",
}
_DEDUPLICATION_KEYS = re.compile(r"idempoten|deduplication|clienttoken|clientrequesttoken", re.IGNORECASE)
_MONEY_OR_COUNTER = re.compile(r"pay|charge|bill|refund|invoice|transfer|increment|counter", re.IGNORECASE)
_COUNTER_EXPRESSION = re.compile(r"\bADD\b|[+-]\s*:", re.IGNORECASE)


def _express_pattern(ctx: LintContext) -> Iterator[Hit]:
    if not ctx.is_express:
        return
    for info in ctx.states("Task"):
        task = info.state
        if not isinstance(task, TaskState):
            continue
        if is_callback(task.resource) or is_sync(task.resource) or is_activity(task.resource):
            kind = "an activity" if is_activity(task.resource) else task.resource.rsplit(".", 1)[-1]
            yield Hit(
                f"{info.pointer}/Resource",
                info.name,
                f"Task {info.name!r} of an EXPRESS machine uses {kind} ({task.resource}): Express workflows "
                "support neither .sync, .waitForTaskToken nor activities.",
            )


def _long_wait(ctx: LintContext) -> Iterator[Hit]:
    if not ctx.is_express:
        return
    for info in ctx.states("Wait"):
        wait = info.state
        if not isinstance(wait, WaitState):
            continue
        if isinstance(wait.seconds, int | float) and not isinstance(wait.seconds, bool):
            if wait.seconds >= EXPRESS_MAX_SECONDS:
                yield Hit(
                    f"{info.pointer}/Seconds",
                    info.name,
                    f"Wait {info.name!r} waits {wait.seconds:g} s in an EXPRESS machine, which runs for at most "
                    f"{EXPRESS_MAX_SECONDS} s: the execution always times out here.",
                )
        else:
            yield Hit(
                info.pointer,
                info.name,
                f"Wait {info.name!r} of an EXPRESS machine waits for a time computed at run time: the execution "
                f"fails when it is more than {EXPRESS_MAX_SECONDS} s away.",
                severity=WARNING,
            )


def _repeats_effect(info: StateInfo) -> str | None:
    task = info.state
    assert isinstance(task, TaskState)
    params = payload(info)
    texts = list(strings_in(params))
    if any(_DEDUPLICATION_KEYS.search(text) for text in texts):
        return None
    action = task.resource.removeprefix(_STATES) if task.resource.startswith(_STATES) else ""
    if action == "states:startExecution" and isinstance(params, Mapping) and ("Name" in params or "Name.$" in params):
        return None
    if action in _REPEATS_EFFECT:
        return _REPEATS_EFFECT[action]
    if action.endswith("dynamodb:updateItem") and isinstance(params, Mapping):
        expression = params.get("UpdateExpression")
        if isinstance(expression, str) and _COUNTER_EXPRESSION.search(expression):
            return "adds to the counter again"
    if is_lambda(task.resource) or action.startswith("aws-sdk:"):
        target = task.resource
        if isinstance(params, Mapping):
            target += " " + str(params.get("FunctionName", ""))
        if _MONEY_OR_COUNTER.search(target):
            return "repeats a payment or counter update (by its name)"
    return None


def _not_idempotent(ctx: LintContext) -> Iterator[Hit]:
    if not ctx.is_express:
        return
    for info in ctx.states("Task"):
        if not isinstance(info.state, TaskState):
            continue
        effect = _repeats_effect(info)
        if effect is not None:
            yield Hit(
                info.pointer,
                info.name,
                f"Task {info.name!r} of an EXPRESS machine calls {info.state.resource}, which {effect} when it runs "
                "twice: asynchronous Express executions run at least once, and retries repeat the call.",
            )


EXPRESS_RULES = (
    Rule(
        "SFN020",
        ERROR,
        "An EXPRESS machine with a .sync or .waitForTaskToken Task, or an activity.",
        "Use a STANDARD machine for work that waits for jobs or callbacks (or start a STANDARD child execution).",
        _express_pattern,
        validator_codes=("SCHEMA_VALIDATION_FAILED",),
    ),
    Rule(
        "SFN021",
        ERROR,
        "An EXPRESS machine with a Wait of five minutes or more (warning: a Wait computed at run time).",
        "Keep waits of an Express machine well under five minutes, or use a STANDARD machine.",
        _long_wait,
    ),
    Rule(
        "SFN022",
        WARNING,
        "An EXPRESS machine with a Task that is not idempotent by its service's nature "
        "(messages, events, executions, counters, payments) and carries no idempotency key.",
        'Pass an idempotency key derived from the execution ("idempotencyKey.$": "$$.Execution.Name", '
        "MessageDeduplicationId, a startExecution Name), or use a STANDARD machine (exactly once).",
        _not_idempotent,
    ),
)
"""SFN020-SFN022."""
