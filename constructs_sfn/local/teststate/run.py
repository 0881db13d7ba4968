"""TestState: run one state in isolation and answer as AWS's ``TestState`` API does.

The response has AWS's shape: ``status``, ``output`` (JSON text), ``error``/``cause``,
``nextState`` and, at DEBUG and TRACE inspection levels, ``inspectionData`` (JSON values here;
the boto3-shaped client turns them into JSON text). TestState makes one attempt and reports what
would happen next instead of doing it:

* SUCCEEDED: the state completed; ``nextState`` is its ``Next`` (or the Choice's pick).
* RETRIABLE: the state failed and a retrier matches the error with attempts left;
  ``errorDetails`` has that retrier's ``retryIndex`` and the back-off it would wait,
  ``retryBackoffIntervalSeconds``. ``stateConfiguration.retrierRetryCount`` says how many
  retries already happened (which scales the back-off and may exhaust the retrier).
* CAUGHT_ERROR: no retry applies and a catcher matches; ``output`` is the catcher's output,
  ``nextState`` its ``Next`` and ``errorDetails.catchIndex`` its position.
* FAILED: neither; ``error`` and ``cause`` say why.

A ``mock`` stands in for the work of a Task, Map or Parallel state (see :mod:`.mocked`); the
context object is an express execution's (see :mod:`.context`), and the inspection data lists what
AWS lists for the state (see :mod:`.inspection`). The state may be a lone state, a state of a
machine or one nested in a Map or Parallel of it (see :mod:`.locate`).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError, ErrorName, StatesError
from constructs_sfn.asl.model.states import (
    FailState,
    MapState,
    ParallelState,
    Retrier,
    State,
    StateMachineDefinition,
    TaskState,
)
from constructs_sfn.asl.parse.parser import parse_state
from constructs_sfn.asl.runtime.clock import Clock
from constructs_sfn.asl.runtime.execution import state_handler
from constructs_sfn.asl.runtime.frame import Frame, StateOutcome, to_json_text
from constructs_sfn.asl.runtime.retry_policy import retrier_index
from constructs_sfn.asl.services import TaskService
from constructs_sfn.local.teststate.context import TestStateExecution, TestStateScope
from constructs_sfn.local.teststate.inspection import as_json_text, inspection_data
from constructs_sfn.local.teststate.locate import locate_state
from constructs_sfn.local.teststate.mocked import (
    MockAnswer,
    MockTaskService,
    ReaderDataService,
    StateConfiguration,
    run_mocked_map,
    run_mocked_parallel,
)

__all__ = ["TestStateScope", "run_test_state"]

# AWS stops a TestState call after five minutes with States.Timeout.
_TIME_LIMIT_SECONDS = 300.0


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
    scope: TestStateScope | None = None,
    clock: Clock | None = None,
    inspection_text: bool = False,
) -> dict[str, Any]:
    """Run one state; returns the TestState response dict. Bad definitions raise DefinitionError.

    ``definition`` is a single state (tested as ``"StateName"``) or a whole state machine
    (tested at ``state_name``, default its ``StartAt``). ``scope`` gives the region, account
    and partition of the context object's ARNs; ``clock`` its timestamps. With
    ``inspection_text`` the data fields of ``inspectionData`` are JSON text, as the API sends them.
    """
    del reveal_secrets  # no HTTP task request or response is recorded locally
    state = _state_under_test(definition, state_name)
    answer = MockAnswer.from_request(mock, _decode_mock_result) if mock is not None else None
    configuration = StateConfiguration.from_request(state_configuration)
    execution = TestStateExecution(
        StateMachineDefinition(start_at=state.name, states={state.name: state}, query_language=state.query_language),
        state,
        input_value,
        role_arn=role_arn,
        scope=scope or TestStateScope(),
        services=_services(state, answer, configuration, services),
        clock=clock,
        given_context=context,
        retry_count=configuration.retrier_retry_count,
    )
    frame = Frame(execution.definition, record=False)
    if variables:
        frame.own_variables.update(variables)
    run = _TestRun(execution, frame, state, input_value, answer, configuration)
    response = run.respond()
    if inspection_level in ("DEBUG", "TRACE"):
        data = inspection_data(state, execution.records, variables=frame.own_variables, error_details=run.error_details)
        response["inspectionData"] = as_json_text(data) if inspection_text else data
    return response


def _services(
    state: State, answer: MockAnswer | None, configuration: StateConfiguration, services: TaskService | None
) -> TaskService | None:
    """What the state's work calls: the mock for a Task, the reader data for a mocked Map."""
    if answer is not None and isinstance(state, TaskState):
        return MockTaskService(answer)
    if answer is not None and isinstance(state, MapState) and configuration.map_item_reader_data is not None:
        return ReaderDataService(configuration.map_item_reader_data)
    return services


