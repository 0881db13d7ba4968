"""Lint what a user points at: an ASL file, a CloudFormation template or a cloud assembly."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.parse import load_definition_document
from constructs_sfn.lint.context import TemplateInfo
from constructs_sfn.lint.engine import lint_definition
from constructs_sfn.lint.findings import Finding

if TYPE_CHECKING:
    from constructs_sfn.testing.assembly import SynthesizedApp
    from constructs_sfn.testing.definitions import StateMachineUnderTest

__all__ = [
    "LintInputError",
    "lint_assembly",
    "lint_path",
    "lint_synthesized_app",
    "lint_template",
    "machine_label",
]


class LintInputError(Exception):
    """The input cannot be linted at all (missing file, not JSON/YAML, unreadable template)."""


def machine_label(origin: str, machine: StateMachineUnderTest) -> str:
    """How findings name a machine of a template: ``<template file>#<construct path or logical id>``."""
    return f"{origin}#{machine.name if machine.construct_path else machine.logical_id}"


def lint_synthesized_app(
    app: SynthesizedApp,
    *,
    state_machine_type: str | None = None,
    suppress: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
) -> list[Finding]:
    """Lint every state machine of a :class:`~constructs_sfn.testing.SynthesizedApp`.

    The type is ``state_machine_type`` when given, else the template's ``StateMachineType``.
    ``suppress``: machine name (construct path or logical id) -> ``{state: {rule: reason}}``.
    """
    findings: list[Finding] = []
    for stack in app.stacks:
        origin = str(stack.template_path) if stack.template_path is not None else stack.name
        for machine in app.state_machines:
            if machine.stack != stack.name:
                continue
            resource = machine.resources.get(machine.logical_id)
            properties = resource.get("Properties") if isinstance(resource, Mapping) else None
            template = TemplateInfo(
                logical_id=machine.logical_id,
                properties=properties if isinstance(properties, Mapping) else {},
                resources=machine.resources,
            )
            wanted = (suppress or {}).get(machine.name) or (suppress or {}).get(machine.logical_id)
            label = machine_label(origin, machine)
            found = lint_definition(
                machine.definition,
                state_machine_type=state_machine_type or machine.state_machine_type,
                suppress=wanted,
                template=template,
            )
            findings.extend(finding.with_file(label) for finding in found)
    return findings


def lint_template(path: str | Path, *, state_machine_type: str | None = None) -> list[Finding]:
    """Lint every state machine of one CloudFormation template (JSON)."""
    from constructs_sfn.testing.assembly import SynthesizedApp, TemplateError

    try:
        app = SynthesizedApp.from_template(path)
        return lint_synthesized_app(app, state_machine_type=state_machine_type)
    except TemplateError as error:
        raise LintInputError(str(error)) from error
    except RecursionError as error:
        raise LintInputError(f"{path}: nested too deeply to read") from error


def lint_assembly(directory: str | Path, *, state_machine_type: str | None = None) -> list[Finding]:
    """Lint every state machine of a cloud assembly directory (``cdk.out``)."""
    from constructs_sfn.testing.assembly import SynthesizedApp, TemplateError

    root = Path(directory)
    if not (root / "manifest.json").is_file():
        raise LintInputError(f"{root}: not a cloud assembly (no manifest.json); run 'cdk synth' first")
    try:
        return lint_synthesized_app(SynthesizedApp.from_assembly(root), state_machine_type=state_machine_type)
    except TemplateError as error:
        raise LintInputError(str(error)) from error
    except RecursionError as error:
        raise LintInputError(f"{root}: a template is nested too deeply to read") from error


def _is_template(document: Any) -> bool:
    return isinstance(document, Mapping) and (
        "AWSTemplateFormatVersion" in document or isinstance(document.get("Resources"), Mapping)
    )


def lint_path(path: str | Path, *, state_machine_type: str | None = None) -> list[Finding]:
    """Lint a file or directory: an ASL definition (JSON/YAML), a template, or a cloud assembly.

    For a definition the type is ``state_machine_type`` or ``STANDARD``. Raises
    :class:`LintInputError` for a missing file, text that is neither JSON nor YAML, or an
    unreadable template.
    """
    if "\x00" in str(path):
        shown = str(path).replace("\x00", "\\x00")
        raise LintInputError(f"{shown}: not a valid path (it contains a NUL character)")
    source = Path(path)
    if source.is_dir():
        return lint_assembly(source, state_machine_type=state_machine_type)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise LintInputError(f"{source}: no such file or directory") from error
    except OSError as error:
        raise LintInputError(f"{source}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise LintInputError(f"{source}: not UTF-8 text (byte {error.start})") from error
    try:
        document = load_definition_document(text)  # AWS's JSON rules (depth, NaN), else YAML
    except DefinitionError as error:
        raise LintInputError(f"{source}: {error.message}") from error
    if _is_template(document):
        if not text.lstrip("\ufeff \t\r\n").startswith("{"):
            raise LintInputError(f"{source}: a YAML CloudFormation template; lint the JSON template 'cdk synth' writes")
        return lint_template(source, state_machine_type=state_machine_type)
    findings = lint_definition(text, state_machine_type=state_machine_type or "STANDARD")
    return [finding.with_file(str(source)) for finding in findings]
