"""ApprovalWorkflow: a human approval step with a deadline, reminders, escalation and a callback API.

The workflow sends a notification carrying a task token (SNS, SQS or Lambda) and waits
(``.waitForTaskToken``). An approver answers through a REST API (IAM or Cognito authorized)
whose handler accepts each token once and calls SendTaskSuccess (approve) or SendTaskFailure
(reject); the approver (the authorized identity) and the comment land in the execution output
under ``$.approval``. Unanswered, the request is re-sent in rounds (reminders, then an
escalation), each with a fresh token, until the deadline routes to the timeout branch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import Annotations, Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.approval_api import ApprovalCallback
from constructs_sfn.cdk.approval_callback.handler import APPROVED, REJECTED, REJECTED_ERROR
from constructs_sfn.cdk.approval_definition import (
    APPROVAL_RESULT_PATH,
    TIMED_OUT,
    TIMED_OUT_ERROR,
    build_approval_states,
    round_seconds,
)
from constructs_sfn.cdk.approval_options import ApprovalNotification, CallbackAuthorization
from constructs_sfn.cdk.observable_state_machine import DEFAULT_LOG_RETENTION, ObservableStateMachine
from constructs_sfn.cdk.options import AlarmOptions, ExecutionAlarm, StateMachineLogging, Tracing
from constructs_sfn.cdk.validation import PropsValidator, describe
from constructs_sfn.cdk.workflow import ObservableWorkflow

__all__ = [
    "APPROVAL_RESULT_PATH",
    "APPROVED",
    "DEFAULT_DEADLINE",
    "REJECTED",
    "REJECTED_ERROR",
    "TIMED_OUT",
    "TIMED_OUT_ERROR",
    "ApprovalWorkflow",
]

DEFAULT_DEADLINE = Duration.days(7)
_DEFAULT_SLACK = Duration.days(1)


class ApprovalWorkflow(ObservableWorkflow):
    """A STANDARD state machine that waits for a person to approve or reject, on an ObservableStateMachine.

    State machine shape: ``RequestApproval`` -> (``Reminder1`` .. ``ReminderN``) -> (``Escalate``),
    each a ``.waitForTaskToken`` Task. Success -> ``on_approved``; ``Approval.Rejected`` ->
    ``ReadRejection`` -> ``RecordRejection`` -> ``on_rejected``; ``States.Timeout`` -> the next
    round, and after the last one ``RecordTimeout`` -> ``on_timeout``.

    Children (their ids are public contract): the states above, ``Approved``/``Rejected``/``TimedOut``
    (the default branch ends), ``Callback`` (:class:`~constructs_sfn.cdk.approval_api.ApprovalCallback`:
    the API, the function, the token table) and ``Machine`` (the ObservableStateMachine).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        notification: ApprovalNotification,
        deadline: Duration | None = None,
        reminders: int = 0,
        reminder_interval: Duration | None = None,
        escalation: ApprovalNotification | None = None,
        on_approved: sfn.IChainable | None = None,
        on_rejected: sfn.IChainable | None = None,
        on_timeout: sfn.IChainable | None = None,
        authorization: CallbackAuthorization | None = None,
        throttling_rate_limit: float = 10,
        throttling_burst_limit: int = 20,
        stage_name: str = "v1",
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
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        """Create the approval state machine, its callback API, handler function and token table.

        :param notification: where the request (with its task token and callback URLs) is sent.
        :param deadline: how long the request may stay unanswered in total (the sum of the
            rounds' TimeoutSeconds). Default: 7 days.
        :param reminders: how many times the request is re-sent, each with a new token, after
            ``reminder_interval`` of silence. Default: 0, no reminders.
        :param reminder_interval: how long each round waits before the next one (reminder or
            escalation) is sent; required with ``reminders`` or ``escalation``. Default: - no
            rounds: the request waits the whole deadline.
        :param escalation: where the last round (after the reminders) is sent, with a new token
            the escalation contact may answer. Default: - no escalation; the last reminder (or the
            request) waits until the deadline.
        :param on_approved: what follows an approval. Default: a Succeed state ``Approved``.
        :param on_rejected: what follows a rejection. Default: a Succeed state ``Rejected``
            (a rejection is a decision, not a failure: it does not trip the failure alarm).
        :param on_timeout: what follows the deadline. Default: a Fail state ``TimedOut`` with
            error ``Approval.TimedOut``.
        :param authorization: who may call the callback API. Default: ``CallbackAuthorization.iam()``.
        :param throttling_rate_limit: steady requests per second of the API stage. Default: 10.
        :param throttling_burst_limit: burst of the API stage. Default: 20.
        :param stage_name: the API stage. Default: ``v1``.
        :param state_machine_type: only STANDARD is accepted. Default: STANDARD.
        :param owner: as ObservableStateMachine. Default: the ``constructs-sfn:owner`` context value.
        :param state_machine_name: Default: a name generated by CloudFormation.
        :param comment: Default: no comment.
        :param timeout: the execution's TimeoutSeconds; must exceed ``deadline``. Default: the
            deadline plus one day (for the steps before and after the approval).
        :param role: the execution role. Default: a least-privilege role is created.
        :param logging: Default: ``StateMachineLogging.all(include_execution_data=False)``: level
            ALL without execution data, because the notification parameters carry the task token.
            A logging choice with execution data is accepted with a warning.
        :param log_retention: for the machine's, the API's and the function's log groups.
            Default: three months.
        :param log_group_name: Default: ``/aws/vendedlogs/states/<unique name>``.
        :param log_encryption_key: Default: CloudWatch Logs' own encryption.
        :param log_removal_policy: Default: RETAIN.
        :param tracing: Default: X-Ray tracing on.
        :param alarms_enabled: Default: True.
        :param alarm_topic: Default: a topic is created.
        :param alarm_options: Default: each alarm's defaults.
        :param execution_time_threshold: Default: 80% of ``timeout``.
        :param create_dashboard: Default: True.
        :param removal_policy: of the state machine. Default: DESTROY (the log group keeps the history).
        """
        super().__init__(scope, id)
        check = PropsValidator(self.node.path)
        if state_machine_type is not None and state_machine_type != sfn.StateMachineType.STANDARD:
            check.fail(
                "state_machine_type",
                "ApprovalWorkflow is STANDARD only: EXPRESS executions last at most 5 minutes and do not "
                f"support the .waitForTaskToken callback a human approval waits on, got {describe(state_machine_type)}",
            )
        self._check_notification(check, "notification", notification)
        if escalation is not None:
            self._check_notification(check, "escalation", escalation)
        authorization = CallbackAuthorization.iam() if authorization is None else authorization
        if not isinstance(authorization, CallbackAuthorization):
            check.fail("authorization", "must be CallbackAuthorization.iam() or CallbackAuthorization.cognito(pool)")
        deadline = DEFAULT_DEADLINE if deadline is None else deadline
        round_timeouts = round_seconds(check, deadline, reminders, reminder_interval, escalation)
        deadline_seconds = sum(round_timeouts)
        if timeout is None:
            timeout = Duration.seconds(deadline_seconds + _DEFAULT_SLACK.to_seconds())
        timeout_seconds = check.seconds("timeout", timeout)
        if timeout_seconds is not None and timeout_seconds <= deadline_seconds:
            check.fail(
                "timeout",
                f"must be longer than the deadline ({deadline_seconds} s), or the execution times out "
                f"before the approval can; got {timeout_seconds:g} s",
            )
        check.number("throttling_rate_limit", throttling_rate_limit, minimum=1)
        check.number("throttling_burst_limit", throttling_burst_limit, minimum=1, whole=True)
        check.enum("log_retention", log_retention, logs.RetentionDays)
        for prop, branch in (("on_approved", on_approved), ("on_rejected", on_rejected), ("on_timeout", on_timeout)):
            if branch is not None:
                check.chainable(prop, branch)
        if not isinstance(stage_name, str) or not stage_name.replace("_", "").replace("-", "").isalnum():
            check.fail("stage_name", f"must be letters, digits, - and _, got {stage_name!r}")

        logging = StateMachineLogging.all(include_execution_data=False) if logging is None else logging
        if isinstance(logging, StateMachineLogging) and logging.enabled and logging.include_execution_data:
            Annotations.of(self).add_warning_v2(
                "constructs-sfn:taskTokenLogged",
                "Logging with execution data writes the notification parameters, and so every task token, "
                "to CloudWatch Logs: anyone who can read the log group can answer approvals.",
            )

        # --- the callback endpoint (the definition embeds its URLs) ----------------------------
        self.callback = ApprovalCallback(
            self,
            "Callback",
            authorization=authorization,
            token_ttl=Duration.seconds(deadline_seconds).plus(_DEFAULT_SLACK),
            throttling_rate_limit=throttling_rate_limit,
            throttling_burst_limit=throttling_burst_limit,
            log_retention=log_retention or DEFAULT_LOG_RETENTION,
            stage_name=stage_name,
        )

        # --- the definition ------------------------------------------------------------------------
        self.approval_states = build_approval_states(
            self,
            notification=notification,
            escalation=escalation,
            reminders=reminders,
            round_seconds=round_timeouts,
            approve_url=self.callback.url_for("approve"),
            reject_url=self.callback.url_for("reject"),
            on_approved=on_approved,
            on_rejected=on_rejected,
            on_timeout=on_timeout,
        )

        self.machine = ObservableStateMachine(
            self,
            "Machine",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=self.approval_states[0],
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
            removal_policy=removal_policy,
        )
        self.task_response_policy = self.callback.grant_task_response(self.machine.state_machine)
        notified = [notification] if escalation is None or escalation is notification else [notification, escalation]
        for sent in notified:
            sent.acknowledge_grant(self.machine.role)
        self._deadline_seconds = deadline_seconds
        self._round_seconds = tuple(round_timeouts)

    # --- validation and the definition's pieces ------------------------------------------------

    @staticmethod
    def _check_notification(check: PropsValidator, prop: str, value: object) -> None:
        if not isinstance(value, ApprovalNotification):
            check.fail(
                prop,
                f"must be ApprovalNotification.topic(topic), .queue(queue) or .function(function), got {value!r}",
            )
        problem = value.problem()
        if problem is not None:
            check.fail(prop, problem)

    # --- attributes ------------------------------------------------------------------------------

    @property
    def alarm_topic(self) -> sns.ITopic | None:
        """Where alarms go (None with alarms off)."""
        return self.machine.alarm_topic

    @property
    def alarms(self) -> dict[ExecutionAlarm, cloudwatch.Alarm]:
        """The alarms by kind."""
        return self.machine.alarms

    @property
    def api(self) -> apigateway.RestApi:
        """The callback REST API."""
        return self.callback.api

    @property
    def callback_function(self) -> lambda_.Function:
        """The approval callback handler function."""
        return self.callback.function

    @property
    def token_table(self) -> dynamodb.Table:
        """The table of used-token hashes."""
        return self.callback.table

    @property
    def approve_url(self) -> str:
        """``POST`` here to approve (the notification carries it too)."""
        return self.callback.url_for("approve")

    @property
    def reject_url(self) -> str:
        """``POST`` here to reject."""
        return self.callback.url_for("reject")

    @property
    def deadline_seconds(self) -> int:
        """The total time a request may stay unanswered."""
        return self._deadline_seconds

    @property
    def round_seconds(self) -> tuple[int, ...]:
        """TimeoutSeconds of each round, in order (request, reminders, escalation)."""
        return self._round_seconds

    def grant_decide(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` call ``POST /approve`` and ``POST /reject`` (IAM authorization)."""
        arns = [method.method_arn for method in self.callback.methods.values()]
        return iam.Grant.add_to_principal(grantee=grantee, actions=["execute-api:Invoke"], resource_arns=arns)

    def metric_failed(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionsFailed (the default timeout branch fails the execution)."""
        return self.machine.metric_failed(**options)

    def metric_succeeded(self, **options: Any) -> cloudwatch.Metric:
        """ExecutionsSucceeded (approved or rejected with the default branches)."""
        return self.machine.metric_succeeded(**options)
