"""ObservableStateMachine: a Step Functions state machine with production defaults.

Logging, X-Ray tracing, alarms wired to a topic, a dashboard, an owner tag on every resource and
a least-privilege role: what every team would otherwise hand-wire, and what the other constructs
of this package build on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import Annotations, ArnFormat, AspectPriority, Aspects, Duration, Names, RemovalPolicy, Stack, Tags
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.acknowledgements import reason_problem
from constructs_sfn.cdk.alarms import default_execution_time_threshold, resolve_alarms
from constructs_sfn.cdk.dashboard import create_dashboard as build_dashboard
from constructs_sfn.cdk.encryption import StateMachineEncryption, grant_log_delivery_use_of_key, needs_known_name
from constructs_sfn.cdk.lint_aspect import StateMachineLint
from constructs_sfn.cdk.machine_props import (
    check_log_group_name,
    check_logging,
    check_name_for_log_group,
    check_new_props,
    check_prop_types,
    check_timeout,
)
from constructs_sfn.cdk.observability import configure_observability, grant_logs_use_of_key
from constructs_sfn.cdk.options import AlarmOptions, ExecutionAlarm, StateMachineLogging, Tracing
from constructs_sfn.cdk.schedule import ExecutionSchedule, alarm_on_dead_letters
from constructs_sfn.cdk.validation import PropsValidator, describe

__all__ = [
    "DEFAULT_LOG_RETENTION",
    "LINT_CONTEXT_KEY",
    "LOG_GROUP_PREFIX",
    "OWNER_CONTEXT_KEY",
    "OWNER_TAG_KEY",
    "ObservableStateMachine",
]

#: The tag every resource of the construct carries, naming the team that answers for it.
OWNER_TAG_KEY = "Owner"
#: CDK context key read when ``owner`` is not passed (set it once in cdk.json for a whole app).
OWNER_CONTEXT_KEY = "constructs-sfn:owner"
#: CDK context key: ``false`` turns the synth-time lint of every construct off (one app, one switch).
LINT_CONTEXT_KEY = "constructs-sfn:lint"
#: Log groups under this prefix get CloudWatch Logs' vended-logs resource policy handling, which
#: avoids the 5,120-character log resource-policy limit that many state machines would hit.
LOG_GROUP_PREFIX = "/aws/vendedlogs/states/"
DEFAULT_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS


class ObservableStateMachine(Construct):
    """A state machine with logging, tracing, alarms, a dashboard, an owner and a least-privilege role.

    Children (their ids are public contract): ``StateMachine``, ``Role`` (unless ``role`` is
    given), ``ObservabilityPolicy``, ``LogGroup``, ``AlarmTopic`` (unless ``alarm_topic`` is
    given), one ``<MetricName>Alarm`` per alarm, ``Dashboard``; with ``encryption`` a
    customer-managed key and none given, ``EncryptionKey``; with ``schedule``, ``Schedule``,
    ``ScheduleRole``, ``ScheduleDeadLetterQueue`` (unless the schedule names a queue) and, with
    alarms on, ``ScheduleDeadLetterAlarm``.

    Raises :class:`~constructs_sfn.cdk.errors.ConstructPropsError` eagerly when props are
    inconsistent; values that are tokens (known only at deploy time) are not checked.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        state_machine_type: sfn.StateMachineType,
        definition_body: sfn.DefinitionBody | sfn.IChainable,
        owner: str | None = None,
        state_machine_name: str | None = None,
        comment: str | None = None,
        timeout: Duration | None = None,
        query_language: sfn.QueryLanguage | None = None,
        definition_substitutions: Mapping[str, str] | None = None,
        role: iam.IRole | None = None,
        logging: StateMachineLogging | None = None,
        log_retention: logs.RetentionDays | None = None,
        log_group_name: str | None = None,
        log_encryption_key: kms.IKey | None = None,
        log_removal_policy: RemovalPolicy | None = None,
        tracing: Tracing | None = None,
        alarms_enabled: bool = True,
        alarm_topic: sns.ITopic | None = None,
        alarm_options: Mapping[ExecutionAlarm, AlarmOptions] | None = None,
        execution_time_threshold: Duration | None = None,
        create_dashboard: bool = True,
        schedule: ExecutionSchedule | None = None,
        encryption: StateMachineEncryption | None = None,
        removal_policy: RemovalPolicy | None = None,
        lint: bool | None = None,
        lint_suppressions: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        """Create the state machine and its observability resources.

        :param state_machine_type: STANDARD or EXPRESS. Required, because it can never change:
            switching type replaces the state machine (new ARN, running executions lost).
        :param definition_body: the workflow: a ``DefinitionBody`` or any chainable (a state,
            a chain), which is wrapped with ``DefinitionBody.from_chainable``.
        :param owner: the team that answers for this machine, tagged ``Owner`` on every resource
            and shown on the dashboard. Default: the ``constructs-sfn:owner`` context value; an
            error when neither is set.
        :param state_machine_name: Default: a name generated by CloudFormation.
        :param comment: Default: no comment.
        :param timeout: maximum execution time (TimeoutSeconds); strongly encouraged.
            Default: no timeout (a STANDARD execution may run for a year; EXPRESS stops at 5
            minutes) and a synth warning for STANDARD.
        :param query_language: JSONPATH or JSONATA for the whole machine.
            Default: CDK's default (JSONPath unless the states say otherwise).
        :param definition_substitutions: ``${key}`` substitutions in the definition.
            Default: none.
        :param role: execution role. Default: a role trusted only by Step Functions in this
            account (``aws:SourceAccount`` and ``aws:SourceArn`` conditions) holding only the
            task grants CDK derives from the definition.
        :param logging: Default: ``StateMachineLogging.all()``: level ALL with execution data.
        :param log_retention: Default: three months.
        :param log_group_name: must start with ``/aws/vendedlogs/``. Default:
            ``/aws/vendedlogs/states/<state_machine_name or a unique name from the path>``.
        :param log_encryption_key: KMS key for the log group; the CloudWatch Logs service of
            this region is granted use of it for this log group only. Default: CloudWatch Logs'
            own encryption.
        :param log_removal_policy: Default: RETAIN (logs outlive the stack, for audit).
        :param tracing: Default: ``Tracing.active()``: X-Ray tracing on.
        :param alarms_enabled: False turns every alarm (and the topic) off. Default: True.
        :param alarm_topic: where alarms and recoveries are sent. Default: a topic is created
            that only accepts TLS publishers.
        :param alarm_options: per-alarm overrides (threshold, period, evaluation periods,
            datapoints, enabled). Default: each alarm's defaults (>= 1 execution in 5 minutes
            for the counts; p99 over the threshold in 2 of 3 five-minute periods for duration).
        :param execution_time_threshold: the p99 ExecutionTime alarm threshold. Default: 80% of
            ``timeout``; for EXPRESS without a timeout, 80% of 5 minutes; for STANDARD without
            a timeout, no duration alarm (a warning says so).
        :param create_dashboard: Default: True, a CloudWatch dashboard is created.
        :param schedule: start executions on a schedule with EventBridge Scheduler
            (``ExecutionSchedule.cron(...)``, ``.rate(...)``, ``.expression(...)``), through a role
            that may only start this machine; with alarms on, an alarm on its dead-letter queue
            goes to the alarm topic. Default: no schedule.
        :param encryption: ``StateMachineEncryption.customer_managed(key)`` encrypts the definition
            and execution history with a KMS key (created with rotation when none is given); the
            execution role may use it only for this machine. A machine without a
            ``state_machine_name`` then gets a generated one, which the key grant names.
            Default: Step Functions' AWS-owned key (no encryption configuration).
        :param removal_policy: what happens to the state machine when it leaves the stack
            (RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY; SNAPSHOT is refused).
            Default: DESTROY (CDK's default; the log group keeps the history, see
            ``log_removal_policy``).
        :param lint: validate and lint the definition at synth time
            (:class:`~constructs_sfn.cdk.lint_aspect.StateMachineLint`): errors fail the synthesis,
            warnings are annotations naming the construct path and the state. Default: True, unless
            the ``constructs-sfn:lint`` context value is ``false``.
        :param lint_suppressions: ``{state name: {rule id: reason}}`` (``""`` for the whole machine)
            for findings this machine accepts; each needs a written reason. Default: - none.
        """
        super().__init__(scope, id)
        check = PropsValidator(self.node.path)
        stack = Stack.of(self)

        if not isinstance(state_machine_type, sfn.StateMachineType):
            check.fail(
                "state_machine_type",
                f"must be StateMachineType.STANDARD or StateMachineType.EXPRESS, got {describe(state_machine_type)}",
            )
        check_prop_types(
            check,
            {
                "definition_body": definition_body,
                "state_machine_name": state_machine_name,
                "comment": comment,
                "timeout": timeout,
                "execution_time_threshold": execution_time_threshold,
                "query_language": query_language,
                "definition_substitutions": definition_substitutions,
                "role": role,
                "log_retention": log_retention,
                "log_group_name": log_group_name,
                "log_encryption_key": log_encryption_key,
                "log_removal_policy": log_removal_policy,
                "alarms_enabled": alarms_enabled,
                "alarm_topic": alarm_topic,
                "alarm_options": alarm_options,
                "create_dashboard": create_dashboard,
                "lint_suppressions": lint_suppressions,
            },
        )
        express = state_machine_type == sfn.StateMachineType.EXPRESS
        self._owner = self._resolve_owner(check, owner)
        timeout_seconds = check_timeout(check, timeout, express=express)

        logging = StateMachineLogging.all() if logging is None else logging
        tracing = Tracing.active() if tracing is None else tracing
        check_logging(
            check,
            logging,
            express=express,
            log_props={
                "log_retention": log_retention,
                "log_group_name": log_group_name,
                "log_encryption_key": log_encryption_key,
                "log_removal_policy": log_removal_policy,
            },
        )
        if not isinstance(tracing, Tracing):
            check.fail("tracing", f"must be Tracing.active() or Tracing.disabled(reason=...), got {describe(tracing)}")
        for prop, rule_id, reason in (
            ("logging", "AwsSolutions-SF1", logging.reason),
            ("tracing", "AwsSolutions-SF2", tracing.reason),
        ):
            problem = None if reason is None else reason_problem(rule_id, reason)
            if problem is not None:
                check.fail(f"{prop}.reason", problem)
        if log_group_name is not None and not check.is_token(log_group_name):
            check_log_group_name(check, log_group_name)
        elif logging.enabled and log_group_name is None:
            check_name_for_log_group(check, state_machine_name)
        check_new_props(check, schedule, encryption, removal_policy)

        if not alarms_enabled:
            for prop, value in (
                ("alarm_topic", alarm_topic),
                ("alarm_options", alarm_options),
                ("execution_time_threshold", execution_time_threshold),
            ):
                if value is not None:
                    check.fail(prop, "has no effect when alarms_enabled=False; remove one of the two")
        threshold_seconds = check.seconds("execution_time_threshold", execution_time_threshold)
        if threshold_seconds is not None and timeout_seconds is not None and threshold_seconds >= timeout_seconds:
            check.fail(
                "execution_time_threshold",
                f"must be shorter than timeout ({timeout_seconds:g} s), got {threshold_seconds:g} s",
            )
        duration_threshold = execution_time_threshold or default_execution_time_threshold(
            state_machine_type, timeout_seconds
        )
        resolved_alarms = resolve_alarms(check, alarm_options or {}, duration_threshold) if alarms_enabled else []

        # --- resources ---------------------------------------------------------------------
        machine_name = state_machine_name
        if machine_name is None and needs_known_name(encryption):
            machine_name = Names.unique_resource_name(self, max_length=80, separator="-")
        self.role: iam.IRole = role or self._create_role(stack, machine_name)
        self.log_group: logs.ILogGroup | None = None
        if logging.enabled:
            name = log_group_name or self._default_log_group_name(state_machine_name)
            self.log_group = logs.LogGroup(
                self,
                "LogGroup",
                log_group_name=name,
                retention=log_retention or DEFAULT_LOG_RETENTION,
                encryption_key=log_encryption_key,
                removal_policy=log_removal_policy or RemovalPolicy.RETAIN,
            )
            if log_encryption_key is not None:
                grant_logs_use_of_key(log_encryption_key, name, self)

        encryption_configuration: sfn.EncryptionConfiguration | None = None
        self.encryption_key: kms.IKey | None = None
        if encryption is not None:
            encryption_configuration, self.encryption_key = encryption.bind(self)
        body = (
            definition_body
            if isinstance(definition_body, sfn.DefinitionBody)
            else sfn.DefinitionBody.from_chainable(definition_body)
        )
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            state_machine_type=state_machine_type,
            definition_body=body,
            state_machine_name=machine_name,
            comment=comment,
            timeout=timeout,
            query_language=query_language,
            definition_substitutions=dict(definition_substitutions) if definition_substitutions else None,
            role=self.role,
            encryption_configuration=encryption_configuration,
            removal_policy=removal_policy,
        )
        configure_observability(self, self.state_machine, self.role, self.log_group, logging, tracing)
        if self.encryption_key is not None and self.log_group is not None:
            self._grant_log_delivery_use_of_key(self.encryption_key)

        self.schedule: scheduler.Schedule | None = None
        self.schedule_role: iam.Role | None = None
        self.schedule_dead_letter_queue: sqs.IQueue | None = None
        if schedule is not None:
            scheduled = schedule.bind(self, self.state_machine, encryption_key=self.encryption_key)
            self.schedule = scheduled.schedule
            self.schedule_role = scheduled.role
            self.schedule_dead_letter_queue = scheduled.dead_letter_queue

        self.alarm_topic: sns.ITopic | None = None
        self.alarms: dict[ExecutionAlarm, cloudwatch.Alarm] = {}
        self.schedule_dead_letter_alarm: cloudwatch.Alarm | None = None
        if resolved_alarms or (alarms_enabled and self.schedule_dead_letter_queue is not None):
            self.alarm_topic = alarm_topic or sns.Topic(self, "AlarmTopic", enforce_ssl=True)
            action = cloudwatch_actions.SnsAction(self.alarm_topic)
            subject = f"{self.node.path} (owner: {self._owner})"
            for spec in resolved_alarms:
                alarm = spec.create(self, self.state_machine, subject=subject)
                alarm.add_alarm_action(action)
                alarm.add_ok_action(action)
                self.alarms[spec.kind] = alarm
            if self.schedule_dead_letter_queue is not None:
                self.schedule_dead_letter_alarm = alarm_on_dead_letters(
                    self, self.schedule_dead_letter_queue, subject=subject
                )
                self.schedule_dead_letter_alarm.add_alarm_action(action)
                self.schedule_dead_letter_alarm.add_ok_action(action)
        if alarms_enabled and duration_threshold is None and self._duration_alarm_wanted(alarm_options):
            Annotations.of(self).add_warning_v2(
                "constructs-sfn:noDurationAlarm",
                "No ExecutionTime alarm: a STANDARD state machine without timeout has no bound to derive "
                "one from. Set timeout (recommended) or execution_time_threshold.",
            )
        if timeout is None and not express:
            Annotations.of(self).add_warning_v2(
                "constructs-sfn:noTimeout",
                "No state machine timeout: a stuck STANDARD execution runs (and bills) for up to a year. Set timeout.",
            )

        self.dashboard: cloudwatch.Dashboard | None = None
        if create_dashboard:
            self.dashboard = build_dashboard(
                self,
                self.state_machine,
                owner=self._owner,
                state_machine_type=state_machine_type,
                alarms=[*self.alarms.values(), *filter(None, [self.schedule_dead_letter_alarm])],
                duration_threshold=duration_threshold if ExecutionAlarm.DURATION_P99 in self.alarms else None,
            )

        Tags.of(self).add(OWNER_TAG_KEY, self._owner)
        if self._lint_enabled(check, lint):
            suppress = {self.node.path: dict(lint_suppressions)} if lint_suppressions else None
            Aspects.of(self).add(StateMachineLint(suppress=suppress), priority=AspectPriority.READONLY)
        elif lint_suppressions:
            check.fail("lint_suppressions", "has no effect with lint turned off")

    def _lint_enabled(self, check: PropsValidator, lint: bool | None) -> bool:
        if lint is not None:
            if not isinstance(lint, bool):
                check.flag("lint", lint)
            return lint
        context = self.node.try_get_context(LINT_CONTEXT_KEY)
        return not (context is False or (isinstance(context, str) and context.lower() == "false"))

    # --- validation helpers ------------------------------------------------------------------

    def _resolve_owner(self, check: PropsValidator, owner: str | None) -> str:
        if owner is None:
            from_context = self.node.try_get_context(OWNER_CONTEXT_KEY)
            if from_context is None:
                check.fail(
                    "owner",
                    f"is required: pass owner=... or set the {OWNER_CONTEXT_KEY!r} context value, so the "
                    "machine never outlives the knowledge of who runs it",
                )
            if not isinstance(from_context, str):
                check.fail("owner", f"context value {OWNER_CONTEXT_KEY!r} must be a string, got {from_context!r}")
            owner = from_context
        return check.tag_value("owner", owner)

    @staticmethod
    def _duration_alarm_wanted(alarm_options: Mapping[ExecutionAlarm, AlarmOptions] | None) -> bool:
        options = (alarm_options or {}).get(ExecutionAlarm.DURATION_P99)
        return options is None or options.enabled

    # --- resource helpers ----------------------------------------------------------------

    def _create_role(self, stack: Stack, state_machine_name: str | None) -> iam.Role:
        # Guard against the confused deputy: only Step Functions acting for this account (and, by
        # name when we know it, for this state machine) may assume the role.
        resource_name = (
            state_machine_name
            if state_machine_name is not None and not PropsValidator.is_token(state_machine_name)
            else "*"
        )
        source_arn = stack.format_arn(
            service="states",
            resource="stateMachine",
            resource_name=resource_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        principal = iam.ServicePrincipal(
            "states.amazonaws.com",
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {"aws:SourceArn": source_arn},
            },
        )
        return iam.Role(
            self,
            "Role",
            assumed_by=principal,
            description=f"Execution role of the state machine {self.node.path}",
        )

    def _default_log_group_name(self, state_machine_name: str | None) -> str:
        if state_machine_name is not None and not PropsValidator.is_token(state_machine_name):
            return f"{LOG_GROUP_PREFIX}{state_machine_name}"
        return LOG_GROUP_PREFIX + Names.unique_resource_name(self, max_length=200, separator="-")

    def _grant_log_delivery_use_of_key(self, key: kms.IKey) -> None:
        if not grant_log_delivery_use_of_key(self.role, key):
            Annotations.of(self).add_warning_v2(
                "constructs-sfn:importedEncryptionKey",
                "The encryption key is imported, so its key policy cannot be changed here: it must allow "
                "delivery.logs.amazonaws.com kms:Decrypt, or the machine's logs are not delivered.",
            )

    # --- pass-through attributes, grants and metrics -------------------------------------

    @property
    def owner(self) -> str:
        """The owner tagged on every resource."""
        return self._owner

    @property
    def state_machine_arn(self) -> str:
        """The ARN of the state machine."""
        return self.state_machine.state_machine_arn

    @property
    def state_machine_name(self) -> str:
        """The name of the state machine."""
        return self.state_machine.state_machine_name

    @property
    def state_machine_type(self) -> sfn.StateMachineType:
        """STANDARD or EXPRESS."""
        return self.state_machine.state_machine_type

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal executions run as (the execution role)."""
        return self.state_machine.grant_principal

    def grant(self, identity: iam.IGrantable, *actions: str) -> iam.Grant:
        """Grant ``identity`` custom ``actions`` on the state machine."""
        return self.state_machine.grant(identity, *actions)

    def grant_start_execution(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` states:StartExecution."""
        return self.state_machine.grant_start_execution(identity)

    def grant_start_sync_execution(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` states:StartSyncExecution (EXPRESS machines)."""
        return self.state_machine.grant_start_sync_execution(identity)

    def grant_task_response(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` states:SendTaskSuccess/Failure/Heartbeat."""
        return self.state_machine.grant_task_response(identity)

    def grant_read(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` read access to the machine and its executions."""
        return self.state_machine.grant_read(identity)

    def grant_execution(self, identity: iam.IGrantable, *actions: str) -> iam.Grant:
        """Grant ``identity`` ``actions`` on the machine's executions."""
        return self.state_machine.grant_execution(identity, *actions)

    def grant_redrive_execution(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` states:RedriveExecution."""
        return self.state_machine.grant_redrive_execution(identity)

    def metric(self, metric_name: str, **options: Any) -> cloudwatch.Metric:
        """Any AWS/States metric of this machine; ``options`` as for ``MetricOptions``."""
        return self.state_machine.metric(metric_name, **options)

    def metric_failed(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionsFailed (Sum over 5 minutes unless ``options`` say otherwise)."""
        return self.state_machine.metric_failed(**options)

    def metric_throttled(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionThrottled."""
        return self.state_machine.metric_throttled(**options)

    def metric_aborted(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionsAborted."""
        return self.state_machine.metric_aborted(**options)

    def metric_succeeded(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionsSucceeded."""
        return self.state_machine.metric_succeeded(**options)

    def metric_timed_out(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionsTimedOut."""
        return self.state_machine.metric_timed_out(**options)

    def metric_started(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionsStarted."""
        return self.state_machine.metric_started(**options)

    def metric_time(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionTime (milliseconds; Average unless ``statistic`` is given)."""
        return self.state_machine.metric_time(**options)
