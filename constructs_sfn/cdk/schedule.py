"""Starting executions on a schedule with EventBridge Scheduler.

:class:`ExecutionSchedule` says when (cron, rate or one-time expressions in a time zone, with an
optional flexible window) and how (input, the scheduler's own retry policy, a dead-letter queue,
enabled or not); :meth:`ExecutionSchedule.bind` builds it next to the state machine with a role of its
own that may start only that machine. Expressions are checked when the construct is built, so a
typo fails ``cdk synth`` rather than the deployment.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from aws_cdk import ArnFormat, Duration, Stack, TimeZone
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.acknowledgements import acknowledge_rule
from constructs_sfn.cdk.schedule_expressions import cron_problem, expression_problem, rate_expression
from constructs_sfn.cdk.validation import PropsValidator

__all__ = [
    "DEFAULT_SCHEDULED_TIME_KEY",
    "SCHEDULED_TIME",
    "SCHEDULE_DEAD_LETTER_ALARM_ID",
    "SCHEDULE_DEAD_LETTER_QUEUE_ID",
    "SCHEDULE_ID",
    "SCHEDULE_ROLE_ID",
    "ExecutionSchedule",
    "ScheduleResources",
    "alarm_on_dead_letters",
]

#: Child ids (public contract) of what :meth:`ExecutionSchedule.bind` adds to the construct.
SCHEDULE_ID = "Schedule"
SCHEDULE_ROLE_ID = "ScheduleRole"
SCHEDULE_DEAD_LETTER_QUEUE_ID = "ScheduleDeadLetterQueue"
SCHEDULE_DEAD_LETTER_ALARM_ID = "ScheduleDeadLetterAlarm"
#: EventBridge Scheduler's context attribute, replaced by the time the invocation was due.
SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"
#: The execution-input key that receives the scheduled time unless told otherwise.
DEFAULT_SCHEDULED_TIME_KEY = "scheduledTime"

_STATE_MACHINE_CONTEXT = "kms:EncryptionContext:aws:states:stateMachineArn"
_MAX_RETRY_ATTEMPTS = 185
_EVENT_AGE_RANGE_SECONDS = (60, 86_400)
_FLEXIBLE_WINDOW_RANGE_MINUTES = (1, 1440)
_DLQ_REASON = (
    "This queue is itself the dead-letter queue of an EventBridge Scheduler schedule: it holds the "
    "invocations that could not start the state machine, so a further dead-letter queue would only "
    "move them again."
)


@dataclass(frozen=True)
class _Delivery:
    input: Mapping[str, Any] | None
    scheduled_time_key: str | None
    enabled: bool
    flexible_window: Duration | None
    max_retry_attempts: int | None
    max_event_age: Duration | None
    dead_letter_queue: sqs.IQueue | None
    schedule_group: scheduler.IScheduleGroup | None
    description: str | None


class ExecutionSchedule:
    """When and how EventBridge Scheduler starts executions of the state machine.

    Use :meth:`cron`, :meth:`rate` or :meth:`expression`; the constructor is private. Every
    factory takes the same delivery options:

    - ``input``: the execution input (a JSON object). Default: ``{}`` plus the scheduled time.
    - ``scheduled_time_key``: the input key set to the time the invocation was due
      (``<aws.scheduler.scheduled-time>``, e.g. ``2026-03-22T18:00:00Z``), so an execution knows
      which period it serves even when it is retried late. ``None`` leaves ``input`` as given.
      Default: ``"scheduledTime"``.
    - ``enabled``: False creates the schedule in the DISABLED state. Default: True (ENABLED).
    - ``flexible_window``: let Scheduler start up to this long after the due time (1 to 1440
      whole minutes), spreading load. Default: no window, start at the due time.

    ``flexible_window``, ``max_retry_attempts`` and ``max_event_age`` cannot be tokens
    (aws-cdk-lib checks their bounds at synth time); the expression and time zone can.
    - ``max_retry_attempts``: Scheduler's retries of a failed StartExecution call (0 to 185).
      Default: 185.
    - ``max_event_age``: how long Scheduler keeps retrying one invocation (60 s to 24 h).
      Default: 24 hours.
    - ``dead_letter_queue``: where invocations that could not start an execution go.
      Default: a queue is created (child ``ScheduleDeadLetterQueue``): SQS-managed encryption,
      TLS-only, 14 days retention.
    - ``schedule_group``: an EventBridge Scheduler schedule group. Default: the ``default`` group.
    - ``description``: Default: a description naming the construct.
    """

    def __init__(
        self, expression: str | scheduler.ScheduleExpression | _RateOf, time_zone: str | None, delivery: _Delivery
    ) -> None:
        self._expression = expression
        self._time_zone = time_zone
        self._delivery = delivery

    @staticmethod
    def cron(
        *,
        minute: str = "0",
        hour: str = "*",
        day: str | None = None,
        month: str = "*",
        week_day: str | None = None,
        year: str = "*",
        time_zone: str | None = None,
        input: Mapping[str, Any] | None = None,
        scheduled_time_key: str | None = DEFAULT_SCHEDULED_TIME_KEY,
        enabled: bool = True,
        flexible_window: Duration | None = None,
        max_retry_attempts: int | None = None,
        max_event_age: Duration | None = None,
        dead_letter_queue: sqs.IQueue | None = None,
        schedule_group: scheduler.IScheduleGroup | None = None,
        description: str | None = None,
    ) -> ExecutionSchedule:
        """A cron schedule, field by field (EventBridge syntax: ``, - * ? / L W #``).

        Unlike a bare cron, ``minute`` defaults to ``"0"`` so ``cron(hour="8")`` fires once at
        08:00, not sixty times. ``day`` and ``week_day`` are exclusive: the one not given
        becomes ``?``. Default: every hour on the hour, UTC (``time_zone``, an IANA name such as
        ``"Europe/Paris"``, moves it and follows daylight saving time).
        """
        if day is None:
            day = "*" if week_day is None else "?"
        if week_day is None:
            week_day = "?"
        text = f"cron({minute} {hour} {day} {month} {week_day} {year})"
        return ExecutionSchedule(
            text,
            time_zone,
            _Delivery(
                input,
                scheduled_time_key,
                enabled,
                flexible_window,
                max_retry_attempts,
                max_event_age,
                dead_letter_queue,
                schedule_group,
                description,
            ),
        )

    @staticmethod
    def rate(
        interval: Duration,
        *,
        input: Mapping[str, Any] | None = None,
        scheduled_time_key: str | None = DEFAULT_SCHEDULED_TIME_KEY,
        enabled: bool = True,
        flexible_window: Duration | None = None,
        max_retry_attempts: int | None = None,
        max_event_age: Duration | None = None,
        dead_letter_queue: sqs.IQueue | None = None,
        schedule_group: scheduler.IScheduleGroup | None = None,
        description: str | None = None,
    ) -> ExecutionSchedule:
        """Every ``interval`` (whole minutes, at least one), counted from when the schedule is created."""
        expression: str | scheduler.ScheduleExpression | _RateOf = (
            scheduler.ScheduleExpression.rate(interval) if PropsValidator.is_token(interval) else _RateOf(interval)
        )
        return ExecutionSchedule(
            expression,
            None,
            _Delivery(
                input,
                scheduled_time_key,
                enabled,
                flexible_window,
                max_retry_attempts,
                max_event_age,
                dead_letter_queue,
                schedule_group,
                description,
            ),
        )

    @staticmethod
    def expression(
        expression: str,
        *,
        time_zone: str | None = None,
        input: Mapping[str, Any] | None = None,
        scheduled_time_key: str | None = DEFAULT_SCHEDULED_TIME_KEY,
        enabled: bool = True,
        flexible_window: Duration | None = None,
        max_retry_attempts: int | None = None,
        max_event_age: Duration | None = None,
        dead_letter_queue: sqs.IQueue | None = None,
        schedule_group: scheduler.IScheduleGroup | None = None,
        description: str | None = None,
    ) -> ExecutionSchedule:
        """A schedule expression as EventBridge Scheduler writes it.

        ``cron(0 8 ? * MON-FRI *)``, ``rate(15 minutes)`` or the one-time ``at(2026-12-24T18:00:00)``.
        Default time zone: UTC.
        """
        return ExecutionSchedule(
            expression,
            time_zone,
            _Delivery(
                input,
                scheduled_time_key,
                enabled,
                flexible_window,
                max_retry_attempts,
                max_event_age,
                dead_letter_queue,
                schedule_group,
                description,
            ),
        )

    @property
    def expression_string(self) -> str:
        """The schedule expression (``cron(...)``, ``rate(...)`` or ``at(...)``); may hold a token."""
        if isinstance(self._expression, _RateOf):
            return self._expression.text
        if isinstance(self._expression, scheduler.ScheduleExpression):
            return self._expression.expression_string
        return self._expression

    @property
    def time_zone(self) -> str | None:
        """The IANA time zone (None means UTC)."""
        return self._time_zone

    @property
    def enabled(self) -> bool:
        """Whether the schedule is created ENABLED."""
        return self._delivery.enabled

    def __repr__(self) -> str:
        return f"ExecutionSchedule({self.expression_string!r}, time_zone={self._time_zone!r})"

    # --- validation -------------------------------------------------------------------------

    def validate(self, check: PropsValidator, prop: str) -> None:
        """Raise ConstructPropsError (naming ``prop.<option>``) for anything Scheduler would refuse."""
        self._validate_expression(check, prop)
        delivery = self._delivery
        if self._time_zone is not None and not check.is_token(self._time_zone):
            zones = _known_time_zones()
            if zones and self._time_zone not in zones:
                check.fail(
                    f"{prop}.time_zone", f"must be an IANA time zone such as 'Europe/Paris', got {self._time_zone!r}"
                )
        self._validate_input(check, prop)
        # aws-cdk-lib compares these three with its bounds at synth time, so unlike other props
        # they cannot be tokens: refused here with a clear message rather than a jsii error.
        for option, value in (
            ("flexible_window", delivery.flexible_window),
            ("max_retry_attempts", delivery.max_retry_attempts),
            ("max_event_age", delivery.max_event_age),
        ):
            if value is not None and check.is_token(value):
                check.fail(f"{prop}.{option}", "must be known at synth time (aws-cdk-lib checks it), got a token")
        if delivery.flexible_window is not None:
            seconds = check.seconds(f"{prop}.flexible_window", delivery.flexible_window)
            low, high = _FLEXIBLE_WINDOW_RANGE_MINUTES
            if seconds is not None and not (seconds % 60 == 0 and low <= seconds / 60 <= high):
                check.fail(
                    f"{prop}.flexible_window",
                    f"must be whole minutes from {low} to {high}, got {delivery.flexible_window.to_human_string()}",
                )
        attempts = delivery.max_retry_attempts
        if attempts is not None and (
            not isinstance(attempts, int) or isinstance(attempts, bool) or not 0 <= attempts <= _MAX_RETRY_ATTEMPTS
        ):
            check.fail(
                f"{prop}.max_retry_attempts",
                f"must be a whole number from 0 to {_MAX_RETRY_ATTEMPTS}, got {attempts!r}",
            )
        if delivery.max_event_age is not None:
            seconds = check.seconds(f"{prop}.max_event_age", delivery.max_event_age)
            low, high = _EVENT_AGE_RANGE_SECONDS
            if seconds is not None and not (seconds == int(seconds) and low <= seconds <= high):
                check.fail(
                    f"{prop}.max_event_age",
                    f"must be whole seconds from {low} s to {high} s (24 hours), got {seconds:g} s",
                )
        if delivery.dead_letter_queue is not None and not hasattr(delivery.dead_letter_queue, "queue_arn"):
            check.fail(f"{prop}.dead_letter_queue", "must be an sqs.IQueue")
        if delivery.schedule_group is not None and not hasattr(delivery.schedule_group, "schedule_group_arn"):
            check.fail(f"{prop}.schedule_group", "must be a scheduler.IScheduleGroup")

    def _validate_expression(self, check: PropsValidator, prop: str) -> None:
        if isinstance(self._expression, _RateOf):
            problem = self._expression.problem
            if problem is not None:
                check.fail(f"{prop}.interval", problem)
            return
        if isinstance(self._expression, scheduler.ScheduleExpression):
            return  # a token interval
        if not isinstance(self._expression, str):
            check.fail(f"{prop}.expression", f"must be a string, got {type(self._expression).__name__}")
        if check.is_token(self._expression):
            return
        problem = expression_problem(self._expression)
        if problem is None and self._expression.startswith("cron("):
            problem = cron_problem(self._expression[5:-1])
        if problem is not None:
            check.fail(f"{prop}.expression", f"{problem}, got {self._expression!r}")

    def _validate_input(self, check: PropsValidator, prop: str) -> None:
        delivery = self._delivery
        if delivery.input is not None:
            if not isinstance(delivery.input, Mapping):
                check.fail(f"{prop}.input", f"must be a JSON object (a Mapping), got {type(delivery.input).__name__}")
            try:
                json.dumps(delivery.input)
            except (TypeError, ValueError) as error:
                check.fail(f"{prop}.input", f"must be JSON-serializable: {error}")
        key = delivery.scheduled_time_key
        if key is None:
            return
        if not isinstance(key, str) or not key:
            check.fail(f"{prop}.scheduled_time_key", f"must be a non-empty string or None, got {key!r}")
        if delivery.input is not None and key in delivery.input:
            check.fail(
                f"{prop}.scheduled_time_key",
                f"{key!r} is already a key of input; pick another key, or None to leave input as given",
            )

    # --- resources --------------------------------------------------------------------------

    def _schedule_expression(self) -> scheduler.ScheduleExpression:
        if isinstance(self._expression, scheduler.ScheduleExpression):
            return self._expression
        zone = TimeZone.of(self._time_zone) if self._time_zone is not None else None
        return scheduler.ScheduleExpression.expression(self.expression_string, zone)

    def _input(self) -> scheduler.ScheduleTargetInput:
        payload = dict(self._delivery.input or {})
        if self._delivery.scheduled_time_key is not None:
            payload[self._delivery.scheduled_time_key] = SCHEDULED_TIME
        return scheduler.ScheduleTargetInput.from_object(payload)

    def bind(
        self,
        scope: Construct,
        state_machine: sfn.IStateMachine,
        *,
        encryption_key: kms.IKey | None,
    ) -> ScheduleResources:
        """Build the schedule, its role and its dead-letter queue as children of ``scope``.

        The role (``ScheduleRole``) is trusted only by EventBridge Scheduler acting for this account
        and schedule group, and may only ``states:StartExecution`` this machine and
        ``sqs:SendMessage`` to the dead-letter queue. With a customer-managed ``encryption_key`` it
        may also use the key, only for this machine's encryption context (starting an execution
        encrypts its input).
        """
        delivery = self._delivery
        stack = Stack.of(scope)
        group_arn = (
            delivery.schedule_group.schedule_group_arn
            if delivery.schedule_group is not None
            else stack.format_arn(
                service="scheduler",
                resource="schedule-group",
                resource_name="default",
                arn_format=ArnFormat.SLASH_RESOURCE_NAME,
            )
        )
        role = iam.Role(
            scope,
            SCHEDULE_ROLE_ID,
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {"aws:SourceArn": group_arn},
                },
            ),
            description=f"EventBridge Scheduler role starting the state machine {scope.node.path}",
        )
        queue = delivery.dead_letter_queue
        if queue is None:
            created = sqs.Queue(
                scope,
                SCHEDULE_DEAD_LETTER_QUEUE_ID,
                encryption=sqs.QueueEncryption.SQS_MANAGED,
                enforce_ssl=True,
                retention_period=Duration.days(14),
            )
            acknowledge_rule(created, "AwsSolutions-SQS3", _DLQ_REASON)
            queue = created
        if encryption_key is not None:
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=["kms:GenerateDataKey", "kms:Decrypt"],
                    resources=[encryption_key.key_arn],
                    conditions={"StringEquals": {_STATE_MACHINE_CONTEXT: state_machine.state_machine_arn}},
                )
            )
        target = targets.StepFunctionsStartExecution(
            state_machine,
            input=self._input(),
            role=role,
            dead_letter_queue=queue,
            max_event_age=delivery.max_event_age,
            retry_attempts=delivery.max_retry_attempts,
        )
        window = (
            scheduler.TimeWindow.flexible(delivery.flexible_window)
            if delivery.flexible_window is not None
            else scheduler.TimeWindow.off()
        )
        built = scheduler.Schedule(
            scope,
            SCHEDULE_ID,
            schedule=self._schedule_expression(),
            target=target,
            enabled=delivery.enabled,
            time_window=window,
            schedule_group=delivery.schedule_group,
            description=delivery.description or f"Starts executions of {scope.node.path}",
        )
        return ScheduleResources(schedule=built, role=role, dead_letter_queue=queue)


class _RateOf:
    """A concrete rate interval rendered as Scheduler's ``rate(n unit)``, or why it cannot be."""

    def __init__(self, interval: Duration) -> None:
        self.text, self.problem = rate_expression(interval)


@cache
def _known_time_zones() -> frozenset[str]:
    # Empty when the machine has no time-zone database: then the check is skipped, not failed.
    return frozenset(zoneinfo.available_timezones())


@dataclass(frozen=True)
class ScheduleResources:
    """What :meth:`ExecutionSchedule.bind` built."""

    schedule: scheduler.Schedule
    role: iam.Role
    dead_letter_queue: sqs.IQueue


def alarm_on_dead_letters(scope: Construct, queue: sqs.IQueue, *, subject: str) -> cloudwatch.Alarm:
    """An alarm (child ``ScheduleDeadLetterAlarm``) raised as soon as one invocation is dead-lettered.

    Without it a schedule that can no longer start the machine (a deleted machine, a revoked
    grant, a throttled account) fails silently: nothing runs, so no execution alarm fires.
    """
    return cloudwatch.Alarm(
        scope,
        SCHEDULE_DEAD_LETTER_ALARM_ID,
        metric=queue.metric_approximate_number_of_messages_visible(period=Duration.minutes(5), statistic="Maximum"),
        threshold=1,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        alarm_description=(
            f"{subject}: scheduled invocations could not start an execution and wait in the schedule's "
            "dead-letter queue"
        ),
    )
