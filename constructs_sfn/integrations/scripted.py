"""Replay recorded task results, state by state, in the order they happened.

The conformance corpus records, for each execution, every task's result or error in history
order (``task_results``). :class:`ScriptedResults` replays them: each state gets its own queue,
and each invocation of the state takes the next entry. So an execution that retried ``Charge``
twice and then ran ``Ship`` replays exactly that, whatever the interleaving with other states.

Entries are built directly (:class:`ScriptedResult`) or from the corpus form with
:meth:`ScriptedResults.from_task_results`::

    {"state": "Charge", "outcome": "TaskFailed", "error": "Lambda.ServiceException", "cause": "..."}
    {"state": "Charge", "outcome": "LambdaFunctionSucceeded", "output": {...}}
    {"state": "Wait", "outcome": "TaskTimedOut", "error": "States.Timeout"}

``*Succeeded`` entries return their output, ``*Failed`` entries fail with their error and cause
(an object or array cause is written as compact JSON text, as AWS sends it), ``*TimedOut``
entries never complete so the runtime's own TimeoutSeconds/HeartbeatSeconds produce the timeout.
For ``.waitForTaskToken`` tasks the recorded result stands for the callback.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.errors import IntegrationConfigError
from constructs_sfn.integrations.jsontext import compact_json

__all__ = ["ScriptedResult", "ScriptedResults"]

ScriptedKind = Literal["success", "failure", "timeout"]


@dataclass(frozen=True, slots=True)
class ScriptedResult:
    """One recorded invocation of ``state``."""

    state: str
    kind: ScriptedKind
    output: Any = None
    error: str | None = None
    cause: str | None = None

    @classmethod
    def from_task_result(cls, entry: Mapping[str, Any]) -> ScriptedResult:
        """Build from a corpus ``task_results`` entry (``state``, ``outcome``, ``output``, ``error``...)."""
        state = entry.get("state")
        outcome = entry.get("outcome")
        if not isinstance(state, str) or not isinstance(outcome, str):
            raise IntegrationConfigError(f"task result needs string 'state' and 'outcome': {compact_json(dict(entry))}")
        if outcome.endswith("Succeeded"):
            return cls(state, "success", output=entry.get("output"))
        if outcome.endswith("TimedOut"):
            return cls(state, "timeout", error=entry.get("error") or ErrorName.TIMEOUT)
        if outcome.endswith("Failed"):
            cause = entry.get("cause")
            if cause is not None and not isinstance(cause, str):
                cause = compact_json(cause)
            error = entry.get("error")
            return cls(state, "failure", error=error if isinstance(error, str) else "", cause=cause)
        raise IntegrationConfigError(f"task result for state '{state}' has unknown outcome '{outcome}'")

    def outcome(self, request: TaskRequest) -> TaskOutcome:
        """The outcome replaying this entry for ``request``."""
        callback = request.integration == "waitForTaskToken"
        if self.kind == "success":
            return TaskOutcome(output=self.output, resolves_callback=callback)
        if self.kind == "failure":
            return TaskOutcome(error=StatesError(self.error or "", self.cause), resolves_callback=callback)
        return TaskOutcome.never()


class ScriptedResults:
    """A :class:`~constructs_sfn.asl.services.TaskService` replaying results per state, in order.

    Meant for one execution at a time (the queues are per state, not per execution). A state
    invoked more often than recorded fails with ``States.Runtime`` naming it.
    """

    def __init__(self, results: Iterable[ScriptedResult]) -> None:
        """Queue ``results`` per state in the order given."""
        self._queues: dict[str, deque[ScriptedResult]] = {}
        self._lock = threading.Lock()
        for result in results:
            self._queues.setdefault(result.state, deque()).append(result)

    @classmethod
    def from_task_results(cls, task_results: Iterable[Mapping[str, Any]]) -> ScriptedResults:
        """Replay a corpus case's ``task_results`` list."""
        return cls(ScriptedResult.from_task_result(entry) for entry in task_results)

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """The next recorded outcome of the request's state."""
        outcome = self.route(request)
        if outcome is None:
            return TaskOutcome.failure(
                ErrorName.RUNTIME,
                f"No recorded result is left for state '{request.state_name}' (resource '{request.resource}').",
            )
        return outcome

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        """The next recorded outcome, or None when the state has none left."""
        with self._lock:
            queue = self._queues.get(request.state_name)
            if not queue:
                return None
            entry = queue.popleft()
        return entry.outcome(request)

    def remaining(self) -> dict[str, int]:
        """States with recorded results not replayed yet, and how many (empty when all were used)."""
        with self._lock:
            return {state: len(queue) for state, queue in self._queues.items() if queue}
