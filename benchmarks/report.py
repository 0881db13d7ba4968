"""Render benchmark results as Markdown."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["render_markdown"]


def _cell(value: Any, suffix: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}{suffix}" if value < 10 else f"{value:,.1f}{suffix}"
    return f"{value}{suffix}"


def _engine_cells(data: Mapping[str, Any] | None) -> list[str]:
    if not data:
        return ["-", "-", "-"]
    if data.get("skipped"):
        return [f"skipped ({data['skipped']})", "-", "-"]
    if not data.get("verified"):
        problem = "; ".join(data.get("problems", []))[:120].replace("|", "/")
        return [f"FAILED: {problem}", "-", "-"]
    return [
        _cell(data.get("ms_per_execution")),
        _cell(data.get("transitions_per_s")),
        _cell(data.get("peak_memory_kib")),
    ]


def render_markdown(results: Mapping[str, Any]) -> str:
    """The throughput table, the timing probes, import time and the long-wait probe."""
    lines = [
        "# Benchmarks: constructs_sfn vs moto",
        "",
        (
            f"Generated {results['generated_at']} on Python {results['python']} ({results['platform']}); "
            f"moto {results.get('moto_version', '-')}; mode: {'quick' if results['quick'] else 'full'}."
        ),
        "ms/exec is the median wall time of start_execution until the execution finished (the first run",
        "is a warm-up and a correctness check); peak memory is tracemalloc's peak during one execution.",
        "moto runs executions in threads in real time; its runs per workload are capped by a time budget.",
        "",
        "## Throughput",
        "",
        (
            "| workload | lang | transitions | ours ms/exec | ours transitions/s | ours peak KiB "
            "| moto ms/exec | moto transitions/s | moto peak KiB | speedup | runs (ours/moto) |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in results["workloads"]:
        if entry["kind"] != "throughput":
            continue
        ours, moto = entry.get("constructs_sfn"), entry.get("moto")
        speedup = entry.get("speedup")
        lines.append(
            "| "
            + " | ".join(
                [
                    entry["name"],
                    entry["language"],
                    str(entry["transitions"]),
                    *_engine_cells(ours),
                    *_engine_cells(moto),
                    f"{speedup:,.0f}x" if speedup else "-",
                    f"{(ours or {}).get('runs', '-')}/{(moto or {}).get('runs', '-')}",
                ]
            )
            + " |"
        )
    speedups = [e["speedup"] for e in results["workloads"] if e.get("speedup")]
    if speedups:
        geomean = math.exp(sum(math.log(x) for x in speedups) / len(speedups))
        lines += [
            "",
            (
                f"Speedup over moto: geometric mean {geomean:,.0f}x, minimum {min(speedups):,.0f}x "
                f"({len(speedups)} workloads both engines verified). moto has no JSONata engine here, so "
                "the JSONata twins run on our executor only."
            ),
        ]
    lines += [
        "",
        "## Timing probes (waiting costs wall time only on a real clock)",
        "",
        "| workload | lang | AWS waits at least | ours wall ms | ours execution time (virtual) | moto wall s | verified (ours/moto) |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in results["workloads"]:
        if entry["kind"] != "timing_probe":
            continue
        ours, moto = entry.get("constructs_sfn") or {}, entry.get("moto") or {}
        moto_wall = moto.get("ms_per_execution")
        lines.append(
            f"| {entry['name']} | {entry['language']} | {entry.get('expected_min_seconds')} s "
            f"| {_cell(ours.get('ms_per_execution'))} | {_cell(ours.get('execution_seconds'), ' s')} "
            f"| {_cell(moto_wall / 1000 if moto_wall else None)} "
            f"| {ours.get('verified', '-')}/{moto.get('verified', moto.get('skipped', '-'))} |"
        )
    imported = results.get("import_time") or {}
    long_wait = results.get("long_wait") or {}
    lines += [
        "",
        "## Import time",
        "",
        (
            f"`import {imported.get('module')}` in a fresh interpreter: median {imported.get('median_ms')} ms, "
            f"min {imported.get('min_ms')} ms over {imported.get('runs')} runs; heavy modules loaded: "
            f"{imported.get('heavy_modules_loaded') or 'none'}."
        ),
        "",
        "## One year of waiting",
        "",
        (
            f"{long_wait.get('description')}: {long_wait.get('virtual_seconds')} s of execution time "
            f"(expected at least {long_wait.get('expected_virtual_seconds')} s) in a median "
            f"{long_wait.get('wall_ms_median')} ms of wall time; verified: {long_wait.get('verified')} "
            f"{'; '.join(long_wait.get('problems') or [])}"
        ),
        "",
    ]
    return "\n".join(lines)
