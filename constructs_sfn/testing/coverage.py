"""Workflow coverage: which states and transitions of a state machine its tests never exercised.

::

    recorder = CoverageRecorder()
    runner = machine.runner(observer=recorder.observer_for("Stack/Orders", machine.definition))
    runner.run({...}); runner.run({...})                # any number of scenarios
    report = recorder.report()
    print(report.render_text())
    report.write_json("sfn-coverage.json"); report.write_html("sfn-coverage.html")
    assert report.percent >= 80

The recorder is an observer factory for the executor (:mod:`constructs_sfn.asl.runtime.observer`):
every trace event is mapped to the :class:`~constructs_sfn.testing.coverage_model.CoverageItem`
it covers, and hits are counted per state machine *key* (a name the caller chooses, typically the
construct path). What can be covered is enumerated statically from the definition, so the report
also lists what was never taken: Choice rules and Defaults, Retry and Catch rules (error paths),
Parallel branches, Map item processors, ``Next`` transitions and endings.

JSON schema (``report.to_json()``, stable; ``version`` changes only for incompatible changes)::

    {"schema": "constructs-sfn/workflow-coverage", "version": 1,
     "totals": {"states": COUNTS, "transitions": COUNTS, "percent": float},
     "state_machines": [
       {"key": str, "executions": int, "states": COUNTS, "transitions": COUNTS, "percent": float,
        "items": [{"id": str, "kind": str, "state": str, "state_pointer": str, "location": str,
                   "label": str, "target": str | null, "hits": int}],
        "missed": [item id, ...]}]}
    COUNTS = {"covered": int, "total": int, "percent": float}

Percentages are 0-100 with one decimal kept as a float; a machine with nothing to cover is 100.
``percent`` counts states and transitions together (what ``--sfn-cov-fail-under`` compares).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.model.states import StateMachineDefinition
from constructs_sfn.asl.runtime.observer import TraceEvent, TraceKind
from constructs_sfn.testing.coverage_model import CoverageItem, CoverageModel, ItemKind, coverage_model

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime import Execution

__all__ = [
    "JSON_SCHEMA",
    "JSON_SCHEMA_VERSION",
    "CoverageCounts",
    "CoverageError",
    "CoverageObserver",
    "CoverageRecorder",
    "CoverageReport",
    "MachineCoverage",
]

JSON_SCHEMA = "constructs-sfn/workflow-coverage"
JSON_SCHEMA_VERSION = 1

DefinitionSource = StateMachineDefinition | Mapping[str, Any] | str


class CoverageError(ValueError):
    """Misuse of the coverage API (an unknown key, a key registered with two definitions...)."""


@dataclass(frozen=True, slots=True)
class CoverageCounts:
    """Covered out of total, and the percentage (100.0 when there is nothing to cover)."""

    covered: int
    total: int

    @property
    def percent(self) -> float:
        """0-100, rounded to one decimal."""
        return 100.0 if self.total == 0 else round(100.0 * self.covered / self.total, 1)

    def to_json(self) -> dict[str, Any]:
        """``{"covered", "total", "percent"}``."""
        return {"covered": self.covered, "total": self.total, "percent": self.percent}


@dataclass(frozen=True, slots=True)
class MachineCoverage:
    """The coverage of one state machine across every recorded execution."""

    key: str
    items: tuple[CoverageItem, ...]
    hits: Mapping[str, int]
    """item id -> how many times it was taken (absent: never)."""
    executions: int

    def covered(self, item: CoverageItem) -> bool:
        """Whether ``item`` was taken at least once."""
        return self.hits.get(item.id, 0) > 0

    @property
    def states(self) -> CoverageCounts:
        """States entered out of all states (nested ones included)."""
        states = [item for item in self.items if not item.is_transition]
        return CoverageCounts(sum(1 for item in states if self.covered(item)), len(states))

    @property
    def transitions(self) -> CoverageCounts:
        """Transitions taken (Next, Choice rules, Default, Retry, Catch, branches, endings)."""
        transitions = [item for item in self.items if item.is_transition]
        return CoverageCounts(sum(1 for item in transitions if self.covered(item)), len(transitions))

    @property
    def combined(self) -> CoverageCounts:
        """States and transitions together."""
        states, transitions = self.states, self.transitions
        return CoverageCounts(states.covered + transitions.covered, states.total + transitions.total)

    @property
    def percent(self) -> float:
        """States and transitions together, 0-100."""
        return self.combined.percent

    @property
    def missed(self) -> tuple[CoverageItem, ...]:
        """Items never taken, in definition order."""
        return tuple(item for item in self.items if not self.covered(item))

    def to_json(self) -> dict[str, Any]:
        """This machine's entry of the JSON report (see the module docstring)."""
        return {
            "key": self.key,
            "executions": self.executions,
            "states": self.states.to_json(),
            "transitions": self.transitions.to_json(),
            "percent": self.percent,
            "items": [
                {
                    "id": item.id,
                    "kind": item.kind.value,
                    "state": item.state,
                    "state_pointer": item.state_pointer,
                    "location": item.location,
                    "label": item.label,
                    "target": item.target,
                    "hits": self.hits.get(item.id, 0),
                }
                for item in self.items
            ],
            "missed": [item.id for item in self.missed],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MachineCoverage:
        """Read back one entry written by :meth:`to_json` (to merge reports of several sessions)."""
        try:
            items = tuple(
                CoverageItem(
                    ItemKind(entry["kind"]),
                    entry["location"],
                    entry["state"],
                    entry["state_pointer"],
                    entry["label"],
                    entry.get("target"),
                )
                for entry in data["items"]
            )
            hits = {entry["id"]: int(entry["hits"]) for entry in data["items"] if entry["hits"]}
            return cls(str(data["key"]), items, hits, int(data["executions"]))
        except (KeyError, TypeError, ValueError) as bad:
            raise CoverageError(f"not a {JSON_SCHEMA} state machine entry: {bad!r}") from bad


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Coverage of every recorded state machine; render it as text, JSON or HTML."""

    machines: tuple[MachineCoverage, ...]

    def machine(self, key: str) -> MachineCoverage:
        """The entry for ``key``; raises :class:`CoverageError` naming the known keys."""
        for entry in self.machines:
            if entry.key == key:
                return entry
        known = ", ".join(repr(m.key) for m in self.machines) or "none"
        raise CoverageError(f"no coverage recorded for state machine {key!r}; known: {known}")

    @property
    def states(self) -> CoverageCounts:
        """All machines' states."""
        return _sum(m.states for m in self.machines)

    @property
    def transitions(self) -> CoverageCounts:
        """All machines' transitions."""
        return _sum(m.transitions for m in self.machines)

    @property
    def percent(self) -> float:
        """States and transitions of every machine together, 0-100 (100 with nothing recorded)."""
        return _sum(m.combined for m in self.machines).percent

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-able data (schema in the module docstring)."""
        return {
            "schema": JSON_SCHEMA,
            "version": JSON_SCHEMA_VERSION,
            "totals": {
                "states": self.states.to_json(),
                "transitions": self.transitions.to_json(),
                "percent": self.percent,
            },
            "state_machines": [m.to_json() for m in self.machines],
        }

    def to_json_text(self) -> str:
        """:meth:`to_json` as indented JSON text (stable key order)."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    def write_json(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_json_text` to ``path``."""
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.to_json_text())

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CoverageReport:
        """Read back a report written by :meth:`to_json`."""
        if data.get("schema") != JSON_SCHEMA or data.get("version") != JSON_SCHEMA_VERSION:
            raise CoverageError(
                f"expected a {JSON_SCHEMA} report version {JSON_SCHEMA_VERSION}, "
                f"got schema {data.get('schema')!r} version {data.get('version')!r}"
            )
        return cls(tuple(MachineCoverage.from_json(entry) for entry in data.get("state_machines", ())))

    def merged(self, *others: CoverageReport) -> CoverageReport:
        """One report adding up the hits and executions of machines with the same key
        (e.g. the reports of pytest-xdist workers); items come from the first report holding a key."""
        combined: dict[str, MachineCoverage] = {}
        for report in (self, *others):
            for entry in report.machines:
                previous = combined.get(entry.key)
                if previous is None:
                    combined[entry.key] = entry
                    continue
                hits = Counter(previous.hits)
                hits.update(entry.hits)
                combined[entry.key] = MachineCoverage(
                    entry.key, previous.items, dict(hits), previous.executions + entry.executions
                )
        return CoverageReport(tuple(combined.values()))

    def render_text(self, *, show_missed: bool = True) -> str:
        """A terminal summary table like coverage.py's, then what was never taken."""
        from constructs_sfn.testing.coverage_report import render_text

        return render_text(self, show_missed=show_missed)

    def render_html(self, *, title: str = "Workflow coverage") -> str:
        """A self-contained HTML page (inline CSS, no scripts, no network)."""
        from constructs_sfn.testing.coverage_report import render_html

        return render_html(self, title=title)

    def write_html(self, path: str | os.PathLike[str], *, title: str = "Workflow coverage") -> None:
        """Write :meth:`render_html` to ``path``."""
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.render_html(title=title))


