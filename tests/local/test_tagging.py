"""Tags (``constructs_sfn.local.tagging``): TagResource, UntagResource, ListTagsForResource.

From the API reference pages of the three operations and the developer guide's "Tagging in Step
Functions" (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-tagging.html); the 50-tag
limit is in the quotas page (https://docs.aws.amazon.com/step-functions/latest/dg/limits.html).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.service_model import operation_model
from constructs_sfn.local.tagging import MAX_TAGS, merged_tags

from .helpers import check_boto3_surface, create, error_of

SM = "arn:aws:states:us-east-1:123456789012:stateMachine"
TAG_DOC = "https://docs.aws.amazon.com/step-functions/latest/apireference/API_TagResource.html"


def _tags(count: int, prefix: str = "k") -> list[Mapping[str, str]]:
    return [{"key": f"{prefix}{n}", "value": str(n)} for n in range(count)]


def _listed(sfn: LocalStepFunctions, arn: str) -> list[dict[str, str]]:
    return list(sfn.list_tags_for_resource(resourceArn=arn)["tags"])


class TestTagAndList:
    def test_creation_tags_then_tag_untag_on_a_state_machine(self, sfn: LocalStepFunctions) -> None:
        """Tags given to CreateStateMachine are listed; TagResource adds and, for a key given again,
        replaces; UntagResource removes by key (TAG_DOC,
        https://docs.aws.amazon.com/step-functions/latest/apireference/API_UntagResource.html)."""
        arn = create(sfn, "m", tags=[{"key": "team", "value": "a"}])
        assert _listed(sfn, arn) == [{"key": "team", "value": "a"}]
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "prod"}, {"key": "team", "value": "b"}])
        assert _listed(sfn, arn) == [{"key": "team", "value": "b"}, {"key": "env", "value": "prod"}]
        sfn.untag_resource(resourceArn=arn, tagKeys=["team", "not-there"])
        assert _listed(sfn, arn) == [{"key": "env", "value": "prod"}]

    def test_activities_are_tagged_too(self, sfn: LocalStepFunctions) -> None:
        """ "AWS Step Functions supports tagging of state machines (both Standard and Express) and
        activities" (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-tagging.html)."""
        activity = sfn.create_activity(name="approve", tags=[{"key": "a", "value": "1"}])["activityArn"]
        sfn.tag_resource(resourceArn=activity, tags=[{"key": "b", "value": ""}])
        assert _listed(sfn, activity) == [{"key": "a", "value": "1"}, {"key": "b", "value": ""}]
        express = create(sfn, "fast", type="EXPRESS")
        sfn.tag_resource(resourceArn=express, tags=[{"key": "c", "value": "3"}])
        assert _listed(sfn, express) == [{"key": "c", "value": "3"}]

    def test_fifty_tags_is_the_limit(self, sfn: LocalStepFunctions) -> None:
        """At most 50 tags per resource; beyond, ``TooManyTags`` with the resource's name, and nothing
        of the request is applied (TAG_DOC; https://docs.aws.amazon.com/step-functions/latest/dg/limits.html)."""
        arn = create(sfn, "m", tags=_tags(49))
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "k0", "value": "again"}, {"key": "last", "value": "x"}])
        assert len(_listed(sfn, arn)) == MAX_TAGS
        with pytest.raises(ClientError) as refused:
            sfn.tag_resource(resourceArn=arn, tags=[{"key": "k1", "value": "changed"}, {"key": "extra", "value": "y"}])
        assert error_of(refused)[0] == "TooManyTags"
        assert refused.value.response["resourceName"] == arn  # type: ignore[typeddict-item]
        assert {"key": "k1", "value": "1"} in _listed(sfn, arn)

    def test_creation_with_more_than_fifty_tags(self, sfn: LocalStepFunctions) -> None:
        """CreateStateMachine and CreateActivity list TooManyTags among their errors
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html)."""
        with pytest.raises(ClientError) as machine:
            create(sfn, "m", tags=_tags(51))
        assert error_of(machine)[0] == "TooManyTags"
        with pytest.raises(ClientError) as activity:
            sfn.create_activity(name="a", tags=_tags(51))
        assert error_of(activity)[0] == "TooManyTags"
        assert sfn.list_state_machines()["stateMachines"] == []
        assert sfn.list_activities()["activities"] == []


