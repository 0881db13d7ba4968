"""The optimized integrations that run a job (``.sync``): one table, one poller. Pure data and boto3 calls.

Step Functions' "Run a Job" pattern (developer guide, *Discover service integration patterns*,
https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync)
starts a job and waits until it reaches a terminal status before the Task moves on. Each
service's page (connect-ecs, connect-batch, connect-glue, connect-codebuild, connect-sagemaker,
connect-emr, connect-athena) names the start call; what the task waits for and returns is, per
service, a row of :data:`SYNC_JOBS`:

* the start call (the action's own API operation, or another one with renamed parameters, as
  EMR's ``addStep`` is ``AddJobFlowSteps`` with ``Step`` wrapped into ``Steps``);
* the describe/get call polled, and where its arguments come from (the task's parameters or the
  start call's answer);
* where the describe answer holds the job and the job its status, which statuses mean success
  and which failure (ECS adds: a stopped task whose container exited non-zero failed);
* the task's output: the finished job in Step Functions' shape (PascalCase, dates as epoch
  milliseconds, keys sorted, no HTTP metadata), the whole describe answer, the job under one key
  (CodeBuild's ``{"Build": ...}``), or named fields of the start answer (EMR's ``StepId``);
* the call that cancels the job when the Task times out (ECS ``StopTask``, Batch
  ``TerminateJob``, Glue ``BatchStopJobRun``, ...), made once, best effort.

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
from dataclasses import dataclass, field
from typing import Any, Literal

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.aws.calls import ApiResult, call_api
from constructs_sfn.integrations.aws.errors import translate_exception
from constructs_sfn.integrations.aws.shapes import coerce_parameters, convert_response
from constructs_sfn.integrations.jsontext import compact_json

__all__ = ["SYNC_JOBS", "JobPoller", "Ref", "SyncJob", "start_job", "start_output", "sync_job"]

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Ref:
    """A value taken from the task's ``params`` or from the ``start`` call's answer (PascalCase)."""

    source: Literal["params", "start"]
    path: Path
    listed: bool = False
    """Wrap the value into a one-item list (``tasks=[taskArn]``)."""


@dataclass(frozen=True, slots=True)
class SyncJob:
    """How one optimized integration starts its job, polls it and reports it."""

    describe: str
    """The API operation polled (``DescribeTasks``)."""
    describe_args: Mapping[str, Ref]
    job: Path
    """Where the describe answer holds the job (``("Tasks", 0)``; ``()``: the answer is the job)."""
    status: Path
    """Where the job holds its status."""
    succeeded: frozenset[str]
    failed: frozenset[str]
    output: Literal["job", "describe", "fields"] = "job"
    wrap: str | None = None
    """With ``output="job"``: put the job under this key (``{"Build": ...}``)."""
    fields: Mapping[str, Ref] = field(default_factory=dict)
    """With ``output="fields"``: the output's members."""
    start: str | None = None
    """The start call's operation when the action is not an API operation (``addStep``)."""
    renames: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    """Task parameter -> (API parameter, wrap into a one-item list), for ``start``."""
    cancel: str | None = None
    cancel_args: Mapping[str, Ref | str] = field(default_factory=dict)
    exit_codes: bool = False
    """A job that reached a success status still failed when a container exited non-zero (ECS)."""
    start_failures: bool = False
    """A start answer with a non-empty ``Failures`` list fails the task (ECS RunTask)."""
    client: str | None = None
    """The boto3 client when it is not the service's usual one (Bedrock's control plane, ``bedrock``)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags Step Functions adds to the ``Tags`` map of the start call (MediaConvert's ``ManagedByService``)."""

    @property
    def adapts_start(self) -> bool:
        """Whether the start call differs from a plain call of the action (also for request-response)."""
        return self.start is not None or self.client is not None or bool(self.tags)


def _ids(*statuses: str) -> frozenset[str]:
    return frozenset(statuses)


_REASON = "Task state timed out in AWS Step Functions"

