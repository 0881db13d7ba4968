"""Task: hand the work to a :class:`TaskService` and apply the integration pattern.

Timeouts and heartbeats are enforced here on the execution's clock: a service reports how long
the work took (``TaskOutcome.duration``) and the runtime decides whether ``TimeoutSeconds`` or
``HeartbeatSeconds`` fired first, so nothing ever really sleeps on the virtual clock.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.jsonpath import to_json_text
from constructs_sfn.asl.jsonpath.jsontext import json_type_name
from constructs_sfn.asl.model.states import TaskState
from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text
from constructs_sfn.asl.runtime.dataflow import apply_input_path
from constructs_sfn.asl.runtime.finish import effective_input, finish_with_result
from constructs_sfn.asl.runtime.scheduler import Await, Sleep
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import Frame, StateGen

__all__ = ["ResourceKind", "new_task_token", "run_task"]


def new_task_token() -> str:
    """An unguessable task token."""
    return secrets.token_urlsafe(96)


class ResourceKind:
    """How a Task's ``Resource`` is classified for events and patterns."""

    __slots__ = ("family", "pattern", "resource", "resource_type")

    def __init__(self, arn: str) -> None:
        self.pattern = "request-response"
        if arn.endswith(".waitForTaskToken"):
            self.pattern = "waitForTaskToken"
        elif arn.endswith((".sync", ".sync:2")):
            self.pattern = "sync"
        parts = arn.split(":")
        if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
            self.family, self.resource_type, self.resource = "lambda-function", "lambda", arn
        elif len(parts) >= 7 and parts[2] == "states" and parts[5] == "activity":
            self.family, self.resource_type, self.resource = "activity", "activity", arn
        elif ":::" in arn:
            service_part = arn.split(":::", 1)[1]
            if service_part.startswith("aws-sdk:"):
                _sdk, service, action = [*service_part.split(":", 2), "", ""][:3]
                self.resource_type, self.resource = f"aws-sdk:{service}", action
            else:
                service, _, action = service_part.partition(":")
                self.resource_type, self.resource = service, action
            self.family = "service"
        else:
            self.family, self.resource_type, self.resource = "service", "unknown", arn


def run_task(ex: Execution, frame: Frame, state: TaskState, raw_input: Any, context: Any) -> StateGen:
    """Perform one attempt of a Task state."""
    kind = ResourceKind(state.resource)
    variables = frame.variables
    token: str | None = None
    if kind.pattern != "request-response" or kind.family == "activity":
        # ``.sync`` tasks get a token in $$.Task.Token too (AWS hands one to nested executions).
        context.setdefault("Task", {"Token": new_task_token()})
        token = context["Task"]["Token"]
    if state.is_jsonata:
        states = {"input": raw_input, "context": context}
        arguments = (
            state.arguments.evaluate(states, variables, field="Arguments", rng=ex.rng, now_millis=ex.now_millis())
            if state.arguments is not None
            else raw_input
        )
        ex.inspect("afterArguments", arguments)
        timeout = _jsonata_seconds(ex, state.timeout_seconds, states, variables, "TimeoutSeconds")
        heartbeat = _jsonata_seconds(ex, state.heartbeat_seconds, states, variables, "HeartbeatSeconds")
        credentials = (
            state.credentials.evaluate(states, variables, field="Credentials", rng=ex.rng, now_millis=ex.now_millis())
            if state.credentials is not None
            else None
        )
    else:
        arguments = effective_input(ex, frame, state, raw_input, context)
        path_input = apply_input_path(state, raw_input, context, variables)
        timeout = _jsonpath_seconds(
            state.timeout_seconds,
            state.timeout_seconds_path,
            path_input,
            context,
            variables,
            "TimeoutSecondsPath",
        )
        heartbeat = _jsonpath_seconds(
            state.heartbeat_seconds,
            state.heartbeat_seconds_path,
            path_input,
            context,
            variables,
            "HeartbeatSecondsPath",
        )
        credentials = (
            state.credentials.evaluate(path_input, context, variables, ex.rng)
            if state.credentials is not None
            else None
        )
    arguments_text = ex.check_payload(arguments, state)
    _scheduled(ex, frame, kind, state, arguments, arguments_text, timeout, heartbeat)
    if kind.family == "activity":
        result = yield from _run_activity(ex, frame, kind, state, token or "", arguments_text, timeout, heartbeat)
        return state.next, finish_with_result(ex, frame, state, raw_input, result, context)
    _started(ex, frame, kind)
    request = TaskRequest(
        resource=state.resource,
        parameters=arguments,
        state_name=state.name,
        execution_arn=ex.info.execution_arn,
        state_machine_arn=ex.info.state_machine_arn,
        context=context,
        attempt=context["State"].get("RetryCount", 0),
        task_token=token,
        timeout_seconds=timeout,
        heartbeat_seconds=heartbeat,
        credentials=credentials,
        test_case=ex.info.test_case,
        query_language=state.query_language,
        host=ex.host,
    )
    try:
        outcome = ex.services.invoke(request)
    except StatesError as error:
        outcome = TaskOutcome(error=error)
    except Exception as crash:  # a service bug must not crash the executor
        outcome = TaskOutcome.failure(ErrorName.TASK_FAILED, f"{type(crash).__name__}: {crash}")
    result = yield from _await_outcome(ex, frame, kind, state, outcome, token, timeout, heartbeat)
    return state.next, finish_with_result(ex, frame, state, raw_input, result, context)


