"""The fault matrix: one scenario, run once per Task state and error, with the failure injected there.

For every Task state (those inside Map and Parallel included) and every error name its Retry and
Catch rules name (plus a generic failure, ``States.TaskFailed`` by default), the scenario runs
once with that Task failing on every attempt. Each row says where the execution ended: status,
error, the last state entered, how many retries happened and which Catch rule (if any) routed the
error. A Task without a Catch for the generic failure shows up as a FAILED row.

::

    def make_runner(observer):
        runner = machine.runner(observer=observer)
        runner.bind_lambda(stack.charge_fn, charge)
        return runner

    matrix = fault_matrix(machine.definition, runner_scenario(make_runner, {"orderId": "o-1"}))
    print(matrix.render_text())
    assert matrix.unhandled() == []        # or snapshot matrix.to_json()

The scenario is any callable ``(case, observer) -> result``: it must declare the fault
(``faults.throw(case.state, case.error, case.cause)``) on fresh services, attach ``observer`` to
the executor, run, and return something with ``status``/``error``/``cause`` (a runner's
``ScenarioRun``, an :class:`~constructs_sfn.asl.Execution`, or a ``describe_execution`` dict).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol

from constructs_sfn.asl.model.states import StateMachineDefinition, TaskState
from constructs_sfn.asl.parse import parse_definition
from constructs_sfn.asl.runtime.observer import ExecutionObserver, TraceEvent, TraceKind
from constructs_sfn.testing.coverage_model import walk_states

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime import Execution

__all__ = [
    "DEFAULT_CAUSE",
    "GENERIC_ERRORS",
    "FaultCase",
    "FaultMatrixError",
    "FaultMatrix",
    "FaultRow",
    "FaultScenario",
    "fault_cases",
    "fault_matrix",
    "runner_scenario",
]

GENERIC_ERRORS: tuple[str, ...] = ("States.TaskFailed",)
"""The generic failure injected into every Task besides the errors its rules name."""
DEFAULT_CAUSE = "injected by the fault matrix"
_WILDCARDS = frozenset({"States.ALL"})


class FaultMatrixError(ValueError):
    """Bad input to the fault matrix (a state that is not a Task of the definition...)."""


@dataclass(frozen=True, slots=True)
class FaultCase:
    """One failure to inject: ``state`` fails with ``error``/``cause`` on every attempt."""

    state: str
    state_pointer: str
    error: str
    cause: str


@dataclass(frozen=True, slots=True)
class FaultRow:
    """Where the execution ended with one fault injected."""

    state: str
    state_pointer: str
    error: str
    reached: bool
    """False when the scenario never entered the faulted state (the row proves nothing)."""
    status: str
    end_error: str | None
    """The execution's error (None unless it failed)."""
    last_state: str | None
    """Where the execution ended: for a failure, the state where the error that failed it arose
    (inside a Map or Parallel, the inner state); otherwise the last state entered."""
    retries: int
    """Retries that happened in the execution (Retry rules firing, enclosing Map/Parallel included)."""
    caught_by: str | None
    """``"<state>: Catch <i> -> <next>"`` for the first Catch rule that routed an error, else None."""

    @property
    def handled(self) -> bool:
        """The injected failure did not fail the execution."""
        return self.reached and self.status == "SUCCEEDED"


class FaultScenario(Protocol):
    """Runs the scenario once with ``case`` injected, the observer attached; returns the result."""

    def __call__(self, case: FaultCase, observer: ExecutionObserver) -> Any:
        """See the module docstring."""
        ...


@dataclass(frozen=True, slots=True)
class FaultMatrix:
    """The rows of a fault matrix, in definition order; render as text or JSON-able data."""

    rows: tuple[FaultRow, ...]

    def unhandled(self) -> list[FaultRow]:
        """Rows whose fault was reached and failed the execution."""
        return [row for row in self.rows if row.reached and row.status != "SUCCEEDED"]

    def unreached(self) -> list[FaultRow]:
        """Rows whose Task the scenario never entered."""
        return [row for row in self.rows if not row.reached]

    def to_json(self) -> list[dict[str, Any]]:
        """One dict per row (the dataclass fields), for snapshots."""
        return [asdict(row) for row in self.rows]

    def render_text(self) -> str:
        """A fixed-width table, one line per row."""
        headers = ("State", "Error", "Status", "Ended with", "Last state", "Retries", "Caught by")
        table: list[tuple[str, ...]] = [headers]
        table.extend(
            (
                row.state,
                row.error,
                row.status if row.reached else "(not reached)",
                row.end_error or "-",
                row.last_state or "-",
                str(row.retries),
                row.caught_by or ("-" if row.status == "SUCCEEDED" else "- (no Catch routed it)"),
            )
            for row in self.rows
        )
        widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in table
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines) + "\n"


