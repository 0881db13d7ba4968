"""Suppressing one rule for one state, with a reason: in the state's Comment or with suppress=."""

from __future__ import annotations

import pytest

from constructs_sfn.lint import TemplateInfo, lint_definition
from lint.helpers import machine, task


def _no_timeout(comment: str | None = None) -> dict[str, object]:
    """Two Tasks without TimeoutSeconds: 'Publish' (with ``comment``) then 'Other'."""
    return machine(
        {
            "Publish": task(TimeoutSeconds=None, Comment=comment, End=None, Next="Other"),
            "Other": task(TimeoutSeconds=None),
        }
    )


def _rules(definition: dict[str, object], **options: object) -> list[tuple[str, str | None]]:
    return [(f.rule, f.state) for f in lint_definition(definition, **options)]  # type: ignore[arg-type]


def test_without_suppression_both_states_are_reported() -> None:
    assert _rules(_no_timeout()) == [("SFN001", "Publish"), ("SFN001", "Other")]


def test_comment_suppresses_one_rule_for_that_state_only() -> None:
    definition = _no_timeout("Fan-out. lint-ignore SFN001: SNS answers within the SDK's own 60 s timeout")
    assert _rules(definition) == [("SFN001", "Other")]


def test_several_directives_in_one_comment() -> None:
    definition = _no_timeout("lint-ignore SFN042: never a Choice; lint-ignore SFN001: bounded by the SDK")
    assert _rules(definition) == [("SFN001", "Other")]


def test_suppress_argument() -> None:
    assert _rules(_no_timeout(), suppress={"Other": {"SFN001": "bounded by the SDK"}}) == [("SFN001", "Publish")]


def test_suppression_without_reason_is_a_finding_and_suppresses_nothing() -> None:
    findings = lint_definition(_no_timeout("lint-ignore SFN001"))
    assert [(f.rule, f.state) for f in findings] == [("SFN001", "Publish"), ("SFN001", "Other"), ("SFN090", "Publish")]
    problem = findings[-1]
    assert problem.pointer == "/States/Publish/Comment"
    assert "no reason" in problem.message
    empty = lint_definition(_no_timeout(), suppress={"Other": {"SFN001": "  "}})
    assert [(f.rule, f.state) for f in empty][-1] == ("SFN090", "Other")


def test_unknown_rule_is_a_finding() -> None:
    findings = lint_definition(_no_timeout("lint-ignore SFN999: typo"))
    assert ("SFN090", "Publish") in [(f.rule, f.state) for f in findings]
    assert "SFN999" in findings[-1].message


def test_validation_errors_cannot_be_suppressed() -> None:
    broken = machine({"A": {"Type": "Pass", "Next": "Nowhere", "Comment": "lint-ignore SFN000: please"}})
    rules = [f.rule for f in lint_definition(broken)]
    assert rules.count("SFN000") == 2
    assert "SFN090" in rules


def test_machine_level_suppression_in_the_top_level_comment() -> None:
    bare = TemplateInfo(logical_id="Machine", properties={}, resources={})
    plain = machine({"Done": {"Type": "Succeed"}})
    assert "SFN053" in [f.rule for f in lint_definition(plain, template=bare)]
    definition = machine({"Done": {"Type": "Succeed"}}, Comment="lint-ignore SFN053: owned by the platform account")
    rules = [f.rule for f in lint_definition(definition, template=bare)]
    assert "SFN053" not in rules
    assert "SFN052" in rules
    by_argument = lint_definition(plain, template=bare, suppress={"": {"SFN052": "alarmed by the org dashboard"}})
    assert "SFN052" not in [f.rule for f in by_argument]


def test_bad_suppress_argument() -> None:
    with pytest.raises(TypeError, match="suppress"):
        lint_definition(_no_timeout(), suppress=["SFN001"])  # type: ignore[arg-type]
