"""Opinionated rules on Step Functions definitions: the mistakes behind most incidents.

::

    from constructs_sfn.lint import lint_definition

    for finding in lint_definition(definition_text, state_machine_type="EXPRESS"):
        print(finding.render())

Rules are listed in :data:`RULES` (documented in ``docs/lint.md``); templates and cloud
assemblies are linted with :func:`lint_template`, :func:`lint_assembly` and :func:`lint_path`.
Never imports aws_cdk (the CDK Aspect lives in ``constructs_sfn.cdk.lint_aspect``).
"""

from __future__ import annotations

from constructs_sfn.lint.context import LintContext, StateInfo, TemplateInfo
from constructs_sfn.lint.engine import RULES, VALIDATION_RULE, lint_definition, rule
from constructs_sfn.lint.findings import ERROR, INFO, SEVERITIES, WARNING, Finding, Hit, Rule, Severity
from constructs_sfn.lint.reports import exit_status, render_json, render_sarif, render_text
from constructs_sfn.lint.sources import LintInputError, lint_assembly, lint_path, lint_synthesized_app, lint_template
from constructs_sfn.lint.suppressions import MACHINE, SUPPRESSION_RULE, Suppression

__all__ = [
    "ERROR",
    "INFO",
    "MACHINE",
    "RULES",
    "SEVERITIES",
    "SUPPRESSION_RULE",
    "VALIDATION_RULE",
    "WARNING",
    "Finding",
    "Hit",
    "LintContext",
    "LintInputError",
    "Rule",
    "Severity",
    "StateInfo",
    "Suppression",
    "TemplateInfo",
    "exit_status",
    "lint_assembly",
    "lint_definition",
    "lint_path",
    "lint_synthesized_app",
    "lint_template",
    "render_json",
    "render_sarif",
    "render_text",
    "rule",
]
