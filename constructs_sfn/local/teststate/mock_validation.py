"""TestState's ``mock.fieldValidationMode``: does a mocked result fit the API it stands in for?

API_MockInput.html: ``STRICT`` (the default) requires "all required fields" and that "all present
fields must conform to the API's schema"; ``PRESENT`` only checks the fields present; ``NONE``
checks nothing. Members the API does not define are ignored, as AWS ignores them. The output shapes
come from botocore's service models:

* ``aws-sdk:<service>:<action>`` tasks: the SDK operation's output;
* the request-response optimized integrations whose result is the service's SDK response
  (DynamoDB items, EventBridge, SNS, SQS, ``states:startExecution``, ECS, Batch, Glue, CodeBuild,
  Athena, ...): that operation's output.

Not checked: ``.waitForTaskToken`` tasks (their result is whatever the callback sends with
``SendTaskSuccess``), ``.sync`` tasks (their result describes the finished job, not the call that
started it), and integrations whose result Step Functions reshapes (``lambda:invoke`` decodes the
``Payload``, ``apigateway:invoke``, ``http:invoke``, ``bedrock:invokeModel``, ...).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from constructs_sfn.integrations.aws.naming import optimized_boto3_service, sdk_boto3_service

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["mock_result_problem"]

# Request-response optimized integrations whose task result is the service's SDK response.
_OPTIMIZED_SDK_SHAPED = frozenset(
    {
        ("dynamodb", "getItem"),
        ("dynamodb", "putItem"),
        ("dynamodb", "updateItem"),
        ("dynamodb", "deleteItem"),
        ("events", "putEvents"),
        ("sns", "publish"),
        ("sqs", "sendMessage"),
        ("states", "startExecution"),
        ("ecs", "runTask"),
        ("batch", "submitJob"),
        ("glue", "startJobRun"),
        ("codebuild", "startBuild"),
        ("athena", "startQueryExecution"),
        ("athena", "getQueryExecution"),
        ("athena", "getQueryResults"),
        ("athena", "stopQueryExecution"),
    }
)
_UNCHECKED_PATTERNS = (".waitForTaskToken", ".sync:2", ".sync")
_NUMBERS = ("integer", "long", "double", "float")


def mock_result_problem(resource: str, result: Any, *, mode: str = "STRICT") -> str | None:
    """Why ``result`` cannot be the output of ``resource`` (AWS's wording), or None when it can."""
    if mode == "NONE":
        return None
    shape = _output_shape(resource)
    if shape is None:
        return None
    return _check(result, shape, shape.name, strict=mode == "STRICT")


def _output_shape(resource: str) -> Shape | None:
    if ":::" not in resource or resource.endswith(_UNCHECKED_PATTERNS):
        return None
    parts = resource.split(":::", 1)[1].split(":")
    if parts[0] == "aws-sdk" and len(parts) == 3:
        service = sdk_boto3_service(parts[1], _available_services())
    elif len(parts) == 2 and (parts[0], parts[1]) in _OPTIMIZED_SDK_SHAPED:
        service = optimized_boto3_service(parts[0])
    else:
        return None
    operation = parts[-1][:1].upper() + parts[-1][1:]
    return _operation_output(service, operation)


@functools.cache
def _available_services() -> frozenset[str]:
    from botocore.loaders import create_loader

    return frozenset(create_loader().list_available_services("service-2"))


@functools.cache
def _operation_output(service: str, operation: str) -> Shape | None:
    from botocore.exceptions import DataNotFoundError, UnknownServiceError
    from botocore.loaders import create_loader
    from botocore.model import OperationNotFoundError, ServiceModel

    try:
        document = create_loader().load_service_model(service, "service-2")
        model = ServiceModel(document, service_name=service).operation_model(operation)
    except (DataNotFoundError, UnknownServiceError, OperationNotFoundError):
        return None
    return model.output_shape


def _check(value: Any, shape: Shape, field: str, *, strict: bool) -> str | None:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, Mapping):
            return f"Field '{field}' must be an object"
        # Step Functions returns SDK results with PascalCase keys, whatever the model's casing.
        members = {_pascal(name): member for name, member in shape.members.items()}  # type: ignore[attr-defined]
        if strict:
            for required in map(_pascal, shape.required_members):
                if required not in value:
                    return f"Field '{required}' is required"
        for name, item in value.items():
            member = members.get(_pascal(name))
            if member is not None and item is not None:
                problem = _check(item, member, name, strict=strict)
                if problem is not None:
                    return problem
        return None
    if kind == "list":
        if not isinstance(value, list):
            return f"Field '{field}' must be an array"
        problem = _length(len(value), shape, field)
        if problem is not None:
            return problem
        for item in value:
            problem = _check(item, shape.member, field, strict=strict)  # type: ignore[attr-defined]
            if problem is not None:
                return problem
        return None
    if kind == "map":
        if not isinstance(value, Mapping):
            return f"Field '{field}' must be an object"
        for item in value.values():
            problem = _check(item, shape.value, field, strict=strict)  # type: ignore[attr-defined]
            if problem is not None:
                return problem
        return None
    if kind in ("string", "blob"):
        if not isinstance(value, str):
            return f"Field '{field}' must be a string"
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            return f"Field '{field}' is not an expected value"
        return _length(len(value), shape, field)
    if kind in _NUMBERS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"Field '{field}' must be a number"
        minimum, maximum = shape.metadata.get("min"), shape.metadata.get("max")
        if minimum is not None and value < minimum:
            return f"Field '{field}' is less than the minimum value"
        if maximum is not None and value > maximum:
            return f"Field '{field}' exceeds the maximum value"
        return None
    if kind == "boolean" and not isinstance(value, bool):
        return f"Field '{field}' must be a boolean"
    return None


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def _length(length: int, shape: Shape, field: str) -> str | None:
    minimum, maximum = shape.metadata.get("min"), shape.metadata.get("max")
    if minimum is not None and length < minimum:
        return f"Field '{field}' is smaller than the minimum length"
    if maximum is not None and length > maximum:
        return f"Field '{field}' is larger than the maximum length"
    return None
