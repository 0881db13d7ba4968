"""A TaskService that replays the task results AWS recorded for a service case.

``task_results`` lists, in history order, what each Task attempt returned. A request is answered
with the first unused result recorded for the same state whose ``parameters`` match the request
(masks are wildcards); when none matches, the first unused result of that state is used, so a
parameter difference shows up in the history comparison rather than as a replay failure.
Recorded values are replayed as AWS produced them: ``<uuid:N>`` placeholders become a fixed UUID
per N, and a cause the corpus decoded is re-encoded with the exact text AWS sent when that text
appears verbatim elsewhere in the case (compact JSON otherwise).
Activity tasks do not go through a TaskService: :meth:`ReplayTaskService.answer_activity` plays
the recorded worker (success, failure, or a worker that took the task and never answered).
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

from .matching import MatchContext, match_value

__all__ = ["ReplayTaskService", "cause_text", "materialise", "recorded_json_texts"]


_UUID_TOKEN = re.compile(r"<uuid:(\d+)>")


def materialise(value: Any) -> Any:
    """Replace ``<uuid:N>`` placeholders with a fixed UUID per N (AWS produced a UUID there)."""
    if isinstance(value, str):
        return _UUID_TOKEN.sub(lambda m: str(uuid.UUID(int=int(m.group(1)))), value)
    if isinstance(value, dict):
        return {k: materialise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [materialise(v) for v in value]
    return value


def recorded_json_texts(value: Any) -> dict[str, str]:
    """Every JSON object/array text in ``value``, keyed by its canonical form.

    The corpus decoded some causes (the failed event's ``cause``) but kept the same text verbatim
    elsewhere (in a later state's output); this recovers AWS's exact formatting of that text.
    """
    found: dict[str, str] = {}
    if isinstance(value, str) and value[:1] in "{[":
        with contextlib.suppress(ValueError):
            found.setdefault(_canonical(json.loads(value)), value)
    elif isinstance(value, dict):
        for item in value.values():
            for key, text in recorded_json_texts(item).items():
                found.setdefault(key, text)
    elif isinstance(value, list):
        for item in value:
            for key, text in recorded_json_texts(item).items():
                found.setdefault(key, text)
    return found


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def cause_text(cause: Any, texts: Mapping[str, str] | None = None) -> str | None:
    """The cause as AWS carried it: a recorded verbatim text, else compact JSON (Lambda's form)."""
    if cause is None or isinstance(cause, str):
        return materialise(cause)
    verbatim = (texts or {}).get(_canonical(cause))
    if verbatim is not None:
        return str(materialise(verbatim))
    return json.dumps(materialise(cause), separators=(",", ":"), ensure_ascii=False)


class ReplayTaskService:
    """Answers Task requests from a service case's ``task_results``."""

    def __init__(
        self,
        task_results: Sequence[Mapping[str, Any]],
        ctx: MatchContext | None = None,
        *,
        texts: Mapping[str, str] | None = None,
        s3_objects: Sequence[Mapping[str, Any]] = (),
        history: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self._history = list(history)
        self._texts = dict(texts or {})
        # The S3 objects AWS read for a Distributed Map's ItemReader: (bucket, key) -> body.
        self._s3 = {(str(o.get("bucket")), str(o.get("key"))): o.get("body") for o in s3_objects}
        self._pending: dict[str, list[Mapping[str, Any]]] = {}
        for result in task_results:
            self._pending.setdefault(str(result.get("state")), []).append(result)
        self._ctx = ctx or MatchContext()
        self.requests: list[TaskRequest] = []
        """Every request received, for diagnostics."""

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Replay the recorded outcome of this state's next attempt."""
        self.requests.append(request)
        if request.resource.startswith("arn:aws:states:::s3:") and isinstance(request.parameters, Mapping):
            return self._s3_read(request)
        queue = self._pending.get(request.state_name) or []
        if not queue:
            # Results recorded without a state name (AWS histories inside Parallel branches) are
            # paired with requests in the order they arrive.
            queue = self._pending.get("None") or []
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

    def _s3_read(self, request: TaskRequest) -> TaskOutcome:
        """An ItemReader's S3 read, served from the case's recorded ``s3_objects``."""
        bucket = str(request.parameters.get("Bucket"))
        if request.resource.endswith("listObjectsV2"):
            contents = [
                {"Key": key, "Size": len(str(body).encode())}
                for (name, key), body in self._s3.items()
                if name == bucket and key.startswith(str(request.parameters.get("Prefix", "")))
            ]
            return TaskOutcome.success({"Contents": contents})
        body = self._s3.get((bucket, str(request.parameters.get("Key"))))
        if body is None:
            return TaskOutcome.failure("S3.NoSuchKey", "The specified key does not exist.")
        return TaskOutcome.success(body)

    def answer_activity(self, client: Any, task_token: str) -> None:
        """Act as the activity worker that AWS recorded, for the next recorded activity result."""
        for queue in self._pending.values():
            chosen = next((r for r in queue if r.get("kind") == "ActivityScheduled"), None)
            if chosen is None:
                continue
            queue.remove(chosen)
            outcome = str(chosen.get("outcome", ""))
            if outcome.endswith("Succeeded"):
                output = materialise(chosen.get("output"))
                client.send_task_success(taskToken=task_token, output=json.dumps(output))
            elif outcome.endswith("Failed"):
                failure: dict[str, Any] = {"taskToken": task_token}
                if chosen.get("error") is not None:
                    failure["error"] = str(chosen["error"])
                cause = cause_text(chosen.get("cause"), self._texts)
                if cause is not None:
                    failure["cause"] = cause
                client.send_task_failure(**failure)
            return  # a timed-out activity is picked up and never answered

    def _submission(self, chosen: Mapping[str, Any]) -> dict[str, Any]:
        """The service's recorded answer to the submission (``TaskSubmitted``), when AWS recorded one."""
        start = chosen.get("history_index")
        if not isinstance(start, int):
            return {}
        for event in self._history[start + 1 :]:
            kind = event.get("type")
            if kind == "TaskSubmitted":
                details = event.get("taskSubmittedEventDetails") or {}
                return {"submitted": True, "submitted_output": materialise(details.get("output"))}
            if kind in ("TaskSucceeded", "TaskFailed", "TaskTimedOut", "TaskScheduled"):
                return {}
        return {}

    def _outcome(self, chosen: Mapping[str, Any], waits_for_token: bool) -> TaskOutcome:
        outcome = str(chosen.get("outcome", ""))
        submission = self._submission(chosen)
        if outcome.endswith("Succeeded"):
            return TaskOutcome(
                output=materialise(chosen.get("output")), resolves_callback=waits_for_token, **submission
            )
        if outcome.endswith("TimedOut"):
            return TaskOutcome(completes=False, **submission)
        error = StatesError(str(chosen.get("error") or ""), cause_text(chosen.get("cause"), self._texts))
        return TaskOutcome(error=error, resolves_callback=waits_for_token, **submission)
