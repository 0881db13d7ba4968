"""Turn boto3/botocore exceptions into the errors Step Functions reports for integrations.

See :mod:`constructs_sfn.integrations.aws.naming` for the naming rules. Whether an error code
is *declared* by the service (and so has its own exception class) is read from botocore's
service model, matching either the error shape's name or its wire error code. For services
that kept their query-protocol error codes (SQS), botocore reports the query code
(``AWS.SimpleQueueService.NonExistentQueue``) as ``Code`` and the shape's code
(``QueueDoesNotExist``) as ``QueryErrorCode``; both are tried.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Literal

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.integrations.aws.naming import (
    optimized_client_error,
    optimized_service_error,
    sdk_client_error,
    sdk_service_error,
)

__all__ = ["declared_error_shape", "translate_exception"]

_declared_cache: dict[str, dict[str, str]] = {}
_cache_lock = threading.Lock()


def declared_error_shape(client: Any, code: str) -> str | None:
    """The name of the service model's error shape for ``code``, or None when it is undeclared."""
    model = client.meta.service_model
    key = f"{model.service_name}/{model.api_version}"
    with _cache_lock:
        table = _declared_cache.get(key)
    if table is None:
        table = {}
        for shape in model.error_shapes:
            table[shape.name] = shape.name
            wire_code = getattr(shape, "error_code", None)
            if isinstance(wire_code, str):
                table[wire_code] = shape.name
        with _cache_lock:
            _declared_cache[key] = table
    return table.get(code)


def translate_exception(
    exc: Exception,
    *,
    client: Any,
    style: Literal["optimized", "sdk"],
    service: str,
    prefix: str = "",
) -> StatesError | None:
    """The Step Functions error for ``exc`` raised by ``client``; None when ``exc`` is not botocore's.

    ``style``: ``optimized`` names errors like the Java 1.x SDK (``service`` is the integration's
    service, ``dynamodb``), ``sdk`` like the Java 2.x SDK (``prefix`` is ``DynamoDb``).
    """
    from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

    if isinstance(exc, ClientError):
        error: Mapping[str, Any] = exc.response.get("Error", {})
        meta: Mapping[str, Any] = exc.response.get("ResponseMetadata", {})
        headers: Mapping[str, Any] = meta.get("HTTPHeaders", {}) or {}
        code = str(error.get("Code", "Unknown"))
        shape_code = str(error.get("QueryErrorCode") or code)
        message = str(error.get("Message", ""))
        status = int(meta.get("HTTPStatusCode", 400) or 400)
        request_id = str(
            meta.get("RequestId") or headers.get("x-amzn-requestid") or headers.get("x-amz-request-id") or ""
        )
        declared = declared_error_shape(client, shape_code) or declared_error_shape(client, code)
        if style == "optimized":
            return optimized_service_error(
                service,
                code=code,
                message=message,
                status=status,
                request_id=request_id,
                declared_shape=declared,
            )
        extended = meta.get("HostId") or headers.get("x-amz-id-2")
        return sdk_service_error(
            prefix,
            message=message,
            status=status,
            request_id=request_id,
            declared_shape=declared,
            extended_request_id=str(extended) if extended else None,
        )
    if isinstance(exc, ParamValidationError):
        text = str(exc)
        if style == "optimized":
            return optimized_client_error(service, text, validation=True)
        return sdk_client_error(prefix, text, validation=True)
    if isinstance(exc, BotoCoreError):
        if style == "optimized":
            return optimized_client_error(service, str(exc))
        return sdk_client_error(prefix, str(exc))
    return None
