"""Per-(execution, state) invocation counters, as Step Functions Local keeps them for mocks.

The counter advances on every invocation of the state in the execution: each retry, each
re-entry of the state in a loop, each Map iteration. Map iterations may run on several threads,
so advancing is atomic.
"""

from __future__ import annotations

import threading

__all__ = ["InvocationCounter"]


class InvocationCounter:
    """Zero-based invocation numbers for each ``(execution_arn, state_name)`` pair."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def advance(self, execution_arn: str, state_name: str) -> int:
        """Return this invocation's number (0 for the first) and count it."""
        key = (execution_arn, state_name)
        with self._lock:
            number = self._counts.get(key, 0)
            self._counts[key] = number + 1
        return number

    def peek(self, execution_arn: str, state_name: str) -> int:
        """How many invocations were counted so far for the pair."""
        with self._lock:
            return self._counts.get((execution_arn, state_name), 0)

    def forget(self, execution_arn: str | None = None) -> None:
        """Drop the counters of one execution (all executions when None)."""
        with self._lock:
            if execution_arn is None:
                self._counts.clear()
            else:
                for key in [k for k in self._counts if k[0] == execution_arn]:
                    del self._counts[key]
