"""One call from a definition (and a run) to an SVG drawing or the HTML run report."""

from __future__ import annotations

from typing import Any

from constructs_sfn.asl import Execution, VirtualClock
from constructs_sfn.asl.model.states import StateMachineDefinition
from constructs_sfn.visual.cost import CostEstimate, Prices, estimate_cost, run_usage
from constructs_sfn.visual.dot_source import dot_source
from constructs_sfn.visual.graph_model import build_graph
from constructs_sfn.visual.layout import DEFAULT_TIMEOUT_SECONDS, render_png, render_svg
from constructs_sfn.visual.report import report_data, report_html
from constructs_sfn.visual.run_overlay import RunOverlay, run_overlay

__all__ = ["graph_png", "graph_report", "graph_svg", "run_locally"]


def graph_svg(
    definition: StateMachineDefinition,
    history: Any = None,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> str:
    """The definition drawn as SVG; with a ``history``, coloured by the run's outcomes."""
    overlay = None if history is None else run_overlay(history, definition)
    return render_svg(dot_source(build_graph(definition), overlay), timeout=timeout)


def graph_png(
    definition: StateMachineDefinition,
    history: Any = None,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> bytes:
    """The same drawing as :func:`graph_svg`, as a PNG image."""
    overlay = None if history is None else run_overlay(history, definition)
    return render_png(dot_source(build_graph(definition), overlay), timeout=timeout)


def graph_report(
    definition: StateMachineDefinition,
    history: Any = None,
    *,
    title: str = "State machine",
    prices: Prices | None = None,
    per_month: float | None = None,
    seconds: float | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> str:
    """The self-contained HTML report: graph, details on click, and (with a run) the cost estimate.

    ``history`` is a GetExecutionHistory response, its event list or ``Execution.events``;
    ``seconds`` overrides the run's duration in the cost estimate.
    """
    graph = build_graph(definition)
    overlay: RunOverlay | None = None
    cost: CostEstimate | None = None
    if history is not None:
        overlay = run_overlay(history, definition)
        cost = estimate_cost([run_usage(overlay, definition, seconds=seconds)], prices)
    svg = render_svg(dot_source(graph, overlay), timeout=timeout)
    return report_html(svg, report_data(graph, overlay, cost, per_month=per_month), title=title)


def run_locally(definition: StateMachineDefinition, input_value: Any) -> list[dict[str, Any]]:
    """Run the definition on the local executor (virtual clock) and return its history events.

    Task states need integrations to succeed; without them they fail as unbound, which the
    report shows as such.
    """
    return Execution(definition, input_value, clock=VirtualClock()).run().events
