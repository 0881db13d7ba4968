"""Clock control, not part of boto3: let virtual time pass for the client's running executions.

``advance_clock`` lets a number of seconds pass, ``advance_to_next_timer`` jumps to the earliest
pending timer (a Wait state, a retry back-off, a heartbeat or task timeout), and
``run_until_finished`` fires timers until one execution ends. With ``pause_at_timers`` they are
how a test moves executions on; without it they fire the timeouts of executions waiting for a
callback.
"""

# boto3's keyword names (executionArn) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

from typing import Any

from constructs_sfn.asl.runtime import VirtualClock
from constructs_sfn.local.host import ClientHost
from constructs_sfn.local.request_validation import check_clock_advance

__all__ = ["ClockControl"]


class ClockControl:
    """The clock control methods of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def advance_clock(self: ClientHost, seconds: float) -> None:
        """Let ``seconds`` of virtual time pass for every paused execution.

        Due heartbeat and task timeouts fire, and waiting executions move on. Not a boto3 method.
        """
        running = (
            record.execution.clock.now() for record in self._executions.values() if record.execution.status == "RUNNING"
        )
        check_clock_advance(seconds, [self._clock.now(), *running])
        if isinstance(self._clock, VirtualClock):
            self._clock.advance(seconds)
        for record in list(self._executions.values()):
            if record.execution.status == "RUNNING":
                record.execution.advance_clock(seconds)
                self._track(record)

    def advance_to_next_timer(self: ClientHost) -> float | None:
        """Let virtual time pass until the earliest timer of any running execution fires.

        Returns the seconds that passed, or None when no running execution has a pending timer.
        Not a boto3 method.
        """
        waits = [
            (due - record.execution.clock.now()).total_seconds()
            for record in self._executions.values()
            if (due := record.execution.next_timer_at()) is not None
        ]
        if not waits:
            return None
        seconds = max(min(waits), 0.0)
        self.advance_clock(seconds)
        return seconds

    def run_until_finished(self: ClientHost, executionArn: str, max_timers: int = 100_000) -> dict[str, Any]:
        """Fire timers (of every running execution, in time order) until ``executionArn`` ends.

        Returns ``describe_execution``'s answer. An execution waiting for a callback runs on to its
        timeout (``TimeoutSeconds``, else a year). ``ValueError`` after ``max_timers`` timers, so a
        Wait loop without end cannot hang the test. Not a boto3 method.
        """
        record = self._execution(executionArn, "DescribeExecution")
        for _ in range(max_timers):
            if record.execution.status != "RUNNING" or self.advance_to_next_timer() is None:
                return self.describe_execution(executionArn=executionArn)
        raise ValueError(f"run_until_finished: {executionArn} still RUNNING after {max_timers} timers")
