"""Retry and Catch: which rule an error matches, and how long to wait before the next attempt."""

from __future__ import annotations

import random

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.model.states import Catcher, Retrier

__all__ = ["error_matches", "find_catcher", "retrier_index", "retry_delay"]

_NOT_CATCHABLE_BY_ALL = frozenset({ErrorName.RUNTIME})
_SPEC_ALIASES: dict[str, tuple[str, ...]] = {
    # AWS reports an unappliable ResultPath as States.ReferencePathConflict; the States Language
    # spec names it States.ResultPathMatchFailure, so a Retry/Catch written to the spec still works.
    "States.ReferencePathConflict": (ErrorName.RESULT_PATH_MATCH_FAILURE,),
}


def error_matches(error_equals: tuple[str, ...], error: str, aliases: tuple[str, ...] = ()) -> bool:
    """Whether an ``ErrorEquals`` list matches ``error`` (or one of the names it also answers to)."""
    aliases = aliases or _SPEC_ALIASES.get(error, ())
    if error == ErrorName.RUNTIME:
        # "Errors of this type aren't retriable and always cause the execution to fail", even
        # when a Retry or Catch names States.Runtime explicitly (as the corpus confirms).
        return False
    if error in error_equals or any(alias in error_equals for alias in aliases):
        return True
    if ErrorName.ALL in error_equals and error not in _NOT_CATCHABLE_BY_ALL:
        return True
    return ErrorName.TASK_FAILED in error_equals and error not in (ErrorName.TIMEOUT, ErrorName.RUNTIME)


def retrier_index(retriers: tuple[Retrier, ...], error: StatesError) -> int | None:
    """The index of the first retrier whose ``ErrorEquals`` matches ``error`` (None: none does)."""
    aliases = getattr(error, "also_matches", ())
    for index, retrier in enumerate(retriers):
        if error_matches(retrier.error_equals, error.error, aliases):
            return index
    return None


def retry_delay(
    retriers: tuple[Retrier, ...], counts: list[int], error: StatesError, rng: random.Random
) -> float | None:
    """Seconds to wait before the next attempt, or None when no retrier applies.

    ``counts`` holds the attempts each retrier has made so far; the matching one is incremented.
    """
    index = retrier_index(retriers, error)
    if index is None:
        return None
    retrier = retriers[index]
    if counts[index] >= retrier.max_attempts:
        return None
    delay = retrier.interval_seconds * (retrier.backoff_rate ** counts[index])
    if retrier.max_delay_seconds is not None:
        delay = min(delay, retrier.max_delay_seconds)
    if retrier.jitter_full:
        delay = rng.uniform(0, delay)
    counts[index] += 1
    return delay


def find_catcher(catchers: tuple[Catcher, ...], error: StatesError) -> Catcher | None:
    """The first catcher whose ``ErrorEquals`` matches ``error``."""
    aliases = getattr(error, "also_matches", ())
    for catcher in catchers:
        if error_matches(catcher.error_equals, error.error, aliases):
            return catcher
    return None
