"""Child executions of a Distributed Map: one per item or batch, each a separate :class:`Execution`.

"Each child workflow execution has its own execution history, separate from the parent's", its
own ARN (``...:execution:<machine>/<label>:<name>``, ``...:express:...`` for EXPRESS children), its
own context object (``$$.Execution.Id`` is the child's), and its own payload limit. The child runs
on its own clock, started at the instant the Map Run's schedule gives it (see
:mod:`constructs_sfn.asl.runtime.map_run_flow`), so virtual time spent in a child (a Wait) is the
child's and concurrency decides how much of it the parent waits for.

Developer guide: https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.jsonpath.jsontext import to_json_text
from constructs_sfn.asl.runtime.clock import VirtualClock
from constructs_sfn.asl.runtime.context import ExecutionContextInfo
from constructs_sfn.asl.runtime.execution import Execution
from constructs_sfn.asl.runtime.trace import TraceEvent, TraceKind
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

if TYPE_CHECKING:
    from constructs_sfn.asl.model.states import MapState, StateMachineDefinition
    from constructs_sfn.asl.runtime.frame import Frame
    from constructs_sfn.asl.runtime.map_run import MapRun

__all__ = [
    "MAX_CHILD_INPUT_BYTES",
    "ChildOutcome",
    "output_text_of",
    "redrive_child",
    "run_child",
    "select_item",
]

MAX_CHILD_INPUT_BYTES = 256 * 1024
"""A child execution's input is a payload like any other: at most 256 KiB."""


@dataclass(frozen=True, slots=True)
class ChildOutcome:
    """How one child execution ended (what the ResultWriter and the counters need)."""

    arn: str
    name: str
    state_machine_arn: str
    status: str
    input_text: str
    output: Any
    output_text: str | None
    error: str | None
    cause: str | None
    start_date: datetime
    stop_date: datetime
    execution_type: str
    execution: Execution | None = None
    """The child itself when it is kept (STANDARD), so that a redrive can continue it."""

    @property
    def succeeded(self) -> bool:
        """True when the child's status is SUCCEEDED."""
        return self.status == "SUCCEEDED"

    def error_output(self) -> dict[str, str]:
        """``{"Error", "Cause"}``: what a failed child contributes to the Map's inline output."""
        out = {"Error": self.error or ErrorName.RUNTIME}
        if self.cause is not None:
            out["Cause"] = self.cause
        return out


def select_item(
    ex: Execution,
    frame: Frame,
    state: MapState,
    effective: Any,
    raw_input: Any,
    context: Any,
    index: int,
    item: Any,
    key: str | None,
) -> Any:
    """The input for item (or batch) ``index``: the ItemSelector's value, else the item itself."""
    if state.item_selector is None:
        return item
    item_context = dict(context)
    item_context["Map"] = {
        "Item": {"Index": index, "Value": item} if key is None else {"Index": index, "Key": key, "Value": item["Value"]}
    }
    if state.is_jsonata:
        return state.item_selector.evaluate(
            {"input": raw_input, "context": item_context},
            frame.variables,
            field="ItemSelector",
            rng=ex.rng,
            now_millis=ex.now_millis(),
        )
    return state.item_selector.evaluate(effective, item_context, frame.variables, ex.rng)


class _ParentObserver:
    """Hands a child's trace events to the parent's observer as the parent's own.

    The processor's states carry their pointers from the parent definition's root
    (``/States/Map/ItemProcessor/States/Step``), so coverage, fault matrices and timelines see a
    child's states where they are, as they did when iterations ran inside the parent. The child's
    own start and end are left out: to an observer they are the Map's iteration, not an execution.
    """

    __slots__ = ("parent",)

    def __init__(self, parent: Execution) -> None:
        self.parent = parent

    def on_event(self, execution: Execution, event: TraceEvent) -> None:
        del execution
        if event.kind not in (TraceKind.EXECUTION_STARTED, TraceKind.EXECUTION_ENDED) and self.parent.observer:
            self.parent.observer.on_event(self.parent, event)


class _ParentServices:
    """The parent's task service, asked on the parent's behalf.

    A child's Task request names the Map's own execution and state machine
    (``execution_arn``/``state_machine_arn``), while its context object (``$$``) stays the
    child's: to the services a Distributed Map's work is the parent's, as for an inline Map, so a
    mock configuration's test cases (keyed by the parent machine's name) apply inside the Map Run
    and invocation numbers (mocked response sequences, handler invocation counts) run across the
    whole Map Run in item order rather than restarting in every child.
    """

    __slots__ = ("execution_arn", "inner", "state_machine_arn")

    def __init__(self, parent: Execution) -> None:
        self.inner = parent.services
        self.execution_arn = parent.info.execution_arn
        self.state_machine_arn = parent.info.state_machine_arn

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        return self.inner.invoke(
            dataclasses.replace(request, execution_arn=self.execution_arn, state_machine_arn=self.state_machine_arn)
        )


