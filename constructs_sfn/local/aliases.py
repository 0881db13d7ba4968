"""State machine aliases: create, describe, update, delete and list them; route executions by weight.

An alias points to one or two versions of the same state machine, each with a weight (percent,
summing to 100); an execution started through the alias runs one of them, chosen at random by the
weights. An alias cannot point to another alias. See
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html.
"""

# boto3's keyword names (stateMachineAliasArn, routingConfiguration, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from constructs_sfn.local.arns import ParsedArn, ResourceKind
from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.host import ClientHost, given
from constructs_sfn.local.records import AliasRecord, StateMachineRecord, StateMachineVersion
from constructs_sfn.local.request_validation import boto3_parameters
from constructs_sfn.local.versions import find_version, is_version_qualifier

__all__ = ["MAX_ALIASES", "AliasOperations", "routed_version"]

MAX_ALIASES = 100
"""How many aliases a state machine may have (AWS's quota)."""


def routed_version(machine: StateMachineRecord, alias: AliasRecord, rng: random.Random) -> StateMachineVersion:
    """The version an execution started through ``alias`` runs: drawn from ``rng`` by the weights."""
    point = rng.randrange(100)
    chosen = next(iter(alias.routing))
    for arn, weight in alias.routing.items():
        if point < weight:
            chosen = arn
            break
        point -= weight
    # Versions an alias routes to cannot be deleted, so the chosen one exists.
    return next(version for version in machine.versions if version.arn == chosen)


