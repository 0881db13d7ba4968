"""How ``constructs-sfn run`` shows an execution: a timeline of states, an event table, AWS-shaped JSON.

The timeline comes from the execution's trace (:mod:`constructs_sfn.asl.runtime.observer`): one
line per state entered, with its start and duration on the execution's (virtual) clock and its
outcome (the next state, retries and the errors behind them, a caught error, a failure).
Timestamps in JSON output are ISO 8601 with milliseconds and the UTC offset
(``2024-01-01T00:00:03.000+00:00``), as the AWS CLI shows what the API returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.runtime.observer import TraceEvent, TraceKind, pointer_steps

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime import Execution

__all__ = [
    "MAX_TIMELINE_LINES",
    "StateVisit",
    "TimelineRecorder",
    "aws_json_value",
    "aws_timestamp",
    "render_event_table",
    "render_timeline",
    "seconds_text",
]

MAX_TIMELINE_LINES = 200
"""Lines of timeline printed; the rest is counted (``--history`` shows every event)."""
_MAX_RECORDED = 10_000


def aws_timestamp(moment: datetime) -> str:
    """``2024-01-01T00:00:03.120+00:00``: ISO 8601, milliseconds (AWS's precision), UTC offset."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds")


def aws_json_value(value: Any) -> Any:
    """``value`` with every datetime as :func:`aws_timestamp` text, ready for ``json.dumps``."""
    if isinstance(value, datetime):
        return aws_timestamp(value)
    if isinstance(value, Mapping):
        return {str(key): aws_json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [aws_json_value(item) for item in value]
    return value


@dataclass
class StateVisit:
    """One entry into a state, and what came of it."""

    name: str
    pointer: str
    started: datetime
    ended: datetime | None = None
    next: str | None = None
    retries: list[str] = field(default_factory=list)
    """The error behind each retry, in order."""
    caught: str | None = None
    failed: str | None = None
    left: bool = False
    iteration: tuple[int, ...] = ()
    """The Map iteration indexes the visit ran in, outermost first (``()`` outside any Map)."""

    @property
    def depth(self) -> int:
        """0 for a top-level state, 1 inside a Map or Parallel, ..."""
        return max(0, pointer_steps(self.pointer).count("States") - 1)


class TimelineRecorder:
    """An execution observer that keeps the states the (top-level) execution entered.

    Child executions started by ``states:startExecution`` tasks are left out: they have their
    own histories. At most 10,000 visits are kept; later ones are only counted.
    """

    def __init__(self) -> None:
        self.visits: list[StateVisit] = []
        self.dropped = 0
        """Visits not kept (beyond the first 10,000)."""
        self._root: Execution | None = None
        self._open: dict[tuple[str, int], list[StateVisit]] = {}
        self._iteration_of: dict[int, tuple[int, ...]] = {}
        """Map iteration indexes by fiber: the iteration a fiber runs, inside its enclosing ones."""

    def on_event(self, execution: Execution, event: TraceEvent) -> None:
        """Record ``event`` when it belongs to the first execution this recorder saw."""
        if self._root is None and event.kind == TraceKind.EXECUTION_STARTED:
            self._root = execution
        if execution is not self._root:
            return
        now = execution.clock.now()
        fiber = _fiber_of(execution)
        key = (event.pointer, fiber)
        if event.kind in (TraceKind.ITERATION_STARTED, TraceKind.BRANCH_STARTED):
            # The event comes from the new iteration's or branch's own fiber, which continues the
            # iteration of the fiber that forked it.
            enclosing = self._iteration_of.get(_parent_fiber_of(execution), ())
            own = (event.index or 0,) if event.kind == TraceKind.ITERATION_STARTED else ()
            self._iteration_of[fiber] = enclosing + own
            return
        if event.kind == TraceKind.STATE_ENTERED:
            if len(self.visits) >= _MAX_RECORDED:
                self.dropped += 1
                return
            visit = StateVisit(
                name=event.state or "",
                pointer=event.pointer,
                started=now,
                iteration=self._iteration_of.get(fiber, ()),
            )
            self.visits.append(visit)
            self._open.setdefault(key, []).append(visit)
            return
        visits = self._open.get(key)
        if not visits:
            return
        visit = visits[0]
        if event.kind == TraceKind.RETRY:
            visit.retries.append(event.error or "?")
        elif event.kind in (TraceKind.STATE_LEFT, TraceKind.CATCH, TraceKind.STATE_FAILED):
            visit.ended = now
            visit.next = event.next
            visit.left = event.kind != TraceKind.STATE_FAILED
            if event.kind == TraceKind.CATCH:
                visit.caught = event.error or "?"
            elif event.kind == TraceKind.STATE_FAILED:
                visit.failed = event.error or "?"
            visits.pop(0)
            if not visits:
                del self._open[key]


def _fiber_of(execution: Execution) -> int:
    """Which Map iteration or Parallel branch is running: the scheduler's current fiber.

    Concurrent iterations enter the same state; the fiber tells their visits apart. The trace
    events themselves do not say which iteration they belong to, so this reads the scheduler's
    (public) ``current`` attribute. Without one (an executor that does not say), visits of a state
    are matched first in, first out.
    """
    scheduler = getattr(execution, "scheduler", None)
    return id(getattr(scheduler, "current", None))


def _parent_fiber_of(execution: Execution) -> int:
    """The fiber that forked the current one (a Map's or Parallel's): its join's parent."""
    scheduler = getattr(execution, "scheduler", None)
    join = getattr(getattr(scheduler, "current", None), "join", None)
    return id(getattr(join, "parent", None))


def _state_type(document: Any, pointer: str) -> str:
    node = document
    for step in pointer_steps(pointer):
        if isinstance(node, Mapping):
            node = node.get(step)
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return "?"
    state_type = node.get("Type") if isinstance(node, Mapping) else None
    return state_type if isinstance(state_type, str) else "?"


def seconds_text(value: float) -> str:
    """``33s``, ``5.789s``: a duration in seconds, to the millisecond, without trailing zeros."""
    return f"{value:.3f}".rstrip("0").rstrip(".") + "s"


def _outcome(visit: StateVisit, *, running: bool) -> str:
    parts: list[str] = []
    if visit.retries:
        # One name when every retry had the same error; otherwise each, in order.
        errors = visit.retries[0] if len(set(visit.retries)) == 1 else ", ".join(visit.retries)
        parts.append(f"retried {len(visit.retries)}x after {errors}")
    if visit.caught is not None:
        parts.append(f"caught {visit.caught} -> {visit.next}")
    elif visit.failed is not None:
        parts.append(f"failed: {visit.failed}")
    elif visit.left:
        parts.append(f"-> {visit.next}" if visit.next is not None else "end")
    else:
        parts.append("still running" if running else "stopped")
    return "; ".join(parts)


def render_timeline(recorder: TimelineRecorder, document: Any, *, start: datetime, running: bool) -> list[str]:
    """One line per state visit: offset from the start, name, type, duration, outcome."""
    visits = recorder.visits
    shown = visits[:MAX_TIMELINE_LINES]
    rows: list[tuple[str, str, str, str, str]] = []
    for visit in shown:
        offset = (visit.started - start).total_seconds()
        duration = "" if visit.ended is None else seconds_text((visit.ended - visit.started).total_seconds())
        name = (
            "  " * visit.depth + visit.name + (f" [{','.join(map(str, visit.iteration))}]" if visit.iteration else "")
        )
        state_type = _state_type(document, visit.pointer)
        rows.append((f"+{seconds_text(offset)}", name, state_type, duration, _outcome(visit, running=running)))
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    lines = [
        f"{row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]:>{widths[3]}}  {row[4]}"
        for row in rows
    ]
    hidden = len(visits) - len(shown) + recorder.dropped
    if hidden:
        lines.append(f"... and {hidden} more state visits (--history shows every event)")
    return lines


_DETAIL_KEYS = ("name", "error", "resource", "resourceType")


def _event_detail(event: Mapping[str, Any]) -> str:
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, Mapping):
            parts = [f"{k}={value[k]}" for k in _DETAIL_KEYS if isinstance(value.get(k), str)]
            if "index" in value:
                parts.append(f"index={value['index']}")
            return " ".join(parts)
    return ""


def render_event_table(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """The history as a table: id, previous id, timestamp, type and the event's name/error/resource."""
    rows = []
    for event in events:
        stamp = event.get("timestamp")
        rows.append(
            (
                str(event.get("id", "")),
                str(event.get("previousEventId", "")),
                aws_timestamp(stamp) if isinstance(stamp, datetime) else str(stamp),
                str(event.get("type", "")),
                _event_detail(event),
            )
        )
    header = ("ID", "PREV", "TIMESTAMP", "TYPE", "DETAILS")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    return [
        f"{row[0]:>{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]:<{widths[3]}}  {row[4]}".rstrip()
        for row in [header, *rows]
    ]
