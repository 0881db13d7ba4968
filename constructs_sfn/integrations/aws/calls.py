"""One boto3 API call for a Task: operation lookup, parameter coercion, error translation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.aws.errors import translate_exception
from constructs_sfn.integrations.aws.naming import operation_name
from constructs_sfn.integrations.aws.shapes import DateStyle, coerce_parameters, convert_response

__all__ = ["ApiResult", "call_api"]


@dataclass(frozen=True, slots=True)
class ApiResult:
    """A successful call: the JSON result (PascalCase) and boto3's raw response metadata."""

    body: Any
    headers: Mapping[str, str]
    status_code: int
    request_id: str


def call_api(
    client: Any,
    action: str,
    parameters: Any,
    *,
    request: TaskRequest,
    style: Literal["optimized", "sdk"],
    service: str,
    prefix: str = "",
    dates: DateStyle,
) -> ApiResult | TaskOutcome:
    """Call ``action`` (``putItem``) with ``parameters``; a TaskOutcome when it failed."""
    model = client.meta.service_model
    operation = operation_name(action)
    if operation not in model.operation_names:
        return TaskOutcome.failure(
            ErrorName.RUNTIME,
            f"The resource '{request.resource}' of state '{request.state_name}' names the action "
            f"'{action}', which the {model.service_name} API does not have.",
        )
    from botocore import xform_name

    op_model = model.operation_model(operation)
    kwargs = coerce_parameters(parameters, op_model.input_shape)
    try:
        response = getattr(client, xform_name(operation))(**kwargs)
    except Exception as exc:
        error = translate_exception(exc, client=client, style=style, service=service, prefix=prefix)
        if error is None:
            raise
        return TaskOutcome(error=error)
    meta: Mapping[str, Any] = response.get("ResponseMetadata", {}) if isinstance(response, Mapping) else {}
    return ApiResult(
        body=convert_response(response, op_model.output_shape, dates=dates),
        headers=meta.get("HTTPHeaders", {}) or {},
        status_code=int(meta.get("HTTPStatusCode", 200) or 200),
        request_id=str(meta.get("RequestId", "")),
    )
