"""Fixtures for the endpoint tests: a server on an ephemeral loopback port and boto3 clients for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from constructs_sfn.local.endpoint import EndpointServer, EndpointSettings

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"


def boto3_client(url: str) -> Any:
    """A real boto3 ``stepfunctions`` client for ``url``, with dummy credentials and no retries."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


@pytest.fixture
def endpoint() -> Iterator[EndpointServer]:
    """A fresh endpoint on a free loopback port (settings from no environment at all)."""
    with EndpointServer(port=0, settings=EndpointSettings.from_environment({})) as server:
        yield server


@pytest.fixture
def remote(endpoint: EndpointServer) -> Any:
    """A boto3 client talking to :func:`endpoint` over HTTP."""
    return boto3_client(endpoint.url)
