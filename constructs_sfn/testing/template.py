"""Pull state machine definitions out of synthesized CloudFormation templates.

CDK writes ``DefinitionString`` as a plain string or as ``Fn::Join`` over strings and intrinsic
functions (``Ref``, ``Fn::GetAtt``, ``Fn::Sub`` ...). Each intrinsic becomes a stable placeholder
such as ``${Ref:HandlerFn1234}`` so the definition can be parsed, run locally and snapshotted
without depending on deploy-time values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PSEUDO_PARAMETERS", "StateMachineInTemplate", "TemplateError", "extract_state_machines", "resolve_tokens"]

PSEUDO_PARAMETERS = {
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
}
"""Concrete values for CloudFormation pseudo parameters, matching LocalStepFunctions' defaults, so
integration ARNs such as ``arn:${AWS::Partition}:states:::sqs:sendMessage`` stay routable."""


class TemplateError(Exception):
    """A template or definition that cannot be read; the message names the file and resource."""


@dataclass(frozen=True, slots=True)
class StateMachineInTemplate:
    """One ``AWS::StepFunctions::StateMachine`` found in a template."""

    template: str
    logical_id: str
    construct_path: str | None
    state_machine_type: str
    definition: dict[str, Any]


def resolve_tokens(value: Any) -> str:
    """Render a CloudFormation string expression with placeholders for deploy-time values."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            separator, parts = argument
            return str(separator).join(resolve_tokens(part) for part in parts)
        if function == "Ref":
            pseudo = PSEUDO_PARAMETERS.get(str(argument))
            return pseudo if pseudo is not None else f"${{Ref:{argument}}}"
        if function == "Fn::GetAtt":
            target = ".".join(argument) if isinstance(argument, list) else str(argument)
            return f"${{GetAtt:{target}}}"
        if function == "Fn::Sub":
            template = argument[0] if isinstance(argument, list) else argument
            return str(template)
        if function == "Fn::ImportValue":
            return f"${{Import:{resolve_tokens(argument)}}}"
    return f"${{Token:{json.dumps(value, sort_keys=True)}}}"


def extract_state_machines(template_path: str | Path) -> list[StateMachineInTemplate]:
    """Every state machine of a synthesized template, with its definition decoded."""
    path = Path(template_path)
    try:
        template = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise TemplateError(f"{path}: cannot read the template: {error}") from error
    found: list[StateMachineInTemplate] = []
    for logical_id, resource in (template.get("Resources") or {}).items():
        if not isinstance(resource, Mapping) or resource.get("Type") != "AWS::StepFunctions::StateMachine":
            continue
        properties = resource.get("Properties") or {}
        raw = properties.get("DefinitionString")
        if raw is None and "Definition" in properties:
            definition = properties["Definition"]
        else:
            text = resolve_tokens(raw)
            try:
                definition = json.loads(text)
            except json.JSONDecodeError as error:
                raise TemplateError(
                    f"{path}: /Resources/{logical_id}/Properties/DefinitionString is not JSON after token "
                    f"resolution (line {error.lineno}, column {error.colno}): {error.msg}"
                ) from error
        found.append(
            StateMachineInTemplate(
                template=str(path),
                logical_id=logical_id,
                construct_path=(resource.get("Metadata") or {}).get("aws:cdk:path"),
                state_machine_type=str(properties.get("StateMachineType", "STANDARD")),
                definition=definition,
            )
        )
    return found
