"""TestState: run one state in isolation and report what each processing step produced.

The response has AWS's shape: ``status`` (SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR),
``output`` (JSON text), ``error``/``cause``, ``nextState`` and, at DEBUG and TRACE inspection
levels, ``inspectionData`` (``input``, ``afterInputPath``, ``afterParameters`` / ``afterArguments``,
``result``, ``afterResultSelector``, ``afterResultPath``, ``afterItemsPath``, ``maxConcurrency``,
``variables``, ``errorDetails`` ...). A ``mock`` replaces the Task's (or Map's) work with a result or
an error output, as the TestState API does.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError, StatesError
from constructs_sfn.asl.model.states import JSONPATH, MapState
from constructs_sfn.asl.parse.parser import _Parser
from constructs_sfn.asl.runtime.context import ExecutionContextInfo
from constructs_sfn.asl.runtime.interpreter import Execution, Frame, RetriableInTestError, to_json_text
from constructs_sfn.asl.services import TaskOutcome, TaskRequest, TaskService

__all__ = ["run_test_state"]

_INSPECTION_ORDER = (
    "input",
    "afterInputPath",
    "afterParameters",
    "afterArguments",
    "afterItemsPath",
    "maxConcurrency",
    "toleratedFailureCount",
    "toleratedFailurePercentage",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "variables",
)


class _MockService:
    """The TestState ``mock``: a result or an error output for the state under test."""

    def __init__(self, mock: Mapping[str, Any], fallback: TaskService | None) -> None:
        self.mock = mock
        self.fallback = fallback

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        if "errorOutput" in self.mock:
            error_output = self.mock["errorOutput"] or {}
            return TaskOutcome(
                error=StatesError(error_output.get("error", "States.TaskFailed"), error_output.get("cause")),
                resolves_callback=True,
            )
        return TaskOutcome(output=_decode(self.mock.get("result", "null"), "mock.result"), resolves_callback=True)


def _decode(text: Any, field: str) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DefinitionError(f"The field '{field}' is not valid JSON: {error.msg}", code="INVALID_JSON") from error


def run_test_state(
    *,
    definition: Mapping[str, Any],
    state_name: str | None,
    input_value: Any,
    inspection_level: str = "INFO",
    reveal_secrets: bool = False,
    variables: Mapping[str, Any] | None = None,
    mock: Mapping[str, Any] | None = None,
    state_configuration: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    services: TaskService | None = None,
    role_arn: str | None = None,
    info: ExecutionContextInfo | None = None,
) -> dict[str, Any]:
    """Run one state; returns the TestState response dict. Bad definitions raise DefinitionError."""
    del reveal_secrets  # no HTTP task secrets are recorded locally
    if "States" in definition:
        states = definition.get("States") or {}
        name = state_name or definition.get("StartAt")
        if not isinstance(name, str) or name not in states:
            raise DefinitionError(f"State '{name}' does not exist in the definition", code="INVALID_STATE_NAME")
        state_doc = states[name]
        query_language = definition.get("QueryLanguage", JSONPATH)
    else:
        name = state_name or "StateName"
        state_doc = definition
        query_language = JSONPATH
    state = _Parser().state(name, state_doc, f"/States/{name}", query_language)
    configuration = dict(state_configuration or {})
    service: TaskService | None = _MockService(mock, services) if mock else services
    execution = Execution(
        _single_state_machine(state),
        input_value,
        info=info or ExecutionContextInfo(role_arn=role_arn or ""),
        services=service,
    )
    execution.inspection = {}
    if "retrierRetryCount" in configuration:
        execution.retry_counts_override = int(configuration["retrierRetryCount"])
    if isinstance(state, MapState) and mock and "result" in mock:
        execution.map_result_override = _decode(mock["result"], "mock.result")  # type: ignore[attr-defined]
    if context:
        _merge_context(execution, context)
    frame = Frame(execution.definition)
    if variables:
        frame.own_variables.update(variables)
    response: dict[str, Any] = {}
    try:
        gen = _run_one(execution, frame, state, input_value)
        execution.scheduler.start(gen)
        if not execution.scheduler.finished:
            raise StatesError("States.Runtime", "The state did not complete (it waits for a callback)")
        if execution.scheduler.root_error is not None:
            raise execution.scheduler.root_error
        next_state, output = execution.scheduler.root_result
        caught = execution.inspection.get("caughtError")
        if caught is not None:
            response.update(status="CAUGHT_ERROR", error=caught.error, cause=caught.cause)
        else:
            response["status"] = "SUCCEEDED"
        response["output"] = to_json_text(output)
        if next_state is not None:
            response["nextState"] = next_state
    except RetriableInTestError as retriable:
        response.update(status="RETRIABLE", error=retriable.error, cause=retriable.cause)
        execution.inspection["errorDetails"] = {
            "retryBackoffIntervalSeconds": int(retriable.delay)
            if float(retriable.delay).is_integer()
            else retriable.delay,
            "retryIndex": retriable.retry_index,
        }
    except StatesError as error:
        response.update(status="FAILED", error=error.error, cause=error.cause)
    if response.get("cause") is None:
        response.pop("cause", None)
    if inspection_level in ("DEBUG", "TRACE"):
        response["inspectionData"] = _inspection_data(execution.inspection, variables)
    return response


def _run_one(execution: Execution, frame: Frame, state: Any, value: Any) -> Generator[Any, Any, Any]:
    outcome = yield from execution.run_state(frame, state, value)
    return outcome


def _single_state_machine(state: Any) -> Any:
    from constructs_sfn.asl.model.states import StateMachineDefinition

    return StateMachineDefinition(start_at=state.name, states={state.name: state}, query_language=state.query_language)


def _merge_context(execution: Execution, context: Mapping[str, Any]) -> None:
    if isinstance(context.get("Execution"), Mapping):
        execution.execution_object = {**execution.execution_object, **context["Execution"]}
    if isinstance(context.get("StateMachine"), Mapping):
        execution.state_machine_object = {**execution.state_machine_object, **context["StateMachine"]}


def _inspection_data(recorded: Mapping[str, Any], variables: Mapping[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in _INSPECTION_ORDER:
        if key in recorded:
            data[key] = recorded[key]
    if variables:
        data["variables"] = dict(variables)
    if "catchIndex" in recorded:
        data["errorDetails"] = {"catchIndex": recorded["catchIndex"]}
    if "errorDetails" in recorded:
        data["errorDetails"] = recorded["errorDetails"]
    return data
