"""The context object (``$$`` in JSONPath, ``$states.context`` in JSONata), field by field.

Docs: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html lists the
fields: ``Execution`` (``Id``, ``Input``, ``Name``, ``RoleArn``, ``StartTime``, ``RedriveCount``,
``RedriveTime`` only after a redrive), ``State`` (``EnteredTime``, ``Name``, ``RetryCount``),
``StateMachine`` (``Id``, ``Name``), ``Task`` (``Token``, callback tasks only) and, in a Map state's
``ItemSelector``, ``Map.Item`` (``Index``, ``Value``, and ``Key`` when the items are an object's pairs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from runtime_support import EPOCH, LAMBDA_INVOKE, SQS_CALLBACK, FakeService, execute, machine, single

from constructs_sfn.asl import ExecutionContextInfo
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

INFO = ExecutionContextInfo(
    execution_arn="arn:aws:states:eu-west-1:111122223333:execution:Orders:run-1",
    execution_name="run-1",
    state_machine_arn="arn:aws:states:eu-west-1:111122223333:stateMachine:Orders",
    state_machine_name="Orders",
    role_arn="arn:aws:iam::111122223333:role/OrdersRole",
    start_time=EPOCH,
    region="eu-west-1",
    account_id="111122223333",
)
JSONPATH_WHOLE = {"Type": "Pass", "Parameters": {"context.$": "$$"}, "OutputPath": "$.context"}
JSONATA_WHOLE = {"Type": "Pass", "Output": "{% $states.context %}"}


def _expected_execution(input_value: Any) -> dict[str, Any]:
    return {
        "Id": INFO.execution_arn,
        "Input": input_value,
        "Name": "run-1",
        "RoleArn": INFO.role_arn,
        "StartTime": "2024-01-01T00:00:00.000Z",
        "RedriveCount": 0,
    }


@pytest.mark.parametrize(
    ("state", "top"),
    [(JSONPATH_WHOLE, {}), (JSONATA_WHOLE, {"QueryLanguage": "JSONata"})],
    ids=["jsonpath", "jsonata"],
)
def test_a_pass_state_sees_execution_state_machine_and_state(state: dict[str, Any], top: dict[str, Any]) -> None:
    """Both query languages see the same object (input-output-contextobject.html, "Accessing the Context object"); a
    Pass state has no ``RetryCount`` and no ``Task``.
    """
    execution = execute(single(state, **top), {"order": 7}, info=INFO)

    assert execution.output == {
        "Execution": _expected_execution({"order": 7}),
        "StateMachine": {"Id": INFO.state_machine_arn, "Name": "Orders"},
        "State": {"Name": "S", "EnteredTime": "2024-01-01T00:00:00.000Z"},
    }


def test_an_express_execution_has_no_redrive_count() -> None:
    """Only STANDARD executions can be redriven (redrive-executions.html), so EXPRESS shows no count."""
    express = ExecutionContextInfo(start_time=EPOCH, state_machine_type="EXPRESS")

    execution = execute(single(JSONPATH_WHOLE), {}, info=express)

    assert "RedriveCount" not in execution.output["Execution"]


def _context_seen_by_task(state: dict[str, Any], *outcomes: TaskOutcome) -> tuple[list[dict[str, Any]], Any]:
    service = FakeService(*outcomes) if outcomes else FakeService()
    execution = execute(single(state), {}, info=INFO, services=service)
    return [request.context for request in service.requests], execution


def test_a_task_without_retry_still_counts_its_attempt() -> None:
    """``State.RetryCount`` is in a Task's context from the first attempt (0), Retry or not.

    Docs: input-output-contextobject.html lists ``State.RetryCount``.

    The AWS-recorded TestState case ``test_state_task_context_object[ALL]`` shows ``"RetryCount": 0``
    for a Task with no Retry field.
    """
    contexts, _execution = _context_seen_by_task({"Type": "Task", "Resource": LAMBDA_INVOKE})

    assert contexts[0]["State"] == {"Name": "S", "EnteredTime": "2024-01-01T00:00:00.000Z", "RetryCount": 0}


def test_retry_count_grows_with_each_retry() -> None:
    """Retry attempts see ``RetryCount`` 1, 2, ... (error-handling.html, input-output-contextobject.html)."""
    state = {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "IntervalSeconds": 1}],
        "ResultSelector": {"retries.$": "$$.State.RetryCount"},
    }
    contexts, execution = _context_seen_by_task(
        state, TaskOutcome.failure("Boom"), TaskOutcome.failure("Boom"), TaskOutcome.success({})
    )

    assert [context["State"]["RetryCount"] for context in contexts] == [0, 1, 2]
    assert execution.output == {"retries": 2}


@pytest.mark.parametrize("state_type", ["Map", "Parallel"])
def test_map_and_parallel_states_count_retries_too(state_type: str) -> None:
    """Map and Parallel take Retry fields (concepts-error-handling.html): ``$$.State`` carries ``RetryCount``."""
    inner = {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": True}}}
    state: dict[str, Any] = {"Type": state_type, "ResultSelector": {"state.$": "$$.State"}}
    if state_type == "Map":
        state.update(ItemsPath="$.items", ItemProcessor=inner)
    else:
        state["Branches"] = [inner]

    execution = execute(single(state), {"items": [1]})

    assert execution.output == {"state": {"Name": "S", "EnteredTime": "2024-01-01T00:00:00.000Z", "RetryCount": 0}}


def test_the_task_token_is_there_for_callback_tasks_only() -> None:
    """``$$.Task.Token`` exists in ``.waitForTaskToken`` tasks (connect-to-resource.html#connect-wait-token)."""
    callback = {"Type": "Task", "Resource": SQS_CALLBACK, "Parameters": {"token.$": "$$.Task.Token"}}
    plain = {"Type": "Task", "Resource": LAMBDA_INVOKE, "Parameters": {"context.$": "$$"}}

    callback_service = FakeService(TaskOutcome(output={"ok": True}, resolves_callback=True))
    execute(single(callback), {}, services=callback_service)
    plain_contexts, _ = _context_seen_by_task(plain)

    request: TaskRequest = callback_service.requests[0]
    assert request.parameters["token"] == request.task_token == request.context["Task"]["Token"]
    assert isinstance(request.task_token, str)
    assert request.task_token
    assert "Task" not in plain_contexts[0]


def test_jsonata_sees_the_task_token_in_states_context() -> None:
    """JSONata reads the same token as ``$states.context.Task.Token`` (input-output-contextobject.html)."""
    state = {"Type": "Task", "Resource": SQS_CALLBACK, "Arguments": {"token": "{% $states.context.Task.Token %}"}}
    service = FakeService(TaskOutcome(output={}, resolves_callback=True))

    execute(single(state, QueryLanguage="JSONata"), {}, services=service)

    assert service.requests[0].parameters == {"token": service.requests[0].task_token}


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["a", "b"], [{"Index": 0, "Value": "a"}, {"Index": 1, "Value": "b"}]),
        ({"x": 1, "y": 2}, [{"Index": 0, "Key": "x", "Value": 1}, {"Index": 1, "Key": "y", "Value": 2}]),
    ],
    ids=["array", "object"],
)
def test_map_item_in_the_item_selector(items: Any, expected: list[dict[str, Any]]) -> None:
    """``$$.Map.Item`` gives each iteration's index and value, and the key for an object's pairs.

    Docs: input-output-itemselector.html ("The $$.Map.Item.Value Context object contains the value of
    each individual data item") and input-output-itemspath.html (an object runs one iteration per pair).
    """
    state = {
        "Type": "Map",
        "ItemsPath": "$.items",
        "ItemSelector": {"item.$": "$$.Map.Item"},
        "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "OutputPath": "$.item", "End": True}}},
    }

    assert execute(single(state), {"items": items}).output == expected


