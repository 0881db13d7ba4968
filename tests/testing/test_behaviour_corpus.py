"""Behaviour traces of every history AWS recorded in the conformance corpus.

The corpus holds real ``GetExecutionHistory`` event lists (Map, Parallel, retries, Catch,
callbacks, nested executions ...). Each must become a trace that places every state entered
exactly once and ends with the status AWS reported. The corpus lives outside the repository;
without it these tests are skipped (``CONSTRUCTS_SFN_CONFORMANCE_DIR`` names its directory).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.testing.behaviour import Step, behaviour_trace, render_behaviour

CORPUS = Path(
    os.environ.get("CONSTRUCTS_SFN_CONFORMANCE_DIR")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance" / "aws-recorded"
)


def recorded_histories() -> list[Any]:
    path = CORPUS / "cases.jsonl"
    if not path.is_file():
        return [pytest.param(None, id="corpus-missing", marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        history = (case.get("expected") or {}).get("history")
        if not history:
            continue
        marks = []
        if not all(isinstance(event.get("id"), int) for event in history):
            # A few recordings replaced event ids with lists ([0]); without ids there is no
            # previousEventId chain to follow, and no real history looks like that.
            marks.append(pytest.mark.skip(reason="the recording has no integer event ids"))
        cases.append(pytest.param(case, id=case["id"].rsplit("::", 1)[-1], marks=marks))
    return cases


def all_steps(steps: tuple[Step, ...]) -> list[Step]:
    found: list[Step] = []
    for step in steps:
        found.append(step)
        for branch in step.branches:
            found.extend(all_steps(branch.steps))
    return found


@pytest.mark.parametrize("case", recorded_histories())
def test_recorded_history_becomes_a_trace(case: dict[str, Any]) -> None:
    history = case["expected"]["history"]
    trace = behaviour_trace(history)
    entered = Counter(
        event["stateEnteredEventDetails"]["name"] for event in history if event["type"].endswith("StateEntered")
    )
    assert Counter(step.name for step in all_steps(trace.steps)) == entered
    assert trace.status == case["expected"]["status"]
    text = render_behaviour(trace)
    assert text.startswith(f"status: {trace.status}\n")
