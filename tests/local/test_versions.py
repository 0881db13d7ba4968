"""State machine versions (``constructs_sfn.local.versions``): publish, list, delete, start.

The rules come from the API reference pages of PublishStateMachineVersion, ListStateMachineVersions
and DeleteStateMachineVersion, and from the developer guide's "State machine versions" page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.service_model import operation_model
from constructs_sfn.local.versions import MAX_VERSIONS, is_version_qualifier

from .helpers import CALLBACK, FAIL, PASS, RecordingService, check_boto3_surface, create, definition, error_of

SM = "arn:aws:states:us-east-1:123456789012:stateMachine"
PUBLISH_DOC = "https://docs.aws.amazon.com/step-functions/latest/apireference/API_PublishStateMachineVersion.html"


def _versions(sfn: LocalStepFunctions, arn: str) -> list[str]:
    return [
        v["stateMachineVersionArn"]
        for v in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    ]


class TestPublish:
    def test_publishes_the_initial_revision(self, sfn: LocalStepFunctions) -> None:
        """A machine never updated has no revision id; ``INITIAL`` names its revision (PUBLISH_DOC)."""
        arn = create(sfn, "m")
        published = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="INITIAL", description="first")
        assert published["stateMachineVersionArn"] == f"{SM}:m:1"
        described = sfn.describe_state_machine(stateMachineArn=f"{SM}:m:1")
        assert described["description"] == "first"
        assert described["definition"] == PASS

    def test_idempotent_on_the_current_revision(self, sfn: LocalStepFunctions) -> None:
        """ "It doesn't create a duplicate state machine version if it already exists for the current
        revision" (https://docs.aws.amazon.com/step-functions/latest/apireference/API_PublishStateMachineVersion.html)."""
        arn = create(sfn, "m", publish=True)
        again = sfn.publish_state_machine_version(stateMachineArn=arn)
        assert again["stateMachineVersionArn"] == f"{SM}:m:1"
        revision = sfn.update_state_machine(stateMachineArn=arn, definition=FAIL)["revisionId"]
        second = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=revision)
        third = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=revision)
        assert second["stateMachineVersionArn"] == third["stateMachineVersionArn"] == f"{SM}:m:2"
        assert second["creationDate"] == third["creationDate"]
        assert _versions(sfn, arn) == [f"{SM}:m:2", f"{SM}:m:1"]
        assert sfn.describe_state_machine(stateMachineArn=f"{SM}:m:2")["definition"] == FAIL

    def test_revision_mismatch_is_a_conflict(self, sfn: LocalStepFunctions) -> None:
        """A revisionId that is not the current revision's: ``ConflictException`` (PUBLISH_DOC)."""
        arn = create(sfn, "m")
        with pytest.raises(ClientError) as stale:
            sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="not-the-revision")
        assert error_of(stale)[0] == "ConflictException"
        sfn.update_state_machine(stateMachineArn=arn, definition=FAIL)
        with pytest.raises(ClientError) as initial:
            sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="INITIAL")
        assert error_of(initial)[0] == "ConflictException"
        assert _versions(sfn, arn) == []

    def test_unknown_machine_and_bad_arn(self, sfn: LocalStepFunctions) -> None:
        """PublishStateMachineVersion's errors include StateMachineDoesNotExist and InvalidArn (PUBLISH_DOC)."""
        with pytest.raises(ClientError) as missing:
            sfn.publish_state_machine_version(stateMachineArn=f"{SM}:nope")
        assert error_of(missing) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{SM}:nope'")
        with pytest.raises(ClientError) as bad:
            sfn.publish_state_machine_version(stateMachineArn="not-an-arn")
        assert error_of(bad)[0] == "InvalidArn"

    def test_a_thousand_versions_is_the_quota(self, sfn: LocalStepFunctions) -> None:
        """ "You can publish up to 1000 versions for each state machine" (PUBLISH_DOC):
        beyond, ``ServiceQuotaExceededException``, from UpdateStateMachine's publish too."""
        arn = create(sfn, "m", publish=True)
        for number in range(2, MAX_VERSIONS + 1):
            text = definition({"P": {"Type": "Pass", "Result": number, "End": True}})
            sfn.update_state_machine(stateMachineArn=arn, definition=text, publish=True)
        assert len(_versions(sfn, arn)) == 100  # one page of the default size
        last = definition({"P": {"Type": "Pass", "Result": "last", "End": True}})
        with pytest.raises(ClientError) as by_update:
            sfn.update_state_machine(stateMachineArn=arn, definition=last, publish=True)
        assert error_of(by_update)[0] == "ServiceQuotaExceededException"
        with pytest.raises(ClientError) as by_publish:
            sfn.publish_state_machine_version(stateMachineArn=arn)
        assert error_of(by_publish)[0] == "ServiceQuotaExceededException"
        sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
        assert sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"] == f"{arn}:1001"


