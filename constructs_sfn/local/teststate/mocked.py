"""TestState mocks: what a ``mock`` stands in for, for Task, Map and Parallel states.

A mocked Task answers from the mock instead of calling a service. A mocked Map or Parallel runs
no iterations or branches: the mock's ``result`` is the whole state's result (still shaped by
ResultSelector/ResultPath/OutputPath or Output), and its ``errorOutput`` is the error the state
fails with. Before that, a Map still evaluates what it would hand to its iterations (InputPath,
ItemsPath or Items, the ItemReader's items, ItemSelector, ItemBatcher, MaxConcurrency, the
tolerated failure thresholds) so the inspection data shows them, and
``stateConfiguration.mapIterationFailureCount`` failed iterations count against the thresholds the
state declares.

The ItemReader is the runtime's (:mod:`constructs_sfn.asl.runtime.item_reader`: InputType,
CSV headers, ``MaxItems``, ...). API_TestStateConfiguration.html: ``mapItemReaderData`` is "The
data read by ItemReader in Distributed Map states as found in its original source", so with it
the reader reads that text (:class:`ReaderDataService`) instead of calling S3; without it the
reader calls the configured services, as the state would.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.jsonpath.jsontext import json_type_name, to_json_text
from constructs_sfn.asl.model.states import MapState, ParallelState
from constructs_sfn.asl.runtime.dataflow import apply_input_path
from constructs_sfn.asl.runtime.finish import effective_input, finish_with_result
from constructs_sfn.asl.runtime.item_reader import batch_items, read_items
from constructs_sfn.asl.runtime.state_map import max_concurrency_of, tolerance_of
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import Frame, StateGen

__all__ = [
    "THRESHOLD_EXCEEDED_CAUSE",
    "MockAnswer",
    "MockTaskService",
    "ReaderDataService",
    "StateConfiguration",
    "run_mocked_map",
    "run_mocked_parallel",
]

THRESHOLD_EXCEEDED_CAUSE = "The specified tolerated failure threshold was exceeded"


@dataclass(frozen=True, slots=True)
class MockAnswer:
    """A decoded ``mock``: either a result (``has_result``) or the error the state fails with."""

    result: Any = None
    has_result: bool = False
    error: StatesError | None = None

    @classmethod
    def from_request(cls, mock: Mapping[str, Any], decode: Any) -> MockAnswer:
        """Decode ``mock.result`` (JSON text, through ``decode``) or ``mock.errorOutput``."""
        if "result" in mock and mock["result"] is not None:
            return cls(result=decode(mock["result"]), has_result=True)
        error_output = mock.get("errorOutput")
        if isinstance(error_output, Mapping):
            # The request checks require errorOutput.error (API_MockErrorOutput.html); cause may be absent.
            return cls(error=StatesError(error_output.get("error"), error_output.get("cause")))  # type: ignore[arg-type]
        return cls(result=None, has_result=True)

    def raise_error(self) -> None:
        """Fail the state with the mocked error (no-op for a mocked result)."""
        if self.error is not None:
            raise StatesError(self.error.error, self.error.cause)

    def answer_text(self) -> tuple[Any, ...]:
        """The answer to a parked callback or activity task (scheduler ``resolve`` form)."""
        if self.error is not None:
            return ("failure", self.error.error, self.error.cause)
        return ("success", json.dumps(self.result))


@dataclass(frozen=True, slots=True)
class StateConfiguration:
    """TestState's ``stateConfiguration``."""

    retrier_retry_count: int = 0
    map_iteration_failure_count: int = 0
    error_caused_by_state: str | None = None
    map_item_reader_data: str | None = None

    @classmethod
    def from_request(cls, configuration: Mapping[str, Any] | None) -> StateConfiguration:
        """Read the request's (camelCase) fields; absent ones take their neutral value."""
        given = configuration or {}
        reader_data = given.get("mapItemReaderData")
        caused_by = given.get("errorCausedByState")
        return cls(
            retrier_retry_count=int(given.get("retrierRetryCount") or 0),
            map_iteration_failure_count=int(given.get("mapIterationFailureCount") or 0),
            error_caused_by_state=caused_by if isinstance(caused_by, str) else None,
            map_item_reader_data=reader_data if isinstance(reader_data, str) else None,
        )


class MockTaskService:
    """Answers every Task attempt with the mock, as TestState does instead of calling the service."""

    def __init__(self, answer: MockAnswer) -> None:
        self.answer = answer

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """The mocked result or error; a callback task counts as already answered."""
        del request
        if self.answer.error is not None:
            error = self.answer.error
            return TaskOutcome(error=StatesError(error.error, error.cause), resolves_callback=True)
        return TaskOutcome(output=self.answer.result, resolves_callback=True)


class ReaderDataService:
    """Answers a Map's ItemReader with ``stateConfiguration.mapItemReaderData``.

    The data is the source's content: an object's body for ``s3:getObject``; for
    ``s3:listObjectsV2`` the listing, a JSON array of objects (``Contents``) or the API response.
    """

    def __init__(self, data: str) -> None:
        self.data = data

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """The reader data, shaped as the reader's resource answers."""
        if not request.resource.endswith("listObjectsV2"):
            return TaskOutcome(output={"Body": self.data})
        try:
            listing = json.loads(self.data)
        except ValueError as bad:
            return TaskOutcome(
                error=StatesError(ErrorName.ITEM_READER_FAILED, f"The item reader data is not JSON: {bad}")
            )
        return TaskOutcome(output={"Contents": listing} if isinstance(listing, list) else listing)


