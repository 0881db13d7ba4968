"""The parts of a saga: its steps, what each step runs, and how each one is retried.

A :class:`SagaStep` pairs a forward action with the compensation that undoes it. Both are a
:class:`SagaAction`: a Lambda function, an AWS SDK call, or any Task state you build. Each has its
own :class:`SagaRetry` and timeout. :class:`~constructs_sfn.cdk.saga.SagaWorkflow` turns a list of
steps into the state machine.

The saga state every step sees (and what a Task state you build must work with)::

    {"input": <the execution input>, "results": {"<StepName>": <its result>, ...}}

After a failure the state also holds ``error`` (the failed action's ``Error``/``Cause``),
``failedStep``, ``compensations`` (each compensation's result) and, when a compensation failed,
``compensationError`` and ``failedCompensation``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from constructs_sfn.cdk.validation import PropsValidator

__all__ = [
    "DEFAULT_STEP_TIMEOUT",
    "STEP_NAME_PATTERN",
    "SagaAction",
    "SagaRetry",
    "SagaStep",
    "compensation_idempotency_key",
    "idempotency_key",
]

#: TimeoutSeconds of a Lambda or SDK-call action or compensation when ``timeout`` is not given.
DEFAULT_STEP_TIMEOUT = Duration.minutes(5)
#: Step names become state names and the literal part of idempotency keys: letters, digits, _ and -.
STEP_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,47}$")


def idempotency_key(step_name: str) -> str:
    """The idempotency key of ``step_name``'s forward action: ``<execution name>:<step name>``.

    A JSONPath intrinsic (``States.Format``) token: put it in SDK-call parameters or a Task you
    build. A Lambda action receives it as ``idempotencyKey`` in its payload.
    """
    return sfn.JsonPath.format(f"{{}}:{step_name}", sfn.JsonPath.execution_name)


def compensation_idempotency_key(step_name: str) -> str:
    """The idempotency key of ``step_name``'s compensation: ``<execution name>:<step name>:compensation``."""
    return sfn.JsonPath.format(f"{{}}:{step_name}:compensation", sfn.JsonPath.execution_name)


@dataclass(frozen=True, kw_only=True)
class SagaRetry:
    """How an action or compensation is retried before the saga treats it as failed.

    Backoff is exponential, capped at ``max_delay`` and fully jittered (``JitterStrategy: FULL``)
    so that many executions failing together do not retry in lock-step. Use :meth:`for_actions`
    (the default for forward actions), :meth:`for_compensations` (the default for compensations),
    :meth:`none`, or set the fields yourself.
    """

    #: Error names retried. Default: ``States.ALL`` (every error a Catch could also see).
    errors: tuple[str, ...] = ("States.ALL",)
    #: Wait before the first retry. Default: 1 second.
    interval: Duration = field(default_factory=lambda: Duration.seconds(1))
    #: Retries after the first attempt (0: no retry). Default: 3.
    max_attempts: int = 3
    #: Multiplier of the wait after each retry (at least 1). Default: 2.
    backoff_rate: float = 2.0
    #: Longest wait between two attempts (MaxDelaySeconds). Default: 20 seconds.
    max_delay: Duration = field(default_factory=lambda: Duration.seconds(20))
    #: Full jitter on each wait. Default: True.
    jitter: bool = True

    @staticmethod
    def for_actions() -> SagaRetry:
        """The forward-action default: 3 retries, 1 s doubling, at most 20 s apart, jittered."""
        return SagaRetry()

    @staticmethod
    def for_compensations() -> SagaRetry:
        """The compensation default: 8 retries, 2 s doubling, at most 60 s apart, jittered.

        Compensations try harder than actions: when one gives up, a human has to clean up.
        """
        return SagaRetry(interval=Duration.seconds(2), max_attempts=8, max_delay=Duration.seconds(60))

    @staticmethod
    def none() -> SagaRetry:
        """No retry: the first failure counts."""
        return SagaRetry(max_attempts=0)

    def check(self, check: PropsValidator, prop: str) -> None:
        """Raise :class:`~constructs_sfn.cdk.errors.ConstructPropsError` for a policy ASL would refuse."""
        if isinstance(self.errors, str) or not isinstance(self.errors, Sequence) or not self.errors:
            check.fail(f"{prop}.errors", f"must be a non-empty tuple of error names, got {self.errors!r}")
        for error in self.errors:
            if not isinstance(error, str) or not error.strip():
                check.fail(f"{prop}.errors", f"error names must be non-empty strings, got {error!r}")
        if "States.ALL" in self.errors and len(self.errors) > 1:
            check.fail(f"{prop}.errors", "States.ALL must appear alone (it already matches every other error)")
        check.seconds(f"{prop}.interval", self.interval)
        check.seconds(f"{prop}.max_delay", self.max_delay)
        if not check.is_token(self.max_attempts) and (
            not isinstance(self.max_attempts, int) or isinstance(self.max_attempts, bool) or self.max_attempts < 0
        ):
            check.fail(f"{prop}.max_attempts", f"must be a whole number >= 0, got {self.max_attempts!r}")
        check.number(f"{prop}.backoff_rate", self.backoff_rate, minimum=1)

    def apply(self, state: sfn.TaskStateBase) -> None:
        """Add this policy as a retrier of ``state``."""
        state.add_retry(
            errors=list(self.errors),
            interval=self.interval,
            max_attempts=self.max_attempts,
            backoff_rate=self.backoff_rate,
            max_delay=self.max_delay,
            jitter_strategy=sfn.JitterType.FULL if self.jitter else sfn.JitterType.NONE,
        )