class TestList:
    def test_newest_first_and_paged(self, sfn: LocalStepFunctions) -> None:
        """ "The results are sorted in descending order of the version creation time", paged with
        nextToken (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListStateMachineVersions.html)."""
        arn = create(sfn, "m", publish=True)
        for result in ("b", "c"):
            text = definition({"P": {"Type": "Pass", "Result": result, "End": True}})
            sfn.update_state_machine(stateMachineArn=arn, definition=text, publish=True)
        first = sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=2)
        assert [v["stateMachineVersionArn"] for v in first["stateMachineVersions"]] == [f"{arn}:3", f"{arn}:2"]
        rest = sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=2, nextToken=first["nextToken"])
        assert [v["stateMachineVersionArn"] for v in rest["stateMachineVersions"]] == [f"{arn}:1"]
        assert "nextToken" not in rest
        with pytest.raises(ClientError) as foreign:
            sfn.list_state_machine_versions(stateMachineArn=create(sfn, "other"), nextToken=first["nextToken"])
        assert error_of(foreign)[0] == "InvalidToken"

    def test_unknown_machine_has_no_versions(self, sfn: LocalStepFunctions) -> None:
        """An unknown machine has no versions (the API reference lists no StateMachineDoesNotExist for
        ListStateMachineVersions); boto3 has no paginator for it, nor has the local client."""
        arn = create(sfn, "m", publish=True)
        assert not sfn.can_paginate("list_state_machine_versions")
        assert sfn.list_state_machine_versions(stateMachineArn=f"{SM}:nope")["stateMachineVersions"] == []
        with pytest.raises(ClientError) as qualified:
            sfn.list_state_machine_versions(stateMachineArn=f"{arn}:1")
        assert error_of(qualified)[0] == "ValidationException"


class TestDelete:
    def test_deleted_version_cannot_start_and_numbers_are_not_reused(self, sfn: LocalStepFunctions) -> None:
        """ "After you delete a version, you can't call StartExecution using that version's ARN"
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachineVersion.html)."""
        arn = create(sfn, "m", publish=True)
        sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
        assert _versions(sfn, arn) == []
        with pytest.raises(ClientError) as gone:
            sfn.start_execution(stateMachineArn=f"{arn}:1")
        assert error_of(gone)[0] == "StateMachineDoesNotExist"
        sfn.update_state_machine(stateMachineArn=arn, definition=FAIL)
        assert sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"] == f"{arn}:2"

    def test_unknown_version_succeeds_non_version_arn_is_refused(self, sfn: LocalStepFunctions) -> None:
        """DeleteStateMachineVersion lists no not-found error: deleting nothing succeeds; an ARN that
        names no version is a ``ValidationException``; a malformed one ``InvalidArn``."""
        arn = create(sfn, "m")
        sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:7")
        sfn.delete_state_machine_version(stateMachineVersionArn=f"{SM}:nope:1")
        for not_a_version in (arn, f"{arn}:PROD"):
            with pytest.raises(ClientError) as refused:
                sfn.delete_state_machine_version(stateMachineVersionArn=not_a_version)
            assert error_of(refused)[0] == "ValidationException"
        with pytest.raises(ClientError) as malformed:
            sfn.delete_state_machine_version(stateMachineVersionArn="arn:aws:states:us-east-1:1:activity:a")
        assert error_of(malformed)[0] == "InvalidArn"

    def test_refused_while_an_alias_routes_to_it(self, sfn: LocalStepFunctions) -> None:
        """ "You can't delete a state machine version currently referenced by one or more aliases"
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachineVersion.html)."""
        arn = create(sfn, "m", publish=True)
        route = [{"stateMachineVersionArn": f"{arn}:1", "weight": 100}]
        alias = sfn.create_state_machine_alias(name="PROD", routingConfiguration=route)["stateMachineAliasArn"]
        with pytest.raises(ClientError) as refused:
            sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
        code, message = error_of(refused)
        assert code == "ConflictException"
        assert alias in message
        sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
        sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
        assert _versions(sfn, arn) == []

    def test_running_execution_of_a_deleted_version_goes_on(
        self, sfn: LocalStepFunctions, service: RecordingService
    ) -> None:
        """ "Deleting a state machine version won't terminate its in-progress executions"
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachineVersion.html)."""
        arn = create(sfn, "m", text=CALLBACK, publish=True)
        execution = sfn.start_execution(stateMachineArn=f"{arn}:1")["executionArn"]
        sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
        assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
        sfn.send_task_success(taskToken=service.tokens[0], output="{}")
        described = sfn.describe_execution(executionArn=execution)
        assert described["status"] == "SUCCEEDED"
        assert described["stateMachineVersionArn"] == f"{arn}:1"


