"""A parsed definition as a drawable graph: state nodes, transitions and nested clusters.

:func:`build_graph` walks a :class:`~constructs_sfn.asl.model.states.StateMachineDefinition` and
returns a :class:`StateGraph`: one node per state, plus the synthetic ``Start`` and ``End`` nodes
and one small join node per Parallel/Map state (where its branches meet before it moves on).
Edges are the transitions a run can take: ``Next``, each Choice rule and its ``Default``, ``End``
(and Succeed/Fail, which end their scope), and each ``Catch`` (drawn dashed). A Parallel state is a
cluster holding its header node, one cluster per branch and its join node; a Map state is a
cluster holding its header, its item processor's cluster and its join node, as the console nests
them. State names are unique in the whole state machine (the States Language requires it), so a
state's name identifies its node everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_sfn.asl.model.states import (
    ChoiceState,
    FailState,
    MapState,
    ParallelState,
    State,
    StateMachineDefinition,
    SucceedState,
    TaskState,
)

__all__ = ["Cluster", "GraphEdge", "GraphNode", "StateGraph", "build_graph", "choice_rule_text"]

LABEL_LIMIT = 48
"""Edge and node labels are cut to this many characters (the details panel shows everything)."""

# Longest suffix first: "LessThanEquals" must not be read as "...Equals".
_OPERATOR_SYMBOLS = {
    "LessThanEquals": "<=",
    "GreaterThanEquals": ">=",
    "LessThan": "<",
    "GreaterThan": ">",
    "Equals": "==",
    "Matches": "matches",
}


@dataclass(frozen=True, slots=True)
class GraphNode:
    """One box or marker of the drawing."""

    id: str
    """A short, DOT- and HTML-safe id (``s3``, ``start``, ``end``, ``j3``)."""
    kind: str
    """``state``, ``start``, ``end`` or ``join``."""
    label: str
    state: str | None = None
    """The state's name, for ``state`` nodes and for the join node of a Parallel/Map state."""
    state_type: str | None = None
    detail: str | None = None
    """A second label line: the Task resource, or the Map/Parallel shape."""


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """One transition a run can take."""

    source: str
    target: str
    """Node ids."""
    kind: str
    """``next``, ``choice``, ``default``, ``catch``, ``start`` (into a scope) or ``end``."""
    label: str = ""
    from_state: str | None = None
    """The state a run leaves along this edge; for ``start`` edges, the Parallel/Map entered."""
    to_state: str | None = None
    """The state a run enters along this edge; None for ``end`` edges."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """A nested box: a Parallel or Map state, or one of its branches / its item processor."""

    id: str
    label: str
    nodes: tuple[str, ...]
    clusters: tuple[Cluster, ...] = ()
    state: str | None = None
    """The Parallel/Map state this box belongs to."""


@dataclass(frozen=True, slots=True)
class StateGraph:
    """The whole drawing: nodes, edges and the cluster tree, plus lookups by state name."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    top_nodes: tuple[str, ...]
    """Node ids outside every cluster."""
    clusters: tuple[Cluster, ...]
    node_of_state: Mapping[str, str]
    """State name -> node id of its box."""
    state_types: Mapping[str, str]
    raw_states: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """State name -> the state's JSON object as written (for the details panel)."""
    nodes_by_id: Mapping[str, GraphNode] = field(default_factory=dict)
    child_run_states: Mapping[str, str] = field(default_factory=dict)
    """State name -> its Distributed Map, for states that run in child executions (whose events
    are in the children's histories, not the parent's)."""

    def node(self, node_id: str) -> GraphNode:
        """The node with this id (KeyError when there is none)."""
        return self.nodes_by_id[node_id]


