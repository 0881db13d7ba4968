"""``Boto3Integrations``: Task states performed by real AWS SDK calls (or any endpoint boto3 reaches).

Serves SDK integrations (``arn:aws:states:::aws-sdk:<service>:<action>``), optimized integrations
(``arn:aws:states:::dynamodb:putItem``, ``lambda:invoke``, ``sqs:sendMessage``, ``sns:publish``,
``events:putEvents``, ``states:startExecution[.sync|.sync:2]``, ``bedrock:invokeModel``, the
``.sync`` jobs of ECS, Batch, Glue, CodeBuild, SageMaker, EMR and Athena, and other
request-response actions generically) and bare Lambda function ARNs. Endpoints are whatever boto3 resolves
(``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_DYNAMODB``, a profile's ``endpoint_url``), or the
``endpoint_url`` given here, or the clients a ``client_factory`` makes.

SDK integration results are the API response in PascalCase without HTTP metadata, dates as ISO
instants; their errors are ``<Service>.<Exception>`` as the Java 2.x SDK names them
(``DynamoDb.ResourceNotFoundException``, ``S3.NoSuchBucketException``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.aws.calls import call_api
from constructs_sfn.integrations.aws.clients import ClientFactory, ClientProvider
from constructs_sfn.integrations.aws.naming import sdk_boto3_service, sdk_service_prefix
from constructs_sfn.integrations.aws.optimized import OptimizedIntegrations
from constructs_sfn.integrations.aws.s3_items import ITEM_READER_GET_OBJECT, stream_object
from constructs_sfn.integrations.resources import ResourceRef, parse_resource
from constructs_sfn.integrations.routing import unbound_outcome

__all__ = ["Boto3Integrations"]


class Boto3Integrations:
    """A :class:`~constructs_sfn.asl.services.TaskService` calling AWS APIs through boto3.

    boto3 is imported lazily, on the first call that needs a client.
    """

    def __init__(
        self,
        session: Any = None,
        client_factory: ClientFactory | None = None,
        endpoint_url: str | None = None,
        *,
        region_name: str | None = None,
        sdk_metadata: bool = True,
        poll_interval: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        job_poll_interval: float = 5.0,
        max_job_polls: int = 1000,
    ) -> None:
        """Configure where calls go.

        ``session``: a ``boto3.session.Session`` to make clients from. Default: - a new default session.
        ``client_factory``: ``factory(boto3_service_name) -> client``; wins over ``session``.
        ``endpoint_url``: one endpoint for every service. Default: - boto3's own endpoint resolution.
        ``region_name``: region for clients. Default: - the session's region, else the state
        machine's, else ``us-east-1``.
        ``sdk_metadata``: add ``SdkHttpMetadata``/``SdkResponseMetadata`` to optimized results as
        AWS does. Default: True.
        ``poll_interval``/``sleep``: how ``states:startExecution.sync`` polls the child execution.
        ``job_poll_interval``: virtual seconds between the polls of the other ``.sync`` jobs (ECS,
        Batch, Glue, CodeBuild, SageMaker, EMR, Athena); each poll adds them to the task's
        duration and nothing sleeps. Default: 5.0.
        ``max_job_polls``: polls of one ``.sync`` job before the task is left to its timeout (or
        left running when it has none). Default: 1000.
        """
        self.clients = ClientProvider(
            session=session, client_factory=client_factory, endpoint_url=endpoint_url, region_name=region_name
        )
        self._optimized = OptimizedIntegrations(
            self.clients,
            sdk_metadata=sdk_metadata,
            poll_interval=poll_interval,
            sleep=sleep,
            job_poll_interval=job_poll_interval,
            max_job_polls=max_job_polls,
        )

    def client(self, service_name: str) -> Any:
        """The boto3 client used for ``service_name`` (boto3's name, e.g. ``dynamodb``)."""
        return self.clients.client(service_name)

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Perform the call, or fail naming a resource that is not an AWS integration."""
        outcome = self.route(request)
        if outcome is None:
            return unbound_outcome(request, hint="It is not an AWS service integration Boto3Integrations can call.")
        return outcome

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        """Perform the call when the resource is an SDK/optimized integration or a function ARN."""
        ref = parse_resource(request.resource)
        if request.resource == ITEM_READER_GET_OBJECT:
            return stream_object(self.clients, request)
        if ref.kind == "aws-sdk":
            return self._sdk(ref, request)
        if ref.kind == "optimized":
            return self._optimized.call(ref, request)
        if ref.kind == "lambda-function":
            return self._optimized.bare_lambda(ref, request)
        return None

    def _sdk(self, ref: ResourceRef, request: TaskRequest) -> TaskOutcome:
        service = sdk_boto3_service(ref.service, self.clients.available_services())
        parts = request.state_machine_arn.split(":")
        region = parts[3] if len(parts) > 3 and parts[0] == "arn" and parts[3] else None
        client = self.clients.client(service, default_region=region)
        prefix = sdk_service_prefix(ref.service, str(client.meta.service_model.service_id))
        result = call_api(
            client,
            ref.action,
            request.parameters,
            request=request,
            style="sdk",
            service=ref.service,
            prefix=prefix,
            dates="iso",
        )
        if isinstance(result, TaskOutcome):
            return result
        return TaskOutcome.success(result.body)
