"""The interface a Task integration implements. No boto3 here.

The runtime evaluates a Task state's input processing (InputPath, Parameters/Arguments), builds a
:class:`TaskRequest`, and asks its :class:`TaskService` to ``invoke`` it. The service answers with a
:class:`TaskOutcome`: a result, an ASL error, how long the work took on the execution's clock, and
whether the work ever finishes by itself. The runtime then applies the integration pattern:

* request-response and ``.sync``: the outcome is the task's result (after ``duration`` seconds);
* ``.waitForTaskToken``: the outcome's output is discarded and the runtime waits for
  ``SendTaskSuccess``/``SendTaskFailure`` on ``request.task_token``, unless the outcome says
  ``resolves_callback=True`` (a mock standing in for the callback, as Step Functions Local does).

``TimeoutSeconds`` and ``HeartbeatSeconds`` are enforced by the runtime against ``duration`` and
the heartbeats it receives, so a service never sleeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from constructs_sfn.asl.errors import StatesError

__all__ = [
    "ExecutionHost",
    "TaskOutcome",
    "TaskRequest",
    "TaskService",
    "UnboundTaskService",
]


@dataclass(frozen=True, slots=True)
class TaskRequest:
    """Everything a service needs to perform one attempt of one Task state."""

    resource: str
    """The Task's ``Resource`` as written (``arn:aws:states:::lambda:invoke.waitForTaskToken``...)."""
    parameters: Any
    """The evaluated ``Parameters``/``Arguments`` (or the effective input when neither is given)."""
    state_name: str
    execution_arn: str
    state_machine_arn: str
    context: Mapping[str, Any]
    """The context object (``$$``) as the state sees it."""
    attempt: int = 0
    """Zero-based retry count of this attempt (``$$.State.RetryCount``)."""
    task_token: str | None = None
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None
    credentials: Any = None
    """The evaluated ``Credentials`` field, when the Task sets one."""
    test_case: str | None = None
    """The mock test case selected with ``<stateMachineArn>#<TestCase>``, if any."""
    query_language: str = "JSONPath"
    host: ExecutionHost | None = None
    """The executor that runs this execution, for nested ``states:startExecution``."""

    @property
    def integration(self) -> str:
        """``request-response``, ``sync``, ``sync:2`` or ``waitForTaskToken``."""
        base, dot, suffix = self.resource.rpartition(".")
        if (dot and suffix in ("sync", "waitForTaskToken") and ":::" in base) or suffix == "waitForTaskToken":
            return suffix
        if self.resource.endswith(".sync:2"):
            return "sync:2"
        return "request-response"


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """What one invocation did."""

    output: Any = None
    error: StatesError | None = None
    duration: float = 0.0
    """Seconds of execution time the work took (on the execution's clock)."""
    completes: bool = True
    """False: the work never finishes by itself (it times out or waits for a callback)."""
    resolves_callback: bool = False
    """True: this outcome answers the whole task (mocks): for ``.waitForTaskToken`` it is the callback
    result, for ``.sync`` the finished job; the runtime records ``TaskSubmitted`` before it."""
    heartbeat_gaps: tuple[float, ...] = field(default=())
    """Seconds between the heartbeats the worker sends while it works (fault injection)."""
    submitted: bool = False
    """True when ``submitted_output`` holds the service's answer to the submission of a ``.sync``
    or ``.waitForTaskToken`` task (recorded as ``TaskSubmitted``), separate from the final result."""
    submitted_output: Any = None

    @classmethod
    def success(cls, output: Any, *, duration: float = 0.0) -> TaskOutcome:
        """The work succeeded with ``output``."""
        return cls(output=output, duration=duration)

    @classmethod
    def failure(cls, error: str, cause: str | None = None, *, duration: float = 0.0) -> TaskOutcome:
        """The work failed with an ASL error name and cause."""
        return cls(error=StatesError(error, cause), duration=duration)

    @classmethod
    def never(cls) -> TaskOutcome:
        """The work never completes (the Task times out, or waits for its callback forever)."""
        return cls(completes=False)


@runtime_checkable
class TaskService(Protocol):
    """Performs Task states. Implementations live in ``constructs_sfn.integrations``."""

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Perform one attempt; never raise for domain failures (return ``TaskOutcome.failure``)."""
        ...


class ExecutionHost(Protocol):
    """The part of the local executor a service may call back into (nested executions)."""

    def start_child_execution(
        self, *, state_machine_arn: str, input_text: str, name: str | None, parent_execution_arn: str
    ) -> dict[str, Any]:
        """Start an execution and run it as far as it goes; returns ``describe_execution``'s shape."""
        ...


class UnboundTaskService:
    """The default service: every Task fails, naming the resource that has no binding."""

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Fail with ``States.Runtime`` and say how to bind the resource."""
        return TaskOutcome.failure(
            "States.Runtime",
            f"No integration is bound for resource '{request.resource}' of state "
            f"'{request.state_name}'. Bind a Python handler or a mock, or enable SDK calls.",
        )
