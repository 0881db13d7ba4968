"""Trace events: what an :class:`~constructs_sfn.asl.runtime.observer.ExecutionObserver` receives.

Each decision AWS's history does not record (which Choice rule matched, which Retry or Catch rule
fired) and each state entered and left becomes one :class:`TraceEvent`, located by the state's JSON
pointer. See :mod:`constructs_sfn.asl.runtime.observer` for how to watch an execution.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["TraceEvent", "TraceKind", "pointer_steps", "readable_path"]


class TraceKind(StrEnum):
    """What happened (the ``kind`` of a :class:`TraceEvent`)."""

    EXECUTION_STARTED = "execution_started"
    """The execution began (``pointer`` is ``""``)."""
    EXECUTION_ENDED = "execution_ended"
    """The execution reached a final status (``detail`` is the status: SUCCEEDED, FAILED...)."""
    STATE_ENTERED = "state_entered"
    """A state was entered (once per entry, not once per retry attempt)."""
    STATE_LEFT = "state_left"
    """A state finished normally: ``next`` is the next state, ``None`` when the state ended its
    branch or the execution (End, Succeed). A Catch-routed exit is a :attr:`CATCH` event instead."""
    STATE_FAILED = "state_failed"
    """A state failed and no Catch rule routed the error (``error`` names it; a Fail state too)."""
    CHOICE_RULE = "choice_rule"
    """A Choice state took rule ``index`` of its ``Choices`` (``next`` is the rule's target)."""
    CHOICE_DEFAULT = "choice_default"
    """A Choice state matched no rule and took its ``Default`` (``next``)."""
    RETRY = "retry"
    """Retry rule ``index`` of the state fired for ``error`` (``attempt`` is the attempt it starts)."""
    CATCH = "catch"
    """Catch rule ``index`` routed ``error`` to ``next``."""
    BRANCH_STARTED = "branch_started"
    """Branch ``index`` of a Parallel state started."""
    ITERATION_STARTED = "iteration_started"
    """Iteration ``index`` of a Map state's item processor started."""


@dataclass(frozen=True, slots=True)
class TraceEvent:
    """One decision or step of an execution, located by the state's JSON pointer."""

    kind: TraceKind
    pointer: str
    """The state's JSON pointer in the definition (``""`` for execution-level events)."""
    state: str | None = None
    """The state's name (``None`` for execution-level events)."""
    index: int | None = None
    """The rule, branch or iteration index (CHOICE_RULE, RETRY, CATCH, BRANCH/ITERATION_STARTED)."""
    next: str | None = None
    """The state the decision leads to (STATE_LEFT, CHOICE_*, CATCH)."""
    error: str | None = None
    """The error name (RETRY, CATCH, STATE_FAILED, and a failed EXECUTION_ENDED)."""
    attempt: int | None = None
    """RETRY: the zero-based number of the attempt about to start (1 for the first retry)."""
    detail: str | None = None
    """EXECUTION_ENDED: the final status."""

    @property
    def path(self) -> tuple[str, ...]:
        """The location as readable steps: ``("Outer", "branch 0", "Inner")``."""
        return readable_path(self.pointer)


def pointer_steps(pointer: str) -> list[str]:
    """The unescaped reference tokens of a JSON pointer (RFC 6901): ``/a~1b/c`` -> ``["a/b", "c"]``."""
    if not pointer:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]


def readable_path(pointer: str) -> tuple[str, ...]:
    """A state pointer as readable steps: ``/States/P/Branches/0/States/I`` -> ``("P", "branch 0", "I")``.

    ``ItemProcessor`` and ``Iterator`` become ``"item processor"``; other tokens are kept.
    """
    steps = pointer_steps(pointer)
    out: list[str] = []
    i = 0
    while i < len(steps):
        step = steps[i]
        if step == "States" and i + 1 < len(steps):
            out.append(steps[i + 1])
            i += 2
        elif step == "Branches" and i + 1 < len(steps):
            out.append(f"branch {steps[i + 1]}")
            i += 2
        elif step in ("ItemProcessor", "Iterator"):
            out.append("item processor")
            i += 1
        else:
            out.append(step)
            i += 1
    return tuple(out)
