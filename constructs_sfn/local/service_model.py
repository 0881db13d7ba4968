"""botocore's model of the Step Functions API, loaded once and only when first needed.

The local client validates requests and raises errors exactly as boto3 does, so it reuses botocore's
own service description (``botocore/data/stepfunctions/*/service-2.json``) instead of restating it.
The file is read directly: going through a botocore ``Session`` costs ~0.3 s, reading it ~10 ms.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.errorfactory import BaseClientExceptions
    from botocore.model import OperationModel, ServiceModel

__all__ = ["client_exceptions", "operation_model", "pagination_configs", "service_model"]

_SERVICE = "stepfunctions"


def _load(kind: str) -> dict[str, Any]:
    """A data file of the Step Functions model (``service-2``, ``paginators-1``), plain or gzipped."""
    import botocore

    root = os.path.join(os.path.dirname(botocore.__file__), "data", _SERVICE)
    version = max(entry for entry in os.listdir(root) if entry[:1].isdigit())
    path = os.path.join(root, version, f"{kind}.json")
    document: dict[str, Any]
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    else:
        with gzip.open(f"{path}.gz", "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    return document


@functools.cache
def service_model() -> ServiceModel:
    """The Step Functions ``ServiceModel`` of the installed botocore (newest API version)."""
    from botocore.model import ServiceModel

    return ServiceModel(_load("service-2"), service_name=_SERVICE)


@functools.cache
def pagination_configs() -> dict[str, dict[str, Any]]:
    """botocore's paginator configurations, by operation name (``ListExecutions``)."""
    configs: dict[str, dict[str, Any]] = _load("paginators-1").get("pagination", {})
    return configs


@functools.cache
def operation_model(operation: str) -> OperationModel:
    """The model of one operation, by its API name (``StartExecution``)."""
    return service_model().operation_model(operation)


@functools.cache
def client_exceptions() -> BaseClientExceptions:
    """The same ``client.exceptions`` namespace a boto3 ``stepfunctions`` client has."""
    from botocore.errorfactory import ClientExceptionsFactory

    return ClientExceptionsFactory().create_client_exceptions(service_model())
