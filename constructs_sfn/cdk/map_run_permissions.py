"""The IAM a Distributed Map run needs, as AWS documents it, and the acknowledgements of its wildcards.

AWS's "IAM policies for using Distributed Map states" asks for: ``states:StartExecution`` on the
state machine itself (a Map Run starts child executions of it), ``states:DescribeExecution`` and
``states:StopExecution`` on its child executions (``execution:<machine name>/*``; a child's ARN is
``execution:<machine name>/<Map Run label>:<id>``), ``states:RedriveExecution`` on the Map Run's
children for redrives, read access to the dataset and, for a ResultWriter,
``s3:PutObject``, ``s3:GetObject``, ``s3:ListMultipartUploadParts`` and
``s3:AbortMultipartUpload`` on the results prefix.

cdk-nag 3 acknowledges wildcard findings one by one, by their flattened resource text
(``AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<Bucket1234>/results/*]``); the
flattening is reproduced here so each acknowledgement names exactly the finding it accepts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_cdk import ArnFormat, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from constructs import IConstruct

from constructs_sfn.cdk.acknowledgements import acknowledge_rule

__all__ = [
    "RESULT_WRITER_ACTIONS",
    "acknowledge_wildcard_resources",
    "child_execution_statements",
    "flatten_reference",
    "result_writer_statements",
    "state_machine_name_of",
]

#: What Step Functions does with the results prefix: writes the result files (multipart for big
#: ones), reads back parts and aborts uploads it cannot finish.
RESULT_WRITER_ACTIONS = (
    "s3:PutObject",
    "s3:GetObject",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
)


def state_machine_name_of(machine: sfn.StateMachine, given_name: str | None) -> str:
    """The machine's name: the given literal, else the name part of its ARN (a deploy-time token)."""
    if given_name is not None and not Token.is_unresolved(given_name):
        return given_name
    name = Stack.of(machine).split_arn(machine.state_machine_arn, ArnFormat.COLON_RESOURCE_NAME).resource_name
    if name is None:  # pragma: no cover - a state machine ARN always has a name
        raise ValueError("state machine ARN without a name")
    return name


def child_execution_statements(machine: sfn.StateMachine, machine_name: str, label: str) -> list[iam.PolicyStatement]:
    """Start, describe, stop and redrive the Map Run's child executions of ``machine``, and nothing else."""
    stack = Stack.of(machine)

    def execution_arn(resource_name: str) -> str:
        return stack.format_arn(
            service="states",
            resource="execution",
            resource_name=resource_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )

    return [
        iam.PolicyStatement(actions=["states:StartExecution"], resources=[machine.state_machine_arn]),
        iam.PolicyStatement(
            actions=["states:DescribeExecution", "states:StopExecution"],
            resources=[execution_arn(f"{machine_name}/*")],
        ),
        iam.PolicyStatement(
            actions=["states:RedriveExecution"],
            resources=[execution_arn(f"{machine_name}/{label}:*")],
        ),
    ]


def result_writer_statements(bucket: s3.IBucket, prefix: str) -> list[iam.PolicyStatement]:
    """The ResultWriter's actions on ``bucket``'s ``prefix`` only."""
    return [iam.PolicyStatement(actions=list(RESULT_WRITER_ACTIONS), resources=[bucket.arn_for_objects(f"{prefix}*")])]


def flatten_reference(value: Any) -> str:
    """A resolved CloudFormation value as cdk-nag prints it in a finding id.

    ``{"Ref": "X"}`` -> ``<X>``, ``{"Fn::GetAtt": ["X", "Arn"]}`` -> ``<X.Arn>``, ``Fn::Join``
    joined, ``${...}`` in strings -> ``<...>``; anything else as compact JSON.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("${", "<").replace("}", ">")
    if isinstance(value, dict):
        if value.get("Fn::Join"):
            delimiter, items = value["Fn::Join"]
            return str(delimiter).join(flatten_reference(item) for item in items)
        if value.get("Fn::Sub"):
            return flatten_reference(value["Fn::Sub"])
        if value.get("Fn::GetAtt"):
            resource, attribute = value["Fn::GetAtt"]
            return f"<{flatten_reference(resource)}.{flatten_reference(attribute)}>"
        if value.get("Fn::ImportValue"):
            return flatten_reference(value["Fn::ImportValue"])
        if value.get("Ref"):
            return f"<{flatten_reference(value['Ref'])}>"
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _resources_of(stack: Stack, policy: iam.Policy) -> list[tuple[list[str], str]]:
    document = stack.resolve(policy.document)
    found: list[tuple[list[str], str]] = []
    for statement in document.get("Statement", []):
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        resources = statement.get("Resource", [])
        action_list = actions if isinstance(actions, list) else [actions]
        found.extend(
            (action_list, flatten_reference(resource))
            for resource in (resources if isinstance(resources, list) else [resources])
        )
    return found


def acknowledge_wildcard_resources(
    policy: iam.Policy,
    reason_for: Callable[[list[str], str], str | None],
    *,
    scope: IConstruct | None = None,
) -> list[str]:
    """Acknowledge AwsSolutions-IAM5 for each wildcard resource of ``policy`` that ``reason_for`` explains.

    ``reason_for(actions, flattened_resource)`` returns the written reason, or None to leave the
    finding reported. Returns the acknowledged finding ids. Call it once every statement is in.
    """
    stack = Stack.of(policy)
    acknowledged: list[str] = []
    for actions, resource in _resources_of(stack, policy):
        if "*" not in resource:
            continue
        reason = reason_for(actions, resource)
        if reason is None:
            continue
        finding = f"Resource::{resource}"
        if finding in acknowledged:
            continue
        acknowledge_rule(scope or policy, "AwsSolutions-IAM5", reason, finding=finding)
        acknowledged.append(finding)
    return acknowledged