def _sum(counts: Iterable[CoverageCounts]) -> CoverageCounts:
    covered = total = 0
    for entry in counts:
        covered += entry.covered
        total += entry.total
    return CoverageCounts(covered, total)


@dataclass(slots=True)
class _Machine:
    model: CoverageModel
    hits: Counter[str] = field(default_factory=Counter)
    executions: int = 0


class CoverageObserver:
    """An :class:`~constructs_sfn.asl.runtime.observer.ExecutionObserver` feeding a recorder.

    ``key_of`` decides which state machine key an execution's events count for (None: ignore the
    execution). Made by :meth:`CoverageRecorder.observer_for` and :meth:`CoverageRecorder.observer`.
    """

    def __init__(self, recorder: CoverageRecorder, key_of: Callable[[Execution], str | None]) -> None:
        self.recorder = recorder
        self.key_of = key_of
        self._keys: dict[int, str | None] = {}

    def on_event(self, execution: Execution, event: TraceEvent) -> None:
        """Count what ``event`` covers."""
        marker = id(execution)
        if event.kind is TraceKind.EXECUTION_STARTED or marker not in self._keys:
            self._keys[marker] = self.key_of(execution)
        key = self._keys[marker]
        if key is not None:
            self.recorder.record(key, execution, event)
        if event.kind is TraceKind.EXECUTION_ENDED:
            self._keys.pop(marker, None)


