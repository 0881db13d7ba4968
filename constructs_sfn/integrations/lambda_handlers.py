"""Python functions standing in for Lambda functions.

A function name or ARN is bound to a handler with Lambda's signature, ``handler(event, context)``.
Both ways a state machine calls Lambda are served:

* the bare function ARN (``"Resource": "arn:aws:lambda:...:function:Charge"``): the result is
  the handler's return value;
* ``arn:aws:states:::lambda:invoke`` with ``FunctionName``/``Payload`` parameters: the result has
  AWS's shape ``{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}``.

An exception raised by the handler becomes the error a real Lambda would report: the exception
class name is the ``Error`` and the ``Cause`` is Lambda's JSON error document
``{"errorMessage", "errorType", "requestId", "stackTrace"}``. Raise
:class:`~constructs_sfn.asl.errors.StatesError` to report an exact error instead (for example
``Lambda.TooManyRequestsException``).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations.counters import InvocationCounter
from constructs_sfn.integrations.errors import IntegrationConfigError
from constructs_sfn.integrations.jsontext import compact_json, to_json_value
from constructs_sfn.integrations.resources import FunctionRef, parse_resource
from constructs_sfn.integrations.routing import unbound_outcome
from constructs_sfn.integrations.sdk_metadata import deterministic_request_id, http_date, with_sdk_metadata

__all__ = ["LambdaContext", "LambdaHandler", "LambdaHandlers"]

LambdaHandler = Callable[[Any, "LambdaContext"], Any]
"""``handler(event, context) -> result``: Lambda's Python handler signature."""


@dataclass(frozen=True, slots=True)
class LambdaContext:
    """The ``context`` argument, with the attributes of the Lambda Python runtime's context object."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    timeout_seconds: float
    identity: Any = None
    client_context: Any = None
    _started: float = field(default_factory=time.monotonic, repr=False)

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's own timeout (wall clock, like Lambda)."""
        elapsed = time.monotonic() - self._started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


@dataclass(frozen=True, slots=True)
class _Binding:
    function: FunctionRef
    handler: LambdaHandler
    resolves_callback: bool

    def matches(self, target: FunctionRef) -> bool:
        bound = self.function
        return (
            bound.name == target.name
            and (bound.qualifier is None or bound.qualifier == target.qualifier)
            and (bound.account is None or target.account is None or bound.account == target.account)
            and (bound.region is None or target.region is None or bound.region == target.region)
        )

    @property
    def specificity(self) -> int:
        bound = self.function
        return sum(part is not None for part in (bound.qualifier, bound.account, bound.region))