SYNC_JOBS: dict[tuple[str, str], SyncJob] = {
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html
    ("ecs", "runTask"): SyncJob(
        describe="DescribeTasks",
        describe_args={
            "Cluster": Ref("params", ("Cluster",)),
            "Tasks": Ref("start", ("Tasks", 0, "TaskArn"), listed=True),
        },
        job=("Tasks", 0),
        status=("LastStatus",),
        succeeded=_ids("STOPPED"),
        failed=_ids(),
        cancel="StopTask",
        cancel_args={
            "Cluster": Ref("params", ("Cluster",)),
            "Task": Ref("start", ("Tasks", 0, "TaskArn")),
            "Reason": _REASON,
        },
        exit_codes=True,
        start_failures=True,
    ),
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-batch.html
    ("batch", "submitJob"): SyncJob(
        describe="DescribeJobs",
        describe_args={"Jobs": Ref("start", ("JobId",), listed=True)},
        job=("Jobs", 0),
        status=("Status",),
        succeeded=_ids("SUCCEEDED"),
        failed=_ids("FAILED"),
        cancel="TerminateJob",
        cancel_args={"JobId": Ref("start", ("JobId",)), "Reason": _REASON},
    ),
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html
    ("glue", "startJobRun"): SyncJob(
        describe="GetJobRun",
        describe_args={"JobName": Ref("params", ("JobName",)), "RunId": Ref("start", ("JobRunId",))},
        job=("JobRun",),
        status=("JobRunState",),
        succeeded=_ids("SUCCEEDED"),
        failed=_ids("FAILED", "STOPPED", "TIMEOUT", "ERROR"),
        cancel="BatchStopJobRun",
        cancel_args={"JobName": Ref("params", ("JobName",)), "JobRunIds": Ref("start", ("JobRunId",), listed=True)},
    ),
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-codebuild.html
    ("codebuild", "startBuild"): SyncJob(
        describe="BatchGetBuilds",
        describe_args={"Ids": Ref("start", ("Build", "Id"), listed=True)},
        job=("Builds", 0),
        status=("BuildStatus",),
        succeeded=_ids("SUCCEEDED"),
        failed=_ids("FAILED", "FAULT", "STOPPED", "TIMED_OUT"),
        wrap="Build",
        cancel="StopBuild",
        cancel_args={"Id": Ref("start", ("Build", "Id"))},
    ),
    ("codebuild", "startBuildBatch"): SyncJob(
        describe="BatchGetBuildBatches",
        describe_args={"Ids": Ref("start", ("BuildBatch", "Id"), listed=True)},
        job=("BuildBatches", 0),
        status=("BuildBatchStatus",),
        succeeded=_ids("SUCCEEDED"),
        failed=_ids("FAILED", "FAULT", "STOPPED", "TIMED_OUT"),
        wrap="BuildBatch",
        cancel="StopBuildBatch",
        cancel_args={"Id": Ref("start", ("BuildBatch", "Id"))},
    ),
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
    ("sagemaker", "createTrainingJob"): SyncJob(
        describe="DescribeTrainingJob",
        describe_args={"TrainingJobName": Ref("params", ("TrainingJobName",))},
        job=(),
        status=("TrainingJobStatus",),
        succeeded=_ids("Completed"),
        failed=_ids("Failed", "Stopped"),
        cancel="StopTrainingJob",
        cancel_args={"TrainingJobName": Ref("params", ("TrainingJobName",))},
    ),
    ("sagemaker", "createTransformJob"): SyncJob(
        describe="DescribeTransformJob",
        describe_args={"TransformJobName": Ref("params", ("TransformJobName",))},
        job=(),
        status=("TransformJobStatus",),
        succeeded=_ids("Completed"),
        failed=_ids("Failed", "Stopped"),
        cancel="StopTransformJob",
        cancel_args={"TransformJobName": Ref("params", ("TransformJobName",))},
    ),
    ("sagemaker", "createProcessingJob"): SyncJob(
        describe="DescribeProcessingJob",
        describe_args={"ProcessingJobName": Ref("params", ("ProcessingJobName",))},
        job=(),
        status=("ProcessingJobStatus",),
        succeeded=_ids("Completed"),
        failed=_ids("Failed", "Stopped"),
        cancel="StopProcessingJob",
        cancel_args={"ProcessingJobName": Ref("params", ("ProcessingJobName",))},
    ),
    ("sagemaker", "createHyperParameterTuningJob"): SyncJob(
        describe="DescribeHyperParameterTuningJob",
        describe_args={"HyperParameterTuningJobName": Ref("params", ("HyperParameterTuningJobName",))},
        job=(),
        status=("HyperParameterTuningJobStatus",),
        succeeded=_ids("Completed"),
        failed=_ids("Failed", "Stopped"),
        cancel="StopHyperParameterTuningJob",
        cancel_args={"HyperParameterTuningJobName": Ref("params", ("HyperParameterTuningJobName",))},
    ),
    ("sagemaker", "createLabelingJob"): SyncJob(
        describe="DescribeLabelingJob",
        describe_args={"LabelingJobName": Ref("params", ("LabelingJobName",))},
        job=(),
        status=("LabelingJobStatus",),
        succeeded=_ids("Completed"),
        failed=_ids("Failed", "Stopped"),
        cancel="StopLabelingJob",
        cancel_args={"LabelingJobName": Ref("params", ("LabelingJobName",))},
    ),
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html
    ("elasticmapreduce", "addStep"): SyncJob(
        start="addJobFlowSteps",
        renames={"ClusterId": ("JobFlowId", False), "Step": ("Steps", True)},
        describe="DescribeStep",
        describe_args={"ClusterId": Ref("params", ("ClusterId",)), "StepId": Ref("start", ("StepIds", 0))},
        job=("Step",),
        status=("Status", "State"),
        succeeded=_ids("COMPLETED"),
        failed=_ids("CANCELLED", "FAILED", "INTERRUPTED"),
        output="fields",
        fields={"StepId": Ref("start", ("StepIds", 0))},
        cancel="CancelSteps",
        cancel_args={"ClusterId": Ref("params", ("ClusterId",)), "StepIds": Ref("start", ("StepIds", 0), listed=True)},
    ),
    ("elasticmapreduce", "createCluster"): SyncJob(
        start="runJobFlow",
        describe="DescribeCluster",
        describe_args={"ClusterId": Ref("start", ("JobFlowId",))},
        job=("Cluster",),
        status=("Status", "State"),
        succeeded=_ids("WAITING", "RUNNING"),
        failed=_ids("TERMINATED", "TERMINATED_WITH_ERRORS"),
        output="fields",
        fields={"ClusterArn": Ref("start", ("ClusterArn",)), "ClusterId": Ref("start", ("JobFlowId",))},
        cancel="TerminateJobFlows",
        cancel_args={"JobFlowIds": Ref("start", ("JobFlowId",), listed=True)},
    ),
    ("elasticmapreduce", "terminateCluster"): SyncJob(
        start="terminateJobFlows",
        renames={"ClusterId": ("JobFlowIds", True)},
        describe="DescribeCluster",
        describe_args={"ClusterId": Ref("params", ("ClusterId",))},
        job=("Cluster",),
        status=("Status", "State"),
        succeeded=_ids("TERMINATED"),
        failed=_ids("TERMINATED_WITH_ERRORS"),
        output="fields",
    ),
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrock.html
    ("bedrock", "createModelCustomizationJob"): SyncJob(
        client="bedrock",
        describe="GetModelCustomizationJob",
        describe_args={"JobIdentifier": Ref("params", ("JobName",))},
        job=(),
        status=("Status",),
        succeeded=_ids("Completed"),
        failed=_ids("Failed", "Stopped"),
        cancel="StopModelCustomizationJob",
        cancel_args={"JobIdentifier": Ref("params", ("JobName",))},
    ),
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-mediaconvert.html
    ("mediaconvert", "createJob"): SyncJob(
        describe="GetJob",
        describe_args={"Id": Ref("start", ("Job", "Id"))},
        job=("Job",),
        status=("Status",),
        succeeded=_ids("COMPLETE"),
        failed=_ids("ERROR", "CANCELED"),
        output="describe",
        cancel="CancelJob",
        cancel_args={"Id": Ref("start", ("Job", "Id"))},
        tags={"ManagedByService": "AWSStepFunctions"},
    ),
    # https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html
    ("athena", "startQueryExecution"): SyncJob(
        describe="GetQueryExecution",
        describe_args={"QueryExecutionId": Ref("start", ("QueryExecutionId",))},
        job=("QueryExecution",),
        status=("Status", "State"),
        succeeded=_ids("SUCCEEDED"),
        failed=_ids("FAILED", "CANCELLED"),
        output="describe",
        cancel="StopQueryExecution",
        cancel_args={"QueryExecutionId": Ref("start", ("QueryExecutionId",))},
    ),
}
"""Every ``.sync`` integration Boto3Integrations runs besides ``states:startExecution``."""


def sync_job(service: str, action: str) -> SyncJob | None:
    """The table row for ``service:action`` (``ecs``, ``runTask``), or None when it has no ``.sync``."""
    return SYNC_JOBS.get((service, action))


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
