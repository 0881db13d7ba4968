"""The overlay of every history AWS recorded in the conformance corpus.

Each real ``GetExecutionHistory`` event list (Map, Parallel, retries, Catch, Fail states with and
without errors, callbacks, nested executions ...) must read without error, end with the status
AWS reported, place only states of its definition, and for a failed execution show a failed
state carrying the error AWS reported. The corpus lives outside the repository; without it the
test is skipped (``CONSTRUCTS_SFN_CONFORMANCE_DIR`` names its directory).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.asl import parse_definition
from constructs_sfn.visual import build_graph, run_overlay
from constructs_sfn.visual.dot_source import dot_source

CORPUS = Path(
    os.environ.get("CONSTRUCTS_SFN_CONFORMANCE_DIR")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance" / "aws-recorded"
)


def as_recorded_by_aws(history: list[Any]) -> list[dict[str, Any]]:
    """The corpus decodes payload JSON and masks timestamps; AWS sends payloads as JSON text."""
    events = []
    for event in history:
        copy = {key: value for key, value in event.items() if key != "timestamp"}
        for key, details in event.items():
            if key.endswith("EventDetails") and isinstance(details, dict):
                copy[key] = {
                    name: json.dumps(value) if name in ("input", "output", "parameters") else value
                    for name, value in details.items()
                }
        events.append(copy)
    return events


def recorded_cases() -> Iterator[dict[str, Any]]:
    for name in ("cases.jsonl", "service_cases.jsonl"):
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            history = (case.get("expected") or {}).get("history")
            # A few recordings replaced event ids with lists ([0]): no real history looks like that.
            if history and all(isinstance(event.get("id"), int) for event in history):
                yield case


@pytest.mark.skipif(not (CORPUS / "cases.jsonl").is_file(), reason=f"no corpus at {CORPUS}")
def test_every_recorded_history_reads_right() -> None:
    problems: list[str] = []
    checked = 0
    for case in recorded_cases():
        definition = parse_definition(json.dumps(case["definition"]))
        events = as_recorded_by_aws(case["expected"]["history"])
        overlay = run_overlay(events, definition)
        graph = build_graph(definition)
        dot_source(graph, overlay)
        checked += 1
        where = case["id"]
        expected = case["expected"]
        if overlay.status != expected["status"]:
            problems.append(f"{where}: status {overlay.status}, AWS {expected['status']}")
        strangers = sorted(set(overlay.states) - set(graph.node_of_state))
        if strangers:
            problems.append(f"{where}: states not in the definition {strangers}")
        entered = sum(1 for event in events if event["type"].endswith("StateEntered"))
        retries = sum(run.retries for run in overlay.states.values())
        if overlay.state_transitions != entered + retries:
            problems.append(f"{where}: {overlay.state_transitions} transitions for {entered} entries")
        if expected["status"] == "FAILED":
            shown = {
                visit.error for run in overlay.states.values() for visit in run.visits if visit.outcome == "failed"
            }
            if expected.get("error") not in shown:
                problems.append(f"{where}: AWS failed with {expected.get('error')!r}; failed states show {shown}")
    assert checked > 400
    assert problems == []
