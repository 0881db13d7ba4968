"""Text, JSON and SARIF 2.1.0 renderings of findings, and the exit status."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from constructs_sfn.lint import RULES, exit_status, lint_definition, render_json, render_sarif, render_text
from lint.helpers import machine, task

BROKEN = machine({"Publish": task(TimeoutSeconds=None, End=None, Next="Nowhere")})


def _obj(required: list[str], properties: dict[str, Any], *, closed: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "required": required, "properties": properties}
    if closed:
        schema["additionalProperties"] = False
    return schema


_TEXT = _obj(["text"], {"text": {"type": "string"}, "markdown": {"type": "string"}})
# The parts of the SARIF 2.1.0 schema (OASIS) that our log uses: required members, allowed members of
# the objects we write (the schema closes them with additionalProperties: false), and the level enum.
SARIF_SUBSET: dict[str, Any] = _obj(
    ["version", "runs"],
    {
        "$schema": {"type": "string"},
        "version": {"enum": ["2.1.0"]},
        "runs": {
            "type": "array",
            "items": _obj(
                ["tool"],
                {
                    "tool": _obj(
                        ["driver"],
                        {
                            "driver": _obj(
                                ["name"],
                                {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": _obj(
                                            ["id"],
                                            {
                                                "id": {"type": "string"},
                                                "shortDescription": _TEXT,
                                                "help": _TEXT,
                                                "defaultConfiguration": _obj(
                                                    [], {"level": {"enum": ["none", "note", "warning", "error"]}}
                                                ),
                                            },
                                        ),
                                    },
                                },
                            )
                        },
                    ),
                    "results": {
                        "type": "array",
                        "items": _obj(
                            ["message"],
                            {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": _TEXT,
                                "locations": {
                                    "type": "array",
                                    "items": _obj(
                                        [],
                                        {
                                            "physicalLocation": _obj(
                                                [], {"artifactLocation": _obj([], {"uri": {"type": "string"}})}
                                            ),
                                            "logicalLocations": {
                                                "type": "array",
                                                "items": _obj(
                                                    [],
                                                    {
                                                        "name": {"type": "string"},
                                                        "fullyQualifiedName": {"type": "string"},
                                                        "kind": {"type": "string"},
                                                    },
                                                ),
                                            },
                                        },
                                    ),
                                },
                                "properties": {"type": "object"},
                            },
                        ),
                    },
                },
            ),
        },
    },
)


def test_json_output_contract() -> None:
    findings = [f.with_file("defs/order.asl.json") for f in lint_definition(BROKEN)]
    document = json.loads(render_json(findings))
    assert list(document) == ["findings"]
    assert document["findings"], "the broken definition has findings"
    for item in document["findings"]:
        assert list(item) == ["rule", "severity", "file", "state", "pointer", "message", "fix"]
        assert item["severity"] in ("error", "warning", "info")
        assert item["file"] == "defs/order.asl.json"
    errors = [i for i in document["findings"] if i["severity"] == "error"]
    assert {(i["rule"], i["state"], i["pointer"]) for i in errors} >= {("SFN000", "Publish", "/States/Publish/Next")}


def test_sarif_is_valid_against_the_schema_subset() -> None:
    findings = [f.with_file("cdk.out/Stack.template.json#Stack/Orders") for f in lint_definition(BROKEN)]
    log = json.loads(render_sarif(findings, tool_version="1.2.3"))
    jsonschema.validate(log, SARIF_SUBSET)
    run = log["runs"][0]
    assert run["tool"]["driver"]["version"] == "1.2.3"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.id for r in RULES]
    for result, finding in zip(run["results"], findings, strict=True):
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule
        location = result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "cdk.out/Stack.template.json"
        assert location["logicalLocations"][0]["name"] == "Stack/Orders"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["SFN000"] == "error"
    assert levels["SFN001"] == "warning"


def test_sarif_without_findings_is_still_a_valid_log() -> None:
    log = json.loads(render_sarif([]))
    jsonschema.validate(log, SARIF_SUBSET)
    assert log["runs"][0]["results"] == []


def test_text_output_and_exit_status() -> None:
    findings = lint_definition(BROKEN)
    text = render_text(findings)
    assert "/States/Publish/Next (state 'Publish'): error SFN000: MISSING_TRANSITION_TARGET" in text
    assert text.splitlines()[-1] == "2 error(s), 1 warning(s), 0 info"  # missing target, no terminal state; SFN001
    assert exit_status(findings) == 1
    warnings_only = [f for f in findings if f.severity != "error"]
    assert warnings_only
    assert exit_status(warnings_only) == 0
    assert exit_status([]) == 0
