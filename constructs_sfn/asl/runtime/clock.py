"""Clocks: where an execution's time comes from.

The default clock is virtual: Wait states, retry back-off and task durations move it forward
instantly, so a one-year approval flow runs in milliseconds while timestamps in the history and the
context object advance exactly as they would on AWS. :class:`RealClock` follows the wall clock and
really sleeps, for those who want it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "RealClock", "VirtualClock"]

_DEFAULT_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


class Clock(Protocol):
    """The time source of an execution."""

    def now(self) -> datetime:
        """The current instant (timezone-aware, UTC)."""
        ...

    def advance_to(self, instant: datetime) -> None:
        """Let time pass until ``instant`` (a virtual clock jumps, a real clock sleeps)."""
        ...


class VirtualClock:
    """A clock that only moves when the executor lets time pass; never sleeps."""

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        # One fixed default start for every entry point (client, Execution, CLI, test toolkit),
        # so the same scenario gives the same history wherever it runs.
        self._now = start or _DEFAULT_EPOCH

    def now(self) -> datetime:
        """The current virtual instant."""
        return self._now

    def advance_to(self, instant: datetime) -> None:
        """Jump to ``instant`` (never backwards)."""
        self._now = max(self._now, instant)

    def advance(self, seconds: float) -> None:
        """Jump ``seconds`` forward."""
        self._now = self._now + timedelta(seconds=seconds)

    @classmethod
    def fixed(cls) -> VirtualClock:
        """A virtual clock starting at a fixed instant, for reproducible histories."""
        return cls(_DEFAULT_EPOCH)


class RealClock:
    """The wall clock; ``advance_to`` sleeps."""

    def now(self) -> datetime:
        """The current wall-clock instant."""
        return datetime.now(UTC)

    def advance_to(self, instant: datetime) -> None:
        """Sleep until ``instant``."""
        delay = (instant - datetime.now(UTC)).total_seconds()
        if delay > 0:
            time.sleep(delay)
