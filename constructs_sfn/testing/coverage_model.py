"""What a workflow's tests can cover: every state and every transition, enumerated statically.

:func:`coverage_model` walks a parsed definition (nested Parallel branches and Map item processors
included) and lists one :class:`CoverageItem` per coverable element:

=================  ============================================  ===================================
kind               element                                       ``location``
=================  ============================================  ===================================
``state``          a state                                       the state's JSON pointer
``next``           a state's ``Next`` transition                 ``<state>/Next``
``choice_rule``    rule *i* of a Choice state                    ``<state>/Choices/<i>``
``choice_default`` a Choice state's ``Default``                  ``<state>/Default``
``retry``          Retry rule *i* firing                         ``<state>/Retry/<i>``
``catch``          Catch rule *i* routing an error               ``<state>/Catch/<i>``
``branch``         branch *i* of a Parallel state starting       ``<state>/Branches/<i>``
``item_processor`` a Map state's item processor running          ``<state>/ItemProcessor`` (or
                                                                 ``/Iterator``)
``end``            a state ending its branch or the execution    ``<state>/End``
                   (``End: true``, Succeed, Fail)
=================  ============================================  ===================================

An item's ``id`` is ``"<kind>:<location>"``: stable across runs and processes, so reports from
different test sessions can be compared. Everything but ``state`` items counts as a transition
(error paths included). :meth:`CoverageModel.items_for` maps an executor trace event
(:mod:`constructs_sfn.asl.runtime.observer`) to the item it covers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from constructs_sfn.asl import parse_definition
from constructs_sfn.asl.model.states import (
    ChoiceState,
    FailState,
    MapState,
    ParallelState,
    State,
    StateMachineDefinition,
    SucceedState,
)
from constructs_sfn.asl.runtime.observer import TraceEvent, TraceKind, pointer_steps

__all__ = ["CoverageItem", "CoverageModel", "ItemKind", "coverage_model", "describe_choice_rule", "walk_states"]

_LABEL_LIMIT = 72


class ItemKind(StrEnum):
    """The kinds of coverable element (see the module docstring)."""

    STATE = "state"
    NEXT = "next"
    CHOICE_RULE = "choice_rule"
    CHOICE_DEFAULT = "choice_default"
    RETRY = "retry"
    CATCH = "catch"
    BRANCH = "branch"
    ITEM_PROCESSOR = "item_processor"
    END = "end"


@dataclass(frozen=True, slots=True)
class CoverageItem:
    """One coverable element of a definition."""

    kind: ItemKind
    location: str
    """Where the element sits in the definition, as a JSON pointer (see the module docstring)."""
    state: str
    """The name of the state the element belongs to."""
    state_pointer: str
    """The JSON pointer of that state."""
    label: str
    """A readable description: ``Route: rule 1 ($.kind StringEquals "b") -> B``."""
    target: str | None = None
    """The state the transition leads to, when it names one."""

    @property
    def id(self) -> str:
        """``"<kind>:<location>"``, stable across runs."""
        return f"{self.kind.value}:{self.location}"

    @property
    def is_transition(self) -> bool:
        """Everything but a state is a transition."""
        return self.kind is not ItemKind.STATE


@dataclass(frozen=True, slots=True)
class CoverageModel:
    """The coverable items of one definition, in definition order."""

    items: tuple[CoverageItem, ...]
    _by_id: Mapping[str, CoverageItem] = field(default_factory=dict, repr=False, compare=False)
    _kinds: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    """state pointer -> state type, to interpret STATE_LEFT events."""
    _processors: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    """Map state pointer -> its item processor's location."""

    @property
    def states(self) -> tuple[CoverageItem, ...]:
        """The ``state`` items."""
        return tuple(item for item in self.items if not item.is_transition)

    @property
    def transitions(self) -> tuple[CoverageItem, ...]:
        """Every other item."""
        return tuple(item for item in self.items if item.is_transition)

    def get(self, item_id: str) -> CoverageItem | None:
        """The item with ``item_id``, or None."""
        return self._by_id.get(item_id)

    def items_for(self, event: TraceEvent) -> tuple[str, ...]:
        """The ids of the items ``event`` covers (none for events that cover nothing, or that
        name a state this model does not have)."""
        pointer = event.pointer
        state_type = self._kinds.get(pointer)
        if state_type is None:
            return ()
        kind = event.kind
        found: str | None = None
        if kind is TraceKind.STATE_ENTERED:
            found = f"state:{pointer}"
        elif kind is TraceKind.STATE_LEFT:
            if event.next is None:
                found = f"end:{pointer}/End"
            elif state_type != "Choice":
                found = f"next:{pointer}/Next"
        elif kind is TraceKind.STATE_FAILED:
            if state_type == "Fail":
                found = f"end:{pointer}/End"
        elif kind is TraceKind.CHOICE_RULE:
            found = f"choice_rule:{pointer}/Choices/{event.index}"
        elif kind is TraceKind.CHOICE_DEFAULT:
            found = f"choice_default:{pointer}/Default"
        elif kind is TraceKind.RETRY:
            found = f"retry:{pointer}/Retry/{event.index}"
        elif kind is TraceKind.CATCH:
            found = f"catch:{pointer}/Catch/{event.index}"
        elif kind is TraceKind.BRANCH_STARTED:
            found = f"branch:{pointer}/Branches/{event.index}"
        elif kind is TraceKind.ITERATION_STARTED and pointer in self._processors:
            found = f"item_processor:{self._processors[pointer]}"
        return (found,) if found is not None and found in self._by_id else ()


