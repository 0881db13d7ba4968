"""Rules about the shape of the workflow: Map concurrency, Parallel, reachability, Choice defaults."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from constructs_sfn.asl.model import MapState, ParallelState, StateMachineDefinition
from constructs_sfn.lint.context import LintContext, StateInfo
from constructs_sfn.lint.findings import ERROR, WARNING, Hit, Rule
from constructs_sfn.lint.integrations import is_async_send

__all__ = ["FLOW_RULES", "transitions"]


def _unbounded_map(ctx: LintContext) -> Iterator[Hit]:
    for info in ctx.states("Map"):
        state = info.state
        if not isinstance(state, MapState):
            continue
        bounded = state.max_concurrency_path is not None or state.max_concurrency not in (0, None)
        if bounded or isinstance(info.raw.get("Items"), list):
            continue
        if state.item_reader is not None:
            source = "an ItemReader (S3) source"
        elif state.is_jsonata:
            source = "an Items expression"
        else:
            source = f"the array at ItemsPath {info.raw.get('ItemsPath', '$')!r}"
        yield Hit(
            info.pointer,
            info.name,
            f"Map {info.name!r} has no MaxConcurrency (or 0) over {source}: as many items as arrive run at once "
            "and can overwhelm the services they call.",
        )


def _fire_and_forget(ctx: LintContext) -> Iterator[Hit]:
    for info in ctx.states("Parallel"):
        state = info.state
        if not isinstance(state, ParallelState):
            continue
        for index, branch in enumerate(state.branches):
            branch_states = [s for s in ctx.states() if s.container is branch]
            tasks = [s for s in branch_states if s.state.type == "Task"]
            others = [s for s in branch_states if s.state.type not in ("Task", "Pass", "Succeed")]
            if tasks and not others and all(is_async_send(task) for task in tasks):
                yield Hit(
                    f"{info.pointer}/Branches/{index}",
                    info.name,
                    f"Branch #{index} of Parallel {info.name!r} only hands work off "
                    f"({', '.join(t.name for t in tasks)}): a Parallel waits for every branch and fails when one "
                    "fails, so this is not fire-and-forget.",
                )


def transitions(raw: Mapping[str, Any]) -> list[str]:
    """Every state a state can go to: Next, Choices' Next, Default and Catch's Next."""
    targets = [raw[key] for key in ("Next", "Default") if isinstance(raw.get(key), str)]
    for group in ("Choices", "Catch"):
        entries = raw.get(group) or ()
        targets.extend(e["Next"] for e in entries if isinstance(e, Mapping) and isinstance(e.get("Next"), str))
    return targets


def _graph(container: StateMachineDefinition) -> dict[str, list[str]]:
    raw_states = container.raw.get("States") or {}
    return {
        name: [t for t in transitions(raw) if t in container.states]
        for name, raw in raw_states.items()
        if isinstance(raw, Mapping)
    }


def _reachable(graph: Mapping[str, list[str]], starts: list[str]) -> set[str]:
    seen: set[str] = set()
    stack = [s for s in starts if s in graph]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(graph[name])
    return seen


def _info_of(ctx: LintContext, container: StateMachineDefinition) -> dict[str, StateInfo]:
    return {info.name: info for info in ctx.states() if info.container is container}


def _unreachable(ctx: LintContext) -> Iterator[Hit]:
    for container in ctx.containers():
        graph = _graph(container)
        reached = _reachable(graph, [container.start_at])
        for name, info in _info_of(ctx, container).items():
            if name not in reached:
                yield Hit(
                    info.pointer,
                    name,
                    f"State {name!r} is unreachable: no StartAt, Next, Default or Catch leads to it.",
                )


def _never_ends(ctx: LintContext) -> Iterator[Hit]:
    for container in ctx.containers():
        graph = _graph(container)
        infos = _info_of(ctx, container)
        # A transition to a missing state is the validator's finding; do not call its source endless too.
        terminals = [
            name
            for name, info in infos.items()
            if info.state.end
            or info.state.type in ("Succeed", "Fail")
            or any(target not in container.states for target in transitions(info.raw))
        ]
        reverse: dict[str, list[str]] = {name: [] for name in graph}
        for name, targets in graph.items():
            for target in targets:
                reverse[target].append(name)
        can_end = _reachable(reverse, terminals)
        for name in sorted(_reachable(graph, [container.start_at]) - can_end, key=list(infos).index):
            yield Hit(
                infos[name].pointer,
                name,
                f"State {name!r} can never reach an end: every path from it loops without reaching a state "
                "with End, Succeed or Fail, so the execution runs until it times out.",
            )


def _choice_without_default(ctx: LintContext) -> Iterator[Hit]:
    for info in ctx.states("Choice"):
        if "Default" not in info.raw:
            yield Hit(
                info.pointer,
                info.name,
                f"Choice {info.name!r} has no Default: an input no rule matches fails the execution with "
                "States.NoChoiceMatched.",
            )


FLOW_RULES = (
    Rule(
        "SFN030",
        WARNING,
        "A Map without MaxConcurrency (or MaxConcurrency 0) over a dynamic array or an S3 source.",
        "Set MaxConcurrency to what the downstream services can take (CDK: max_concurrency=...).",
        _unbounded_map,
    ),
    Rule(
        "SFN031",
        WARNING,
        "A Parallel branch that only hands work off (asynchronous sends), used as fire-and-forget.",
        "Make the hand-off a plain Task in the main flow (with Retry and Catch); start background work as its "
        "own execution (states:startExecution) instead of a Parallel branch.",
        _fire_and_forget,
    ),
    Rule(
        "SFN040",
        ERROR,
        "A state no transition reaches.",
        "Remove the state or add the transition that should lead to it.",
        _unreachable,
        validator_codes=("MISSING_TRANSITION_TARGET",),
    ),
    Rule(
        "SFN041",
        ERROR,
        "A state from which no path reaches End, Succeed or Fail (an endless loop).",
        "Give the loop an exit: a Choice rule (or Default) leading to a terminal state, or a counter.",
        _never_ends,
        validator_codes=("MISSING_END_STATE",),
    ),
    Rule(
        "SFN042",
        WARNING,
        "A Choice without Default.",
        "Add a Default (a Fail state with a clear Error when no rule should ever miss).",
        _choice_without_default,
    ),
)
"""SFN030-SFN042."""
