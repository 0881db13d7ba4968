"""Benchmark the local executor against moto's interpreter on the shared workloads.

Usage::

    python benchmarks/run.py            # full run (moto takes a few minutes: it executes in real time)
    python benchmarks/run.py --quick    # fewer repeats; moto only on small workloads, no moto waits
    python benchmarks/run.py --only map_1000,intrinsics --no-moto

Every workload (the shared JSONPath set and its JSONata twins from ``workloads_jsonata/``) is
run on both engines in the same process; each engine's first run must produce the manifest's
expected output and transition count before it is timed. Results go to
``benchmarks/results/latest.json`` and ``latest.md``. Exit status 1 when our executor failed a
workload's verification (the results are still written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from engines import Engine, LocalEngine, MotoEngine  # noqa: E402
from measure import measure_workload  # noqa: E402
from probes import measure_import, measure_long_wait  # noqa: E402
from report import render_markdown  # noqa: E402
from workloads import Workload, load_workloads  # noqa: E402

_QUICK_MOTO_MAX_TRANSITIONS = 500


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="few repeats; skip slow moto workloads")
    parser.add_argument("--only", default="", help="comma-separated workload names (twins match their base too)")
    parser.add_argument("--no-moto", action="store_true", help="benchmark only our executor")
    parser.add_argument("--moto-budget", type=float, default=None, help="seconds of timed moto runs per workload")
    parser.add_argument("--output-dir", type=Path, default=HERE / "results")
    return parser.parse_args(argv)


def _selected(workload: Workload, only: set[str]) -> bool:
    return not only or workload.name in only or (workload.twin_of is not None and workload.twin_of in only)


def _moto_skip_reason(workload: Workload, quick: bool) -> str | None:
    if not quick:
        return None
    if workload.kind == "timing_probe":
        return "--quick: moto waits in real time"
    if workload.transitions > _QUICK_MOTO_MAX_TRANSITIONS:
        return f"--quick: over {_QUICK_MOTO_MAX_TRANSITIONS} transitions"
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and write the results."""
    args = _parse(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    workloads = [w for w in load_workloads() if _selected(w, only)]
    moto_budget = args.moto_budget if args.moto_budget is not None else (3.0 if args.quick else 30.0)
    local: Engine = LocalEngine()
    moto: Engine | None = None
    moto_version = None
    if not args.no_moto:
        import moto as moto_package

        moto_version = moto_package.__version__
        moto = MotoEngine()
    entries: list[dict[str, Any]] = []
    try:
        for workload in workloads:
            print(f"{workload.name} ...", file=sys.stderr, flush=True)
            repeats = min(workload.repeats, 3) if args.quick else workload.repeats
            entry: dict[str, Any] = {
                "name": workload.name,
                "language": workload.language,
                "twin_of": workload.twin_of,
                "kind": workload.kind,
                "transitions": workload.transitions,
                "expected_min_seconds": workload.expected_min_seconds,
                "constructs_sfn": measure_workload(local, workload, repeats=repeats, budget=None),
            }
            if moto is not None:
                reason = _moto_skip_reason(workload, args.quick)
                entry["moto"] = (
                    {"skipped": reason}
                    if reason
                    else measure_workload(moto, workload, repeats=repeats, budget=moto_budget)
                )
                ours_ms = entry["constructs_sfn"].get("ms_per_execution")
                moto_ms = entry["moto"].get("ms_per_execution")
                if workload.kind == "throughput" and ours_ms and moto_ms and entry["moto"].get("verified"):
                    entry["speedup"] = round(moto_ms / ours_ms, 1)
            entries.append(entry)
    finally:
        local.close()
        if moto is not None:
            moto.close()
    results: dict[str, Any] = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "quick": args.quick,
        "moto_version": moto_version,
        "moto_budget_seconds": None if moto is None else moto_budget,
        "workloads": entries,
        "import_time": measure_import("constructs_sfn.asl", runs=3 if args.quick else 9),
        "long_wait": measure_long_wait(runs=3 if args.quick else 10),
    }
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "latest.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    markdown = render_markdown(results)
    (args.output_dir / "latest.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    failed = [e["name"] for e in entries if not e["constructs_sfn"].get("verified")]
    if failed:
        print(f"constructs_sfn failed verification on: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
