"""State machine aliases (``constructs_sfn.local.aliases``): create, describe, update, delete, list, route.

The rules come from the API reference pages of the alias operations and StartExecution, and the
developer guide's "State machine aliases" page
(https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from constructs_sfn.integrations.nested import NestedExecutions
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.aliases import MAX_ALIASES
from constructs_sfn.local.service_model import operation_model

from .helpers import check_boto3_surface, create, definition, error_of

SM = "arn:aws:states:us-east-1:123456789012:stateMachine"
CREATE_DOC = "https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachineAlias.html"


def _numbered(result: int) -> str:
    return definition({"P": {"Type": "Pass", "Result": result, "End": True}})


def _two_versions(sfn: LocalStepFunctions, name: str = "m", machine_type: str = "STANDARD") -> str:
    """A machine with version 1 (Result 1) and version 2 (Result 2); returns its ARN."""
    arn = create(sfn, name, text=_numbered(1), publish=True, type=machine_type)
    sfn.update_state_machine(stateMachineArn=arn, definition=_numbered(2), publish=True)
    return arn


def _route(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"stateMachineVersionArn": arn, "weight": weight} for arn, weight in pairs]


class TestCreateAndDescribe:
    def test_alias_arn_and_description(self, sfn: LocalStepFunctions) -> None:
        """The alias ARN is the state machine ARN and the alias name joined by a colon
        (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html)."""
        arn = _two_versions(sfn)
        created = sfn.create_state_machine_alias(
            name="PROD", description="live", routingConfiguration=_route((f"{arn}:1", 80), (f"{arn}:2", 20))
        )
        assert created["stateMachineAliasArn"] == f"{SM}:m:PROD"
        described = sfn.describe_state_machine_alias(stateMachineAliasArn=f"{SM}:m:PROD")
        assert {k: v for k, v in described.items() if k != "ResponseMetadata"} == {
            "stateMachineAliasArn": f"{SM}:m:PROD",
            "name": "PROD",
            "description": "live",
            "routingConfiguration": _route((f"{arn}:1", 80), (f"{arn}:2", 20)),
            "creationDate": created["creationDate"],
            "updateDate": created["creationDate"],
        }

    def test_idempotent_for_the_same_settings_conflict_otherwise(self, sfn: LocalStepFunctions) -> None:
        """ "CreateStateMachineAlias is an idempotent API" on stateMachineArn, description, name and
        routingConfiguration; the same name with other settings is a ConflictException (CREATE_DOC)."""
        arn = _two_versions(sfn)
        first = sfn.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{arn}:1", 100)))
        sfn.advance_clock(10)
        again = sfn.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{arn}:1", 100)))
        assert again["creationDate"] == first["creationDate"]
        for other in (
            {"routingConfiguration": _route((f"{arn}:2", 100))},
            {"routingConfiguration": _route((f"{arn}:1", 100)), "description": "new"},
        ):
            with pytest.raises(ClientError) as conflict:
                sfn.create_state_machine_alias(name="PROD", **other)
            assert error_of(conflict)[0] == "ConflictException"

    @pytest.mark.parametrize(
        ("routing", "code"),
        [
            pytest.param([(":1", 50), (":2", 40)], "ValidationException", id="weights-not-100"),
            pytest.param([(":1", 50), (":1", 50)], "ValidationException", id="same-version-twice"),
            pytest.param([(":1", 34), (":2", 33), (":1", 33)], "ValidationException", id="three-versions"),
            pytest.param([(":1", 101)], "ValidationException", id="weight-over-100"),
            pytest.param([(":OTHER", 100)], "ValidationException", id="alias-not-version"),
            pytest.param([("", 100)], "ValidationException", id="unqualified-machine"),
            pytest.param([(":9", 100)], "ResourceNotFound", id="unknown-version"),
        ],
    )
    def test_routing_rules(self, sfn: LocalStepFunctions, routing: list[tuple[str, int]], code: str) -> None:
        """One or two versions of the same machine, weights 0-100 summing to 100, no alias as a
        target (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RoutingConfigurationListItem.html)."""
        arn = _two_versions(sfn)
        with pytest.raises(ClientError) as refused:
            sfn.create_state_machine_alias(name="A", routingConfiguration=_route(*((arn + q, w) for q, w in routing)))
        assert error_of(refused)[0] == code
        assert sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"] == []

    def test_versions_of_two_machines_and_unknown_machine(self, sfn: LocalStepFunctions) -> None:
        """ "Creates an alias for a state machine that points to one or two versions of the same state
        machine" (CREATE_DOC); a machine that does not exist is ResourceNotFound, naming it."""
        one, two = _two_versions(sfn, "one"), _two_versions(sfn, "two")
        with pytest.raises(ClientError) as mixed:
            sfn.create_state_machine_alias(name="A", routingConfiguration=_route((f"{one}:1", 50), (f"{two}:1", 50)))
        assert error_of(mixed)[0] == "ValidationException"
        with pytest.raises(ClientError) as missing:
            sfn.create_state_machine_alias(name="A", routingConfiguration=_route((f"{SM}:nope:1", 100)))
        assert error_of(missing)[0] == "ResourceNotFound"
        assert missing.value.response["resourceName"] == f"{SM}:nope"  # type: ignore[typeddict-item]
        with pytest.raises(ClientError) as malformed:
            sfn.create_state_machine_alias(name="A", routingConfiguration=_route(("nope", 100)))
        assert error_of(malformed)[0] == "InvalidArn"

    def test_name_rules_and_request_shape(self, sfn: LocalStepFunctions) -> None:
        """ "To avoid conflict with version ARNs, don't use an integer in the name of the alias" (CREATE_DOC):
        the model's name pattern needs a letter, ``_``, ``-`` or ``.``; an empty routing list is refused
        by boto3 itself."""
        arn = _two_versions(sfn)
        for name in ("123", "has space", "x" * 81):
            with pytest.raises(ClientError) as refused:
                sfn.create_state_machine_alias(name=name, routingConfiguration=_route((f"{arn}:1", 100)))
            assert error_of(refused)[0] == "ValidationException"
        with pytest.raises(ParamValidationError):
            sfn.create_state_machine_alias(name="A", routingConfiguration=[])
        with pytest.raises(ParamValidationError):
            sfn.create_state_machine_alias(name="A", routingConfiguration=_route((f"{arn}:1", -1)))
        assert sfn.create_state_machine_alias(name="v2.1_beta-x", routingConfiguration=_route((f"{arn}:1", 100)))

    def test_a_hundred_aliases_is_the_quota(self, sfn: LocalStepFunctions) -> None:
        """ "You can create up to 100 aliases for each state machine" (CREATE_DOC)."""
        arn = _two_versions(sfn)
        for number in range(MAX_ALIASES):
            sfn.create_state_machine_alias(name=f"a{number}", routingConfiguration=_route((f"{arn}:1", 100)))
        with pytest.raises(ClientError) as full:
            sfn.create_state_machine_alias(name="one-more", routingConfiguration=_route((f"{arn}:1", 100)))
        assert error_of(full)[0] == "ServiceQuotaExceededException"

    def test_describe_unknown_and_non_alias_arns(self, sfn: LocalStepFunctions) -> None:
        """DescribeStateMachineAlias answers ResourceNotFound for an alias that does not exist
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachineAlias.html)."""
        arn = _two_versions(sfn)
        for missing in (f"{arn}:NOPE", f"{SM}:nope:PROD"):
            with pytest.raises(ClientError) as refused:
                sfn.describe_state_machine_alias(stateMachineAliasArn=missing)
            assert error_of(refused) == ("ResourceNotFound", f"Resource not found: '{missing}'")
        for not_alias in (arn, f"{arn}:1"):
            with pytest.raises(ClientError) as refused:
                sfn.describe_state_machine_alias(stateMachineAliasArn=not_alias)
            assert error_of(refused)[0] == "ValidationException"


