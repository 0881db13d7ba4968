"""LocalStepFunctions: starting, describing, listing, stopping executions and their history."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions

from .helpers import CALLBACK, FAIL, PASS, ROLE, RecordingService, create, definition, error_of

EXEC = "arn:aws:states:us-east-1:123456789012:execution"
EXPRESS = "arn:aws:states:us-east-1:123456789012:express"
WAIT = definition(
    {
        "First": {"Type": "Pass", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 30, "Next": "Last"},
        "Last": {"Type": "Pass", "Result": {"done": True}, "End": True},
    }
)


class TestStartAndDescribe:
    def test_start_returns_arn_and_start_date(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "m")
        started = sfn.start_execution(stateMachineArn=arn, name="run-1", input='{"a": 1}')
        assert started["executionArn"] == f"{EXEC}:m:run-1"
        assert started["startDate"] == datetime(2024, 1, 1, tzinfo=UTC)
        assert set(started) == {"executionArn", "startDate", "ResponseMetadata"}

    def test_describe_succeeded(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "m", WAIT)
        run = sfn.start_execution(stateMachineArn=arn, name="r", input='{"a": 1}')
        described = sfn.describe_execution(executionArn=run["executionArn"])
        described.pop("ResponseMetadata")
        assert described == {
            "executionArn": f"{EXEC}:m:r",
            "stateMachineArn": arn,
            "name": "r",
            "status": "SUCCEEDED",
            "startDate": datetime(2024, 1, 1, tzinfo=UTC),
            "stopDate": datetime(2024, 1, 1, 0, 0, 30, tzinfo=UTC),
            "input": '{"a": 1}',
            "inputDetails": {"included": True},
            "output": '{"done":true}',
            "outputDetails": {"included": True},
            "redriveCount": 0,
            "redriveStatus": "NOT_REDRIVABLE",
            "redriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
        }

    def test_describe_failed(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn, "f", FAIL))
        described = sfn.describe_execution(executionArn=run["executionArn"])
        assert described["status"] == "FAILED"
        assert (described["error"], described["cause"]) == ("Oops", "it broke")
        assert "output" not in described
        assert described["redriveStatus"] == "REDRIVABLE"
        assert "redriveStatusReason" not in described

    def test_describe_running_has_no_stop_date(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn, "cb", CALLBACK))
        described = sfn.describe_execution(executionArn=run["executionArn"])
        assert described["status"] == "RUNNING"
        for key in ("stopDate", "output", "error", "cause"):
            assert key not in described
        assert described["redriveStatusReason"] == "Execution is RUNNING and cannot be redriven"

    def test_metadata_only_leaves_data_out(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn), input="{}")
        described = sfn.describe_execution(executionArn=run["executionArn"], includedData="METADATA_ONLY")
        assert "input" not in described
        assert "output" not in described
        assert described["inputDetails"] == {"included": False}
        assert described["outputDetails"] == {"included": False}

    def test_name_defaults_to_a_uuid_and_input_to_an_empty_object(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn))
        described = sfn.describe_execution(executionArn=run["executionArn"])
        assert len(described["name"]) == 36
        assert described["name"].count("-") == 4
        assert described["input"] == "{}"

    def test_trace_header_is_described(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn), traceHeader="Root=1-abc")
        assert sfn.describe_execution(executionArn=run["executionArn"])["traceHeader"] == "Root=1-abc"

    def test_context_object_knows_the_execution(self, sfn: LocalStepFunctions) -> None:
        text = definition({"Who": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "End": True}})
        run = sfn.start_execution(stateMachineArn=create(sfn, "ctx", text), name="n")
        output = json.loads(sfn.describe_execution(executionArn=run["executionArn"])["output"])
        assert output == {"id": f"{EXEC}:ctx:n"}

    def test_describe_state_machine_for_execution(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "m")
        run = sfn.start_execution(stateMachineArn=arn)
        described = sfn.describe_state_machine_for_execution(executionArn=run["executionArn"])
        described.pop("ResponseMetadata")
        assert described == {
            "stateMachineArn": arn,
            "name": "m",
            "definition": PASS,
            "roleArn": ROLE,
            "updateDate": datetime(2024, 1, 1, tzinfo=UTC),
            "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
            "tracingConfiguration": {"enabled": False},
        }


class TestStartValidation:
    @pytest.mark.parametrize(
        ("text", "detail"),
        [
            (
                "not some json",
                (
                    "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', "
                    "'true' or 'false')"
                ),
            ),
            ("{'not': 'json'", "Unexpected character (''' (code 39)): was expecting double-quote to start field name"),
            ("", "Invalid execution input."),
        ],
    )
    def test_input_that_is_not_json(self, sfn: LocalStepFunctions, text: str, detail: str) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=create(sfn), input=text)
        assert error_of(excinfo) == ("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{detail}'")

    @pytest.mark.parametrize("text", ["1", '"text"', "null", "[1, 2]"])
    def test_any_json_value_is_an_input(self, sfn: LocalStepFunctions, text: str) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn), input=text)
        assert sfn.describe_execution(executionArn=run["executionArn"])["input"] == text

    def test_input_over_256_kib(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=create(sfn), input=json.dumps("é" * 131_072))
        assert error_of(excinfo) == (
            "ValidationException",
            (
                "1 validation error detected: Value at 'input' failed to satisfy constraint: "
                "Member must have size less than or equal to 262144 bytes in UTF-8 encoding"
            ),
        )

    def test_missing_machine_comes_before_name_and_input(self, sfn: LocalStepFunctions) -> None:
        missing = "arn:aws:states:us-east-1:123456789012:stateMachine:missing"
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=missing, name="a b", input="{")
        assert error_of(excinfo) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{missing}'")

    def test_invalid_execution_name(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=create(sfn), name="a b")
        assert error_of(excinfo) == ("InvalidName", "Invalid Name: 'a b'")

    def test_execution_arn_is_not_a_state_machine(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=f"{EXEC}:m:e")
        assert error_of(excinfo) == ("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: execution'")

    def test_same_name_while_running_with_same_input_is_idempotent(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "cb", CALLBACK)
        first = sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
        again = sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
        assert again["executionArn"] == first["executionArn"]
        assert again["startDate"] == first["startDate"]
        assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 1

    def test_same_name_with_other_input_already_exists(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "cb", CALLBACK)
        first = sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=arn, name="same", input='{"x": 1}')
        assert error_of(excinfo) == (
            "ExecutionAlreadyExists",
            f"Execution Already Exists: '{first['executionArn']}'",
        )

    def test_same_name_after_it_closed_already_exists(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn)
        sfn.start_execution(stateMachineArn=arn, name="once", input="{}")
        with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
            sfn.start_execution(stateMachineArn=arn, name="once", input="{}")

    @pytest.mark.parametrize(
        ("arn", "code", "message"),
        [
            (f"{EXEC}:m:missing", "ExecutionDoesNotExist", f"Execution Does Not Exist: '{EXEC}:m:missing'"),
            ("invalid_arn", "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: invalid_arn'"),
            (
                "arn:aws:states:us-east-1:123456789012:stateMachine:m",
                "InvalidArn",
                "Invalid Arn: 'Resource type not valid in this context: stateMachine'",
            ),
        ],
    )
    def test_describe_errors(self, sfn: LocalStepFunctions, arn: str, code: str, message: str) -> None:
        for call in (sfn.describe_execution, sfn.get_execution_history, sfn.stop_execution):
            with pytest.raises(ClientError) as excinfo:
                call(executionArn=arn)
            assert error_of(excinfo) == (code, message)


class TestExpress:
    def test_sync_execution_of_standard_is_not_supported(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.start_sync_execution(stateMachineArn=create(sfn))
        assert error_of(excinfo) == (
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine",
        )

    def test_sync_execution_shape(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "fast", WAIT, type="EXPRESS")
        response = sfn.start_sync_execution(stateMachineArn=arn, name="s", input='{"k": 2}')
        response.pop("ResponseMetadata")
        run_id = response["executionArn"].rsplit(":", 1)[1]
        assert response == {
            "executionArn": f"{EXPRESS}:fast:s:{run_id}",
            "stateMachineArn": arn,
            "name": "s",
            "startDate": datetime(2024, 1, 1, tzinfo=UTC),
            "stopDate": datetime(2024, 1, 1, 0, 0, 30, tzinfo=UTC),
            "status": "SUCCEEDED",
            "input": '{"k": 2}',
            "inputDetails": {"included": True},
            "output": '{"done":true}',
            "outputDetails": {"included": True},
            "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 30000},
        }

    def test_sync_execution_failure(self, sfn: LocalStepFunctions) -> None:
        response = sfn.start_sync_execution(stateMachineArn=create(sfn, "f", FAIL, type="EXPRESS"))
        assert (response["status"], response["error"], response["cause"]) == ("FAILED", "Oops", "it broke")
        assert "output" not in response
        assert response["billingDetails"]["billedDurationInMilliseconds"] == 100

    def test_sync_metadata_only(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "fast", type="EXPRESS")
        response = sfn.start_sync_execution(stateMachineArn=arn, input="{}", includedData="METADATA_ONLY")
        assert "input" not in response
        assert "output" not in response
        assert response["inputDetails"] == response["outputDetails"] == {"included": False}

    def test_sync_execution_that_never_finishes_times_out(self) -> None:
        from constructs_sfn.asl.services import TaskOutcome, TaskRequest

        class Stuck:
            def invoke(self, request: TaskRequest) -> TaskOutcome:
                return TaskOutcome.never()

        client = LocalStepFunctions(services=Stuck())
        text = definition({"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}})
        response = client.start_sync_execution(stateMachineArn=create(client, "stuck", text, type="EXPRESS"))
        assert (response["status"], response["error"]) == ("TIMED_OUT", "States.Timeout")
        assert response["stopDate"] == datetime(2024, 1, 1, 0, 5, tzinfo=UTC)
        assert response["billingDetails"]["billedDurationInMilliseconds"] == 300_000

    def test_sync_names_can_repeat(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "fast", type="EXPRESS")
        one = sfn.start_sync_execution(stateMachineArn=arn, name="again")
        two = sfn.start_sync_execution(stateMachineArn=arn, name="again")
        assert one["executionArn"] != two["executionArn"]

    def test_express_executions_are_not_describable(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "fast", type="EXPRESS")
        run = sfn.start_execution(stateMachineArn=arn)
        assert run["executionArn"].startswith(f"{EXPRESS}:fast:")
        expected = ("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
        for call in (sfn.describe_execution, sfn.stop_execution, sfn.get_execution_history):
            with pytest.raises(ClientError) as excinfo:
                call(executionArn=run["executionArn"])
            assert error_of(excinfo) == expected
        with pytest.raises(ClientError) as excinfo:
            sfn.list_executions(stateMachineArn=arn)
        assert error_of(excinfo) == (
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine",
        )


class TestHistory:
    def test_events_are_the_runtime_history(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn, "w", WAIT))
        events = sfn.get_execution_history(executionArn=run["executionArn"])["events"]
        assert [event["type"] for event in events] == [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]
        assert events[0]["executionStartedEventDetails"]["roleArn"] == ROLE
        assert events[-1]["timestamp"] == datetime(2024, 1, 1, 0, 0, 30, tzinfo=UTC)

    def test_reverse_order(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn, "w", WAIT))
        forward = sfn.get_execution_history(executionArn=run["executionArn"])["events"]
        backward = sfn.get_execution_history(executionArn=run["executionArn"], reverseOrder=True)["events"]
        assert [e["id"] for e in backward] == [e["id"] for e in reversed(forward)]

    def test_paging(self, sfn: LocalStepFunctions) -> None:
        arn = sfn.start_execution(stateMachineArn=create(sfn, "w", WAIT))["executionArn"]
        ids: list[int] = []
        token = None
        pages = 0
        while True:
            kwargs = {"nextToken": token} if token else {}
            page = sfn.get_execution_history(executionArn=arn, maxResults=3, reverseOrder=True, **kwargs)
            ids.extend(event["id"] for event in page["events"])
            pages += 1
            token = page.get("nextToken")
            if token is None:
                break
        assert pages == 3
        assert ids == [8, 7, 6, 5, 4, 3, 2, 1]

    def test_token_of_one_order_is_refused_by_the_other(self, sfn: LocalStepFunctions) -> None:
        arn = sfn.start_execution(stateMachineArn=create(sfn, "w", WAIT))["executionArn"]
        token = sfn.get_execution_history(executionArn=arn, maxResults=2)["nextToken"]
        with pytest.raises(sfn.exceptions.InvalidToken):
            sfn.get_execution_history(executionArn=arn, maxResults=2, reverseOrder=True, nextToken=token)

    def test_without_execution_data(self, sfn: LocalStepFunctions) -> None:
        arn = sfn.start_execution(stateMachineArn=create(sfn, "w", WAIT), input='{"secret": 1}')["executionArn"]
        events = sfn.get_execution_history(executionArn=arn, includeExecutionData=False)["events"]
        for event in events:
            for key, value in event.items():
                if key.endswith("EventDetails"):
                    assert "input" not in value
                    assert "output" not in value
        assert events[0]["executionStartedEventDetails"]["inputDetails"] == {"truncated": False}
        full = sfn.get_execution_history(executionArn=arn)["events"]
        assert full[0]["executionStartedEventDetails"]["input"] == '{"secret": 1}'

    def test_history_copies_cannot_change_the_execution(self, sfn: LocalStepFunctions) -> None:
        arn = sfn.start_execution(stateMachineArn=create(sfn))["executionArn"]
        events = sfn.get_execution_history(executionArn=arn)["events"]
        events[0]["executionStartedEventDetails"]["input"] = "tampered"
        again = sfn.get_execution_history(executionArn=arn)["events"]
        assert again[0]["executionStartedEventDetails"]["input"] == "{}"


class TestListExecutions:
    def test_most_recent_first_with_status_filter(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn, "cb", CALLBACK)
        first = sfn.start_execution(stateMachineArn=arn, name="first")
        sfn.advance_clock(5)
        second = sfn.start_execution(stateMachineArn=arn, name="second")
        sfn.advance_clock(3)
        sfn.stop_execution(executionArn=first["executionArn"])
        listed = sfn.list_executions(stateMachineArn=arn)["executions"]
        assert [item["name"] for item in listed] == ["first", "second"]
        assert listed[0] == {
            "executionArn": first["executionArn"],
            "stateMachineArn": arn,
            "name": "first",
            "status": "ABORTED",
            "startDate": datetime(2024, 1, 1, tzinfo=UTC),
            "stopDate": datetime(2024, 1, 1, 0, 0, 8, tzinfo=UTC),
            "redriveCount": 0,
        }
        running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
        assert [item["executionArn"] for item in running] == [second["executionArn"]]
        assert "stopDate" not in running[0]

    def test_paging(self, sfn: LocalStepFunctions) -> None:
        arn = create(sfn)
        for index in range(5):
            sfn.start_execution(stateMachineArn=arn, name=f"e{index}")
        page = sfn.list_executions(stateMachineArn=arn, maxResults=3)
        rest = sfn.list_executions(stateMachineArn=arn, maxResults=3, nextToken=page["nextToken"])
        names = [item["name"] for item in page["executions"] + rest["executions"]]
        assert names == ["e4", "e3", "e2", "e1", "e0"]

    def test_invalid_status_filter(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.list_executions(stateMachineArn=create(sfn), statusFilter="succeeded")
        assert error_of(excinfo) == (
            "ValidationException",
            (
                "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: "
                "Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"
            ),
        )

    def test_missing_and_invalid_machines(self, sfn: LocalStepFunctions) -> None:
        missing = "arn:aws:states:us-east-1:123456789012:stateMachine:none"
        with pytest.raises(ClientError) as excinfo:
            sfn.list_executions(stateMachineArn=missing)
        assert error_of(excinfo) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{missing}'")
        with pytest.raises(ClientError) as excinfo:
            sfn.list_executions(stateMachineArn="invalid_state_machine_arn")
        assert error_of(excinfo) == ("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'")


class TestStop:
    def test_stop_aborts_a_running_execution(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn, "cb", CALLBACK))
        sfn.advance_clock(10)
        stopped = sfn.stop_execution(executionArn=run["executionArn"], error="Halt", cause="by test")
        assert stopped["stopDate"] == datetime(2024, 1, 1, 0, 0, 10, tzinfo=UTC)
        described = sfn.describe_execution(executionArn=run["executionArn"])
        assert (described["status"], described["error"], described["cause"]) == ("ABORTED", "Halt", "by test")
        last = sfn.get_execution_history(executionArn=run["executionArn"], reverseOrder=True)["events"][0]
        assert last["type"] == "ExecutionAborted"
        assert last["executionAbortedEventDetails"] == {"error": "Halt", "cause": "by test"}

    def test_stopping_a_finished_execution_keeps_it(self, sfn: LocalStepFunctions) -> None:
        run = sfn.start_execution(stateMachineArn=create(sfn))
        response = sfn.stop_execution(executionArn=run["executionArn"])
        assert response["stopDate"] == datetime(2024, 1, 1, tzinfo=UTC)
        assert sfn.describe_execution(executionArn=run["executionArn"])["status"] == "SUCCEEDED"


class TestTasksAndNesting:
    def test_tasks_reach_the_service(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        text = definition(
            {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"x": 1},
                    "End": True,
                }
            }
        )
        run = sfn.start_execution(stateMachineArn=create(sfn, "t", text))
        assert sfn.describe_execution(executionArn=run["executionArn"])["status"] == "SUCCEEDED"
        (request,) = service.requests
        assert request.parameters == {"x": 1}
        assert request.execution_arn == run["executionArn"]

    def test_unbound_tasks_fail_by_default(self) -> None:
        client = LocalStepFunctions()
        text = definition({"Call": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True}})
        run = client.start_execution(stateMachineArn=create(client, "t", text))
        described = client.describe_execution(executionArn=run["executionArn"])
        assert described["status"] == "FAILED"
        assert "sns:publish" in described["cause"]

    def test_nested_execution_runs_as_a_child(self) -> None:
        from constructs_sfn.integrations.nested import NestedExecutions

        client = LocalStepFunctions(services=NestedExecutions())
        child = create(client, "child", PASS)
        parent_text = definition(
            {
                "Run": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child, "Input": {"from": "parent"}},
                    "OutputPath": "$.Output",
                    "End": True,
                }
            }
        )
        run = client.start_execution(stateMachineArn=create(client, "parent", parent_text))
        described = client.describe_execution(executionArn=run["executionArn"])
        assert described["status"] == "SUCCEEDED", described
        assert json.loads(described["output"]) == {"greeting": "hi"}
        (child_run,) = client.list_executions(stateMachineArn=child)["executions"]
        assert child_run["status"] == "SUCCEEDED"
