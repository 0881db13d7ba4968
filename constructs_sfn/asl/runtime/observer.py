"""Trace events for tools that watch an execution: coverage, fault matrices, debuggers.

The history events AWS records do not say which Choice rule matched, which Retry rule fired or
which Catch rule routed an error. An :class:`ExecutionObserver` handed to
``Execution(..., observer=...)`` (or ``LocalStepFunctions(..., observer=...)``) receives one
:class:`TraceEvent` for each of those decisions, and for each state entered and left, each Parallel
branch and Map iteration started, and the execution's start and end.

States are named by their JSON pointer in the definition (``/States/Outer/Branches/0/States/Inner``),
so a state inside a Map or Parallel is told apart from a namesake elsewhere; :attr:`TraceEvent.path`
gives the same location as readable steps (``("Outer", "branch 0", "Inner")``).

An execution without an observer pays one ``is None`` test per decision, nothing more.
"""

from __future__ import annotations

# The protocol is defined beside the Execution it receives (so neither module imports the other
# back); this module is the one place users import the whole observer API from.
from constructs_sfn.asl.runtime.execution import ExecutionObserver
from constructs_sfn.asl.runtime.trace import TraceEvent, TraceKind, pointer_steps, readable_path

__all__ = ["ExecutionObserver", "TraceEvent", "TraceKind", "pointer_steps", "readable_path"]
