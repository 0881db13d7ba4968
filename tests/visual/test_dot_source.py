"""DOT text: outcome colours and classes, the highlighted path, dashed Catch edges, safe quoting."""

from __future__ import annotations

import json
import re

from constructs_sfn.asl import parse_definition
from constructs_sfn.visual import build_graph, run_overlay
from constructs_sfn.visual.dot_source import OUTCOME_STYLES, dot_source

from .shop import shop_definition, shop_run


def node_line(text: str, graph, state: str) -> str:
    (line,) = [line for line in text.splitlines() if f'id="state-{graph.node_of_state[state]}"' in line]
    return line


def test_states_coloured_by_outcome_and_path_highlighted() -> None:
    definition = shop_definition()
    graph = build_graph(definition)
    text = dot_source(graph, run_overlay(shop_run({"total": 5, "items": []}, decline=True), definition))
    assert "outcome-caught" in node_line(text, graph, "Charge")
    assert OUTCOME_STYLES["caught"].fill in node_line(text, graph, "Charge")
    assert "outcome-not_reached" in node_line(text, graph, "Pack")
    assert "outcome-succeeded" in node_line(text, graph, "Refund")
    charge, refund, pack = (graph.node_of_state[name] for name in ("Charge", "Refund", "Pack"))
    (catch,) = [line for line in text.splitlines() if line.strip().startswith(f"{charge} -> {refund} ")]
    assert 'style="dashed"' in catch
    assert "taken" in catch
    (untaken,) = [line for line in text.splitlines() if line.strip().startswith(f"{charge} -> {pack} ")]
    assert "taken" not in untaken


def test_without_a_run_every_state_looks_the_same() -> None:
    text = dot_source(build_graph(shop_definition()))
    assert "outcome-definition" in text
    assert not re.search(r"outcome-(failed|succeeded|caught|retried|not_reached)", text)
    assert "taken" not in text


def test_names_with_quotes_backslashes_and_newlines_stay_inside_their_string() -> None:
    name = 'say "hi"\\n\nnow'
    definition = parse_definition(json.dumps({"StartAt": name, "States": {name: {"Type": "Succeed"}}}))
    text = dot_source(build_graph(definition))
    assert r'label="say \"hi\"\\n now\nSucceed"' in text


def test_distributed_map_states_run_in_child_executions() -> None:
    """A Distributed Map runs its item processor as child executions, whose events are in their own
    histories (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html)."""
    from constructs_sfn.visual import run_locally

    definition = parse_definition(
        json.dumps(
            {
                "StartAt": "Each",
                "States": {
                    "Each": {
                        "Type": "Map",
                        "ItemProcessor": {
                            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                            "StartAt": "Work",
                            "States": {"Work": {"Type": "Pass", "End": True}},
                        },
                        "End": True,
                    }
                },
            }
        )
    )
    graph = build_graph(definition)
    assert graph.child_run_states == {"Work": "Each"}
    text = dot_source(graph, run_overlay(run_locally(definition, [1, 2]), definition))
    assert "outcome-child_runs" in node_line(text, graph, "Work")
    assert "outcome-succeeded" in node_line(text, graph, "Each")
    # Not started: plainly not reached.
    unrun = dot_source(graph, run_overlay([{"id": 1, "type": "ExecutionStarted"}], definition))
    assert "outcome-not_reached" in node_line(unrun, graph, "Work")
