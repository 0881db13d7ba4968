"""LocalStepFunctions: state machines, errors, determinism and the boto3 client surface."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from constructs_sfn.asl.runtime import VirtualClock
from constructs_sfn.local import LocalStepFunctions

from .helpers import FAIL, PASS, ROLE, RecordingService, create, definition, error_of

SM = "arn:aws:states:us-east-1:123456789012:stateMachine"


class TestCreateAndDescribe:
    def test_create_returns_arn_and_creation_date(self, sfn: LocalStepFunctions) -> None:
        response = sfn.create_state_machine(name="orders", definition=PASS, roleArn=ROLE)
        assert response["stateMachineArn"] == f"{SM}:orders"
        assert response["creationDate"] == datetime(2024, 1, 1, tzinfo=UTC)
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert set(response) == {"stateMachineArn", "creationDate", "ResponseMetadata"}

    def test_describe_has_aws_shape(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "orders")
        described = sfn.describe_state_machine(stateMachineArn=arn)
        described.pop("ResponseMetadata")
        assert described == {
            "stateMachineArn": arn,
            "name": "orders",
            "status": "ACTIVE",
            "definition": PASS,
            "roleArn": ROLE,
            "type": "STANDARD",
            "creationDate": datetime(2024, 1, 1, tzinfo=UTC),
            "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
            "tracingConfiguration": {"enabled": False},
        }

    def test_region_account_and_partition_go_into_arns(self) -> None:
        client = LocalStepFunctions(region="eu-central-7", account_id="000000000042", partition="aws-cn")
        arn = create(client, "x")
        assert arn == "arn:aws-cn:states:eu-central-7:000000000042:stateMachine:x"
        assert client.meta.region_name == "eu-central-7"

    def test_express_type_is_kept(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "fast", type="EXPRESS")
        assert sfn.describe_state_machine(stateMachineArn=arn)["type"] == "EXPRESS"

    def test_same_request_again_is_idempotent(self, sfn: LocalStepFunctions) -> None:
        first = sfn.create_state_machine(name="same", definition=PASS, roleArn=ROLE)
        again = sfn.create_state_machine(name="same", definition=PASS, roleArn="arn:aws:iam::1:role/other")
        assert again["stateMachineArn"] == first["stateMachineArn"]
        assert again["creationDate"] == first["creationDate"]
        # AWS ignores a different role on an idempotent create.
        assert sfn.describe_state_machine(stateMachineArn=first["stateMachineArn"])["roleArn"] == ROLE

    def test_same_name_with_other_definition_already_exists(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "dup")
        reformatted = json.dumps(json.loads(PASS), indent=2)
        with pytest.raises(ClientError) as excinfo:
            create(sfn, "dup", reformatted)
        assert error_of(excinfo) == ("StateMachineAlreadyExists", f"State Machine Already Exists: '{arn}'")
        assert isinstance(excinfo.value, sfn.exceptions.StateMachineAlreadyExists)

    def test_logging_configuration_with_one_destination(self, sfn: LocalStepFunctions) -> None:
        logging = {
            "level": "ERROR",
            "includeExecutionData": True,
            "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:1:log-group:g:*"}}],
        }
        arn = create(sfn, "logged", loggingConfiguration=logging)
        assert sfn.describe_state_machine(stateMachineArn=arn)["loggingConfiguration"] == logging

    @pytest.mark.parametrize(
        "logging",
        [
            {"level": "ALL"},
            {"level": "FATAL", "destinations": []},
            {"level": "OFF", "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "a"}}] * 2},
        ],
    )
    def test_logging_without_exactly_one_destination_is_invalid(self, sfn: LocalStepFunctions, logging: dict) -> None:
        with pytest.raises(ClientError) as excinfo:
            create(sfn, "logged", loggingConfiguration=logging)
        assert error_of(excinfo) == (
            "InvalidLoggingConfiguration",
            "Invalid Logging Configuration: Must specify exactly one Log Destination.",
        )

    def test_tracing_configuration_is_described(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "traced", tracingConfiguration={"enabled": True})
        assert sfn.describe_state_machine(stateMachineArn=arn)["tracingConfiguration"] == {"enabled": True}


class TestCreateValidation:
    @pytest.mark.parametrize("name", ["has space", "a/b", "a:b", "x#y", "q?", "tab\t", "brace{", "ctl\x7f", "$"])
    def test_invalid_names(self, sfn: LocalStepFunctions, name: str) -> None:
        with pytest.raises(ClientError) as excinfo:
            create(sfn, name)
        assert error_of(excinfo) == ("InvalidName", f"Invalid Name: '{name}'")

    @pytest.mark.parametrize("name", ["a", "Order-Flow_v2.1", "ünïcödé", "x" * 80])
    def test_valid_names(self, sfn: LocalStepFunctions, name: str) -> None:
        assert create(sfn, name).endswith(f":{name}")

    def test_name_longer_than_80_is_a_validation_exception(self, sfn: LocalStepFunctions) -> None:
        name = "n" * 81
        with pytest.raises(ClientError) as excinfo:
            create(sfn, name)
        assert error_of(excinfo) == (
            "ValidationException",
            (
                f"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: "
                "Member must have length less than or equal to 80"
            ),
        )

    def test_empty_name_is_refused_by_boto3_itself(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ParamValidationError, match="Invalid length for parameter name, value: 0"):
            create(sfn, "")

    def test_unknown_type_lists_the_enum(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            create(sfn, "t", type="BATCH")
        assert error_of(excinfo)[1] == (
            "1 validation error detected: Value 'BATCH' at 'type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [STANDARD, EXPRESS]"
        )

    def test_invalid_definition_message(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(sfn.exceptions.InvalidDefinition) as excinfo:
            create(sfn, "bad", json.dumps({"StartAt": "A"}))
        assert error_of(excinfo) == (
            "InvalidDefinition",
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'",
        )

    def test_missing_transition_target(self, sfn: LocalStepFunctions) -> None:
        text = definition({"A": {"Type": "Pass", "Next": "Nowhere"}, "B": {"Type": "Succeed"}})
        with pytest.raises(ClientError) as excinfo:
            create(sfn, "bad", text)
        code, message = error_of(excinfo)
        assert code == "InvalidDefinition"
        assert "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next" in message

    def test_express_refuses_callbacks(self, sfn: LocalStepFunctions) -> None:
        text = definition(
            {"T": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync", "End": True}}
        )
        with pytest.raises(ClientError) as excinfo:
            create(sfn, "fast", text, type="EXPRESS")
        assert error_of(excinfo) == (
            "InvalidDefinition",
            (
                "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support "
                "'.sync' service integration at /States/T/Resource'"
            ),
        )

    def test_version_description_needs_publish(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            create(sfn, "v", versionDescription="first")
        assert error_of(excinfo) == ("ValidationException", "Version description can only be set when publish is true")


class TestListUpdateDelete:
    def test_list_is_ordered_and_paged(self, sfn: LocalStepFunctions) -> None:
        for name in ["b", "a", "c"]:
            create(sfn, name)
        first = sfn.list_state_machines(maxResults=2)
        assert [m["name"] for m in first["stateMachines"]] == ["a", "b"]
        assert set(first["stateMachines"][0]) == {"stateMachineArn", "name", "type", "creationDate"}
        second = sfn.list_state_machines(maxResults=2, nextToken=first["nextToken"])
        assert [m["name"] for m in second["stateMachines"]] == ["c"]
        assert "nextToken" not in second

    def test_list_rejects_foreign_tokens(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.list_state_machines(nextToken="garbage")
        assert error_of(excinfo) == ("InvalidToken", "Invalid Token: 'garbage'")

    def test_list_max_results_limit(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.list_state_machines(maxResults=1001)
        assert error_of(excinfo)[1] == (
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
            "Member must have value less than or equal to 1000"
        )

    def test_update_definition_creates_a_revision(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "u")
        updated = sfn.update_state_machine(stateMachineArn=arn, definition=FAIL)
        assert set(updated) == {"updateDate", "revisionId", "ResponseMetadata"}
        described = sfn.describe_state_machine(stateMachineArn=arn)
        assert described["definition"] == FAIL
        assert described["revisionId"] == updated["revisionId"]
        same = sfn.update_state_machine(stateMachineArn=arn, definition=FAIL)
        assert same["revisionId"] == updated["revisionId"]
        other = sfn.update_state_machine(stateMachineArn=arn, roleArn="arn:aws:iam::1:role/new")
        assert other["revisionId"] != updated["revisionId"]

    def test_update_needs_something_to_change(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "u")
        with pytest.raises(ClientError) as excinfo:
            sfn.update_state_machine(stateMachineArn=arn)
        assert error_of(excinfo) == (
            "MissingRequiredParameter",
            (
                "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration "
                "must be specified"
            ),
        )

    def test_update_validates_the_definition(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "u")
        with pytest.raises(sfn.exceptions.InvalidDefinition):
            sfn.update_state_machine(stateMachineArn=arn, definition="{}")
        assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == PASS

    def test_update_of_missing_machine(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
            sfn.update_state_machine(stateMachineArn=f"{SM}:ghost", definition=PASS)

    def test_delete_then_describe_does_not_exist(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "gone")
        assert set(sfn.delete_state_machine(stateMachineArn=arn)) == {"ResponseMetadata"}
        with pytest.raises(ClientError) as excinfo:
            sfn.describe_state_machine(stateMachineArn=arn)
        assert error_of(excinfo) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
        assert sfn.list_state_machines()["stateMachines"] == []

    def test_delete_of_missing_machine_succeeds(self, sfn: LocalStepFunctions) -> None:
        sfn.delete_state_machine(stateMachineArn=f"{SM}:never")


class TestVersions:
    def test_publish_on_create_and_update(self, sfn: LocalStepFunctions) -> None:
        created = sfn.create_state_machine(name="v", definition=PASS, roleArn=ROLE, publish=True)
        assert created["stateMachineVersionArn"] == f"{SM}:v:1"
        updated = sfn.update_state_machine(
            stateMachineArn=created["stateMachineArn"], definition=FAIL, publish=True, versionDescription="two"
        )
        assert updated["stateMachineVersionArn"] == f"{SM}:v:2"
        version_one = sfn.describe_state_machine(stateMachineArn=f"{SM}:v:1")
        assert version_one["definition"] == PASS
        assert version_one["stateMachineArn"] == f"{SM}:v:1"
        assert sfn.describe_state_machine(stateMachineArn=f"{SM}:v:2")["description"] == "two"

    def test_execution_of_a_version(self, sfn: LocalStepFunctions) -> None:
        created = sfn.create_state_machine(name="v", definition=PASS, roleArn=ROLE, publish=True)
        sfn.update_state_machine(stateMachineArn=created["stateMachineArn"], definition=FAIL)
        run = sfn.start_execution(stateMachineArn=created["stateMachineVersionArn"])
        described = sfn.describe_execution(executionArn=run["executionArn"])
        assert described["status"] == "SUCCEEDED"
        assert described["stateMachineVersionArn"] == f"{SM}:v:1"
        listed = sfn.list_executions(stateMachineArn=f"{SM}:v:1")["executions"]
        assert [item["stateMachineVersionArn"] for item in listed] == [f"{SM}:v:1"]

    def test_unknown_version(self, sfn: LocalStepFunctions) -> None:
        create(sfn, "v")
        with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
            sfn.describe_state_machine(stateMachineArn=f"{SM}:v:9")


class TestArnsAndErrors:
    @pytest.mark.parametrize(
        ("arn", "message"),
        [
            ("not_a_valid_arn", "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'"),
            (
                "arn:aws:states:us-east-1:123456789012:execution:m:e",
                "Invalid Arn: 'Resource type not valid in this context: execution'",
            ),
            ("arn:aws:states:us-east-1:123456789012", "Invalid Arn: 'arn:aws:states:us-east-1:123456789012'"),
        ],
    )
    def test_invalid_state_machine_arns(self, sfn: LocalStepFunctions, arn: str, message: str) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.describe_state_machine(stateMachineArn=arn)
        assert error_of(excinfo) == ("InvalidArn", message)

    def test_machine_of_another_account_does_not_exist(self, sfn: LocalStepFunctions) -> None:
        create(sfn, "mine")
        other = "arn:aws:states:us-east-1:999999999999:stateMachine:mine"
        with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
            sfn.describe_state_machine(stateMachineArn=other)

    def test_error_response_is_boto3_shaped(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.describe_state_machine(stateMachineArn=f"{SM}:ghost")
        error = excinfo.value
        assert error.operation_name == "DescribeStateMachine"
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error.response["message"] == error.response["Error"]["Message"]
        assert str(error) == (
            "An error occurred (StateMachineDoesNotExist) when calling the DescribeStateMachine operation: "
            f"State Machine Does Not Exist: '{SM}:ghost'"
        )


class TestDeterminism:
    def test_same_seed_same_names_and_request_ids(self) -> None:
        def run(seed: int) -> tuple[str, str]:
            client = LocalStepFunctions(rng_seed=seed)
            started = client.start_execution(stateMachineArn=create(client))
            return started["executionArn"], started["ResponseMetadata"]["RequestId"]

        assert run(7) == run(7)
        assert run(7) != run(8)

    def test_clock_can_be_injected(self, service: RecordingService) -> None:
        start = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
        client = LocalStepFunctions(services=service, clock=VirtualClock(start))
        assert client.create_state_machine(name="m", definition=PASS, roleArn=ROLE)["creationDate"] == start

    def test_advance_clock_moves_creation_dates(self, sfn: LocalStepFunctions) -> None:
        sfn.advance_clock(90)
        response = sfn.create_state_machine(name="later", definition=PASS, roleArn=ROLE)
        assert response["creationDate"] == datetime(2024, 1, 1, 0, 1, 30, tzinfo=UTC)

    def test_advance_clock_refuses_negative_time(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ValueError, match="must not be negative"):
            sfn.advance_clock(-1)


class TestValidateDefinition:
    def test_valid(self, sfn: LocalStepFunctions) -> None:
        response = sfn.validate_state_machine_definition(definition=PASS)
        response.pop("ResponseMetadata")
        assert response == {"result": "OK", "diagnostics": [], "truncated": False}

    def test_missing_fields(self, sfn: LocalStepFunctions) -> None:
        response = sfn.validate_state_machine_definition(definition="{}")
        assert response["result"] == "FAIL"
        assert response["diagnostics"] == [
            {
                "code": "SCHEMA_VALIDATION_FAILED",
                "location": "/",
                "message": "These fields are required: [States, StartAt]",
                "severity": "ERROR",
            }
        ]

    def test_not_json(self, sfn: LocalStepFunctions) -> None:
        response = sfn.validate_state_machine_definition(definition="not a definition")
        (diagnostic,) = response["diagnostics"]
        assert diagnostic["code"] == "INVALID_JSON_DESCRIPTION"
        assert diagnostic["location"] == '[Source: (String)"not a definition"; line: 1, column: 4]'

    def test_max_results_truncates(self, sfn: LocalStepFunctions) -> None:
        text = definition(
            {"A": {"Type": "Pass", "Next": "X"}, "B": {"Type": "Pass", "Next": "Y"}, "C": {"Type": "Succeed"}}
        )
        full = sfn.validate_state_machine_definition(definition=text)
        assert len(full["diagnostics"]) >= 2
        cut = sfn.validate_state_machine_definition(definition=text, maxResults=1)
        assert cut["diagnostics"] == full["diagnostics"][:1]
        assert cut["truncated"] is True

    def test_express_type_matters(self, sfn: LocalStepFunctions) -> None:
        text = definition({"T": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:1:activity:work", "End": True}})
        assert sfn.validate_state_machine_definition(definition=text)["result"] == "OK"
        express = sfn.validate_state_machine_definition(definition=text, type="EXPRESS")
        assert express["result"] == "FAIL"
        assert express["diagnostics"][0]["message"] == "Express state machine does not support Activity ARN"
