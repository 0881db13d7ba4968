"""Lint one definition: the validator's diagnostics, then every rule, then the suppressions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError, DefinitionProblem
from constructs_sfn.asl.model import StateMachineDefinition
from constructs_sfn.asl.parse import load_definition_document, parse_definition
from constructs_sfn.asl.parse.validate import validate_definition
from constructs_sfn.lint.context import LintContext, TemplateInfo
from constructs_sfn.lint.error_handling_rules import ERROR_HANDLING_RULES
from constructs_sfn.lint.express_rules import EXPRESS_RULES
from constructs_sfn.lint.findings import ERROR, WARNING, Finding, Rule
from constructs_sfn.lint.flow_rules import FLOW_RULES
from constructs_sfn.lint.suppressions import (
    MACHINE,
    SUPPRESSION_RULE,
    Suppression,
    apply_suppressions,
    comment_suppressions,
    parse_suppressions,
)
from constructs_sfn.lint.task_rules import TASK_RULES
from constructs_sfn.lint.template_rules import TEMPLATE_RULES

__all__ = ["RULES", "VALIDATION_RULE", "json_pointer", "lint_definition", "rule"]

VALIDATION_RULE = Rule(
    "SFN000",
    ERROR,
    "The definition is rejected by validation (what CreateStateMachine / ValidateStateMachineDefinition "
    "reject: schema, missing transition targets, unreachable states, no terminal state...).",
    "Correct the definition at the given location; `constructs-sfn validate` shows the same diagnostics.",
    lambda ctx: iter(()),
)

RULES: tuple[Rule, ...] = (
    VALIDATION_RULE,
    *TASK_RULES,
    *ERROR_HANDLING_RULES,
    *EXPRESS_RULES,
    *FLOW_RULES,
    *TEMPLATE_RULES,
    SUPPRESSION_RULE,
)
"""Every rule, in id order."""

_BY_ID = {r.id: r for r in RULES}
_UNSUPPRESSIBLE = {VALIDATION_RULE.id, SUPPRESSION_RULE.id}
_STATE_IN_POINTER = re.compile(r"/States/([^/]+)")
_INDEX = re.compile(r"\[(\d+)\]")


def rule(rule_id: str) -> Rule:
    """The rule with id ``rule_id`` (``KeyError`` naming the known ids otherwise)."""
    try:
        return _BY_ID[rule_id.upper()]
    except KeyError:
        raise KeyError(f"no lint rule {rule_id!r}; rules: {', '.join(_BY_ID)}") from None


def _state_of(pointer: str) -> str | None:
    names = _STATE_IN_POINTER.findall(pointer)
    return names[-1].replace("~1", "/").replace("~0", "~") if names else None


def json_pointer(location: str) -> str:
    """AWS's diagnostic location (``/States/P/Branches[0]/States/A``) as a JSON pointer (``.../Branches/0/...``)."""
    return _INDEX.sub(r"/\1", location)


def _validation_finding(problem: DefinitionProblem) -> Finding:
    return Finding(
        rule=VALIDATION_RULE.id,
        severity=ERROR if problem.severity == "ERROR" else WARNING,
        message=f"{problem.code}: {problem.message}",
        fix=VALIDATION_RULE.fix,
        pointer=json_pointer(problem.location),
        state=_state_of(json_pointer(problem.location)),
    )


def _model(document: Any, findings: list[Finding]) -> StateMachineDefinition | None:
    """The parsed model, or ``None`` when the definition is too broken to build one."""
    invalid = any(f.severity == ERROR for f in findings)
    try:
        return parse_definition(document, validate=False)
    except DefinitionError as error:
        if not invalid:
            findings.extend(_validation_finding(p) for p in error.problems)
        return None
    except (TypeError, ValueError, KeyError, AttributeError, IndexError):
        if not invalid:  # only a definition the validator already rejected may be this broken
            raise
        return None


def _suppressions(context: LintContext, suppress: Mapping[str, Mapping[str, str]] | None) -> list[Suppression]:
    found = list(comment_suppressions(context.definition.raw.get("Comment"), MACHINE, ""))
    for info in context.states():
        found.extend(comment_suppressions(info.raw.get("Comment"), info.name, info.pointer))
    found.extend(parse_suppressions(suppress))
    return found


def lint_definition(
    definition: str | bytes | Mapping[str, Any],
    *,
    state_machine_type: str = "STANDARD",
    suppress: Mapping[str, Mapping[str, str]] | None = None,
    rules: Iterable[str] | None = None,
    template: TemplateInfo | None = None,
) -> list[Finding]:
    """Every finding for ``definition`` (text in JSON or YAML, or its decoded object).

    ``state_machine_type``: ``STANDARD`` or ``EXPRESS``. ``suppress``: ``{state: {rule: reason}}``
    (``""`` for the whole machine). ``rules``: only these rule ids (default: all).
    ``template``: the machine's CloudFormation resource, for the template rules (SFN05x).
    Raises :class:`~constructs_sfn.asl.DefinitionError` only when the text cannot be decoded at all.
    """
    machine_type = state_machine_type.upper()
    if machine_type not in ("STANDARD", "EXPRESS"):
        raise ValueError(f"state_machine_type must be STANDARD or EXPRESS, got {state_machine_type!r}")
    wanted = {rule(r).id for r in rules} if rules is not None else set(_BY_ID)
    document = load_definition_document(definition)
    findings = [_validation_finding(p) for p in validate_definition(document, state_machine_type=machine_type)]
    model = _model(document, findings) if isinstance(document, Mapping) else None
    if model is None:
        return [f for f in findings if f.rule in wanted]
    context = LintContext(model, machine_type, template)
    rejected = {(f.state, f.message.split(":", 1)[0]) for f in findings if f.severity == ERROR}
    for lint_rule in RULES:
        if lint_rule.id not in wanted or lint_rule.id in _UNSUPPRESSIBLE:
            continue
        if lint_rule.needs_template and template is None:
            continue
        for hit in lint_rule.check(context):
            if any((hit.state, code) in rejected for code in lint_rule.validator_codes):
                continue  # the validator already reports it for this state
            findings.append(lint_rule.finding(hit))
    findings = apply_suppressions(findings, _suppressions(context, suppress), set(_BY_ID) - _UNSUPPRESSIBLE)
    return [f for f in findings if f.rule in wanted]