def _await_outcome(
    ex: Execution,
    frame: Frame,
    kind: ResourceKind,
    state: TaskState,
    outcome: TaskOutcome,
    token: str | None,
    timeout: float | None,
    heartbeat: float | None,
) -> Any:
    callback = kind.pattern == "waitForTaskToken" and not outcome.resolves_callback
    if outcome.submitted and kind.pattern != "request-response":
        _submitted(ex, frame, kind, state, outcome.submitted_output)
    elif _stands_in_for_whole_task(kind, outcome):
        # A mock answers for the submission and the outcome at once: the submission went through,
        # but what the service answered to it is unknown (TaskSubmitted's output is optional).
        _submitted(ex, frame, kind, state, None, with_output=False)
    if outcome.completes:
        limit, limit_error = _first_limit(outcome, timeout, heartbeat)
        if limit is not None and limit <= outcome.duration:
            yield Sleep(limit)
            _timed_out(ex, frame, kind, limit_error)
        if outcome.duration > 0:
            yield Sleep(outcome.duration)
        if outcome.error is not None:
            if outcome.error.error in _TIMEOUT_ERRORS:
                _timed_out(ex, frame, kind, outcome.error.error, outcome.error.cause)
            _failed(ex, frame, kind, outcome.error)
        if not callback:
            return _succeeded(ex, frame, kind, state, outcome.output)
        if not outcome.submitted:
            _submitted(ex, frame, kind, state, outcome.output)
    elif not callback or outcome.heartbeat_gaps:
        # Work that never finishes: a worker that beats for a while (fault injection) times out on
        # its heartbeat or TimeoutSeconds, whatever the integration pattern.
        limit, limit_error = _first_limit(outcome, timeout, heartbeat)
        if limit is None:
            # The work never finishes and nothing can time it out: the execution stays RUNNING.
            yield Await(new_task_token())
        yield Sleep(limit or 0.0)
        _timed_out(ex, frame, kind, limit_error)
    assert token is not None
    ex.tokens[token] = {"state": state.name, "kind": kind.family}
    answer = yield Await(token, timeout_seconds=timeout, heartbeat_seconds=heartbeat)
    ex.tokens.pop(token, None)
    if answer[0] == "success":
        try:
            value = decode_json_text(answer[1])
        except (TypeError, JsonDecodeError) as bad:
            raise StatesError(ErrorName.RUNTIME, "The task output is not valid JSON") from bad
        return _succeeded(ex, frame, kind, state, value)
    if answer[0] == "failure":
        _failed(ex, frame, kind, StatesError(answer[1], answer[2]))
    _timed_out(ex, frame, kind, ErrorName.TIMEOUT if answer[0] == "timeout" else ErrorName.HEARTBEAT_TIMEOUT)
    return None


_TIMEOUT_ERRORS = frozenset({ErrorName.TIMEOUT, ErrorName.HEARTBEAT_TIMEOUT})
"""Errors only Step Functions raises, when a task runs out of time: an outcome naming one timed out."""


def _stands_in_for_whole_task(kind: ResourceKind, outcome: TaskOutcome) -> bool:
    """Whether an outcome answers a submitted ``.sync``/``.waitForTaskToken`` task in one go (a mock).

    A success came after the submission, and so did a timeout (only a submitted task waits long
    enough to time out); any other error may as well be the submission failing, so it is not.
    """
    if not outcome.resolves_callback or not outcome.completes or kind.pattern == "request-response":
        return False
    return outcome.error is None or outcome.error.error in _TIMEOUT_ERRORS


