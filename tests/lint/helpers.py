"""Small builders for lint tests: definitions from a few states, findings as (rule, state) pairs."""

from __future__ import annotations

from typing import Any

from constructs_sfn.lint import Finding, lint_definition

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:Charge"
LAMBDA_RETRY = {
    "ErrorEquals": [
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ],
    "IntervalSeconds": 1,
    "MaxAttempts": 3,
    "BackoffRate": 2,
    "MaxDelaySeconds": 10,
    "JitterStrategy": "FULL",
}


def machine(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    """A definition starting at ``start`` (default: the first state)."""
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def task(resource: str = "arn:aws:states:::sns:publish", **fields: Any) -> dict[str, Any]:
    """A Task that ends the machine, with a timeout unless ``fields`` say otherwise."""
    state: dict[str, Any] = {"Type": "Task", "Resource": resource, "TimeoutSeconds": 30, "End": True}
    state.update(fields)
    return {k: v for k, v in state.items() if v is not None}


def found(definition: dict[str, Any], rule: str, **options: Any) -> list[Finding]:
    """The findings of ``rule`` only (the others are tested elsewhere)."""
    return [f for f in lint_definition(definition, **options) if f.rule == rule]


def rules_of(definition: dict[str, Any], **options: Any) -> set[tuple[str, str | None]]:
    """Every (rule, state) pair found."""
    return {(f.rule, f.state) for f in lint_definition(definition, **options)}
