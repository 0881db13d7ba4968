"""Definitions and templates in their snapshot form: key-sorted, pretty, free of build churn.

These functions do not need syrupy; :mod:`constructs_sfn.testing.snapshots` wraps them in syrupy
extensions, and the CLI can write the same text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from constructs_sfn.testing.snapshot_scrub import scrub_build_churn

__all__ = [
    "SnapshotDataError",
    "definition_json",
    "definition_yaml",
    "normalize_definition",
    "normalize_template",
    "template_json",
]

_CDK_METADATA_TYPE = "AWS::CDK::Metadata"
_CDK_CHURN = {
    "Parameters": ("BootstrapVersion",),
    "Rules": ("CheckBootstrapVersion",),
    "Conditions": ("CDKMetadataAvailable",),
}


class SnapshotDataError(TypeError):
    """A value a snapshot cannot be made of; the message says what was expected."""


def _json_document(value: Any, what: str, expected: str) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise SnapshotDataError(
                f"{what}: the text is not JSON (line {error.lineno}, column {error.colno}): {error.msg}"
            ) from error
    if not isinstance(value, Mapping):
        raise SnapshotDataError(f"{what}: expected {expected}, got {type(value).__name__}")
    return dict(value)


def _scrubbed_sorted(document: Mapping[str, Any]) -> dict[str, Any]:
    # Scrubbing the JSON text reaches keys and values alike (a renamed logical id is renamed
    # everywhere it is referenced); parsing it back lets the keys be sorted after renaming.
    text = scrub_build_churn(json.dumps(document, ensure_ascii=False))
    result: dict[str, Any] = json.loads(text)
    return result


def _pretty(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def normalize_definition(definition: Any) -> dict[str, Any]:
    """A state machine definition with asset hashes, asset bucket names and unresolved CDK tokens
    replaced by placeholders.

    ``definition`` is a dict, its JSON text, or an object with a ``definition`` dict such as
    ``constructs_sfn.testing.StateMachineUnderTest``.
    """
    inner = getattr(definition, "definition", None)
    if isinstance(inner, Mapping):
        definition = inner
    document = _json_document(definition, "definition snapshot", "a definition (dict or JSON text)")
    if "States" not in document:
        raise SnapshotDataError(
            f"definition snapshot: expected a state machine definition with 'States', got keys {sorted(document)}"
        )
    return _scrubbed_sorted(document)


def definition_json(definition: Any) -> str:
    """The definition snapshot text: pretty JSON, keys sorted, build churn replaced."""
    return _pretty(normalize_definition(definition))


def definition_yaml(definition: Any) -> str:
    """The definition snapshot text as block YAML, keys sorted, build churn replaced."""
    text: str = yaml.safe_dump(
        normalize_definition(definition), sort_keys=True, allow_unicode=True, default_flow_style=False, width=120
    )
    return text


def _template_document(template: Any) -> dict[str, Any]:
    to_json = getattr(template, "to_json", None)
    inner = getattr(template, "template", None)
    if callable(to_json):  # aws_cdk.assertions.Template
        template = to_json()
    elif isinstance(inner, Mapping):  # constructs_sfn.testing.StackTemplate
        template = inner
    elif isinstance(template, Path) or (isinstance(template, str) and not template.lstrip().startswith("{")):
        path = Path(template)
        try:
            template = path.read_text(encoding="utf-8")
        except OSError as error:
            raise SnapshotDataError(f"template snapshot: cannot read {path}: {error}") from error
    return _json_document(
        template, "template snapshot", "a CloudFormation template (dict, JSON text, path, or assertions.Template)"
    )


def normalize_template(template: Any) -> dict[str, Any]:
    """A synthesized template without CDK's churn: the ``AWS::CDK::Metadata`` resource, the
    ``BootstrapVersion`` parameter and rule, ``aws:asset:*`` metadata, asset hashes in ``S3Key``
    and ``ImageUri``, asset bucket names, and the code hash in Lambda ``CurrentVersion`` ids.

    ``template`` is a dict, JSON text, a path to a ``*.template.json`` file, an
    ``aws_cdk.assertions.Template`` or a ``constructs_sfn.testing.StackTemplate``.
    """
    document = _template_document(template)
    resources = document.get("Resources")
    if isinstance(resources, Mapping):
        kept: dict[str, Any] = {}
        for logical_id, resource in resources.items():
            if isinstance(resource, Mapping) and resource.get("Type") == _CDK_METADATA_TYPE:
                continue
            if isinstance(resource, Mapping) and isinstance(resource.get("Metadata"), Mapping):
                resource = dict(resource)
                metadata = {k: v for k, v in resource["Metadata"].items() if not str(k).startswith("aws:asset:")}
                if metadata:
                    resource["Metadata"] = metadata
                else:
                    del resource["Metadata"]
            kept[logical_id] = resource
        document["Resources"] = kept
    for section, names in _CDK_CHURN.items():
        entries = document.get(section)
        if isinstance(entries, Mapping):
            remaining = {k: v for k, v in entries.items() if k not in names}
            if remaining:
                document[section] = remaining
            else:
                del document[section]
    return _scrubbed_sorted(document)


def template_json(template: Any) -> str:
    """The template snapshot text: pretty JSON, keys sorted, CDK churn removed (see
    :func:`normalize_template`)."""
    return _pretty(normalize_template(template))