def coverage_model(definition: StateMachineDefinition | Mapping[str, Any] | str) -> CoverageModel:
    """Enumerate what can be covered in ``definition`` (a parsed definition, its JSON value or text).

    Raises :class:`~constructs_sfn.asl.DefinitionError` (with locations) for an invalid definition.
    """
    parsed = definition if isinstance(definition, StateMachineDefinition) else parse_definition(definition)
    raw: Mapping[str, Any] = parsed.raw
    items: list[CoverageItem] = []
    kinds: dict[str, str] = {}
    processors: dict[str, str] = {}
    for state in walk_states(parsed):
        kinds[state.pointer] = state.type
        if isinstance(state, MapState) and state.processor is not None:
            processors[state.pointer] = state.processor.pointer
        items.extend(_items_of(state, raw))
    by_id = {item.id: item for item in items}
    return CoverageModel(tuple(items), by_id, kinds, processors)


def walk_states(definition: StateMachineDefinition) -> Iterator[State]:
    """Every state of ``definition`` in definition order, each followed by the states nested in it
    (Parallel branches, Map item processors)."""
    for state in definition.states.values():
        yield state
        if isinstance(state, ParallelState):
            for branch in state.branches:
                yield from walk_states(branch)
        elif isinstance(state, MapState) and state.processor is not None:
            yield from walk_states(state.processor)


