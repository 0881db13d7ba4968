"""Helpers for the CLI tests: the installed console script, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / ".venv" / "bin" / "constructs-sfn"

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """``cli("run", file, cwd=..., env={...})``: the console script in a subprocess (cwd: tmp_path).

    ``env`` adds to (or, with a None value, removes from) the test process's environment;
    SFN_MOCK_CONFIG and AWS_ENDPOINT_URL are removed unless given.
    """

    def run(
        *args: str | Path, cwd: Path | None = None, env: Mapping[str, str | None] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if k not in ("SFN_MOCK_CONFIG", "AWS_ENDPOINT_URL")}
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        return subprocess.run(
            [str(SCRIPT), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=cwd or tmp_path,
            env=environment,
        )

    return run


def write_json(path: Path, value: Any) -> Path:
    """Write ``value`` as JSON text to ``path``; return the path."""
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


@pytest.fixture
def json_file() -> Callable[[Path, Any], Path]:
    """``json_file(path, value)``: ``value`` as JSON text in ``path``; returns the path."""
    return write_json


@pytest.fixture
def cdk_out(tmp_path: Path) -> Callable[[Mapping[str, Any], Mapping[str, str]], Path]:
    """``cdk_out(resources, paths)``: a cloud assembly ``tmp_path/cdk.out`` whose one stack ``Shop``
    holds ``resources``; ``paths`` maps construct paths to logical ids (``aws:cdk:logicalId``)."""
    return lambda resources, paths: _write_assembly(tmp_path, resources, paths)


def _write_assembly(root: Path, resources: Mapping[str, Any], paths: Mapping[str, str]) -> Path:
    out = root / "cdk.out"
    out.mkdir()
    write_json(out / "Shop.template.json", {"Resources": dict(resources)})
    metadata = {f"/{path}": [{"type": "aws:cdk:logicalId", "data": logical_id}] for path, logical_id in paths.items()}
    manifest = {
        "artifacts": {
            "Shop": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "Shop.template.json"},
                "metadata": metadata,
            }
        }
    }
    write_json(out / "manifest.json", manifest)
    return out
