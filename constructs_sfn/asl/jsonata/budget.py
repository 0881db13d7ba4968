"""The resources one JSONata evaluation may use: wall-clock time, memory, generated sizes.

A hostile or careless expression must fail as ``States.QueryEvaluationError`` instead of hanging
the executor or exhausting the host. Every evaluation runs inside a budget, started when the
engine takes over (:func:`begin_evaluation`) or, in the direct evaluator, at the first place that
needs it (a long loop, a generated sequence: its short runs never pay for one), and enforced at
four kinds of places:

* **time**: the engine counts the nodes it evaluates and looks at the clock every
  :data:`CHECK_INTERVAL` nodes (and so does the direct evaluator's ``$map``/``$filter`` loop);
  regular expressions match in linear time, or with the time that is left as their timeout
  (:mod:`constructs_sfn.asl.jsonata.bounded_regex`), so a pattern that would backtrack
  catastrophically cannot stall the evaluation;
* **memory**: at the same checkpoints, the growth of the process's resident memory since the
  evaluation began (read from ``/proc/self/statm`` where the platform has it);
* **generated sequences**: ``$range`` and the range operator ``[a..b]`` charge the items they
  create to the evaluation, before creating them (all calls together), and ``$append`` refuses to
  build an array longer than the item limit;
* **strings**: ``&``, ``$join`` and ``$pad`` refuse to build a string longer than the limit,
  before building it.

AWS documents none of these numbers for JSONata (it documents the 256 KiB payload of a state's
input and output, which no realistic intermediate value comes near); the defaults are ours and
generous. A budget is per thread: concurrent evaluations in different threads have their own.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = [
    "CHECK_INTERVAL",
    "DEFAULT_LIMITS",
    "BudgetExceeded",
    "EvaluationLimits",
    "EvaluationTimedOut",
    "MemoryLimitExceeded",
    "begin_evaluation",
    "charge_items",
    "check_sequence_length",
    "check_string_length",
    "checkpoint",
    "current_limits",
    "end_evaluation",
    "evaluation",
    "remaining_seconds",
    "set_default_limits",
    "use_limits",
]

_MIB = 1024 * 1024
CHECK_INTERVAL = 1024
"""Engine nodes evaluated between two looks at the clock and at memory."""
_UNCHECKED_SIZE = 4096
# Sizes up to this are below every sensible limit and skip the look at the budget (the common case).


@dataclass(frozen=True, slots=True)
class EvaluationLimits:
    """What one evaluation of one expression may use."""

    seconds: float = 5.0
    """Wall-clock seconds (regular-expression matching included). Default: 5."""
    memory_bytes: int = 256 * _MIB
    """Growth of resident memory while evaluating. Default: 256 MiB (checked only where the
    platform shows resident memory in ``/proc/self/statm``, as Linux does)."""
    max_items: int = 5_000_000
    """Sequence items ``$range`` and ``[a..b]`` may create, all calls together, and the longest array
    ``$append`` may build. Default: 5 million."""
    max_string_length: int = 10_000_000
    """Characters of one string built by ``&``, ``$join`` or ``$pad``. Default: 10 million.

    Both size limits must be more than 4096: smaller sizes are never looked at (the common case
    stays free)."""

    def __post_init__(self) -> None:
        for name in ("seconds", "memory_bytes", "max_items", "max_string_length"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"EvaluationLimits.{name} must be a positive number, got {value!r}")
        for name in ("max_items", "max_string_length"):
            if getattr(self, name) <= _UNCHECKED_SIZE:
                limit = getattr(self, name)
                raise ValueError(f"EvaluationLimits.{name} must be more than {_UNCHECKED_SIZE}, got {limit}")


DEFAULT_LIMITS = EvaluationLimits()


class BudgetExceeded(Exception):  # noqa: N818 - mirrors AWS's bounds, rendered by the caller
    """The evaluation used up one of its limits; ``detail`` is the cause's last sentence."""

    detail = "Expression evaluation limit exceeded"


class EvaluationTimedOut(BudgetExceeded):
    """The evaluation ran longer than ``EvaluationLimits.seconds``."""

    detail = "Expression evaluation timeout: Check for infinite loop"


class MemoryLimitExceeded(BudgetExceeded):
    """The evaluation needed more memory, items or characters than its limits allow."""

    detail = "Expression evaluation memory limit exceeded"