class TestUpdateDeleteList:
    def test_update_needs_description_or_routing(self, sfn: LocalStepFunctions) -> None:
        """ "You must specify at least one of the description or routingConfiguration parameters"
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachineAlias.html)."""
        arn = _two_versions(sfn)
        alias = sfn.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{arn}:1", 100)))
        alias_arn = alias["stateMachineAliasArn"]
        with pytest.raises(ClientError) as neither:
            sfn.update_state_machine_alias(stateMachineAliasArn=alias_arn)
        assert error_of(neither)[0] == "ValidationException"
        sfn.advance_clock(5)
        updated = sfn.update_state_machine_alias(
            stateMachineAliasArn=alias_arn, routingConfiguration=_route((f"{arn}:1", 10), (f"{arn}:2", 90))
        )
        sfn.update_state_machine_alias(stateMachineAliasArn=alias_arn, description="canary")
        described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias_arn)
        assert described["routingConfiguration"] == _route((f"{arn}:1", 10), (f"{arn}:2", 90))
        assert described["description"] == "canary"
        assert described["creationDate"] == alias["creationDate"] < updated["updateDate"]
        other = _two_versions(sfn, "other")
        with pytest.raises(ClientError) as foreign:
            sfn.update_state_machine_alias(
                stateMachineAliasArn=alias_arn, routingConfiguration=_route((f"{other}:1", 100))
            )
        assert error_of(foreign)[0] == "ValidationException"
        with pytest.raises(ClientError) as missing:
            sfn.update_state_machine_alias(stateMachineAliasArn=f"{arn}:NOPE", description="x")
        assert error_of(missing)[0] == "ResourceNotFound"

    def test_delete_keeps_versions_and_stops_starts(self, sfn: LocalStepFunctions) -> None:
        """ "After you delete a state machine alias, you can't use it to start executions ... Step
        Functions doesn't delete the state machine versions that alias references"
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachineAlias.html)."""
        arn = _two_versions(sfn)
        alias = sfn.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{arn}:1", 100)))
        sfn.delete_state_machine_alias(stateMachineAliasArn=alias["stateMachineAliasArn"])
        with pytest.raises(ClientError) as gone:
            sfn.start_execution(stateMachineArn=alias["stateMachineAliasArn"])
        assert error_of(gone)[0] == "StateMachineDoesNotExist"
        assert len(sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]) == 2
        with pytest.raises(ClientError) as again:
            sfn.delete_state_machine_alias(stateMachineAliasArn=alias["stateMachineAliasArn"])
        assert error_of(again)[0] == "ResourceNotFound"

    def test_list_newest_first_paged_and_by_version(self, sfn: LocalStepFunctions) -> None:
        """ "Results are sorted by time, with the most recently created aliases listed first"; with a
        version ARN, the aliases that reference that version
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListStateMachineAliases.html)."""
        arn = _two_versions(sfn)
        for name, version in (("a", 1), ("b", 2), ("c", 1)):
            sfn.create_state_machine_alias(name=name, routingConfiguration=_route((f"{arn}:{version}", 100)))
            sfn.advance_clock(1)
        first = sfn.list_state_machine_aliases(stateMachineArn=arn, maxResults=2)
        assert [a["stateMachineAliasArn"] for a in first["stateMachineAliases"]] == [f"{arn}:c", f"{arn}:b"]
        rest = sfn.list_state_machine_aliases(stateMachineArn=arn, maxResults=2, nextToken=first["nextToken"])
        assert [a["stateMachineAliasArn"] for a in rest["stateMachineAliases"]] == [f"{arn}:a"]
        by_version = sfn.list_state_machine_aliases(stateMachineArn=f"{arn}:1")["stateMachineAliases"]
        assert [a["stateMachineAliasArn"] for a in by_version] == [f"{arn}:c", f"{arn}:a"]
        with pytest.raises(ClientError) as missing:
            sfn.list_state_machine_aliases(stateMachineArn=f"{SM}:nope")
        assert error_of(missing)[0] == "StateMachineDoesNotExist"
        with pytest.raises(ClientError) as no_version:
            sfn.list_state_machine_aliases(stateMachineArn=f"{arn}:9")
        assert error_of(no_version)[0] == "ResourceNotFound"

    def test_delete_state_machine_removes_its_aliases(self, sfn: LocalStepFunctions) -> None:
        """Aliases belong to their state machine; a new machine of the same name starts with none."""
        arn = _two_versions(sfn)
        sfn.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{arn}:1", 100)))
        sfn.delete_state_machine(stateMachineArn=arn)
        create(sfn, "m", text=_numbered(1))
        assert sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"] == []


