"""``constructs-sfn graph`` through the installed console script: SVG, HTML from --input and from a
recorded history, and one-line errors for every mistake a user can make."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.local import LocalStepFunctions

pytestmark = pytest.mark.skipif(
    shutil.which("dot") is None, reason="needs Graphviz's dot, which scripts/bootstrap.sh installs (CI has it)"
)

FN = "arn:aws:lambda:us-east-1:123456789012:function:"
SHOP = {
    "StartAt": "Validate",
    "States": {
        "Validate": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.total", "NumericGreaterThan": 0, "Next": "Charge"}],
            "Default": "Reject",
        },
        "Reject": {"Type": "Fail", "Error": "Invalid", "Cause": "total must be positive"},
        "Charge": {
            "Type": "Task",
            "Resource": FN + "charge",
            "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["Declined"], "Next": "Refund"}],
            "Next": "Done",
        },
        "Refund": {"Type": "Pass", "End": True},
        "Done": {"Type": "Succeed"},
    },
}
MOCKS = {
    "StateMachines": {"shop": {"TestCases": {"BusyThenDeclined": {"Charge": "BusyThenDeclined"}}}},
    "MockedResponses": {
        "BusyThenDeclined": {
            "0": {"Throw": {"Error": "Busy", "Cause": "try again"}},
            "1": {"Throw": {"Error": "Declined", "Cause": "card declined"}},
        }
    },
}


def data_of(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.DOTALL)
    assert match
    return json.loads(match.group(1))


def by_name(page: str) -> dict[str, Any]:
    return {state["name"]: state for state in data_of(page)["states"].values()}


def test_static_svg_of_the_definition(cli, json_file, tmp_path: Path) -> None:
    json_file(tmp_path / "shop.asl.json", SHOP)
    done = cli("graph", "shop.asl.json", "--format", "svg", "-o", "shop.svg")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "wrote shop.svg"
    svg = (tmp_path / "shop.svg").read_text()
    assert svg.startswith("<svg")
    assert ">Validate</text>" in svg
    assert "outcome&#45;definition" in svg
    # -o FILE.svg alone chooses SVG; without -o the file is named after the machine.
    assert cli("graph", "shop.asl.json", "-o", "again.svg").returncode == 0
    assert (tmp_path / "again.svg").read_text().startswith("<svg")
    assert cli("graph", "shop.asl.json").returncode == 0
    assert (tmp_path / "shop.html").read_text().startswith("<!DOCTYPE html>")
    # A PNG for places that show no SVG, coloured by a local run.
    assert cli("graph", "shop.asl.json", "--input", '{"total": 0}', "-o", "run.png").returncode == 0
    assert (tmp_path / "run.png").read_bytes().startswith(b"\x89PNG")


def test_html_from_a_local_run_with_a_mock_test_case(cli, json_file, tmp_path: Path) -> None:
    json_file(tmp_path / "shop.asl.json", SHOP)
    json_file(tmp_path / "mocks.json", MOCKS)
    done = cli(
        "graph",
        "shop.asl.json",
        "--input",
        '{"total": 5}',
        "--mock-config",
        "mocks.json",
        "--test-case",
        "BusyThenDeclined",
        "--per-month",
        "100000",
        "-o",
        "run.html",
    )
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "run.html").read_text()
    states = by_name(page)
    assert states["Charge"]["outcome"] == "caught"
    assert [attempt["error"] for attempt in states["Charge"]["visits"][0]["attempts"]] == ["Busy", "Declined"]
    assert states["Refund"]["outcome"] == "succeeded"
    assert states["Done"]["outcome"] == "not_reached"
    assert any("At 100,000 executions per month" in line for line in data_of(page)["cost"]["lines"])


def test_html_from_a_recorded_history(cli, json_file, tmp_path: Path) -> None:
    client = LocalStepFunctions()
    arn = client.create_state_machine(name="shop", definition=json.dumps(SHOP), roleArn="arn:aws:iam::1:role/r")[
        "stateMachineArn"
    ]
    run = client.start_execution(stateMachineArn=arn, input='{"total": 0}')
    history = client.get_execution_history(executionArn=run["executionArn"])
    history.pop("ResponseMetadata", None)
    (tmp_path / "history.json").write_text(json.dumps(history, default=str))
    json_file(tmp_path / "shop.asl.json", SHOP)
    done = cli("graph", "shop.asl.json", "--execution", "history.json", "-o", "run.html", "--title", "Rejected")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "run.html").read_text()
    assert "<title>Rejected</title>" in page
    states = by_name(page)
    assert states["Reject"]["outcome"] == "failed"
    assert states["Reject"]["visits"][0]["error"] == "Invalid"
    assert states["Charge"]["outcome"] == "not_reached"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json"], "constructs-sfn: missing.json: no such file or directory"),
        (["shop.asl.json", "--execution", "nope.json"], "constructs-sfn: nope.json: no such file or directory"),
        (["shop.asl.json", "--execution", "bad.json"], "constructs-sfn: bad.json: not JSON (line 1, column 4)"),
        (
            ["shop.asl.json", "--execution", "other.json"],
            "the history enters states that shop.asl.json does not define: 'Elsewhere'",
        ),
        (["shop.asl.json", "--execution", "list.json"], "constructs-sfn: list.json: /0/type: expected the event type"),
        (["shop.asl.json", "--input", "{"], "constructs-sfn: --input: not JSON"),
        (["shop.asl.json", "--input", "{}", "--test-case", "X"], "--test-case X: needs a mock configuration"),
        (["shop.asl.json", "--per-month", "-5"], "--per-month -5: expected a finite number of at least 0"),
        (["shop.asl.json", "--layout-timeout", "0"], "--layout-timeout 0: expected a number of seconds above 0"),
        (["shop.asl.json", "--prices", "prices.json"], "prices.json: /cheap: unknown price field"),
        (["broken.asl.json"], "constructs-sfn: broken.asl.json: "),
        (["shop.asl.json", "-o", "no/such/dir/run.html"], "constructs-sfn: no/such/dir/run.html: cannot be written"),
        (["shop.asl.json", "-o", "shop.jpg"], "-o shop.jpg: a .jpg file; graph writes html, svg or png"),
    ],
)
def test_mistakes_are_one_line_errors(cli, json_file, tmp_path: Path, args: list[str], message: str) -> None:
    json_file(tmp_path / "shop.asl.json", SHOP)
    json_file(tmp_path / "broken.asl.json", {"StartAt": "Nowhere", "States": {"A": {"Type": "Succeed"}}})
    (tmp_path / "bad.json").write_text("not json")
    json_file(tmp_path / "list.json", [{"id": 1}])
    json_file(tmp_path / "prices.json", {"cheap": True})
    json_file(
        tmp_path / "other.json",
        {"events": [{"id": 1, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "Elsewhere"}}]},
    )
    done = cli("graph", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_missing_graphviz_is_a_usage_error(cli, json_file, tmp_path: Path) -> None:
    json_file(tmp_path / "shop.asl.json", SHOP)
    done = cli("graph", "shop.asl.json", env={"PATH": "/nonexistent"})
    assert done.returncode == 2
    assert "Graphviz's 'dot' program was not found on PATH" in done.stderr


def test_help_names_the_options(cli) -> None:
    done = cli("graph", "--help")
    assert done.returncode == 0
    assert "``" not in done.stdout
    assert ":class:" not in done.stdout
    assert "Exit status" in done.stdout
    assert "graph" in cli("--help").stdout
    for option in ("--execution", "--input", "--format", "--prices", "--per-month", "--mock-config"):
        assert option in done.stdout
