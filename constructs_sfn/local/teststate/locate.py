"""Finding the state a TestState call names: at the top level, in a Parallel branch or in a Map.

API_TestState.html: with ``stateName``, "the definition must contain a fully-formed state machine
definition" and the named state is the one tested. ASL state names are unique in the whole state
machine, nested ones included, so a name finds at most one state wherever it is: in ``States``, in
a ``Parallel`` state's ``Branches`` or in a ``Map`` state's ``ItemProcessor`` (``Iterator``).
The state keeps what it would have in its machine: the query language it inherits from the
enclosing machine or branch, and whether it runs inside a Map iteration (so ``$$.Map`` exists).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["SINGLE_STATE_NAME", "LocatedState", "locate_state"]

SINGLE_STATE_NAME = "StateName"
"""The name AWS gives the state when the definition is a single state (no ``stateName``)."""
_JSONPATH = "JSONPath"


@dataclass(frozen=True, slots=True)
class LocatedState:
    """The JSON of the state under test and where it sits in its definition."""

    name: str
    document: Mapping[str, Any]
    pointer: str
    """JSON pointer of the state in the definition (``/States/Map/ItemProcessor/States/Inner``)."""
    query_language: str
    """The query language the state inherits (its own ``QueryLanguage`` field still wins)."""
    enclosing: tuple[str, ...] = ()
    """The types of the states it is nested in, outermost first (``("Map", "Parallel")``)."""

    @property
    def state_type(self) -> str:
        """The state's ``Type`` as written (empty when missing or not a string)."""
        value = self.document.get("Type")
        return value if isinstance(value, str) else ""

    @property
    def in_map(self) -> bool:
        """Whether the state runs inside a Map iteration (its context object has ``Map``)."""
        return "Map" in self.enclosing


def locate_state(definition: Mapping[str, Any], state_name: str | None) -> LocatedState | None:
    """The state ``state_name`` names (default: ``StartAt``), or None when there is none.

    A ``definition`` without ``States`` is a single state, tested as ``"StateName"``.
    """
    if "States" not in definition:
        return LocatedState(state_name or SINGLE_STATE_NAME, definition, f"/States/{SINGLE_STATE_NAME}", _JSONPATH)
    name = state_name if state_name is not None else definition.get("StartAt")
    if not isinstance(name, str):
        return None
    query_language = _query_language(definition, _JSONPATH)
    for found in _states(definition, "", query_language, ()):
        if found.name == name:
            return found
    return None


def _query_language(document: Mapping[str, Any], inherited: str) -> str:
    value = document.get("QueryLanguage", inherited)
    return value if isinstance(value, str) else inherited


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _states(
    machine: Mapping[str, Any], pointer: str, query_language: str, enclosing: tuple[str, ...]
) -> Iterator[LocatedState]:
    """Every state of ``machine`` and of the machines nested in it, outer ones first."""
    states = machine.get("States")
    if not isinstance(states, Mapping):
        return
    nested: list[tuple[Mapping[str, Any], str, str, tuple[str, ...]]] = []
    for name, document in states.items():
        if not isinstance(name, str) or not isinstance(document, Mapping):
            continue
        where = f"{pointer}/States/{_escape(name)}"
        yield LocatedState(name, document, where, query_language, enclosing)
        own_language = _query_language(document, query_language)
        if document.get("Type") == "Parallel" and isinstance(document.get("Branches"), list):
            for index, branch in enumerate(document["Branches"]):
                if isinstance(branch, Mapping):
                    inner = _query_language(branch, own_language)
                    nested.append((branch, f"{where}/Branches/{index}", inner, (*enclosing, "Parallel")))
        elif document.get("Type") == "Map":
            key = "ItemProcessor" if "ItemProcessor" in document else "Iterator"
            processor = document.get(key)
            if isinstance(processor, Mapping):
                inner = _query_language(processor, own_language)
                nested.append((processor, f"{where}/{key}", inner, (*enclosing, "Map")))
    for inner_machine, where, inner_language, inner_enclosing in nested:
        yield from _states(inner_machine, where, inner_language, inner_enclosing)
