"""State machines: ``CreateStateMachine``, ``DescribeStateMachine``, ``ListStateMachines``,
``UpdateStateMachine``, ``DeleteStateMachine``, and how a (qualified) state machine ARN is resolved.

A definition is checked as ``ValidateStateMachineDefinition`` checks it and compiled once, when it
is created or updated. A state machine ARN may name a version (``<arn>:<n>``) or an alias
(``<arn>:<alias>``); one naming a Distributed Map state is refused. See
https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html.
"""

# boto3's keyword names (stateMachineArn, roleArn, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.model import StateMachineDefinition
from constructs_sfn.asl.parse import parse_definition
from constructs_sfn.local.arns import ParsedArn, ResourceKind
from constructs_sfn.local.definitions import check_definition
from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.host import ClientHost, copied, given, no_machine_message, with_token
from constructs_sfn.local.names import invalid_name_message, is_valid_name
from constructs_sfn.local.records import AliasRecord, StateMachineRecord, StateMachineVersion
from constructs_sfn.local.request_validation import boto3_parameters
from constructs_sfn.local.tagging import MAX_TAGS, merged_tags, too_many_tags_message
from constructs_sfn.local.versions import MAX_VERSIONS, find_version

__all__ = ["StateMachineOperations"]


@boto3_parameters
class StateMachineOperations:
    """The state machine operations of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def create_state_machine(
        self: ClientHost,
        *,
        name: str,
        definition: str,
        roleArn: str,
        type: str | None = None,
        loggingConfiguration: Mapping[str, Any] | None = None,
        tags: list[Mapping[str, str]] | None = None,
        tracingConfiguration: Mapping[str, Any] | None = None,
        publish: bool | None = None,
        versionDescription: str | None = None,
        encryptionConfiguration: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``CreateStateMachine``: validate the definition as AWS does and store the machine."""
        operation = "CreateStateMachine"
        params = given(
            name=name,
            definition=definition,
            roleArn=roleArn,
            type=type,
            loggingConfiguration=loggingConfiguration,
            tags=tags,
            tracingConfiguration=tracingConfiguration,
            publish=publish,
            versionDescription=versionDescription,
            encryptionConfiguration=encryptionConfiguration,
        )
        self._validate(operation, params)
        if versionDescription is not None and not publish:
            raise self._error(
                AwsErrorCode.VALIDATION, "Version description can only be set when publish is true", operation
            )
        if not is_valid_name(name):
            raise self._error(AwsErrorCode.INVALID_NAME, invalid_name_message(name), operation)
        machine_type = type or "STANDARD"
        logging = _logging_configuration(self, loggingConfiguration, operation)
        model = _compile(self, definition, machine_type, operation)
        tracing = {"enabled": bool((tracingConfiguration or {}).get("enabled", False))}
        encryption = dict(encryptionConfiguration) if encryptionConfiguration is not None else None
        key = (definition, machine_type, logging, tracing, encryption, bool(publish), versionDescription)
        arn = self._scope.state_machine(name)
        self._check_tag_count(arn, tags, operation)
        existing = self._state_machines.get(arn)
        if existing is not None:
            if existing.idempotency_key != key:
                raise self._error(
                    AwsErrorCode.STATE_MACHINE_ALREADY_EXISTS,
                    f"State Machine Already Exists: '{arn}'",
                    operation,
                )
            return self._ok(_created(existing))
        record = StateMachineRecord(
            arn=arn,
            name=name,
            type=machine_type,
            definition_text=definition,
            model=model,
            role_arn=roleArn,
            creation_date=self._now(),
            logging_configuration=logging,
            tracing_configuration=tracing,
            encryption_configuration=encryption,
            tags=[dict(tag) for tag in tags or ()],
            idempotency_key=key,
        )
        self._state_machines[arn] = record
        if publish:
            self._publish(record, versionDescription, self._new_uuid(), operation)
        return self._ok(_created(record))

    def describe_state_machine(
        self: ClientHost, *, stateMachineArn: str, includedData: str | None = None
    ) -> dict[str, Any]:
        """``DescribeStateMachine`` (also for a version ARN ``<arn>:<n>``)."""
        operation = "DescribeStateMachine"
        self._validate(operation, given(stateMachineArn=stateMachineArn, includedData=includedData))
        record, version = self._machine(stateMachineArn, operation)
        body: dict[str, Any] = {
            "stateMachineArn": record.arn if version is None else version.arn,
            "name": record.name,
            "status": "ACTIVE",
            "definition": record.definition_text if version is None else version.definition_text,
            "roleArn": record.role_arn if version is None else version.role_arn,
            "type": record.type,
            "creationDate": record.creation_date if version is None else version.creation_date,
            "loggingConfiguration": copied(record.logging_configuration),
            "tracingConfiguration": copied(record.tracing_configuration),
        }
        revision = record.revision_id if version is None else version.revision_id
        if revision is not None:
            body["revisionId"] = revision
        if version is not None and version.description is not None:
            body["description"] = version.description
        if record.encryption_configuration is not None:
            body["encryptionConfiguration"] = copied(record.encryption_configuration)
        return self._ok(body)

    def list_state_machines(
        self: ClientHost, *, maxResults: int | None = None, nextToken: str | None = None
    ) -> dict[str, Any]:
        """``ListStateMachines``, ordered by ARN, paged."""
        operation = "ListStateMachines"
        self._validate(operation, given(maxResults=maxResults, nextToken=nextToken))
        machines = sorted(self._state_machines.values(), key=lambda record: record.arn)
        chunk, token = self._page(machines, "state-machines", maxResults, nextToken, operation)
        items = [
            {"stateMachineArn": m.arn, "name": m.name, "type": m.type, "creationDate": m.creation_date} for m in chunk
        ]
        return self._ok(with_token({"stateMachines": items}, token))

    def update_state_machine(
        self: ClientHost,
        *,
        stateMachineArn: str,
        definition: str | None = None,
        roleArn: str | None = None,
        loggingConfiguration: Mapping[str, Any] | None = None,
        tracingConfiguration: Mapping[str, Any] | None = None,
        publish: bool | None = None,
        versionDescription: str | None = None,
        encryptionConfiguration: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``UpdateStateMachine``: new definition/role/configuration; new revision when they change."""
        operation = "UpdateStateMachine"
        params = given(
            stateMachineArn=stateMachineArn,
            definition=definition,
            roleArn=roleArn,
            loggingConfiguration=loggingConfiguration,
            tracingConfiguration=tracingConfiguration,
            publish=publish,
            versionDescription=versionDescription,
            encryptionConfiguration=encryptionConfiguration,
        )
        self._validate(operation, params)
        if all(
            value is None
            for value in (
                definition,
                roleArn,
                loggingConfiguration,
                tracingConfiguration,
                encryptionConfiguration,
            )
        ):
            raise self._error(
                AwsErrorCode.MISSING_REQUIRED_PARAMETER,
                "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration "
                "must be specified",
                operation,
            )
        if versionDescription is not None and not publish:
            raise self._error(
                AwsErrorCode.VALIDATION, "Version description can only be set when publish is true", operation
            )
        record, version = self._machine(stateMachineArn, operation)
        if version is not None:
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, no_machine_message(stateMachineArn), operation)
        changed = False
        if definition is not None:
            model = _compile(self, definition, record.type, operation)
            changed = changed or definition != record.definition_text
            record.definition_text, record.model = definition, model
        if loggingConfiguration is not None:
            record.logging_configuration = _logging_configuration(self, loggingConfiguration, operation)
        if tracingConfiguration is not None:
            record.tracing_configuration = {"enabled": bool(tracingConfiguration.get("enabled", False))}
        if encryptionConfiguration is not None:
            record.encryption_configuration = dict(encryptionConfiguration)
        if roleArn is not None:
            changed = changed or roleArn != record.role_arn
            record.role_arn = roleArn
        if changed or record.revision_id is None:
            record.revision_id = self._new_uuid()
        record.update_date = self._now()
        body: dict[str, Any] = {"updateDate": record.update_date, "revisionId": record.revision_id}
        if publish:
            latest = record.versions[-1] if record.versions else None
            if latest is None or latest.revision_id != record.revision_id:
                latest = self._publish(record, versionDescription, record.revision_id, operation)
            body["stateMachineVersionArn"] = latest.arn
        return self._ok(body)

    def delete_state_machine(self: ClientHost, *, stateMachineArn: str) -> dict[str, Any]:
        """``DeleteStateMachine``: succeeds whether or not the machine exists (as on AWS)."""
        operation = "DeleteStateMachine"
        self._validate(operation, given(stateMachineArn=stateMachineArn))
        parsed = self._parse(stateMachineArn, (ResourceKind.STATE_MACHINE,), operation)
        _refuse_map_state_arn(self, parsed, operation)
        if parsed.qualifier is None:
            self._state_machines.pop(parsed.arn, None)
        return self._ok({})

    # -- shared with the other operations (see ClientHost) -------------------------------------
    def _publish(
        self: ClientHost, record: StateMachineRecord, description: str | None, revision: str, operation: str
    ) -> StateMachineVersion:
        if len(record.versions) >= MAX_VERSIONS:
            message = f"Versions per state machine limit exceeded: '{record.arn}' already has {MAX_VERSIONS} versions"
            raise self._error(AwsErrorCode.SERVICE_QUOTA_EXCEEDED, message, operation)
        version = StateMachineVersion(
            arn=f"{record.arn}:{record.next_version}",
            number=record.next_version,
            definition_text=record.definition_text,
            model=record.model,
            role_arn=record.role_arn,
            creation_date=self._now(),
            revision_id=revision,
            description=description,
        )
        record.next_version += 1
        record.versions.append(version)
        return version

    def _machine(self: ClientHost, arn: str, operation: str) -> tuple[StateMachineRecord, StateMachineVersion | None]:
        """The state machine ``arn`` names, and its version for a version ARN (an alias ARN names none)."""
        record, version, alias = self._qualified(arn, operation)
        if alias is not None:
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, no_machine_message(arn), operation)
        return record, version

    def _qualified(
        self: ClientHost, arn: str, operation: str
    ) -> tuple[StateMachineRecord, StateMachineVersion | None, AliasRecord | None]:
        """Like :meth:`_machine`, and an alias ARN names its alias (the version is chosen per execution)."""
        parsed = self._parse(arn, (ResourceKind.STATE_MACHINE,), operation)
        _refuse_map_state_arn(self, parsed, operation)
        record = self._state_machines.get(parsed.base_state_machine_arn)
        if record is None:
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, no_machine_message(arn), operation)
        qualifier = parsed.qualifier
        if qualifier is None:
            return record, None, None
        alias = record.aliases.get(qualifier)
        if alias is not None:
            return record, None, alias
        version = find_version(record, qualifier)
        if version is None:
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, no_machine_message(arn), operation)
        return record, version, None

    def _check_tag_count(self: ClientHost, arn: str, tags: list[Mapping[str, str]] | None, operation: str) -> None:
        count = len(merged_tags((), tags or ()))
        if count > MAX_TAGS:
            message = too_many_tags_message(arn, count)
            raise self._error(AwsErrorCode.TOO_MANY_TAGS, message, operation, fields={"resourceName": arn})


def _compile(host: ClientHost, definition: str, machine_type: str, operation: str) -> StateMachineDefinition:
    checked = check_definition(definition, state_machine_type=machine_type)
    if checked.errors or checked.document is None:
        raise host._error(AwsErrorCode.INVALID_DEFINITION, checked.message, operation)
    try:
        return parse_definition(checked.document, validate=False)
    except DefinitionError as refused:
        raise host._error(AwsErrorCode.INVALID_DEFINITION, refused.render(), operation) from None


def _logging_configuration(host: ClientHost, configuration: Mapping[str, Any] | None, operation: str) -> dict[str, Any]:
    configuration = configuration or {}
    level = configuration.get("level", "OFF")
    destinations = list(configuration.get("destinations") or ())
    if len(destinations) > 1 or (level != "OFF" and len(destinations) != 1):
        raise host._error(
            AwsErrorCode.INVALID_LOGGING_CONFIGURATION,
            "Invalid Logging Configuration: Must specify exactly one Log Destination.",
            operation,
        )
    out: dict[str, Any] = {
        "level": level,
        "includeExecutionData": bool(configuration.get("includeExecutionData")),
    }
    if destinations:
        out["destinations"] = copied(destinations)
    return out


def _created(record: StateMachineRecord) -> dict[str, Any]:
    body: dict[str, Any] = {"stateMachineArn": record.arn, "creationDate": record.creation_date}
    if record.versions:
        body["stateMachineVersionArn"] = record.versions[0].arn
    return body


def _refuse_map_state_arn(host: ClientHost, parsed: ParsedArn, operation: str) -> None:
    # "If you provide a qualified state machine ARN that refers to a Distributed Map state, the
    # request fails with ValidationException" (StartExecution, DescribeStateMachine, ...).
    if parsed.map_state_label is not None:
        message = f"Invalid Arn: '{parsed.arn}' refers to a Distributed Map state, not to a state machine"
        raise host._error(AwsErrorCode.VALIDATION, message, operation)
