"""Stable, readable placeholders for the deploy-time values a synthesized definition refers to.

CDK writes a state machine's definition as ``Fn::Join`` (or ``Fn::Sub``) over strings and
intrinsic functions: ``{"Fn::GetAtt": ["ChargeFn93DD6C82", "Arn"]}``, ``{"Ref": "OrdersQueue1A2B"}``.
Each one becomes a value of the shape the real one has, named after the construct it comes from:

* the ARN of a Lambda function: ``arn:aws:lambda:us-east-1:123456789012:function:<Orders/ChargeFn>``;
* a queue URL: ``https://sqs.us-east-1.amazonaws.com/123456789012/<Orders/Inbox>``;
* a topic ARN, a table name, a bucket name, a state machine ARN ... (see :data:`RESOURCE_SHAPES`).

The name between ``<`` and ``>`` is the construct path (without the trailing ``/Resource`` of an
L1 child), or the logical id when the path is unknown, so it never changes with asset hashes and
reads well in a snapshot diff. Every placeholder produced is recorded as a :class:`Placeholder`,
which maps it back to the resource, so a test can bind a Lambda construct to a Python handler.
Pseudo parameters resolve to the values :class:`~constructs_sfn.local.LocalStepFunctions` uses
by default (``us-east-1``, ``123456789012``, ``aws``), so integration ARNs stay routable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PSEUDO_PARAMETERS",
    "RESOURCE_SHAPES",
    "Placeholder",
    "PlaceholderError",
    "TokenResolver",
]

PSEUDO_PARAMETERS: dict[str, str] = {
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "AWS::StackName": "<stack>",
    "AWS::StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/<stack>/<id>",
    "AWS::NoValue": "",
}
"""Concrete values for CloudFormation pseudo parameters (LocalStepFunctions' defaults)."""

_REGION = PSEUDO_PARAMETERS["AWS::Region"]
_ACCOUNT = PSEUDO_PARAMETERS["AWS::AccountId"]

# (resource type, attribute) -> how the value looks, ``{name}`` being the "<path>" placeholder.
# "Ref" is what {"Ref": id} returns for that type (CloudFormation's documented return values).
RESOURCE_SHAPES: dict[tuple[str, str], str] = {
    ("AWS::Lambda::Function", "Ref"): "{name}",
    ("AWS::Lambda::Function", "Arn"): "arn:aws:lambda:{region}:{account}:function:{name}",
    ("AWS::Lambda::Alias", "Ref"): "arn:aws:lambda:{region}:{account}:function:{name}",
    ("AWS::Lambda::Version", "Ref"): "arn:aws:lambda:{region}:{account}:function:{name}",
    ("AWS::SQS::Queue", "Ref"): "https://sqs.{region}.amazonaws.com/{account}/{name}",
    ("AWS::SQS::Queue", "QueueUrl"): "https://sqs.{region}.amazonaws.com/{account}/{name}",
    ("AWS::SQS::Queue", "Arn"): "arn:aws:sqs:{region}:{account}:{name}",
    ("AWS::SQS::Queue", "QueueName"): "{name}",
    ("AWS::SNS::Topic", "Ref"): "arn:aws:sns:{region}:{account}:{name}",
    ("AWS::SNS::Topic", "TopicArn"): "arn:aws:sns:{region}:{account}:{name}",
    ("AWS::SNS::Topic", "TopicName"): "{name}",
    ("AWS::DynamoDB::Table", "Ref"): "{name}",
    ("AWS::DynamoDB::Table", "Arn"): "arn:aws:dynamodb:{region}:{account}:table/{name}",
    ("AWS::DynamoDB::GlobalTable", "Ref"): "{name}",
    ("AWS::DynamoDB::GlobalTable", "Arn"): "arn:aws:dynamodb:{region}:{account}:table/{name}",
    ("AWS::S3::Bucket", "Ref"): "{name}",
    ("AWS::S3::Bucket", "Arn"): "arn:aws:s3:::{name}",
    ("AWS::StepFunctions::StateMachine", "Ref"): "arn:aws:states:{region}:{account}:stateMachine:{name}",
    ("AWS::StepFunctions::StateMachine", "Arn"): "arn:aws:states:{region}:{account}:stateMachine:{name}",
    ("AWS::StepFunctions::StateMachine", "Name"): "{name}",
    ("AWS::StepFunctions::Activity", "Ref"): "arn:aws:states:{region}:{account}:activity:{name}",
    ("AWS::StepFunctions::Activity", "Arn"): "arn:aws:states:{region}:{account}:activity:{name}",
    ("AWS::StepFunctions::Activity", "Name"): "{name}",
    ("AWS::Events::EventBus", "Ref"): "{name}",
    ("AWS::Events::EventBus", "Name"): "{name}",
    ("AWS::Events::EventBus", "Arn"): "arn:aws:events:{region}:{account}:event-bus/{name}",
    ("AWS::IAM::Role", "Ref"): "{name}",
    ("AWS::IAM::Role", "Arn"): "arn:aws:iam::{account}:role/{name}",
    ("AWS::KMS::Key", "Ref"): "{name}",
    ("AWS::KMS::Key", "Arn"): "arn:aws:kms:{region}:{account}:key/{name}",
    ("AWS::Logs::LogGroup", "Ref"): "{name}",
    ("AWS::Logs::LogGroup", "Arn"): "arn:aws:logs:{region}:{account}:log-group:{name}:*",
    ("AWS::SecretsManager::Secret", "Ref"): "arn:aws:secretsmanager:{region}:{account}:secret:{name}",
    ("AWS::SSM::Parameter", "Ref"): "{name}",
    ("AWS::ECS::Cluster", "Ref"): "{name}",
    ("AWS::ECS::Cluster", "Arn"): "arn:aws:ecs:{region}:{account}:cluster/{name}",
    ("AWS::Glue::Job", "Ref"): "{name}",
    ("AWS::Batch::JobQueue", "Ref"): "arn:aws:batch:{region}:{account}:job-queue/{name}",
}
"""How a ``Ref`` or ``Fn::GetAtt`` of a known resource type is rendered; others become ``<name.Attr>``."""

_SUB_VARIABLE = re.compile(r"\$\{(!?)([^}]*)\}")


class PlaceholderError(Exception):
    """A token the resolver cannot render, or a placeholder lookup that finds nothing."""


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One placeholder in an extracted definition, and the resource it stands for."""

    text: str
    """The exact text in the definition (``arn:aws:lambda:...:function:<Orders/ChargeFn>``)."""
    name: str
    """The readable name inside the angle brackets (``Orders/ChargeFn``)."""
    logical_id: str
    resource_type: str | None
    """The CloudFormation type (``AWS::Lambda::Function``); None for parameters and imports."""
    attribute: str
    """``Ref`` or the ``Fn::GetAtt`` attribute (``Arn``, ``QueueName`` ...)."""
    construct_path: str | None
    """The construct path of the resource, when known (``Orders/ChargeFn/Resource``)."""


class TokenResolver:
    """Renders CloudFormation string expressions of one template, recording every placeholder."""

    def __init__(
        self,
        resources: Mapping[str, Any],
        *,
        paths: Mapping[str, str] | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        """``resources``: the template's ``Resources``; ``paths``: logical id -> construct path.

        ``parameters``: the template's ``Parameters`` (a ``Ref`` to one becomes ``<Name>``, or its
        default when it has one).
        """
        self._resources = resources
        self._paths = dict(paths or {})
        self._parameters = parameters or {}
        self.placeholders: dict[str, Placeholder] = {}

    @property
    def paths(self) -> Mapping[str, str]:
        """Logical id -> construct path, as known for this template."""
        return self._paths

    # -- names ----------------------------------------------------------------------------------
    def readable_name(self, logical_id: str) -> str:
        """The name used inside ``<...>`` for ``logical_id``: its construct path, else the id."""
        path = self._paths.get(logical_id)
        if not path:
            return logical_id
        for suffix in ("/Resource", "/Default"):
            if path.endswith(suffix):
                return path[: -len(suffix)]
        return path

    def render(self, logical_id: str, attribute: str) -> str:
        """The placeholder for ``Ref`` (``attribute="Ref"``) or ``Fn::GetAtt`` of ``logical_id``."""
        if logical_id in PSEUDO_PARAMETERS and attribute == "Ref":
            return PSEUDO_PARAMETERS[logical_id]
        resource = self._resources.get(logical_id)
        resource_type: str | None = None
        if isinstance(resource, Mapping):
            resource_type = str(resource.get("Type", "")) or None
        elif logical_id in self._parameters and attribute == "Ref":
            default = (self._parameters.get(logical_id) or {}).get("Default")
            if isinstance(default, str):
                return default
        name = self.readable_name(logical_id)
        shape = RESOURCE_SHAPES.get((resource_type or "", attribute))
        if shape is not None:
            text = shape.format(name=f"<{name}>", region=_REGION, account=_ACCOUNT)
        elif attribute == "Ref":
            text = f"<{name}>"
        else:
            text = f"<{name}.{attribute}>"
        self.placeholders.setdefault(
            text,
            Placeholder(
                text=text,
                name=name,
                logical_id=logical_id,
                resource_type=resource_type,
                attribute=attribute,
                construct_path=self._paths.get(logical_id),
            ),
        )
        return text

    # -- expressions ----------------------------------------------------------------------------
    def resolve(self, value: Any, *, where: str = "") -> str:
        """Render a CloudFormation string expression; ``where`` names it in errors."""
        if isinstance(value, str):
            return value
        if isinstance(value, bool) or value is None:
            raise PlaceholderError(f"{where}: expected a string expression, got {json.dumps(value)}")
        if isinstance(value, int | float):
            return json.dumps(value)
        if isinstance(value, list):
            raise PlaceholderError(f"{where}: expected a string expression, got a list")
        if not isinstance(value, Mapping) or len(value) != 1:
            return self._opaque(value)
        ((function, argument),) = value.items()
        if function == "Ref":
            return self.render(str(argument), "Ref")
        if function == "Fn::GetAtt":
            logical_id, attribute = _get_att_parts(argument, where)
            return self.render(logical_id, attribute)
        if function == "Fn::Join":
            if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list)):
                raise PlaceholderError(f"{where}: Fn::Join expects [separator, [parts...]]")
            separator = self.resolve(argument[0], where=f"{where}/Fn::Join/0")
            return separator.join(
                self.resolve(part, where=f"{where}/Fn::Join/1/{index}") for index, part in enumerate(argument[1])
            )
        if function == "Fn::Sub":
            return self._sub(argument, where)
        if function == "Fn::Select":
            return self._select(argument, where)
        if function == "Fn::ImportValue":
            name = self.resolve(argument, where=f"{where}/Fn::ImportValue")
            return f"<import:{name}>"
        return self._opaque(value)

    def _sub(self, argument: Any, where: str) -> str:
        variables: Mapping[str, Any]
        if isinstance(argument, str):
            template, variables = argument, {}
        elif isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], Mapping):
            template, variables = argument[0], argument[1]
        else:
            raise PlaceholderError(f"{where}: Fn::Sub expects a string or [string, {{variables}}]")
        if not isinstance(template, str):
            raise PlaceholderError(f"{where}: Fn::Sub template must be a string")

        def replace(match: re.Match[str]) -> str:
            if match[1]:  # ${!Literal} stays ${Literal}
                return "${" + match[2] + "}"
            name = match[2].strip()
            if name in variables:
                return self.resolve(variables[name], where=f"{where}/Fn::Sub/1/{name}")
            if "." in name and name not in PSEUDO_PARAMETERS:
                logical_id, attribute = name.split(".", 1)
                return self.render(logical_id, attribute)
            return self.render(name, "Ref")

        return _SUB_VARIABLE.sub(replace, template)

    def _select(self, argument: Any, where: str) -> str:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise PlaceholderError(f"{where}: Fn::Select expects [index, list]")
        index_value, source = argument
        try:
            index = int(self.resolve(index_value, where=f"{where}/Fn::Select/0"))
        except ValueError as error:
            raise PlaceholderError(f"{where}: Fn::Select index must be a number") from error
        items: list[str]
        if isinstance(source, Mapping) and set(source) == {"Fn::Split"}:
            split = source["Fn::Split"]
            if not (isinstance(split, list) and len(split) == 2):
                raise PlaceholderError(f"{where}: Fn::Split expects [delimiter, string]")
            delimiter = self.resolve(split[0], where=f"{where}/Fn::Select/1/Fn::Split/0")
            items = self.resolve(split[1], where=f"{where}/Fn::Select/1/Fn::Split/1").split(delimiter)
        elif isinstance(source, list):
            items = [self.resolve(item, where=f"{where}/Fn::Select/1/{i}") for i, item in enumerate(source)]
        else:
            return self._opaque({"Fn::Select": argument})
        if not 0 <= index < len(items):
            raise PlaceholderError(f"{where}: Fn::Select index {index} is out of range for {len(items)} items")
        return items[index]

    @staticmethod
    def _opaque(value: Any) -> str:
        """A token with no readable rendering; kept whole so two different ones never collide."""
        return f"<token:{json.dumps(value, sort_keys=True, separators=(',', ':'))}>"


def _get_att_parts(argument: Any, where: str) -> tuple[str, str]:
    if isinstance(argument, list) and len(argument) == 2 and all(isinstance(part, str) for part in argument):
        return argument[0], argument[1]
    if isinstance(argument, str) and "." in argument:
        logical_id, attribute = argument.split(".", 1)
        return logical_id, attribute
    raise PlaceholderError(f"{where}: Fn::GetAtt expects [logicalId, attribute] or 'logicalId.attribute'")
