"""The optimized integrations that run a job (``.sync``), as one table of services. Pure data.

Step Functions' "Run a Job" pattern (developer guide, *Discover service integration patterns*,
https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync)
starts a job and waits until it reaches a terminal status before the Task moves on. Each
service's page (connect-ecs, connect-batch, connect-glue, connect-codebuild, connect-sagemaker,
connect-emr, connect-athena, connect-mediaconvert, connect-bedrock) names the start call; what
the task waits for and returns is, per service, a row of :data:`SYNC_JOBS`:

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

The rows are run by :class:`~constructs_sfn.integrations.aws.job_poller.JobPoller`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["SYNC_JOBS", "Path", "Ref", "SyncJob", "sync_job"]

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
