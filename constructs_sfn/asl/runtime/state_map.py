"""Map: run the item processor once per item inline, or hand a Distributed Map to its Map Run
(:mod:`constructs_sfn.asl.runtime.map_run_flow`)."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.jsonpath.causes import invalid_path_cause
from constructs_sfn.asl.jsonpath.jsontext import json_type_name, to_json_text
from constructs_sfn.asl.model.states import MapState
from constructs_sfn.asl.runtime.dataflow import apply_input_path
from constructs_sfn.asl.runtime.finish import finish_with_result
from constructs_sfn.asl.runtime.item_reader import batch_items
from constructs_sfn.asl.runtime.map_run_children import select_item
from constructs_sfn.asl.runtime.map_run_flow import run_map_run
from constructs_sfn.asl.runtime.scheduler import Fork, ForkResult
from constructs_sfn.asl.runtime.trace import TraceEvent, TraceKind

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import Frame, StateGen

__all__ = ["max_concurrency_of", "run_map", "tolerance_of"]


def run_map(ex: Execution, frame: Frame, state: MapState, raw_input: Any, context: Any) -> StateGen:
    """Run one Map state."""
    variables = frame.variables
    item_keys: list[str] | None = None  # the object's keys when the Map iterates an object's pairs
    selected: Any = None
    if state.item_reader is not None:
        # The reader runs once the Map Run has started; AWS reports the Map's length as 0.
        effective = raw_input if state.is_jsonata else apply_input_path(state, raw_input, context, variables)
        items = []
    elif state.is_jsonata:
        states = {"input": raw_input, "context": context}
        effective = raw_input
        items = (
            state.items.evaluate(states, variables, field="Items", rng=ex.rng, now_millis=ex.now_millis())
            if state.items is not None
            else raw_input
        )
        if not isinstance(items, list):
            expression = state.items_source or ""
            raise StatesError(
                ErrorName.QUERY_EVALUATION_ERROR,
                f"The JSONata expression '{expression}' specified for the field 'Items' returned an unexpected "
                f"result type. Expected 'array', but was '{json_type_name(items)}' for value: {to_json_text(items)}",
            )
    else:
        effective = apply_input_path(state, raw_input, context, variables)
        ex.inspect("afterInputPath", effective)
        if state.items_path is not None:
            try:
                items = state.items_path.find(effective, context, variables)
            except StatesError:
                raise
            except Exception as missing:
                # The same rule as every other ``*Path`` field (InputPath, TimeoutSecondsPath, ...):
                # AWS quotes Jayway's message, which names the normalized path where it failed.
                message = getattr(missing, "message", str(missing))
                raise StatesError(ErrorName.RUNTIME, invalid_path_cause(state.items_path.text, message)) from missing
        else:
            items = effective
        if isinstance(items, Mapping):
            # ItemsPath page: "If the input to the Map state is a JSON object, it runs an iteration for
            # each key-value pair in the object, passing the pair to the iteration as input." The page
            # does not spell the pair out: {"Key": ..., "Value": ...} with $$.Map.Item.Key is the shape
            # reported from AWS for a JSON object read from S3 (floci-io/floci#1588), assumed here too.
            selected = items
            item_keys = list(selected)
            items = [{"Key": key, "Value": selected[key]} for key in item_keys]
        if not isinstance(items, list):
            raise StatesError(
                ErrorName.RUNTIME,
                f"Map state input must be an array, but was '{json_type_name(items)}': {to_json_text(items)}"
                if state.items_path is None
                else f"Invalid path '{state.items_path.text}': The path refers to a value of type "
                f"'{json_type_name(items)}', expected 'array'",
            )
    if state.items_path is not None:
        ex.inspect("afterItemsPath", selected if item_keys is not None else items)
    max_concurrency = max_concurrency_of(ex, state, effective, raw_input, context, variables)
    ex.inspect("maxConcurrency", max_concurrency)
    distributed = state.mode == "DISTRIBUTED"
    ex.event(frame, "MapStateStarted", {"length": len(items)})
    # AWS checks the tolerated-failure thresholds only once the Map has started.
    tolerated_count, tolerated_pct = tolerance_of(ex, state, effective, raw_input, context, variables)
    if tolerated_count is not None:
        ex.inspect("toleratedFailureCount", tolerated_count)
    if tolerated_pct is not None:
        ex.inspect("toleratedFailurePercentage", tolerated_pct)
    if distributed:
        return (
            yield from run_map_run(
                ex,
                frame,
                state,
                raw_input,
                effective,
                context,
                None if state.item_reader is not None else items,
                item_keys,
                max_concurrency,
                (tolerated_count, tolerated_pct),
            )
        )
    if state.item_batcher is not None:
        items = batch_items(ex, frame, state, items, raw_input, effective, context)
        item_keys = None
    total = len(items)

    def should_stop(failures: int, finished: int) -> bool:
        if tolerated_count is None and tolerated_pct is None:
            return failures > 0
        over_count = tolerated_count is not None and failures > tolerated_count
        over_pct = tolerated_pct is not None and total > 0 and failures * 100.0 / total > tolerated_pct
        # Either threshold, once exceeded, fails the Map Run (AWS "Map Run failure threshold").
        return over_count or over_pct

    chain = {"last": frame.cursor}
    factories = (
        _iteration(
            ex,
            frame,
            state,
            effective,
            raw_input,
            context,
            i,
            item,
            chain,
            key=None if item_keys is None else item_keys[i],
        )
        for i, item in enumerate(items)
    )
    result: ForkResult = yield Fork(factories, count=total, max_concurrency=max_concurrency, should_stop=should_stop)
    if frame.record:
        frame.cursor = ex.history.last_id
    if result.errors and (result.stopped_early or should_stop(len(result.errors), total)):
        first = result.errors[min(result.errors)]
        if frame.record:
            # MapStateFailed follows the failing state's own last event, not MapIterationFailed.
            frame.cursor = getattr(first, "map_cursor", frame.cursor)
        first.branch_failure = True  # type: ignore[attr-defined]
        raise first
    ex.event(frame, "MapStateSucceeded", None, side=True)
    values = [result.errors[i].as_output() if i in result.errors else value for i, value in enumerate(result.values)]
    return state.next, finish_with_result(ex, frame, state, raw_input, values, context)


def _iteration(
    ex: Execution,
    frame: Frame,
    state: MapState,
    effective: Any,
    raw_input: Any,
    context: Any,
    index: int,
    item: Any,
    chain: dict[str, int],
    *,
    key: str | None = None,
) -> Callable[[], Generator[Any, Any, Any]]:
    from constructs_sfn.asl.runtime.frame import Frame as FrameType

    def start() -> Generator[Any, Any, Any]:
        record = frame.record
        # AWS links an iteration's first event to the last *state* event of the iteration before
        # (MapIteration* events themselves never move the chain).
        child = FrameType(
            state.processor,  # type: ignore[arg-type]
            parent=frame,
            cursor=chain["last"] if record else frame.cursor,
            record=record,
        )
        names = {"index": index, "name": state.name}
        ex.event(child, "MapIterationStarted", names)
        if ex.observer is not None:
            ex.observer.on_event(ex, TraceEvent(TraceKind.ITERATION_STARTED, state.pointer, state.name, index=index))
        value = select_item(ex, frame, state, effective, raw_input, context, index, item, key)
        try:
            output = yield from ex.run_machine(child, value)
        except StatesError as failure:
            chain["last"] = child.cursor
            failure.map_cursor = child.cursor  # type: ignore[attr-defined]
            ex.event(child, "MapIterationFailed", names, side=True)
            raise
        except GeneratorExit:
            # The scheduler closes an iteration still running when another one fails the Map ("all
            # iterations are terminated"); the history API records it as MapIterationAborted.
            ex.event(child, "MapIterationAborted", names, side=True)
            raise
        chain["last"] = child.cursor
        ex.event(child, "MapIterationSucceeded", names, side=True)
        return output

    return start


def max_concurrency_of(
    ex: Execution, state: MapState, effective: Any, raw_input: Any, context: Any, variables: Any
) -> int:
    """The Map's MaxConcurrency (literal, path or JSONata), validated as AWS does."""
    value = state.max_concurrency
    if state.max_concurrency_path is not None:
        value = _path_number(state.max_concurrency_path, effective, context, variables, "MaxConcurrencyPath")
    elif hasattr(value, "evaluate"):
        value = value.evaluate(
            {"input": raw_input, "context": context},
            variables,
            field="MaxConcurrency",
            rng=ex.rng,
            now_millis=ex.now_millis(),
        )
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value % 1 != 0:
        raise StatesError(
            ErrorName.RUNTIME, f"MaxConcurrency must be a non-negative integer, but was {to_json_text(value)}"
        )
    return int(value)


