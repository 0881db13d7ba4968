"""One-off measurements: import cost of the executor and the wall time of very long waits."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any

__all__ = ["LONG_WAIT_DEFINITION", "measure_import", "measure_long_wait"]

_IMPORT_SNIPPET = """
import sys, time
started = time.perf_counter()
import {module}
elapsed = time.perf_counter() - started
heavy = sorted({{name.split('.')[0] for name in sys.modules}} & {{'aws_cdk', 'jsii', 'boto3', 'botocore'}})
print(elapsed, ','.join(heavy))
"""


def measure_import(module: str = "constructs_sfn.asl", runs: int = 7) -> dict[str, Any]:
    """Median wall time of ``import <module>`` in fresh interpreters (bytecode already cached)."""
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)  # warm the .pyc cache
    samples: list[float] = []
    heavy: set[str] = set()
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, "-c", _IMPORT_SNIPPET.format(module=module)],
            check=True,
            capture_output=True,
            text=True,
        )
        elapsed, loaded = (
            completed.stdout.strip().split(" ", 1)
            if " " in completed.stdout.strip()
            else (
                completed.stdout.strip(),
                "",
            )
        )
        samples.append(float(elapsed))
        heavy.update(name for name in loaded.split(",") if name)
    return {
        "module": module,
        "runs": runs,
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "min_ms": round(min(samples) * 1000, 2),
        "heavy_modules_loaded": sorted(heavy),
    }


_YEAR_WAIT_SECONDS = 363 * 24 * 3600
_BACKOFF_SECONDS = sum(3600 * 2**attempt for attempt in range(5))

LONG_WAIT_DEFINITION: dict[str, Any] = {
    "Comment": (
        "A 363-day Wait, then a Parallel "
        "whose branch always fails, retried 5 times with 1h..16h back-off (31 h), then caught: together just under "
        "the one-year maximum duration of a STANDARD execution"
    ),
    "StartAt": "Year",
    "States": {
        "Year": {"Type": "Wait", "Seconds": _YEAR_WAIT_SECONDS, "Next": "Try"},
        "Try": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Flaky", "Cause": "always"}}}
            ],
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3600, "MaxAttempts": 5, "BackoffRate": 2.0}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Done"}],
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
}


def measure_long_wait(runs: int = 5) -> dict[str, Any]:
    """Wall time of an execution that waits ~1 year plus 31 hours of retry back-off (virtual clock)."""
    from constructs_sfn.asl.runtime import VirtualClock
    from constructs_sfn.local import LocalStepFunctions

    expected_seconds = _YEAR_WAIT_SECONDS + _BACKOFF_SECONDS
    summary: dict[str, Any] = {
        "description": LONG_WAIT_DEFINITION["Comment"],
        "expected_virtual_seconds": expected_seconds,
        "runs": runs,
    }
    client = LocalStepFunctions(clock=VirtualClock())
    walls: list[float] = []
    description: dict[str, Any] = {}
    try:
        machine = client.create_state_machine(
            name="long-wait",
            definition=json.dumps(LONG_WAIT_DEFINITION),
            roleArn="arn:aws:iam::123456789012:role/BenchmarkRole",
        )["stateMachineArn"]
        for run in range(runs):
            started = time.perf_counter()
            execution = client.start_execution(stateMachineArn=machine, name=f"run-{run}", input="{}")
            description = client.describe_execution(executionArn=execution["executionArn"])
            walls.append(time.perf_counter() - started)
    except Exception as exc:  # a benchmark reports failures instead of stopping
        return {**summary, "verified": False, "problems": [f"{type(exc).__name__}: {exc}"[:500]]}
    stop = description.get("stopDate")
    virtual = (stop - description["startDate"]).total_seconds() if stop else None
    output = json.loads(description.get("output") or "null")
    problems: list[str] = []
    if description.get("status") != "SUCCEEDED":
        problems.append(f"status {description.get('status')}: {description.get('error')} {description.get('cause')}")
    elif not (isinstance(output, dict) and output.get("error", {}).get("Error") == "Flaky"):
        problems.append(f"unexpected output {output}")
    if virtual is None or virtual < expected_seconds:
        problems.append(f"virtual elapsed {virtual} s < expected {expected_seconds} s")
    return {
        **summary,
        "virtual_seconds": virtual,
        "wall_ms_median": round(statistics.median(walls) * 1000, 3),
        "verified": not problems,
        "problems": problems,
    }
