"""The pr_review example's own tests, run as its README says, on copies of the example.

The example (``examples/pr_review``) is a small project with its own ``pytest.ini``; its tests
snapshot the refund workflow's definition and the behaviour of four named scenarios. Here they run
in an inner pytest session against the committed snapshots (they must all pass), and twice from
scratch in fresh interpreters, which must write the committed snapshot files byte for byte.
The real example directory is only read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# The inner sessions import the example's stack; loading aws_cdk (and the modules the stack uses)
# here keeps one jsii runtime for the whole module instead of one per inner session.
import aws_cdk
import aws_cdk.aws_lambda
import aws_cdk.aws_stepfunctions
import aws_cdk.aws_stepfunctions_tasks  # noqa: F401
import pytest

import constructs_sfn.cdk  # noqa: F401
from examples.inner_pytest import run_inner

pytestmark = pytest.mark.synth

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "pr_review"
SNAPSHOTS = Path("tests") / "__snapshots__"
EXPECTED_SNAPSHOTS = {
    "test_refund_workflow/test_definition.json",
    "test_refund_workflow/test_behaviour[small-refund].txt",
    "test_refund_workflow/test_behaviour[large-refund-reviewed].txt",
    "test_refund_workflow/test_behaviour[large-refund-declined].txt",
    "test_refund_workflow/test_behaviour[payout-fails].txt",
}
_IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", "cdk.out")


def copy_example(target: Path, *, with_snapshots: bool = True) -> Path:
    """The example's files in ``target`` (created), optionally without its snapshots."""
    shutil.copytree(EXAMPLE, target, ignore=_IGNORED, dirs_exist_ok=True)
    if not with_snapshots:
        shutil.rmtree(target / SNAPSHOTS)
    return target


def snapshot_files(root: Path) -> dict[str, bytes]:
    """Snapshot file (relative to ``tests/__snapshots__``) -> its bytes."""
    directory = root / SNAPSHOTS
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_committed_snapshots_are_the_expected_files() -> None:
    assert set(snapshot_files(EXAMPLE)) == EXPECTED_SNAPSHOTS


def test_example_tests_pass_against_the_committed_snapshots(tmp_path: Path) -> None:
    copy = copy_example(tmp_path / "pr_review")
    result = run_inner(copy)
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*5 snapshots passed*"])
    assert snapshot_files(copy) == snapshot_files(EXAMPLE)


def _fresh_run(directory: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT"):  # a plain session, not a worker
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q", "--snapshot-update"],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_two_fresh_processes_write_the_committed_snapshots_byte_for_byte(tmp_path: Path) -> None:
    written = []
    for name in ("first", "second"):
        copy = copy_example(tmp_path / name, with_snapshots=False)
        run = _fresh_run(copy)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "5 snapshots generated" in run.stdout, run.stdout
        written.append(snapshot_files(copy))
    first, second = written
    assert set(first) == EXPECTED_SNAPSHOTS
    assert first == second
    committed = snapshot_files(EXAMPLE)
    changed = sorted(name for name in committed if first.get(name) != committed[name])
    assert changed == [], f"a fresh copy of the example writes different snapshots: {changed}"
