"""Option types for ApprovalWorkflow: where approval requests go, and who may answer them.

Both are enum-like classes with static factories (CDK idiom): ``ApprovalNotification.topic(t)``,
``.queue(q)``, ``.function(fn)``; ``CallbackAuthorization.iam()``, ``.cognito(pool)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from aws_cdk import Duration, Stack, aws_cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct, IConstruct

from constructs_sfn.cdk.acknowledgements import acknowledge_rule

__all__ = ["ApprovalNotification", "CallbackAuthorization", "NotificationKind"]

_LAMBDA_VERSIONS_REASON = (
    "The approval notification is a LambdaInvoke task: Step Functions may invoke the notification "
    "function and its versions and aliases (<function ARN>:*), and nothing else."
)


class NotificationKind(StrEnum):
    """The ``kind`` field of a notification: which round of the approval sent it."""

    REQUEST = "REQUEST"
    REMINDER = "REMINDER"
    ESCALATION = "ESCALATION"


class ApprovalNotification:
    """Where a notification carrying the task token is sent: an SNS topic, an SQS queue or a Lambda function.

    Use :meth:`topic`, :meth:`queue` or :meth:`function`; the constructor is private. The state
    machine's role is granted the one call it needs (sns:Publish, sqs:SendMessage or
    lambda:InvokeFunction) on that one resource.
    """

    def __init__(self, kind: str, target: Any, subject: str | None) -> None:
        self._kind = kind
        self._target = target
        self._subject = subject

    @staticmethod
    def topic(topic: sns.ITopic, *, subject: str | None = None) -> ApprovalNotification:
        """Publish the notification (JSON text) to ``topic``, with an optional e-mail ``subject``."""
        return ApprovalNotification("topic", topic, subject)

    @staticmethod
    def queue(queue: sqs.IQueue) -> ApprovalNotification:
        """Send the notification (JSON text) as a message to ``queue``.

        For a FIFO queue (as for a FIFO topic) the message group is the execution name and the
        deduplication id ``<execution name>-<state name>``.
        """
        return ApprovalNotification("queue", queue, None)

    @staticmethod
    def function(function: lambda_.IFunction) -> ApprovalNotification:
        """Invoke ``function`` (request-response) with the notification as its event.

        The function only delivers the request (an e-mail, a chat message); its return value is
        ignored and the execution keeps waiting for the callback.
        """
        return ApprovalNotification("function", function, None)

    @property
    def kind(self) -> str:
        """``topic``, ``queue`` or ``function``."""
        return self._kind

    @property
    def target(self) -> Any:
        """The topic, queue or function."""
        return self._target

    def problem(self) -> str | None:
        """What is wrong with this notification's target, or None."""
        # jsii interfaces are protocols, not runtime-checkable: look for the attribute each one has.
        expected, attribute = {
            "topic": ("an ITopic", "topic_arn"),
            "queue": ("an IQueue", "queue_url"),
            "function": ("an IFunction", "function_arn"),
        }[self._kind]
        if not hasattr(self._target, attribute):
            return f"ApprovalNotification.{self._kind}() needs {expected}, got {self._target!r}"
        return None

    def create_task(
        self,
        scope: Construct,
        id: str,
        *,
        payload: Mapping[str, Any],
        timeout: Duration,
        result_path: str,
    ) -> sfn.TaskStateBase:
        """The ``.waitForTaskToken`` Task state that sends ``payload`` and waits up to ``timeout``."""
        body = sfn.TaskInput.from_object(dict(payload))
        wait = sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN
        task_timeout = sfn.Timeout.duration(timeout)
        # A FIFO topic or queue needs a group and a deduplication id: one group per execution (its
        # rounds stay in order), one id per round (a reminder is not a duplicate of the request).
        fifo = bool(getattr(self._target, "fifo", False)) if self._kind != "function" else False
        group = sfn.JsonPath.execution_name if fifo else None
        dedup = sfn.JsonPath.format(f"{{}}-{id}", sfn.JsonPath.execution_name) if fifo else None
        if self._kind == "topic":
            return tasks.SnsPublish(
                scope,
                id,
                topic=self._target,
                message=body,
                subject=self._subject,
                message_group_id=group,
                message_deduplication_id=dedup,
                integration_pattern=wait,
                task_timeout=task_timeout,
                result_path=result_path,
            )
        if self._kind == "queue":
            return tasks.SqsSendMessage(
                scope,
                id,
                queue=self._target,
                message_body=body,
                message_group_id=group,
                message_deduplication_id=dedup,
                integration_pattern=wait,
                task_timeout=task_timeout,
                result_path=result_path,
            )
        return tasks.LambdaInvoke(
            scope,
            id,
            lambda_function=self._target,
            payload=body,
            integration_pattern=wait,
            task_timeout=task_timeout,
            result_path=result_path,
        )

    def acknowledge_grant(self, role: IConstruct) -> None:
        """Acknowledge, on ``role``, the one cdk-nag finding this notification's task grant causes.

        ``LambdaInvoke`` grants the function and ``<function ARN>:*`` (its versions and aliases);
        that single finding is acknowledged, so any other wildcard in the policy is still reported.
        Topics and queues are granted on their ARN alone and need nothing.
        """
        if self._kind != "function":
            return
        resolved = Stack.of(role).resolve(self._target.function_arn)
        if isinstance(resolved, str):
            finding = f"Resource::{resolved}:*"
        elif isinstance(resolved, dict) and isinstance(resolved.get("Fn::GetAtt"), list):
            logical_id, attribute = resolved["Fn::GetAtt"]
            finding = f"Resource::<{logical_id}.{attribute}>:*"
        else:  # an ARN built another way: leave the finding visible rather than guess its text
            return
        acknowledge_rule(role, "AwsSolutions-IAM5", _LAMBDA_VERSIONS_REASON, finding=finding)

    def __repr__(self) -> str:
        return f"ApprovalNotification.{self._kind}(...)"


class CallbackAuthorization:
    """Who may call the approve/reject endpoint: IAM (SigV4) callers or Cognito user-pool users.

    Use :meth:`iam` (the default) or :meth:`cognito`; the constructor is private. Either way the
    approver recorded in the execution output is the authorized identity.
    """

    def __init__(self, kind: str, user_pool: aws_cognito.IUserPool | None, scopes: Sequence[str]) -> None:
        self._kind = kind
        self._user_pool = user_pool
        self._scopes = tuple(scopes)

    @staticmethod
    def iam() -> CallbackAuthorization:
        """SigV4-signed requests; grant callers with ``ApprovalWorkflow.grant_decide(principal)``.

        The approver is the caller's ARN (``requestContext.identity.userArn``).
        """
        return CallbackAuthorization("iam", None, ())

    @staticmethod
    def cognito(user_pool: aws_cognito.IUserPool, *, scopes: Sequence[str] = ()) -> CallbackAuthorization:
        """A Cognito user pool authorizer (an ID token, or an access token with ``scopes``).

        The approver is the user's ``cognito:username`` claim (else ``email``, else ``sub``).
        """
        return CallbackAuthorization("cognito", user_pool, scopes)

    @property
    def kind(self) -> str:
        """``iam`` or ``cognito``."""
        return self._kind

    @property
    def user_pool(self) -> aws_cognito.IUserPool | None:
        """The user pool (Cognito only)."""
        return self._user_pool

    @property
    def scopes(self) -> tuple[str, ...]:
        """OAuth scopes an access token must carry (Cognito only; empty: ID tokens)."""
        return self._scopes

    def __repr__(self) -> str:
        return f"CallbackAuthorization.{self._kind}()"