class TestExecutionsThroughAnAlias:
    def test_weights_route_executions_reproducibly(self) -> None:
        """ "Step Functions randomly chooses which version runs a given execution based on the
        percentage you specify" (CREATE_DOC); locally the draw comes from the client's seed."""

        def outputs(seed: int) -> list[int]:
            sfn = LocalStepFunctions(rng_seed=seed)
            arn = _two_versions(sfn)
            route = _route((f"{arn}:1", 25), (f"{arn}:2", 75))
            alias = sfn.create_state_machine_alias(name="canary", routingConfiguration=route)["stateMachineAliasArn"]
            runs = [sfn.start_execution(stateMachineArn=alias)["executionArn"] for _ in range(400)]
            return [json.loads(sfn.describe_execution(executionArn=run)["output"]) for run in runs]

        first = outputs(7)
        assert first == outputs(7)
        counts = Counter(first)
        assert set(counts) == {1, 2}
        assert 60 <= counts[1] <= 140  # 25% of 400, well inside the binomial spread

    def test_zero_weight_never_runs(self, sfn: LocalStepFunctions) -> None:
        """A weight is the percentage of executions a version gets: 0 means none (CREATE_DOC)."""
        arn = _two_versions(sfn)
        route = _route((f"{arn}:1", 0), (f"{arn}:2", 100))
        alias = sfn.create_state_machine_alias(name="all-on-2", routingConfiguration=route)["stateMachineAliasArn"]
        runs = [sfn.start_execution(stateMachineArn=alias)["executionArn"] for _ in range(30)]
        assert {sfn.describe_execution(executionArn=run)["output"] for run in runs} == {"2"}

    def test_describe_and_list_name_the_alias_and_version(self, sfn: LocalStepFunctions) -> None:
        """An execution started with an alias ARN is associated with the alias and the version it ran;
        ListExecutions with the alias ARN lists exactly those, with the version ARN also them
        (https://docs.aws.amazon.com/step-functions/latest/dg/execution-alias-version-associate.html)."""
        arn = _two_versions(sfn)
        alias = sfn.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{arn}:2", 100)))
        alias_arn = alias["stateMachineAliasArn"]
        through_alias = sfn.start_execution(stateMachineArn=alias_arn)["executionArn"]
        through_version = sfn.start_execution(stateMachineArn=f"{arn}:2")["executionArn"]
        sfn.start_execution(stateMachineArn=arn)
        described = sfn.describe_execution(executionArn=through_alias)
        assert described["stateMachineArn"] == arn
        assert described["stateMachineAliasArn"] == alias_arn
        assert described["stateMachineVersionArn"] == f"{arn}:2"
        assert "stateMachineAliasArn" not in sfn.describe_execution(executionArn=through_version)
        by_alias = sfn.list_executions(stateMachineArn=alias_arn)["executions"]
        assert [(e["executionArn"], e["stateMachineAliasArn"]) for e in by_alias] == [(through_alias, alias_arn)]
        by_version = {e["executionArn"] for e in sfn.list_executions(stateMachineArn=f"{arn}:2")["executions"]}
        assert by_version == {through_alias, through_version}
        assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 3
        for_execution = sfn.describe_state_machine_for_execution(executionArn=through_alias)
        assert json.loads(for_execution["definition"]) == json.loads(_numbered(2))

    def test_execution_started_event_names_the_alias_and_version(self, sfn: LocalStepFunctions) -> None:
        """ExecutionStartedEventDetails has ``stateMachineAliasArn`` and ``stateMachineVersionArn``: "used
        for starting the state machine execution"
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionStartedEventDetails.html)."""
        arn = _two_versions(sfn)
        alias = sfn.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{arn}:1", 100)))
        starts = {
            "alias": sfn.start_execution(stateMachineArn=alias["stateMachineAliasArn"])["executionArn"],
            "version": sfn.start_execution(stateMachineArn=f"{arn}:2")["executionArn"],
            "machine": sfn.start_execution(stateMachineArn=arn)["executionArn"],
        }
        details = {
            how: sfn.get_execution_history(executionArn=run)["events"][0]["executionStartedEventDetails"]
            for how, run in starts.items()
        }
        assert details["alias"]["stateMachineAliasArn"] == alias["stateMachineAliasArn"]
        assert details["alias"]["stateMachineVersionArn"] == f"{arn}:1"
        assert details["version"]["stateMachineVersionArn"] == f"{arn}:2"
        assert "stateMachineAliasArn" not in details["version"]
        assert set(details["machine"]) == {"input", "inputDetails", "roleArn"}

    def test_start_sync_execution_through_an_alias(self, sfn: LocalStepFunctions) -> None:
        """StartSyncExecution takes the same qualified ARNs for EXPRESS machines
        (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html)."""
        arn = _two_versions(sfn, machine_type="EXPRESS")
        alias = sfn.create_state_machine_alias(name="live", routingConfiguration=_route((f"{arn}:1", 100)))
        answer = sfn.start_sync_execution(stateMachineArn=alias["stateMachineAliasArn"])
        assert (answer["status"], answer["output"]) == ("SUCCEEDED", "1")

    def test_a_task_can_start_a_child_through_an_alias(self) -> None:
        """``states:startExecution`` accepts the same StateMachineArn forms as StartExecution
        (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html)."""
        sfn = LocalStepFunctions(services=NestedExecutions())
        child = _two_versions(sfn, "child")
        alias = sfn.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{child}:2", 100)))
        parent_text = definition(
            {
                "Run": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": alias["stateMachineAliasArn"]},
                    "OutputPath": "$.Output",
                    "End": True,
                }
            }
        )
        parent = create(sfn, "parent", text=parent_text)
        run = sfn.start_execution(stateMachineArn=parent)["executionArn"]
        described = sfn.describe_execution(executionArn=run)
        assert (described["status"], described.get("output")) == ("SUCCEEDED", "2")


