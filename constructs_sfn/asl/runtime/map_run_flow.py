"""A Distributed Map's run: items stream from the reader through the batcher to child executions
and on to the ResultWriter (or to the inline output), with AWS's tolerance and Map Run events.

Memory is bounded by the batch size and one upload part per result file when a ResultWriter is
set: no list of all items or of all results is built (without a writer the results are the
Map's output, so they are held, under the payload limit as on AWS).

Children run one after another on this machine; virtual time follows a schedule of
``MaxConcurrency`` workers: a child starts when a worker is free (all at once when the
concurrency is unlimited) and the parent waits until the last child's end. Failures are counted
per *item* (a failed batch counts all its items), as AWS counts them against
``ToleratedFailureCount`` / ``ToleratedFailurePercentage``; with a percentage and items streamed
from a reader, the total is known only at the end, so the percentage is judged then.

Developer guide: https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
and https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.runtime.clock import VirtualClock
from constructs_sfn.asl.runtime.finish import finish_with_result
from constructs_sfn.asl.runtime.item_reader import Batch, evaluate_map_field, iter_batches, open_items
from constructs_sfn.asl.runtime.map_run import MapRun, map_runs_of
from constructs_sfn.asl.runtime.map_run_children import ChildOutcome, redrive_child, run_child, select_item
from constructs_sfn.asl.runtime.map_run_writer import ResultWriter, transformed_values, writer_config
from constructs_sfn.asl.runtime.scheduler import Sleep
from constructs_sfn.asl.runtime.trace import TraceEvent, TraceKind

if TYPE_CHECKING:
    from constructs_sfn.asl.model.states import MapState
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import Frame, StateGen

__all__ = ["run_map_run"]


class _Tolerance:
    """When a Map Run has failed: AWS's thresholds, counted in items."""

    def __init__(self, count: int | None, percentage: float | None, total: int | None) -> None:
        self.count = count
        self.percentage = percentage
        self.total = total
        """The number of items, once known (at once for an array input, at the end for a reader)."""

    @property
    def set(self) -> bool:
        return self.count is not None or self.percentage is not None

    def exceeded(self, failed_items: int) -> bool:
        if not self.set:
            return failed_items > 0
        if self.count is not None and failed_items > self.count:
            return True
        return (
            self.percentage is not None
            and self.total is not None
            and self.total > 0
            and failed_items * 100.0 / self.total > self.percentage
        )


def _map_run_arn(ex: Execution, label: str) -> str:
    info = ex.info
    # Reproducible for one execution (the execution's seeded generator), yet distinct across
    # executions that share a seed: the id also names the ResultWriter's folder in S3.
    drawn = ex.rng.getrandbits(128)
    run_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{info.execution_arn}#{drawn}")
    return (
        f"arn:{info.partition}:states:{info.region}:{info.account_id}:mapRun:{info.state_machine_name}/{label}:{run_id}"
    )


def _failed(ex: Execution, frame: Frame, run: MapRun, error: StatesError) -> StatesError:
    details = {k: v for k, v in (("error", error.error), ("cause", error.cause)) if v is not None}
    ex.event(frame, "MapRunFailed", details)
    run.finish("FAILED", ex.clock.now())
    error.branch_failure = True  # type: ignore[attr-defined]
    return error