class CoverageRecorder:
    """Collects coverage across any number of executions of one or more state machines."""

    def __init__(self) -> None:
        self._machines: dict[str, _Machine] = {}

    @property
    def keys(self) -> tuple[str, ...]:
        """The state machine keys known so far, in registration order."""
        return tuple(self._machines)

    def register(self, key: str, definition: DefinitionSource) -> CoverageModel:
        """Declare state machine ``key`` and what can be covered in it (a machine registered but
        never run shows as 0 %). Registering the same key again keeps the first model."""
        machine = self._machines.get(key)
        if machine is None:
            machine = self._machines[key] = _Machine(coverage_model(definition))
        return machine.model

    def observer_for(
        self, key: str, definition: DefinitionSource | None = None, *, state_machine_arn: str | None = None
    ) -> CoverageObserver:
        """An observer recording executions of one state machine under ``key``.

        ``definition``: what can be covered. Default: - the definition of the first execution seen.
        ``state_machine_arn``: the machine whose executions count. Default: - the machine of the
        first execution the observer sees (so nested child executions of other machines are
        ignored when the observer is shared by a whole local client).
        """
        if definition is not None:
            self.register(key, definition)
        chosen: list[str] = [] if state_machine_arn is None else [state_machine_arn]

        def key_of(execution: Execution) -> str | None:
            arn = execution.info.state_machine_arn
            if not chosen:
                chosen.append(arn)
            return key if arn == chosen[0] else None

        return CoverageObserver(self, key_of)

    def observer(self, keys: Mapping[str, str] | Callable[[Execution], str | None] | None = None) -> CoverageObserver:
        """An observer for several state machines (a local client running parents and children).

        ``keys``: state machine ARN -> key, or a function of the execution returning its key
        (None: ignore it). Default: - each machine's ARN is its key. Machines not registered
        beforehand are registered from the definition they run.
        """
        if keys is None:
            return CoverageObserver(self, lambda execution: execution.info.state_machine_arn)
        if callable(keys):
            return CoverageObserver(self, keys)
        by_arn = dict(keys)
        return CoverageObserver(self, lambda execution: by_arn.get(execution.info.state_machine_arn))

    def record(self, key: str, execution: Execution, event: TraceEvent) -> None:
        """Count ``event`` of ``execution`` for ``key`` (what the observers call)."""
        machine = self._machines.get(key)
        if machine is None:
            machine = self._machines[key] = _Machine(coverage_model(execution.definition))
        if event.kind is TraceKind.EXECUTION_STARTED:
            machine.executions += 1
        for item_id in machine.model.items_for(event):
            machine.hits[item_id] += 1

    def report(self, keys: Iterable[str] | None = None) -> CoverageReport:
        """The coverage of ``keys`` (default: every machine, in registration order)."""
        chosen = list(self._machines) if keys is None else list(keys)
        entries = []
        for key in chosen:
            machine = self._machines.get(key)
            if machine is None:
                known = ", ".join(repr(k) for k in self._machines) or "none"
                raise CoverageError(f"no state machine registered as {key!r}; known: {known}")
            entries.append(MachineCoverage(key, machine.model.items, dict(machine.hits), machine.executions))
        return CoverageReport(tuple(entries))