def test_every_refusal_is_an_error_the_api_model_lists(sfn: LocalStepFunctions) -> None:
    """Each refusal's code is one the API reference lists for the operation (ValidationException, a
    common error of every operation, aside)."""
    arn = _two_versions(sfn)
    alias = sfn.create_state_machine_alias(name="A", routingConfiguration=_route((f"{arn}:1", 100)))
    alias_arn = alias["stateMachineAliasArn"]
    refusals: list[tuple[str, Callable[[], Any]]] = [
        (
            "CreateStateMachineAlias",
            lambda: sfn.create_state_machine_alias(name="B", routingConfiguration=_route(("x", 100))),
        ),
        (
            "CreateStateMachineAlias",
            lambda: sfn.create_state_machine_alias(name="B", routingConfiguration=_route((f"{arn}:7", 100))),
        ),
        (
            "CreateStateMachineAlias",
            lambda: sfn.create_state_machine_alias(name="A", routingConfiguration=_route((f"{arn}:2", 100))),
        ),
        (
            "CreateStateMachineAlias",
            lambda: sfn.create_state_machine_alias(name="B", routingConfiguration=_route((f"{arn}:1", 99))),
        ),
        ("DescribeStateMachineAlias", lambda: sfn.describe_state_machine_alias(stateMachineAliasArn="x")),
        ("DescribeStateMachineAlias", lambda: sfn.describe_state_machine_alias(stateMachineAliasArn=f"{arn}:NO")),
        ("UpdateStateMachineAlias", lambda: sfn.update_state_machine_alias(stateMachineAliasArn="x", description="d")),
        (
            "UpdateStateMachineAlias",
            lambda: sfn.update_state_machine_alias(stateMachineAliasArn=f"{arn}:NO", description="d"),
        ),
        (
            "UpdateStateMachineAlias",
            lambda: sfn.update_state_machine_alias(
                stateMachineAliasArn=alias_arn, routingConfiguration=_route((f"{arn}:9", 100))
            ),
        ),
        ("DeleteStateMachineAlias", lambda: sfn.delete_state_machine_alias(stateMachineAliasArn="x")),
        ("DeleteStateMachineAlias", lambda: sfn.delete_state_machine_alias(stateMachineAliasArn=f"{arn}:NO")),
        ("ListStateMachineAliases", lambda: sfn.list_state_machine_aliases(stateMachineArn="x")),
        ("ListStateMachineAliases", lambda: sfn.list_state_machine_aliases(stateMachineArn=f"{SM}:no")),
        ("ListStateMachineAliases", lambda: sfn.list_state_machine_aliases(stateMachineArn=f"{arn}:9")),
        ("ListStateMachineAliases", lambda: sfn.list_state_machine_aliases(stateMachineArn=arn, nextToken="t")),
        ("StartExecution", lambda: sfn.start_execution(stateMachineArn=f"{arn}:NO")),
        ("ListExecutions", lambda: sfn.list_executions(stateMachineArn=f"{arn}:NO")),
    ]
    for operation, call in refusals:
        with pytest.raises(ClientError) as refused:
            call()
        listed = {shape.name for shape in operation_model(operation).error_shapes}
        assert error_of(refused)[0] in listed | {"ValidationException"}, operation


