"""A :class:`~.graph_model.StateGraph` (and optionally a run's overlay) as Graphviz DOT text.

Top to bottom like the console; each Parallel/Map state a cluster, with one cluster per branch or
for the item processor. Colours, line styles and the highlighted path are written as Graphviz
attributes, so the static SVG carries them without any stylesheet; the SVG elements also get ids
(``state-<node id>``) and classes (``state outcome-failed``) for the HTML report's script.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs_sfn.visual.graph_model import Cluster, GraphEdge, GraphNode, StateGraph
from constructs_sfn.visual.run_overlay import RunOverlay

__all__ = ["OUTCOME_STYLES", "OutcomeStyle", "dot_source", "edge_taken", "state_outcome"]


@dataclass(frozen=True, slots=True)
class OutcomeStyle:
    """How a state with this outcome is drawn."""

    fill: str
    stroke: str
    text: str
    label: str


OUTCOME_STYLES = {
    "succeeded": OutcomeStyle("#d9f2dd", "#1d8102", "#16191f", "Succeeded"),
    "failed": OutcomeStyle("#fde0dd", "#d13212", "#16191f", "Failed"),
    "caught": OutcomeStyle("#ffe8cc", "#ec7211", "#16191f", "Caught"),
    "retried": OutcomeStyle("#fff3bf", "#b08800", "#16191f", "Retried, then succeeded"),
    "aborted": OutcomeStyle("#ece6f5", "#7b5ea7", "#16191f", "Aborted"),
    "running": OutcomeStyle("#dbeafe", "#0972d3", "#16191f", "In progress"),
    "not_reached": OutcomeStyle("#f2f3f3", "#aab7b8", "#687078", "Not reached"),
    "child_runs": OutcomeStyle("#eef2f7", "#7d8998", "#414d5c", "Ran in child executions (see their histories)"),
    "definition": OutcomeStyle("#ffffff", "#545b64", "#16191f", "State"),
}
"""Outcome -> colours; ``definition`` is the look without a run."""

_PATH_COLOUR = "#1d8102"
_EDGE_COLOUR = "#545b64"
_UNTAKEN_COLOUR = "#c6cbcf"
_FONT = "Helvetica,Arial,sans-serif"


def dot_source(graph: StateGraph, overlay: RunOverlay | None = None) -> str:
    """The DOT text of the graph; with an overlay, states coloured by outcome and the path highlighted."""
    lines = [
        "digraph StateMachine {",
        f'  graph [rankdir=TB, nodesep=0.35, ranksep=0.42, fontname="{_FONT}", fontsize=11, bgcolor="transparent"];',
        (
            f'  node [shape=box, style="rounded,filled", fontname="{_FONT}", fontsize=11, height=0.45, '
            'margin="0.18,0.06"];'
        ),
        f'  edge [fontname="{_FONT}", fontsize=9, arrowsize=0.7];',
    ]
    lines.extend("  " + _node(graph.node(node_id), graph, overlay) for node_id in graph.top_nodes)
    for cluster in graph.clusters:
        lines.extend(_cluster(cluster, graph, overlay, depth=1))
    lines.extend("  " + _edge(edge, graph, overlay) for edge in graph.edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def edge_taken(edge: GraphEdge, graph: StateGraph, overlay: RunOverlay) -> bool:
    """Whether the run went along this edge."""
    if edge.kind == "start":
        # Entering a scope always goes through its StartAt state, so a visited one was started.
        run = overlay.state(edge.to_state or "")
        return run is not None
    if edge.kind == "end":
        run = overlay.state(edge.from_state or "")
        if run is None:
            return False
        if graph.state_types.get(run.name) in ("Succeed", "Fail"):
            return True
        return any(visit.exited for visit in run.visits)
    return (edge.from_state or "", edge.to_state or "") in overlay.taken


def state_outcome(name: str, graph: StateGraph, overlay: RunOverlay) -> str:
    """The outcome a state is drawn with: its run's, ``not_reached``, or ``child_runs`` for a state
    of a Distributed Map that started (its events are in the child executions' histories)."""
    run = overlay.state(name)
    if run is not None:
        return run.outcome
    parent = graph.child_run_states.get(name)
    return "child_runs" if parent is not None and overlay.state(parent) is not None else "not_reached"


def _node(node: GraphNode, graph: StateGraph, overlay: RunOverlay | None) -> str:
    if node.kind == "start" or node.kind == "end":
        taken = overlay is None or node.kind == "start" or overlay.status != "RUNNING"
        colour = "#545b64" if taken else _UNTAKEN_COLOUR
        return (
            f'{node.id} [id="node-{node.id}", class="terminal", shape=box, style="rounded,filled", '
            f'fillcolor="#545b64", fontcolor="#ffffff", color="{colour}", label={_quote(node.label)}, '
            "height=0.3, width=0.7];"
        )
    if node.kind == "join":
        return f'{node.id} [id="node-{node.id}", shape=point, width=0.08, color="{_EDGE_COLOUR}", label=""];'
    outcome = "definition"
    counts = ""
    if overlay is not None and node.state is not None:
        run = overlay.state(node.state)
        outcome = state_outcome(node.state, graph, overlay)
        if run is not None and run.map_items:
            counts = _map_counts(run.map_items)
        elif run is not None and len(run.visits) > 1:
            counts = f"{len(run.visits)} visits"
    style = OUTCOME_STYLES[outcome]
    second = node.detail if node.detail and node.detail != node.label else ""
    label = node.label + (f"\n{second}" if second else "") + (f"\n{counts}" if counts else "")
    width = "2.0" if outcome != "definition" else "1.6"
    return (
        f'{node.id} [id="state-{node.id}", class="state outcome-{outcome}", label={_quote(label)}, '
        f'fillcolor="{style.fill}", color="{style.stroke}", fontcolor="{style.text}", '
        f"penwidth={2 if outcome in ('failed', 'caught') else 1.2}, width={width}, "
        f"tooltip={_quote(node.state or '')}];"
    )


def _cluster(cluster: Cluster, graph: StateGraph, overlay: RunOverlay | None, depth: int) -> list[str]:
    pad = "  " * depth
    is_state = cluster.state is not None
    colour = "#879596" if is_state else "#aab7b8"
    lines = [
        f"{pad}subgraph cluster_{cluster.id} {{",
        (
            f'{pad}  id="cluster-{cluster.id}"; label={_quote(cluster.label if not is_state else "")}; '
            f'labeljust="l"; fontsize=9; fontcolor="#687078"; style="rounded{",dashed" if not is_state else ""}"; '
            f'color="{colour}"; margin=10;'
        ),
    ]
    lines.extend(f"{pad}  " + _node(graph.node(node_id), graph, overlay) for node_id in cluster.nodes)
    for inner in cluster.clusters:
        lines.extend(_cluster(inner, graph, overlay, depth + 1))
    lines.append(f"{pad}}}")
    return lines


def _edge(edge: GraphEdge, graph: StateGraph, overlay: RunOverlay | None) -> str:
    attributes = [f'id="edge-{edge.source}-{edge.target}-{edge.kind}"', f'class="edge-{edge.kind}"']
    if edge.label:
        attributes.append(f"label={_quote(edge.label)}")
    if edge.kind == "catch":
        attributes.append('style="dashed"')
    colour, width = _EDGE_COLOUR, 1.0
    if overlay is not None:
        if edge_taken(edge, graph, overlay):
            colour, width = _PATH_COLOUR, 2.6
            attributes[1] = f'class="edge-{edge.kind} taken"'
        else:
            colour = _UNTAKEN_COLOUR
    attributes.append(f'color="{colour}"')
    attributes.append(f'fontcolor="{colour if overlay is not None else "#545b64"}"')
    attributes.append(f"penwidth={width}")
    return f"{edge.source} -> {edge.target} [{', '.join(attributes)}];"


def _map_counts(items: dict[str, int]) -> str:
    started = items.get("started", 0)
    parts = [f"{items[key]} {key}" for key in ("succeeded", "failed", "aborted") if items.get(key)]
    return f"{started} items: " + ", ".join(parts) if parts else f"{started} items"


def _quote(text: str) -> str:
    """A DOT double-quoted string; backslash escapes are DOT's own (``\\n`` is a line break)."""
    # Lone surrogates (possible in JSON text) cannot be written as UTF-8: shown as escapes.
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    cleaned = "".join(ch if ch >= " " or ch == "\n" else " " for ch in text)
    escaped = cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
