"""Garbage in, findings out: the linter never raises on a decoded value, a recorded definition or a fuzzed one."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

# The jsonata package raises the recursion limit when first imported; import it before Hypothesis
# runs, which warns (an error here) when a test changes the limit.
import jsonata  # noqa: F401
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_sfn.lint import SEVERITIES, Finding, lint_definition

NAMES = ["A", "B", "C", "D"]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 100_000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
)
RESOURCES = st.sampled_from(
    [
        "arn:aws:states:::lambda:invoke",
        "arn:aws:lambda:us-east-1:123456789012:function:Pay",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::sns:publish",
        "arn:aws:states:us-east-1:123456789012:activity:work",
        "arn:aws:states:::dynamodb:updateItem",
    ]
)
ERRORS = st.lists(st.sampled_from(["States.ALL", "States.TaskFailed", "Lambda.ServiceException", "X"]), max_size=3)
RETRIER = st.fixed_dictionaries(
    {"ErrorEquals": ERRORS},
    optional={
        "IntervalSeconds": st.integers(-1, 10) | SCALARS,
        "MaxAttempts": st.integers(-1, 100) | SCALARS,
        "BackoffRate": st.floats(0, 10, allow_nan=False) | SCALARS,
        "MaxDelaySeconds": st.integers(-1, 100),
        "JitterStrategy": st.sampled_from(["FULL", "NONE", 3]),
    },
)
CATCHER = st.fixed_dictionaries(
    {"ErrorEquals": ERRORS, "Next": st.sampled_from(NAMES)},
    optional={"ResultPath": st.sampled_from(["$", "$.error", None, 7]), "Output": st.just("{% $states.input %}")},
)


def _state(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"Type": st.sampled_from(["Task", "Pass", "Wait", "Choice", "Succeed", "Fail", "Map", "Parallel", "Bogus"])},
        optional={
            "Next": st.sampled_from([*NAMES, "Nowhere"]),
            "End": st.booleans() | SCALARS,
            "Resource": RESOURCES | SCALARS,
            "TimeoutSeconds": st.integers(-1, 1000) | SCALARS,
            "HeartbeatSeconds": st.integers(-1, 1000),
            "Seconds": st.integers(-1, 10_000) | SCALARS,
            "SecondsPath": st.just("$.s"),
            "Retry": st.lists(RETRIER, max_size=3) | SCALARS,
            "Catch": st.lists(CATCHER, max_size=2) | SCALARS,
            "Parameters": st.dictionaries(st.sampled_from(["t.$", "Name", "InvocationType", "x"]), SCALARS, max_size=3),
            "Comment": st.sampled_from(["lint-ignore SFN001: ok", "lint-ignore SFN001", "lint-ignore SFN9", "hi"]),
            "Choices": st.lists(
                st.fixed_dictionaries(
                    {"Variable": st.just("$.x"), "IsPresent": st.booleans(), "Next": st.sampled_from(NAMES)}
                ),
                max_size=2,
            ),
            "Default": st.sampled_from(NAMES),
            "MaxConcurrency": st.integers(-1, 5) | SCALARS,
            "ItemsPath": st.just("$.items"),
            "QueryLanguage": st.sampled_from(["JSONata", "JSONPath", "Nope"]),
            "ItemProcessor": inner,
            "Branches": st.lists(inner, max_size=2),
        },
    )


def _machine(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "StartAt": st.sampled_from(NAMES),
            "States": st.dictionaries(st.sampled_from(NAMES), _state(inner), max_size=4),
        },
        optional={"TimeoutSeconds": st.integers(0, 100), "Comment": st.just("lint-ignore SFN053: test")},
    )


MACHINES = st.recursive(st.just({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}), _machine, max_leaves=6)


def _check(findings: list[Finding]) -> None:
    for finding in findings:
        assert finding.severity in SEVERITIES
        assert finding.rule.startswith("SFN")
        assert finding.message
        assert finding.fix
        json.dumps(finding.as_json())


@settings(max_examples=300, deadline=None)
@given(MACHINES, st.sampled_from(["STANDARD", "EXPRESS"]))
def test_fuzzed_definitions_yield_findings_not_exceptions(definition: dict[str, Any], machine_type: str) -> None:
    _check(lint_definition(definition, state_machine_type=machine_type))


@settings(max_examples=100, deadline=None)
@given(st.recursive(SCALARS, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3)))
def test_any_json_value_yields_findings(value: Any) -> None:
    _check(lint_definition(json.dumps(value)))


def _corpus() -> Path:
    override = os.environ.get("CONSTRUCTS_SFN_CONFORMANCE_DIR")
    root = (
        Path(override) if override else Path(__file__).resolve().parents[3] / "shared" / "conformance" / "aws-recorded"
    )
    return root / "cases.jsonl"


@pytest.mark.skipif(not _corpus().is_file(), reason="the AWS-recorded conformance corpus is not on this machine")
def test_every_recorded_definition_lints() -> None:
    count = 0
    for line in _corpus().read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if isinstance(case.get("definition"), dict):
            _check(lint_definition(case["definition"], state_machine_type=case.get("state_machine_type") or "STANDARD"))
            count += 1
    assert count > 100
