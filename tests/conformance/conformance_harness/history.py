"""Compare a recorded ``GetExecutionHistory`` event list with the events a client returned.

Normalisations, each undoing something that is not a property of the executor:

* **Our events are decoded like the corpus's.** Inside each ``*EventDetails`` the ``input``,
  ``output`` and ``parameters`` JSON texts are decoded (the corpus stores them decoded). Other
  fields stay as sent; :mod:`.matching` decodes a string only where the corpus holds an object.
* **Map and Parallel sections are multisets.** The events between a ``MapStateStarted`` /
  ``ParallelStateStarted`` and the matching ``MapState*`` / ``ParallelState*`` closing event
  (``Succeeded``, ``Failed``, ``Aborted``) interleave differently on every AWS run, so inside
  such a section (nested sections included) events are matched one-to-one in any order, ignoring
  their ``id`` and ``previousEventId``. Everything outside sections is compared in order.
* **Ids outside sections are exact, with one normalisation**: a ``previousEventId`` that points
  into a section (AWS links e.g. ``MapStateExited`` to the last iteration event, whose id depends
  on interleaving) only has to point into the corresponding section on our side.
* **Re-sorted Parallel recordings.** Cases whose masks include ``SfnNoneRecursiveParallelTransformer``
  were re-sorted and de-duplicated by the snapshot tool (inner ids are ``"[0]"`` and some inner
  events are missing). There a section's recorded events must each be found in ours, but extra
  events of ours inside the section are tolerated; a section is also closed by the ``*StateExited``
  event of the state that opened it, since the closing event may be the one that was dropped.
* Timestamps are masked in the corpus (``"timestamp"``), see :mod:`.matching`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .matching import MatchContext, match_value

__all__ = ["compare_history", "normalise_actual_events", "split_sections"]

_STARTERS = frozenset({"MapStateStarted", "ParallelStateStarted"})
_CLOSERS = frozenset(
    {
        "MapStateSucceeded",
        "MapStateFailed",
        "MapStateAborted",
        "ParallelStateSucceeded",
        "ParallelStateFailed",
        "ParallelStateAborted",
    }
)
_ENTERED = frozenset({"MapStateEntered", "ParallelStateEntered"})
_EXITED = frozenset({"MapStateExited", "ParallelStateExited"})
_DECODED_FIELDS = ("input", "output", "parameters")
_IDS = ("id", "previousEventId")
_MAX_PROBLEMS = 12


def normalise_actual_events(events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Decode the JSON-text fields of the events a client returned (see the module docstring)."""
    result: list[dict[str, Any]] = []
    for event in events:
        copy: dict[str, Any] = {}
        for key, value in event.items():
            if key.endswith("EventDetails") and isinstance(value, Mapping):
                details = dict(value)
                for name in _DECODED_FIELDS:
                    text = details.get(name)
                    if isinstance(text, str):
                        with contextlib.suppress(ValueError):
                            details[name] = json.loads(text)
                copy[key] = details
            else:
                copy[key] = value
        result.append(copy)
    return result


@dataclass
class _Section:
    events: list[Mapping[str, Any]] = field(default_factory=list)


def _state_name(event: Mapping[str, Any]) -> str | None:
    for key in ("stateEnteredEventDetails", "stateExitedEventDetails"):
        details = event.get(key)
        if isinstance(details, Mapping):
            name = details.get("name")
            return name if isinstance(name, str) else None
    return None


def split_sections(events: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any] | _Section]:
    """Split a history into ordered top-level events and Map/Parallel sections (see module doc)."""
    items: list[Mapping[str, Any] | _Section] = []
    stack: list[str | None] = []
    section: _Section | None = None
    last_entered: str | None = None
    for event in events:
        kind = event.get("type")
        if kind in _ENTERED:
            last_entered = _state_name(event)
        if section is None:
            items.append(event)
            if kind in _STARTERS:
                stack.append(last_entered)
                section = _Section()
                items.append(section)
            continue
        if kind in _CLOSERS:
            stack.pop()
        elif kind in _EXITED and _state_name(event) in stack:
            name = _state_name(event)
            while stack and stack[-1] != name:
                stack.pop()
            stack.pop()
        elif kind in _STARTERS:
            stack.append(last_entered)
        if stack:
            section.events.append(event)
        else:
            items.append(event)
            section = None
    return items