class _State(threading.local):
    """The budget of the evaluation running in this thread (``active`` is False between them)."""

    def __init__(self) -> None:
        self.active = False
        self.limits = DEFAULT_LIMITS
        self.override: EvaluationLimits | None = None
        self.deadline = 0.0
        self.items_left = 0
        self.baseline_pages: int | None = None


_STATE = _State()
_default = [DEFAULT_LIMITS]
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_STATM = "/proc/self/statm"
_HAS_STATM = os.path.exists(_STATM)


def set_default_limits(limits: EvaluationLimits) -> None:
    """Replace the limits every thread uses (unless it has :func:`use_limits` in force)."""
    if not isinstance(limits, EvaluationLimits):
        raise TypeError(f"limits must be an EvaluationLimits, got {type(limits).__name__}")
    _default[0] = limits


def current_limits() -> EvaluationLimits:
    """The limits an evaluation started now in this thread gets."""
    override = _STATE.override
    return override if override is not None else _default[0]


@contextmanager
def use_limits(limits: EvaluationLimits) -> Iterator[EvaluationLimits]:
    """Evaluate with ``limits`` in this thread for the duration of the ``with`` block."""
    if not isinstance(limits, EvaluationLimits):
        raise TypeError(f"limits must be an EvaluationLimits, got {type(limits).__name__}")
    saved = _STATE.override
    _STATE.override = limits
    try:
        yield limits
    finally:
        _STATE.override = saved


def begin_evaluation() -> bool:
    """Start the budget of one evaluation in this thread; False when one is already running
    (a nested evaluation shares it). Pair a True with :func:`end_evaluation`."""
    state = _STATE
    if state.active:
        return False
    override = state.override
    limits = override if override is not None else _default[0]
    state.active = True
    state.limits = limits
    state.deadline = time.monotonic() + limits.seconds
    state.items_left = limits.max_items
    state.baseline_pages = None
    return True


def end_evaluation() -> None:
    """End the running evaluation's budget (whoever started it; a no-op when none runs)."""
    _STATE.active = False


@contextmanager
def evaluation() -> Iterator[None]:
    """The budget of one evaluation as a ``with`` block; nested blocks share the outermost one."""
    owner = begin_evaluation()
    try:
        yield
    finally:
        if owner:
            end_evaluation()


def checkpoint() -> None:
    """Raise when the running evaluation is out of time or memory (its budget starts here when
    the evaluation has not started one yet: the direct evaluator starts none for its short runs)."""
    state = _STATE
    if not state.active:
        begin_evaluation()
        return
    if time.monotonic() > state.deadline:
        raise EvaluationTimedOut
    if _HAS_STATM:
        pages = _resident_pages()
        if pages is None:
            return
        if state.baseline_pages is None:
            # The first checkpoint sets the baseline; what the first CHECK_INTERVAL nodes could
            # allocate is bounded by the item and string limits.
            state.baseline_pages = pages
        elif (pages - state.baseline_pages) * _PAGE_SIZE > state.limits.memory_bytes:
            raise MemoryLimitExceeded


def remaining_seconds() -> float:
    """Seconds left to the running evaluation (its budget starts here if it has not yet); raises
    when none are left."""
    state = _STATE
    if not state.active:
        begin_evaluation()
    left = state.deadline - time.monotonic()
    if left <= 0:
        raise EvaluationTimedOut
    return left


def charge_items(count: int) -> None:
    """Account for ``count`` sequence items about to be created; raise when over the limit."""
    state = _STATE
    if not state.active:
        begin_evaluation()
    state.items_left -= count
    if state.items_left < 0:
        raise MemoryLimitExceeded


def check_sequence_length(length: int) -> None:
    """Raise when an array of ``length`` items is more than the evaluation may build."""
    if length <= _UNCHECKED_SIZE:
        return
    limits = _STATE.limits if _STATE.active else current_limits()
    if length > limits.max_items:
        raise MemoryLimitExceeded


def check_string_length(length: int) -> None:
    """Raise when a string of ``length`` characters is more than the evaluation may build."""
    if length <= _UNCHECKED_SIZE:
        return
    limits = _STATE.limits if _STATE.active else current_limits()
    if length > limits.max_string_length:
        raise MemoryLimitExceeded


def _resident_pages() -> int | None:
    try:
        with open(_STATM, "rb") as statm:
            fields = statm.read(64).split()
        return int(fields[1])
    except (OSError, ValueError, IndexError):
        return None
