"""Building one ObservableStateMachine in a fresh stack and reading its template."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Template

from constructs_sfn.cdk import ObservableStateMachine

MACHINE_PATH = "Test/Machine"


class Built:
    """A stack holding one ObservableStateMachine, and its synthesized template."""

    def __init__(self, stack: cdk.Stack, machine: ObservableStateMachine) -> None:
        self.stack = stack
        self.machine = machine
        self._template: dict[str, Any] | None = None

    @property
    def template(self) -> dict[str, Any]:
        """The CloudFormation template (synthesized once)."""
        if self._template is None:
            self._template = Template.from_stack(self.stack).to_json()
        return self._template

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Resources of ``resource_type`` by logical id."""
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == resource_type}

    def one(self, resource_type: str) -> dict[str, Any]:
        """The single resource of ``resource_type``."""
        found = list(self.resources(resource_type).values())
        assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
        return found[0]

    def props(self, resource_type: str) -> dict[str, Any]:
        """Properties of the single resource of ``resource_type``."""
        props: dict[str, Any] = self.one(resource_type).get("Properties", {})
        return props


def build(
    *,
    context: dict[str, Any] | None = None,
    omit: tuple[str, ...] = (),
    **props: Any,
) -> Built:
    """Build ``Test/Machine`` with sensible props; a callable prop is called with the stack."""
    app = cdk.App(context=context or {})
    stack = cdk.Stack(app, "Test")
    defaults: dict[str, Any] = {
        "state_machine_type": sfn.StateMachineType.STANDARD,
        "definition_body": lambda s: sfn.Pass(s, "Start"),
        "owner": "team-orders",
        "timeout": cdk.Duration.minutes(10),
    }
    merged = {**defaults, **props}
    for name in omit:
        merged.pop(name, None)
    resolved = {k: (v(stack) if callable(v) else v) for k, v in merged.items()}
    machine = ObservableStateMachine(stack, "Machine", **resolved)
    return Built(stack, machine)