def _id_locator(items: Sequence[Mapping[str, Any] | _Section]) -> dict[int, tuple[str, int]]:
    """Map each event id outside sections to itself and ids inside section k to ('section', k)."""
    located: dict[int, tuple[str, int]] = {}
    top_ids: list[tuple[int, int | None]] = []  # (position, id) of top-level events
    for position, item in enumerate(items):
        if not isinstance(item, _Section):
            event_id = item.get("id")
            top_ids.append((position, event_id if isinstance(event_id, int) else None))
    section_number = 0
    for position, item in enumerate(items):
        if not isinstance(item, _Section):
            continue
        before = max((i for p, i in top_ids if p < position and i is not None), default=None)
        after = min((i for p, i in top_ids if p > position and i is not None), default=None)
        if before is not None:
            upper = after if after is not None else before + 1 + len(item.events)
            for inner in range(before + 1, upper):
                located[inner] = ("section", section_number)
        section_number += 1
    return located


def _normalise_previous(event: Mapping[str, Any], located: Mapping[int, tuple[str, int]]) -> Any:
    previous = event.get("previousEventId")
    if isinstance(previous, int) and previous in located:
        return list(located[previous])
    return previous


def _without_ids(event: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k not in _IDS}


def _describe(event: Mapping[str, Any]) -> str:
    name = _state_name(event)
    return f"{event.get('type')}" + (f"({name})" if name else "")


def compare_history(
    expected: Sequence[Mapping[str, Any]],
    actual: Sequence[Mapping[str, Any]],
    ctx: MatchContext,
    *,
    lossy_sections: bool = False,
) -> list[str]:
    """Return mismatches between a recorded history and ours (already normalised)."""
    if lossy_sections:
        expected = [e for e in expected if e.get("type") != "ParallelStateSucceeded"]
        actual = [e for e in actual if e.get("type") != "ParallelStateSucceeded"]
    exp_items = split_sections(expected)
    act_items = split_sections(actual)
    exp_located = _id_locator(exp_items)
    act_located = _id_locator(act_items)
    problems: list[str] = []
    shape_exp = ["<section>" if isinstance(i, _Section) else _describe(i) for i in exp_items]
    shape_act = ["<section>" if isinstance(i, _Section) else _describe(i) for i in act_items]
    if shape_exp != shape_act:
        first = next(
            (n for n, (a, b) in enumerate(zip(shape_exp, shape_act, strict=False)) if a != b),
            min(len(shape_exp), len(shape_act)),
        )
        problems.append(
            f"event sequence differs at top-level position {first}: expected "
            f"{shape_exp[first : first + 4]} got {shape_act[first : first + 4]} "
            f"(expected {len(expected)} events, got {len(actual)})"
        )
        return problems
    section_number = 0
    for exp_item, act_item in zip(exp_items, act_items, strict=True):
        if len(problems) >= _MAX_PROBLEMS:
            break
        if isinstance(exp_item, _Section) and isinstance(act_item, _Section):
            problems.extend(_compare_section(exp_item, act_item, ctx, section_number, lossy=lossy_sections))
            section_number += 1
            continue
        if isinstance(exp_item, _Section) or isinstance(act_item, _Section):
            continue  # unreachable: the shapes were compared above
        where = f"event {exp_item.get('id')} {_describe(exp_item)}"
        if exp_item.get("id") != act_item.get("id"):
            problems.append(f"{where}: id expected {exp_item.get('id')}, got {act_item.get('id')}")
        exp_prev = _normalise_previous(exp_item, exp_located)
        act_prev = _normalise_previous(act_item, act_located)
        if exp_prev != act_prev:
            problems.append(f"{where}: previousEventId expected {exp_prev}, got {act_prev}")
        problems.extend(match_value(_without_ids(exp_item), _without_ids(act_item), ctx, where))
    return problems


def _compare_section(expected: _Section, actual: _Section, ctx: MatchContext, number: int, *, lossy: bool) -> list[str]:
    problems: list[str] = []
    remaining: list[Mapping[str, Any] | None] = list(actual.events)
    for exp_event in expected.events:
        exp_body = _without_ids(exp_event)
        best_problems: list[str] | None = None
        matched = False
        for index, candidate in enumerate(remaining):
            if candidate is None or candidate.get("type") != exp_event.get("type"):
                continue
            trial = ctx.fork()
            found = match_value(exp_body, _without_ids(candidate), trial, "")
            if not found:
                ctx.adopt(trial)
                remaining[index] = None
                matched = True
                break
            if best_problems is None or len(found) < len(best_problems):
                best_problems = found
        if not matched:
            detail = f"; closest candidate differs: {best_problems[:3]}" if best_problems else ""
            problems.append(
                f"section {number}: no event of ours matches recorded {_describe(exp_event)} "
                f"{json.dumps(exp_body, default=str)[:200]}{detail}"
            )
            if len(problems) >= _MAX_PROBLEMS:
                return problems
    leftovers = [event for event in remaining if event is not None]
    if leftovers and not lossy:
        problems.append(
            f"section {number}: {len(leftovers)} extra events of ours: {[_describe(event) for event in leftovers[:6]]}"
        )
    return problems
