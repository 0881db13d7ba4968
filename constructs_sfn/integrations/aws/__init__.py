"""AWS SDK (boto3) integrations. boto3 is imported lazily, when the first client is made."""

from __future__ import annotations

from constructs_sfn.integrations.aws.clients import ClientFactory, ClientProvider
from constructs_sfn.integrations.aws.service import Boto3Integrations

__all__ = ["Boto3Integrations", "ClientFactory", "ClientProvider"]
