"""See a run: the state machine as a graph, a run's outcomes drawn on it, and its cost.

* :func:`graph_svg` / :func:`graph_png` - the definition laid out by Graphviz ``dot`` as SVG or
  PNG (a static export, or coloured by a run's history).
* :func:`graph_report` - one self-contained HTML file: the graph coloured by outcome with the
  path taken highlighted, a details panel per state (input, output, error, retries, timings),
  and the STANDARD versus EXPRESS cost estimate.
* :func:`run_overlay` - what a history says happened in each state; :func:`estimate_cost` and
  :class:`Prices` - the cost model on its own.

Imports the executor (``asl``) only; never ``cdk``. Graphviz's ``dot`` must be installed.
"""

from __future__ import annotations

from constructs_sfn.visual.cost import CostEstimate, PriceError, Prices, RunUsage, estimate_cost, load_prices, run_usage
from constructs_sfn.visual.graph_model import StateGraph, build_graph
from constructs_sfn.visual.history_input import HistoryError, read_history
from constructs_sfn.visual.layout import LayoutError
from constructs_sfn.visual.render import graph_png, graph_report, graph_svg, run_locally
from constructs_sfn.visual.run_overlay import RunOverlay, StateRun, Visit, run_overlay

__all__ = [
    "CostEstimate",
    "HistoryError",
    "LayoutError",
    "PriceError",
    "Prices",
    "RunOverlay",
    "RunUsage",
    "StateGraph",
    "StateRun",
    "Visit",
    "build_graph",
    "estimate_cost",
    "graph_png",
    "graph_report",
    "graph_svg",
    "read_history",
    "load_prices",
    "run_locally",
    "run_overlay",
    "run_usage",
]
