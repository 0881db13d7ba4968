"""Evaluating JSONata paths in the direct evaluator: the engine's path rules, and a walk through
plain objects for the common shapes.

:func:`run_steps` is ``Jsonata.evaluate_path``: each step maps over the previous step's sequence,
its stages filter, and :func:`~constructs_sfn.asl.jsonata.fastsequence.finish_step` flattens.
Most paths Step Functions definitions hold are a variable or a name followed by field names
(perhaps with an index): :func:`walking_path` walks those through objects directly and hands over
to the general rules where an array or another predicate appears. Which paths have which shape is
recognized by :mod:`.fastpath`, which compiles their steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from constructs_sfn.asl.jsonata.fastsequence import NULL, JList, finish_step, sequence, unwrap
from constructs_sfn.asl.jsonata.fasttypes import Node, Scope, Step

__all__ = ["general_path", "run_steps", "walking_path"]

_MISSING: Final = object()
_SCALAR_TYPES = frozenset((str, int, float, bool))


def _unchanged(value: Any) -> Any:
    return value


def run_steps(steps: tuple[Step, ...], start: int, members: Any, scope: Scope) -> Any:
    """``Jsonata.evaluate_path`` from step ``start`` on, given that step's input sequence."""
    last = len(steps) - 1
    current = members
    for index in range(start, last + 1):
        evaluate, stages, key = steps[index]
        results = []
        for member in current:
            if key is not None and type(member) is dict:
                # ``lookup`` on an object, inline.
                value = member.get(key, _MISSING)
                if value is None:
                    value = NULL
                elif value is _MISSING:
                    value = None
                elif type(value) is JList:
                    value = unwrap(value)
            else:
                value = evaluate(member, scope)
            for stage in stages:
                value = stage(value, scope)
            if value is not None:
                results.append(value)
        current = finish_step(results, last=index == last)
        if not current:
            break
    return current


def general_path(steps: tuple[Step, ...], *, from_variable: bool, settle: bool) -> Node:
    """The path by the engine's rules alone (``settle``: unwrap the result as the engine then does)."""
    finish: Callable[[Any], Any] = unwrap if settle else _unchanged

    def general(value: Any, scope: Scope) -> Any:
        members = value if isinstance(value, list) and not from_variable else sequence((value,))
        return finish(run_steps(steps, 0, members, scope))

    return general


def walking_path(
    steps: tuple[Step, ...],
    walked: tuple[tuple[str, int | None], ...],
    *,
    head_key: str | None,
    from_states: bool,
    settle: bool,
) -> Node:
    """A path whose first step is the field ``head_key`` (else a variable, ``$states`` when
    ``from_states``) and whose next steps are the fields ``walked`` (``(key, n)`` for ``key[n]``)."""
    finish: Callable[[Any], Any] = unwrap if settle else _unchanged
    last = len(steps) - 1
    head_step = steps[0][0]

    def hand_over(found: Any, index: int, scope: Scope) -> Any:
        # Step ``index`` produced exactly ``found`` (not undefined): continue as the engine does.
        current = finish_step([found], last=index == last)
        if not current or index == last:
            return finish(current)
        return finish(run_steps(steps, index + 1, current, scope))

    def walk(value: Any, scope: Scope) -> Any:
        if head_key is not None:
            if isinstance(value, list):
                return finish(run_steps(steps, 0, value, scope))
            if not isinstance(value, dict):
                return None
            found = value.get(head_key, _MISSING)
            if found is _MISSING:
                return None
            found = NULL if found is None else found
        elif from_states:
            found = scope[0]
        else:
            found = head_step(value, scope)
            if found is None:
                return None
        index = 0
        for key, position in walked:
            if isinstance(found, list):
                return hand_over(found, index, scope)
            if not isinstance(found, dict):
                return None
            found = found.get(key, _MISSING)
            if found is _MISSING:
                return None
            if found is None:
                found = NULL
            index += 1
            if position is not None:
                # ``index_filter``: a picked array is the step's value as it is.
                if isinstance(found, list):
                    at = position + len(found) if position < 0 else position
                    if not 0 <= at < len(found):
                        return None
                    found = found[at]
                    if found is None:
                        found = NULL
                elif position not in (0, -1):
                    return None
        if index < last or (isinstance(found, list) and type(found) is not list):
            return hand_over(found, index, scope)
        return found

    if head_key is not None or len(walked) != last:
        return walk
    # The commonest shape of all, ``$states.a.b[0].c``: a loop over plain objects and arrays, with
    # the walk above taking over wherever it would do anything else.

    def walk_plain(value: Any, scope: Scope) -> Any:
        found: Any = scope[0] if from_states else head_step(value, scope)
        for key, position in walked:
            if type(found) is not dict:
                if found is None or found is NULL or type(found) in _SCALAR_TYPES:
                    return None
                return walk(value, scope)
            found = found.get(key, _MISSING)
            if found is None:
                found = NULL
            elif found is _MISSING:
                return None
            if position is not None:
                if type(found) is list:
                    at = position + len(found) if position < 0 else position
                    if not 0 <= at < len(found):
                        return None
                    found = found[at]
                    if found is None:
                        found = NULL
                elif isinstance(found, list):
                    return walk(value, scope)
                elif position not in (0, -1):
                    return None
        if type(found) is not list and isinstance(found, list):
            return walk(value, scope)
        # A plain array at the end is the path's value as it is (``finish_step``).
        return found

    return walk_plain