class _TestRun:
    """One TestState attempt of ``state`` and the status it ends in."""

    def __init__(
        self,
        execution: TestStateExecution,
        frame: Frame,
        state: State,
        input_value: Any,
        answer: MockAnswer | None,
        configuration: StateConfiguration,
    ) -> None:
        self.execution = execution
        self.frame = frame
        self.state = state
        self.input_value = input_value
        self.answer = answer
        self.configuration = configuration
        self.context: dict[str, Any] = {}
        self.error_details: dict[str, Any] | None = None

    def respond(self) -> dict[str, Any]:
        """Run the attempt and build the response body (without inspection data)."""
        try:
            next_state, output = self._attempt()
        except StatesError as error:
            return self._failure(error)
        return _body("SUCCEEDED", output=output, next_state=next_state)

    def _attempt(self) -> StateOutcome:
        ex = self.execution
        scheduler = ex.scheduler
        scheduler.start(self._fiber())
        if not scheduler.finished and self.answer is not None:
            # A mocked activity or callback task waits on its token: the mock is the answer.
            for token in list(ex.tokens):
                scheduler.resolve(token, self.answer.answer_text())
        if not scheduler.finished:
            scheduler.advance(_TIME_LIMIT_SECONDS)
        if not scheduler.finished:
            scheduler.cancel_all()
            raise StatesError(ErrorName.TIMEOUT, "The TestState call did not complete within 5 minutes")
        if scheduler.root_error is not None:
            raise scheduler.root_error
        outcome: StateOutcome = scheduler.root_result
        return outcome

    def _fiber(self) -> Generator[Any, Any, StateOutcome]:
        ex, state, value = self.execution, self.state, self.input_value
        ex.check_payload(value, state)
        ex.inspect("input", value)
        self.context = ex.context(state, ex.clock.now(), 0, self.frame)
        if self.answer is not None and isinstance(state, MapState):
            return (
                yield from run_mocked_map(ex, self.frame, state, value, self.context, self.answer, self.configuration)
            )
        if self.answer is not None and isinstance(state, ParallelState):
            return (yield from run_mocked_parallel(ex, self.frame, state, value, self.context, self.answer))
        handler = state_handler(state)
        outcome: StateOutcome = yield from handler(ex, self.frame, state, value, self.context)
        return outcome

    def _failure(self, error: StatesError) -> dict[str, Any]:
        state = self.state
        if isinstance(state, FailState):
            return _body("FAILED", error=error)
        retry = _retry(state.retry, error, self.configuration.retrier_retry_count)
        if retry is not None:
            index, backoff = retry
            self.error_details = {"retryBackoffIntervalSeconds": backoff, "retryIndex": index}
            return _body("RETRIABLE", error=error)
        catcher = self.execution.find_catcher(state.catch, error)
        if catcher is None:
            return _body("FAILED", error=error)
        self.error_details = {"catchIndex": state.catch.index(catcher)}
        try:
            next_state, output = self.execution.caught(
                self.frame, state, catcher, self.input_value, error, self.context
            )
        except StatesError as failed:
            # The catcher's own Output/ResultPath/Assign failed: that error ends the state.
            self.error_details = None
            return _body("FAILED", error=failed)
        return _body("CAUGHT_ERROR", output=output, next_state=next_state, error=error)


def _retry(retriers: tuple[Retrier, ...], error: StatesError, retries_so_far: int) -> tuple[int, int] | None:
    """The matching retrier's index and back-off, or None when no retry would happen.

    Only the first retrier whose ErrorEquals matches applies (ASL); it is spent once
    ``retries_so_far`` reaches its MaxAttempts.
    """
    index = retrier_index(retriers, error)
    if index is None:
        return None
    retrier = retriers[index]
    if retries_so_far >= retrier.max_attempts:
        return None
    delay = retrier.interval_seconds * (retrier.backoff_rate**retries_so_far)
    if retrier.max_delay_seconds is not None:
        delay = min(delay, retrier.max_delay_seconds)
    return index, int(delay)


def _body(
    status: str, *, output: Any = None, next_state: str | None = None, error: StatesError | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status}
    if error is not None:
        if error.error is not None:
            body["error"] = error.error
        if error.cause is not None:
            body["cause"] = error.cause
    if status in ("SUCCEEDED", "CAUGHT_ERROR"):
        body["output"] = to_json_text(output)
    if next_state is not None:
        body["nextState"] = next_state
    return body


def _state_under_test(definition: Mapping[str, Any], state_name: str | None) -> State:
    """Parse the state to test: a lone state (``"StateName"``) or one state of a machine, nested or not."""
    located = locate_state(definition, state_name)
    if located is None:
        name = state_name if state_name is not None else definition.get("StartAt")
        raise DefinitionError(f"State '{name}' does not exist in the definition", code="INVALID_STATE_NAME")
    return parse_state(located.name, located.document, located.pointer, located.query_language)


def _decode_mock_result(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DefinitionError(
            f"The field 'mock.result' is not valid JSON: {error.msg}", location="/mock/result", code="INVALID_JSON"
        ) from error
