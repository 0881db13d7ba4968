"""The AWS-compatible local endpoint: :class:`LocalStepFunctions` over the Step Functions wire protocol.

``constructs-sfn serve`` runs it; in Python::

    from constructs_sfn.local.endpoint import EndpointServer

    with EndpointServer(port=0) as server:
        sfn = boto3.client("stepfunctions", endpoint_url=server.url, region_name="us-east-1")

AWS JSON 1.0 (``X-Amz-Target: AWSStepFunctions.<Action>``), so the AWS CLI, boto3 and the other
SDKs talk to it unchanged. See ``docs/endpoint.md``.
"""

from __future__ import annotations

from constructs_sfn.local.endpoint.server import DEFAULT_MAX_BODY_BYTES, EndpointServer, is_loopback
from constructs_sfn.local.endpoint.settings import (
    SERVICE_ENDPOINT_VARIABLES,
    TIME_MODES,
    EndpointConfigError,
    EndpointSettings,
)
from constructs_sfn.local.endpoint.wire import WireError

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "SERVICE_ENDPOINT_VARIABLES",
    "TIME_MODES",
    "EndpointConfigError",
    "EndpointServer",
    "EndpointSettings",
    "WireError",
    "is_loopback",
]
