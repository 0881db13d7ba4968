"""Runs the ``.sync`` jobs of :data:`~constructs_sfn.integrations.aws.sync_jobs.SYNC_JOBS` through boto3.

A job that ends in a failure status fails the task with ``States.TaskFailed`` and the job's
document (the output the task would have had) as compact JSON text in the cause. Waiting is
virtual: every poll adds ``poll_interval`` seconds to the outcome's ``duration`` and nothing
sleeps, so the runtime enforces ``TimeoutSeconds`` on the execution's clock. Polling stops at
the Task's ``TimeoutSeconds`` or ``HeartbeatSeconds`` (the job sends no heartbeats; the job is
cancelled and the task times out) or after ``max_polls`` polls (the task then never completes by
itself: it times out, or the execution stays RUNNING).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.aws.calls import ApiResult, call_api
from constructs_sfn.integrations.aws.errors import translate_exception
from constructs_sfn.integrations.aws.shapes import coerce_parameters, convert_response
from constructs_sfn.integrations.aws.sync_jobs import Path, Ref, SyncJob
from constructs_sfn.integrations.jsontext import compact_json

__all__ = ["JobPoller", "start_job", "start_output"]


def start_job(
    spec: SyncJob | None,
    client: Any,
    action: str,
    request: TaskRequest,
    *,
    service: str,
) -> ApiResult | TaskOutcome:
    """Make the start call of ``action`` (renaming parameters as the row says); a TaskOutcome on failure."""
    params = request.parameters
    operation = action
    if spec is not None and spec.start is not None:
        operation = spec.start
        params = _renamed(params, spec.renames)
    if spec is not None and spec.tags and isinstance(params, Mapping):
        given = params.get("Tags")
        params = {**params, "Tags": {**(given if isinstance(given, Mapping) else {}), **spec.tags}}
    return call_api(client, operation, params, request=request, style="optimized", service=service, dates="millis")


def start_output(spec: SyncJob, started: ApiResult, params: Any) -> Any:
    """A request-response result for a row whose output is named fields (EMR ``addStep``)."""
    return {name: _resolve(ref, params, started.body) for name, ref in sorted(spec.fields.items())}


class JobPoller:
    """Runs ``.sync`` jobs: start, poll on the virtual clock, cancel on timeout, shape the result."""

    def __init__(self, *, poll_interval: float, max_polls: int, shape: Callable[[ApiResult], Any]) -> None:
        """``shape`` turns an API answer into an optimized result (with SDK metadata), for TaskSubmitted."""
        if poll_interval <= 0:
            raise ValueError(f"job_poll_interval must be a positive number of seconds, got {poll_interval!r}")
        if max_polls < 1:
            raise ValueError(f"max_job_polls must be at least 1, got {max_polls!r}")
        self._interval = poll_interval
        self._max_polls = max_polls
        self._shape = shape

    def run(self, spec: SyncJob, client: Any, action: str, request: TaskRequest, *, service: str) -> TaskOutcome:
        """Start the job of ``service:action`` and wait for it as Step Functions does."""
        started = start_job(spec, client, action, request, service=service)
        if isinstance(started, TaskOutcome):
            return started
        body = started.body if isinstance(started.body, Mapping) else {}
        if spec.start_failures and body.get("Failures"):
            # connect-ecs.html: under .sync a non-empty Failures list fails the task.
            return TaskOutcome.failure("AmazonECS.Unknown", compact_json(_sorted(body)))
        submitted = self._shape(started)
        params = request.parameters
        describe_kwargs = {name: _resolve(ref, params, body) for name, ref in spec.describe_args.items()}
        # The job sends no heartbeats of its own (SendTaskHeartbeat is optional for .sync tasks), so
        # the task ends at HeartbeatSeconds or TimeoutSeconds, whichever comes first.
        limits = [limit for limit in (request.timeout_seconds, request.heartbeat_seconds) if limit is not None]
        deadline = min(limits) if limits else None
        elapsed = 0.0
        polls = 0
        while True:
            if deadline is not None and elapsed + self._interval >= deadline:
                # The next poll would come at or after the deadline, when the task has timed out.
                self._cancel(spec, client, params, body, service=service)
                return TaskOutcome(completes=False, submitted=True, submitted_output=submitted)
            if polls >= self._max_polls:
                return TaskOutcome(completes=False, submitted=True, submitted_output=submitted)
            elapsed += self._interval
            polls += 1
            answer = _describe(client, spec.describe, describe_kwargs, service=service)
            if isinstance(answer, TaskOutcome):
                return _submitted(answer, submitted, elapsed)
            job = _dig(answer, spec.job)
            if not isinstance(job, Mapping):
                return _submitted(
                    TaskOutcome.failure(
                        ErrorName.TASK_FAILED,
                        f"{spec.describe} did not return the job started by state '{request.state_name}': "
                        f"{compact_json(answer)}",
                    ),
                    submitted,
                    elapsed,
                )
            status = _dig(job, spec.status)
            if status in spec.succeeded or status in spec.failed:
                output = self._output(spec, job, answer, params, body)
                failed = status in spec.failed or (spec.exit_codes and _container_failed(job))
                if failed:
                    outcome = TaskOutcome.failure(ErrorName.TASK_FAILED, compact_json(output))
                else:
                    outcome = TaskOutcome.success(output)
                return _submitted(outcome, submitted, elapsed)

    @staticmethod
    def _output(spec: SyncJob, job: Mapping[str, Any], answer: Any, params: Any, body: Mapping[str, Any]) -> Any:
        if spec.output == "fields":
            return {name: _resolve(ref, params, body) for name, ref in sorted(spec.fields.items())}
        if spec.output == "describe":
            return _sorted(answer)
        shaped = _sorted(job)
        return {spec.wrap: shaped} if spec.wrap else shaped

    @staticmethod
    def _cancel(spec: SyncJob, client: Any, params: Any, body: Mapping[str, Any], *, service: str) -> None:
        """Stop the job the task no longer waits for; a failure to stop it changes nothing for the task."""
        if spec.cancel is None:
            return
        args = {
            name: value if isinstance(value, str) else _resolve(value, params, body)
            for name, value in spec.cancel_args.items()
        }
        _describe(client, spec.cancel, args, service=service)


def _submitted(outcome: TaskOutcome, submitted: Any, elapsed: float) -> TaskOutcome:
    return TaskOutcome(
        output=outcome.output,
        error=outcome.error,
        duration=elapsed,
        submitted=True,
        submitted_output=submitted,
    )


def _describe(client: Any, operation: str, kwargs: Mapping[str, Any], *, service: str) -> Any:
    """Call ``operation`` with PascalCase ``kwargs``: its answer in PascalCase, or a TaskOutcome."""
    from botocore import xform_name

    op_model = client.meta.service_model.operation_model(operation)
    try:
        response = getattr(client, xform_name(operation))(**coerce_parameters(kwargs, op_model.input_shape))
    except Exception as exc:
        error = translate_exception(exc, client=client, style="optimized", service=service)
        if error is None:
            raise
        return TaskOutcome(error=error)
    return convert_response(response, op_model.output_shape, dates="millis")


def _container_failed(task: Mapping[str, Any]) -> bool:
    """Whether a stopped ECS task failed: it never started, or a container exited with a non-zero code."""
    if task.get("StopCode") == "TaskFailedToStart":
        return True
    containers = task.get("Containers")
    if not isinstance(containers, list):
        return False
    for container in containers:
        if isinstance(container, Mapping):
            code = container.get("ExitCode")
            if isinstance(code, int) and code != 0:
                return True
    return False


def _renamed(params: Any, renames: Mapping[str, tuple[str, bool]]) -> Any:
    if not isinstance(params, Mapping):
        return params
    out: dict[str, Any] = {}
    for key, value in params.items():
        target, listed = renames.get(key, (key, False))
        out[target] = [value] if listed else value
    return out


def _resolve(ref: Ref, params: Any, start: Mapping[str, Any]) -> Any:
    value = _dig(params if ref.source == "params" else start, ref.path)
    if value is None:
        return None
    return [value] if ref.listed else value


def _dig(value: Any, path: Path) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return None
            value = value[step]
        else:
            if not isinstance(value, Mapping):
                return None
            value = value.get(step)
    return value


def _sorted(value: Any) -> Any:
    """Object keys in sorted order at every level, as Step Functions writes task results."""
    if isinstance(value, Mapping):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value