def _first_limit(outcome: TaskOutcome, timeout: float | None, heartbeat: float | None) -> tuple[float | None, str]:
    """The earliest of the task timeout and a missed heartbeat, for work of known duration."""
    candidates: list[tuple[float, str]] = []
    if timeout is not None:
        candidates.append((timeout, ErrorName.TIMEOUT))
    if heartbeat is not None:
        # The worker beats after each gap; once the gaps run out it is silent, so the heartbeat
        # times out ``heartbeat`` seconds after the last beat (unless the work finished before).
        elapsed = 0.0
        missed = None
        for gap in outcome.heartbeat_gaps:
            if gap >= heartbeat:
                missed = elapsed + heartbeat
                break
            elapsed += gap
        if missed is None:
            missed = elapsed + heartbeat
        if not outcome.completes or missed <= outcome.duration:
            candidates.append((missed, ErrorName.HEARTBEAT_TIMEOUT))
    if not candidates:
        return None, ErrorName.TIMEOUT
    return min(candidates)


def _run_activity(
    ex: Execution,
    frame: Frame,
    kind: ResourceKind,
    state: TaskState,
    token: str,
    input_text: str,
    timeout: float | None,
    heartbeat: float | None,
) -> Any:
    ex.tokens[token] = {
        "state": state.name,
        "kind": "activity",
        "activity_arn": state.resource,
        "input": input_text,
        "frame": frame,
    }
    answer = yield Await(token, timeout_seconds=timeout, heartbeat_seconds=heartbeat)
    ex.tokens.pop(token, None)
    if answer[0] == "success":
        try:
            value = decode_json_text(answer[1])
        except (TypeError, JsonDecodeError) as bad:
            raise StatesError(ErrorName.RUNTIME, "The activity output is not valid JSON") from bad
        ex.inspect("result", value)
        text = ex.check_payload(value, state)
        ex.event(frame, "ActivitySucceeded", {"output": text, "outputDetails": {"truncated": False}})
        return value
    if answer[0] == "failure":
        details = {k: v for k, v in (("error", answer[1]), ("cause", answer[2])) if v is not None}
        ex.event(frame, "ActivityFailed", details)
        raise StatesError(answer[1], answer[2])
    error = timeout_error(ErrorName.TIMEOUT if answer[0] == "timeout" else ErrorName.HEARTBEAT_TIMEOUT)
    ex.event(frame, "ActivityTimedOut", {"error": getattr(error, "recorded_error", error.error)})
    raise error


def activity_started(ex: Execution, token: str, worker_name: str | None) -> None:
    """Record that a worker picked up the activity task behind ``token``."""
    details = {"workerName": worker_name} if worker_name else {}
    frame = ex.tokens.get(token, {}).get("frame")
    if frame is None:
        ex.history.add("ActivityStarted", ex.clock.now(), ex.history.last_id, details)
    else:
        ex.event(frame, "ActivityStarted", details)


def _scheduled(
    ex: Execution,
    frame: Frame,
    kind: ResourceKind,
    state: TaskState,
    arguments: Any,
    arguments_text: str,
    timeout: float | None,
    heartbeat: float | None,
) -> None:
    if kind.family == "lambda-function":
        details: dict[str, Any] = {
            "input": arguments_text,
            "inputDetails": {"truncated": False},
            "resource": kind.resource,
        }
        if timeout is not None:
            details["timeoutInSeconds"] = int(timeout)
        ex.event(frame, "LambdaFunctionScheduled", details)
        return
    if kind.family == "activity":
        details = {"input": arguments_text, "inputDetails": {"truncated": False}, "resource": kind.resource}
        if timeout is not None:
            details["timeoutInSeconds"] = int(timeout)
        if heartbeat is not None:
            details["heartbeatInSeconds"] = int(heartbeat)
        ex.event(frame, "ActivityScheduled", details)
        return
    details = {
        "resourceType": kind.resource_type,
        "resource": kind.resource,
        "region": ex.info.region,
        "parameters": arguments_text,
    }
    if timeout is not None:
        details["timeoutInSeconds"] = int(timeout)
    if heartbeat is not None:
        details["heartbeatInSeconds"] = int(heartbeat)
    ex.event(frame, "TaskScheduled", details)


def _started(ex: Execution, frame: Frame, kind: ResourceKind) -> None:
    if kind.family == "lambda-function":
        ex.event(frame, "LambdaFunctionStarted", None)
    else:
        ex.event(frame, "TaskStarted", {"resourceType": kind.resource_type, "resource": kind.resource})


def _submitted(
    ex: Execution, frame: Frame, kind: ResourceKind, state: TaskState, output: Any, *, with_output: bool = True
) -> None:
    if kind.family == "lambda-function":
        return
    details: dict[str, Any] = {"resourceType": kind.resource_type, "resource": kind.resource}
    if with_output:
        details.update(output=ex.check_payload(output, state), outputDetails={"truncated": False})
    ex.event(frame, "TaskSubmitted", details)