@boto3_parameters
class AliasOperations:
    """The alias operations of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def create_state_machine_alias(
        self: ClientHost,
        *,
        name: str,
        routingConfiguration: Sequence[Mapping[str, Any]],
        description: str | None = None,
    ) -> dict[str, Any]:
        """``CreateStateMachineAlias``: idempotent for the same description and routing; the same
        name with other settings is a ``ConflictException``; at most :data:`MAX_ALIASES` per machine."""
        operation = "CreateStateMachineAlias"
        params = given(name=name, routingConfiguration=routingConfiguration, description=description)
        self._validate(operation, params)
        machine, routing = _checked_routing(self, routingConfiguration, None, operation)
        existing = machine.aliases.get(name)
        if existing is not None:
            if existing.description == description and existing.routing == routing:
                return self._ok({"stateMachineAliasArn": existing.arn, "creationDate": existing.creation_date})
            message = (
                "Failed to create alias because an alias with the same name and a different "
                f"description or routing configuration already exists: '{existing.arn}'"
            )
            raise self._error(AwsErrorCode.CONFLICT, message, operation)
        if len(machine.aliases) >= MAX_ALIASES:
            message = (
                f"Aliases per state machine limit exceeded: a state machine can have at most {MAX_ALIASES} aliases"
            )
            raise self._error(AwsErrorCode.SERVICE_QUOTA_EXCEEDED, message, operation)
        now = self._now()
        alias = AliasRecord(
            arn=f"{machine.arn}:{name}",
            name=name,
            description=description,
            routing=routing,
            creation_date=now,
            update_date=now,
        )
        machine.aliases[name] = alias
        return self._ok({"stateMachineAliasArn": alias.arn, "creationDate": alias.creation_date})

    def describe_state_machine_alias(self: ClientHost, *, stateMachineAliasArn: str) -> dict[str, Any]:
        """``DescribeStateMachineAlias``."""
        operation = "DescribeStateMachineAlias"
        self._validate(operation, given(stateMachineAliasArn=stateMachineAliasArn))
        _, alias = _alias(self, stateMachineAliasArn, operation)
        body: dict[str, Any] = {"stateMachineAliasArn": alias.arn, "name": alias.name}
        if alias.description is not None:
            body["description"] = alias.description
        body["routingConfiguration"] = [
            {"stateMachineVersionArn": arn, "weight": weight} for arn, weight in alias.routing.items()
        ]
        body["creationDate"] = alias.creation_date
        body["updateDate"] = alias.update_date
        return self._ok(body)

    def update_state_machine_alias(
        self: ClientHost,
        *,
        stateMachineAliasArn: str,
        description: str | None = None,
        routingConfiguration: Sequence[Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """``UpdateStateMachineAlias``: a new description and/or routing (at least one of them)."""
        operation = "UpdateStateMachineAlias"
        params = given(
            stateMachineAliasArn=stateMachineAliasArn,
            description=description,
            routingConfiguration=routingConfiguration,
        )
        self._validate(operation, params)
        if description is None and routingConfiguration is None:
            message = "Either the description or the routingConfiguration must be specified"
            raise self._error(AwsErrorCode.VALIDATION, message, operation)
        machine, alias = _alias(self, stateMachineAliasArn, operation)
        if routingConfiguration is not None:
            _, alias.routing = _checked_routing(self, routingConfiguration, machine, operation)
        if description is not None:
            alias.description = description
        alias.update_date = self._now()
        return self._ok({"updateDate": alias.update_date})

    def delete_state_machine_alias(self: ClientHost, *, stateMachineAliasArn: str) -> dict[str, Any]:
        """``DeleteStateMachineAlias`` (the versions it routes to stay)."""
        operation = "DeleteStateMachineAlias"
        self._validate(operation, given(stateMachineAliasArn=stateMachineAliasArn))
        machine, alias = _alias(self, stateMachineAliasArn, operation)
        del machine.aliases[alias.name]
        return self._ok({})

    def list_state_machine_aliases(
        self: ClientHost, *, stateMachineArn: str, nextToken: str | None = None, maxResults: int | None = None
    ) -> dict[str, Any]:
        """``ListStateMachineAliases``: most recently created first, paged; for a version ARN, the
        aliases that route to that version."""
        operation = "ListStateMachineAliases"
        self._validate(operation, given(stateMachineArn=stateMachineArn, nextToken=nextToken, maxResults=maxResults))
        parsed = self._parse(stateMachineArn, (ResourceKind.STATE_MACHINE,), operation)
        machine = self._state_machines.get(parsed.base_state_machine_arn)
        if machine is None:
            message = f"State Machine Does Not Exist: '{stateMachineArn}'"
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, message, operation)
        aliases = list(reversed(machine.aliases.values()))
        qualifier = parsed.qualifier
        if qualifier is not None:
            version = find_version(machine, qualifier) if is_version_qualifier(qualifier) else None
            if version is None:
                raise _not_found(self, stateMachineArn, operation)
            aliases = [alias for alias in aliases if version.arn in alias.routing]
        chunk, token = self._page(aliases, f"aliases:{stateMachineArn}", maxResults, nextToken, operation)
        body: dict[str, Any] = {
            "stateMachineAliases": [{"stateMachineAliasArn": a.arn, "creationDate": a.creation_date} for a in chunk]
        }
        if token is not None:
            body["nextToken"] = token
        return self._ok(body)


def _not_found(host: ClientHost, arn: str, operation: str) -> Exception:
    return host._error(
        AwsErrorCode.RESOURCE_NOT_FOUND, f"Resource not found: '{arn}'", operation, fields={"resourceName": arn}
    )


def _alias(host: ClientHost, arn: str, operation: str) -> tuple[StateMachineRecord, AliasRecord]:
    parsed = host._parse(arn, (ResourceKind.STATE_MACHINE,), operation)
    qualifier = parsed.qualifier
    if qualifier is None or is_version_qualifier(qualifier):
        message = f"Invalid Arn: '{arn}' is not the ARN of a state machine alias"
        raise host._error(AwsErrorCode.VALIDATION, message, operation)
    machine = host._state_machines.get(parsed.base_state_machine_arn)
    alias = machine.aliases.get(qualifier) if machine is not None else None
    if machine is None or alias is None:
        raise _not_found(host, arn, operation)
    return machine, alias


def _checked_routing(
    host: ClientHost,
    routing: Sequence[Mapping[str, Any]],
    owner: StateMachineRecord | None,
    operation: str,
) -> tuple[StateMachineRecord, dict[str, int]]:
    """The machine ``routing`` points into and the routing as version ARN -> weight.

    ``owner`` is the alias's machine when updating one: the versions must be its own.
    """
    parsed: list[ParsedArn] = [
        host._parse(str(item["stateMachineVersionArn"]), (ResourceKind.STATE_MACHINE,), operation) for item in routing
    ]
    for arn in parsed:
        if not is_version_qualifier(arn.qualifier):
            message = f"Routing configuration must contain state machine version ARNs only: '{arn.arn}'"
            raise host._error(AwsErrorCode.VALIDATION, message, operation)
    machines = {arn.base_state_machine_arn for arn in parsed}
    if len(machines) > 1:
        message = "Routing configuration must contain versions of the same state machine"
        raise host._error(AwsErrorCode.VALIDATION, message, operation)
    if len({arn.arn for arn in parsed}) != len(parsed):
        message = "Routing configuration must not contain the same state machine version twice"
        raise host._error(AwsErrorCode.VALIDATION, message, operation)
    total = sum(int(item["weight"]) for item in routing)
    if total != 100:
        message = f"Sum of routing configuration weights must be equal to 100, got {total}"
        raise host._error(AwsErrorCode.VALIDATION, message, operation)
    machine_arn = machines.pop()
    if owner is not None and machine_arn != owner.arn:
        message = f"Routing configuration must contain versions of the alias's state machine '{owner.arn}'"
        raise host._error(AwsErrorCode.VALIDATION, message, operation)
    machine = host._state_machines.get(machine_arn)
    if machine is None:
        raise _not_found(host, machine_arn, operation)
    weights: dict[str, int] = {}
    for arn, item in zip(parsed, routing, strict=True):
        version = find_version(machine, arn.qualifier or "")
        if version is None:
            raise _not_found(host, arn.arn, operation)
        weights[version.arn] = int(item["weight"])
    return machine, weights
