"""The errors the local client raises: the very classes a boto3 ``stepfunctions`` client raises.

A failed call raises ``botocore.exceptions.ClientError`` (more precisely the generated subclass
``client.exceptions.<Code>``) carrying AWS's error code and message, exactly as boto3 would after
an HTTP 400 from Step Functions. Request shapes boto3 itself rejects before sending raise
``botocore.exceptions.ParamValidationError``. botocore is imported on first use only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from constructs_sfn.local.service_model import client_exceptions

if TYPE_CHECKING:
    from botocore.exceptions import ClientError, ParamValidationError

__all__ = ["AwsErrorCode", "aws_error", "param_validation_error", "raise_aws_error"]


class AwsErrorCode:
    """The Step Functions error codes the local client uses."""

    ACTIVITY_DOES_NOT_EXIST = "ActivityDoesNotExist"
    CONFLICT = "ConflictException"
    EXECUTION_ALREADY_EXISTS = "ExecutionAlreadyExists"
    EXECUTION_DOES_NOT_EXIST = "ExecutionDoesNotExist"
    INVALID_ARN = "InvalidArn"
    INVALID_DEFINITION = "InvalidDefinition"
    INVALID_EXECUTION_INPUT = "InvalidExecutionInput"
    INVALID_LOGGING_CONFIGURATION = "InvalidLoggingConfiguration"
    INVALID_NAME = "InvalidName"
    INVALID_OUTPUT = "InvalidOutput"
    INVALID_TOKEN = "InvalidToken"  # noqa: S105 - an error code, not a secret
    MISSING_REQUIRED_PARAMETER = "MissingRequiredParameter"
    RESOURCE_NOT_FOUND = "ResourceNotFound"
    SERVICE_QUOTA_EXCEEDED = "ServiceQuotaExceededException"
    STATE_MACHINE_ALREADY_EXISTS = "StateMachineAlreadyExists"
    STATE_MACHINE_DOES_NOT_EXIST = "StateMachineDoesNotExist"
    STATE_MACHINE_TYPE_NOT_SUPPORTED = "StateMachineTypeNotSupported"
    TASK_DOES_NOT_EXIST = "TaskDoesNotExist"
    TASK_TIMED_OUT = "TaskTimedOut"
    TOO_MANY_TAGS = "TooManyTags"
    VALIDATION = "ValidationException"


def aws_error(
    code: str,
    message: str,
    operation: str,
    *,
    metadata: Mapping[str, Any] | None = None,
    status: int = 400,
    fields: Mapping[str, str] | None = None,
) -> ClientError:
    """Build the error boto3 raises for an AWS error response (``client.exceptions.<code>``).

    ``fields`` are further members of the error's shape, as boto3 shows them at the top level of
    ``error.response`` (``resourceName`` of ``TooManyTags`` and ``ResourceNotFound``).
    """
    response_metadata = dict(metadata or {})
    response_metadata["HTTPStatusCode"] = status
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "message": message,
        **(fields or {}),
        "ResponseMetadata": response_metadata,
    }
    error_class: Any = client_exceptions().from_code(code)
    error: ClientError = error_class(response, operation)
    return error


def raise_aws_error(code: str, message: str, operation: str, *, metadata: Mapping[str, Any] | None = None) -> NoReturn:
    """Raise :func:`aws_error`."""
    raise aws_error(code, message, operation, metadata=metadata)


def param_validation_error(report: str) -> ParamValidationError:
    """The error boto3 raises when it refuses to send a request (``Parameter validation failed``)."""
    from botocore.exceptions import ParamValidationError

    return ParamValidationError(report=report)
