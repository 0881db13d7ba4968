"""The HTML report as a file: self-contained, bounded, and safe for hostile payloads."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from constructs_sfn.asl import parse_definition
from constructs_sfn.visual import graph_report, run_locally
from constructs_sfn.visual.report import TEXT_LIMIT, VISIT_LIMIT

from .shop import shop_definition, shop_run

pytestmark = pytest.mark.skipif(
    shutil.which("dot") is None, reason="needs Graphviz's dot, which scripts/bootstrap.sh installs (CI has it)"
)


def report_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.DOTALL)
    assert match
    return json.loads(match.group(1))


def test_report_is_self_contained() -> None:
    page = graph_report(shop_definition(), shop_run({"total": 0}), title="Shop")
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page  # the browser may fetch nothing
    assert not re.search(r"""(src|href)=["']https?:""", page)
    assert "<svg" in page
    assert "<title>Shop</title>" in page
    data = report_data(page)
    assert data["run"]["status"] == "FAILED"
    assert data["cost"]["lines"][0].startswith("Runs measured: 1")


def test_state_details_in_the_data() -> None:
    definition = shop_definition()
    page = graph_report(definition, shop_run({"total": 5, "items": []}, decline=True))
    states = report_data(page)["states"]
    (charge,) = [state for state in states.values() if state["name"] == "Charge"]
    assert charge["outcome"] == "caught"
    assert charge["visits"][0]["error"] == "Declined"
    assert '"Retry"' in charge["definition"]
    (pack,) = [state for state in states.values() if state["name"] == "Pack"]
    assert pack["outcome"] == "not_reached"
    assert "visits" not in pack


def test_hostile_payload_cannot_end_the_script_or_add_markup() -> None:
    name = "</script><img src=x onerror=alert(1)>"
    definition = parse_definition(json.dumps({"StartAt": name, "States": {name: {"Type": "Pass", "End": True}}}))
    page = graph_report(definition, run_locally(definition, {"x": "</script><!--"}), title="<b>t</b>")
    assert "<img" not in page
    assert page.count("</script>") == 2  # the data block's and the script's own
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in page
    data = report_data(page)
    (state,) = data["states"].values()
    assert state["name"] == name
    assert json.loads(state["visits"][0]["input"]) == {"x": "</script><!--"}


def test_large_runs_are_cut_to_bounded_size() -> None:
    definition = parse_definition(
        json.dumps(
            {
                "StartAt": "Each",
                "States": {
                    "Each": {
                        "Type": "Map",
                        "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}},
                        "End": True,
                    }
                },
            }
        )
    )
    big = json.dumps("x" * (TEXT_LIMIT + 100))
    events = [
        {"id": 1, "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "[]"}},
        {"id": 2, "previousEventId": 1, "type": "MapStateEntered", "stateEnteredEventDetails": {"name": "Each"}},
    ]
    for _ in range(VISIT_LIMIT + 5):  # each Echo visit a big input, the way AWS records 256 KiB payloads
        entered = len(events) + 1
        events.append(
            {
                "id": entered,
                "previousEventId": 2,
                "type": "PassStateEntered",
                "stateEnteredEventDetails": {"name": "Echo", "input": big},
            }
        )
        events.append(
            {
                "id": entered + 1,
                "previousEventId": entered,
                "type": "PassStateExited",
                "stateExitedEventDetails": {"name": "Echo", "output": big},
            }
        )
    page = graph_report(definition, events)
    (echo,) = [state for state in report_data(page)["states"].values() if state["name"] == "Echo"]
    assert len(echo["visits"]) == VISIT_LIMIT
    assert echo["visitsLeftOut"] == 5
    assert echo["visits"][0]["input"].endswith("(102 more characters)")
    # Kept: 25 visits x (input + output) of TEXT_LIMIT characters, plus the page itself.
    assert len(page) < VISIT_LIMIT * 2 * (TEXT_LIMIT + 100) + 200_000
