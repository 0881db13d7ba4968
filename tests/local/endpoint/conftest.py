"""Fixtures for the endpoint tests: a server on an ephemeral loopback port and boto3 clients for it."""

from __future__ import annotations

import os
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


def isolated_aws_env(**extra: str) -> dict[str, str]:
    """The environment for an ``aws`` or ``constructs-sfn`` subprocess: dummy credentials, no
    profile or config file, nothing that could reach real AWS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SFN_"))}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_PAGER="",
    )
    env.update(extra)
    return env


@pytest.fixture
def endpoint() -> Iterator[EndpointServer]:
    """A fresh endpoint on a free loopback port (settings from no environment at all)."""
    with EndpointServer(port=0, settings=EndpointSettings.from_environment({})) as server:
        yield server


@pytest.fixture
def remote(endpoint: EndpointServer) -> Any:
    """A boto3 client talking to :func:`endpoint` over HTTP."""
    return boto3_client(endpoint.url)