def _identity(ex: Execution, run: MapRun) -> tuple[str, str, str]:
    """The child's (name, execution ARN, state machine ARN) as AWS forms them."""
    info = ex.info
    # Seeded like everything else in an execution, and unique across Map Runs (the run's ARN is).
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{run.arn}#{ex.rng.getrandbits(128)}"))
    base = f"arn:{info.partition}:states:{info.region}:{info.account_id}"
    machine = f"{info.state_machine_name}/{run.label}"
    if run.execution_type == "EXPRESS":
        arn = f"{base}:express:{machine}:{name}:{uuid.UUID(int=ex.rng.getrandbits(128), version=4)}"
    else:
        arn = f"{base}:execution:{machine}:{name}"
    return name, arn, run.state_machine_arn


def run_child(ex: Execution, state: MapState, run: MapRun, value: Any, start_at: datetime) -> ChildOutcome:
    """Run one child execution to its end, starting at ``start_at`` on its own clock."""
    name, arn, machine_arn = _identity(ex, run)
    info = ExecutionContextInfo(
        execution_arn=arn,
        execution_name=name,
        state_machine_arn=machine_arn,
        state_machine_name=machine_arn.split(":stateMachine:", 1)[-1],
        role_arn=ex.info.role_arn,
        start_time=start_at,
        region=ex.info.region,
        account_id=ex.info.account_id,
        partition=ex.info.partition,
        test_case=ex.info.test_case,
        state_machine_type=run.execution_type,
    )
    processor: StateMachineDefinition = state.processor  # type: ignore[assignment]
    keep_history = run.execution_type == "STANDARD" and ex.history.enabled
    child = Execution(
        processor,
        value,
        info=info,
        services=_ParentServices(ex),
        clock=VirtualClock(start_at) if isinstance(ex.clock, VirtualClock) else ex.clock,
        rng_seed=ex.rng.getrandbits(64),
        record_history=keep_history,
        host=ex.host,
        observer=_ParentObserver(ex) if ex.observer is not None else None,
    )
    if len(child.input_text) > MAX_CHILD_INPUT_BYTES // 4 and len(child.input_text.encode()) > MAX_CHILD_INPUT_BYTES:
        return ChildOutcome(
            arn,
            name,
            machine_arn,
            "FAILED",
            child.input_text,
            None,
            None,
            ErrorName.DATA_LIMIT_EXCEEDED,
            f"The child execution input of {len(child.input_text.encode())} bytes exceeds the maximum number "
            f"of bytes service limit ({MAX_CHILD_INPUT_BYTES}).",
            start_at,
            start_at,
            run.execution_type,
        )
    child.run()
    _stop_if_paused(child)
    if keep_history:
        run.children.append(child)
    return _outcome(child, run, start_at, kept=keep_history)


def redrive_child(child: Execution, run: MapRun, start_at: datetime) -> ChildOutcome:
    """Continue an unsuccessful STANDARD child from where it stopped (a redriven Map Run).

    "A redriven parent workflow redrives all the unsuccessful states, including Distributed Map",
    whose unsuccessful child executions are redriven in turn:
    https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
    """
    if isinstance(child.clock, VirtualClock) and child.clock.now() < start_at:
        child.clock.advance_to(start_at)
    child.redrive()
    _stop_if_paused(child)
    return _outcome(child, run, start_at, kept=True)


def _stop_if_paused(child: Execution) -> None:
    if child.status == "RUNNING":
        # A child paused on a task token or an activity would need the client to route the
        # callback into it; the local Map Run does not do that yet, so it stops the child loudly.
        child.stop(
            ErrorName.RUNTIME,
            "The local executor cannot pause a Distributed Map child execution for a callback "
            "(.waitForTaskToken or an activity); mock that state instead.",
        )


def _outcome(child: Execution, run: MapRun, start_at: datetime, *, kept: bool) -> ChildOutcome:
    return ChildOutcome(
        child.info.execution_arn,
        child.info.execution_name,
        child.info.state_machine_arn,
        child.status,
        child.input_text,
        child.output,
        child.output_text,
        child.error,
        child.cause,
        child.start_date,
        child.stop_date or start_at,
        run.execution_type,
        child if kept else None,
    )


def output_text_of(outcome: ChildOutcome) -> str:
    """The child's output as JSON text (``null`` when it has none)."""
    return outcome.output_text if outcome.output_text is not None else to_json_text(outcome.output)
