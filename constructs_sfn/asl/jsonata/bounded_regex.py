"""JSONata regular expressions that cannot hang the executor.

The standard library's ``re`` backtracks without bound: ``/(a|aa)+$/`` on thirty characters runs
for ever. A JSONata regex literal is therefore compiled with RE2 (``google-re2``), which matches in
time linear in the text and within a fixed memory budget (:data:`RE2_MAX_MEMORY`), whenever the
pattern is in RE2's language. RE2 also reads ``\\d``, ``\\w``, ``\\b`` and ``$`` as JavaScript (and
so AWS's JSONata) does: ASCII classes, ``$`` only at the very end without the ``m`` flag.

A pattern RE2 refuses (back-references, lookarounds, ``\\u`` escapes) is matched with the ``regex``
module instead, a backtracking engine with ``re``'s syntax that takes a ``timeout`` on every
operation: the time the running evaluation has left, at most :data:`BACKTRACKING_SECONDS`
(``regex`` looks at its clock only now and then and can overrun its timeout two or three times).
A timeout fails the evaluation with the budget's timeout error.

Every pattern is compiled with ``re`` first, so an invalid pattern is refused in the same words as
before, and a replacement template that names a missing group is refused in ``re``'s words (the
engine reads them to repair the group reference).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

from constructs_sfn.asl.jsonata.budget import EvaluationTimedOut, remaining_seconds

__all__ = ["BACKTRACKING_SECONDS", "RE2_MAX_MEMORY", "BoundedPattern", "compile_bounded_pattern"]

RE2_MAX_MEMORY = 32 * 1024 * 1024
"""Bytes RE2 may use for one compiled pattern (its automata); beyond it the pattern is refused by
RE2 and matched by the time-bounded engine."""
BACKTRACKING_SECONDS = 1.0
"""The longest one operation of the backtracking engine may take (less when the evaluation has less left)."""


@functools.cache
def _engine(name: str) -> Any:
    # Imported on the first regex literal: most definitions have none, and ``import
    # constructs_sfn.asl`` stays as fast as it was. Both modules are untyped.
    return importlib.import_module(name)


def _re2_options(*, ignore_case: bool) -> Any:
    options = _engine("re2").Options()
    options.log_errors = False
    options.max_mem = RE2_MAX_MEMORY
    options.case_sensitive = not ignore_case
    return options


def _timeout() -> float:
    return min(remaining_seconds(), BACKTRACKING_SECONDS)


class BoundedPattern:
    """A compiled pattern with the four methods the engine calls, each bounded in time."""

    __slots__ = ("_checked", "_linear", "_pattern", "pattern")

    def __init__(self, pattern: str, *, ignore_case: bool, multiline: bool) -> None:
        flags = (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if multiline else 0)
        self._checked = re.compile(pattern, flags)
        self.pattern = pattern
        self._linear = True
        self._pattern: Any
        re2 = _engine("re2")
        try:
            self._pattern = re2.compile(
                ("(?m)" if multiline else "") + pattern, options=_re2_options(ignore_case=ignore_case)
            )
        except re2.error:
            self._linear = False
            regex = _engine("regex")
            extra = (regex.IGNORECASE if ignore_case else 0) | (regex.MULTILINE if multiline else 0)
            self._pattern = regex.compile(pattern, regex.V0 | extra)

    @property
    def linear(self) -> bool:
        """Whether RE2 matches this pattern (linear time); False: the time-bounded engine does."""
        return self._linear

    def __repr__(self) -> str:
        return f"BoundedPattern({self.pattern!r})"

    def search(self, string: str) -> Any:
        """The first match in ``string``, or None."""
        if self._linear:
            return self._pattern.search(string)
        return _timed(lambda: self._pattern.search(string, timeout=_timeout()))

    def finditer(self, string: str) -> Iterator[Any]:
        """Every match in ``string``, lazily."""
        if self._linear:
            return iter(self._pattern.finditer(string))
        return _bounded(_timed(lambda: self._pattern.finditer(string, timeout=_timeout())))

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        """``string`` with matches replaced by ``repl`` (a template or a function)."""
        try:
            if self._linear:
                result: str = self._pattern.sub(repl, string, count=count)
            else:
                result = _timed(lambda: self._pattern.sub(repl, string, count=count, timeout=_timeout()))
        except (_engine("re2").error, _engine("regex").error, IndexError):
            if not isinstance(repl, str):
                raise
            # The template names a group the pattern lacks: re refuses it in the engine's words.
            return self._checked.sub(repl, string, count=count)
        return result

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        """``string`` split around the matches."""
        if self._linear:
            parts: list[str] = self._pattern.split(string, maxsplit=maxsplit)
            return parts
        return list(_timed(lambda: self._pattern.split(string, maxsplit=maxsplit, timeout=_timeout())))


def _timed(operation: Callable[[], Any]) -> Any:
    try:
        return operation()
    except TimeoutError:
        raise EvaluationTimedOut from None


def _bounded(matches: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from matches
    except TimeoutError:
        raise EvaluationTimedOut from None


def compile_bounded_pattern(pattern: str, *, ignore_case: bool = False, multiline: bool = False) -> BoundedPattern:
    """Compile a JSONata regex literal; raises ``re.error`` for an invalid pattern."""
    return BoundedPattern(pattern, ignore_case=ignore_case, multiline=multiline)