def build_graph(definition: StateMachineDefinition) -> StateGraph:
    """The drawable graph of a parsed definition."""
    builder = _Builder()
    start = builder.add(GraphNode("start", "start", "Start"))
    end = builder.add(GraphNode("end", "end", "End"))
    top, clusters = builder.scope(definition, entry=start, entry_state=None, exit_node=end)
    return StateGraph(
        nodes=tuple(builder.nodes),
        edges=tuple(builder.edges),
        top_nodes=(start, *top, end),
        clusters=tuple(clusters),
        node_of_state=dict(builder.node_of_state),
        state_types=dict(builder.state_types),
        raw_states=dict(builder.raw_states),
        nodes_by_id={node.id: node for node in builder.nodes},
        child_run_states=dict(builder.child_run_states),
    )


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[GraphNode] = []
        self.edges: list[GraphEdge] = []
        self.node_of_state: dict[str, str] = {}
        self.state_types: dict[str, str] = {}
        self.raw_states: dict[str, Mapping[str, Any]] = {}
        self.child_run_states: dict[str, str] = {}
        self.counter = 0

    def add(self, node: GraphNode) -> str:
        self.nodes.append(node)
        return node.id

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def scope(
        self, definition: StateMachineDefinition, *, entry: str, entry_state: str | None, exit_node: str
    ) -> tuple[list[str], list[Cluster]]:
        """Add one scope's states; returns the node ids and clusters that sit directly in it."""
        raw_states = definition.raw.get("States")
        raw_by_name: Mapping[str, Any] = raw_states if isinstance(raw_states, Mapping) else {}
        ids = {name: self.fresh("s") for name in definition.states}
        self.node_of_state.update(ids)
        members: list[str] = []
        clusters: list[Cluster] = []
        # Exits of each state (its own box, or the join node of a Parallel/Map) are known only
        # after its cluster is built, so edges are added in a second pass.
        exits: dict[str, str] = {}
        for name, state in definition.states.items():
            raw = raw_by_name.get(name)
            self.raw_states[name] = raw if isinstance(raw, Mapping) else {}
            self.state_types[name] = state.type
            node = GraphNode(ids[name], "state", _short(name), state=name, state_type=state.type, detail=_detail(state))
            if isinstance(state, ParallelState | MapState):
                cluster, join = self.container(state, node)
                clusters.append(cluster)
                exits[name] = join
            else:
                members.append(self.add(node))
                exits[name] = ids[name]
        self.edges.append(GraphEdge(entry, ids[definition.start_at], "start", "", entry_state, definition.start_at))
        for name, state in definition.states.items():
            self.transitions(name, state, exits[name], ids, exit_node, self.raw_states[name])
        return members, clusters

    def container(self, state: ParallelState | MapState, header: GraphNode) -> tuple[Cluster, str]:
        self.add(header)
        join = self.add(GraphNode(f"j{header.id[1:]}", "join", "", state=state.name))
        inner: list[Cluster] = []
        if isinstance(state, ParallelState):
            for index, branch in enumerate(state.branches):
                nodes, nested = self.scope(branch, entry=header.id, entry_state=state.name, exit_node=join)
                inner.append(Cluster(f"{header.id}_b{index}", f"Branch {index + 1}", tuple(nodes), tuple(nested)))
        elif state.processor is not None:
            known = set(self.state_types)
            nodes, nested = self.scope(state.processor, entry=header.id, entry_state=state.name, exit_node=join)
            if state.mode == "DISTRIBUTED":
                for name in set(self.state_types) - known:
                    self.child_run_states.setdefault(name, state.name)
            label = "Item processor" + (" (distributed)" if state.mode == "DISTRIBUTED" else "")
            inner.append(Cluster(f"{header.id}_p", label, tuple(nodes), tuple(nested)))
        cluster = Cluster(f"{header.id}_c", state.name, (header.id, join), tuple(inner), state=state.name)
        return cluster, join

    def transitions(
        self, name: str, state: State, source: str, ids: Mapping[str, str], exit_node: str, raw: Mapping[str, Any]
    ) -> None:
        def edge(target: str, kind: str, label: str = "") -> None:
            self.edges.append(GraphEdge(source, ids[target], kind, _short(label), name, target))

        if isinstance(state, ChoiceState):
            raw_rules = raw.get("Choices")
            rules = raw_rules if isinstance(raw_rules, list) else []
            for index, rule in enumerate(rules):
                if isinstance(rule, Mapping) and isinstance(rule.get("Next"), str) and rule["Next"] in ids:
                    edge(rule["Next"], "choice", choice_rule_text(rule) or f"rule {index + 1}")
            if state.default is not None and state.default in ids:
                edge(state.default, "default", "Default")
        elif state.end or isinstance(state, SucceedState | FailState):
            self.edges.append(GraphEdge(source, exit_node, "end", "", name, None))
        elif state.next is not None and state.next in ids:
            edge(state.next, "next")
        for catcher in state.catch:
            if catcher.next in ids:
                edge(catcher.next, "catch", "Catch " + ", ".join(catcher.error_equals))


def choice_rule_text(rule: Mapping[str, Any]) -> str:
    """A one-line reading of a Choice rule: its Comment, or ``$.n > 2`` / a JSONata Condition."""
    comment = rule.get("Comment")
    if isinstance(comment, str) and comment.strip():
        return comment.strip()
    condition = rule.get("Condition")
    if isinstance(condition, str):
        return condition.removeprefix("{%").removesuffix("%}").strip()
    return _rule_text(rule, depth=0)


def _rule_text(rule: Any, depth: int) -> str:
    if not isinstance(rule, Mapping) or depth > 8:
        return "..."
    for operator in ("And", "Or"):
        operands = rule.get(operator)
        if isinstance(operands, list):
            joined = f" {operator.lower()} ".join(_rule_text(item, depth + 1) for item in operands)
            return f"({joined})" if depth else joined
    if "Not" in rule:
        return f"not {_rule_text(rule['Not'], depth + 1)}"
    variable = rule.get("Variable", "?")
    for key, value in rule.items():
        if key in ("Variable", "Next", "Comment", "Assign", "Output"):
            continue
        text = json.dumps(value, ensure_ascii=False) if not key.endswith("Path") else str(value)
        if key.startswith("Is"):
            return f"{variable} {key}" if value is True else f"not {variable} {key}"
        for suffix, symbol in _OPERATOR_SYMBOLS.items():
            if key.removesuffix("Path").endswith(suffix):
                return f"{variable} {symbol} {text}"
        return f"{variable} {key} {text}"
    return str(variable)


def _detail(state: State) -> str | None:
    if isinstance(state, TaskState):
        resource = state.resource
        # "arn:aws:states:::lambda:invoke" -> "lambda:invoke"; a Lambda ARN -> its function name.
        if resource.startswith("arn:aws:states:::"):
            return _short(resource.removeprefix("arn:aws:states:::"))
        return _short(resource.rsplit(":", 1)[-1] if ":function:" not in resource else resource.split(":function:")[1])
    if isinstance(state, MapState):
        return "Distributed Map" if state.mode == "DISTRIBUTED" else "Map"
    if isinstance(state, ParallelState):
        return f"Parallel, {len(state.branches)} branches"
    return state.type


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= LABEL_LIMIT else flat[: LABEL_LIMIT - 1] + "\u2026"
