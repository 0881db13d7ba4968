"""``constructs-sfn cost`` through the installed console script.

Billing rules from https://aws.amazon.com/step-functions/pricing/ (STANDARD: $0.025 per 1,000
state transitions, retries included, 4,000 free a month; EXPRESS: $1.00 per million requests plus
duration rounded up to 100 ms at 64 MB chunks, $0.00001667 per GB-second in the first tier).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from constructs_sfn.local import LocalStepFunctions

PASSES = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "Pause"},
        "Pause": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "C"},
        "C": {"Type": "Pass", "End": True},
    },
}


def history_file(path: Path, wait: int) -> Path:
    client = LocalStepFunctions()
    arn = client.create_state_machine(name="p", definition=json.dumps(PASSES), roleArn="arn:aws:iam::1:role/r")[
        "stateMachineArn"
    ]
    run = client.start_execution(stateMachineArn=arn, input=json.dumps({"wait": wait}))
    client.advance_clock(wait)
    history = client.get_execution_history(executionArn=run["executionArn"])
    path.write_text(json.dumps({"events": history["events"]}, default=str))
    return path


def test_from_histories(cli, json_file, tmp_path: Path) -> None:
    history_file(tmp_path / "short.json", 1)
    history_file(tmp_path / "long.json", 3)
    json_file(tmp_path / "p.asl.json", PASSES)
    done = cli("cost", "short.json", "long.json", "--definition", "p.asl.json", "--per-month", "1000000", "--json")
    assert done.returncode == 0, done.stderr
    estimate = json.loads(done.stdout)
    assert estimate["runs"] == 2
    assert estimate["stateTransitionsPerExecution"] == 3
    assert estimate["secondsPerExecution"] == 2
    assert estimate["billedMemoryMB"] == 64
    assert estimate["standardPerExecution"] == pytest.approx(3 * 0.000025)
    assert estimate["expressPerExecution"] == pytest.approx(0.000001 + 2 * 0.0625 * 0.00001667)
    assert estimate["perMonth"]["standard"] == pytest.approx((3_000_000 - 4000) * 0.000025)
    assert estimate["perMonth"]["cheaper"] == "EXPRESS"
    assert estimate["breakEvenExecutionsPerMonth"] > 4000 / 3


def test_from_local_runs_as_text_with_a_duration_and_prices(cli, json_file, tmp_path: Path) -> None:
    json_file(tmp_path / "p.asl.json", PASSES)
    json_file(tmp_path / "prices.json", {"region": "test-region", "express_per_request": 0.001})
    done = cli("cost", "p.asl.json", "--input", '{"wait": 0}', "--seconds", "0.25", "--prices", "prices.json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert (
        lines[0] == "Runs measured: 1; per execution: 3 state transitions, 0.25 s (0.3 s billed), 64 MB billed memory"
    )
    assert lines[2].startswith("EXPRESS:  $0.00100031 per execution ($0.001 per request")
    assert "STANDARD is cheaper at every monthly volume" in lines
    assert lines[-1] == "Prices: test-region list prices (override with a prices JSON file)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["p.asl.json"], "p.asl.json: a state machine source needs --input to run it"),
        (["h.json", "p.asl.json"], "p.asl.json: not an execution history; give either history files"),
        (["h.json", "--input", "{}"], "--input runs a state machine: give its definition as FILE"),
        (
            ["h.json", "--definition", "other.asl.json"],
            "h.json: the history enters states that other.asl.json does not define",
        ),
        (["h.json", "--seconds", "nan"], "--seconds nan: expected a finite number of at least 0"),
        (["h.json", "--prices", "h.json"], "h.json: /events: unknown price field; expected one of"),
        (["missing.json"], "missing.json: no such file or directory"),
    ],
)
def test_mistakes_are_one_line_errors(cli, json_file, tmp_path: Path, args: list[str], message: str) -> None:
    history_file(tmp_path / "h.json", 0)
    json_file(tmp_path / "p.asl.json", PASSES)
    json_file(tmp_path / "other.asl.json", {"StartAt": "Z", "States": {"Z": {"Type": "Succeed"}}})
    done = cli("cost", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_help_is_written_for_users(cli) -> None:
    done = cli("cost", "--help")
    assert done.returncode == 0
    assert "``" not in done.stdout
    assert ":class:" not in done.stdout
    assert "Exit status" in done.stdout
    for option in ("--input", "--definition", "--prices", "--per-month", "--seconds", "--json"):
        assert option in done.stdout
    assert "cost" in cli("--help").stdout
