"""Mutation check of the pr_review example: its snapshots catch the changes a reviewer must see.

On a copy of the example (the real files are never touched), raising the review threshold or
swapping the order of the two compensations makes the behaviour snapshot test of the affected
scenario fail, with a diff that names the change; putting the line back makes everything pass.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

# One jsii runtime for the module: the inner sessions re-import only the example's own modules.
import aws_cdk
import aws_cdk.aws_lambda
import aws_cdk.aws_stepfunctions
import aws_cdk.aws_stepfunctions_tasks  # noqa: F401
import pytest

import constructs_sfn.cdk  # noqa: F401
from examples.inner_pytest import InnerRun, run_inner

pytestmark = pytest.mark.synth

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "pr_review"
STACK = "refund_stack.py"
THRESHOLD_LINE = "REVIEW_THRESHOLD = 500\n"
COMPENSATION_LINE = "compensate = reverse_credit.next(release_funds).next(failed)"
SWAPPED_COMPENSATION_LINE = "compensate = release_funds.next(reverse_credit).next(failed)"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example: the inner sessions' project."""
    copy = tmp_path / "pr_review"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "cdk.out"))
    return copy


def snapshot_files(root: Path) -> dict[str, bytes]:
    directory = root / "tests" / "__snapshots__"
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def replace_once(path: Path, old: str, new: str) -> str:
    """Replace the only occurrence of ``old``; return the original text."""
    original = path.read_text(encoding="utf-8")
    assert original.count(old) == 1, f"{path.name}: expected {old!r} exactly once"
    path.write_text(original.replace(old, new), encoding="utf-8")
    return original


def run(example: Path, *args: str) -> InnerRun:
    return run_inner(example, *args)


def failed_tests(result: InnerRun) -> list[str]:
    return sorted(re.findall(r"^FAILED tests/test_refund_workflow\.py::(\S+)", result.stdout.str(), re.MULTILINE))


def readme_block(marker: str) -> list[str]:
    """The lines of the fenced block after ``<!-- pr-review: <marker> -->`` in the example's README."""
    text = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    start = text.index("\n", text.index(f"<!-- pr-review: {marker} -->"))
    fence = text.index("\n", start + 1)  # the opening ``` line
    block = text[fence + 1 :]
    return block[: block.index("\n```")].splitlines()


def readme_output_lines(marker: str) -> list[str]:
    """The ``E`` (assertion) lines of the pytest output the README pastes."""
    return [line for line in readme_block(marker) if line.startswith("E ")]


def test_raising_the_threshold_shows_the_new_route(example: Path) -> None:
    stack = example / STACK
    committed = snapshot_files(example)
    original = replace_once(stack, THRESHOLD_LINE, "REVIEW_THRESHOLD = 1000\n")

    mutated = run(example)
    mutated.assert_outcomes(passed=3, failed=2)
    assert failed_tests(mutated) == ["test_behaviour[large-refund-reviewed]", "test_definition"]
    mutated.stdout.fnmatch_lines(
        [
            '*-           "NumericGreaterThan": 500,',
            '*+           "NumericGreaterThan": 1000,',
            "*- - CheckAmount (Choice) -> ReviewRefund out: (unchanged)",
            "*+ - CheckAmount (Choice) -> AutoApprove out: (unchanged)",
            "*- - ReviewRefund (Task)",
            "*+ - AutoApprove (Pass)",
            "*- - ReviewDecision (Choice) -> HoldFunds out: (unchanged)",
            "*2 snapshots failed. 3 snapshots passed.*",
        ]
    )
    assert snapshot_files(example) == committed  # a failing run writes nothing
    # The README pastes this run's output: every diff line it shows is one this run printed.
    printed = set(mutated.lines)
    pasted = readme_output_lines("threshold output")
    assert len(pasted) > 20
    assert [line for line in pasted if line not in printed] == []

    stack.write_text(original, encoding="utf-8")
    reverted = run(example)
    reverted.assert_outcomes(passed=5)
    reverted.stdout.fnmatch_lines(["*5 snapshots passed*"])


def test_swapping_the_compensations_shows_the_new_order(example: Path) -> None:
    stack = example / STACK
    committed = snapshot_files(example)
    original = replace_once(stack, COMPENSATION_LINE, SWAPPED_COMPENSATION_LINE)

    mutated = run(example)
    mutated.assert_outcomes(passed=3, failed=2)
    assert failed_tests(mutated) == ["test_behaviour[payout-fails]", "test_definition"]
    mutated.stdout.fnmatch_lines(
        [
            "*-     caught -> ReverseCredit",
            "*+     caught -> ReleaseFunds",
            "*+ - ReleaseFunds (Task)",
            "*  - ReverseCredit (Task)",
            '*+       "release":{"released":"hold-r-400"},"reversal":{"reversed":"credit-r-400"}}',
            "*- - ReleaseFunds (Task)",
            "*  - RefundFailed (Fail)",
        ]
    )
    # The only scenario that compensates is the only behaviour that changed.
    output = mutated.stdout.str()
    assert "CheckAmount (Choice) -> ReviewRefund" not in output
    assert snapshot_files(example) == committed

    stack.write_text(original, encoding="utf-8")
    reverted = run(example)
    reverted.assert_outcomes(passed=5)
    reverted.stdout.fnmatch_lines(["*5 snapshots passed*"])


def test_the_readme_diff_is_what_snapshot_update_writes(example: Path) -> None:
    behaviour = example / "tests" / "__snapshots__" / "test_refund_workflow"
    snapshot = behaviour / "test_behaviour[large-refund-reviewed].txt"
    before = snapshot.read_text(encoding="utf-8")
    replace_once(example / STACK, THRESHOLD_LINE, "REVIEW_THRESHOLD = 1000\n")

    updated = run(example, "--snapshot-update")
    updated.assert_outcomes(passed=5)
    updated.stdout.fnmatch_lines(["*3 snapshots passed. 2 snapshots updated.*"])
    after = snapshot.read_text(encoding="utf-8")

    # The README's diff holds the whole file in one hunk: its -/space lines are the committed
    # snapshot, its +/space lines the one --snapshot-update writes.
    lines = readme_block("behaviour diff")
    hunk = lines[next(i for i, line in enumerate(lines) if line.startswith("@@")) + 1 :]
    hunk = hunk[: next((i for i, line in enumerate(hunk) if line.startswith("diff --git")), len(hunk))]
    assert "".join(line[1:] + "\n" for line in hunk if line[:1] in " -") == before
    assert "".join(line[1:] + "\n" for line in hunk if line[:1] in " +") == after
