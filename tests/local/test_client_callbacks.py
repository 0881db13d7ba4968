"""LocalStepFunctions: task tokens (send_task_*), heartbeats and timeouts, activities and workers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions

from .helpers import CALLBACK, RecordingService, create, definition, error_of

ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity"
TASK_GONE = ("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")


def waiting(sfn: LocalStepFunctions, service: RecordingService, text: str = CALLBACK) -> tuple[str, str]:
    """Start an execution that waits for a callback; ``(execution ARN, task token)``."""
    run = sfn.start_execution(stateMachineArn=create(sfn, "cb", text), input='{"order": 7}')
    return run["executionArn"], service.tokens[-1]


def status(sfn: LocalStepFunctions, execution_arn: str) -> str:
    """The execution's status."""
    return str(sfn.describe_execution(executionArn=execution_arn)["status"])


class TestTaskTokens:
    def test_success_resumes_the_execution(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        arn, token = waiting(sfn, service)
        assert status(sfn, arn) == "RUNNING"
        response = sfn.send_task_success(taskToken=token, output='{"approved": true}')
        assert set(response) == {"ResponseMetadata"}
        described = sfn.describe_execution(executionArn=arn)
        assert described["status"] == "SUCCEEDED"
        assert json.loads(described["output"]) == {"approved": True}

    def test_failure_fails_the_task(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        arn, token = waiting(sfn, service)
        sfn.send_task_failure(taskToken=token, error="Rejected", cause="no budget")
        described = sfn.describe_execution(executionArn=arn)
        assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Rejected", "no budget")

    def test_failure_can_be_caught(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        text = definition(
            {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
                    "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.why", "Next": "Handle"}],
                    "End": True,
                },
                "Handle": {"Type": "Pass", "End": True},
            }
        )
        arn, token = waiting(sfn, service, text)
        sfn.send_task_failure(taskToken=token, error="Rejected", cause="no")
        described = sfn.describe_execution(executionArn=arn)
        assert described["status"] == "SUCCEEDED"
        assert json.loads(described["output"]) == {"order": 7, "why": {"Error": "Rejected", "Cause": "no"}}

    def test_unknown_token(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.send_task_success(taskToken="made-up", output="{}")
        assert error_of(excinfo) == ("InvalidToken", "Invalid Token: 'Invalid token'")
        for call in (sfn.send_task_failure, sfn.send_task_heartbeat):
            with pytest.raises(sfn.exceptions.InvalidToken):
                call(taskToken="made-up")

    def test_answered_token_is_gone(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        _, token = waiting(sfn, service)
        sfn.send_task_success(taskToken=token, output="{}")
        for call in (
            lambda: sfn.send_task_success(taskToken=token, output="{}"),
            lambda: sfn.send_task_failure(taskToken=token),
            lambda: sfn.send_task_heartbeat(taskToken=token),
        ):
            with pytest.raises(ClientError) as excinfo:
                call()
            assert error_of(excinfo) == TASK_GONE

    def test_token_of_a_stopped_execution_is_gone(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        arn, token = waiting(sfn, service)
        sfn.stop_execution(executionArn=arn)
        with pytest.raises(ClientError) as excinfo:
            sfn.send_task_success(taskToken=token, output="{}")
        assert error_of(excinfo) == TASK_GONE

    def test_output_must_be_json(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        arn, token = waiting(sfn, service)
        with pytest.raises(ClientError) as excinfo:
            sfn.send_task_success(taskToken=token, output="nope")
        code, message = error_of(excinfo)
        assert code == "InvalidOutput"
        assert message.startswith("Invalid Output: 'Unrecognized token 'nope'")
        assert status(sfn, arn) == "RUNNING"

    def test_output_size_limit(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        _, token = waiting(sfn, service)
        with pytest.raises(ClientError) as excinfo:
            sfn.send_task_success(taskToken=token, output=json.dumps("x" * 262_144))
        assert error_of(excinfo) == (
            "ValidationException",
            (
                "1 validation error detected: Value at 'output' failed to satisfy constraint: "
                "Member must have size less than or equal to 262144 bytes in UTF-8 encoding"
            ),
        )

    def test_heartbeats_keep_the_task_alive(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        arn, token = waiting(sfn, service)
        for _ in range(3):
            sfn.advance_clock(50)
            sfn.send_task_heartbeat(taskToken=token)
        assert status(sfn, arn) == "RUNNING"
        sfn.advance_clock(61)
        described = sfn.describe_execution(executionArn=arn)
        assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
        assert described["stopDate"] == datetime(2024, 1, 1, 0, 3, 30, tzinfo=UTC)
        with pytest.raises(ClientError) as excinfo:
            sfn.send_task_heartbeat(taskToken=token)
        assert error_of(excinfo) == TASK_GONE

    def test_missed_heartbeat_times_the_task_out(self, sfn: LocalStepFunctions, service: RecordingService) -> None:
        arn, token = waiting(sfn, service)
        sfn.advance_clock(59)
        assert status(sfn, arn) == "RUNNING"
        sfn.advance_clock(2)
        described = sfn.describe_execution(executionArn=arn)
        assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
        events = sfn.get_execution_history(executionArn=arn)["events"]
        timed_out = next(event for event in events if event["type"] == "TaskTimedOut")
        assert timed_out["timestamp"] == datetime(2024, 1, 1, 0, 1, tzinfo=UTC)
        with pytest.raises(ClientError) as excinfo:
            sfn.send_task_success(taskToken=token, output="{}")
        assert error_of(excinfo) == TASK_GONE


class TestActivities:
    def test_create_describe_list_delete(self, sfn: LocalStepFunctions) -> None:
        created = sfn.create_activity(name="work")
        assert created["activityArn"] == f"{ACTIVITY}:work"
        assert created["creationDate"] == datetime(2024, 1, 1, tzinfo=UTC)
        again = sfn.create_activity(name="work")
        assert (again["activityArn"], again["creationDate"]) == (created["activityArn"], created["creationDate"])
        described = sfn.describe_activity(activityArn=created["activityArn"])
        described.pop("ResponseMetadata")
        assert described == {"activityArn": f"{ACTIVITY}:work", "name": "work", "creationDate": created["creationDate"]}
        sfn.create_activity(name="also")
        listed = sfn.list_activities()["activities"]
        assert [item["name"] for item in listed] == ["also", "work"]
        assert set(listed[0]) == {"activityArn", "name", "creationDate"}
        sfn.delete_activity(activityArn=created["activityArn"])
        sfn.delete_activity(activityArn=created["activityArn"])
        with pytest.raises(ClientError) as excinfo:
            sfn.describe_activity(activityArn=created["activityArn"])
        assert error_of(excinfo) == ("ActivityDoesNotExist", f"Activity Does Not Exist: '{ACTIVITY}:work'")

    def test_list_paging(self, sfn: LocalStepFunctions) -> None:
        for name in ("a", "b", "c"):
            sfn.create_activity(name=name)
        first = sfn.list_activities(maxResults=2)
        second = sfn.list_activities(maxResults=2, nextToken=first["nextToken"])
        assert [a["name"] for a in first["activities"] + second["activities"]] == ["a", "b", "c"]
        assert "nextToken" not in second

    def test_invalid_name(self, sfn: LocalStepFunctions) -> None:
        with pytest.raises(ClientError) as excinfo:
            sfn.create_activity(name="TestActivity InvalidName$")
        assert error_of(excinfo) == ("InvalidName", "Invalid Name: 'TestActivity InvalidName$'")

    def test_invalid_arns(self, sfn: LocalStepFunctions) -> None:
        for call in (sfn.describe_activity, sfn.get_activity_task):
            with pytest.raises(ClientError) as excinfo:
                call(activityArn="no_an_activity_arn")
            assert error_of(excinfo) == ("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: no_an_activity_arn'")

    def test_poll_of_a_deleted_activity(self, sfn: LocalStepFunctions) -> None:
        arn = sfn.create_activity(name="gone")["activityArn"]
        sfn.delete_activity(activityArn=arn)
        with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
            sfn.get_activity_task(activityArn=arn)

    def test_worker_flow(self, sfn: LocalStepFunctions) -> None:
        activity = sfn.create_activity(name="approve")["activityArn"]
        text = definition(
            {"Wait for human": {"Type": "Task", "Resource": activity, "Parameters": {"order.$": "$.id"}, "End": True}}
        )
        run = sfn.start_execution(stateMachineArn=create(sfn, "human", text), input='{"id": 42}')
        assert status(sfn, run["executionArn"]) == "RUNNING"
        task = sfn.get_activity_task(activityArn=activity, workerName="alice")
        assert json.loads(task["input"]) == {"order": 42}
        assert set(sfn.get_activity_task(activityArn=activity)) == {"ResponseMetadata"}
        sfn.send_task_success(taskToken=task["taskToken"], output='{"ok": 1}')
        described = sfn.describe_execution(executionArn=run["executionArn"])
        assert described["status"] == "SUCCEEDED"
        events = sfn.get_execution_history(executionArn=run["executionArn"])["events"]
        types = [event["type"] for event in events]
        assert types[types.index("ActivityScheduled") :][:3] == [
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
        ]
        started = events[types.index("ActivityStarted")]
        assert started["activityStartedEventDetails"] == {"workerName": "alice"}

    def test_tasks_are_handed_out_oldest_first(self, sfn: LocalStepFunctions) -> None:
        activity = sfn.create_activity(name="queue")["activityArn"]
        text = definition({"Work": {"Type": "Task", "Resource": activity, "End": True}})
        machine = create(sfn, "q", text)
        for index in range(3):
            sfn.start_execution(stateMachineArn=machine, input=json.dumps({"n": index}))
        inputs = [json.loads(sfn.get_activity_task(activityArn=activity)["input"])["n"] for _ in range(3)]
        assert inputs == [0, 1, 2]

    def test_other_activities_are_not_served(self, sfn: LocalStepFunctions) -> None:
        mine = sfn.create_activity(name="mine")["activityArn"]
        other = sfn.create_activity(name="other")["activityArn"]
        text = definition({"Work": {"Type": "Task", "Resource": mine, "End": True}})
        sfn.start_execution(stateMachineArn=create(sfn, "q", text))
        assert "taskToken" not in sfn.get_activity_task(activityArn=other)
        assert "taskToken" in sfn.get_activity_task(activityArn=mine)

    def test_retried_activity_is_scheduled_again(self, sfn: LocalStepFunctions) -> None:
        activity = sfn.create_activity(name="flaky")["activityArn"]
        text = definition(
            {
                "Work": {
                    "Type": "Task",
                    "Resource": activity,
                    "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                    "End": True,
                }
            }
        )
        run = sfn.start_execution(stateMachineArn=create(sfn, "flaky", text))
        first = sfn.get_activity_task(activityArn=activity)["taskToken"]
        sfn.send_task_failure(taskToken=first, error="Flaky")
        second = sfn.get_activity_task(activityArn=activity, workerName="w2")["taskToken"]
        assert second != first
        sfn.send_task_success(taskToken=second, output='{"ok": true}')
        assert status(sfn, run["executionArn"]) == "SUCCEEDED"

    def test_activity_timeout(self, sfn: LocalStepFunctions) -> None:
        activity = sfn.create_activity(name="slow")["activityArn"]
        text = definition({"Work": {"Type": "Task", "Resource": activity, "TimeoutSeconds": 100, "End": True}})
        run = sfn.start_execution(stateMachineArn=create(sfn, "slow", text))
        task = sfn.get_activity_task(activityArn=activity)
        sfn.advance_clock(101)
        described = sfn.describe_execution(executionArn=run["executionArn"])
        assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
        with pytest.raises(ClientError) as excinfo:
            sfn.send_task_success(taskToken=task["taskToken"], output="{}")
        assert error_of(excinfo) == TASK_GONE


class TestMockConfig:
    def test_test_case_selects_mocked_responses(self) -> None:
        text = definition({"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}})
        mocks = {
            "StateMachines": {"billing": {"TestCases": {"Declined": {"Charge": "DeclinedCharge"}}}},
            "MockedResponses": {"DeclinedCharge": {"0": {"Throw": {"Error": "CardDeclined", "Cause": "nope"}}}},
        }
        client = LocalStepFunctions(mock_config=mocks)
        arn = create(client, "billing", text)
        run = client.start_execution(stateMachineArn=f"{arn}#Declined")
        assert run["executionArn"].startswith("arn:aws:states:us-east-1:123456789012:execution:billing:")
        described = client.describe_execution(executionArn=run["executionArn"])
        assert (described["status"], described["error"], described["cause"]) == ("FAILED", "CardDeclined", "nope")
        assert described["stateMachineArn"] == arn

    def test_mock_config_from_a_file(self, tmp_path: pytest.TempPathFactory) -> None:
        text = definition({"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}})
        mocks = {
            "StateMachines": {"billing": {"TestCases": {"Happy": {"Charge": "Paid"}}}},
            "MockedResponses": {"Paid": {"0": {"Return": {"paid": True}}}},
        }
        path = tmp_path / "MockConfigFile.json"  # type: ignore[operator]
        path.write_text(json.dumps(mocks))
        client = LocalStepFunctions(mock_config=str(path))
        run = client.start_execution(stateMachineArn=f"{create(client, 'billing', text)}#Happy")
        assert json.loads(client.describe_execution(executionArn=run["executionArn"])["output"]) == {"paid": True}