def _succeeded(ex: Execution, frame: Frame, kind: ResourceKind, state: TaskState, output: Any) -> Any:
    ex.inspect("result", output)
    try:
        text = ex.check_payload(output, state)
    except StatesError as too_big:
        # AWS names the Lambda ARN, or the integrated service, never the state.
        culprit = kind.resource if kind.family == "lambda-function" else kind.resource_type
        too_big = StatesError(
            too_big.error,
            f"The state/task '{culprit}' returned a result with a size exceeding the maximum number "
            "of bytes service limit.",
        )
        _failed(ex, frame, kind, too_big)
    if kind.family == "lambda-function":
        ex.event(frame, "LambdaFunctionSucceeded", {"output": text, "outputDetails": {"truncated": False}})
    else:
        ex.event(
            frame,
            "TaskSucceeded",
            {
                "resourceType": kind.resource_type,
                "resource": kind.resource,
                "output": text,
                "outputDetails": {"truncated": False},
            },
        )
    return output


def _failed(ex: Execution, frame: Frame, kind: ResourceKind, error: StatesError) -> None:
    details: dict[str, Any] = {}
    if error.error is not None:
        details["error"] = error.error
    if error.cause is not None:
        details["cause"] = error.cause
    if kind.family == "lambda-function":
        ex.event(frame, "LambdaFunctionFailed", details)
    else:
        details.update({"resourceType": kind.resource_type, "resource": kind.resource})
        ex.event(frame, "TaskFailed", details)
    error.located = True  # type: ignore[attr-defined]
    raise error


def timeout_error(error_name: str, cause: str | None = None) -> StatesError:
    """The error a timed-out task raises.

    AWS records both a TimeoutSeconds and a HeartbeatSeconds miss as ``States.Timeout`` in the
    history and in ExecutionFailed, while Retry/Catch may name ``States.HeartbeatTimeout`` ("only
    available inside the Catch and Retry fields") for the heartbeat case.
    """
    error = StatesError(error_name, cause)
    error.located = True  # type: ignore[attr-defined]
    if error_name == ErrorName.HEARTBEAT_TIMEOUT:
        error.recorded_error = ErrorName.TIMEOUT  # type: ignore[attr-defined]
        error.also_matches = (ErrorName.TIMEOUT,)  # type: ignore[attr-defined]
    return error


def _timed_out(ex: Execution, frame: Frame, kind: ResourceKind, error_name: str, cause: str | None = None) -> None:
    error = timeout_error(error_name, cause)
    recorded = getattr(error, "recorded_error", error_name)
    details: dict[str, Any] = {"error": recorded}
    if cause is not None:
        details["cause"] = cause
    if kind.family == "lambda-function":
        ex.event(frame, "LambdaFunctionTimedOut", details)
    else:
        ex.event(frame, "TaskTimedOut", {"resourceType": kind.resource_type, "resource": kind.resource, **details})
    raise error


def _jsonpath_seconds(literal: Any, path: Any, value: Any, context: Any, variables: Any, field: str) -> float | None:
    if path is None:
        return float(literal) if isinstance(literal, int | float) and not isinstance(literal, bool) else None
    try:
        found = path.find(value, context, variables)
    except StatesError:
        raise
    except Exception as missing:
        from constructs_sfn.asl.jsonpath import invalid_path_cause

        message = getattr(missing, "message", str(missing))
        raise StatesError(ErrorName.RUNTIME, invalid_path_cause(path.text, message)) from missing
    if isinstance(found, bool) or not isinstance(found, int) or found <= 0:
        raise StatesError(
            ErrorName.RUNTIME,
            f"The {field} parameter does not reference a positive integer: {path.text} == {found}",
        )
    return float(found)


def _jsonata_seconds(ex: Execution, value: Any, states: Any, variables: Any, field: str) -> float | None:
    if value is None:
        return None
    if hasattr(value, "evaluate"):
        value = value.evaluate(states, variables, field=field, rng=ex.rng, now_millis=ex.now_millis())
    # Task page: "Must be a positive, non-zero integer" (a whole-valued JSONata number such as 2.0 is one).
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or value <= 0:
        raise StatesError(
            ErrorName.QUERY_EVALUATION_ERROR,
            f"The JSONata expression specified for the field '{field}' returned an unexpected result type. "
            f"Expected 'integer', but was '{json_type_name(value)}' for value: {to_json_text(value)}",
        )
    return float(value)