class LambdaHandlers:
    """Lambda functions implemented by Python handlers, looked up by name, ARN, alias or version.

    A binding for ``"Charge"`` serves every ARN and qualifier of the function ``Charge``; a binding
    for ``"Charge:live"`` or a full ARN only serves that one, and wins over the bare name.
    """

    def __init__(
        self,
        handlers: Mapping[str, LambdaHandler] | None = None,
        *,
        sdk_metadata: bool = True,
        memory_limit_in_mb: int = 128,
        function_timeout_seconds: float = 3.0,
    ) -> None:
        """Bind ``handlers`` (function name or ARN -> handler).

        ``sdk_metadata``: include ``SdkHttpMetadata``/``SdkResponseMetadata`` in ``lambda:invoke``
        results as AWS does. Default: True.
        ``memory_limit_in_mb``/``function_timeout_seconds``: what the context object reports.
        """
        self._by_name: dict[str, list[_Binding]] = {}
        self._lock = threading.Lock()
        self._sdk_metadata = sdk_metadata
        self._memory = memory_limit_in_mb
        self._function_timeout = function_timeout_seconds
        self._invocations = InvocationCounter()
        for name, handler in (handlers or {}).items():
            self.bind(name, handler)

    def bind(self, function: str, handler: LambdaHandler, *, resolves_callback: bool = False) -> LambdaHandlers:
        """Serve ``function`` (name, ``name:qualifier``, partial or full ARN) with ``handler``.

        ``resolves_callback``: for ``.waitForTaskToken`` tasks, the handler's return value (or
        exception) stands for the ``SendTaskSuccess`` (``SendTaskFailure``) the real worker would
        send, so the task completes without an external callback. Default: False.
        """
        ref = FunctionRef.parse(function)
        if ref is None:
            raise IntegrationConfigError(f"'{function}' is not a Lambda function name or ARN")
        binding = _Binding(ref, handler, resolves_callback)
        with self._lock:
            bindings = [b for b in self._by_name.get(ref.name, []) if b.function != ref]
            bindings.append(binding)
            bindings.sort(key=lambda b: -b.specificity)
            self._by_name[ref.name] = bindings
        return self

    def bound_functions(self) -> list[str]:
        """Every bound function, as written when bound (names, ``name:qualifier`` or ARNs)."""
        with self._lock:
            bindings = [b.function for group in self._by_name.values() for b in group]
        return sorted(_written(ref) for ref in bindings)

    def unbound_cause(self, request: TaskRequest) -> str | None:
        """For a Lambda task no handler serves: which function it looked for and what is bound."""
        ref = parse_resource(request.resource)
        if ref.kind == "lambda-function" and ref.function is not None:
            wanted = request.resource
        elif ref.kind == "optimized" and ref.service == "lambda" and ref.action == "invoke":
            params = request.parameters
            name = params.get("FunctionName") if isinstance(params, Mapping) else None
            wanted = name if isinstance(name, str) else repr(name)
        else:
            return None
        bound = ", ".join(repr(name) for name in self.bound_functions()) or "none"
        return (
            f"No Python handler is bound for the Lambda function {wanted!r} (FunctionName) of state "
            f"'{request.state_name}'. Bound functions: {bound}. Bind one with bind_lambda(<function construct, "
            "construct path or name>, handler), or mock the state."
        )

    def find(self, function: FunctionRef) -> _Binding | None:
        """The most specific binding serving ``function``, if any."""
        for binding in self._by_name.get(function.name, ()):
            if binding.matches(function):
                return binding
        return None

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Run the bound handler, or fail naming the function that has no handler."""
        outcome = self.route(request)
        if outcome is None:
            return unbound_outcome(request, hint="Bind a handler with LambdaHandlers.bind().")
        return outcome

    def route(self, request: TaskRequest) -> TaskOutcome | None:
        """Run the bound handler when the request calls a function bound here, else None."""
        ref = parse_resource(request.resource)
        if ref.kind == "lambda-function" and ref.function is not None:
            binding = self.find(ref.function)
            if binding is None:
                return None
            return self._run_bare(request, ref.function, binding)
        if ref.kind == "optimized" and ref.service == "lambda" and ref.action == "invoke":
            params = request.parameters
            if not isinstance(params, Mapping) or not isinstance(params.get("FunctionName"), str):
                return None
            function = FunctionRef.parse(params["FunctionName"])
            if function is None:
                return None
            qualifier = params.get("Qualifier")
            if isinstance(qualifier, str) and function.qualifier is None:
                function = FunctionRef(function.name, qualifier, function.account, function.region, function.partition)
            binding = self.find(function)
            if binding is None:
                return None
            return self._run_invoke(request, function, binding, params)
        return None

    def _run_bare(self, request: TaskRequest, function: FunctionRef, binding: _Binding) -> TaskOutcome:
        request_id = self._request_id(request)
        result, error = self._call(request, function, binding, request.parameters, request_id)
        if error is not None:
            return self._finish(request, binding, error=error)
        return self._finish(request, binding, output=result)

    def _run_invoke(
        self, request: TaskRequest, function: FunctionRef, binding: _Binding, params: Mapping[str, Any]
    ) -> TaskOutcome:
        request_id = self._request_id(request)
        invocation_type = params.get("InvocationType", "RequestResponse")
        version = function.qualifier if function.qualifier and function.qualifier.isdigit() else "$LATEST"
        if invocation_type == "DryRun":
            return self._finish(request, binding, output=self._invoke_shape(request, "", 204, version, request_id))
        event = params.get("Payload", {})
        result, error = self._call(request, function, binding, event, request_id)
        if invocation_type == "Event":
            # Asynchronous invocation: the caller never sees the function's result or error.
            return self._finish(request, binding, output=self._invoke_shape(request, "", 202, version, request_id))
        if error is not None:
            return self._finish(request, binding, error=error)
        return self._finish(request, binding, output=self._invoke_shape(request, result, 200, version, request_id))

    def _invoke_shape(
        self, request: TaskRequest, payload: Any, status: int, version: str, request_id: str
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"ExecutedVersion": version, "Payload": payload, "StatusCode": status}
        if status == 202:
            body.pop("ExecutedVersion")
        if not self._sdk_metadata:
            return body
        content_length = len(compact_json(payload).encode()) if status == 200 else 0
        headers = {
            "Connection": "keep-alive",
            "Content-Length": str(content_length),
            "Content-Type": "application/json",
            "Date": http_date(request),
            "x-amzn-Remapped-Content-Length": "0",
            "x-amzn-RequestId": request_id,
            "X-Amzn-Trace-Id": f"Root=1-{request_id[:8]}-{request_id.replace('-', '')[8:32]};Sampled=0",
        }
        if status != 202:
            headers["X-Amz-Executed-Version"] = version
        return with_sdk_metadata(body, headers=headers, status_code=status, request_id=request_id)

    def _call(
        self, request: TaskRequest, function: FunctionRef, binding: _Binding, event: Any, request_id: str
    ) -> tuple[Any, StatesError | None]:
        """Run the handler in isolation (it gets its own copy of the event) and marshal its result."""
        region, account, partition = _region_account_partition(request)
        arn = function.arn(partition=partition, region=region, account=account)
        context = LambdaContext(
            function_name=function.name,
            function_version=function.qualifier if function.qualifier and function.qualifier.isdigit() else "$LATEST",
            invoked_function_arn=arn,
            memory_limit_in_mb=self._memory,
            aws_request_id=request_id,
            log_group_name=f"/aws/lambda/{function.name}",
            log_stream_name=f"local/[$LATEST]{request_id.replace('-', '')}",
            timeout_seconds=self._function_timeout,
        )
        try:
            result = binding.handler(to_json_value(event), context)
        except StatesError as exc:
            return None, exc
        except Exception as exc:  # any handler failure is the function's error
            return None, _handler_error(exc, request_id)
        except SystemExit as exit_:  # a handler that exits ends its runtime, not the caller's process
            return None, _exit_error(exit_, request_id)
        try:
            return to_json_value(result), None
        except (TypeError, ValueError) as exc:
            cause = compact_json(
                {
                    "errorMessage": f"Unable to marshal response: {exc}",
                    "errorType": "Runtime.MarshalError",
                    "requestId": request_id,
                    "stackTrace": [],
                }
            )
            return None, StatesError("Runtime.MarshalError", cause)

    def _finish(
        self, request: TaskRequest, binding: _Binding, *, output: Any = None, error: StatesError | None = None
    ) -> TaskOutcome:
        resolves = binding.resolves_callback and request.integration == "waitForTaskToken"
        return TaskOutcome(output=output, error=error, resolves_callback=resolves)

    def _request_id(self, request: TaskRequest) -> str:
        number = self._invocations.advance(request.execution_arn, request.state_name)
        return deterministic_request_id(request, number)


def _written(ref: FunctionRef) -> str:
    if ref.account is not None and ref.region is not None:
        return ref.arn()
    prefix = f"{ref.account}:function:" if ref.account else ""
    return f"{prefix}{ref.name}:{ref.qualifier}" if ref.qualifier else f"{prefix}{ref.name}"


def _handler_error(exc: BaseException, request_id: str) -> StatesError:
    """Lambda's report of an unhandled exception: class name as Error, error document as Cause."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    error_type = type(exc).__name__
    cause = compact_json(
        {
            "errorMessage": str(exc),
            "errorType": error_type,
            "requestId": request_id,
            "stackTrace": traceback.format_list(frames),
        }
    )
    return StatesError(error_type, cause)


def _region_account_partition(request: TaskRequest) -> tuple[str, str, str]:
    """Region, account and partition of the state machine running the request."""
    parts = request.state_machine_arn.split(":")
    if len(parts) >= 5 and parts[0] == "arn":
        return parts[3] or "us-east-1", parts[4] or "123456789012", parts[1] or "aws"
    return "us-east-1", "123456789012", "aws"


def _exit_error(exit_: SystemExit, request_id: str) -> StatesError:
    """What Lambda reports when a function's runtime exits (``sys.exit()`` in the handler)."""
    message = f"RequestId: {request_id} Error: Runtime exited with error: exit status {exit_.code}"
    return StatesError("Runtime.ExitError", compact_json({"errorType": "Runtime.ExitError", "errorMessage": message}))