def fault_cases(
    definition: StateMachineDefinition | Mapping[str, Any] | str,
    *,
    states: Iterable[str] | None = None,
    errors: Mapping[str, Sequence[str]] | None = None,
    generic_errors: Sequence[str] = GENERIC_ERRORS,
    cause: str = DEFAULT_CAUSE,
) -> list[FaultCase]:
    """The cases of the matrix: per Task state, each error its Retry/Catch rules name, then
    ``generic_errors``. ``states``: only these Task states (default: every Task). ``errors``:
    state -> error names to inject instead of the ones the rules name (default: - from the rules).
    """
    parsed = definition if isinstance(definition, StateMachineDefinition) else parse_definition(definition)
    tasks = [state for state in walk_states(parsed) if isinstance(state, TaskState)]
    wanted = None if states is None else set(states)
    if wanted is not None:
        unknown = wanted - {task.name for task in tasks}
        if unknown:
            known = ", ".join(repr(task.name) for task in tasks) or "none"
            raise FaultMatrixError(
                f"fault_cases: {sorted(unknown)} are not Task states of the definition; Tasks: {known}"
            )
    cases: list[FaultCase] = []
    for task in tasks:
        if wanted is not None and task.name not in wanted:
            continue
        names: list[str]
        if errors is not None and task.name in errors:
            names = list(dict.fromkeys(errors[task.name]))
        else:
            named = [name for retrier in task.retry for name in retrier.error_equals]
            named += [name for catcher in task.catch for name in catcher.error_equals]
            names = [name for name in dict.fromkeys([*named, *generic_errors]) if name not in _WILDCARDS]
        cases.extend(FaultCase(task.name, task.pointer, name, cause) for name in names)
    return cases


def fault_matrix(
    definition: StateMachineDefinition | Mapping[str, Any] | str,
    scenario: FaultScenario | Callable[[FaultCase, ExecutionObserver], Any],
    *,
    states: Iterable[str] | None = None,
    errors: Mapping[str, Sequence[str]] | None = None,
    generic_errors: Sequence[str] = GENERIC_ERRORS,
    cause: str = DEFAULT_CAUSE,
) -> FaultMatrix:
    """Run ``scenario`` once per case of :func:`fault_cases` and collect the rows."""
    rows = []
    for case in fault_cases(definition, states=states, errors=errors, generic_errors=generic_errors, cause=cause):
        trace = _RowTrace()
        result = scenario(case, trace)
        rows.append(trace.row(case, result))
    return FaultMatrix(tuple(rows))


class _Runner(Protocol):
    @property
    def services(self) -> Any: ...

    def run(self, input: Any = None, *, name: str | None = None) -> Any: ...


def runner_scenario(
    make_runner: Callable[[ExecutionObserver], _Runner], input: Any = None, *, name: str = "fault-matrix"
) -> Callable[[FaultCase, ExecutionObserver], Any]:
    """A scenario over the test toolkit's runner: ``make_runner(observer)`` builds a fresh runner
    (bindings included) with the observer attached; the fault goes to ``runner.services.faults``."""

    def scenario(case: FaultCase, observer: ExecutionObserver) -> Any:
        runner = make_runner(observer)
        runner.services.faults.throw(case.state, case.error, case.cause)
        return runner.run(input, name=name)

    return scenario


class _RowTrace:
    """Observes the first execution started (the scenario's own; nested children are ignored)."""

    def __init__(self) -> None:
        self.root: int | None = None
        self.entered: list[str] = []
        self.pointers: set[str] = set()
        self.retries = 0
        self.caught_by: str | None = None
        self.status: str | None = None
        self.error: str | None = None
        self.failed_in: tuple[str, str] | None = None
        """(pointer, name) of the state where the failure still unhandled arose."""

    def on_event(self, execution: Execution, event: TraceEvent) -> None:
        if self.root is None:
            self.root = id(execution)
        if id(execution) != self.root:
            return
        kind = event.kind
        if kind is TraceKind.STATE_FAILED and event.state is not None:
            # A failure propagating outwards fails each enclosing state in turn: keep its origin,
            # until an enclosing state catches it or ends well anyway (tolerated Map failures).
            if self.failed_in is None:
                self.failed_in = (event.pointer, event.state)
        elif kind in (TraceKind.CATCH, TraceKind.STATE_LEFT) and self.failed_in is not None:
            origin = self.failed_in[0]
            if origin == event.pointer or origin.startswith(event.pointer + "/"):
                self.failed_in = None
        if kind is TraceKind.STATE_ENTERED and event.state is not None:
            self.entered.append(event.state)
            self.pointers.add(event.pointer)
        elif kind is TraceKind.RETRY:
            self.retries += 1
        elif kind is TraceKind.CATCH and self.caught_by is None:
            self.caught_by = f"{event.state}: Catch {event.index} -> {event.next}"
        elif kind is TraceKind.EXECUTION_ENDED:
            self.status, self.error = event.detail, event.error

    def _last_state(self, status: str | None) -> str | None:
        if status == "FAILED" and self.failed_in is not None:
            return self.failed_in[1]
        return self.entered[-1] if self.entered else None

    def row(self, case: FaultCase, result: Any) -> FaultRow:
        status, error = _status_of(result)
        return FaultRow(
            state=case.state,
            state_pointer=case.state_pointer,
            error=case.error,
            reached=case.state_pointer in self.pointers,
            status=status or self.status or "UNKNOWN",
            end_error=error if status is not None else self.error,
            last_state=self._last_state(status or self.status),
            retries=self.retries,
            caught_by=self.caught_by,
        )


def _status_of(result: Any) -> tuple[str | None, str | None]:
    if isinstance(result, Mapping):
        return result.get("status"), result.get("error")
    status = getattr(result, "status", None)
    return (status if isinstance(status, str) else None), getattr(result, "error", None)
