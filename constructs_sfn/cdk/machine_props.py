"""Eager checks of ObservableStateMachine's props, split out of the construct by purpose.

Each function raises :class:`~constructs_sfn.cdk.errors.ConstructPropsError` through the
construct's :class:`~constructs_sfn.cdk.validation.PropsValidator`, naming the prop at fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_stepfunctions as sfn

from constructs_sfn.cdk.alarms import EXPRESS_MAX_DURATION
from constructs_sfn.cdk.encryption import StateMachineEncryption
from constructs_sfn.cdk.options import StateMachineLogging
from constructs_sfn.cdk.schedule import ExecutionSchedule
from constructs_sfn.cdk.validation import PropsValidator

__all__ = ["STANDARD_MAX_DURATION", "check_log_group_name", "check_logging", "check_new_props", "check_timeout"]

#: The longest a STANDARD execution can run.
STANDARD_MAX_DURATION = Duration.days(365)
_LOG_GROUP_NAME_PATTERN = re.compile(r"^[\w\-./#]{1,512}$")


def check_timeout(check: PropsValidator, timeout: Duration | None, *, express: bool) -> float | None:
    """The timeout in seconds (None when absent or a token); refuses what Step Functions would."""
    seconds = check.seconds("timeout", timeout)
    if seconds is None:
        return None
    limit = EXPRESS_MAX_DURATION if express else STANDARD_MAX_DURATION
    if seconds > limit.to_seconds():
        kind = "EXPRESS" if express else "STANDARD"
        check.fail(
            "timeout",
            f"{kind} executions run at most {limit.to_human_string()}, got {seconds:g} s",
        )
    if seconds != int(seconds):
        check.fail("timeout", f"must be whole seconds (TimeoutSeconds), got {seconds:g} s")
    return seconds


def check_logging(
    check: PropsValidator,
    logging: StateMachineLogging,
    *,
    express: bool,
    log_props: Mapping[str, object],
) -> None:
    """Refuse a logging choice that is not an option, log props without logs, or thin EXPRESS logs."""
    if not isinstance(logging, StateMachineLogging):
        check.fail("logging", "must be a StateMachineLogging (all(), errors_only(...) or off(...))")
    if not logging.enabled:
        for prop, value in log_props.items():
            if value is not None:
                check.fail(prop, "has no effect with StateMachineLogging.off(); remove one of the two")
        return
    if express and (logging.level != sfn.LogLevel.ALL or not logging.include_execution_data):
        check.fail(
            "logging",
            "EXPRESS executions have no history outside their logs: use StateMachineLogging.all() "
            "(level ALL with execution data), or opt out explicitly with "
            "StateMachineLogging.off(reason=...)",
        )


def check_log_group_name(check: PropsValidator, name: str) -> None:
    """Refuse a log group name outside /aws/vendedlogs/ or with characters CloudWatch Logs refuses."""
    if not name.startswith("/aws/vendedlogs/"):
        check.fail(
            "log_group_name",
            "must start with /aws/vendedlogs/ (otherwise every state machine adds to the account's "
            f"5,120-character log resource policy and deployments start failing), got {name!r}",
        )
    if not _LOG_GROUP_NAME_PATTERN.match(name):
        check.fail(
            "log_group_name",
            f"must be up to 512 letters, digits and _ - . / #, got {name!r}",
        )


def check_new_props(
    check: PropsValidator,
    schedule: ExecutionSchedule | None,
    encryption: StateMachineEncryption | None,
    removal_policy: RemovalPolicy | None,
) -> None:
    """Validate ``schedule``, ``encryption`` and ``removal_policy``."""
    if schedule is not None:
        if not isinstance(schedule, ExecutionSchedule):
            check.fail("schedule", "must be an ExecutionSchedule (cron(...), rate(...) or expression(...))")
        schedule.validate(check, "schedule")
    if encryption is not None:
        if not isinstance(encryption, StateMachineEncryption):
            check.fail(
                "encryption",
                "must be StateMachineEncryption.aws_owned() or StateMachineEncryption.customer_managed(...)",
            )
        encryption.validate(check, "encryption")
    if removal_policy is not None and not isinstance(removal_policy, RemovalPolicy):
        check.fail("removal_policy", f"must be a RemovalPolicy, got {removal_policy!r}")
    if removal_policy == RemovalPolicy.SNAPSHOT:
        check.fail("removal_policy", "state machines have no snapshot in CloudFormation: use RETAIN or DESTROY")