def tolerance_of(
    ex: Execution, state: MapState, effective: Any, raw_input: Any, context: Any, variables: Any
) -> tuple[int | None, float | None]:
    """The tolerated failure count and percentage (None when not set), validated as AWS does."""
    count = state.tolerated_failure_count
    pct = state.tolerated_failure_percentage
    if state.is_jsonata:
        # Imported here, as the parser does: the JSONata engine loads only for JSONata definitions,
        # not with `import constructs_sfn.asl` (it would double that import's time).
        from constructs_sfn.asl.jsonata.numeric import evaluate_integer, evaluate_number
    states = {"input": raw_input, "context": context}
    if state.tolerated_failure_count_path is not None:
        count = _path_number(
            state.tolerated_failure_count_path, effective, context, variables, "ToleratedFailureCountPath"
        )
    elif hasattr(count, "evaluate"):
        # A JSONata threshold must be a number (an integer for the count): AWS's "unexpected result
        # type" failure otherwise; the range is checked below with AWS's own causes.
        count = evaluate_integer(
            count,
            states,
            variables,
            field="ToleratedFailureCount",
            minimum=None,
            rng=ex.rng,
            now_millis=ex.now_millis(),
        )
    if state.tolerated_failure_percentage_path is not None:
        pct = _path_number(
            state.tolerated_failure_percentage_path,
            effective,
            context,
            variables,
            "ToleratedFailurePercentagePath",
            kind="float",
        )
    elif hasattr(pct, "evaluate"):
        pct = evaluate_number(
            pct, states, variables, field="ToleratedFailurePercentage", rng=ex.rng, now_millis=ex.now_millis()
        )
    if count is not None and count < 0:
        raise StatesError(ErrorName.RUNTIME, "ToleratedFailureCount cannot be negative.")
    if pct is not None and not 0 <= pct <= 100:
        raise StatesError(ErrorName.RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
    return (int(count) if count is not None else None), (float(pct) if pct is not None else None)


def _path_number(path: Any, value: Any, context: Any, variables: Any, field: str, kind: str = "integer") -> Any:
    try:
        found = path.find(value, context, variables)
    except StatesError:
        raise
    except Exception as missing:
        raise StatesError(
            ErrorName.RUNTIME,
            f'The {field} field refers to value "null" which is not a valid {kind}: {path.text}',
        ) from missing
    if isinstance(found, str):
        with contextlib.suppress(ValueError):
            found = int(found) if kind == "integer" else float(found)
    if (
        isinstance(found, bool)
        or not isinstance(found, int | float)
        or (isinstance(found, float) and (kind == "integer" or not math.isfinite(found)))
    ):
        raise StatesError(
            ErrorName.RUNTIME,
            f'The {field} field refers to value "{found if isinstance(found, str) else to_json_text(found)}" '
            f"which is not a valid {kind}: {path.text}",
        )
    return found
