"""What every rule looks at: the parsed definition, its raw JSON, the machine type, the template."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_sfn.asl.model import MapState, ParallelState, State, StateMachineDefinition

__all__ = ["LintContext", "StateInfo", "TemplateInfo", "strings_in"]


@dataclass(frozen=True, slots=True)
class StateInfo:
    """One state anywhere in the machine, with its raw JSON and the container it belongs to."""

    state: State
    raw: Mapping[str, Any]
    container: StateMachineDefinition
    """The top-level definition, the Parallel branch or the Map processor holding the state."""

    @property
    def name(self) -> str:
        """The state's name."""
        return self.state.name

    @property
    def pointer(self) -> str:
        """The state's JSON pointer (``/States/PriceLines/ItemProcessor/States/PriceLine``)."""
        return self.state.pointer


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """The CloudFormation side of a machine read from a template: its resource and the others."""

    logical_id: str
    properties: Mapping[str, Any]
    resources: Mapping[str, Any]


@dataclass(frozen=True)
class LintContext:
    """The input of every rule's check."""

    definition: StateMachineDefinition
    state_machine_type: str = "STANDARD"
    template: TemplateInfo | None = None
    _states: list[StateInfo] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        """Index every state once (rules iterate them many times)."""
        self._states.extend(_walk(self.definition))

    @property
    def is_express(self) -> bool:
        """True for an EXPRESS machine."""
        return self.state_machine_type.upper() == "EXPRESS"

    def states(self, state_type: str | None = None) -> Iterator[StateInfo]:
        """Every state, Parallel branches and Map processors included; only ``state_type`` if given."""
        for info in self._states:
            if state_type is None or info.state.type == state_type:
                yield info

    def containers(self) -> Iterator[StateMachineDefinition]:
        """The definition itself, then every Parallel branch and Map processor."""
        yield from _containers(self.definition)


def _containers(container: StateMachineDefinition) -> Iterator[StateMachineDefinition]:
    yield container
    for state in container.states.values():
        if isinstance(state, ParallelState):
            for branch in state.branches:
                yield from _containers(branch)
        elif isinstance(state, MapState) and state.processor is not None:
            yield from _containers(state.processor)


def _walk(definition: StateMachineDefinition) -> Iterator[StateInfo]:
    for container in _containers(definition):
        raw_states = container.raw.get("States")
        for name, state in container.states.items():
            raw = raw_states.get(name) if isinstance(raw_states, Mapping) else None
            yield StateInfo(state=state, raw=raw if isinstance(raw, Mapping) else {}, container=container)


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included (to find ``$$.Task.Token`` in Parameters)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)
