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

__all__ = ["client_exceptions", "operation_model", "service_model"]

_SERVICE = "stepfunctions"


@functools.cache
def service_model() -> ServiceModel:
    """The Step Functions ``ServiceModel`` of the installed botocore (newest API version)."""
    import botocore
    from botocore.model import ServiceModel

    root = os.path.join(os.path.dirname(botocore.__file__), "data", _SERVICE)
    version = max(entry for entry in os.listdir(root) if entry[:1].isdigit())
    folder = os.path.join(root, version)
    document: dict[str, Any]
    if os.path.exists(os.path.join(folder, "service-2.json")):
        with open(os.path.join(folder, "service-2.json"), encoding="utf-8") as handle:
            document = json.load(handle)
    else:
        with gzip.open(os.path.join(folder, "service-2.json.gz"), "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    return ServiceModel(document, service_name=_SERVICE)


@functools.cache
def operation_model(operation: str) -> OperationModel:
    """The model of one operation, by its API name (``StartExecution``)."""
    return service_model().operation_model(operation)


@functools.cache
def client_exceptions() -> BaseClientExceptions:
    """The same ``client.exceptions`` namespace a boto3 ``stepfunctions`` client has."""
    from botocore.errorfactory import ClientExceptionsFactory

    return ClientExceptionsFactory().create_client_exceptions(service_model())
