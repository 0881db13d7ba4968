"""State machine versions: ``PublishStateMachineVersion``, ``ListStateMachineVersions``, ``DeleteStateMachineVersion``.

A version is a numbered, immutable snapshot of one revision of a state machine (its definition and
role). Numbers are never reused: they keep counting up after a version is deleted. A version that an
alias routes to cannot be deleted. See
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html.
"""

# boto3's keyword names (stateMachineArn, revisionId, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

from typing import Any

from constructs_sfn.local.arns import ResourceKind
from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.host import ClientHost, given
from constructs_sfn.local.records import StateMachineRecord, StateMachineVersion
from constructs_sfn.local.request_validation import boto3_parameters

__all__ = [
    "INITIAL_REVISION",
    "MAX_VERSIONS",
    "VersionOperations",
    "current_revision_version",
    "find_version",
    "is_version_qualifier",
]

MAX_VERSIONS = 1000
"""How many versions a state machine may have at once (AWS's quota)."""

INITIAL_REVISION = "INITIAL"
"""The ``revisionId`` that names the revision of a state machine that was never updated."""


def is_version_qualifier(qualifier: str | None) -> bool:
    """Whether the last segment of a qualified state machine ARN is a version number (else: an alias)."""
    return qualifier is not None and qualifier.isascii() and qualifier.isdigit()


def find_version(record: StateMachineRecord, qualifier: str) -> StateMachineVersion | None:
    """The version of ``record`` that ``qualifier`` (``"3"``) names, if it exists."""
    return next((version for version in record.versions if str(version.number) == qualifier), None)


def current_revision_version(record: StateMachineRecord) -> StateMachineVersion | None:
    """The newest version published from the machine's current revision, if there is one.

    A machine never updated has no revision id, and every version it has was made from that
    initial revision; after an update, versions carry the revision id they were made from.
    """
    if record.revision_id is None:
        return record.versions[-1] if record.versions else None
    return next((v for v in reversed(record.versions) if v.revision_id == record.revision_id), None)


@boto3_parameters
class VersionOperations:
    """The version operations of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def publish_state_machine_version(
        self: ClientHost, *, stateMachineArn: str, revisionId: str | None = None, description: str | None = None
    ) -> dict[str, Any]:
        """``PublishStateMachineVersion``: a version of the current revision (idempotent per revision).

        ``revisionId`` must match the current revision (``INITIAL`` for a machine never updated),
        else ``ConflictException``; a version that already exists for the current revision is
        returned as it is; at :data:`MAX_VERSIONS` versions, ``ServiceQuotaExceededException``.
        """
        operation = "PublishStateMachineVersion"
        params = given(stateMachineArn=stateMachineArn, revisionId=revisionId, description=description)
        self._validate(operation, params)
        record, qualified = self._machine(stateMachineArn, operation)
        if qualified is not None:
            # Only the state machine itself has revisions to publish.
            message = f"State Machine Does Not Exist: '{stateMachineArn}'"
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, message, operation)
        current = record.revision_id
        if revisionId is not None and revisionId != (current or INITIAL_REVISION):
            message = (
                f"Failed to publish the State Machine version for revision {revisionId}. "
                f"The current State Machine revision is {current or INITIAL_REVISION}."
            )
            raise self._error(AwsErrorCode.CONFLICT, message, operation)
        version = current_revision_version(record)
        if version is None:
            version = self._publish(record, description, current or self._new_uuid(), operation)
        return self._ok({"creationDate": version.creation_date, "stateMachineVersionArn": version.arn})

    def list_state_machine_versions(
        self: ClientHost, *, stateMachineArn: str, nextToken: str | None = None, maxResults: int | None = None
    ) -> dict[str, Any]:
        """``ListStateMachineVersions``: newest first, paged. An unknown machine has no versions."""
        operation = "ListStateMachineVersions"
        self._validate(operation, given(stateMachineArn=stateMachineArn, nextToken=nextToken, maxResults=maxResults))
        parsed = self._parse(stateMachineArn, (ResourceKind.STATE_MACHINE,), operation)
        if parsed.qualifier is not None:
            message = f"Invalid Arn: '{stateMachineArn}' is a qualified ARN; expected the ARN of a state machine"
            raise self._error(AwsErrorCode.VALIDATION, message, operation)
        record = self._state_machines.get(parsed.arn)
        newest_first = list(reversed(record.versions)) if record is not None else []
        scope = f"versions:{parsed.arn}"
        chunk, token = self._page(newest_first, scope, maxResults, nextToken, operation)
        body: dict[str, Any] = {
            "stateMachineVersions": [{"stateMachineVersionArn": v.arn, "creationDate": v.creation_date} for v in chunk]
        }
        if token is not None:
            body["nextToken"] = token
        return self._ok(body)

    def delete_state_machine_version(self: ClientHost, *, stateMachineVersionArn: str) -> dict[str, Any]:
        """``DeleteStateMachineVersion``: succeeds for a version that does not exist; refused
        (``ConflictException``) while an alias routes to the version. Its running executions go on."""
        operation = "DeleteStateMachineVersion"
        self._validate(operation, given(stateMachineVersionArn=stateMachineVersionArn))
        parsed = self._parse(stateMachineVersionArn, (ResourceKind.STATE_MACHINE,), operation)
        qualifier = parsed.qualifier
        if qualifier is None or not is_version_qualifier(qualifier):
            message = f"Invalid Arn: '{stateMachineVersionArn}' is not the ARN of a state machine version"
            raise self._error(AwsErrorCode.VALIDATION, message, operation)
        record = self._state_machines.get(parsed.base_state_machine_arn)
        version = find_version(record, qualifier) if record is not None else None
        if record is None or version is None:
            return self._ok({})
        referencing = [alias.arn for alias in record.aliases.values() if version.arn in alias.routing]
        if referencing:
            message = (
                "Version to be deleted must not be referenced by an alias. "
                f"Current list of aliases referencing this version: [{', '.join(referencing)}]"
            )
            raise self._error(AwsErrorCode.CONFLICT, message, operation)
        record.versions.remove(version)
        return self._ok({})