def _items_of(state: State, raw: Mapping[str, Any]) -> Iterator[CoverageItem]:
    name, pointer = state.name, state.pointer

    def item(kind: ItemKind, location: str, label: str, target: str | None = None) -> CoverageItem:
        return CoverageItem(kind, location, name, pointer, label, target)

    yield item(ItemKind.STATE, pointer, f"{name} ({state.type})")
    if isinstance(state, ParallelState):
        for index, branch in enumerate(state.branches):
            yield item(
                ItemKind.BRANCH, f"{pointer}/Branches/{index}", f"{name}: branch {index} (starts at {branch.start_at})"
            )
    if isinstance(state, MapState) and state.processor is not None:
        yield item(
            ItemKind.ITEM_PROCESSOR,
            state.processor.pointer,
            f"{name}: item processor (starts at {state.processor.start_at})",
        )
    if isinstance(state, ChoiceState):
        for index, rule in enumerate(state.choices):
            target = rule[1] if isinstance(rule, tuple) else rule.next
            location = f"{pointer}/Choices/{index}"
            condition = describe_choice_rule(_resolve(raw, location) or _compiled_rule_as_raw(rule))
            yield item(ItemKind.CHOICE_RULE, location, f"{name}: rule {index} ({condition}) -> {target}", target)
        if state.default is not None:
            yield item(
                ItemKind.CHOICE_DEFAULT, f"{pointer}/Default", f"{name}: Default -> {state.default}", state.default
            )
    for index, retrier in enumerate(state.retry):
        yield item(ItemKind.RETRY, f"{pointer}/Retry/{index}", f"{name}: Retry {index} {_errors(retrier.error_equals)}")
    for index, catcher in enumerate(state.catch):
        yield item(
            ItemKind.CATCH,
            f"{pointer}/Catch/{index}",
            f"{name}: Catch {index} {_errors(catcher.error_equals)} -> {catcher.next}",
            catcher.next,
        )
    if state.next is not None and not isinstance(state, ChoiceState):
        yield item(ItemKind.NEXT, f"{pointer}/Next", f"{name} -> {state.next}", state.next)
    if isinstance(state, SucceedState):
        yield item(ItemKind.END, f"{pointer}/End", f"{name}: Succeed")
    elif isinstance(state, FailState):
        error = f" ({state.error})" if isinstance(state.error, str) else ""
        yield item(ItemKind.END, f"{pointer}/End", f"{name}: Fail{error}")
    elif state.end:
        yield item(ItemKind.END, f"{pointer}/End", f"{name}: End")


def _errors(names: tuple[str, ...]) -> str:
    return "[" + ", ".join(names) + "]"


def _resolve(raw: Any, pointer: str) -> Any:
    """The raw JSON at ``pointer`` (None when the definition kept no raw document there)."""
    value = raw
    for step in pointer_steps(pointer):
        if isinstance(value, Mapping):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


def _compiled_rule_as_raw(rule: Any) -> Mapping[str, Any] | None:
    """A JSONPath rule rebuilt from its compiled form (for a model parsed without its raw text)."""
    if not isinstance(rule, tuple):
        return None
    compiled = rule[0]
    rebuilt: dict[str, Any] = {} if compiled.variable is None else {"Variable": compiled.variable}
    rebuilt[compiled.operator] = compiled.operand
    return rebuilt


def describe_choice_rule(rule: Any) -> str:
    """A short readable form of a raw Choice rule: ``$.kind StringEquals "b"``, ``And(...)``,
    or a JSONata ``Condition``'s expression; ``?`` when the rule is unknown."""
    text = _describe(rule) if isinstance(rule, Mapping) else "?"
    return text if len(text) <= _LABEL_LIMIT else text[: _LABEL_LIMIT - 3] + "..."


def _describe(rule: Mapping[str, Any]) -> str:
    if "Condition" in rule:
        condition = rule["Condition"]
        if isinstance(condition, str):
            stripped = condition.strip()
            if stripped.startswith("{%") and stripped.endswith("%}"):
                stripped = stripped[2:-2].strip()
            return stripped
        return json.dumps(condition)
    for combinator in ("And", "Or"):
        if isinstance(rule.get(combinator), list):
            inner = ", ".join(_describe(r) if isinstance(r, Mapping) else "?" for r in rule[combinator])
            return f"{combinator}({inner})"
    if isinstance(rule.get("Not"), Mapping):
        return f"Not({_describe(rule['Not'])})"
    variable = rule.get("Variable", "?")
    for key, value in rule.items():
        if key not in ("Variable", "Next", "Comment", "Assign", "Output"):
            return f"{variable} {key} {json.dumps(value, ensure_ascii=False)}"
    return str(variable)
