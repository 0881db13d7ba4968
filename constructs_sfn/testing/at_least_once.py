"""At-least-once delivery: does the workflow survive a Task performed twice with the same input?

EXPRESS workflows run at least once, and a retried compensation may repeat work that had already
happened. :func:`check_at_least_once` runs a scenario normally, then with every Task delivered
twice (:class:`DuplicateDelivery` invokes the inner service twice per request and returns the
second outcome), then once per Task with only that Task duplicated, and compares the outcome
(status, output, error) and the side effects the handlers recorded. The Tasks whose duplicate
delivery changes anything are named as not idempotent.

::

    ledger = FakeLedger()

    def make_runner(wrap):
        ledger.clear()
        runner = machine.runner(wrap=wrap)
        runner.bind_lambda(stack.charge_fn, ledger.charge)
        return runner

    report = check_at_least_once(runner_scenario(make_runner, {"orderId": "o-1"}), side_effects=ledger.snapshot)
    assert report.non_idempotent_tasks == [], report.render_text()

The scenario is any callable ``(wrap) -> result``: it builds fresh services (and resets the side
effect recorder), wraps them with ``wrap`` when it is not None, runs, and returns something with
``status``/``output``/``error`` (a runner's ``ScenarioRun``, an :class:`~constructs_sfn.asl.Execution`,
or a ``describe_execution`` dict). ``side_effects()`` is called after each run.

Fault injection declared on the wrapped services sees the duplicate as an invocation of its own
(``on_invocations`` counts it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from constructs_sfn.asl.services import TaskOutcome, TaskRequest, TaskService

__all__ = [
    "AtLeastOnceError",
    "AtLeastOnceReport",
    "DeliveryOutcome",
    "DuplicateDelivery",
    "ServiceWrapper",
    "TaskVerdict",
    "check_at_least_once",
    "runner_scenario",
]

ServiceWrapper = Callable[[TaskService], TaskService]
"""What a scenario applies around its task services (the runner's ``wrap=``)."""


class AtLeastOnceError(ValueError):
    """Misuse of the at-least-once helpers (a scenario that ignores ``wrap``, ``copies`` < 1...)."""


class DuplicateDelivery:
    """A :class:`~constructs_sfn.asl.services.TaskService` delivering each request ``copies`` times.

    Only requests of ``states`` are duplicated (default: every Task state); the outcome of the
    last delivery is returned. :attr:`deliveries` counts the extra deliveries per state.
    """

    def __init__(self, inner: TaskService, *, states: Iterable[str] | None = None, copies: int = 2) -> None:
        """``copies``: deliveries per request, at least 1 (1 is a plain pass-through). Default: 2."""
        if copies < 1:
            raise AtLeastOnceError(f"DuplicateDelivery: copies must be at least 1, got {copies}")
        self.inner = inner
        self.states = None if states is None else frozenset(states)
        self.copies = copies
        self.deliveries: Counter[str] = Counter()
        """State name -> deliveries beyond the first."""
        self.invoked: list[str] = []
        """State names in the order their requests arrived (one entry per request)."""

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Deliver ``request`` to the inner service (twice for a duplicated state)."""
        self.invoked.append(request.state_name)
        if self.states is not None and request.state_name not in self.states:
            return self.inner.invoke(request)
        outcome = self.inner.invoke(request)
        for _ in range(self.copies - 1):
            self.deliveries[request.state_name] += 1
            outcome = self.inner.invoke(request)
        return outcome

    @classmethod
    def wrapper(
        cls, states: Iterable[str] | None = None, *, copies: int = 2
    ) -> Callable[[TaskService], DuplicateDelivery]:
        """A ``wrap=`` function building a :class:`DuplicateDelivery` around the given service."""
        chosen = None if states is None else tuple(states)

        def wrap(inner: TaskService) -> DuplicateDelivery:
            return cls(inner, states=chosen, copies=copies)

        return wrap


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What one run ended with, and the side effects recorded during it."""

    status: str | None
    output: Any
    error: str | None
    side_effects: Any = None

    def differences(self, baseline: DeliveryOutcome) -> list[str]:
        """Readable differences from ``baseline`` (empty when both agree)."""
        found = []
        for name in ("status", "output", "error", "side_effects"):
            mine, theirs = _canonical(getattr(self, name)), _canonical(getattr(baseline, name))
            if mine != theirs:
                found.append(f"{name.replace('_', ' ')}: {theirs} -> {mine}")
        return found

    def to_json(self) -> dict[str, Any]:
        """The fields as JSON-able data."""
        return {"status": self.status, "output": self.output, "error": self.error, "side_effects": self.side_effects}


@dataclass(frozen=True, slots=True)
class TaskVerdict:
    """The run with one Task delivered twice."""

    state: str
    outcome: DeliveryOutcome
    differences: tuple[str, ...]
    duplicated: int
    """Duplicate deliveries that actually happened (0: the scenario never reached the Task)."""

    @property
    def idempotent(self) -> bool:
        """Delivering the Task twice changed nothing."""
        return not self.differences

    def to_json(self) -> dict[str, Any]:
        """The verdict as JSON-able data."""
        return {
            "state": self.state,
            "idempotent": self.idempotent,
            "duplicated": self.duplicated,
            "differences": list(self.differences),
            "outcome": self.outcome.to_json(),
        }


@dataclass(frozen=True, slots=True)
class AtLeastOnceReport:
    """The baseline, the all-duplicated run and one verdict per Task."""

    baseline: DeliveryOutcome
    all_duplicated: DeliveryOutcome
    all_differences: tuple[str, ...]
    tasks: tuple[TaskVerdict, ...] = field(default=())

    @property
    def idempotent(self) -> bool:
        """Duplicating every Task, and each Task alone, changed nothing."""
        return not self.all_differences and all(verdict.idempotent for verdict in self.tasks)

    @property
    def non_idempotent_tasks(self) -> list[str]:
        """Names of the Tasks whose duplicate delivery alone changes the outcome or side effects."""
        return [verdict.state for verdict in self.tasks if not verdict.idempotent]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-able data (for snapshots)."""
        return {
            "idempotent": self.idempotent,
            "baseline": self.baseline.to_json(),
            "all_duplicated": {"differences": list(self.all_differences), "outcome": self.all_duplicated.to_json()},
            "tasks": [verdict.to_json() for verdict in self.tasks],
        }

    def render_text(self) -> str:
        """A readable summary: the verdict, then what changed for each Task."""
        lines = [
            f"At-least-once delivery: {'idempotent' if self.idempotent else 'NOT idempotent'}",
            f"  baseline: {self.baseline.status}" + (f" ({self.baseline.error})" if self.baseline.error else ""),
            "  every Task twice: " + ("same" if not self.all_differences else "; ".join(self.all_differences)),
        ]
        for verdict in self.tasks:
            if verdict.duplicated == 0:
                state = "not reached"
            elif verdict.idempotent:
                state = "same"
            else:
                state = "; ".join(verdict.differences)
            lines.append(f"  {verdict.state} twice: {state}")
        return "\n".join(lines) + "\n"


class _Scenario(Protocol):
    def __call__(self, wrap: ServiceWrapper | None) -> Any: ...


def check_at_least_once(
    scenario: _Scenario | Callable[[ServiceWrapper | None], Any],
    *,
    side_effects: Callable[[], Any] | None = None,
    tasks: Iterable[str] | None = None,
    per_task: bool = True,
) -> AtLeastOnceReport:
    """Run ``scenario`` normally, with every Task (or ``tasks``) twice, then each Task alone twice.

    ``side_effects``: returns a JSON-able snapshot of what the handlers recorded, called after
    each run. Default: - only the outcome is compared. ``tasks``: the Task states to duplicate.
    Default: - every Task state the baseline run invoked, in the order first invoked.
    ``per_task``: also run once per Task to name the non-idempotent ones. Default: True.
    """
    recorded: list[DuplicateDelivery] = []

    def observing(states: Iterable[str] | None, copies: int) -> ServiceWrapper:
        def wrap(inner: TaskService) -> TaskService:
            wrapper = DuplicateDelivery(inner, states=states, copies=copies)
            recorded.append(wrapper)
            return wrapper

        return wrap

    def run(states: Iterable[str] | None, copies: int) -> tuple[DeliveryOutcome, DuplicateDelivery | None]:
        recorded.clear()
        result = scenario(observing(states, copies))
        outcome = _outcome_of(result, side_effects() if side_effects is not None else None)
        return outcome, (recorded[0] if recorded else None)

    baseline, watcher = run(None, 1)
    if watcher is None:
        raise AtLeastOnceError("check_at_least_once: the scenario never applied the wrap it was given to its services")
    chosen = list(dict.fromkeys(watcher.invoked)) if tasks is None else list(dict.fromkeys(tasks))
    everything, _ = run(chosen, 2)
    verdicts = []
    if per_task:
        for state in chosen:
            outcome, wrapper = run([state], 2)
            duplicated = wrapper.deliveries[state] if wrapper is not None else 0
            verdicts.append(TaskVerdict(state, outcome, tuple(outcome.differences(baseline)), duplicated))
    return AtLeastOnceReport(baseline, everything, tuple(everything.differences(baseline)), tuple(verdicts))


class _Runner(Protocol):
    def run(self, input: Any = None, *, name: str | None = None) -> Any: ...


def runner_scenario(
    make_runner: Callable[[ServiceWrapper | None], _Runner], input: Any = None, *, name: str = "at-least-once"
) -> Callable[[ServiceWrapper | None], Any]:
    """A scenario over the test toolkit's runner: ``make_runner(wrap)`` builds a fresh runner with
    ``wrap`` applied (``machine.runner(wrap=wrap)``) and its bindings, and resets side effects."""

    def scenario(wrap: ServiceWrapper | None) -> Any:
        return make_runner(wrap).run(input, name=name)

    return scenario


def _outcome_of(result: Any, side_effects: Any) -> DeliveryOutcome:
    if isinstance(result, Mapping):
        output = result.get("output")
        if isinstance(output, str):
            output = json.loads(output)
        return DeliveryOutcome(result.get("status"), output, result.get("error"), side_effects)
    return DeliveryOutcome(
        getattr(result, "status", None), getattr(result, "output", None), getattr(result, "error", None), side_effects
    )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
