"""A Map Run: what one Distributed Map state started, counted as ``DescribeMapRun`` reports it.

Each run of a Distributed Map creates one :class:`MapRun`, kept with the execution that ran the
Map (:func:`map_runs_of`). It counts items and child executions by status, holds the tolerance
and concurrency the run was started with, and keeps the STANDARD child executions (whose
histories ``GetExecutionHistory`` shows). EXPRESS children are counted but not kept, as AWS
keeps no history for them.

API reference: https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
"""

from __future__ import annotations

import weakref
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.execution import Execution

__all__ = ["COUNTER_NAMES", "MAX_KEPT_CHILDREN", "MapRun", "MapRunCounts", "map_runs_of"]

COUNTER_NAMES = (
    "pending",
    "running",
    "succeeded",
    "failed",
    "timedOut",
    "aborted",
    "total",
    "resultsWritten",
    "failuresNotRedrivable",
    "pendingRedrive",
)
"""The keys of ``itemCounts`` and ``executionCounts`` in ``DescribeMapRun``."""

MAX_KEPT_CHILDREN = 10_000
"""How many STANDARD child executions (with their histories) one Map Run keeps, newest kept. AWS
keeps them all; a local rehearsal of a million STANDARD children must not hold a million
histories. The counters count every child regardless."""

_STATUS_COUNTERS = {"SUCCEEDED": "succeeded", "FAILED": "failed", "TIMED_OUT": "timedOut", "ABORTED": "aborted"}

_RUNS: weakref.WeakKeyDictionary[Any, list[MapRun]] = weakref.WeakKeyDictionary()


def map_runs_of(execution: Execution) -> list[MapRun]:
    """The Map Runs ``execution`` has started, oldest first (a live list)."""
    runs = _RUNS.get(execution)
    if runs is None:
        runs = []
        _RUNS[execution] = runs
    return runs


@dataclass(slots=True)
class MapRunCounts:
    """Counters by status (of items or of child executions)."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTER_NAMES, 0))

    def started(self, amount: int) -> None:
        """``amount`` more are running."""
        self.values["total"] += amount
        self.values["running"] += amount

    def restarted(self, status: str, amount: int) -> None:
        """``amount`` that had ended with ``status`` run again (a redriven Map Run)."""
        self.values[_STATUS_COUNTERS.get(status, "failed")] -= amount
        self.values["running"] += amount

    def ended(self, status: str, amount: int) -> None:
        """``amount`` running ones ended with ``status``."""
        self.values["running"] -= amount
        self.values[_STATUS_COUNTERS.get(status, "failed")] += amount

    def as_dict(self) -> dict[str, int]:
        """A copy, in AWS's key order."""
        return dict(self.values)


@dataclass(slots=True)
class MapRun:
    """One Distributed Map run; see the module docstring."""

    arn: str
    execution_arn: str
    state_machine_arn: str
    """The child state machine: ``...:stateMachine:<machine>/<label>``."""
    label: str
    execution_type: str
    start_date: datetime
    max_concurrency: int
    tolerated_failure_count: int
    tolerated_failure_percentage: float
    status: str = "RUNNING"
    stop_date: datetime | None = None
    items: MapRunCounts = field(default_factory=MapRunCounts)
    executions: MapRunCounts = field(default_factory=MapRunCounts)
    children: deque[Execution] = field(default_factory=lambda: deque(maxlen=MAX_KEPT_CHILDREN))
    """The STANDARD child executions, in start order: the last :data:`MAX_KEPT_CHILDREN` of them."""
    parent: Execution | None = None
    pointer: str = ""
    """The Distributed Map state's JSON pointer (a redriven parent finds its Map Run by it)."""
    redrive_count: int = 0
    redrive_date: datetime | None = None
    units_started: int = 0
    """How many items (or batches) have had a child execution so far."""
    failed_units: dict[int, tuple[str, Execution | None]] = field(default_factory=dict)
    """Item (or batch) index -> the status its child ended with and, for STANDARD, the child to
    redrive; only the unsuccessful ones."""
    written: list[dict[str, Any]] = field(default_factory=list)
    """The ResultWriter's SUCCEEDED files of earlier attempts (``{"Key", "Size"}``), kept in the
    manifest of a redriven run."""
    items_expected: int | None = None
    """How many items the run has in all, once that is known: from the start for an array of items,
    when the reader's stream ends for an ItemReader (a progress display shows the total and an ETA
    only then)."""
    results: list[list[Any]] | None = None
    """Without a ResultWriter: what each item (or batch) contributed to the Map's output, by index."""

    @property
    def run_id(self) -> str:
        """The ARN's last part (AWS names the ResultWriter folder after it)."""
        return self.arn.rsplit(":", 1)[-1]

    def effective_status(self) -> str:
        """The status; ABORTED when the parent ended (stopped, timed out) while the run was going."""
        if self.status == "RUNNING" and self.parent is not None and self.parent.status != "RUNNING":
            return "ABORTED"
        return self.status

    def effective_stop_date(self) -> datetime | None:
        """When the run ended: its own end, else the parent's when the parent ended first."""
        if self.stop_date is None and self.parent is not None and self.parent.status != "RUNNING":
            return self.parent.stop_date
        return self.stop_date

    def finish(self, status: str, when: datetime) -> None:
        """The run ended."""
        self.status = status
        self.stop_date = when

    def update(
        self,
        *,
        max_concurrency: int | None = None,
        tolerated_failure_count: int | None = None,
        tolerated_failure_percentage: float | None = None,
    ) -> None:
        """``UpdateMapRun``: change the limits recorded for the run."""
        if max_concurrency is not None:
            self.max_concurrency = max_concurrency
        if tolerated_failure_count is not None:
            self.tolerated_failure_count = tolerated_failure_count
        if tolerated_failure_percentage is not None:
            self.tolerated_failure_percentage = tolerated_failure_percentage
