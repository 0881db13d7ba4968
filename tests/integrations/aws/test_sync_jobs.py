"""The ``.sync`` (Run a Job) optimized integrations: against moto where it has the service, fakes elsewhere.

The rules come from the developer guide: *Discover service integration patterns*
(https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync)
and each service's page, cited per test. Waiting is on the virtual clock: every poll adds the
poll interval to the task's duration, nothing sleeps.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from constructs_sfn.asl.services import TaskOutcome
from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.integrations.aws.sync_jobs import SYNC_JOBS
from constructs_sfn.local import LocalStepFunctions

from ..conftest import RequestFactory
from .test_optimized import FakeClient

ROLE = "arn:aws:iam::123456789012:role/sfn"
INTERVAL = 5.0
META = {"HTTPStatusCode": 200, "RequestId": "req-1", "HTTPHeaders": {"x-amzn-requestid": "req-1"}}


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def sdk(session: Any, moto_endpoint: str) -> Boto3Integrations:
    return Boto3Integrations(session=session, endpoint_url=moto_endpoint, job_poll_interval=INTERVAL)


def _set_transition(endpoint: str, model: str, transition: dict[str, Any] | None) -> None:
    """Configure moto's state manager over its HTTP API (None: back to moto's default)."""
    action = "set-transition" if transition is not None else "unset-transition"
    body = {"model_name": model, **({"transition": transition} if transition is not None else {})}
    request = urllib.request.Request(
        f"{endpoint}/moto-api/state-manager/{action}", data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


@pytest.fixture
def glue_runs_advance_per_poll(moto_endpoint: str) -> Iterator[None]:
    """Glue job runs go STARTING -> RUNNING -> SUCCEEDED, one step per GetJobRun (moto: immediate)."""
    _set_transition(moto_endpoint, "glue::job_run", {"progression": "manual", "times": 1})
    try:
        yield
    finally:
        _set_transition(moto_endpoint, "glue::job_run", None)


def _ok(outcome: TaskOutcome) -> Any:
    assert outcome.error is None, outcome.error
    assert outcome.completes
    return outcome.output


def _error(outcome: TaskOutcome) -> tuple[str, str]:
    assert outcome.error is not None, outcome.output
    return outcome.error.error, outcome.error.cause or ""


def _run(sfn: LocalStepFunctions, definition: dict[str, Any], execution_input: Any = None) -> dict[str, Any]:
    machine = sfn.create_state_machine(name=_unique("sm"), definition=json.dumps(definition), roleArn=ROLE)
    kwargs: dict[str, Any] = {"stateMachineArn": machine["stateMachineArn"]}
    if execution_input is not None:
        kwargs["input"] = json.dumps(execution_input)
    started = sfn.start_execution(**kwargs)
    return {
        "describe": sfn.describe_execution(executionArn=started["executionArn"]),
        "events": sfn.get_execution_history(executionArn=started["executionArn"])["events"],
    }


def _types(events: list[dict[str, Any]]) -> list[str]:
    return [event["type"] for event in events]


def _event(events: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(event for event in events if event["type"] == kind)


def _ecs_task_definition(direct: Any) -> tuple[str, str]:
    ecs = direct("ecs")
    cluster = ecs.create_cluster(clusterName=_unique("jobs"))["cluster"]["clusterArn"]
    family = _unique("report")
    ecs.register_task_definition(
        family=family,
        # moto 5.2 fails to attach an ENI for awsvpc (Fargate-compatible) task definitions, so this
        # one runs in bridge mode; RunTask's LaunchType FARGATE still needs no container instance.
        networkMode="bridge",
        containerDefinitions=[{"name": "report", "image": "busybox", "memory": 512, "essential": True}],
    )
    return cluster, family


def test_ecs_run_task_sync_waits_for_the_task_to_stop(
    sdk: Boto3Integrations, direct: Any, make_request: RequestFactory
) -> None:
    """connect-ecs.html: runTask.sync starts the task and waits until it has STOPPED; the result is
    the stopped task (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html)."""
    cluster, family = _ecs_task_definition(direct)
    outcome = sdk.invoke(
        make_request(
            "arn:aws:states:::ecs:runTask.sync",
            {
                "Cluster": cluster,
                "TaskDefinition": family,
                "LaunchType": "FARGATE",
                "Overrides": {"ContainerOverrides": [{"Name": "report", "Command": ["report", "--day", "1"]}]},
            },
        )
    )
    task = _ok(outcome)
    # moto moves a task RUNNING -> DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED, one
    # step per DescribeTasks: four polls of virtual time.
    assert outcome.duration == 4 * INTERVAL
    assert task["LastStatus"] == "STOPPED"
    assert task["ClusterArn"] == cluster
    assert task["Containers"][0]["Name"] == "report"
    assert "SdkHttpMetadata" not in task
    assert list(task) == sorted(task)
    # The PascalCase override reached ECS as its camelCase members and comes back PascalCase.
    assert task["Overrides"]["ContainerOverrides"] == [{"Command": ["report", "--day", "1"], "Name": "report"}]
    assert outcome.submitted
    assert outcome.submitted_output["Tasks"][0]["TaskArn"] == task["TaskArn"]
    assert outcome.submitted_output["SdkHttpMetadata"]["HttpStatusCode"] == 200


def test_ecs_run_task_sync_in_an_execution_records_the_submission(
    session: Any, moto_endpoint: str, direct: Any
) -> None:
    """connect-to-resource.html#connect-sync: the task is submitted (TaskSubmitted carries the
    RunTask answer), then succeeds with the finished job once it is done."""
    cluster, family = _ecs_task_definition(direct)
    sfn = LocalStepFunctions(
        services=Boto3Integrations(session=session, endpoint_url=moto_endpoint, job_poll_interval=INTERVAL)
    )
    definition = {
        "StartAt": "Report",
        "States": {
            "Report": {
                "Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask.sync",
                "Parameters": {
                    "Cluster": cluster,
                    "TaskDefinition": family,
                    "LaunchType": "FARGATE",
                },
                "ResultSelector": {"status.$": "$.LastStatus", "arn.$": "$.TaskArn"},
                "End": True,
            }
        },
    }
    run = _run(sfn, definition)
    assert run["describe"]["status"] == "SUCCEEDED"
    output = json.loads(run["describe"]["output"])
    assert output["status"] == "STOPPED"
    events = run["events"]
    assert _types(events)[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    submitted = json.loads(_event(events, "TaskSubmitted")["taskSubmittedEventDetails"]["output"])
    assert submitted["Tasks"][0]["TaskArn"] == output["arn"]
    succeeded = _event(events, "TaskSucceeded")
    # The virtual clock moved by the four polls between submission and success.
    elapsed = succeeded["timestamp"] - _event(events, "TaskSubmitted")["timestamp"]
    assert elapsed.total_seconds() == pytest.approx(4 * INTERVAL, abs=0.01)


def _stopped_task(exit_code: int | None, *, stop_code: str = "EssentialContainerExited") -> dict[str, Any]:
    container: dict[str, Any] = {"name": "report", "lastStatus": "STOPPED"}
    if exit_code is not None:
        container["exitCode"] = exit_code
    return {
        "taskArn": "arn:aws:ecs:us-east-1:123456789012:task/jobs/t1",
        "lastStatus": "STOPPED",
        "stopCode": stop_code,
        "stoppedReason": "Essential container in task exited",
        "containers": [container],
        "createdAt": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    }


def _ecs_fake(*tasks: dict[str, Any]) -> FakeClient:
    answers = iter(tasks)
    return FakeClient(
        "ecs",
        run_task={
            "tasks": [{"taskArn": tasks[0]["taskArn"], "lastStatus": "PROVISIONING"}],
            "failures": [],
            "ResponseMetadata": META,
        },
        describe_tasks=lambda **kwargs: {"tasks": [next(answers)], "failures": []},
        stop_task={"task": {}},
    )


def test_ecs_container_exiting_non_zero_fails_the_task_and_is_caught() -> None:
    """connect-ecs.html: a task whose container exits with a non-zero code fails the state with
    States.TaskFailed; the cause is the stopped task as JSON, and Catch handles it."""
    running = {
        **_stopped_task(None),
        "lastStatus": "RUNNING",
        "containers": [{"name": "report", "lastStatus": "RUNNING"}],
    }
    client = _ecs_fake(running, _stopped_task(2))
    sfn = LocalStepFunctions(
        services=Boto3Integrations(client_factory=lambda service: client, job_poll_interval=INTERVAL)
    )
    definition = {
        "StartAt": "Report",
        "States": {
            "Report": {
                "Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask.sync",
                "Parameters": {"Cluster": "jobs", "TaskDefinition": "report"},
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.failure", "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
    run = _run(sfn, definition, {"order": 1})
    assert run["describe"]["status"] == "SUCCEEDED"
    output = json.loads(run["describe"]["output"])
    assert output["failure"]["Error"] == "States.TaskFailed"
    cause = json.loads(output["failure"]["Cause"])
    assert cause["Containers"] == [{"ExitCode": 2, "LastStatus": "STOPPED", "Name": "report"}]
    assert cause["StopCode"] == "EssentialContainerExited"
    assert _types(run["events"])[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskFailed"]
    assert [name for name, _ in client.calls] == ["run_task", "describe_tasks", "describe_tasks"]
    assert client.calls[1][1] == {"cluster": "jobs", "tasks": ["arn:aws:ecs:us-east-1:123456789012:task/jobs/t1"]}


def test_ecs_exit_code_zero_and_failed_start(make_request: RequestFactory) -> None:
    """connect-ecs.html: exit code 0 succeeds; a task that never started has no exit code and fails."""
    ok = Boto3Integrations(client_factory=lambda service: _ecs_fake(_stopped_task(0)))
    assert (
        _ok(ok.invoke(make_request("arn:aws:states:::ecs:runTask.sync", {"TaskDefinition": "r"})))["LastStatus"]
        == "STOPPED"
    )
    never = Boto3Integrations(
        client_factory=lambda service: _ecs_fake(_stopped_task(None, stop_code="TaskFailedToStart"))
    )
    error, cause = _error(never.invoke(make_request("arn:aws:states:::ecs:runTask.sync", {"TaskDefinition": "r"})))
    assert error == "States.TaskFailed"
    assert json.loads(cause)["StopCode"] == "TaskFailedToStart"


def test_ecs_failures_in_the_run_task_answer(make_request: RequestFactory) -> None:
    """connect-ecs.html: RunTask can answer 200 with a non-empty Failures list; request-response
    returns it, .sync and .waitForTaskToken fail with AmazonECS.Unknown."""
    answer = {"tasks": [], "failures": [{"arn": "arn:ci", "reason": "RESOURCE:MEMORY"}], "ResponseMetadata": META}
    client = FakeClient("ecs", run_task=answer)
    sdk = Boto3Integrations(client_factory=lambda service: client)
    for resource in ("arn:aws:states:::ecs:runTask.sync", "arn:aws:states:::ecs:runTask.waitForTaskToken"):
        error, cause = _error(sdk.invoke(make_request(resource, {"TaskDefinition": "r"})))
        assert error == "AmazonECS.Unknown"
        assert json.loads(cause)["Failures"] == [{"Arn": "arn:ci", "Reason": "RESOURCE:MEMORY"}]
    plain = _ok(sdk.invoke(make_request("arn:aws:states:::ecs:runTask", {"TaskDefinition": "r"})))
    assert plain["Failures"] == [{"Arn": "arn:ci", "Reason": "RESOURCE:MEMORY"}]
    assert [name for name, _ in client.calls] == ["run_task", "run_task", "run_task"]


def _glue_job(direct: Any) -> str:
    name = _unique("etl")
    direct("glue").create_job(Name=name, Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://b/s.py"})
    return name


@pytest.mark.usefixtures("glue_runs_advance_per_poll")
def test_glue_start_job_run_sync_returns_the_job_run(
    sdk: Boto3Integrations, direct: Any, make_request: RequestFactory
) -> None:
    """connect-glue.html: startJobRun.sync waits for the job run to finish; the output is the
    JobRun (https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html)."""
    name = _glue_job(direct)
    outcome = sdk.invoke(
        make_request("arn:aws:states:::glue:startJobRun.sync", {"JobName": name, "Arguments": {"--day": "1"}})
    )
    run = _ok(outcome)
    assert outcome.duration == 2 * INTERVAL  # STARTING -> RUNNING -> SUCCEEDED
    assert run["JobRunState"] == "SUCCEEDED"
    assert run["JobName"] == name
    assert run["Id"] == outcome.submitted_output["JobRunId"]
    assert run["Arguments"] == {"--day": "1"}


@pytest.mark.parametrize("state", ["FAILED", "STOPPED", "TIMEOUT", "ERROR"])
def test_glue_job_runs_that_did_not_succeed_fail_the_task(state: str, make_request: RequestFactory) -> None:
    """connect-glue.html / Glue job run statuses: FAILED, STOPPED, TIMEOUT and ERROR end the run
    without success, and the task fails with States.TaskFailed naming the run
    (https://docs.aws.amazon.com/glue/latest/dg/job-run-statuses.html)."""
    runs = iter(["RUNNING", state])
    client = FakeClient(
        "glue",
        start_job_run={"JobRunId": "jr_1", "ResponseMetadata": META},
        get_job_run=lambda **kwargs: {"JobRun": {"Id": "jr_1", "JobName": "etl", "JobRunState": next(runs)}},
    )
    outcome = Boto3Integrations(client_factory=lambda service: client, job_poll_interval=INTERVAL).invoke(
        make_request("arn:aws:states:::glue:startJobRun.sync", {"JobName": "etl"})
    )
    error, cause = _error(outcome)
    assert error == "States.TaskFailed"
    assert json.loads(cause) == {"Id": "jr_1", "JobName": "etl", "JobRunState": state}
    assert outcome.duration == 2 * INTERVAL
    assert client.calls[1] == ("get_job_run", {"JobName": "etl", "RunId": "jr_1"})


def _batch_client(statuses: list[str]) -> FakeClient:
    answers = iter(statuses)
    return FakeClient(
        "batch",
        submit_job={"jobArn": "arn:job", "jobName": "nightly", "jobId": "j-1", "ResponseMetadata": META},
        describe_jobs=lambda **kwargs: {
            "jobs": [
                {"jobId": "j-1", "jobName": "nightly", "status": next(answers), "jobQueue": "q", "jobDefinition": "d"}
            ]
        },
        terminate_job={},
    )


def test_batch_submit_job_sync_waits_for_the_job(make_request: RequestFactory) -> None:
    """connect-batch.html: submitJob.sync waits for the job to end; SUCCEEDED gives the job's
    description, FAILED fails the task (https://docs.aws.amazon.com/step-functions/latest/dg/connect-batch.html)."""
    params = {"JobName": "nightly", "JobQueue": "q", "JobDefinition": "d"}
    client = _batch_client(["RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"])
    outcome = Boto3Integrations(client_factory=lambda service: client, job_poll_interval=INTERVAL).invoke(
        make_request("arn:aws:states:::batch:submitJob.sync", params)
    )
    assert _ok(outcome) == {
        "JobDefinition": "d",
        "JobId": "j-1",
        "JobName": "nightly",
        "JobQueue": "q",
        "Status": "SUCCEEDED",
    }
    assert outcome.duration == 4 * INTERVAL
    assert client.calls[0] == ("submit_job", {"jobName": "nightly", "jobQueue": "q", "jobDefinition": "d"})
    assert client.calls[1] == ("describe_jobs", {"jobs": ["j-1"]})
    failed = Boto3Integrations(client_factory=lambda service: _batch_client(["RUNNING", "FAILED"])).invoke(
        make_request("arn:aws:states:::batch:submitJob.sync", params)
    )
    error, cause = _error(failed)
    assert (error, json.loads(cause)["Status"]) == ("States.TaskFailed", "FAILED")


def test_timeout_of_a_moto_emr_step_in_an_execution(session: Any, moto_endpoint: str, direct: Any) -> None:
    """connect-emr.html: addStep.sync waits for the step; moto's step never leaves RUNNING, so the
    Task's TimeoutSeconds ends it with States.Timeout (TaskTimedOut after TaskSubmitted), on the
    virtual clock (https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html)."""
    cluster = direct("emr").run_job_flow(
        Name=_unique("c"),
        ReleaseLabel="emr-6.15.0",
        Instances={"MasterInstanceType": "m5.xlarge", "InstanceCount": 1, "KeepJobFlowAliveWhenNoSteps": True},
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
    )["JobFlowId"]
    sfn = LocalStepFunctions(
        services=Boto3Integrations(session=session, endpoint_url=moto_endpoint, job_poll_interval=INTERVAL)
    )
    step = {
        "Name": "count",
        "ActionOnFailure": "CONTINUE",
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["wc"]},
    }
    definition = {
        "StartAt": "Count",
        "States": {
            "Count": {
                "Type": "Task",
                "Resource": "arn:aws:states:::elasticmapreduce:addStep.sync",
                "Parameters": {"ClusterId": cluster, "Step": step},
                "TimeoutSeconds": 30,
                "End": True,
            }
        },
    }
    run = _run(sfn, definition)
    assert (run["describe"]["status"], run["describe"]["error"]) == ("FAILED", "States.Timeout")
    events = run["events"]
    assert _types(events)[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskTimedOut"]
    elapsed = _event(events, "TaskTimedOut")["timestamp"] - _event(events, "TaskSubmitted")["timestamp"]
    assert elapsed.total_seconds() == pytest.approx(30.0, abs=0.01)
    steps = direct("emr").list_steps(ClusterId=cluster)["Steps"]
    assert [s["Name"] for s in steps] == ["count"]


def test_emr_add_step_request_response_and_sync_output(
    sdk: Boto3Integrations, direct: Any, make_request: RequestFactory
) -> None:
    """connect-emr.html: addStep takes ClusterId and one Step (AddJobFlowSteps underneath) and its
    output is the StepId; .sync gives the same output once the step is COMPLETED."""
    cluster = direct("emr").run_job_flow(
        Name=_unique("c"),
        ReleaseLabel="emr-6.15.0",
        Instances={"MasterInstanceType": "m5.xlarge", "InstanceCount": 1, "KeepJobFlowAliveWhenNoSteps": True},
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
    )["JobFlowId"]
    step = {"Name": "count", "ActionOnFailure": "CONTINUE", "HadoopJarStep": {"Jar": "command-runner.jar"}}
    added = _ok(
        sdk.invoke(make_request("arn:aws:states:::elasticmapreduce:addStep", {"ClusterId": cluster, "Step": step}))
    )
    assert added["StepId"] == direct("emr").list_steps(ClusterId=cluster)["Steps"][0]["Id"]
    assert added["SdkHttpMetadata"]["HttpStatusCode"] == 200
    states = iter(["PENDING", "RUNNING", "COMPLETED"])
    fake = FakeClient(
        "emr",
        add_job_flow_steps={"StepIds": ["s-1"], "ResponseMetadata": META},
        describe_step=lambda **kwargs: {"Step": {"Id": "s-1", "Status": {"State": next(states)}}},
    )
    outcome = Boto3Integrations(client_factory=lambda service: fake, job_poll_interval=INTERVAL).invoke(
        make_request("arn:aws:states:::elasticmapreduce:addStep.sync", {"ClusterId": "j-1", "Step": step})
    )
    assert _ok(outcome) == {"StepId": "s-1"}
    assert outcome.duration == 3 * INTERVAL
    assert fake.calls[0][1] == {"JobFlowId": "j-1", "Steps": [step]}
    assert fake.calls[1] == ("describe_step", {"ClusterId": "j-1", "StepId": "s-1"})


def test_codebuild_start_build_sync_wraps_the_build(
    sdk: Boto3Integrations, direct: Any, make_request: RequestFactory
) -> None:
    """connect-codebuild.html: startBuild.sync waits for the build; the output keeps StartBuild's
    shape, the finished build under Build (https://docs.aws.amazon.com/step-functions/latest/dg/connect-codebuild.html)."""
    name = _unique("ci")
    direct("codebuild").create_project(
        name=name,
        source={"type": "S3", "location": "bucket/source.zip"},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        serviceRole=ROLE,
    )
    outcome = sdk.invoke(make_request("arn:aws:states:::codebuild:startBuild.sync", {"ProjectName": name}))
    result = _ok(outcome)
    assert list(result) == ["Build"]
    assert result["Build"]["BuildStatus"] == "SUCCEEDED"
    assert result["Build"]["Id"] == outcome.submitted_output["Build"]["Id"]
    assert result["Build"]["ProjectName"] == name


def test_codebuild_failed_build_fails_the_task(make_request: RequestFactory) -> None:
    """connect-codebuild.html: a build that ends FAILED fails the task with the build as the cause."""
    client = FakeClient(
        "codebuild",
        start_build={"build": {"id": "ci:1", "buildStatus": "IN_PROGRESS"}, "ResponseMetadata": META},
        batch_get_builds={"builds": [{"id": "ci:1", "buildStatus": "FAILED", "currentPhase": "COMPLETED"}]},
    )
    error, cause = _error(
        Boto3Integrations(client_factory=lambda service: client).invoke(
            make_request("arn:aws:states:::codebuild:startBuild.sync", {"ProjectName": "ci"})
        )
    )
    assert error == "States.TaskFailed"
    assert json.loads(cause) == {"Build": {"BuildStatus": "FAILED", "CurrentPhase": "COMPLETED", "Id": "ci:1"}}
    assert client.calls[1] == ("batch_get_builds", {"ids": ["ci:1"]})


def test_sagemaker_training_job_sync_on_moto(sdk: Boto3Integrations, make_request: RequestFactory) -> None:
    """connect-sagemaker.html: createTrainingJob.sync waits for the job; the output is the
    DescribeTrainingJob answer (https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html)."""
    name = _unique("train")
    params = {
        "TrainingJobName": name,
        "AlgorithmSpecification": {
            "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb:1",
            "TrainingInputMode": "File",
        },
        "RoleArn": ROLE,
        "OutputDataConfig": {"S3OutputPath": "s3://models/out"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    outcome = sdk.invoke(make_request("arn:aws:states:::sagemaker:createTrainingJob.sync", params))
    job = _ok(outcome)
    assert job["TrainingJobName"] == name
    assert job["TrainingJobStatus"] == "Completed"
    assert job["TrainingJobArn"] == outcome.submitted_output["TrainingJobArn"]


@pytest.mark.parametrize(
    ("action", "describe", "name_key", "status_key"),
    [
        ("createTrainingJob", "describe_training_job", "TrainingJobName", "TrainingJobStatus"),
        ("createTransformJob", "describe_transform_job", "TransformJobName", "TransformJobStatus"),
        ("createProcessingJob", "describe_processing_job", "ProcessingJobName", "ProcessingJobStatus"),
    ],
)
def test_sagemaker_jobs_that_fail(
    action: str, describe: str, name_key: str, status_key: str, make_request: RequestFactory
) -> None:
    """connect-sagemaker.html: a job that ends Failed fails the task with States.TaskFailed."""
    statuses = iter(["InProgress", "Failed"])
    client = FakeClient(
        "sagemaker",
        **{
            action[:1] + "".join(f"_{c.lower()}" if c.isupper() else c for c in action[1:]): {"ResponseMetadata": META},
            describe: lambda **kwargs: {name_key: kwargs[name_key], status_key: next(statuses), "FailureReason": "OOM"},
        },
    )
    outcome = Boto3Integrations(client_factory=lambda service: client, job_poll_interval=INTERVAL).invoke(
        make_request(f"arn:aws:states:::sagemaker:{action}.sync", {name_key: "j1"})
    )
    error, cause = _error(outcome)
    assert error == "States.TaskFailed"
    assert json.loads(cause) == {"FailureReason": "OOM", name_key: "j1", status_key: "Failed"}
    assert outcome.duration == 2 * INTERVAL


def test_athena_start_query_execution_sync_on_moto(sdk: Boto3Integrations, make_request: RequestFactory) -> None:
    """connect-athena.html: startQueryExecution.sync waits for the query; the output is the
    GetQueryExecution answer (https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html)."""
    outcome = sdk.invoke(
        make_request(
            "arn:aws:states:::athena:startQueryExecution.sync",
            {"QueryString": "SELECT 1", "ResultConfiguration": {"OutputLocation": "s3://results/"}},
        )
    )
    answer = _ok(outcome)
    assert answer["QueryExecution"]["Status"]["State"] == "SUCCEEDED"
    assert answer["QueryExecution"]["QueryExecutionId"] == outcome.submitted_output["QueryExecutionId"]


def test_start_errors_are_the_service_errors(sdk: Boto3Integrations, make_request: RequestFactory) -> None:
    """connect-glue.html: the start call failing fails the task with the service's error (no
    submission happened, so no TaskSubmitted)."""
    outcome = sdk.invoke(make_request("arn:aws:states:::glue:startJobRun.sync", {"JobName": _unique("missing")}))
    error, cause = _error(outcome)
    assert error == "Glue.EntityNotFoundException"
    assert "(Service: AWSGlue; Status Code: 400; Error Code: EntityNotFoundException;" in cause
    assert not outcome.submitted


def test_unsupported_patterns_still_say_so(sdk: Boto3Integrations, make_request: RequestFactory) -> None:
    """Only the table's actions run as jobs; others fail with States.Runtime naming the resource."""
    for resource in ("arn:aws:states:::eks:runJob.sync", "arn:aws:states:::ecs:runTask.sync:2"):
        error, cause = _error(sdk.invoke(make_request(resource, {}, state_name="Run")))
        assert error == "States.Runtime"
        assert "pattern of" in cause
        assert "(state 'Run') is not supported" in cause


def test_every_row_names_a_real_describe_and_cancel_call() -> None:
    """Each row's describe and cancel operations exist in the service's botocore model."""
    import botocore.session

    from constructs_sfn.integrations.aws.naming import operation_name, optimized_boto3_service

    session = botocore.session.get_session()
    for (service, action), spec in SYNC_JOBS.items():
        model = session.get_service_model(spec.client or optimized_boto3_service(service))
        start = operation_name(spec.start or action)
        for operation in (start, spec.describe, spec.cancel):
            assert operation is None or operation in model.operation_names, (service, operation)


@pytest.fixture
def ecs_tasks_never_stop(moto_endpoint: str) -> Iterator[None]:
    """moto's ECS tasks stay RUNNING for the length of a test (they advance after 1000 describes)."""
    _set_transition(moto_endpoint, "ecs::task", {"progression": "manual", "times": 1000})
    try:
        yield
    finally:
        _set_transition(moto_endpoint, "ecs::task", None)


@pytest.mark.usefixtures("ecs_tasks_never_stop")
def test_ecs_task_outliving_the_timeout_is_stopped_on_moto(
    sdk: Boto3Integrations, direct: Any, make_request: RequestFactory
) -> None:
    """connect-to-resource.html#connect-sync: when the Task times out, the job is no longer waited
    for; Boto3Integrations stops the ECS task it started (StopTask), and moto shows it STOPPED."""
    cluster, family = _ecs_task_definition(direct)
    outcome = sdk.invoke(
        make_request(
            "arn:aws:states:::ecs:runTask.sync",
            {"Cluster": cluster, "TaskDefinition": family, "LaunchType": "FARGATE"},
            timeout_seconds=20.0,
        )
    )
    assert not outcome.completes
    arn = outcome.submitted_output["Tasks"][0]["TaskArn"]
    [task] = direct("ecs").describe_tasks(cluster=cluster, tasks=[arn])["tasks"]
    assert (task["lastStatus"], task["desiredStatus"]) == ("STOPPED", "STOPPED")
    assert task["stoppedReason"] == "Task state timed out in AWS Step Functions"


def test_emr_cluster_lifecycle_on_moto(sdk: Boto3Integrations, direct: Any, make_request: RequestFactory) -> None:
    """connect-emr.html: createCluster (RunJobFlow) .sync waits until the cluster is ready and
    returns ClusterArn and ClusterId; terminateCluster.sync waits until it is TERMINATED."""
    params = {
        "Name": _unique("c"),
        "ReleaseLabel": "emr-6.15.0",
        "Instances": {"MasterInstanceType": "m5.xlarge", "InstanceCount": 1, "KeepJobFlowAliveWhenNoSteps": True},
        "JobFlowRole": "EMR_EC2_DefaultRole",
        "ServiceRole": "EMR_DefaultRole",
    }
    created = _ok(sdk.invoke(make_request("arn:aws:states:::elasticmapreduce:createCluster.sync", params)))
    assert sorted(created) == ["ClusterArn", "ClusterId"]
    described = direct("emr").describe_cluster(ClusterId=created["ClusterId"])["Cluster"]
    assert described["ClusterArn"] == created["ClusterArn"]
    assert described["Status"]["State"] == "WAITING"
    terminated = sdk.invoke(
        make_request("arn:aws:states:::elasticmapreduce:terminateCluster.sync", {"ClusterId": created["ClusterId"]})
    )
    assert _ok(terminated) == {}
    assert direct("emr").describe_cluster(ClusterId=created["ClusterId"])["Cluster"]["Status"]["State"] == "TERMINATED"


def _batch_machine(**task_fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "Nightly",
        "States": {
            "Nightly": {
                "Type": "Task",
                "Resource": "arn:aws:states:::batch:submitJob.sync",
                "Parameters": {"JobName": "nightly", "JobQueue": "q", "JobDefinition": "d"},
                "End": True,
                **task_fields,
            }
        },
    }


def test_retry_of_a_failed_job_submits_a_new_one() -> None:
    """A job that FAILED fails the task with States.TaskFailed, which a Retrier matches: the next
    attempt submits a new job (two TaskSubmitted events) and its success is the task's result."""
    client = _batch_client(["FAILED", "RUNNING", "SUCCEEDED"])
    sfn = LocalStepFunctions(
        services=Boto3Integrations(client_factory=lambda service: client, job_poll_interval=INTERVAL)
    )
    definition = _batch_machine(
        Retry=[{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 1, "MaxAttempts": 1}],
        ResultSelector={"status.$": "$.Status"},
    )
    run = _run(sfn, definition)
    assert run["describe"]["status"] == "SUCCEEDED"
    assert json.loads(run["describe"]["output"]) == {"status": "SUCCEEDED"}
    types = _types(run["events"])
    assert types.count("TaskSubmitted") == 2
    assert types.count("TaskFailed") == 1
    assert [name for name, _ in client.calls].count("submit_job") == 2


def test_mediaconvert_create_job_is_tagged_and_waited_for(make_request: RequestFactory) -> None:
    """connect-mediaconvert.html: Step Functions adds the tag ManagedByService: AWSStepFunctions to
    MediaConvert jobs (request-response and .sync); .sync waits for COMPLETE, ERROR fails the task
    (https://docs.aws.amazon.com/step-functions/latest/dg/connect-mediaconvert.html)."""
    statuses = iter(["SUBMITTED", "PROGRESSING", "COMPLETE", "ERROR"])
    client = FakeClient(
        "mediaconvert",
        # MediaConvert's API members are PascalCase already (Job, Id, Status).
        create_job={"Job": {"Id": "mc-1", "Status": "SUBMITTED"}, "ResponseMetadata": META},
        get_job=lambda **kwargs: {"Job": {"Id": kwargs["Id"], "Status": next(statuses)}},
    )
    sdk = Boto3Integrations(client_factory=lambda service: client, job_poll_interval=INTERVAL)
    params = {"Role": ROLE, "Settings": {"Inputs": []}, "Tags": {"team": "video"}}
    created = _ok(sdk.invoke(make_request("arn:aws:states:::mediaconvert:createJob", params)))
    assert created["Job"] == {"Id": "mc-1", "Status": "SUBMITTED"}
    assert client.calls[0][1]["Tags"] == {"team": "video", "ManagedByService": "AWSStepFunctions"}
    outcome = sdk.invoke(make_request("arn:aws:states:::mediaconvert:createJob.sync", {"Role": ROLE, "Settings": {}}))
    assert _ok(outcome) == {"Job": {"Id": "mc-1", "Status": "COMPLETE"}}
    assert outcome.duration == 3 * INTERVAL
    assert client.calls[1][1]["Tags"] == {"ManagedByService": "AWSStepFunctions"}
    error, cause = _error(sdk.invoke(make_request("arn:aws:states:::mediaconvert:createJob.sync", {"Role": ROLE})))
    assert (error, json.loads(cause)) == ("States.TaskFailed", {"Job": {"Id": "mc-1", "Status": "ERROR"}})
