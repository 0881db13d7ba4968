"""Tags of state machines and activities: ``TagResource``, ``UntagResource``, ``ListTagsForResource``.

Tags given at creation (``CreateStateMachine``/``CreateActivity``) are the first tags of a resource;
tagging a key again replaces its value; a resource holds at most :data:`MAX_TAGS` tags
(``TooManyTags``, naming the resource). Key and value lengths are checked from the API model by
request validation. See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-tagging.html
and the quotas at https://docs.aws.amazon.com/step-functions/latest/dg/limits.html.
"""

# boto3's keyword names (resourceArn, tagKeys) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from constructs_sfn.local.arns import ResourceKind, invalid_arn_message
from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.host import ClientHost, given
from constructs_sfn.local.records import ActivityRecord, StateMachineRecord
from constructs_sfn.local.request_validation import boto3_parameters

__all__ = ["MAX_TAGS", "TaggingOperations", "merged_tags", "too_many_tags_message"]

MAX_TAGS = 50
"""How many tags one resource may have (AWS's quota)."""


def merged_tags(existing: Iterable[Mapping[str, str]], added: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
    """``existing`` tags with ``added`` applied: a key given again takes its new value, in place."""
    by_key: dict[str, dict[str, str]] = {}
    for tag in (*existing, *added):
        by_key[str(tag.get("key", ""))] = dict(tag)
    return list(by_key.values())


def too_many_tags_message(resource_arn: str, count: int) -> str:
    """The ``TooManyTags`` message for a resource that would have ``count`` tags."""
    return f"Too many tags: '{resource_arn}' would have {count} tags; a resource can have at most {MAX_TAGS}"


@boto3_parameters
class TaggingOperations:
    """The tagging operations of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def tag_resource(self: ClientHost, *, resourceArn: str, tags: Sequence[Mapping[str, str]]) -> dict[str, Any]:
        """``TagResource``: add tags or change their values; all or nothing at :data:`MAX_TAGS`."""
        operation = "TagResource"
        self._validate(operation, given(resourceArn=resourceArn, tags=tags))
        resource = _tagged(self, resourceArn, operation)
        merged = merged_tags(resource.tags, tags)
        if len(merged) > MAX_TAGS:
            raise self._error(
                AwsErrorCode.TOO_MANY_TAGS,
                too_many_tags_message(resourceArn, len(merged)),
                operation,
                fields={"resourceName": resourceArn},
            )
        resource.tags[:] = merged
        return self._ok({})

    def untag_resource(self: ClientHost, *, resourceArn: str, tagKeys: Sequence[str]) -> dict[str, Any]:
        """``UntagResource``: remove the tags with these keys (keys the resource lacks are ignored)."""
        operation = "UntagResource"
        self._validate(operation, given(resourceArn=resourceArn, tagKeys=tagKeys))
        resource = _tagged(self, resourceArn, operation)
        removed = set(tagKeys)
        resource.tags[:] = [tag for tag in resource.tags if tag.get("key") not in removed]
        return self._ok({})

    def list_tags_for_resource(self: ClientHost, *, resourceArn: str) -> dict[str, Any]:
        """``ListTagsForResource``: every tag of the state machine or activity, oldest key first."""
        operation = "ListTagsForResource"
        self._validate(operation, given(resourceArn=resourceArn))
        resource = _tagged(self, resourceArn, operation)
        return self._ok({"tags": [dict(tag) for tag in resource.tags]})


def _tagged(host: ClientHost, arn: str, operation: str) -> StateMachineRecord | ActivityRecord:
    parsed = host._parse(arn, (ResourceKind.STATE_MACHINE, ResourceKind.ACTIVITY), operation)
    resource: StateMachineRecord | ActivityRecord | None
    if parsed.kind == ResourceKind.ACTIVITY:
        resource = host._activities.get(parsed.arn)
    else:
        if parsed.qualifier is not None:
            # Versions and aliases carry no tags of their own: only the state machine is tagged.
            raise host._error(AwsErrorCode.INVALID_ARN, invalid_arn_message(arn), operation)
        resource = host._state_machines.get(parsed.arn)
    if resource is None:
        raise host._error(
            AwsErrorCode.RESOURCE_NOT_FOUND, f"Resource not found: '{arn}'", operation, fields={"resourceName": arn}
        )
    return resource
