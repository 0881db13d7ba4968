"""SFN010-SFN014: back-off caps, jitter, States.ALL placement and Catch that loses the input."""

from __future__ import annotations

from typing import Any

from constructs_sfn.asl import parse_definition
from constructs_sfn.lint import LintContext, rule
from lint.helpers import found, machine, task

CAPPED = {"ErrorEquals": ["Boom"], "BackoffRate": 2, "MaxDelaySeconds": 30, "JitterStrategy": "FULL"}


def _with_retry(*retriers: dict[str, Any]) -> dict[str, Any]:
    return machine({"Call": task(Retry=list(retriers))})


def test_sfn010_exponential_without_max_delay() -> None:
    [finding] = found(_with_retry({"ErrorEquals": ["Boom"], "MaxAttempts": 10, "JitterStrategy": "FULL"}), "SFN010")
    assert finding.pointer == "/States/Call/Retry/0"
    assert finding.severity == "warning"
    assert "512 s" in finding.message  # 1 s doubled nine times: the wait before attempt 10
    [huge] = found(_with_retry({"ErrorEquals": ["Boom"], "MaxAttempts": 99999999, "BackoffRate": 10}), "SFN010")
    assert "more than a year" in huge.message


def test_sfn010_passes_capped_or_constant_backoff() -> None:
    assert found(_with_retry(CAPPED), "SFN010") == []
    assert found(_with_retry({"ErrorEquals": ["Boom"], "BackoffRate": 1, "JitterStrategy": "FULL"}), "SFN010") == []


def test_sfn011_exponential_without_jitter() -> None:
    [finding] = found(_with_retry({"ErrorEquals": ["Boom"], "MaxDelaySeconds": 30}), "SFN011")
    assert "JitterStrategy" in finding.message
    assert found(_with_retry(CAPPED), "SFN011") == []
    assert found(_with_retry({"ErrorEquals": ["Boom"], "BackoffRate": 1}), "SFN011") == []


def _rule_hits(rule_id: str, definition: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The rule's own check on a definition the validator rejects (so lint_definition reports SFN000)."""
    context = LintContext(parse_definition(definition, validate=False))
    return [(hit.pointer, hit.state) for hit in rule(rule_id).check(context)]


def test_sfn012_states_all_mixed_with_other_errors() -> None:
    mixed = machine(
        {
            "Call": task(Catch=[{"ErrorEquals": ["States.ALL", "Boom"], "Next": "Done"}], Next="Done", End=None),
            "Done": {"Type": "Succeed"},
        }
    )
    assert _rule_hits("SFN012", mixed) == [("/States/Call/Catch/0/ErrorEquals", "Call")]
    # AWS rejects it: lint reports the validator's error for the state, not a second finding
    findings = found(mixed, "SFN000")
    assert [(f.severity, f.state) for f in findings] == [("error", "Call")]
    assert "States.ALL" in findings[0].message
    assert found(mixed, "SFN012") == []


def test_sfn012_passes_states_all_alone() -> None:
    alone = _with_retry({**CAPPED, "ErrorEquals": ["Boom"]}, {**CAPPED, "ErrorEquals": ["States.ALL"]})
    assert _rule_hits("SFN012", alone) == []
    assert found(alone, "SFN000") == []


def test_sfn013_states_all_not_last() -> None:
    first = _with_retry({**CAPPED, "ErrorEquals": ["States.ALL"]}, CAPPED)
    assert _rule_hits("SFN013", first) == [("/States/Call/Retry/0", "Call")]
    [error] = found(first, "SFN000")
    assert error.state == "Call"
    assert error.pointer.startswith("/States/Call/Retry")
    assert found(first, "SFN013") == []


def test_sfn013_passes_states_all_last() -> None:
    last = _with_retry(CAPPED, {**CAPPED, "ErrorEquals": ["States.ALL"]})
    assert _rule_hits("SFN013", last) == []


def _catching(catcher: dict[str, Any], **state: Any) -> dict[str, Any]:
    call = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handle", **catcher}], Next="Done", End=None, **state)
    return machine({"Call": call, "Handle": {"Type": "Pass", "Next": "Done"}, "Done": {"Type": "Succeed"}})


def test_sfn014_catch_without_result_path() -> None:
    [finding] = found(_catching({}), "SFN014")
    assert finding.pointer == "/States/Call/Catch/0"
    assert "'Handle'" in finding.message
    assert len(found(_catching({"ResultPath": "$"}), "SFN014")) == 1


def test_sfn014_passes_with_result_path() -> None:
    assert found(_catching({"ResultPath": "$.error"}), "SFN014") == []
    assert found(_catching({"ResultPath": None}), "SFN014") == []


def test_sfn014_jsonata_catch_without_output() -> None:
    [finding] = found(_catching({}, QueryLanguage="JSONata"), "SFN014")
    assert "Output" in finding.message
    kept = _catching(
        {"Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}"}, QueryLanguage="JSONata"
    )
    assert found(kept, "SFN014") == []