def test_jsonata_map_item_in_the_item_selector() -> None:
    """JSONata: ``$states.context.Map.Item`` holds the same index and value (input-output-itemselector.html)."""
    state = {
        "Type": "Map",
        "Items": "{% $states.input.items %}",
        "ItemSelector": "{% $states.context.Map.Item %}",
        "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": True}}},
    }

    execution = execute(single(state, QueryLanguage="JSONata"), {"items": [10, 20]})

    assert execution.output == [{"Index": 0, "Value": 10}, {"Index": 1, "Value": 20}]


def test_states_inside_an_iteration_see_no_map_field() -> None:
    """``Map.Item`` belongs to the ItemSelector (input-output-itemselector.html); the iteration's own states see the
    execution's context.
    """
    state = {
        "Type": "Map",
        "ItemsPath": "$.items",
        "ItemProcessor": {"StartAt": "X", "States": {"X": {**JSONPATH_WHOLE, "End": True}}},
    }

    execution = execute(single(state), {"items": [1]}, info=INFO)

    (inner,) = execution.output
    assert set(inner) == {"Execution", "StateMachine", "State"}
    assert inner["State"]["Name"] == "X"
    assert inner["Execution"] == _expected_execution({"items": [1]})


def test_entered_time_follows_the_clock() -> None:
    """``State.EnteredTime`` is when the state was entered; ``Execution.StartTime`` stays the start.

    Docs: input-output-contextobject.html.
    """
    definition = machine(
        {
            "W": {"Type": "Wait", "Seconds": 90, "Next": "P"},
            "P": {
                "Type": "Pass",
                "Parameters": {"entered.$": "$$.State.EnteredTime", "started.$": "$$.Execution.StartTime"},
                "End": True,
            },
        }
    )

    assert execute(definition, {}, info=INFO).output == {
        "entered": "2024-01-01T00:01:30.000Z",
        "started": "2024-01-01T00:00:00.000Z",
    }


def test_redrive_time_appears_only_after_a_redrive() -> None:
    """input-output-contextobject.html: "RedriveTime ... is only available if you've redriven an execution"."""
    redriven = ExecutionContextInfo(
        start_time=EPOCH, redrive_count=2, redrive_time=datetime(2024, 1, 3, 4, 5, 6, 789000, tzinfo=UTC)
    )
    never = ExecutionContextInfo(start_time=EPOCH, redrive_time=datetime(2024, 1, 3, tzinfo=UTC))
    express = ExecutionContextInfo(
        start_time=EPOCH, redrive_count=1, redrive_time=datetime(2024, 1, 3, tzinfo=UTC), state_machine_type="EXPRESS"
    )

    seen = execute(single(JSONPATH_WHOLE), {}, info=redriven).output["Execution"]
    assert (seen["RedriveCount"], seen["RedriveTime"]) == (2, "2024-01-03T04:05:06.789Z")
    assert "RedriveTime" not in execute(single(JSONPATH_WHOLE), {}, info=never).output["Execution"]
    assert "RedriveTime" not in execute(single(JSONPATH_WHOLE), {}, info=express).output["Execution"]
