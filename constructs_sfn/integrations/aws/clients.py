"""boto3 clients for integrations: injected, or made from an injected or default session.

boto3 is imported only when a client is first needed. Endpoints resolve as boto3 resolves them
(``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_<SERVICE>``, the config file's ``endpoint_url``)
unless ``endpoint_url`` is given, which then applies to every service.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["ClientFactory", "ClientProvider"]

ClientFactory = Callable[[str], Any]
"""``factory(service_name) -> boto3 client`` for the boto3 service name (``dynamodb``, ``stepfunctions``)."""


class ClientProvider:
    """Creates and caches one boto3 client per (service, region)."""

    def __init__(
        self,
        *,
        session: Any = None,
        client_factory: ClientFactory | None = None,
        endpoint_url: str | None = None,
        region_name: str | None = None,
    ) -> None:
        """See :class:`~constructs_sfn.integrations.aws.service.Boto3Integrations` for the arguments."""
        self._session = session
        self._factory = client_factory
        self._endpoint_url = endpoint_url
        self._region_name = region_name
        self._clients: dict[tuple[str, str | None], Any] = {}
        self._available: frozenset[str] | None = None
        self._lock = threading.Lock()

    def client(self, service_name: str, *, default_region: str | None = None) -> Any:
        """The client for boto3 service ``service_name``.

        Region: ``region_name`` if given, else the session's configured region, else
        ``default_region`` (the state machine's), else ``us-east-1``.
        """
        key = (service_name, default_region)
        with self._lock:
            cached = self._clients.get(key)
            if cached is not None:
                return cached
            if self._factory is not None:
                made = self._factory(service_name)
            else:
                session = self._session_locked()
                region = self._region_name or session.region_name or default_region or "us-east-1"
                kwargs: dict[str, Any] = {"region_name": region}
                if self._endpoint_url:
                    kwargs["endpoint_url"] = self._endpoint_url
                made = session.client(service_name, **kwargs)
            self._clients[key] = made
            return made

    def available_services(self) -> frozenset[str]:
        """boto3's service names (empty when clients come from a factory and no session is known)."""
        with self._lock:
            if self._available is None:
                if self._factory is not None and self._session is None:
                    self._available = frozenset()
                else:
                    self._available = frozenset(self._session_locked().get_available_services())
            return self._available

    def _session_locked(self) -> Any:
        if self._session is None:
            import boto3

            self._session = boto3.session.Session()
        return self._session
