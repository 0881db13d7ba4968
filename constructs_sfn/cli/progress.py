"""A one-line progress display for Distributed Map runs, drawn while ``constructs-sfn run`` works.

A Map Run of a million items takes a while even locally; the user should see it move. The display
is a single line on the terminal, redrawn at most a few times a second: items done of the total,
the failed ones, the rate, and the time left. An ItemReader streams its items, so the total (and the
time left) is shown once the stream has ended; an array of items is counted from the start. The
display is drawn only when its stream is a terminal, so tests, pipes and CI logs stay silent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.execution import Execution, ExecutionObserver
    from constructs_sfn.asl.runtime.map_run import MapRun
    from constructs_sfn.asl.runtime.trace import TraceEvent

__all__ = ["MapRunProgress", "progress_line"]

_DONE_COUNTERS = ("succeeded", "failed", "timedOut", "aborted")
_UNSUCCESSFUL_COUNTERS = ("failed", "timedOut", "aborted")


def progress_line(run: MapRun, seconds: float) -> str:
    """The display's text for ``run`` after ``seconds`` of wall time."""
    counts = run.items.values
    done = sum(counts.get(name, 0) for name in _DONE_COUNTERS)
    unsuccessful = sum(counts.get(name, 0) for name in _UNSUCCESSFUL_COUNTERS)
    rate = done / seconds if seconds > 0 else 0.0
    total = run.items_expected
    parts = [f"Map Run {run.label}: {done:,}" + (f"/{total:,}" if total is not None else "") + " items"]
    parts.append(f"{unsuccessful:,} failed")
    parts.append(f"{rate:,.0f} items/s")
    if total is None:
        parts.append("total not known until the item reader ends")
    elif rate > 0:
        parts.append(f"ETA {_duration(max(0.0, (total - done) / rate))}")
    return " · ".join(parts)


class MapRunProgress:
    """An execution observer that draws :func:`progress_line` on ``stream`` and passes every trace
    event on to ``inner`` (the timeline's recorder, say)."""

    def __init__(
        self,
        inner: ExecutionObserver | None,
        stream: IO[str],
        *,
        now: Callable[[], float] = time.monotonic,
        interval: float = 0.25,
    ) -> None:
        self._inner = inner
        self._stream = stream
        self._now = now
        self._interval = interval
        self._started: dict[str, float] = {}
        self._drawn_at = float("-inf")
        self._width = 0
        self._undrawn: tuple[MapRun, float] | None = None
        """The newest counts, when they came too soon after the last drawing to be drawn."""

    def on_event(self, execution: Execution, event: TraceEvent) -> None:
        """Pass ``event`` on to the inner observer."""
        if self._inner is not None:
            self._inner.on_event(execution, event)

    def on_map_run_progress(self, execution: Execution, run: MapRun) -> None:
        """Called by the executor after every child execution of ``run``: redraw when it is time."""
        now = self._now()
        started = self._started.setdefault(run.arn, now)
        if now - self._drawn_at < self._interval:
            self._undrawn = (run, now - started)
            return
        self._drawn_at = now
        self._undrawn = None
        self._draw(progress_line(run, now - started))

    def finish(self) -> None:
        """Draw the last counts if they were not drawn yet, then end the line, so what is printed
        next starts on its own line."""
        if self._undrawn is not None:
            self._draw(progress_line(*self._undrawn))
            self._undrawn = None
        if self._width:
            self._stream.write("\n")
            self._stream.flush()
            self._width = 0

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self._width - len(text))
        self._stream.write(f"\r{text}{padding}")
        self._stream.flush()
        self._width = len(text)


def _duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
