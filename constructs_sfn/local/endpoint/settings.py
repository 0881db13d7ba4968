"""The endpoint's configuration, read as Step Functions Local reads its own.

Step Functions Local (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-config-options.html)
takes its account and region from ``AWS_ACCOUNT_ID`` and ``AWS_DEFAULT_REGION``, a mock
configuration from ``SFN_MOCK_CONFIG``, and one endpoint override per integrated service
(``LAMBDA_ENDPOINT``, ``SQS_ENDPOINT``, ...). The same variables mean the same here; command-line
options win over them. Services without an override resolve their endpoint as boto3 does, so the
generic ``AWS_ENDPOINT_URL`` and ``AWS_ENDPOINT_URL_<SERVICE>`` work too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.runtime import VirtualClock
from constructs_sfn.local.client import DEFAULT_MAX_EXECUTIONS, LocalStepFunctions

if TYPE_CHECKING:
    from constructs_sfn.integrations import TaskServices

__all__ = ["SERVICE_ENDPOINT_VARIABLES", "TIME_MODES", "EndpointConfigError", "EndpointSettings"]

TIME_MODES = ("virtual", "real")
"""How time passes for executions (see :attr:`EndpointSettings.time_mode`)."""

SERVICE_ENDPOINT_VARIABLES: Mapping[str, str] = {
    "LAMBDA_ENDPOINT": "lambda",
    "BATCH_ENDPOINT": "batch",
    "DYNAMODB_ENDPOINT": "dynamodb",
    "ECS_ENDPOINT": "ecs",
    "GLUE_ENDPOINT": "glue",
    "SAGE_MAKER_ENDPOINT": "sagemaker",
    "SQS_ENDPOINT": "sqs",
    "SNS_ENDPOINT": "sns",
    "EVENTBRIDGE_ENDPOINT": "events",
    "STEP_FUNCTIONS_ENDPOINT": "stepfunctions",
}
"""Environment variable -> the boto3 service whose endpoint it overrides (Step Functions Local's
names; ``EVENTBRIDGE_ENDPOINT`` is an addition of ours)."""

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"
"""Step Functions Local's defaults."""

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_ACCOUNT = re.compile(r"^\d{12}$")


class EndpointConfigError(Exception):
    """A configuration value that cannot be used; the message names the option or variable."""


@dataclass(frozen=True)
class EndpointSettings:
    """Account, region, mock configuration and service endpoints of a local endpoint."""

    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    mock_config: str | None = None
    """Path of a ``MockConfigFile.json``; executions started as ``<arn>#<TestCase>`` use it."""
    service_endpoints: Mapping[str, str] = field(default_factory=dict)
    """boto3 service name (``lambda``, ``sqs``) -> endpoint URL for Task states calling it."""
    time_mode: str = "virtual"
    """``virtual``: Wait states and retry back-off complete at once; ``real``: executions pause at
    every timer and wall-clock time lets them go on, as in Step Functions Local."""
    max_executions: int | None = DEFAULT_MAX_EXECUTIONS
    """The most executions the endpoint keeps; the oldest closed ones are forgotten first (None: all)."""

    def __post_init__(self) -> None:
        if self.max_executions is not None and self.max_executions < 1:
            raise EndpointConfigError(f"max executions {self.max_executions} must be at least 1")
        if self.time_mode not in TIME_MODES:
            raise EndpointConfigError(f"time mode {self.time_mode!r} is not one of {', '.join(TIME_MODES)}")
        if not _REGION.match(self.region):
            raise EndpointConfigError(f"region {self.region!r} is not an AWS region name such as us-east-1")
        if not _ACCOUNT.match(self.account_id):
            raise EndpointConfigError(f"account {self.account_id!r} is not a 12-digit AWS account id")
        for service, url in self.service_endpoints.items():
            if not url.startswith(("http://", "https://")):
                raise EndpointConfigError(f"the endpoint of {service} ({url!r}) must be an http:// or https:// URL")

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
        mock_config: str | None = None,
        time_mode: str = "virtual",
        max_executions: int | None = DEFAULT_MAX_EXECUTIONS,
    ) -> EndpointSettings:
        """Settings from ``environ`` (default: ``os.environ``); the keyword arguments win over it."""
        env = os.environ if environ is None else environ
        endpoints: dict[str, str] = {}
        for variable, service in SERVICE_ENDPOINT_VARIABLES.items():
            url = env.get(variable, "").strip()
            if url:
                if not url.startswith(("http://", "https://")):
                    raise EndpointConfigError(f"{variable}={url!r} must be an http:// or https:// URL")
                endpoints[service] = url
        return cls(
            region=_first(region, env.get("AWS_DEFAULT_REGION"), env.get("AWS_REGION"), DEFAULT_REGION),
            account_id=_first(account_id, env.get("AWS_ACCOUNT_ID"), DEFAULT_ACCOUNT_ID),
            mock_config=_first(mock_config, env.get("SFN_MOCK_CONFIG")) or None,
            service_endpoints=endpoints,
            time_mode=time_mode,
            max_executions=max_executions,
        )

    def build_client(self, *, start: datetime | None = None) -> LocalStepFunctions:
        """A :class:`LocalStepFunctions` with these settings, on a virtual clock starting at ``start``.

        Default start: now (wall clock, millisecond precision). In the ``real`` time mode executions
        pause at their timers (``pause_at_timers``) until ``advance_clock`` lets time pass. Raises
        ``MockConfigError`` for a mock configuration that cannot be read.
        """
        instant = start or datetime.now(UTC)
        instant = instant.replace(microsecond=instant.microsecond // 1000 * 1000)
        return LocalStepFunctions(
            region=self.region,
            account_id=self.account_id,
            services=self.task_services(),
            clock=VirtualClock(instant),
            pause_at_timers=self.time_mode == "real",
            max_executions=self.max_executions,
        )

    def task_services(self) -> TaskServices:
        """The Task services: the mock configuration, nested executions, then boto3 SDK calls."""
        from constructs_sfn.integrations import Boto3Integrations, MockConfig, TaskServices

        config = MockConfig.from_path(self.mock_config) if self.mock_config else None
        endpoints = dict(self.service_endpoints)
        region = self.region
        sessions: list[Any] = []

        def session() -> Any:
            if not sessions:
                import boto3

                sessions.append(boto3.session.Session())
            return sessions[0]

        def client_for(service_name: str) -> Any:
            kwargs: dict[str, Any] = {"region_name": region}
            if service_name in endpoints:
                kwargs["endpoint_url"] = endpoints[service_name]
            return session().client(service_name, **kwargs)

        sdk = Boto3Integrations(session=_LazySession(session), client_factory=client_for, region_name=region)
        # With STEP_FUNCTIONS_ENDPOINT set, child executions go to that endpoint (as in Step
        # Functions Local); otherwise they run on this endpoint's own executor.
        nested = "stepfunctions" not in endpoints
        return TaskServices(mock_config=config, read_env=False, sdk=sdk, nested_executions=nested)


class _LazySession:
    """Stands for a boto3 session, made on first use (the endpoint starts without loading boto3)."""

    def __init__(self, make: Any) -> None:
        self._make = make

    def get_available_services(self) -> list[str]:
        services: list[str] = self._make().get_available_services()
        return services

    def __getattr__(self, name: str) -> Any:
        return getattr(self._make(), name)


def _first(*values: str | None) -> str:
    for value in values:
        if value is not None and value.strip():
            return value.strip()
    return ""
