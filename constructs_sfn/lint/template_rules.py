"""Rules about a synthesized machine's CloudFormation resource: logging, tracing, alarms, owner."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from constructs_sfn.lint.context import LintContext
from constructs_sfn.lint.findings import INFO, WARNING, Hit, Rule

__all__ = ["OWNER_TAG_KEYS", "TEMPLATE_RULES"]

OWNER_TAG_KEYS = ("owner", "team", "owned-by", "ownedby")
"""Tag keys (compared without case) that name who answers for a machine."""


def _logging_off(ctx: LintContext) -> Iterator[Hit]:
    if ctx.template is None:
        return
    logging = ctx.template.properties.get("LoggingConfiguration")
    level = logging.get("Level", "OFF") if isinstance(logging, Mapping) else "OFF"
    if level == "OFF":
        yield Hit(
            "",
            None,
            f"State machine {ctx.template.logical_id} has logging OFF: failed executions leave no log to read.",
        )


def _tracing_off(ctx: LintContext) -> Iterator[Hit]:
    if ctx.template is None:
        return
    tracing = ctx.template.properties.get("TracingConfiguration")
    if not (isinstance(tracing, Mapping) and tracing.get("Enabled") is True):
        yield Hit("", None, f"State machine {ctx.template.logical_id} has no X-Ray tracing.")


def _refers_to(value: Any, logical_id: str) -> bool:
    if isinstance(value, Mapping):
        if value.get("Ref") == logical_id:
            return True
        get_att = value.get("Fn::GetAtt")
        if isinstance(get_att, list) and get_att and get_att[0] == logical_id:
            return True
        if isinstance(get_att, str) and get_att.split(".", 1)[0] == logical_id:
            return True
        return any(_refers_to(item, logical_id) for item in value.values())
    if isinstance(value, list):
        return any(_refers_to(item, logical_id) for item in value)
    return False


def _no_alarm(ctx: LintContext) -> Iterator[Hit]:
    if ctx.template is None:
        return
    logical_id = ctx.template.logical_id
    for resource in ctx.template.resources.values():
        is_alarm = isinstance(resource, Mapping) and resource.get("Type") == "AWS::CloudWatch::Alarm"
        if is_alarm and _refers_to(resource.get("Properties"), logical_id):
            return
    yield Hit("", None, f"No CloudWatch alarm watches state machine {logical_id}: failures go unnoticed.")


def _no_owner(ctx: LintContext) -> Iterator[Hit]:
    if ctx.template is None:
        return
    tags = ctx.template.properties.get("Tags")
    for tag in tags if isinstance(tags, list) else ():
        if isinstance(tag, Mapping) and str(tag.get("Key", "")).lower() in OWNER_TAG_KEYS:
            return
    yield Hit(
        "",
        None,
        f"State machine {ctx.template.logical_id} has no Owner tag: nobody is paged, nobody knows whom to ask.",
    )


TEMPLATE_RULES = (
    Rule(
        "SFN050",
        WARNING,
        "(template) The state machine's LoggingConfiguration is absent or Level OFF.",
        "Log at least ERROR to a log group (ObservableStateMachine does by default).",
        _logging_off,
        needs_template=True,
    ),
    Rule(
        "SFN051",
        INFO,
        "(template) The state machine has no X-Ray tracing.",
        "Enable tracing (CDK: tracing_enabled=True; ObservableStateMachine does by default).",
        _tracing_off,
        needs_template=True,
    ),
    Rule(
        "SFN052",
        WARNING,
        "(template) No CloudWatch alarm refers to the state machine.",
        "Alarm on ExecutionsFailed / ExecutionsTimedOut (ObservableStateMachine creates them).",
        _no_alarm,
        needs_template=True,
    ),
    Rule(
        "SFN053",
        WARNING,
        "(template) The state machine has no Owner (or Team) tag.",
        "Tag the machine with its owner (Tags.of(machine).add('Owner', 'team'); ObservableStateMachine's owner=).",
        _no_owner,
        needs_template=True,
    ),
)
"""SFN050-SFN053."""