class TestStartAndDescribe:
    def test_execution_of_a_version_names_it(self, sfn: LocalStepFunctions) -> None:
        """An execution started with a version ARN is associated with that version only, and runs its
        definition (https://docs.aws.amazon.com/step-functions/latest/dg/execution-alias-version-associate.html)."""
        arn = create(sfn, "m", publish=True)
        sfn.update_state_machine(stateMachineArn=arn, definition=FAIL)
        started = sfn.start_execution(stateMachineArn=f"{arn}:1")
        described = sfn.describe_execution(executionArn=started["executionArn"])
        assert described["status"] == "SUCCEEDED"
        assert described["stateMachineArn"] == arn
        assert described["stateMachineVersionArn"] == f"{arn}:1"
        assert "stateMachineAliasArn" not in described
        for_execution = sfn.describe_state_machine_for_execution(executionArn=started["executionArn"])
        assert for_execution["definition"] == PASS
        unqualified = sfn.start_execution(stateMachineArn=arn)["executionArn"]
        assert "stateMachineVersionArn" not in sfn.describe_execution(executionArn=unqualified)
        listed = sfn.list_executions(stateMachineArn=f"{arn}:1")["executions"]
        assert [item["executionArn"] for item in listed] == [started["executionArn"]]
        assert listed[0]["stateMachineVersionArn"] == f"{arn}:1"

    def test_delete_state_machine_removes_its_versions(self, sfn: LocalStepFunctions) -> None:
        """Versions belong to their state machine: after DeleteStateMachine none is left to start."""
        arn = create(sfn, "m", publish=True)
        sfn.delete_state_machine(stateMachineArn=arn)
        assert _versions(sfn, arn) == []
        with pytest.raises(ClientError) as gone:
            sfn.describe_state_machine(stateMachineArn=f"{arn}:1")
        assert error_of(gone)[0] == "StateMachineDoesNotExist"


def test_every_refusal_is_an_error_the_api_model_lists(sfn: LocalStepFunctions) -> None:
    """Each refusal's code is one the API reference lists for the operation (ValidationException, a
    common error of every operation, aside)."""
    arn = create(sfn, "m", publish=True)
    sfn.create_state_machine_alias(
        name="A", routingConfiguration=[{"stateMachineVersionArn": f"{arn}:1", "weight": 100}]
    )
    refusals: list[tuple[str, Callable[[], Any]]] = [
        ("PublishStateMachineVersion", lambda: sfn.publish_state_machine_version(stateMachineArn="x")),
        ("PublishStateMachineVersion", lambda: sfn.publish_state_machine_version(stateMachineArn=f"{SM}:no")),
        ("PublishStateMachineVersion", lambda: sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="r")),
        ("ListStateMachineVersions", lambda: sfn.list_state_machine_versions(stateMachineArn="x")),
        ("ListStateMachineVersions", lambda: sfn.list_state_machine_versions(stateMachineArn=arn, nextToken="t")),
        ("DeleteStateMachineVersion", lambda: sfn.delete_state_machine_version(stateMachineVersionArn="x")),
        ("DeleteStateMachineVersion", lambda: sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")),
    ]
    for operation, call in refusals:
        with pytest.raises(ClientError) as refused:
            call()
        listed = {shape.name for shape in operation_model(operation).error_shapes}
        assert error_of(refused)[0] in listed | {"ValidationException"}, operation


def test_version_helpers() -> None:
    """A version qualifier is ASCII digits; anything else after the machine name is an alias."""
    assert is_version_qualifier("12")
    assert not is_version_qualifier("PROD")
    assert not is_version_qualifier("\u00b2")  # a digit to str.isdigit, not in an ARN
    assert not is_version_qualifier(None)


OPERATIONS: list[tuple[str, Callable[[LocalStepFunctions, str], Any]]] = [
    ("publish_state_machine_version", lambda c, arn: c.publish_state_machine_version(stateMachineArn=arn)),
    ("list_state_machine_versions", lambda c, arn: c.list_state_machine_versions(stateMachineArn=arn)),
    ("delete_state_machine_version", lambda c, arn: c.delete_state_machine_version(stateMachineVersionArn=f"{arn}:9")),
]


@pytest.mark.parametrize(("name", "call"), OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_called_as_boto3_calls_and_under_the_client_lock(name: str, call: Callable[..., Any]) -> None:
    """Keyword arguments only, boto3's ParamValidationError for unknown parameters, and the client's
    lock held: a call from another thread waits while an execution runs."""
    check_boto3_surface(
        name,
        call,
        {
            "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            "stateMachineVersionArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            "bogus": 1,
        },
    )
