"""Eager checks of ObservableStateMachine's props, split out of the construct by purpose.

Each function raises :class:`~constructs_sfn.cdk.errors.ConstructPropsError` through the
construct's :class:`~constructs_sfn.cdk.validation.PropsValidator`, naming the prop at fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn

from constructs_sfn.cdk.alarms import EXPRESS_MAX_DURATION
from constructs_sfn.cdk.encryption import StateMachineEncryption
from constructs_sfn.cdk.options import AlarmOptions, ExecutionAlarm, StateMachineLogging
from constructs_sfn.cdk.schedule import ExecutionSchedule
from constructs_sfn.cdk.validation import PropsValidator, describe

__all__ = [
    "STANDARD_MAX_DURATION",
    "check_log_group_name",
    "check_name_for_log_group",
    "check_logging",
    "check_new_props",
    "check_prop_types",
    "check_timeout",
]

#: The longest a STANDARD execution can run.
STANDARD_MAX_DURATION = Duration.days(365)
_ALARMS_BY_NAME = {member.value: member for member in ExecutionAlarm}
_LOG_GROUP_NAME_PATTERN = re.compile(r"[\w\-./#]{1,512}")


def check_prop_types(check: PropsValidator, props: Mapping[str, Any]) -> None:
    """Refuse wrongly typed props of ObservableStateMachine before anything else reads them.

    ``props`` holds the constructor's keyword arguments by name; absent (None) optional props
    pass. Props with richer rules of their own (owner, timeout, logging, tracing, schedule,
    encryption, removal_policy, lint, alarm_options' entries) are checked where those rules are.
    """
    if props["definition_body"] is None:
        check.fail("definition_body", "is required")
    check.chainable("definition_body", props["definition_body"], body=True)
    check.state_machine_name("state_machine_name", props["state_machine_name"])
    check.text("comment", props["comment"])
    check.duration("timeout", props["timeout"])
    check.duration("execution_time_threshold", props["execution_time_threshold"])
    check.enum("query_language", props["query_language"], sfn.QueryLanguage)
    check.mapping("definition_substitutions", props["definition_substitutions"], string_values=True)
    check.interface("role", props["role"], "an IRole", "role_arn", "grant_principal")
    check.enum("log_retention", props["log_retention"], logs.RetentionDays)
    check.text("log_group_name", props["log_group_name"])
    check.interface("log_encryption_key", props["log_encryption_key"], "an IKey", "key_arn", "grant")
    check.enum("log_removal_policy", props["log_removal_policy"], RemovalPolicy)
    check.flag("alarms_enabled", props["alarms_enabled"])
    check.interface("alarm_topic", props["alarm_topic"], "an ITopic", "topic_arn", "grant_publish")
    options = props["alarm_options"]
    if options is not None and not isinstance(options, Mapping):
        check.fail("alarm_options", f"must be a mapping of ExecutionAlarm to AlarmOptions, got {describe(options)}")
    for key, value in (options or {}).items():
        kind = _ALARMS_BY_NAME.get(key) if isinstance(key, str) else None
        if kind is not None and isinstance(value, AlarmOptions):
            check.alarm_fields(f"alarm_options[{kind.name}]", value)
    check.flag("create_dashboard", props["create_dashboard"])
    suppressions = check.mapping("lint_suppressions", props["lint_suppressions"])
    for state, rules in (suppressions or {}).items():
        check.mapping(f"lint_suppressions[{state!r}]", rules, string_values=True)


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
        check.fail(
            "logging", f"must be a StateMachineLogging (all(), errors_only(...) or off(...)), got {describe(logging)}"
        )
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


def check_name_for_log_group(check: PropsValidator, state_machine_name: str | None) -> None:
    """Refuse a state machine name the default log group name (which is derived from it) cannot hold.

    Called only when logging is on and no ``log_group_name`` is given; CloudWatch Logs accepts
    letters, digits and ``_ - . / #`` in a name, Step Functions names may also hold ``+ ! @ ( ) = '``.
    """
    if state_machine_name is None or check.is_token(state_machine_name):
        return
    if not _LOG_GROUP_NAME_PATTERN.fullmatch(state_machine_name):
        check.fail(
            "state_machine_name",
            "names the default log group /aws/vendedlogs/states/<name>, which CloudWatch Logs allows only "
            f"letters, digits, _ - . in: pass log_group_name, or rename, got {state_machine_name!r}",
        )


def check_log_group_name(check: PropsValidator, name: str) -> None:
    """Refuse a log group name outside /aws/vendedlogs/ or with characters CloudWatch Logs refuses."""
    check.text("log_group_name", name)
    if not name.startswith("/aws/vendedlogs/"):
        check.fail(
            "log_group_name",
            "must start with /aws/vendedlogs/ (otherwise every state machine adds to the account's "
            f"5,120-character log resource policy and deployments start failing), got {name!r}",
        )
    if not _LOG_GROUP_NAME_PATTERN.fullmatch(name):
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
            check.fail(
                "schedule",
                f"must be an ExecutionSchedule (cron(...), rate(...) or expression(...)), got {describe(schedule)}",
            )
        schedule.validate(check, "schedule")
    if encryption is not None:
        if not isinstance(encryption, StateMachineEncryption):
            check.fail(
                "encryption",
                "must be StateMachineEncryption.aws_owned() or StateMachineEncryption.customer_managed(...), "
                f"got {describe(encryption)}",
            )
        encryption.validate(check, "encryption")
    if removal_policy is not None and not isinstance(removal_policy, RemovalPolicy):
        check.fail("removal_policy", f"must be a RemovalPolicy, got {describe(removal_policy)}")
    if removal_policy == RemovalPolicy.SNAPSHOT:
        check.fail("removal_policy", "state machines have no snapshot in CloudFormation: use RETAIN or DESTROY")
