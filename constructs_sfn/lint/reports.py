"""Findings as text (people), JSON (scripts) and SARIF 2.1.0 (code-scanning tools, editors)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from constructs_sfn.lint.engine import RULES
from constructs_sfn.lint.findings import ERROR, INFO, WARNING, Finding

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "exit_status", "render_json", "render_sarif", "render_text"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "note"}
_DOCS = "docs/lint.md"


def exit_status(findings: Sequence[Finding]) -> int:
    """1 when any finding is an error, else 0."""
    return 1 if any(f.severity == ERROR for f in findings) else 0


def render_text(findings: Sequence[Finding]) -> str:
    """One line per finding, then a count by severity."""
    lines = [finding.render() for finding in findings]
    counts = {severity: sum(f.severity == severity for f in findings) for severity in (ERROR, WARNING, INFO)}
    lines.append(f"{counts[ERROR]} error(s), {counts[WARNING]} warning(s), {counts[INFO]} info")
    return "\n".join(lines)


def render_json(findings: Sequence[Finding]) -> str:
    """``{"findings": [{"rule", "severity", "file", "state", "pointer", "message", "fix"}, ...]}``."""
    return json.dumps({"findings": [f.as_json() for f in findings]}, indent=2, ensure_ascii=False)


def _artifact(file: str | None) -> str:
    return (file or "definition").split("#", 1)[0]


def _result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    machine = finding.file.split("#", 1)[1] if finding.file and "#" in finding.file else None
    logical: list[dict[str, Any]] = []
    if machine is not None:
        logical.append({"name": machine, "kind": "module"})
    if finding.state is not None:
        logical.append({"name": finding.state, "fullyQualifiedName": finding.pointer, "kind": "member"})
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": _artifact(finding.file)}}}
    if logical:
        location["logicalLocations"] = logical
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": f"{finding.message} Fix: {finding.fix}"},
        "locations": [location],
        "properties": {"pointer": finding.pointer, "state": finding.state},
    }
    return result


def render_sarif(findings: Sequence[Finding], *, tool_version: str = "0") -> str:
    """A SARIF 2.1.0 log with one run: every rule in ``tool.driver.rules``, one result per finding."""
    rules = [
        {
            "id": r.id,
            "shortDescription": {"text": r.title},
            "help": {"text": f"{r.fix} (see {_DOCS})"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
        }
        for r in RULES
    ]
    rule_index = {r.id: index for index, r in enumerate(RULES)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "constructs-sfn lint",
                        "version": tool_version,
                        "rules": rules,
                    }
                },
                "results": [_result(f, rule_index) for f in findings],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
