"""Optimized integrations (``arn:aws:states:::<service>:<action>``) and bare Lambda ARNs via boto3.

Result shapes follow what Step Functions returns (checked against the recorded corpus):

* most actions: the API response in PascalCase plus ``SdkHttpMetadata``/``SdkResponseMetadata``,
  keys sorted, dates as epoch milliseconds (``dynamodb:getItem`` keeps DynamoDB's attribute-value
  JSON, ``sqs:sendMessage`` gives ``MD5OfMessageBody``/``MessageId``);
* ``lambda:invoke``: ``{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata,
  StatusCode}`` with ``Payload`` parsed from JSON; a function error fails the task with the
  function's ``errorType`` as the error and its error document as the cause;
* ``events:putEvents``: ``{Entries, FailedEntryCount}`` without metadata; any failed entry fails
  the task with ``EventBridge.FailedEntry`` and the response as the cause;
* ``states:startExecution.sync``/``.sync:2``: starts the execution and polls
  ``DescribeExecution`` until it ends (real time: the target is a real endpoint);
* the other ``.sync`` jobs (ECS, Batch, Glue, CodeBuild, SageMaker, EMR, Athena): see
  :mod:`~constructs_sfn.integrations.aws.sync_jobs` (polled on the virtual clock);
* ``bedrock:invokeModel``: see :mod:`~constructs_sfn.integrations.aws.bedrock`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.aws.bedrock import invoke_model
from constructs_sfn.integrations.aws.calls import ApiResult, call_api
from constructs_sfn.integrations.aws.clients import ClientProvider
from constructs_sfn.integrations.aws.errors import translate_exception
from constructs_sfn.integrations.aws.job_poller import JobPoller, start_job, start_output
from constructs_sfn.integrations.aws.naming import optimized_boto3_service
from constructs_sfn.integrations.aws.sync_jobs import SyncJob, sync_job
from constructs_sfn.integrations.execution_shapes import execution_input_text, sync_outcome
from constructs_sfn.integrations.jsontext import compact_json, json_text_or_value
from constructs_sfn.integrations.resources import ResourceRef
from constructs_sfn.integrations.sdk_metadata import with_sdk_metadata

__all__ = ["OptimizedIntegrations"]

_LAMBDA_INVOKE_FIELDS = ("FunctionName", "InvocationType", "LogType", "ClientContext", "Qualifier")


class OptimizedIntegrations:
    """Performs optimized integrations through boto3 clients from a :class:`ClientProvider`."""

    def __init__(
        self,
        clients: ClientProvider,
        *,
        sdk_metadata: bool = True,
        poll_interval: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        job_poll_interval: float = 5.0,
        max_job_polls: int = 1000,
    ) -> None:
        """``poll_interval``: real seconds between ``DescribeExecution`` polls for
        ``states:startExecution.sync``; ``job_poll_interval``: virtual seconds between polls of
        the other ``.sync`` jobs, at most ``max_job_polls`` polls per task."""
        self._clients = clients
        self._sdk_metadata = sdk_metadata
        self._poll_interval = poll_interval
        self._sleep = sleep
        self._jobs = JobPoller(poll_interval=job_poll_interval, max_polls=max_job_polls, shape=self._shape)

    def call(self, ref: ResourceRef, request: TaskRequest) -> TaskOutcome:
        """Perform the optimized integration ``ref`` for ``request``."""
        key = (ref.service, ref.action)
        if ref.pattern in ("sync", "sync:2"):
            if key == ("states", "startExecution"):
                return self._start_execution_sync(ref, request)
            spec = sync_job(ref.service, ref.action)
            if spec is not None and ref.pattern == "sync":
                client = self._job_client(spec, ref.service, request)
                return self._jobs.run(spec, client, ref.action, request, service=ref.service)
            return TaskOutcome.failure(
                ErrorName.RUNTIME,
                f"The '.{ref.pattern}' pattern of {ref.service_action} (state '{request.state_name}') is not "
                "supported by Boto3Integrations; mock the state or bind a service for its resource.",
            )
        if key == ("lambda", "invoke"):
            return self._lambda_invoke(request)
        if key == ("bedrock", "invokeModel"):
            return invoke_model(request, lambda service: self._client(service, request), self._shape)
        spec = sync_job(ref.service, ref.action)
        if spec is not None and spec.adapts_start:
            # An action Step Functions names itself (EMR addStep is AddJobFlowSteps), one served by
            # another client than the service's usual one (Bedrock's control plane), or one whose
            # request Step Functions adds to (MediaConvert's tag).
            client = self._job_client(spec, ref.service, request)
            started = start_job(spec, client, ref.action, request, service=ref.service)
            if isinstance(started, TaskOutcome):
                return started
            if spec.start is None:
                return TaskOutcome.success(self._shape(started))
            fields = start_output(spec, started, request.parameters)
            return TaskOutcome.success(self._shape(dataclasses.replace(started, body=fields)))
        parameters = request.parameters
        if key == ("states", "startExecution") and isinstance(parameters, Mapping):
            parameters = {**parameters, "Input": execution_input_text(parameters.get("Input"))}
        result = self._call(ref.service, ref.action, parameters, request)
        if isinstance(result, TaskOutcome):
            return result
        if key == ("ecs", "runTask") and ref.pattern == "waitForTaskToken":
            raw_run = result.body if isinstance(result.body, Mapping) else {}
            if raw_run.get("Failures"):
                # connect-ecs.html: with a task token, a non-empty Failures list fails the task.
                return TaskOutcome.failure("AmazonECS.Unknown", compact_json({k: raw_run[k] for k in sorted(raw_run)}))
        if key == ("events", "putEvents"):
            raw = result.body if isinstance(result.body, Mapping) else {}
            body = {key: raw[key] for key in sorted(raw)}
            if body.get("FailedEntryCount", 0):
                return TaskOutcome.failure("EventBridge.FailedEntry", compact_json(body))
            return TaskOutcome.success(body)
        return TaskOutcome.success(self._shape(result))

    def bare_lambda(self, ref: ResourceRef, request: TaskRequest) -> TaskOutcome:
        """Invoke a Lambda function named by its ARN as the resource; the result is its payload."""
        client = self._client("lambda", request)
        try:
            response = client.invoke(FunctionName=ref.resource, Payload=compact_json(request.parameters))
        except Exception as exc:
            error = translate_exception(exc, client=client, style="optimized", service="lambda")
            if error is None:
                raise
            return TaskOutcome(error=error)
        text = _read_text(response.get("Payload"))
        if response.get("FunctionError"):
            return _function_error(text)
        return TaskOutcome.success(json_text_or_value(text) if text else None)

    def _lambda_invoke(self, request: TaskRequest) -> TaskOutcome:
        params = request.parameters if isinstance(request.parameters, Mapping) else {}
        kwargs: dict[str, Any] = {k: params[k] for k in _LAMBDA_INVOKE_FIELDS if params.get(k) is not None}
        if "Payload" in params:
            kwargs["Payload"] = compact_json(params["Payload"])
        client = self._client("lambda", request)
        try:
            response = client.invoke(**kwargs)
        except Exception as exc:
            error = translate_exception(exc, client=client, style="optimized", service="lambda")
            if error is None:
                raise
            return TaskOutcome(error=error)
        text = _read_text(response.get("Payload"))
        if response.get("FunctionError"):
            return _function_error(text)
        body: dict[str, Any] = {
            "ExecutedVersion": response.get("ExecutedVersion"),
            "LogResult": response.get("LogResult"),
            "Payload": json_text_or_value(text) if text else "",
            "StatusCode": response.get("StatusCode"),
        }
        meta: Mapping[str, Any] = response.get("ResponseMetadata", {})
        result = ApiResult(
            body={k: v for k, v in body.items() if v is not None},
            headers=meta.get("HTTPHeaders", {}) or {},
            status_code=int(meta.get("HTTPStatusCode", 200) or 200),
            request_id=str(meta.get("RequestId", "")),
        )
        return TaskOutcome.success(self._shape(result))

    def _start_execution_sync(self, ref: ResourceRef, request: TaskRequest) -> TaskOutcome:
        params = request.parameters if isinstance(request.parameters, Mapping) else {}
        params = {**params, "Input": execution_input_text(params.get("Input"))}
        started = self._call("states", "startExecution", params, request)
        if isinstance(started, TaskOutcome):
            return started
        arn = started.body.get("ExecutionArn") if isinstance(started.body, Mapping) else None
        client = self._client("states", request)
        deadline = None if request.timeout_seconds is None else time.monotonic() + request.timeout_seconds
        while True:
            try:
                describe = client.describe_execution(executionArn=arn)
            except Exception as exc:
                error = translate_exception(exc, client=client, style="optimized", service="states")
                if error is None:
                    raise
                return TaskOutcome(error=error)
            if describe.get("status") != "RUNNING":
                outcome = sync_outcome(describe, version=2 if ref.pattern == "sync:2" else 1)
                return dataclasses.replace(outcome, submitted=True, submitted_output=self._shape(started))
            if deadline is not None and time.monotonic() >= deadline:
                return TaskOutcome(completes=False, submitted=True, submitted_output=self._shape(started))
            self._sleep(self._poll_interval)

    def _call(self, service: str, action: str, parameters: Any, request: TaskRequest) -> ApiResult | TaskOutcome:
        return call_api(
            self._client(service, request),
            action,
            parameters,
            request=request,
            style="optimized",
            service=service,
            dates="millis",
        )

    def _job_client(self, spec: SyncJob, service: str, request: TaskRequest) -> Any:
        if spec.client is not None:
            return self._clients.client(spec.client, default_region=_region_of(request))
        return self._client(service, request)

    def _client(self, service: str, request: TaskRequest) -> Any:
        return self._clients.client(optimized_boto3_service(service), default_region=_region_of(request))

    def _shape(self, result: ApiResult) -> Any:
        body = result.body if isinstance(result.body, Mapping) else {}
        if not self._sdk_metadata:
            return {key: body[key] for key in sorted(body)}
        return with_sdk_metadata(
            body, headers=result.headers, status_code=result.status_code, request_id=result.request_id
        )


def _read_text(payload: Any) -> str:
    if payload is None:
        return ""
    data = payload.read() if callable(getattr(payload, "read", None)) else payload
    if isinstance(data, bytes | bytearray):
        return bytes(data).decode("utf-8", errors="replace")
    return str(data)


def _function_error(text: str) -> TaskOutcome:
    """A function error: Lambda's ``errorType`` is the error, its error document the cause."""
    document = json_text_or_value(text)
    error = document.get("errorType") if isinstance(document, Mapping) else None
    return TaskOutcome.failure(error if isinstance(error, str) and error else "Lambda.Unknown", text)


def _region_of(request: TaskRequest) -> str | None:
    parts = request.state_machine_arn.split(":")
    return parts[3] if len(parts) > 3 and parts[0] == "arn" and parts[3] else None
