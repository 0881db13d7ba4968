"""Benchmark the test toolkit on the demo app (``app.py``) and its scenarios (``tests/demo``).

Usage::

    python benchmarks/toolkit.py            # full run (a few minutes: cdk CLI calls, pytest sessions, moto waits)
    python benchmarks/toolkit.py --quick    # fewer repeats
    python benchmarks/toolkit.py --no-moto  # skip the moto peer

What it measures, each figure next to a peer measured in the same run:

* **Synthesis of the demo app**: ``SynthesizedApp.from_app(build_app())`` in-process (the first
  one pays for starting jsii and loading aws-cdk-lib; later ones are the median of repeats), in a
  fresh interpreter (what one pytest session pays), and the peer: a ``cdk synth`` CLI call with
  the repository's ``cdk.json``.
* **Each scenario of ``tests/demo/*.scenarios.yaml``**: median wall time of a fresh runner plus
  ``run_scenario`` (what one collected scenario test costs, synthesis excluded); the peer: the
  same definition and input on moto's Step Functions interpreter (``execute_state_machine``),
  which runs Wait states in real time. Each engine's status is recorded next to its time.
* **The whole scenario module**: wall time of ``pytest tests/demo/<file>.scenarios.yaml`` in a
  fresh process, without and with ``--sfn-synth-cache`` (the cache warmed by one untimed run).

Results go to ``benchmarks/results/toolkit.json`` and ``toolkit.md``. Timings are never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engines import MotoEngine  # noqa: E402

DEMO_SCENARIOS = sorted((ROOT / "tests" / "demo").glob("*.scenarios.yaml"))
_FRESH_SYNTH = (
    "import time; t = time.perf_counter(); import app; "
    "from constructs_sfn.testing import SynthesizedApp; "
    "SynthesizedApp.from_app(app.build_app()); print(time.perf_counter() - t)"
)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats of every figure")
    parser.add_argument("--no-moto", action="store_true", help="skip the moto peer of the scenario timings")
    parser.add_argument("--output-dir", type=Path, default=HERE / "results")
    return parser.parse_args(argv)


def _environment() -> dict[str, str]:
    """The environment scripts/env.sh sets up: the venv and node_modules on PATH, Node 22 for jsii."""
    environment = dict(os.environ)
    bins = [str(ROOT / ".venv" / "bin"), str(ROOT / "node_modules" / ".bin")]
    environment["PATH"] = os.pathsep.join([*bins, environment.get("PATH", "")])
    node = ROOT / "node_modules" / ".bin" / "node"
    if node.exists():
        environment.setdefault("JSII_NODE", str(node))
    environment.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    environment.setdefault("CDK_DISABLE_VERSION_CHECK", "1")
    environment.setdefault("CDK_DISABLE_CLI_TELEMETRY", "1")
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    return environment


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _summary(samples: list[float]) -> dict[str, Any]:
    return {
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "max_s": max(samples),
        "runs": len(samples),
    }


def _run(
    command: list[str], *, cwd: Path, environment: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return elapsed, done


# -- synthesis ----------------------------------------------------------------------------------


def measure_synthesis(repeats: int, environment: dict[str, str]) -> dict[str, Any]:
    """In-process (first and warm), fresh interpreter, and the cdk CLI."""
    print("synthesis: in-process ...", file=sys.stderr, flush=True)
    import_seconds, _ = _timed(lambda: __import__("app"))
    import app as demo
    from constructs_sfn.testing import SynthesizedApp

    first, synthesized = _timed(lambda: SynthesizedApp.from_app(demo.build_app()))
    warm = [_timed(lambda: SynthesizedApp.from_app(demo.build_app()))[0] for _ in range(max(repeats, 3))]

    print("synthesis: fresh interpreters ...", file=sys.stderr, flush=True)
    fresh_wall, fresh_inner = [], []
    for _ in range(repeats):
        elapsed, done = _run([sys.executable, "-c", _FRESH_SYNTH], cwd=ROOT, environment=environment)
        fresh_wall.append(elapsed)
        fresh_inner.append(float(done.stdout.strip().splitlines()[-1]))

    print("synthesis: cdk CLI ...", file=sys.stderr, flush=True)
    cli = []
    with tempfile.TemporaryDirectory() as scratch:
        for index in range(repeats):
            out = Path(scratch) / f"cdk.out.{index}"
            command = ["cdk", "synth", "--quiet", "--no-notices", "--output", str(out)]
            cli.append(_run(command, cwd=ROOT, environment=environment)[0])
    return {
        "state_machines": len(synthesized.state_machines),
        "import_app_s": import_seconds,
        "in_process_first_s": first,
        "in_process_warm": _summary(warm),
        "fresh_interpreter_wall": _summary(fresh_wall),
        "fresh_interpreter_import_and_synth": _summary(fresh_inner),
        "cdk_cli": _summary(cli),
    }


# -- scenarios ----------------------------------------------------------------------------------


def measure_scenarios(repeats: int, moto_repeats: int, use_moto: bool) -> list[dict[str, Any]]:
    """Each demo scenario: fresh runner + run_scenario, median; and the same input on moto.

    As the plugin does, a scenario with ``local_aws``/``objects`` gets its runner from a LocalAws
    (one moto server for the whole benchmark, its resources created on first use).
    """
    import app as demo
    from constructs_sfn.testing import SynthesizedApp, load_scenarios, run_scenario
    from constructs_sfn.testing.local_aws import LocalAws
    from constructs_sfn.testing.scenarios import scenario_runner

    synthesized = SynthesizedApp.from_app(demo.build_app())
    moto = MotoEngine() if use_moto else None
    rows: list[dict[str, Any]] = []
    try:
        with LocalAws() as aws:
            for path in DEMO_SCENARIOS:
                loaded = load_scenarios(path)
                for scenario in loaded.scenarios:
                    print(f"scenario {path.name}: {scenario.name} ...", file=sys.stderr, flush=True)
                    machine = synthesized.state_machine(scenario.state_machine or loaded.state_machine)

                    def once(machine: Any = machine, scenario: Any = scenario) -> Any:
                        return run_scenario(scenario_runner(machine, scenario, aws=aws), scenario)

                    result = once()  # warm-up and correctness
                    samples = [_timed(once)[0] for _ in range(repeats)]
                    row: dict[str, Any] = {
                        "file": path.name,
                        "scenario": scenario.name,
                        "state_machine": machine.name,
                        "local_aws": bool(scenario.local_aws or scenario.objects),
                        "ours": {**_summary(samples), "status": result.run.status, "as_expected": result.ok},
                    }
                    if moto is not None:
                        row["moto"] = _moto_peer(moto, machine, scenario, moto_repeats)
                    rows.append(row)
    finally:
        if moto is not None:
            moto.close()
    return rows


def _moto_peer(moto: MotoEngine, machine: Any, scenario: Any, repeats: int) -> dict[str, Any]:
    """The scenario on moto, when moto can run it on its own: no mocked or bound Tasks, no steps."""
    if scenario.tasks or scenario.steps or scenario.local_aws or scenario.objects:
        return {"skipped": "mocks Tasks, acts on a paused run or needs AWS resources"}
    if machine.referenced():
        return {"skipped": "calls resources of the app (placeholders moto cannot serve)"}
    return _moto_row(moto, machine.definition_text, scenario.input, repeats)


def _moto_row(moto: MotoEngine, definition: str, input_value: Any, repeats: int) -> dict[str, Any]:
    arn = moto.create("demo", definition)
    text = json.dumps({} if input_value is None else input_value)
    outcome = moto.run(arn, text, timeout=120)  # warm-up
    samples = [moto.run(arn, text, timeout=120).wall_seconds for _ in range(repeats)]
    return {**_summary(samples), "status": outcome.status, "error": outcome.error}


# -- the scenario module under pytest -------------------------------------------------------------


def measure_module(repeats: int, environment: dict[str, str]) -> dict[str, Any]:
    """``pytest <scenario files>`` in fresh processes, without and with ``--sfn-synth-cache``.

    The sessions run in a scratch copy of the demo project (``app.py``, ``cdk.json``,
    ``pyproject.toml``, the scenario files): the cache key hashes every ``*.py`` under the app's
    directory, and in the repository that includes files other people may be editing meanwhile.
    """
    files = [str(path.relative_to(ROOT)) for path in DEMO_SCENARIOS]
    results: dict[str, Any] = {"files": files}
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        (project / "tests" / "demo").mkdir(parents=True)
        for name in ("app.py", "cdk.json", "pyproject.toml"):
            shutil.copy2(ROOT / name, project / name)
        for path in DEMO_SCENARIOS:
            shutil.copy2(path, project / "tests" / "demo" / path.name)
        cache = Path(scratch) / "cache"
        base = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-o", f"cache_dir={cache}", *files]
        print("pytest module: without the synth cache ...", file=sys.stderr, flush=True)
        plain = [_run(base, cwd=project, environment=environment) for _ in range(repeats)]
        print("pytest module: with the synth cache ...", file=sys.stderr, flush=True)
        _run([*base, "--sfn-synth-cache"], cwd=project, environment=environment)  # fills the cache
        cached = [_run([*base, "--sfn-synth-cache"], cwd=project, environment=environment) for _ in range(repeats)]
        entries = cache / "d" / "constructs_sfn_synth"
        results["cache_entries"] = len(list(entries.iterdir())) if entries.is_dir() else 0
    results["without_cache"] = {**_summary([t for t, _ in plain]), "summary": _last_line(plain[-1][1])}
    results["with_cache"] = {**_summary([t for t, _ in cached]), "summary": _last_line(cached[-1][1])}
    return results


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# -- report -------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def _s(seconds: float) -> str:
    return f"{seconds:,.2f}"


def _row(label: str, figure: dict[str, Any], *extra: str) -> str:
    cells = [label, f"{_s(figure['median_s'])} ({figure['runs']})", *extra]
    return "| " + " | ".join(cells) + " |"


def render_markdown(results: dict[str, Any]) -> str:
    """The results as the Markdown page ``toolkit.md``."""
    synth = results["synthesis"]
    module = results["pytest_module"]
    lines = [
        "# Benchmarks: the test toolkit on the demo app",
        "",
        (
            f"Generated {results['generated']} on Python {results['python']} ({results['platform']}, "
            f"{results['cpus']} CPUs); mode: {results['mode']}. Command: `python benchmarks/toolkit.py"
            f"{' --quick' if results['mode'] == 'quick' else ''}`."
        ),
        "Medians of repeated wall-time measurements (runs in brackets); nothing here is a pass/fail test.",
        "",
        f"## Synthesis of `app.py` (one stack, {synth['state_machines']} state machines)",
        "",
        "| how | seconds |",
        "|---|---|",
        f"| in-process, first synth (jsii start, aws-cdk-lib load) | {_s(synth['in_process_first_s'])} |",
        _row("in-process, each later synth", synth["in_process_warm"]),
        _row(
            "fresh interpreter: import + synth, as one pytest session pays", synth["fresh_interpreter_import_and_synth"]
        ),
        _row("fresh interpreter, whole process", synth["fresh_interpreter_wall"]),
        _row("peer: `cdk synth --quiet` CLI call", synth["cdk_cli"]),
        "",
        "## Each scenario of `tests/demo` (synthesis excluded)",
        "",
        "ours: a fresh `WorkflowRunner` and `run_scenario` on the virtual clock. moto: the same",
        "definition and input on moto's Step Functions interpreter, Wait states in real time.",
        "",
        "| file | scenario | LocalAws | ours ms | ours status | moto ms | moto status | moto / ours |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in results["scenarios"]:
        ours = row["ours"]
        moto = row.get("moto")
        if moto is None:
            moto_cells = ["-", "not run", "-"]
        elif "skipped" in moto:
            moto_cells = ["-", moto["skipped"], "-"]
        else:
            status = moto["status"] + (f" ({moto['error']})" if moto.get("error") else "")
            moto_cells = [
                f"{_ms(moto['median_s'])} ({moto['runs']})",
                status,
                f"{moto['median_s'] / ours['median_s']:,.0f}x",
            ]
        ours_status = ours["status"] + ("" if ours["as_expected"] else " (NOT as expected)")
        lines.append(
            f"| {row['file']} | {row['scenario']} | {'yes' if row['local_aws'] else 'no'} | "
            f"{_ms(ours['median_s'])} ({ours['runs']}) | {ours_status} | " + " | ".join(moto_cells) + " |"
        )
    lines += [
        "",
        "## The whole scenario module under pytest (fresh process each time)",
        "",
        f"`pytest -p no:xdist -q {' '.join(module['files'])}`; the cache run reuses the assembly a first,",
        "untimed run stored under the cache directory. The sessions run in a scratch copy of the demo project",
        "(app.py, cdk.json, pyproject.toml, the scenario files); assemblies in the cache afterwards:",
        f"{module['cache_entries']} (1: every cached session was a hit).",
        "",
        "| how | seconds | pytest says |",
        "|---|---|---|",
        _row("without `--sfn-synth-cache`", module["without_cache"], module["without_cache"]["summary"]),
        _row("with `--sfn-synth-cache`", module["with_cache"], module["with_cache"]["summary"]),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and write ``toolkit.json`` and ``toolkit.md``."""
    args = _parse(argv)
    environment = _environment()
    os.environ.update({k: v for k, v in environment.items() if k.startswith(("JSII_", "CDK_"))})
    repeats = 2 if args.quick else 5
    results: dict[str, Any] = {
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "mode": "quick" if args.quick else "full",
    }
    results["synthesis"] = measure_synthesis(repeats, environment)
    results["scenarios"] = measure_scenarios(10 if args.quick else 50, 2 if args.quick else 5, not args.no_moto)
    results["pytest_module"] = measure_module(2 if args.quick else 3, environment)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "toolkit.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.output_dir / "toolkit.md").write_text(render_markdown(results), encoding="utf-8")
    print(render_markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