class _ActionKind(Enum):
    LAMBDA = "lambda"
    SDK = "sdk"
    TASK = "task"


class SagaAction:
    """What a step runs, forward or as compensation.

    Use :meth:`lambda_function`, :meth:`aws_sdk` or :meth:`task`; the constructor is private.
    """

    def __init__(
        self,
        kind: _ActionKind,
        *,
        function: lambda_.IFunction | None = None,
        service: str | None = None,
        action: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        iam_resources: Sequence[str] | None = None,
        iam_action: str | None = None,
        task: sfn.TaskStateBase | None = None,
    ) -> None:
        self._kind = kind
        self._function = function
        self._service = service
        self._action = action
        self._parameters = parameters
        self._iam_resources = iam_resources
        self._iam_action = iam_action
        self._task = task

    @staticmethod
    def lambda_function(function: lambda_.IFunction) -> SagaAction:
        """Invoke ``function`` (request-response); its return value is the step's result.

        A forward action receives ``{"input", "results", "step", "idempotencyKey"}``; a compensation
        receives ``{"input", "results", "error", "failedStep", "step", "idempotencyKey",
        "actionIdempotencyKey"}`` (``actionIdempotencyKey`` is the key its forward action got).
        The role is granted lambda:InvokeFunction on the function (and its versions and aliases).
        """
        return SagaAction(_ActionKind.LAMBDA, function=function)

    @staticmethod
    def aws_sdk(
        service: str,
        action: str,
        *,
        parameters: Mapping[str, Any],
        iam_resources: Sequence[str],
        iam_action: str | None = None,
    ) -> SagaAction:
        """Call ``arn:aws:states:::aws-sdk:<service>:<action>`` with ``parameters``.

        ``parameters`` may read the saga state (``sfn.JsonPath.string_at("$.input.orderId")``) and
        use :func:`idempotency_key` / :func:`compensation_idempotency_key`. The role is granted
        ``iam_action`` (default ``<service>:<Action>``) on ``iam_resources`` only.
        """
        return SagaAction(
            _ActionKind.SDK,
            service=service,
            action=action,
            parameters=parameters,
            iam_resources=iam_resources,
            iam_action=iam_action,
        )

    @staticmethod
    def task(state: sfn.TaskStateBase) -> SagaAction:
        """Any Task state you build (its construct id is its state name).

        It receives the saga state as input and must keep it: give it a ``result_path`` such as
        ``"$.results.<StepName>"`` (``"$.compensations.<StepName>"`` for a compensation) or
        ``sfn.JsonPath.DISCARD``. Its timeout is the one you gave it (the step's ``timeout`` does
        not apply), it must have no Catch of its own (the saga routes its failures), and the
        saga adds its Retry after any you added.
        """
        return SagaAction(_ActionKind.TASK, task=state)

    @property
    def function(self) -> lambda_.IFunction | None:
        """The Lambda function, for a Lambda action."""
        return self._function

    @property
    def user_task(self) -> sfn.TaskStateBase | None:
        """The Task state you built, for a task action."""
        return self._task

    def check(self, check: PropsValidator, prop: str, *, timeout_prop: str | None) -> None:
        """Raise :class:`~constructs_sfn.cdk.errors.ConstructPropsError` for an action that cannot work.

        ``timeout_prop`` names the step's timeout prop when one was given (it cannot apply to a
        Task you built).
        """
        if self._kind is _ActionKind.SDK:
            for name, value in (("service", self._service), ("action", self._action)):
                if not isinstance(value, str) or not value or (not check.is_token(value) and " " in value):
                    check.fail(f"{prop}.{name}", f"must be a non-empty name without spaces, got {value!r}")
            if not isinstance(self._parameters, Mapping):
                check.fail(f"{prop}.parameters", f"must be a mapping, got {type(self._parameters).__name__}")
            if isinstance(self._iam_resources, str) or not self._iam_resources:
                check.fail(
                    f"{prop}.iam_resources",
                    "must list the ARNs the call touches (least privilege: '*' only if you must), "
                    f"got {self._iam_resources!r}",
                )
        elif self._kind is _ActionKind.TASK:
            task = self._task
            if not isinstance(task, sfn.TaskStateBase):
                check.fail(prop, f"SagaAction.task needs a Task state (TaskStateBase), got {type(task).__name__}")
            if timeout_prop is not None:
                check.fail(timeout_prop, "does not apply to a Task you built: set task_timeout on that Task instead")
            rendered = task.to_state_json()
            if rendered.get("Catch"):
                check.fail(prop, f"Task {task.state_id!r} has its own Catch; the saga must route its failures")
            if rendered.get("ResultPath", "$") == "$":
                check.fail(
                    prop,
                    f"Task {task.state_id!r} would replace the saga state with its result: give it a "
                    "result_path such as '$.results.<StepName>' or sfn.JsonPath.DISCARD",
                )
        elif getattr(self._function, "function_arn", None) is None:  # jsii interfaces are not runtime-checkable
            check.fail(prop, f"SagaAction.lambda_function needs an IFunction, got {type(self._function).__name__}")

    def build(
        self,
        scope: Construct,
        state_name: str,
        *,
        payload: Mapping[str, Any],
        result_path: str,
        timeout: Duration,
    ) -> sfn.TaskStateBase:
        """The Task state running this action (SagaWorkflow calls this once per action)."""
        if self._kind is _ActionKind.TASK:
            assert self._task is not None
            return self._task
        task_timeout = sfn.Timeout.duration(timeout)
        if self._kind is _ActionKind.LAMBDA:
            assert self._function is not None
            return tasks.LambdaInvoke(
                scope,
                state_name,
                lambda_function=self._function,
                payload=sfn.TaskInput.from_object(dict(payload)),
                payload_response_only=True,
                retry_on_service_exceptions=False,
                result_path=result_path,
                task_timeout=task_timeout,
            )
        assert self._service is not None
        assert self._action is not None
        return tasks.CallAwsService(
            scope,
            state_name,
            service=self._service,
            action=self._action,
            parameters=dict(self._parameters or {}),
            iam_resources=list(self._iam_resources or []),
            iam_action=self._iam_action,
            result_path=result_path,
            task_timeout=task_timeout,
        )


