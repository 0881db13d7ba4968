"""``arn:aws:states:::bedrock:invokeModel``: Bedrock Runtime's InvokeModel as Step Functions calls it.

From the developer guide (*Invoke and customize Amazon Bedrock models with Step Functions*,
https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrock.html), the request takes
InvokeModel's fields (``ModelId``, ``ContentType``, ``Accept``, ``Trace``, ``Guardrail*``) plus:

* ``Body``: the model's input. JSON given in the definition is sent as compact JSON text (bytes),
  text as its UTF-8 bytes; Step Functions does not validate it;
* ``Input``: ``{"S3Uri": "s3://bucket/key"}``, where the body is read from instead; ``Body`` and
  ``Input`` exclude each other, and without ``ContentType`` the S3 object's content type is used.

The result is ``{"Body": <the response body parsed from JSON, else its text>, "ContentType": ...}``
with the SDK metadata optimized integrations carry. Errors are ``Bedrock.<Exception>``
(``Bedrock.ValidationException``, ``Bedrock.ResourceNotFoundException``).

``Output`` (writing the response to S3 and returning a reference to it) is not supported here:
the shape of the reference AWS returns is not documented, so a task that sets it fails with
``States.Runtime`` saying so rather than returning a guessed shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.aws.calls import ApiResult, call_api
from constructs_sfn.integrations.aws.errors import translate_exception
from constructs_sfn.integrations.jsontext import json_text_or_value

__all__ = ["invoke_model", "parse_s3_uri"]

ClientFor = Callable[[str], Any]
"""``client_for(integration_service)``: the boto3 client for ``bedrock`` or ``s3``."""


def parse_s3_uri(uri: Any) -> tuple[str, str] | None:
    """``s3://bucket/key`` -> ``(bucket, key)``; None when ``uri`` is not of that form."""
    if not isinstance(uri, str) or not uri.startswith("s3://"):
        return None
    bucket, slash, key = uri[len("s3://") :].partition("/")
    if not bucket or not slash or not key:
        return None
    return bucket, key


def invoke_model(request: TaskRequest, client_for: ClientFor, shape: Callable[[ApiResult], Any]) -> TaskOutcome:
    """Perform ``bedrock:invokeModel`` for ``request``; ``shape`` adds the SDK metadata."""
    params: dict[str, Any] = dict(request.parameters) if isinstance(request.parameters, Mapping) else {}
    where = f"state '{request.state_name}'"
    if params.get("Output") is not None:
        return TaskOutcome.failure(
            ErrorName.RUNTIME,
            f"The 'Output' field of bedrock:invokeModel ({where}) is not supported by Boto3Integrations; "
            "leave it out to receive the response body in the task result.",
        )
    source = params.pop("Input", None)
    if source is not None:
        if "Body" in params:
            return TaskOutcome.failure(
                ErrorName.RUNTIME,
                f"bedrock:invokeModel ({where}) sets both 'Body' and 'Input'; specify only one of them.",
            )
        loaded = _read_input(source, client_for, where)
        if isinstance(loaded, TaskOutcome):
            return loaded
        body, content_type = loaded
        params["Body"] = body
        if params.get("ContentType") is None and content_type:
            params["ContentType"] = content_type
    result = call_api(
        client_for("bedrock"),
        "invokeModel",
        params,
        request=request,
        style="optimized",
        service="bedrock",
        dates="millis",
    )
    if isinstance(result, TaskOutcome):
        return result
    raw = result.body if isinstance(result.body, Mapping) else {}
    text = raw.get("Body")
    parsed = json_text_or_value(text) if isinstance(text, str) and text else text
    body_out: dict[str, Any] = {"Body": parsed}
    if raw.get("ContentType") is not None:
        body_out["ContentType"] = raw["ContentType"]
    return TaskOutcome.success(shape(ApiResult(body_out, result.headers, result.status_code, result.request_id)))


def _read_input(source: Any, client_for: ClientFor, where: str) -> tuple[bytes, str | None] | TaskOutcome:
    uri = source.get("S3Uri") if isinstance(source, Mapping) else None
    location = parse_s3_uri(uri)
    if location is None:
        return TaskOutcome.failure(
            ErrorName.RUNTIME,
            f"The 'Input' field of bedrock:invokeModel ({where}) must be an object with an 'S3Uri' of the "
            f"form s3://bucket/key, got {source!r}.",
        )
    s3 = client_for("s3")
    try:
        response = s3.get_object(Bucket=location[0], Key=location[1])
        data = response["Body"].read()
    except Exception as exc:
        error = translate_exception(exc, client=s3, style="optimized", service="s3")
        if error is None:
            raise
        return TaskOutcome(error=error)
    content_type = response.get("ContentType")
    return bytes(data), content_type if isinstance(content_type, str) else None
