"""A TaskService that replays the task results AWS recorded for a service case.

``task_results`` lists, in history order, what each Task attempt returned. A request is answered
with the first unused result recorded for the same state whose ``parameters`` match the request
(masks are wildcards); when none matches, the first unused result of that state is used, so a
parameter difference shows up in the history comparison rather than as a replay failure.
Activity tasks do not go through a TaskService: :meth:`ReplayTaskService.answer_activity` plays
the recorded worker (success, failure, or a worker that took the task and never answered).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from constructs_sfn.asl.services import TaskOutcome, TaskRequest

from .matching import MatchContext, match_value

__all__ = ["ReplayTaskService", "cause_text"]


def cause_text(cause: Any) -> str | None:
    """The cause as AWS carries it: JSON text (compact, like Lambda's) when it was decoded."""
    if cause is None or isinstance(cause, str):
        return cause
    return json.dumps(cause, separators=(",", ":"), ensure_ascii=False)


class ReplayTaskService:
    """Answers Task requests from a service case's ``task_results``."""

    def __init__(self, task_results: Sequence[Mapping[str, Any]], ctx: MatchContext | None = None) -> None:
        self._pending: dict[str, list[Mapping[str, Any]]] = {}
        for result in task_results:
            self._pending.setdefault(str(result.get("state")), []).append(result)
        self._ctx = ctx or MatchContext()
        self.requests: list[TaskRequest] = []
        """Every request received, for diagnostics."""

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Replay the recorded outcome of this state's next attempt."""
        self.requests.append(request)
        queue = self._pending.get(request.state_name) or []
        if not queue:
            return TaskOutcome.failure(
                "States.Runtime",
                f"conformance replay: no recorded task result left for state '{request.state_name}'",
            )
        chosen = next(
            (r for r in queue if not match_value(r.get("parameters"), request.parameters, self._ctx.fork())),
            queue[0],
        )
        queue.remove(chosen)
        return self._outcome(chosen, request.integration == "waitForTaskToken")

    def answer_activity(self, client: Any, task_token: str) -> None:
        """Act as the activity worker that AWS recorded, for the next recorded activity result."""
        for queue in self._pending.values():
            chosen = next((r for r in queue if r.get("kind") == "ActivityScheduled"), None)
            if chosen is None:
                continue
            queue.remove(chosen)
            outcome = str(chosen.get("outcome", ""))
            if outcome.endswith("Succeeded"):
                client.send_task_success(taskToken=task_token, output=json.dumps(chosen.get("output")))
            elif outcome.endswith("Failed"):
                failure: dict[str, Any] = {"taskToken": task_token}
                if chosen.get("error") is not None:
                    failure["error"] = str(chosen["error"])
                cause = cause_text(chosen.get("cause"))
                if cause is not None:
                    failure["cause"] = cause
                client.send_task_failure(**failure)
            return  # a timed-out activity is picked up and never answered

    @staticmethod
    def _outcome(chosen: Mapping[str, Any], waits_for_token: bool) -> TaskOutcome:
        outcome = str(chosen.get("outcome", ""))
        if outcome.endswith("Succeeded"):
            return TaskOutcome(output=chosen.get("output"), resolves_callback=waits_for_token)
        if outcome.endswith("TimedOut"):
            return TaskOutcome.never()
        return TaskOutcome.failure(str(chosen.get("error") or ""), cause_text(chosen.get("cause")))