def run_mocked_parallel(
    ex: Execution, frame: Frame, state: ParallelState, raw_input: Any, context: Any, answer: MockAnswer
) -> StateGen:
    """A Parallel state whose branches are replaced by the mock."""
    if state.is_jsonata:
        if state.arguments is not None:
            states = {"input": raw_input, "context": context}
            state.arguments.evaluate(states, frame.variables, field="Arguments", rng=ex.rng, now_millis=ex.now_millis())
    else:
        effective_input(ex, frame, state, raw_input, context)
    answer.raise_error()
    return state.next, finish_with_result(ex, frame, state, raw_input, answer.result, context)
    yield  # a generator like every state handler


def run_mocked_map(
    ex: Execution,
    frame: Frame,
    state: MapState,
    raw_input: Any,
    context: Any,
    answer: MockAnswer,
    configuration: StateConfiguration,
) -> StateGen:
    """A Map state whose iterations are replaced by the mock."""
    variables = frame.variables
    if state.is_jsonata:
        effective = raw_input
    else:
        effective = apply_input_path(state, raw_input, context, variables)
        ex.inspect("afterInputPath", effective)
    if state.item_reader is not None:
        items = read_items(ex, frame, state, raw_input, effective, context)
    elif state.is_jsonata:
        items = _jsonata_items(ex, frame, state, raw_input, context)
    else:
        items = _jsonpath_items(state, effective, context, variables)
        ex.inspect("afterItemsPath", items)
    if state.item_selector is not None:
        items = [_select(ex, frame, state, effective, raw_input, context, i, item) for i, item in enumerate(items)]
        ex.inspect("afterItemSelector", items)
    if state.item_batcher is not None:
        ex.inspect("afterItemBatcher", batch_items(ex, frame, state, items, raw_input, effective, context))
    ex.inspect("maxConcurrency", max_concurrency_of(ex, state, effective, raw_input, context, variables))
    count, percentage = tolerance_of(ex, state, effective, raw_input, context, variables)
    if count is not None:
        ex.inspect("toleratedFailureCount", count)
    if percentage is not None:
        ex.inspect("toleratedFailurePercentage", percentage)
    answer.raise_error()
    total = len(answer.result) if isinstance(answer.result, list) else len(items)
    if _exceeds(configuration.map_iteration_failure_count, total, count, percentage):
        raise StatesError(ErrorName.EXCEED_TOLERATED_FAILURE_THRESHOLD, THRESHOLD_EXCEEDED_CAUSE)
    return state.next, finish_with_result(ex, frame, state, raw_input, answer.result, context)
    yield  # a generator like every state handler


def _exceeds(failures: int, total: int, count: int | None, percentage: float | None) -> bool:
    """Whether failed iterations break the thresholds; a Map that declares none is not checked.

    AWS: "If you specify both values, the workflow fails when it exceeds either value."
    """
    if failures <= 0:
        return False
    over_count = count is not None and failures > count
    over_percentage = percentage is not None and total > 0 and failures * 100.0 / total > percentage
    return over_count or over_percentage


def _jsonata_items(ex: Execution, frame: Frame, state: MapState, raw_input: Any, context: Any) -> list[Any]:
    if state.items is None:
        items = raw_input
    elif hasattr(state.items, "evaluate"):
        items = state.items.evaluate(
            {"input": raw_input, "context": context},
            frame.variables,
            field="Items",
            rng=ex.rng,
            now_millis=ex.now_millis(),
        )
    else:
        items = state.items
    if not isinstance(items, list):
        raise StatesError(
            ErrorName.QUERY_EVALUATION_ERROR,
            f"The JSONata expression '{state.items_source or ''}' specified for the field 'Items' returned an "
            f"unexpected result type. Expected 'array', but was '{json_type_name(items)}' "
            f"for value: {to_json_text(items)}",
        )
    return items


def _jsonpath_items(state: MapState, effective: Any, context: Any, variables: Any) -> list[Any]:
    path = state.items_path
    if path is None:
        items = effective
    else:
        try:
            items = path.find(effective, context, variables)
        except StatesError:
            raise
        except Exception as missing:
            raise StatesError(
                ErrorName.RUNTIME, f"Invalid path '{path.text}' : No results for path: {path.text}"
            ) from missing
    if not isinstance(items, list):
        # TestState names a context path as AWS's path engine sees it: relative to "$$".
        text = path.text if path is not None else "$"
        shown = text[1:] if text.startswith("$$") else text
        raise StatesError(ErrorName.RUNTIME, f'Reference path "{shown}" must point to array.')
    return items


def _select(
    ex: Execution, frame: Frame, state: MapState, effective: Any, raw_input: Any, context: Any, index: int, item: Any
) -> Any:
    item_context = {**context, "Map": {"Item": {"Index": index, "Value": item}}}
    if state.is_jsonata:
        states = {"input": raw_input, "context": item_context}
        return state.item_selector.evaluate(
            states, frame.variables, field="ItemSelector", rng=ex.rng, now_millis=ex.now_millis()
        )
    return state.item_selector.evaluate(effective, item_context, frame.variables, ex.rng)
