"""Verify and time one workload on one engine."""

from __future__ import annotations

import math
import statistics
import time
import tracemalloc
from typing import Any

from engines import Engine, RunOutcome
from workloads import Workload, output_problems

__all__ = ["measure_workload"]

_RUN_TIMEOUT = 300.0


def _verify(engine: Engine, workload: Workload, outcome: RunOutcome) -> list[str]:
    problems: list[str] = []
    if outcome.status != "SUCCEEDED":
        return [f"status {outcome.status}: {outcome.error}: {(outcome.cause or '')[:300]}"]
    problems.extend(output_problems(workload, outcome.output))
    entered = engine.state_entered_events(outcome.execution_arn)
    if entered != workload.transitions:
        problems.append(f"history has {entered} *StateEntered events, manifest says {workload.transitions}")
    if workload.expected_min_seconds is not None:
        waited = outcome.execution_seconds if engine.name == "constructs_sfn" else outcome.wall_seconds
        if math.isnan(waited) or waited < workload.expected_min_seconds:
            problems.append(f"waited {waited:.3f} s, expected at least {workload.expected_min_seconds} s")
    return problems


def measure_workload(engine: Engine, workload: Workload, *, repeats: int, budget: float | None) -> dict[str, Any]:
    """Verify the first run, then time ``repeats`` runs (moto: as many as fit in ``budget`` seconds).

    The first run is a warm-up and a correctness check and is not timed. Peak memory comes from a
    separate run under tracemalloc (skipped for moto when it would not fit in the budget).
    """
    try:
        machine = engine.create(workload.name, workload.definition)
        first = engine.run(machine, workload.input_text, timeout=_RUN_TIMEOUT)
    except Exception as exc:  # a benchmark reports failures instead of stopping
        return {"verified": False, "problems": [f"{type(exc).__name__}: {exc}"[:500]]}
    result: dict[str, Any] = {
        "first_run_ms": round(first.wall_seconds * 1000, 3),
        "execution_seconds": round(first.execution_seconds, 3),
    }
    problems = _verify(engine, workload, first)
    result["verified"] = not problems
    result["problems"] = problems
    if problems:
        return result
    if workload.kind == "timing_probe":
        result["runs"] = 1
        result["ms_per_execution"] = round(first.wall_seconds * 1000, 3)
        return result
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < repeats and (budget is None or not samples or time.perf_counter() - started < budget):
        samples.append(engine.run(machine, workload.input_text, timeout=_RUN_TIMEOUT).wall_seconds)
    median = statistics.median(samples)
    result.update(
        runs=len(samples),
        ms_per_execution=round(median * 1000, 3),
        ms_min=round(min(samples) * 1000, 3),
        ms_mean=round(statistics.fmean(samples) * 1000, 3),
        transitions_per_s=round(workload.transitions / median, 1) if median > 0 else None,
    )
    if budget is not None and time.perf_counter() - started + 2 * median > 2 * budget:
        result["peak_memory_kib"] = None
        result["memory_note"] = "skipped: a traced run would not fit in the time budget"
        return result
    tracemalloc.start()
    try:
        engine.run(machine, workload.input_text, timeout=_RUN_TIMEOUT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    result["peak_memory_kib"] = round(peak / 1024, 1)
    return result
