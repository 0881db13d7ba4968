"""Serve Task states from a mock configuration, with Step Functions Local's counter semantics.

An execution started as ``<stateMachineArn>#<TestCase>`` reaches the runtime with
``TaskRequest.test_case`` set. For each Task state that the test case lists, every invocation
takes the next response of its sequence: there is one counter per (execution, state), advanced
on every invocation (each retry, each loop re-entry, each Map iteration). States the test case
does not list fall through to the next integration, as in Step Functions Local's hybrid tests.
"""

from __future__ import annotations

from collections.abc import Mapping

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.services import TaskOutcome, TaskRequest, TaskService
from constructs_sfn.integrations.counters import InvocationCounter
from constructs_sfn.integrations.errors import MockConfigError
from constructs_sfn.integrations.mock_config import MockConfig, Return
from constructs_sfn.integrations.routing import unbound_outcome

__all__ = ["MockedTaskService", "state_machine_name"]


def state_machine_name(request: TaskRequest) -> str:
    """The name of the state machine running ``request`` (mock files key test cases by it)."""
    arn = request.state_machine_arn.split("#", 1)[0]
    parts = arn.split(":")
    if "stateMachine" in parts:
        index = parts.index("stateMachine")
        if index + 1 < len(parts):
            return parts[index + 1]
    machine = request.context.get("StateMachine") if isinstance(request.context, Mapping) else None
    name = machine.get("Name") if isinstance(machine, Mapping) else None
    return name if isinstance(name, str) else arn


class MockedTaskService:
    """Answers the states a selected test case mocks; everything else goes to ``fallback``."""

    def __init__(self, config: MockConfig, *, fallback: TaskService | None = None) -> None:
        """``fallback``: serves states the test case does not mock. Default: - they fail as unbound."""
        self.config = config
        self.fallback = fallback
        self._counter = InvocationCounter()

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """The mocked outcome, else the fallback's, else an unbound-resource failure."""
        outcome = self.route(request)
        if outcome is not None:
            return outcome
        if self.fallback is not None:
            return self.fallback.invoke(request)
        return unbound_outcome(request)

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        """The mocked outcome when the request's test case mocks its state, else None."""
        if not request.test_case:
            return None
        machine = state_machine_name(request)
        try:
            sequence = self.config.mocked_response(machine, request.test_case, request.state_name)
        except MockConfigError as exc:
            return TaskOutcome.failure(ErrorName.RUNTIME, str(exc))
        if sequence is None:
            return None
        invocation = self._counter.advance(request.execution_arn, request.state_name)
        response = sequence.at(invocation)
        if response is None:
            return TaskOutcome.failure(
                ErrorName.RUNTIME,
                f"The mocked response '{sequence.name}' for state '{request.state_name}' of test case "
                f"'{request.test_case}' has no entry for invocation {invocation}; it defines invocations "
                f"0-{sequence.count - 1}.",
            )
        # A mock stands in for the whole task, as Step Functions Local does: for ``.waitForTaskToken``
        # the worker's callback, for ``.sync`` the job it waits for (the runtime records TaskSubmitted).
        callback = request.integration != "request-response"
        if isinstance(response, Return):
            return TaskOutcome(output=response.value, resolves_callback=callback)
        return TaskOutcome(error=StatesError(response.error, response.cause), resolves_callback=callback)

    def invocations(self, execution_arn: str, state_name: str) -> int:
        """How many times the state was invoked under a mock in the execution."""
        return self._counter.peek(execution_arn, state_name)

    def forget(self, execution_arn: str | None = None) -> None:
        """Drop the counters of a finished execution (of all executions when None)."""
        self._counter.forget(execution_arn)
