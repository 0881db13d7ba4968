"""TestState's ``mock.fieldValidationMode``: does a mocked result fit the API it stands in for?

``STRICT`` (the default) requires the output shape's required members and checks every member
present; ``PRESENT`` only checks members present; ``NONE`` checks nothing. Members the API does not
define are ignored, as AWS ignores them. The output shapes come from botocore's service models:
``aws-sdk:<service>:<action>`` tasks map to the SDK operation, and the optimized integrations
whose result is the SDK response (DynamoDB items, EventBridge, SNS, SQS) to theirs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["mock_result_problem"]

# Step Functions' aws-sdk service names that differ from botocore's.
_SDK_SERVICE_ALIASES = {
    "sfn": "stepfunctions",
    "cloudwatchlogs": "logs",
    "eventbridge": "events",
    "costexplorer": "ce",
    "elasticloadbalancingv2": "elbv2",
    "elasticloadbalancing": "elb",
    "lexruntimev2": "lexv2-runtime",
    "lexmodelsv2": "lexv2-models",
}
# Optimized integrations whose task result is the service's SDK response.
_OPTIMIZED = {
    ("dynamodb", "getItem"): ("dynamodb", "GetItem"),
    ("dynamodb", "putItem"): ("dynamodb", "PutItem"),
    ("dynamodb", "updateItem"): ("dynamodb", "UpdateItem"),
    ("dynamodb", "deleteItem"): ("dynamodb", "DeleteItem"),
    ("events", "putEvents"): ("events", "PutEvents"),
    ("sns", "publish"): ("sns", "Publish"),
    ("sqs", "sendMessage"): ("sqs", "SendMessage"),
}
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
    if ":::" not in resource:
        return None
    target = resource.split(":::", 1)[1]
    for suffix in (".waitForTaskToken", ".sync:2", ".sync"):
        target = target.removesuffix(suffix)
    parts = target.split(":")
    if parts[0] == "aws-sdk" and len(parts) == 3:
        service = _SDK_SERVICE_ALIASES.get(parts[1], parts[1])
        operation = parts[2][:1].upper() + parts[2][1:]
    elif len(parts) == 2 and (parts[0], parts[1]) in _OPTIMIZED:
        service, operation = _OPTIMIZED[(parts[0], parts[1])]
    else:
        return None
    return _operation_output(service, operation)


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