class SagaStep:
    """One step of a saga: a forward ``action`` and the ``compensation`` that undoes it.

    :param name: the step's name: letters, digits, ``_`` and ``-``, starting with a letter, at
        most 48 characters, unique in the saga. It names the action's state (``<name>``), its
        compensation's (``Compensate<name>``) and the idempotency keys.
    :param action: what the step does.
    :param compensation: what undoes a completed ``action``. Default: nothing to undo (a
        read-only step); the last step never needs one, since nothing can fail after it.
    :param retry: the action's retry policy. Default: ``SagaRetry.for_actions()``.
    :param compensation_retry: the compensation's retry policy. Default:
        ``SagaRetry.for_compensations()``.
    :param timeout: the action's TimeoutSeconds (Lambda and SDK-call actions). Default: 5 minutes.
    :param compensation_timeout: the compensation's TimeoutSeconds (Lambda and SDK-call
        compensations). Default: 5 minutes.
    """

    def __init__(
        self,
        name: str,
        *,
        action: SagaAction,
        compensation: SagaAction | None = None,
        retry: SagaRetry | None = None,
        compensation_retry: SagaRetry | None = None,
        timeout: Duration | None = None,
        compensation_timeout: Duration | None = None,
    ) -> None:
        self.name = name
        self.action = action
        self.compensation = compensation
        self.retry = retry
        self.compensation_retry = compensation_retry
        self.timeout = timeout
        self.compensation_timeout = compensation_timeout

    def __repr__(self) -> str:
        return f"SagaStep({self.name!r})"
