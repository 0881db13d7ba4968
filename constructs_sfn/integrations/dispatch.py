"""``TaskServices``: one TaskService that routes each Task to the integration bound for it.

Order of precedence for each request:

1. fault injection (:attr:`TaskServices.faults`), when a fault is declared for the state;
2. the mock configuration, when the execution runs a test case (``<arn>#<TestCase>``) that
   mocks the state;
3. services bound to the exact resource with :meth:`TaskServices.bind`;
4. Python handlers for Lambda functions (bare function ARNs and ``lambda:invoke``);
5. nested ``startExecution`` on the same executor (when the runtime provides a host);
6. the SDK service (for example :class:`~constructs_sfn.integrations.Boto3Integrations`);
7. otherwise the task fails with ``States.Runtime``, naming the resource and state.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest, TaskService
from constructs_sfn.integrations.faults import Faults
from constructs_sfn.integrations.lambda_handlers import LambdaHandler, LambdaHandlers
from constructs_sfn.integrations.mock_config import MockConfig
from constructs_sfn.integrations.mocked import MockedTaskService
from constructs_sfn.integrations.nested import NestedExecutions
from constructs_sfn.integrations.resources import parse_resource
from constructs_sfn.integrations.routing import unbound_outcome

__all__ = ["MockConfigSource", "TaskServices"]

MockConfigSource = MockConfig | Mapping[str, Any] | str | os.PathLike[str]
"""A mock configuration, its JSON value, or the path of its file."""


class TaskServices:
    """The composable dispatcher: mocks, faults, Python handlers, nested executions and the SDK."""

    def __init__(
        self,
        *,
        lambdas: Mapping[str, LambdaHandler] | None = None,
        mock_config: MockConfigSource | None = None,
        read_env: bool = True,
        sdk: TaskService | None = None,
        nested_executions: bool = True,
        sdk_metadata: bool = True,
    ) -> None:
        """Compose the integrations.

        ``lambdas``: function name or ARN -> ``handler(event, context)``. Default: - none.
        ``mock_config``: a Step Functions Local mock configuration. Default: - the file named by
        ``SFN_MOCK_CONFIG`` when ``read_env`` is true and the variable is set, else none.
        ``sdk``: the service for AWS integrations nothing else serves, e.g. ``Boto3Integrations()``.
        Default: - AWS integrations fail as unbound.
        ``nested_executions``: run ``states:startExecution`` children on the same executor.
        Default: True.
        ``sdk_metadata``: ``SdkHttpMetadata`` in results of ``lambda:invoke`` handlers and nested
        executions. Default: True.
        """
        self.lambdas = LambdaHandlers(lambdas, sdk_metadata=sdk_metadata)
        self.nested = NestedExecutions(sdk_metadata=sdk_metadata) if nested_executions else None
        self.sdk = sdk
        self.mocks: MockedTaskService | None = None
        self._bindings: dict[str, TaskService] = {}
        config = _load_mock_config(mock_config, read_env=read_env)
        if config is not None:
            self.mocks = MockedTaskService(config)
        self.faults = Faults(inner=_Router(self))
        """Fault injection applied before every other route (``services.faults.throw(...)``)."""

    @property
    def mock_config(self) -> MockConfig | None:
        """The mock configuration in use, if any."""
        return self.mocks.config if self.mocks is not None else None

    def use_mock_config(self, config: MockConfigSource | None) -> TaskServices:
        """Replace the mock configuration (None removes it); counters start afresh."""
        loaded = _load_mock_config(config, read_env=False)
        self.mocks = MockedTaskService(loaded) if loaded is not None else None
        return self

    def bind_lambda(self, function: str, handler: LambdaHandler, *, resolves_callback: bool = False) -> TaskServices:
        """Serve the Lambda function ``function`` (name, alias/version, or ARN) with ``handler``.

        See :meth:`LambdaHandlers.bind` for ``resolves_callback``.
        """
        self.lambdas.bind(function, handler, resolves_callback=resolves_callback)
        return self

    def bind(self, resource: str, service: TaskService) -> TaskServices:
        """Serve Tasks whose ``Resource`` is ``resource`` with ``service``.

        ``resource`` is matched exactly, or without its pattern suffix (binding
        ``arn:aws:states:::sqs:sendMessage`` also serves ``...sendMessage.waitForTaskToken``).
        """
        self._bindings[resource] = service
        return self

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Perform one attempt of a Task state (see the module docs for the routing order)."""
        return self.faults.invoke(request)

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        """Like :meth:`invoke`, but None instead of an unbound-resource failure."""
        outcome = self.faults.route(request)
        return outcome if outcome is not None else _Router(self).route(request)

    def _route(self, request: TaskRequest) -> TaskOutcome | None:
        if self.mocks is not None:
            outcome = self.mocks.route(request)
            if outcome is not None:
                return outcome
        if self._bindings:
            bound = self._bindings.get(request.resource)
            if bound is None:
                bound = self._bindings.get(parse_resource(request.resource).base)
            if bound is not None:
                return bound.invoke(request)
        outcome = self.lambdas.route(request)
        if outcome is not None:
            return outcome
        if self.nested is not None:
            outcome = self.nested.route(request)
            if outcome is not None:
                return outcome
        if self.sdk is not None:
            # A plain TaskService always answers; a TaskRoute may decline.
            route = getattr(self.sdk, "route", None)
            if callable(route):
                routed: TaskOutcome | None = route(request)
                return routed
            return self.sdk.invoke(request)
        return None


class _Router:
    """The part of TaskServices behind fault injection."""

    def __init__(self, owner: TaskServices) -> None:
        self._owner = owner

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        outcome = self._owner._route(request)
        if outcome is not None:
            return outcome
        cause = self._owner.lambdas.unbound_cause(request)
        if cause is not None:
            return TaskOutcome.failure(ErrorName.RUNTIME, cause)
        return unbound_outcome(request)

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        return self._owner._route(request)


def _load_mock_config(source: MockConfigSource | None, *, read_env: bool) -> MockConfig | None:
    if source is None:
        return MockConfig.from_env() if read_env else None
    if isinstance(source, MockConfig):
        return source
    if isinstance(source, Mapping):
        return MockConfig.from_dict(source)
    return MockConfig.from_path(source)
