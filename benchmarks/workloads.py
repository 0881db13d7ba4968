"""The benchmark workloads: the shared JSONPath set plus a JSONata twin registered next to each.

The shared set lives outside the repository (``<repo>/../shared/bench/workloads``, override with
``$CONSTRUCTS_SFN_BENCH_DIR``); its ``manifest.json`` gives each workload's input, expected output,
transition count and repeat count. Twins are registered in ``workloads_jsonata/manifest.json``
(``{"<name>": {"twin_of": "<base>", "definition": "<file>"}}``) and inherit everything but the
definition from their base; a twin may override any manifest field.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["BENCH_ENV", "Workload", "load_workloads", "output_problems"]

BENCH_ENV = "CONSTRUCTS_SFN_BENCH_DIR"
HERE = Path(__file__).resolve().parent
_DEFAULT_DIR = HERE.parent / ".." / "shared" / "bench" / "workloads"
_TWINS_DIR = HERE / "workloads_jsonata"


@dataclass(frozen=True)
class Workload:
    """One benchmark: a definition, its input and the output it must produce."""

    name: str
    language: str
    """``JSONPath`` or ``JSONata``."""
    kind: str
    """``throughput`` (timed over repeats) or ``timing_probe`` (how long waiting takes)."""
    definition: str
    input_text: str
    expected_output: Any
    transitions: int
    repeats: int
    twin_of: str | None = None
    expected_output_regex: Mapping[str, str] = field(default_factory=dict)
    expected_min_seconds: float | None = None


def _json_value(value: Any) -> Any:
    """Manifest values are JSON values, except that large ones are stored as JSON text."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _build(name: str, spec: Mapping[str, Any], directory: Path, language: str, twin_of: str | None) -> Workload:
    return Workload(
        name=name,
        language=language,
        kind=str(spec.get("kind", "throughput")),
        definition=(directory / spec["definition"]).read_text(encoding="utf-8"),
        input_text=json.dumps(_json_value(spec["input"])),
        expected_output=_json_value(spec["expected_output"]),
        transitions=int(spec["transitions"]),
        repeats=int(spec.get("repeats", 1)),
        twin_of=twin_of,
        expected_output_regex=dict(spec.get("expected_output_regex", {})),
        expected_min_seconds=spec.get("expected_min_seconds"),
    )


def bench_dir() -> Path:
    """Where the shared workloads are."""
    override = os.environ.get(BENCH_ENV)
    return Path(override) if override else _DEFAULT_DIR.resolve()


def load_workloads() -> list[Workload]:
    """Every JSONPath workload followed directly by its JSONata twin (when one is registered)."""
    shared = bench_dir()
    manifest = json.loads((shared / "manifest.json").read_text(encoding="utf-8"))
    twins_path = _TWINS_DIR / "manifest.json"
    twins = json.loads(twins_path.read_text(encoding="utf-8")) if twins_path.is_file() else {}
    twins_of: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for twin_name, twin in twins.items():
        twins_of.setdefault(twin["twin_of"], []).append((twin_name, twin))
    workloads: list[Workload] = []
    for name, spec in manifest.items():
        workloads.append(_build(name, spec, shared, "JSONPath", None))
        for twin_name, twin in twins_of.get(name, []):
            merged = {**spec, **twin}
            workloads.append(_build(twin_name, merged, _TWINS_DIR, "JSONata", name))
    return workloads


def output_problems(workload: Workload, output: Any) -> list[str]:
    """Why ``output`` is not the workload's expected output (empty when it is).

    Fields listed in ``expected_output_regex`` (a fresh UUID...) must match their pattern instead.
    """
    expected = workload.expected_output
    patterns = workload.expected_output_regex
    if patterns and isinstance(expected, dict) and isinstance(output, dict):
        problems = [
            f"{key}: {output.get(key)!r} does not match {pattern!r}"
            for key, pattern in patterns.items()
            if not isinstance(output.get(key), str) or not re.fullmatch(pattern, output[key])
        ]
        rest_expected = {k: v for k, v in expected.items() if k not in patterns}
        rest_output = {k: v for k, v in output.items() if k not in patterns}
        if rest_expected != rest_output:
            problems.append(f"output differs: expected {rest_expected}, got {rest_output}")
        return problems
    if output != expected:
        text = json.dumps(output)
        return [f"output differs: expected {json.dumps(expected)[:200]}, got {text[:200]}"]
    return []
