"""From a decoded wire request to a call of the local client, and its answer or AWS error.

The client expects what boto3 hands it: parameters of the right Python types, only the members
the API defines. Over the wire anything may arrive, so the request is first checked against
botocore's model of the operation as AWS's front end checks it:

* a member of the wrong JSON type is a ``SerializationException`` naming the member;
* a missing required member, or one under its minimum, is a ``ValidationException`` with AWS's
  ``Value null at 'name' failed to satisfy constraint: Member must not be null`` wording (the
  client itself then checks maximum lengths, patterns and enums);
* members the API does not define are ignored, as AWS ignores them; ``null`` means "not given".

An operation of the API the client does not implement is an ``UnknownOperationException`` that
says so; a failure inside the client is an ``InternalFailure`` (HTTP 500) without a traceback.
"""

from __future__ import annotations

import base64
import binascii
import functools
import inspect
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from constructs_sfn.local.endpoint.wire import WireError, json_type_name
from constructs_sfn.local.service_model import service_model

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["call_operation", "checked_params", "client_method_name"]

_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")
_ACCEPTED: dict[Any, frozenset[str]] = {}
"""Keyword parameters by client function (filled on first use; a dict write is atomic)."""


def client_method_name(action: str) -> str:
    """The client method serving ``action``: ``StartExecution`` -> ``start_execution``."""
    return _CAMEL_BOUNDARY.sub("_", action).lower()


def call_operation(client: Any, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Call the client's method for ``action`` with ``params`` (decoded request JSON).

    Returns the client's response dictionary; raises :class:`WireError` for every error answer.
    """
    from botocore.exceptions import ClientError, ParamValidationError

    method, accepted = _method(client, action)
    kwargs = checked_params(action, params)
    unsupported = sorted(set(kwargs) - accepted)
    if unsupported:
        raise WireError(
            "ValidationException",
            f"The local endpoint does not support the parameter(s) {', '.join(unsupported)} of {action}",
        )
    try:
        response: dict[str, Any] = method(**kwargs)
    except ClientError as error:
        details = error.response.get("Error", {})
        metadata = error.response.get("ResponseMetadata", {})
        raise WireError(
            str(details.get("Code", "InternalFailure")),
            str(details.get("Message", "")),
            status=int(metadata.get("HTTPStatusCode", 400)),
            request_id=metadata.get("RequestId"),
        ) from None
    except ParamValidationError as error:  # pragma: no cover - checked_params refuses these first
        raise WireError("ValidationException", str(error)) from None
    return response


def _method(client: Any, action: str) -> tuple[Callable[..., Any], frozenset[str]]:
    if action not in _operation_names():
        raise WireError("UnknownOperationException", f"Step Functions has no operation {action!r}")
    method = getattr(client, client_method_name(action), None)
    if method is None or not callable(method):
        raise WireError(
            "UnknownOperationException",
            f"{action} is an operation of the Step Functions API that the local endpoint does not implement",
        )
    return method, _accepted(method)


@functools.cache
def _operation_names() -> frozenset[str]:
    return frozenset(service_model().operation_names)


def _accepted(method: Callable[..., Any]) -> frozenset[str]:
    """The keyword-only parameters of a client method (its boto3 parameters)."""
    function = getattr(method, "__func__", method)
    cached: frozenset[str] | None = _ACCEPTED.get(function)
    if cached is not None:
        return cached
    parameters = inspect.signature(method).parameters.values()  # bound: without self
    accepted = frozenset(p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY)
    _ACCEPTED[function] = accepted
    return accepted


def checked_params(action: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` checked against the input shape of ``action`` and converted to boto3's types.

    Raises :class:`WireError` (``SerializationException`` or ``ValidationException``).
    """
    shape = service_model().operation_model(action).input_shape
    if shape is None:  # pragma: no cover - every Step Functions operation takes input
        return {}
    problems: list[str] = []
    value = _structure(params, shape, "", problems)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise WireError("ValidationException", f"{count} validation {noun} detected: " + "; ".join(problems))
    return value


def _structure(value: Mapping[str, Any], shape: Shape, path: str, problems: list[str]) -> dict[str, Any]:
    members: Mapping[str, Shape] = shape.members  # type: ignore[attr-defined]
    out: dict[str, Any] = {}
    problems.extend(
        f"Value null at '{_join(path, name)}' failed to satisfy constraint: Member must not be null"
        for name in shape.required_members
        if value.get(name) is None
    )
    for name, member_shape in members.items():
        item = value.get(name)
        if item is not None:
            out[name] = _convert(item, member_shape, _join(path, name), problems)
    return out


def _convert(value: Any, shape: Shape, path: str, problems: list[str]) -> Any:
    kind = shape.type_name
    if kind == "structure":
        _expect(isinstance(value, dict), value, "an object", path)
        return _structure(value, shape, path, problems)
    if kind == "list":
        _expect(isinstance(value, list), value, "an array", path)
        _minimum(len(value), shape, value, path, problems, what="length")
        member: Shape = shape.member  # type: ignore[attr-defined]
        return [_convert(item, member, f"{path}.{index}.member", problems) for index, item in enumerate(value, 1)]
    if kind == "map":
        _expect(isinstance(value, dict), value, "an object", path)
        values: Shape = shape.value  # type: ignore[attr-defined]
        return {key: _convert(item, values, f"{path}.{key}", problems) for key, item in value.items()}
    if kind == "string":
        _expect(isinstance(value, str), value, "a string", path)
        _minimum(len(value), shape, value, path, problems, what="length")
        return value
    if kind == "boolean":
        _expect(isinstance(value, bool), value, "a boolean", path)
        return value
    if kind in ("integer", "long"):
        integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        _expect(integral and not isinstance(value, bool), value, "an integer", path)
        number = int(value)
        _minimum(number, shape, value, path, problems, what="value")
        return number
    if kind in ("float", "double"):
        _expect(isinstance(value, int | float) and not isinstance(value, bool), value, "a number", path)
        return float(value)
    if kind == "timestamp":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        _expect(isinstance(value, str), value, "a timestamp (epoch seconds)", path)
        return value
    if kind == "blob":
        _expect(isinstance(value, str), value, "a base64 string", path)
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error:
            raise WireError("SerializationException", f"'{path}' is not valid base64") from None
    return value  # pragma: no cover - the model has no other types


def _expect(ok: bool, value: Any, expected: str, path: str) -> None:
    if not ok:
        raise WireError("SerializationException", f"Expected {expected} at '{path}', got {json_type_name(value)}")


def _minimum(measure: int, shape: Shape, value: Any, path: str, problems: list[str], *, what: str) -> None:
    limit = shape.metadata.get("min")
    if limit is not None and measure < limit:
        # AWS never echoes a member modelled as sensitive.
        subject = f"Value at '{path}'" if shape.metadata.get("sensitive") else f"Value '{value}' at '{path}'"
        problems.append(
            f"{subject} failed to satisfy constraint: Member must have {what} greater than or equal to {limit}"
        )


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
