"""SagaWorkflow: ordered steps with compensations, on top of ObservableStateMachine.

When step N fails after its retries, the compensations of steps N-1 .. 1 run in reverse order.
The step whose action failed is not compensated: its retries are exhausted, so its effect did
not happen (make each action atomic and idempotent; split an action that could half-apply). A
compensation that fails after its retries writes a dead-letter record to an SQS queue, raises an
alarm, and ends the execution in its own Fail state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.acknowledgements import acknowledge_rule
from constructs_sfn.cdk.observable_state_machine import OWNER_TAG_KEY, ObservableStateMachine
from constructs_sfn.cdk.options import AlarmOptions, ExecutionAlarm, StateMachineLogging, Tracing
from constructs_sfn.cdk.saga_definition import SagaDefinition
from constructs_sfn.cdk.saga_steps import STEP_NAME_PATTERN, SagaAction, SagaRetry, SagaStep
from constructs_sfn.cdk.validation import PropsValidator, describe
from constructs_sfn.cdk.workflow import ObservableWorkflow

__all__ = [
    "COMPENSATED_ERROR",
    "COMPENSATION_FAILED_ERROR",
    "DEFAULT_DEAD_LETTER_RETENTION",
    "SagaWorkflow",
]

#: Error of the execution when a step failed and every compensation before it completed.
COMPENSATED_ERROR = "Saga.Compensated"
#: Error of the execution when a compensation failed too (a dead-letter record was written).
COMPENSATION_FAILED_ERROR = "Saga.CompensationFailed"
#: How long the created dead-letter queue keeps a record: SQS's maximum, for human clean-up.
DEFAULT_DEAD_LETTER_RETENTION = Duration.days(14)

_MIN_RETENTION_SECONDS = 60
_MAX_RETENTION_SECONDS = 14 * 24 * 3600
_DLQ_ALARM_PERIOD = Duration.minutes(1)
_DLQ_REASON = (
    "This queue is itself the dead-letter store of the saga: it holds the records of failed "
    "compensations for people to clean up. Nothing consumes it automatically, so there is no "
    "failed consumption for a further dead-letter queue to catch."
)
_INVOKE_REASON = (
    "CDK's LambdaInvoke grants lambda:InvokeFunction on the function ARN and on '<arn>:*', which only "
    "covers the versions and aliases of that one function; no other function is reachable."
)


class SagaWorkflow(ObservableWorkflow):
    """A saga: ordered steps, each with a compensation, run by an ObservableStateMachine.

    The state machine (read it in the synthesized template; ``docs/constructs.md`` shows it):
    ``Start`` wraps the execution input as ``{"input": ..., "results": {}}``; each step's action
    state ``<Step>`` stores its result at ``$.results.<Step>``; on a failure (after its retries)
    the action is caught into ``$.error`` and ``<Step>Failed`` records ``failedStep`` before the
    compensations ``Compensate<Step>`` of the earlier steps run in reverse order, ending in the
    Fail state ``Compensated`` (error ``Saga.Compensated``). A compensation that fails after its
    retries is caught into ``$.compensationError``; ``Compensate<Step>Failed`` records
    ``failedCompensation``, ``RecordCompensationFailure`` sends the dead-letter record, and the
    Fail state ``CompensationFailed`` (error ``Saga.CompensationFailed``) ends the execution
    (``DeadLetterNotRecorded``, same error, when even the record could not be sent). Success
    ends in ``Succeeded`` with the saga state as output.

    Children (their ids are public contract): ``States`` (the scope of the states above, each
    construct id its state name), ``DeadLetterQueue`` (unless ``dead_letter_queue`` is given),
    ``Machine`` (the :class:`ObservableStateMachine`, with its own children), ``DeadLetterAlarm``
    and, only when the machine has no alarm topic, ``AlarmTopic``.

    Raises :class:`~constructs_sfn.cdk.errors.ConstructPropsError` eagerly when props are
    inconsistent; values that are tokens are not checked.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        steps: Sequence[SagaStep],
        state_machine_type: sfn.StateMachineType | None = None,
        owner: str | None = None,
        state_machine_name: str | None = None,
        comment: str | None = None,
        timeout: Duration | None = None,
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
        dead_letter_queue: sqs.IQueue | None = None,
        dead_letter_retention: Duration | None = None,
        dead_letter_alarm: AlarmOptions | None = None,
        dead_letter_retry: SagaRetry | None = None,
    ) -> None:
        """Create the saga's state machine, dead-letter queue and alarms.

        :param steps: the steps in order (at least two, unique names).
        :param state_machine_type: must be STANDARD: a saga moving money or stock needs exactly-once
            execution, which EXPRESS (at-least-once) does not give. Default: STANDARD.
        :param owner: Default: the ``constructs-sfn:owner`` context value; an error when neither is set.
        :param state_machine_name: Default: a name generated by CloudFormation.
        :param comment: Default: no comment.
        :param timeout: maximum execution time. Default: no timeout (with a synth warning).
        :param role: execution role. Default: a role trusted only by Step Functions in this account,
            holding only the grants the steps and the dead-letter queue need.
        :param logging: Default: ``StateMachineLogging.all()``.
        :param log_retention: Default: three months.
        :param log_group_name: Default: ``/aws/vendedlogs/states/<name or a unique name>``.
        :param log_encryption_key: Default: CloudWatch Logs' own encryption.
        :param log_removal_policy: Default: RETAIN.
        :param tracing: Default: ``Tracing.active()``.
        :param alarms_enabled: False turns every alarm off, the dead-letter alarm too. Default: True.
        :param alarm_topic: where every alarm goes, the dead-letter alarm too. Default: a topic is
            created that only accepts TLS publishers.
        :param alarm_options: per execution-alarm overrides. Default: each alarm's defaults.
        :param execution_time_threshold: Default: 80% of ``timeout``; no duration alarm without one.
        :param create_dashboard: Default: True, a dashboard (with a dead-letter widget) is created.
        :param dead_letter_queue: where failed compensations are recorded (FIFO queues get the
            execution name as group and deduplication id). Default: a queue is created, SQS-managed
            encryption, TLS-only access, records kept for ``dead_letter_retention``.
        :param dead_letter_retention: how long the created queue keeps a record (1 minute to 14
            days). Default: 14 days.
        :param dead_letter_alarm: the alarm on ApproximateNumberOfMessagesVisible of the queue
            (``enabled=False`` turns it off). Default: Maximum >= 1 in one 1-minute period.
        :param dead_letter_retry: retry of the SendMessage writing the record. Default: 5 retries,
            1 s doubling, at most 20 s apart, jittered.
        """
        super().__init__(scope, id)
        check = PropsValidator(self.node.path)
        if state_machine_type is not None and not isinstance(state_machine_type, sfn.StateMachineType):
            check.fail("state_machine_type", f"must be StateMachineType.STANDARD, got {describe(state_machine_type)}")
        if state_machine_type == sfn.StateMachineType.EXPRESS:
            check.fail(
                "state_machine_type",
                "a saga must be STANDARD: EXPRESS runs at least once (asynchronous) or at most once "
                "(synchronous), so a step that moves money or stock could run twice or its compensation "
                "be lost; STANDARD runs each step exactly once and keeps the history for clean-up",
            )
        self._check_steps(check, steps)
        check.flag("alarms_enabled", alarms_enabled)
        check.interface("dead_letter_queue", dead_letter_queue, "an IQueue", "queue_url", "queue_arn")
        if dead_letter_queue is not None and dead_letter_retention is not None:
            check.fail("dead_letter_retention", "applies only to the created queue; remove it or dead_letter_queue")
        retention = check.seconds("dead_letter_retention", dead_letter_retention)
        if retention is not None and not _MIN_RETENTION_SECONDS <= retention <= _MAX_RETENTION_SECONDS:
            check.fail("dead_letter_retention", f"SQS keeps messages 1 minute to 14 days, got {retention:g} s")
        if not alarms_enabled and dead_letter_alarm is not None:
            check.fail("dead_letter_alarm", "has no effect when alarms_enabled=False; remove one of the two")
        alarm = dead_letter_alarm or AlarmOptions()
        if not isinstance(alarm, AlarmOptions):
            check.fail("dead_letter_alarm", f"must be an AlarmOptions, got {type(alarm).__name__}")
        check.alarm_fields("dead_letter_alarm", alarm)
        self._check_alarm(check, alarm)
        record_retry = dead_letter_retry or SagaRetry(max_attempts=5)
        if not isinstance(record_retry, SagaRetry):
            check.fail("dead_letter_retry", f"must be a SagaRetry, got {type(record_retry).__name__}")
        record_retry.check(check, "dead_letter_retry")

        # --- resources ---------------------------------------------------------------------
        self.dead_letter_queue: sqs.IQueue = dead_letter_queue or self._create_queue(dead_letter_retention)
        self.definition = SagaDefinition(
            Construct(self, "States"),
            steps,
            dead_letter_queue=self.dead_letter_queue,
            record_retry=record_retry,
            compensated_error=COMPENSATED_ERROR,
            compensation_failed_error=COMPENSATION_FAILED_ERROR,
        )
        self.machine = ObservableStateMachine(
            self,
            "Machine",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=self.definition.start,
            owner=owner,
            state_machine_name=state_machine_name,
            comment=comment,
            timeout=timeout,
            role=role,
            logging=logging,
            log_retention=log_retention,
            log_group_name=log_group_name,
            log_encryption_key=log_encryption_key,
            log_removal_policy=log_removal_policy,
            tracing=tracing,
            alarms_enabled=alarms_enabled,
            alarm_topic=alarm_topic,
            alarm_options=alarm_options,
            execution_time_threshold=execution_time_threshold,
            create_dashboard=create_dashboard,
        )
        self._acknowledge_invoke_grants()

        self.alarm_topic: sns.ITopic | None = self.machine.alarm_topic
        self.dead_letter_alarm: cloudwatch.Alarm | None = None
        if alarms_enabled and alarm.enabled:
            if self.alarm_topic is None:
                self.alarm_topic = alarm_topic or sns.Topic(self, "AlarmTopic", enforce_ssl=True)
            self.dead_letter_alarm = self._create_alarm(alarm, self.alarm_topic)
        # The machine tags its own resources; the queue, its alarm and topic belong to the same owner.
        Tags.of(self).add(OWNER_TAG_KEY, self.machine.owner)
        if self.machine.dashboard is not None:
            self.machine.dashboard.add_widgets(
                cloudwatch.GraphWidget(
                    title="Failed compensations waiting in the dead-letter queue",
                    left=[self.metric_dead_letter_records()],
                    width=24,
                )
            )

    # --- validation helpers ------------------------------------------------------------------

    @staticmethod
    def _check_steps(check: PropsValidator, steps: Sequence[SagaStep]) -> None:
        if isinstance(steps, str) or not isinstance(steps, Sequence):
            check.fail("steps", f"must be a list of SagaStep, got {type(steps).__name__}")
        if len(steps) < 2:
            check.fail(
                "steps",
                f"a saga needs at least two steps (one step has nothing to compensate), got {len(steps)}",
            )
        seen: set[str] = set()
        for index, step in enumerate(steps):
            prop = f"steps[{index}]"
            if not isinstance(step, SagaStep):
                check.fail(prop, f"must be a SagaStep, got {type(step).__name__}")
            if not isinstance(step.name, str) or not STEP_NAME_PATTERN.match(step.name):
                check.fail(
                    f"{prop}.name",
                    "must start with a letter and hold only letters, digits, _ and - (at most 48 "
                    f"characters), got {step.name!r}",
                )
            if step.name in seen:
                check.fail(f"{prop}.name", f"{step.name!r} names two steps; step names must be unique")
            seen.add(step.name)
            for role, action in (("action", step.action), ("compensation", step.compensation)):
                if not isinstance(action, SagaAction) and (role == "action" or action is not None):
                    check.fail(
                        f"{prop}.{role}",
                        "must be a SagaAction (SagaAction.lambda_function, .aws_sdk or .task), "
                        f"got {type(action).__name__}",
                    )
            step.action.check(check, f"{prop}.action", timeout_prop=f"{prop}.timeout" if step.timeout else None)
            check.seconds(f"{prop}.timeout", step.timeout)
            for name, retry in (("retry", step.retry), ("compensation_retry", step.compensation_retry)):
                if retry is not None and not isinstance(retry, SagaRetry):
                    check.fail(f"{prop}.{name}", f"must be a SagaRetry, got {type(retry).__name__}")
                if retry is not None:
                    retry.check(check, f"{prop}.{name}")
            if step.compensation is None:
                for name, value in (
                    ("compensation_retry", step.compensation_retry),
                    ("compensation_timeout", step.compensation_timeout),
                ):
                    if value is not None:
                        check.fail(f"{prop}.{name}", "has no effect on a step without compensation")
                continue
            if index == len(steps) - 1:
                check.fail(
                    f"{prop}.compensation",
                    "the last step's compensation would never run (nothing can fail after the last "
                    "step); remove it, or add the step that can fail after it",
                )
            step.compensation.check(
                check,
                f"{prop}.compensation",
                timeout_prop=f"{prop}.compensation_timeout" if step.compensation_timeout else None,
            )
            check.seconds(f"{prop}.compensation_timeout", step.compensation_timeout)
        if all(step.compensation is None for step in steps):
            check.fail("steps", "no step has a compensation: this is no saga, use ObservableStateMachine")

    @staticmethod
    def _check_alarm(check: PropsValidator, alarm: AlarmOptions) -> None:
        check.number("dead_letter_alarm.threshold", alarm.threshold, minimum=1)
        if alarm.period is not None:
            seconds = check.seconds("dead_letter_alarm.period", alarm.period)
            if seconds is not None and seconds not in (10, 30) and seconds % 60 != 0:
                check.fail(
                    "dead_letter_alarm.period",
                    f"CloudWatch alarm periods are 10 s, 30 s or a multiple of 60 s, got {seconds:g} s",
                )
        check.number("dead_letter_alarm.evaluation_periods", alarm.evaluation_periods, minimum=1)
        check.number("dead_letter_alarm.datapoints_to_alarm", alarm.datapoints_to_alarm, minimum=1)
        evaluation = alarm.evaluation_periods or 1
        datapoints = alarm.datapoints_to_alarm or 1
        if not check.is_token(evaluation) and not check.is_token(datapoints) and datapoints > evaluation:
            check.fail(
                "dead_letter_alarm.datapoints_to_alarm",
                f"cannot exceed evaluation_periods ({evaluation}), got {datapoints}",
            )

    # --- resource helpers ----------------------------------------------------------------

    def _acknowledge_invoke_grants(self) -> None:
        # cdk-nag names the finding after the resource as the template writes it: the function's
        # GetAtt for a function of this stack, the literal ARN for an imported one. Anything else
        # (a cross-stack import) is left for the app to acknowledge.
        stack = Stack.of(self)
        findings: set[str] = set()
        for function in self.definition.lambda_functions:
            resolved = stack.resolve(function.function_arn)
            if isinstance(resolved, str):
                findings.add(f"Resource::{resolved}:*")
            elif isinstance(resolved, dict) and isinstance(resolved.get("Fn::GetAtt"), list):
                logical_id, attribute = resolved["Fn::GetAtt"]
                findings.add(f"Resource::<{logical_id}.{attribute}>:*")
        for finding in sorted(findings):
            acknowledge_rule(self.machine.role, "AwsSolutions-IAM5", _INVOKE_REASON, finding=finding)

    def _create_queue(self, retention: Duration | None) -> sqs.Queue:
        queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=retention or DEFAULT_DEAD_LETTER_RETENTION,
        )
        acknowledge_rule(queue, "AwsSolutions-SQS3", _DLQ_REASON)
        return queue

    def _create_alarm(self, options: AlarmOptions, topic: sns.ITopic) -> cloudwatch.Alarm:
        threshold = 1.0 if options.threshold is None else options.threshold
        evaluation = options.evaluation_periods or 1
        datapoints = options.datapoints_to_alarm or 1
        alarm = cloudwatch.Alarm(
            self,
            "DeadLetterAlarm",
            metric=self.metric_dead_letter_records(period=options.period or _DLQ_ALARM_PERIOD),
            threshold=threshold,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=evaluation,
            datapoints_to_alarm=datapoints,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=(
                f"{self.node.path} (owner: {self.machine.owner}): a compensation failed; the dead-letter "
                f"queue holds a record for manual clean-up (threshold {threshold:g}, {datapoints} of "
                f"{evaluation} periods)."
            ),
        )
        action = cloudwatch_actions.SnsAction(topic)
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
        return alarm

    # --- attributes, grants and metrics --------------------------------------------------

    @property
    def alarms(self) -> dict[ExecutionAlarm, cloudwatch.Alarm]:
        """The execution alarms of the machine (the dead-letter alarm is ``dead_letter_alarm``)."""
        return self.machine.alarms

    def grant_consume_dead_letters(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` receive/delete on the dead-letter queue (for the clean-up tooling)."""
        return self.dead_letter_queue.grant_consume_messages(identity)

    def metric_dead_letter_records(self, **options: Any) -> cloudwatch.Metric:
        """ApproximateNumberOfMessagesVisible of the dead-letter queue (Maximum unless ``options`` say)."""
        merged: dict[str, Any] = {"statistic": "Maximum", "period": _DLQ_ALARM_PERIOD, **options}
        return self.dead_letter_queue.metric_approximate_number_of_messages_visible(**merged)
