"""Parse a Task state's ``Resource`` into what it names.

Step Functions resources come in four families, and every service in this package routes on
them:

* a Lambda function ARN (``arn:aws:lambda:us-east-1:123456789012:function:Charge[:live]``);
* an optimized integration (``arn:aws:states:::dynamodb:putItem``, ``...:::lambda:invoke``);
* an SDK integration (``arn:aws:states:::aws-sdk:s3:putObject``);
* an activity (``arn:aws:states:us-east-1:123456789012:activity:Approve``).

Optimized and SDK resources may end with an integration pattern suffix: ``.sync``,
``.sync:2`` or ``.waitForTaskToken``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "FunctionRef",
    "IntegrationPattern",
    "ResourceKind",
    "ResourceRef",
    "parse_resource",
]

ResourceKind = Literal["lambda-function", "optimized", "aws-sdk", "activity", "other"]
IntegrationPattern = Literal["request-response", "sync", "sync:2", "waitForTaskToken"]

# A name is Lambda's ([A-Za-z0-9_-]+), or a test-toolkit placeholder such as <Orders/ChargeFn>
# (constructs_sfn.testing names functions of a synthesized app after their construct paths).
_NAME = r"(?P<name>[A-Za-z0-9_-]+|<[^<>]+>)"
_FUNCTION_ARN = re.compile(
    r"^arn:(?P<partition>[^:]+):lambda:(?P<region>[^:]+):(?P<account>\d{12}):function:"
    + _NAME
    + r"(?::(?P<qualifier>[A-Za-z0-9$_-]+))?$"
)
_PARTIAL_FUNCTION = re.compile(
    r"^(?:(?P<account>\d{12}):function:)?" + _NAME + r"(?::(?P<qualifier>[A-Za-z0-9$_-]+))?$"
)
_STATES_ARN = re.compile(r"^arn:(?P<partition>[^:]+):states:(?P<region>[^:]*):(?P<account>[^:]*):(?P<rest>.+)$")
_SUFFIXES: tuple[tuple[str, IntegrationPattern], ...] = (
    (".waitForTaskToken", "waitForTaskToken"),
    (".sync:2", "sync:2"),
    (".sync", "sync"),
)


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """A Lambda function named by a full ARN, a partial ARN or a bare name, with its qualifier."""

    name: str
    qualifier: str | None = None
    account: str | None = None
    region: str | None = None
    partition: str | None = None

    @classmethod
    def parse(cls, text: str) -> FunctionRef | None:
        """Parse ``FunctionName`` forms Lambda accepts; None when ``text`` is none of them."""
        match = _FUNCTION_ARN.match(text)
        if match is not None:
            return cls(
                name=match["name"],
                qualifier=match["qualifier"],
                account=match["account"],
                region=match["region"],
                partition=match["partition"],
            )
        match = _PARTIAL_FUNCTION.match(text)
        if match is not None:
            return cls(name=match["name"], qualifier=match["qualifier"], account=match["account"])
        return None

    def arn(self, *, partition: str = "aws", region: str = "us-east-1", account: str = "123456789012") -> str:
        """The full ARN, filling what the reference leaves out from the arguments."""
        base = (
            f"arn:{self.partition or partition}:lambda:{self.region or region}:"
            f"{self.account or account}:function:{self.name}"
        )
        return f"{base}:{self.qualifier}" if self.qualifier else base


@dataclass(frozen=True, slots=True)
class ResourceRef:
    """What a Task ``Resource`` names."""

    resource: str
    """The resource exactly as written."""
    kind: ResourceKind
    pattern: IntegrationPattern = "request-response"
    service: str = ""
    """``lambda``/``dynamodb``/... for optimized, the SDK service name (``s3``, ``sfn``) for aws-sdk."""
    action: str = ""
    """The API action as written in the resource (``putItem``, ``startExecution``)."""
    function: FunctionRef | None = None
    """The function of a Lambda function ARN resource."""
    partition: str = "aws"

    @property
    def base(self) -> str:
        """The resource without its integration-pattern suffix."""
        for suffix, pattern in _SUFFIXES:
            if pattern == self.pattern and self.resource.endswith(suffix):
                return self.resource[: -len(suffix)]
        return self.resource

    @property
    def service_action(self) -> str:
        """``service:action`` for optimized and SDK integrations (``dynamodb:putItem``)."""
        return f"{self.service}:{self.action}"


@lru_cache(maxsize=2048)
def parse_resource(resource: str) -> ResourceRef:
    """Classify ``resource``; unknown shapes come back as kind ``other`` rather than raising."""
    match = _FUNCTION_ARN.match(resource)
    if match is not None:
        return ResourceRef(
            resource=resource,
            kind="lambda-function",
            service="lambda",
            function=FunctionRef.parse(resource),
            partition=match["partition"],
        )
    match = _STATES_ARN.match(resource)
    if match is None:
        return ResourceRef(resource=resource, kind="other")
    partition = match["partition"]
    rest = match["rest"]
    if match["region"] or match["account"]:
        kind: ResourceKind = "activity" if rest.startswith("activity:") else "other"
        return ResourceRef(resource=resource, kind=kind, partition=partition)
    pattern: IntegrationPattern = "request-response"
    for suffix, suffix_pattern in _SUFFIXES:
        if rest.endswith(suffix):
            rest = rest[: -len(suffix)]
            pattern = suffix_pattern
            break
    parts = rest.split(":")
    if len(parts) == 3 and parts[0] == "aws-sdk" and parts[1] and parts[2]:
        return ResourceRef(
            resource=resource,
            kind="aws-sdk",
            pattern=pattern,
            service=parts[1],
            action=parts[2],
            partition=partition,
        )
    if len(parts) == 2 and parts[0] and parts[1] and parts[0] != "aws-sdk":
        return ResourceRef(
            resource=resource,
            kind="optimized",
            pattern=pattern,
            service=parts[0],
            action=parts[1],
            partition=partition,
        )
    return ResourceRef(resource=resource, kind="other", partition=partition)