def test_a_distributed_map_state_arn_is_refused(sfn: LocalStepFunctions) -> None:
    """ "If you provide a qualified state machine ARN that refers to a Distributed Map state, the
    request fails with ValidationException"
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html, and the
    same on the DescribeStateMachine and DeleteStateMachine pages)."""
    arn = create(sfn, "m")
    labelled = f"{arn}/mapStateLabel"
    for call in (
        lambda: sfn.start_execution(stateMachineArn=labelled),
        lambda: sfn.describe_state_machine(stateMachineArn=labelled),
        lambda: sfn.delete_state_machine(stateMachineArn=labelled),
    ):
        with pytest.raises(ClientError) as refused:
            call()
        assert error_of(refused)[0] == "ValidationException"
    assert sfn.describe_state_machine(stateMachineArn=arn)["stateMachineArn"] == arn


OPERATIONS: list[tuple[str, Callable[[LocalStepFunctions, str], Any]]] = [
    ("list_state_machine_aliases", lambda c, arn: c.list_state_machine_aliases(stateMachineArn=arn)),
    (
        "update_state_machine_alias",
        lambda c, arn: c.update_state_machine_alias(stateMachineAliasArn=f"{arn}:PROD", description="d"),
    ),
    ("describe_state_machine_alias", lambda c, arn: c.describe_state_machine_alias(stateMachineAliasArn=f"{arn}:PROD")),
    (
        "create_state_machine_alias",
        lambda c, arn: c.create_state_machine_alias(name="NEW", routingConfiguration=_route((f"{arn}:1", 100))),
    ),
    ("delete_state_machine_alias", lambda c, arn: c.delete_state_machine_alias(stateMachineAliasArn=f"{arn}:PROD")),
]


def _with_prod_alias(client: LocalStepFunctions, machine_arn: str) -> None:
    client.create_state_machine_alias(name="PROD", routingConfiguration=_route((f"{machine_arn}:1", 100)))


@pytest.mark.parametrize(("name", "call"), OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_called_as_boto3_calls_and_under_the_client_lock(name: str, call: Callable[..., Any]) -> None:
    """Keyword arguments only, boto3's ParamValidationError for unknown parameters, and the client's
    lock held: a call from another thread waits while an execution runs."""
    check_boto3_surface(name, call, {"bogus": 1}, publish=True, prepare=_with_prod_alias)
