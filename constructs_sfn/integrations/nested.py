"""Nested workflows on the same executor: ``states:startExecution`` in all its patterns.

When the runtime passes its :class:`~constructs_sfn.asl.services.ExecutionHost` in
``TaskRequest.host``, a Task that starts another state machine runs the child on the same local
executor instead of calling AWS:

* ``arn:aws:states:::states:startExecution``: ``{ExecutionArn, StartDate, SdkHttpMetadata,
  SdkResponseMetadata}`` (dates as epoch milliseconds);
* ``...startExecution.sync`` / ``.sync:2``: the child's ``DescribeExecution`` result (see
  :mod:`constructs_sfn.integrations.execution_shapes`), failing with ``States.TaskFailed`` when
  the child does not succeed;
* ``arn:aws:states:::aws-sdk:sfn:startExecution``: ``{ExecutionArn, StartDate}`` (ISO instant).

The host reports API errors by raising :class:`~constructs_sfn.asl.errors.StatesError` or an
exception with ``code``/``message`` attributes (or a botocore-style ``response``); they become
``StepFunctions.<Code>Exception`` (optimized) or ``Sfn.<Code>Exception`` (SDK) errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.aws.naming import optimized_service_error, sdk_service_error
from constructs_sfn.integrations.execution_shapes import execution_input_text, sync_outcome
from constructs_sfn.integrations.resources import ResourceRef, parse_resource
from constructs_sfn.integrations.routing import unbound_outcome
from constructs_sfn.integrations.sdk_metadata import deterministic_request_id, http_date, with_sdk_metadata
from constructs_sfn.integrations.timestamps import epoch_millis, instant_text

__all__ = ["NestedExecutions"]


class NestedExecutions:
    """Runs child executions of ``startExecution`` Tasks on the executor named by ``request.host``."""

    def __init__(self, *, sdk_metadata: bool = True) -> None:
        """``sdk_metadata``: add ``SdkHttpMetadata`` to request-response results. Default: True."""
        self._sdk_metadata = sdk_metadata

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Start the child, or fail when the request is not a startExecution with a host."""
        outcome = self.route(request)
        if outcome is None:
            return unbound_outcome(request, hint="Nested executions need the local executor as host.")
        return outcome

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        """Start the child when the request is a ``startExecution`` and the runtime gave a host."""
        if request.host is None:
            return None
        ref = parse_resource(request.resource)
        optimized = ref.kind == "optimized" and ref.service == "states" and ref.action == "startExecution"
        sdk = (
            ref.kind == "aws-sdk"
            and ref.service == "sfn"
            and ref.action == "startExecution"
            and ref.pattern == "request-response"
        )
        if not (optimized or sdk):
            return None
        params = request.parameters if isinstance(request.parameters, Mapping) else {}
        machine = params.get("StateMachineArn")
        if not isinstance(machine, str):
            return _error(ref, request, "ValidationException", "StateMachineArn is required and must be a string")
        name = params.get("Name")
        try:
            describe = request.host.start_child_execution(
                state_machine_arn=machine,
                input_text=execution_input_text(params.get("Input")),
                name=name if isinstance(name, str) else None,
                parent_execution_arn=request.execution_arn,
            )
        except StatesError as exc:
            return TaskOutcome(error=exc)
        except Exception as exc:
            code, message = _code_and_message(exc)
            if code is None:
                raise
            return _error(ref, request, code, message)
        if ref.pattern == "sync":
            return sync_outcome(describe, version=1)
        if ref.pattern == "sync:2":
            return sync_outcome(describe, version=2)
        if ref.pattern == "waitForTaskToken":
            return TaskOutcome(output=self._started(ref, request, describe))
        return TaskOutcome.success(self._started(ref, request, describe))

    def _started(self, ref: ResourceRef, request: TaskRequest, describe: Mapping[str, Any]) -> dict[str, Any]:
        arn = describe.get("executionArn")
        start = describe.get("startDate")
        if ref.kind == "aws-sdk":
            return {"ExecutionArn": arn, "StartDate": instant_text(start)}
        body = {"ExecutionArn": arn, "StartDate": epoch_millis(start)}
        if not self._sdk_metadata:
            return body
        request_id = deterministic_request_id(request)
        headers = {
            "Content-Type": "application/x-amz-json-1.0",
            "Date": http_date(request),
            "x-amzn-RequestId": request_id,
            "connection": "keep-alive",
        }
        return with_sdk_metadata(body, headers=headers, status_code=200, request_id=request_id)


def _code_and_message(exc: Exception) -> tuple[str | None, str]:
    if type(exc).__name__ == "ParamValidationError":
        # botocore's client-side validation; AWS rejects the same request as a ValidationException.
        return "ValidationException", str(exc)
    response = getattr(exc, "response", None)
    if isinstance(response, Mapping):
        error = response.get("Error")
        if isinstance(error, Mapping) and isinstance(error.get("Code"), str):
            return error["Code"], str(error.get("Message", ""))
    code = getattr(exc, "code", None)
    message = getattr(exc, "message", None)
    return (code if isinstance(code, str) else None), (message if isinstance(message, str) else str(exc))


def _error(ref: ResourceRef, request: TaskRequest, code: str, message: str) -> TaskOutcome:
    request_id = deterministic_request_id(request)
    if ref.kind == "aws-sdk":
        error = sdk_service_error("Sfn", message=message, status=400, request_id=request_id, declared_shape=code)
    else:
        error = optimized_service_error(
            "states", code=code, message=message, status=400, request_id=request_id, declared_shape=code
        )
    return TaskOutcome(error=error)
