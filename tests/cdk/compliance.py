"""Independent oracles for the synthesized templates: cdk-nag, cfn-lint and CloudFormation's schemas.

Shared by the construct tests and the demo-app tests.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import lint_all
from constructs import IConstruct


def nag_violations(scope: IConstruct) -> list[tuple[str, str, list[str]]]:
    """cdk-nag AwsSolutions findings left after acknowledgements: (rule, severity, paths)."""
    report = AwsSolutionsChecks(verbose=True).validate_scope(scope)
    return [
        (violation.rule_name, violation.severity, [r.construct_path or "" for r in violation.violating_resources])
        for violation in report.violations
    ]


def acknowledgements(scope: IConstruct) -> dict[str, dict[str, str]]:
    """Every acknowledged rule under ``scope``: construct path -> {rule id: reason}."""
    found: dict[str, dict[str, str]] = {}
    for construct in scope.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                found.setdefault(construct.node.path, {}).update(entry.data)
    return found


def cfn_lint_errors(template: dict[str, Any]) -> list[str]:
    """cfn-lint findings of error severity (rule ids starting with E)."""
    matches = lint_all(json.dumps(template))
    return [f"{m.rule.id} {m.message} at {m.path}" for m in matches if m.rule.id.startswith("E")]


@cache
def _schemas() -> tuple[dict[str, str], Any]:
    base = resources.files("cfnlint") / "data" / "schemas"
    index: dict[str, str] = json.loads((base / "providers" / "us-east-1.json").read_text())
    return index, base / "resources"


@cache
def tag_property(resource_type: str) -> str | None:
    """The property CloudFormation tags ``resource_type`` through, None when it is not taggable.

    Read from the resource provider schemas cfn-lint ships (``tagging.taggable``), so the tests
    do not trust the construct's own idea of what can be tagged.
    """
    index, folder = _schemas()
    digest = index.get(resource_type)
    if digest is None:
        return None
    schema = json.loads((folder / f"{digest}.json").read_text())
    tagging = schema.get("tagging", {})
    if not tagging.get("taggable", False):
        return None
    pointer: str = tagging.get("tagProperty", "/properties/Tags")
    return pointer.rsplit("/", 1)[-1]


def untagged_resources(template: dict[str, Any], key: str, value: str, *, logical_prefix: str = "") -> list[str]:
    """Logical ids of taggable resources lacking the tag ``key`` = ``value``.

    ``logical_prefix`` limits the check to one construct's resources (CDK derives logical ids
    from the construct path, so they all start with the construct's id).
    """
    missing = []
    for logical_id, resource in template["Resources"].items():
        if not logical_id.startswith(logical_prefix):
            continue
        prop = tag_property(resource["Type"])
        if prop is None:
            continue
        raw = resource.get("Properties", {}).get(prop)
        tags = (
            {tag["Key"]: tag["Value"] for tag in raw}
            if isinstance(raw, list)
            else dict(raw or {})  # some types tag with a plain map
        )
        if tags.get(key) != value:
            missing.append(f"{logical_id} ({resource['Type']})")
    return missing
