"""context.py: the context object of TestState's throw-away express execution."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from constructs_sfn.asl.runtime import VirtualClock
from constructs_sfn.local.teststate import run_test_state

from .support import (
    LAMBDA_INVOKE,
    SQS_CALLBACK,
    output,
    run,
)

CONTEXT_OUT = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.context %}", "End": True}


class TestContextObject:
    def test_an_express_execution_of_a_throw_away_machine(self) -> None:
        clock = VirtualClock(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))

        context = output(run(CONTEXT_OUT, {"a": 1}, clock=clock))

        execution, machine = context["Execution"], context["StateMachine"]
        assert execution["Id"] == f"arn:aws:states:eu-west-1:111111111111:express:{machine['Name']}:{execution['Name']}"
        assert machine["Id"] == f"arn:aws:states:eu-west-1:111111111111:stateMachine:{machine['Name']}"
        assert execution["Input"] == {"a": 1}
        assert execution["StartTime"] == "2025-01-02T03:04:05.000Z"
        assert execution["RoleArn"] is None
        assert "RedriveCount" not in execution
        assert context["State"] == {"Name": "StateName", "EnteredTime": "2025-01-02T03:04:05.000Z"}

    def test_the_role_shows_when_given(self) -> None:
        role = "arn:aws:iam::111111111111:role/R"

        assert output(run(CONTEXT_OUT, role_arn=role))["Execution"]["RoleArn"] == role

    def test_state_name_is_state_name_even_for_a_named_state_of_a_machine(self) -> None:
        definition = {"StartAt": "First", "States": {"First": CONTEXT_OUT}}

        response = run_test_state(definition=definition, state_name="First", input_value={})

        assert output(response)["State"]["Name"] == "StateName"

    @pytest.mark.parametrize(
        ("state", "has_retry_count"),
        [
            ({"Type": "Task", "Resource": LAMBDA_INVOKE, "ResultSelector": {"c.$": "$$.State"}, "End": True}, True),
            ({"Type": "Pass", "Parameters": {"c.$": "$$.State"}, "End": True}, False),
        ],
    )
    def test_retry_count_only_for_states_that_retry(self, state: dict[str, Any], has_retry_count: bool) -> None:
        options = {"mock": {"result": "{}"}} if state["Type"] == "Task" else {}

        assert ("RetryCount" in output(run(state, **options))["c"]) is has_retry_count

    def test_given_fields_replace_the_defaults(self) -> None:
        given = {"Execution": {"Name": "exec-1", "Input": {"given": True}}, "State": {"Name": "Mine", "RetryCount": 3}}

        context = output(run(CONTEXT_OUT, {"a": 1}, context=given))

        assert context["Execution"]["Name"] == "exec-1"
        assert context["Execution"]["Input"] == {"given": True}
        assert context["State"]["Name"] == "Mine"
        assert context["State"]["RetryCount"] == 3
        assert context["Execution"]["Id"].startswith("arn:aws:states:eu-west-1:111111111111:express:")

    def test_a_given_task_token_is_what_a_callback_task_sees(self) -> None:
        state = {
            "Type": "Task",
            "Resource": SQS_CALLBACK,
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "End": True,
        }

        response = run(state, mock={"result": "{}"}, context={"Task": {"Token": "given-token"}})

        assert response["inspectionData"]["afterParameters"]["MessageBody"]["token"] == "given-token"