def run_map_run(
    ex: Execution,
    frame: Frame,
    state: MapState,
    raw_input: Any,
    effective: Any,
    context: Any,
    items: list[Any] | None,
    item_keys: list[str] | None,
    max_concurrency: int,
    tolerance: tuple[int | None, float | None],
) -> StateGen:
    """Run a Distributed Map's Map Run; ``items`` is None when an ItemReader supplies them.

    When the parent execution has been redriven since this state's Map Run failed (or was
    stopped), that Map Run is redriven instead of a new one started: items whose child succeeded
    are skipped, unsuccessful STANDARD children continue where they stopped, EXPRESS ones run
    again, and items never started run for the first time
    (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html).
    """
    run = _redrivable(ex, state)
    if run is not None:
        run.redrive_count += 1
        run.redrive_date = ex.clock.now()
        run.status, run.stop_date = "RUNNING", None
        ex.event(frame, "MapRunRedriven", {"mapRunArn": run.arn, "redriveCount": run.redrive_count})
    else:
        run = _new_run(ex, state, max_concurrency, tolerance)
        map_runs_of(ex).append(run)
        ex.event(frame, "MapRunStarted", {"mapRunArn": run.arn})
    source: Iterable[Any]
    if items is None:
        try:
            source = open_items(ex, frame, state, raw_input, effective, context)
        except StatesError as failure:
            raise _failed(ex, frame, run, failure) from None
    else:
        source = items
        run.items_expected = len(items)
    units: Iterator[Batch]
    batched = state.item_batcher is not None
    if batched:
        # States Language, "Batching Items": the ItemBatcher batches the *selected* items, so the
        # ItemSelector is applied to each item (with its own $$.Map.Item) before batching.
        selected = _selected(ex, frame, state, effective, raw_input, context, source, item_keys)
        units = iter_batches(ex, frame, state, selected, raw_input, effective, context)
    else:
        units = (Batch(item, 1) for item in source)
    try:
        writer = _open_writer(ex, state, raw_input, effective, context, frame, run)
    except StatesError as failure:
        raise _failed(ex, frame, run, failure) from None
    limits = _Tolerance(*tolerance, total=len(items) if items is not None else None)
    if writer is None and run.results is None:
        run.results = []
    # An observer may follow the run's counters (a command-line progress display): it is called
    # after every child with the MapRun, whose ``items`` counts are live.
    progress = getattr(ex.observer, "on_map_run_progress", None)
    first_error: StatesError | None = None
    failed_items = 0
    base = ex.clock.now()
    latest = base
    free: list[datetime] = []
    earlier = run.units_started
    total_items = 0
    index = -1
    while True:
        try:
            unit = next(units, None)
        except StatesError as failure:
            if getattr(failure, "selector_failure", False):
                raise  # the ItemSelector's own failure, as without batches
            raise _failed(ex, frame, run, failure) from None
        if unit is None:
            limits.total = run.items_expected = total_items
            break
        index += 1
        total_items += unit.item_count
        previous = run.failed_units.pop(index, None) if index < earlier else None
        if index < earlier and previous is None:
            continue  # its child succeeded in an earlier attempt
        start_at = heapq.heappop(free) if max_concurrency and len(free) >= max_concurrency else base
        if ex.observer is not None:
            ex.observer.on_event(ex, TraceEvent(TraceKind.ITERATION_STARTED, state.pointer, state.name, index=index))
        if previous is None:
            run.items.started(unit.item_count)
            run.executions.started(1)
            run.units_started = index + 1
        else:
            run.items.restarted(previous[0], unit.item_count)
            run.executions.restarted(previous[0], 1)
        if previous is not None and previous[1] is not None:
            outcome = redrive_child(previous[1], run, start_at)
        else:
            value = unit.value if batched else select_item(
                ex, frame, state, effective, raw_input, context, index, unit.value,
                None if item_keys is None else item_keys[index],
            )  # fmt: skip
            outcome = run_child(ex, state, run, value, start_at)
        if max_concurrency:
            heapq.heappush(free, outcome.stop_date)
        latest = max(latest, outcome.stop_date)
        run.items.ended(outcome.status, unit.item_count)
        run.executions.ended(outcome.status, 1)
        _collect(writer, run, index, outcome, state)
        if writer is not None:
            run.items.values["resultsWritten"] += unit.item_count
            run.executions.values["resultsWritten"] += 1
        if progress is not None:
            progress(ex, run)
        if not outcome.succeeded:
            run.failed_units[index] = (outcome.status, outcome.execution)
            failed_items += unit.item_count
            if first_error is None:
                first_error = StatesError(outcome.error or ErrorName.RUNTIME, outcome.cause)
            if limits.exceeded(failed_items):
                break
    if isinstance(ex.clock, VirtualClock) and latest > base:
        yield Sleep((latest - base).total_seconds())
    details: dict[str, str] | None = None
    if writer is not None:
        try:
            details = writer.close()
        except StatesError as failure:
            raise _failed(ex, frame, run, failure) from None
    if first_error is not None and limits.exceeded(failed_items):
        error = (
            StatesError(
                ErrorName.EXCEED_TOLERATED_FAILURE_THRESHOLD, "The specified tolerated failure threshold was exceeded"
            )
            if limits.set
            else first_error
        )
        raise _failed(ex, frame, run, error)
    ex.event(frame, "MapRunSucceeded", None, side=True)
    run.finish("SUCCEEDED", ex.clock.now())
    ex.event(frame, "MapStateSucceeded", None, side=True)
    output: Any = (
        {"MapRunArn": run.arn, "ResultWriterDetails": details}
        if details is not None
        else [value for contributed in run.results or () for value in contributed]
    )
    return state.next, finish_with_result(ex, frame, state, raw_input, output, context)


