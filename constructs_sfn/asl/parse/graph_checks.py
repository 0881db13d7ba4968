"""The graph pass: state names, transition targets, reachability and the terminal-state rule.

Measured AWS behaviour this reproduces:

* every transition whose target is not a state of the same container is
  ``MISSING_TRANSITION_TARGET: Missing 'Next' target: <name>`` at the transition's own field
  (``/StartAt``, ``/States/A/Next``, ``/States/C/Choices[0]/Next``, ``/States/C/Default``,
  ``/States/T/Catch[0]/Next``): the word is ``Next`` whatever the field;
* every state no transition reaches is ``MISSING_TRANSITION_TARGET: State "<name>" is not
  reachable.`` at the state;
* a top-level state machine without any terminal state (``End: true``, Succeed, Fail) is
  ``MISSING_END_STATE: Workflow has no terminal state`` with no location, reported after the
  missing targets; it suppresses the unreachable-state reports;
* a state name used twice anywhere in the machine is ``DUPLICATE_STATE_NAME: Duplicate State name:
  <name>`` at the second occurrence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from constructs_sfn.asl.parse.schema_context import (
    DUPLICATE_STATE_NAME,
    MISSING_END_STATE,
    MISSING_TRANSITION_TARGET,
    ProblemSink,
    at_field,
    at_index,
)
from constructs_sfn.asl.parse.schema_walk import Container

__all__ = ["check_graph"]


def check_graph(sink: ProblemSink, containers: list[Container], state_names: list[tuple[str, str]]) -> None:
    """Report duplicate names, then transition problems, then the missing terminal state."""
    seen: set[str] = set()
    for name, location in state_names:
        if name in seen:
            sink.error(f"Duplicate State name: {name}", location, code=DUPLICATE_STATE_NAME)
        seen.add(name)
    no_terminal = any(c.top_level and not _has_terminal(c.states) for c in containers)
    for container in containers:
        _missing_targets(sink, container)
    if no_terminal:
        sink.error("Workflow has no terminal state", "", code=MISSING_END_STATE)
        return
    for container in containers:
        _unreachable(sink, container)


def _has_terminal(states: Mapping[str, Any]) -> bool:
    for state in states.values():
        if isinstance(state, Mapping) and (state.get("Type") in ("Succeed", "Fail") or state.get("End") is True):
            return True
    return False


def _transitions(state: Any, location: str) -> Iterator[tuple[Any, str]]:
    """Every ``(target, location)`` a state may transition to."""
    if not isinstance(state, Mapping):
        return
    if "Next" in state:
        yield state["Next"], at_field(location, "Next")
    choices = state.get("Choices")
    if state.get("Type") == "Choice" and isinstance(choices, list):
        choices_location = at_field(location, "Choices")
        for index, rule in enumerate(choices):
            if isinstance(rule, Mapping) and "Next" in rule:
                yield rule["Next"], at_field(at_index(choices_location, index), "Next")
    if state.get("Type") == "Choice" and "Default" in state:
        yield state["Default"], at_field(location, "Default")
    catch = state.get("Catch")
    if isinstance(catch, list):
        catch_location = at_field(location, "Catch")
        for index, catcher in enumerate(catch):
            if isinstance(catcher, Mapping) and "Next" in catcher:
                yield catcher["Next"], at_field(at_index(catch_location, index), "Next")


def _missing_targets(sink: ProblemSink, container: Container) -> None:
    names = container.states
    if isinstance(container.start_at, str) and container.start_at not in names:
        sink.error(
            f"Missing 'Next' target: {container.start_at}",
            at_field(container.location, "StartAt"),
            code=MISSING_TRANSITION_TARGET,
        )
    for name, state in names.items():
        for target, where in _transitions(state, container.state_locations[name]):
            if isinstance(target, str) and target not in names:
                sink.error(f"Missing 'Next' target: {target}", where, code=MISSING_TRANSITION_TARGET)


def _unreachable(sink: ProblemSink, container: Container) -> None:
    names = container.states
    reached: set[str] = set()
    pending = [container.start_at] if isinstance(container.start_at, str) else []
    while pending:
        name = pending.pop()
        if name in reached or name not in names:
            continue
        reached.add(name)
        pending.extend(
            target
            for target, _ in _transitions(names[name], container.state_locations[name])
            if isinstance(target, str)
        )
    for name in names:
        if name not in reached:
            sink.error(
                f'State "{name}" is not reachable.',
                container.state_locations[name],
                code=MISSING_TRANSITION_TARGET,
            )
