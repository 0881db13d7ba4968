"""Activities: ``CreateActivity``, ``DescribeActivity``, ``ListActivities``, ``DeleteActivity``,
and ``GetActivityTask``, which hands a scheduled activity task to a worker.

An activity task is handed out once, oldest first; its token is then answered with the callback
operations (:mod:`.task_tokens`). See
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html.
"""

# boto3's keyword names (activityArn, workerName, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.runtime.state_task import activity_started
from constructs_sfn.local.arns import ResourceKind
from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.host import ClientHost, copied, given, with_token
from constructs_sfn.local.names import invalid_name_message, is_valid_name
from constructs_sfn.local.records import ActivityRecord
from constructs_sfn.local.request_validation import boto3_parameters

__all__ = ["ActivityOperations"]


@boto3_parameters
class ActivityOperations:
    """The activity operations of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def create_activity(
        self: ClientHost,
        *,
        name: str,
        tags: list[Mapping[str, str]] | None = None,
        encryptionConfiguration: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``CreateActivity`` (idempotent by name, as on AWS)."""
        operation = "CreateActivity"
        self._validate(operation, given(name=name, tags=tags, encryptionConfiguration=encryptionConfiguration))
        if not is_valid_name(name):
            raise self._error(AwsErrorCode.INVALID_NAME, invalid_name_message(name), operation)
        arn = self._scope.activity(name)
        self._check_tag_count(arn, tags, operation)
        record = self._activities.get(arn)
        if record is None:
            record = ActivityRecord(
                arn=arn,
                name=name,
                creation_date=self._now(),
                tags=[dict(tag) for tag in tags or ()],
                encryption_configuration=dict(encryptionConfiguration) if encryptionConfiguration else None,
            )
            self._activities[arn] = record
        return self._ok({"activityArn": record.arn, "creationDate": record.creation_date})

    def describe_activity(self: ClientHost, *, activityArn: str) -> dict[str, Any]:
        """``DescribeActivity``."""
        operation = "DescribeActivity"
        self._validate(operation, given(activityArn=activityArn))
        record = _activity(self, activityArn, operation)
        body: dict[str, Any] = {
            "activityArn": record.arn,
            "name": record.name,
            "creationDate": record.creation_date,
        }
        if record.encryption_configuration is not None:
            body["encryptionConfiguration"] = copied(record.encryption_configuration)
        return self._ok(body)

    def list_activities(
        self: ClientHost, *, maxResults: int | None = None, nextToken: str | None = None
    ) -> dict[str, Any]:
        """``ListActivities``, ordered by ARN, paged."""
        operation = "ListActivities"
        self._validate(operation, given(maxResults=maxResults, nextToken=nextToken))
        activities = sorted(self._activities.values(), key=lambda record: record.arn)
        chunk, token = self._page(activities, "activities", maxResults, nextToken, operation)
        items = [{"activityArn": a.arn, "name": a.name, "creationDate": a.creation_date} for a in chunk]
        return self._ok(with_token({"activities": items}, token))

    def delete_activity(self: ClientHost, *, activityArn: str) -> dict[str, Any]:
        """``DeleteActivity``: succeeds whether or not the activity exists."""
        operation = "DeleteActivity"
        self._validate(operation, given(activityArn=activityArn))
        parsed = self._parse(activityArn, (ResourceKind.ACTIVITY,), operation)
        self._activities.pop(parsed.arn, None)
        return self._ok({})

    def get_activity_task(self: ClientHost, *, activityArn: str, workerName: str | None = None) -> dict[str, Any]:
        """``GetActivityTask``: hand the oldest scheduled task of the activity to a worker.

        AWS long-polls for up to 60 seconds; locally the answer is immediate, and a poll with no
        task scheduled returns no ``taskToken`` (what boto3 shows after an empty poll).
        """
        operation = "GetActivityTask"
        self._validate(operation, given(activityArn=activityArn, workerName=workerName))
        record = _activity(self, activityArn, operation)
        handed_out: dict[str, Any] | None = None
        for token in list(self._activity_backlog):
            owner = self._token_owners.get(token)
            details = owner.execution.tokens.get(token) if owner is not None else None
            if owner is None or details is None or token in self._activity_started:
                # answered, timed out, ended, or already with a worker: never handed out again
                del self._activity_backlog[token]
                continue
            if details.get("activity_arn") == record.arn:
                del self._activity_backlog[token]
                self._activity_started.add(token)
                activity_started(owner.execution, token, workerName)
                handed_out = {"taskToken": token, "input": str(details.get("input", "{}"))}
                break
        if handed_out is not None:
            return self._ok(handed_out)
        return self._ok({})


def _activity(host: ClientHost, arn: str, operation: str) -> ActivityRecord:
    parsed = host._parse(arn, (ResourceKind.ACTIVITY,), operation)
    record = host._activities.get(parsed.arn)
    if record is None:
        raise host._error(AwsErrorCode.ACTIVITY_DOES_NOT_EXIST, f"Activity Does Not Exist: '{arn}'", operation)
    return record
