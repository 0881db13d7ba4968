"""How integrations compose: a route either handles a request or passes (returns None).

Every service in this package is both a :class:`~constructs_sfn.asl.services.TaskService`
(``invoke`` always answers, failing for what it cannot do) and a :class:`TaskRoute` (``route``
answers only for what it is bound to), so :class:`~constructs_sfn.integrations.TaskServices`
can chain them: mocks, then Python handlers, then nested executions, then the SDK.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

__all__ = ["TaskRoute", "unbound_outcome"]


@runtime_checkable
class TaskRoute(Protocol):
    """A service that may decline a request so the next one in a chain can take it."""

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        """The outcome when this route is bound to the request's resource/state, else None."""
        ...


def unbound_outcome(request: TaskRequest, *, hint: str = "") -> TaskOutcome:
    """The ``States.Runtime`` failure for a resource no integration is bound to."""
    advice = hint or (
        "Bind a Python handler (TaskServices.bind_lambda), mock the state (MockConfig), "
        "or enable SDK calls (TaskServices(sdk=Boto3Integrations()))."
    )
    return TaskOutcome.failure(
        ErrorName.RUNTIME,
        f"No integration is bound for resource '{request.resource}' of state '{request.state_name}'. {advice}",
    )
