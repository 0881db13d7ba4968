"""The Distributed Map progress line of ``constructs-sfn run`` (issue 12: items done / failed / total,
rate, ETA; silent when the output is not a terminal)."""

from __future__ import annotations

import io
import itertools
import json
import os
import pty
import subprocess
from pathlib import Path

from constructs_sfn.asl.runtime.map_run import map_runs_of
from constructs_sfn.cli.progress import MapRunProgress, progress_line
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
SCRIPT = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "constructs-sfn"


def distributed(items_path: str = "$.rows", tolerated: int = 5) -> str:
    """A Distributed Map whose children fail on items with ``bad: true``."""
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.bad", "BooleanEquals": True, "Next": "Bad"}],
                "Default": "Good",
            },
            "Bad": {"Type": "Fail", "Error": "Row.Bad"},
            "Good": {"Type": "Pass", "End": True},
        },
    }
    state = {
        "Type": "Map",
        "ItemsPath": items_path,
        "ItemProcessor": processor,
        "MaxConcurrency": 2,
        "ToleratedFailureCount": tolerated,
        "Label": "Rows",
        "End": True,
    }
    return json.dumps({"StartAt": "Each", "States": {"Each": state}})


def run_with_progress(rows: list[dict[str, bool]]) -> str:
    ticks = itertools.count()
    stream = io.StringIO()
    progress = MapRunProgress(None, stream, now=lambda: float(next(ticks)), interval=0)
    client = LocalStepFunctions(observer=progress)
    arn = client.create_state_machine(name="m", definition=distributed(), roleArn=ROLE)["stateMachineArn"]
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps({"rows": rows}))
    progress.finish()
    assert client.describe_execution(executionArn=execution["executionArn"])["status"] == "SUCCEEDED"
    return stream.getvalue()


def test_each_child_redraws_the_line_with_done_of_total_failed_rate_and_eta() -> None:
    rows = [{"bad": index in (1, 4)} for index in range(6)]
    drawn = run_with_progress(rows)
    lines = [line.rstrip() for line in drawn.split("\r") if line]
    assert len(lines) == 6  # one redraw per child (the interval is 0 here)
    assert lines[0] == "Map Run Rows: 1/6 items · 0 failed · 0 items/s"
    assert lines[1] == "Map Run Rows: 2/6 items · 1 failed · 2 items/s · ETA 2s"
    assert lines[-1] == "Map Run Rows: 6/6 items · 2 failed · 1 items/s · ETA 0s"
    assert drawn.endswith("\n")  # finish() ends the line


def test_a_shorter_line_overwrites_a_longer_one_completely() -> None:
    rows = [{"bad": False}] * 12
    drawn = run_with_progress(rows)
    widths = [len(segment.rstrip("\n")) for segment in drawn.split("\r") if segment]
    assert widths == sorted(widths)  # padded to the longest line drawn so far


def test_nothing_is_drawn_without_a_map_run() -> None:
    stream = io.StringIO()
    progress = MapRunProgress(None, stream, interval=0)
    client = LocalStepFunctions(observer=progress)
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    arn = client.create_state_machine(name="p", definition=definition, roleArn=ROLE)["stateMachineArn"]
    client.start_execution(stateMachineArn=arn, input="{}")
    progress.finish()
    assert stream.getvalue() == ""


def test_a_streamed_run_shows_no_total_or_eta_until_its_reader_ends() -> None:
    """With an ItemReader the items stream in, so the total is unknown while the run goes on."""
    client = LocalStepFunctions()
    arn = client.create_state_machine(name="m", definition=distributed(), roleArn=ROLE)["stateMachineArn"]
    started = client.start_execution(stateMachineArn=arn, input=json.dumps({"rows": [{"bad": False}] * 3}))
    (run,) = map_runs_of(client.local_execution(started["executionArn"]))
    assert progress_line(run, 2.0) == "Map Run Rows: 3/3 items · 0 failed · 2 items/s · ETA 0s"
    run.items_expected = None  # as while a reader's stream has not ended
    assert progress_line(run, 2.0) == (
        "Map Run Rows: 3 items · 0 failed · 2 items/s · total not known until the item reader ends"
    )


def test_counts_that_came_too_soon_to_draw_are_drawn_when_the_run_ends() -> None:
    stream = io.StringIO()
    progress = MapRunProgress(None, stream, now=lambda: 0.0, interval=10)  # everything "too soon"
    client = LocalStepFunctions(observer=progress)
    arn = client.create_state_machine(name="m", definition=distributed(), roleArn=ROLE)["stateMachineArn"]
    client.start_execution(stateMachineArn=arn, input=json.dumps({"rows": [{"bad": False}] * 4}))
    assert stream.getvalue() == "\rMap Run Rows: 1/4 items · 0 failed · 0 items/s"
    progress.finish()
    assert stream.getvalue().split("\r")[-1] == "Map Run Rows: 4/4 items · 0 failed · 0 items/s\n"


def _cli_run(tmp_path: Path, *extra: str, terminal: bool) -> str:
    """``constructs-sfn run`` on a 40-row Distributed Map; what it wrote to standard error, which is
    a pseudo-terminal when ``terminal``."""
    definition = tmp_path / "rows.json"
    definition.write_text(distributed(), encoding="utf-8")
    rows = json.dumps({"rows": [{"bad": index == 7} for index in range(40)]})
    command = [str(SCRIPT), "run", str(definition), "--input", rows, *extra]
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stderr
    leader, follower = pty.openpty()
    try:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=follower, timeout=120, check=True)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: everything has been read
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8")
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)


def test_run_draws_the_line_on_a_terminal(tmp_path: Path) -> None:
    drawn = _cli_run(tmp_path, terminal=True)
    assert "\rMap Run Rows: " in drawn
    assert "Map Run Rows: 40/40 items · 1 failed · " in drawn


def test_run_stays_silent_off_a_terminal_and_with_no_progress(tmp_path: Path) -> None:
    assert "Map Run" not in _cli_run(tmp_path, terminal=False)
    assert "Map Run" not in _cli_run(tmp_path, "--no-progress", terminal=True)
