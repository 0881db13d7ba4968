"""The run report: one self-contained HTML file with the graph, a details panel and the cost.

Everything is inline (the SVG from Graphviz, the stylesheet, the script and the run's data as
JSON), and a Content-Security-Policy forbids every fetch, so the file opens the same from a CI
artefact, an e-mail or a laptop with no network. Clicking a state shows its details: outcome,
each visit's input and output, error and cause, attempts (retries) and timings. Values are put
into the page with ``textContent`` only, never parsed as HTML, so payloads cannot inject markup.
Large payloads are cut (see :data:`TEXT_LIMIT`, :data:`VISIT_LIMIT`) to keep the file bounded.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from constructs_sfn.visual.cost import CostEstimate
from constructs_sfn.visual.dot_source import OUTCOME_STYLES, state_outcome
from constructs_sfn.visual.graph_model import StateGraph
from constructs_sfn.visual.run_overlay import RunOverlay, StateRun, Visit

__all__ = ["TEXT_LIMIT", "VISIT_LIMIT", "report_data", "report_html"]

TEXT_LIMIT = 20_000
"""Characters kept of one input, output or cause in the report."""
VISIT_LIMIT = 25
"""Visits kept per state (failed ones first); the count of the rest is shown."""
COST_VOLUMES = (1_000, 100_000, 1_000_000, 10_000_000)


def report_data(
    graph: StateGraph,
    overlay: RunOverlay | None = None,
    cost: CostEstimate | None = None,
    *,
    per_month: float | None = None,
) -> dict[str, Any]:
    """The JSON the report's script reads: per node id, the state's details; the run; the cost."""
    states: dict[str, Any] = {}
    for name, node_id in graph.node_of_state.items():
        run = overlay.state(name) if overlay is not None else None
        outcome = "definition" if overlay is None else state_outcome(name, graph, overlay)
        states[node_id] = _state_data(name, graph, run, outcome)
    data: dict[str, Any] = {"states": states, "run": None, "cost": None}
    if overlay is not None:
        data["run"] = {
            "status": overlay.status,
            "error": overlay.error,
            "cause": _cut(overlay.cause),
            "input": _cut(overlay.input),
            "output": _cut(overlay.output),
            "seconds": overlay.seconds,
            "startedAt": _stamp(overlay.started_at),
            "events": overlay.event_count,
            "transitions": overlay.state_transitions,
        }
    if cost is not None:
        volumes = sorted({*COST_VOLUMES, *([per_month] if per_month else [])})
        data["cost"] = {
            "lines": cost.summary(per_month),
            "table": [
                {
                    "executions": volume,
                    "standard": round(cost.standard_monthly(volume), 2),
                    "express": round(cost.express_monthly(volume), 2),
                    "cheaper": cost.cheaper_at(volume),
                }
                for volume in volumes
            ],
        }
    return data


def _state_data(name: str, graph: StateGraph, run: StateRun | None, outcome: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": name,
        "type": graph.state_types.get(name, "?"),
        "outcome": outcome,
        "outcomeLabel": OUTCOME_STYLES[outcome].label,
        "definition": _cut(json.dumps(graph.raw_states.get(name, {}), indent=2, default=str, ensure_ascii=False)),
    }
    if run is not None:
        ordered = sorted(run.visits, key=lambda visit: visit.outcome not in ("failed", "caught"))
        entry.update(
            visitCount=len(run.visits),
            retries=run.retries,
            counts=run.outcome_counts(),
            mapItems=run.map_items or None,
            visits=[_visit_data(visit) for visit in ordered[:VISIT_LIMIT]],
            visitsLeftOut=max(0, len(run.visits) - VISIT_LIMIT),
        )
    return entry


def _visit_data(visit: Visit) -> dict[str, Any]:
    return {
        "outcome": visit.outcome,
        "input": _cut(visit.input),
        "output": _cut(visit.output),
        "error": visit.error,
        "cause": _cut(visit.cause),
        "enteredAt": _stamp(visit.entered_at),
        "seconds": visit.seconds,
        "attempts": [
            {"number": index + 1, "error": attempt.error, "cause": _cut(attempt.cause), "failed": attempt.failed}
            for index, attempt in enumerate(visit.attempts)
        ],
    }


def _cut(text: str | None) -> str | None:
    if text is None or len(text) <= TEXT_LIMIT:
        return text
    return text[:TEXT_LIMIT] + f"\u2026 ({len(text) - TEXT_LIMIT:,} more characters)"


def _stamp(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def report_html(svg: str, data: Mapping[str, Any], *, title: str) -> str:
    """The whole HTML page around an inline SVG and the report data."""
    # "<" escaped inside the JSON: no "</script>" or "<!--" can end the data block early.
    payload = json.dumps(data, ensure_ascii=True, default=str).replace("<", "\\u003c")
    legend = "".join(
        f'<span class="key"><i style="background:{style.fill};border-color:{style.stroke}"></i>'
        f"{html.escape(style.label)}</span>"
        for key, style in OUTCOME_STYLES.items()
        if key not in ("definition", "child_runs")
    )
    return _PAGE.format(
        title=html.escape(title),
        svg=svg,
        payload=payload,
        legend=legend if data.get("run") else "",
        style=_STYLE,
        script=_SCRIPT,
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
  <h1>{title}</h1>
  <div id="run-summary"></div>
  <div class="legend">{legend}</div>
</header>
<main>
  <section id="graph" aria-label="State machine graph">{svg}</section>
  <aside>
    <section id="details" aria-live="polite"><p class="hint">Click a state to see its details.</p></section>
    <section id="cost" hidden><h2>Cost estimate</h2></section>
  </aside>
</main>
<script type="application/json" id="report-data">{payload}</script>
<script>{script}</script>
</body>
</html>
"""

_STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #16191f; }
header { padding: 12px 20px; border-bottom: 1px solid #d5dbdb; background: #fafafa; }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 14px 0 6px; }
h3 { font-size: 13px; margin: 12px 0 4px; color: #545b64; }
main { display: flex; align-items: flex-start; }
#graph { flex: 1 1 auto; overflow: auto; padding: 16px; max-height: calc(100vh - 90px); }
#graph svg { max-width: none; height: auto; }
aside { flex: 0 0 440px; border-left: 1px solid #d5dbdb; padding: 4px 16px 16px; max-height: calc(100vh - 90px);
  overflow: auto; }
g.node.state { cursor: pointer; }
g.node.state.selected path, g.node.state.selected polygon { stroke: #0972d3; stroke-width: 3.5; }
.legend { margin-top: 6px; font-size: 12px; }
.key { margin-right: 14px; white-space: nowrap; }
.key i { display: inline-block; width: 12px; height: 12px; border: 2px solid; border-radius: 3px;
  vertical-align: -2px; margin-right: 4px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px;
  border: 1px solid; }
.status-SUCCEEDED, .outcome-succeeded { background: #d9f2dd; border-color: #1d8102; }
.status-FAILED, .status-TIMED_OUT, .status-ABORTED, .outcome-failed { background: #fde0dd; border-color: #d13212; }
.outcome-caught { background: #ffe8cc; border-color: #ec7211; }
.outcome-retried { background: #fff3bf; border-color: #b08800; }
.outcome-aborted { background: #ece6f5; border-color: #7b5ea7; }
.status-RUNNING, .outcome-running { background: #dbeafe; border-color: #0972d3; }
.outcome-not_reached, .outcome-definition, .outcome-child_runs { background: #f2f3f3; border-color: #aab7b8; }
pre { background: #f4f4f4; border: 1px solid #e1e4e6; border-radius: 4px; padding: 6px 8px; margin: 2px 0 8px;
  white-space: pre-wrap; word-break: break-word; font: 12px/1.4 Menlo, Consolas, monospace; max-height: 260px;
  overflow: auto; }
.error { color: #b1210a; font-weight: 600; }
.visit { border-top: 1px solid #e1e4e6; margin-top: 10px; padding-top: 6px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 4px 0; }
dt { color: #545b64; } dd { margin: 0; }
table { border-collapse: collapse; font-size: 12px; margin-top: 6px; }
td, th { border: 1px solid #d5dbdb; padding: 2px 6px; text-align: right; }
.hint { color: #687078; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var details = document.getElementById("details");

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function pair(list, term, value, cls) {
    if (value === undefined || value === null || value === "") { return; }
    list.appendChild(el("dt", term));
    list.appendChild(el("dd", value, cls));
  }
  function block(parent, heading, text) {
    if (text === undefined || text === null) { return; }
    parent.appendChild(el("h3", heading));
    parent.appendChild(el("pre", text));
  }
  function seconds(value) { return value === null || value === undefined ? null : value + " s"; }

  function showRun() {
    var run = data.run, box = document.getElementById("run-summary");
    if (!run) { box.appendChild(el("span", "Definition only (no run)", "hint")); return; }
    box.appendChild(el("span", run.status, "badge status-" + run.status));
    var text = " " + run.transitions + " state transitions, " + run.events + " history events";
    if (run.seconds !== null) { text += ", " + run.seconds + " s"; }
    box.appendChild(el("span", text));
    if (run.error) { box.appendChild(el("span", " \u2014 " + run.error + ": " + (run.cause || ""), "error")); }
  }

  function showCost() {
    if (!data.cost) { return; }
    var box = document.getElementById("cost");
    box.hidden = false;
    data.cost.lines.forEach(function (line) { box.appendChild(el("p", line)); });
    var table = el("table"), head = el("tr");
    ["Executions / month", "STANDARD $", "EXPRESS $", "Cheaper"].forEach(function (h) {
      head.appendChild(el("th", h));
    });
    table.appendChild(head);
    data.cost.table.forEach(function (row) {
      var tr = el("tr");
      [row.executions.toLocaleString("en-US"), row.standard.toFixed(2), row.express.toFixed(2), row.cheaper]
        .forEach(function (cell) { tr.appendChild(el("td", cell)); });
      table.appendChild(tr);
    });
    box.appendChild(table);
  }

  function show(nodeId) {
    var state = data.states[nodeId];
    if (!state) { return; }
    document.querySelectorAll("g.node.state.selected").forEach(function (g) { g.classList.remove("selected"); });
    var g = document.getElementById("state-" + nodeId);
    if (g) { g.classList.add("selected"); }
    details.textContent = "";
    details.appendChild(el("h2", state.name));
    var facts = el("dl");
    pair(facts, "Type", state.type);
    facts.appendChild(el("dt", "Outcome"));
    var outcome = el("dd");
    outcome.appendChild(el("span", state.outcomeLabel, "badge outcome-" + state.outcome));
    outcome.id = "detail-outcome";
    facts.appendChild(outcome);
    if (state.visitCount > 1) { pair(facts, "Visits", state.visitCount + " " + JSON.stringify(state.counts)); }
    if (state.retries) { pair(facts, "Retries", state.retries); }
    if (state.mapItems) { pair(facts, "Map items", JSON.stringify(state.mapItems)); }
    details.appendChild(facts);
    (state.visits || []).forEach(function (visit, index) {
      var box = el("div", null, "visit");
      if (state.visits.length > 1) { box.appendChild(el("h3", "Visit " + (index + 1) + ": " + visit.outcome)); }
      var list = el("dl");
      pair(list, "Error", visit.error, "error");
      pair(list, "Cause", visit.cause, "error");
      pair(list, "Entered", visit.enteredAt);
      pair(list, "Duration", seconds(visit.seconds));
      if (visit.attempts.length > 1) { pair(list, "Attempts", visit.attempts.length); }
      box.appendChild(list);
      visit.attempts.forEach(function (attempt) {
        if (attempt.failed) {
          box.appendChild(el("p", "Attempt " + attempt.number + " failed: " + (attempt.error || "?") +
            (attempt.cause ? " \u2014 " + attempt.cause : ""), "error"));
        }
      });
      block(box, "Input", visit.input);
      block(box, "Output", visit.output);
      details.appendChild(box);
    });
    if (state.visitsLeftOut) { details.appendChild(el("p", state.visitsLeftOut + " more visits not shown", "hint")); }
    block(details, "Definition", state.definition);
  }

  document.querySelectorAll("g.node.state").forEach(function (g) {
    var nodeId = g.id.replace(/^state-/, "");
    g.setAttribute("tabindex", "0");  // reachable with Tab; Enter or Space opens the details
    g.setAttribute("role", "button");
    g.addEventListener("click", function () { show(nodeId); });
    g.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); show(nodeId); }
    });
  });
  showRun();
  showCost();
})();
"""
