"""Suppressing one rule for one state, always with a reason.

Two ways, both needing a reason:

* in the definition: the state's ``Comment`` contains ``lint-ignore SFN001: <reason>`` (several may
  follow each other, separated by ``;``); the machine's top-level ``Comment`` suppresses findings
  about the whole machine (the template rules);
* in code: ``suppress={"Charge": {"SFN001": "<reason>"}}``; the key ``""`` is the whole machine.

A suppression without a reason, or naming no known rule, suppresses nothing and is itself a finding
(``SFN090``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from constructs_sfn.lint.findings import WARNING, Finding, Rule

__all__ = [
    "MACHINE",
    "SUPPRESSION_RULE",
    "Suppression",
    "apply_suppressions",
    "comment_suppressions",
    "parse_suppressions",
]

MACHINE = ""
"""The key of ``suppress`` (and the "state" of a suppression) for findings about the whole machine."""

_DIRECTIVE = re.compile(r"lint-ignore\s+(?P<rule>[A-Za-z]+\d+)\s*(?::(?P<reason>.*?))?\s*(?=;|lint-ignore|$)")

SUPPRESSION_RULE = Rule(
    "SFN090",
    WARNING,
    "A suppression without a reason, or naming a rule that does not exist; it suppresses nothing.",
    "Write lint-ignore SFNnnn: <why this is safe here> (or suppress={state: {rule: reason}}).",
    lambda ctx: iter(()),
)


@dataclass(frozen=True, slots=True)
class Suppression:
    """``rule`` does not apply to ``state`` (``MACHINE`` for the whole machine) because of ``reason``."""

    rule: str
    state: str
    reason: str
    pointer: str
    """Where the suppression was written (the state's Comment), ``""`` for ``suppress=``."""


def comment_suppressions(comment: object, state: str, pointer: str) -> Iterator[Suppression]:
    """The ``lint-ignore`` directives of one ``Comment``."""
    if not isinstance(comment, str):
        return
    for match in _DIRECTIVE.finditer(comment):
        yield Suppression(match["rule"].upper(), state, (match["reason"] or "").strip(), f"{pointer}/Comment")


def parse_suppressions(suppress: Mapping[str, Mapping[str, str]] | None) -> Iterator[Suppression]:
    """The suppressions of a ``suppress={state: {rule: reason}}`` argument."""
    if suppress is None:
        return
    if not isinstance(suppress, Mapping):
        raise TypeError(f"suppress must map state names to {{rule id: reason}}, got {type(suppress).__name__}")
    for state, rules in suppress.items():
        if not isinstance(rules, Mapping):
            raise TypeError(f"suppress[{state!r}] must map rule ids to reasons, got {type(rules).__name__}")
        for rule, reason in rules.items():
            yield Suppression(str(rule).upper(), str(state), str(reason or "").strip(), "")


def apply_suppressions(
    findings: list[Finding], suppressions: list[Suppression], known_rules: set[str]
) -> list[Finding]:
    """``findings`` without the suppressed ones, plus a finding for every invalid suppression."""
    valid: dict[tuple[str, str], Suppression] = {}
    problems: list[Finding] = []
    for item in suppressions:
        where = "the machine" if item.state == MACHINE else f"state {item.state!r}"
        if item.rule not in known_rules:
            problems.append(_problem(item, f"The suppression of {item.rule} for {where} names no known rule."))
        elif not item.reason:
            problems.append(_problem(item, f"The suppression of {item.rule} for {where} gives no reason."))
        else:
            valid[(item.rule, item.state)] = item
    kept = [f for f in findings if (f.rule, f.state if f.state is not None else MACHINE) not in valid]
    return kept + problems


def _problem(item: Suppression, message: str) -> Finding:
    return Finding(
        rule=SUPPRESSION_RULE.id,
        severity=SUPPRESSION_RULE.severity,
        message=f"{message} It suppresses nothing.",
        fix=SUPPRESSION_RULE.fix,
        pointer=item.pointer,
        state=item.state or None,
    )
