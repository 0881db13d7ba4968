"""The small CloudFormation template the plugin and scenario tests share: a loan-decision state
machine at ``Loans/Decide`` whose ``${fn}`` Task resource is the function ``Loans/ScoreFn``."""

from __future__ import annotations

import json
from typing import Any


def loans_template(definition: dict[str, Any]) -> dict[str, Any]:
    """The template holding ``definition`` as ``Loans/Decide``, with its ``${fn}`` substitution."""
    return {
        "Resources": {
            "ScoreFn93DD6C82": {
                "Type": "AWS::Lambda::Function",
                "Metadata": {"aws:cdk:path": "Loans/ScoreFn/Resource"},
            },
            "Machine6FC8AE80": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Metadata": {"aws:cdk:path": "Loans/Decide/Resource"},
                "Properties": {
                    "DefinitionString": json.dumps(definition),
                    "DefinitionSubstitutions": {"fn": {"Fn::GetAtt": ["ScoreFn93DD6C82", "Arn"]}},
                },
            },
        }
    }