class TestErrors:
    def test_unknown_resources_are_resource_not_found(self, sfn: LocalStepFunctions) -> None:
        """ResourceNotFound for a well-formed ARN that names nothing, for all three operations
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListTagsForResource.html)."""
        for arn in (f"{SM}:nope", "arn:aws:states:us-east-1:123456789012:activity:nope"):
            for call in OPERATIONS:
                with pytest.raises(ClientError) as missing:
                    call[1](sfn, arn)
                assert error_of(missing) == ("ResourceNotFound", f"Resource not found: '{arn}'")
                assert missing.value.response["resourceName"] == arn  # type: ignore[typeddict-item]

    def test_arns_that_are_not_taggable_are_invalid(self, sfn: LocalStepFunctions) -> None:
        """Only state machines and activities carry tags (TAG_DOC): other ARNs are InvalidArn."""
        arn = create(sfn, "m", publish=True)
        execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
        for bad in ("not-an-arn", execution, f"{arn}:1"):
            with pytest.raises(ClientError) as refused:
                sfn.list_tags_for_resource(resourceArn=bad)
            assert error_of(refused)[0] == "InvalidArn"

    def test_key_and_value_lengths_come_from_the_model(self, sfn: LocalStepFunctions) -> None:
        """Tag keys are 1-128 characters, values 0-256
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Tag.html)."""
        arn = create(sfn, "m")
        with pytest.raises(ClientError) as long_key:
            sfn.tag_resource(resourceArn=arn, tags=[{"key": "k" * 129, "value": "v"}])
        assert error_of(long_key)[0] == "ValidationException"
        with pytest.raises(ClientError) as long_value:
            sfn.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v" * 257}])
        assert error_of(long_value)[0] == "ValidationException"
        with pytest.raises(ParamValidationError):
            sfn.tag_resource(resourceArn=arn, tags=[{"key": "", "value": "v"}])
        assert _listed(sfn, arn) == []


def test_every_refusal_is_an_error_the_api_model_lists(sfn: LocalStepFunctions) -> None:
    """Each refusal's code is one the API reference lists for the operation (ValidationException, a
    common error of every operation, aside)."""
    arn = create(sfn, "m", tags=_tags(50))
    refusals: list[tuple[str, Callable[[], Any]]] = [
        ("TagResource", lambda: sfn.tag_resource(resourceArn="x", tags=[])),
        ("TagResource", lambda: sfn.tag_resource(resourceArn=f"{SM}:no", tags=[])),
        ("TagResource", lambda: sfn.tag_resource(resourceArn=arn, tags=[{"key": "new", "value": ""}])),
        ("UntagResource", lambda: sfn.untag_resource(resourceArn="x", tagKeys=[])),
        ("UntagResource", lambda: sfn.untag_resource(resourceArn=f"{SM}:no", tagKeys=[])),
        ("ListTagsForResource", lambda: sfn.list_tags_for_resource(resourceArn="x")),
        ("ListTagsForResource", lambda: sfn.list_tags_for_resource(resourceArn=f"{SM}:no")),
        ("CreateStateMachine", lambda: create(sfn, "n", tags=_tags(51))),
        ("CreateActivity", lambda: sfn.create_activity(name="a", tags=_tags(51))),
    ]
    for operation, call in refusals:
        with pytest.raises(ClientError) as refused:
            call()
        listed = {shape.name for shape in operation_model(operation).error_shapes}
        assert error_of(refused)[0] in listed | {"ValidationException"}, operation


def test_merged_tags_keeps_first_position_and_last_value() -> None:
    assert merged_tags([{"key": "a", "value": "1"}], [{"key": "b", "value": "2"}, {"key": "a", "value": "3"}]) == [
        {"key": "a", "value": "3"},
        {"key": "b", "value": "2"},
    ]


OPERATIONS: list[tuple[str, Callable[[LocalStepFunctions, str], Any]]] = [
    ("tag_resource", lambda c, arn: c.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])),
    ("untag_resource", lambda c, arn: c.untag_resource(resourceArn=arn, tagKeys=["k"])),
    ("list_tags_for_resource", lambda c, arn: c.list_tags_for_resource(resourceArn=arn)),
]


@pytest.mark.parametrize(("name", "call"), OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_called_as_boto3_calls_and_under_the_client_lock(name: str, call: Callable[..., Any]) -> None:
    """Keyword arguments only, boto3's ParamValidationError for unknown parameters, and the client's
    lock held: a call from another thread waits while an execution runs."""
    check_boto3_surface(name, call, {"resourceArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m", "bogus": 1})