def _selected(
    ex: Execution,
    frame: Frame,
    state: MapState,
    effective: Any,
    raw_input: Any,
    context: Any,
    source: Iterable[Any],
    item_keys: list[str] | None,
) -> Iterator[Any]:
    for index, item in enumerate(source):
        try:
            yield select_item(
                ex, frame, state, effective, raw_input, context, index, item,
                None if item_keys is None else item_keys[index],
            )  # fmt: skip
        except StatesError as failure:
            failure.selector_failure = True  # type: ignore[attr-defined]
            raise


def _new_run(
    ex: Execution, state: MapState, max_concurrency: int, tolerance: tuple[int | None, float | None]
) -> MapRun:
    label = state.label or state.name
    info = ex.info
    return MapRun(
        arn=_map_run_arn(ex, label),
        execution_arn=info.execution_arn,
        state_machine_arn=f"arn:{info.partition}:states:{info.region}:{info.account_id}:stateMachine:"
        f"{info.state_machine_name}/{label}",
        label=label,
        execution_type=state.execution_type or "STANDARD",
        start_date=ex.clock.now(),
        max_concurrency=max_concurrency,
        tolerated_failure_count=tolerance[0] or 0,
        tolerated_failure_percentage=tolerance[1] or 0.0,
        parent=ex,
        pointer=state.pointer,
    )


def _redrivable(ex: Execution, state: MapState) -> MapRun | None:
    """This state's unsuccessful Map Run, when the parent has been redriven since it ended."""
    redrives = ex.info.redrive_count
    if not redrives:
        return None
    for run in reversed(map_runs_of(ex)):
        if run.pointer == state.pointer:
            unsuccessful = run.effective_status() in ("FAILED", "ABORTED")
            return run if unsuccessful and run.redrive_count < redrives else None
    return None


def _open_writer(
    ex: Execution, state: MapState, raw_input: Any, effective: Any, context: Any, frame: Frame, run: MapRun
) -> ResultWriter | None:
    writer = state.result_writer
    if not writer or "Resource" not in writer:
        return None
    key = "ResultWriter/Arguments" if state.is_jsonata else "ResultWriter/Parameters"
    parameters = evaluate_map_field(ex, frame, state, key, raw_input, effective, context)
    return ResultWriter(ex, state, context, run, parameters)


def _collect(writer: ResultWriter | None, run: MapRun, index: int, outcome: ChildOutcome, state: MapState) -> None:
    if writer is not None:
        writer.add(outcome)
        return
    assert run.results is not None
    transformation, _output_type = writer_config(state)
    if transformation is None or transformation == "COMPACT":
        # Without a ResultWriter a failed child contributes its error output, as an inline Map does.
        contributed = [outcome.output if outcome.succeeded else outcome.error_output()]
    else:
        contributed = transformed_values(outcome, transformation)
    if index < len(run.results):
        run.results[index] = contributed
    else:
        run.results.append(contributed)
