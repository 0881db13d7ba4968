"""The worked examples of the developer guide's Map state page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-map-state.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from docs_support import FakeService, Worker, run, succeeded

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"

SHIP_VAL = "arn:aws:lambda:us-east-1:123456789012:function:ship-val"
SHIPPED = [
    {"prod": "R31", "dest-code": 9511, "quantity": 1344},
    {"prod": "S39", "dest-code": 9511, "quantity": 40},
    {"prod": "R31", "dest-code": 9833, "quantity": 12},
    {"prod": "R40", "dest-code": 9860, "quantity": 887},
    {"prod": "R40", "dest-code": 9511, "quantity": 1220},
]
INPUT = {"ship-date": "2016-03-14T01:59:00Z", "detail": {"delivery-partner": "UQS", "shipped": SHIPPED}}
ITERATOR = {"StartAt": "Validate", "States": {"Validate": {"Type": "Task", "Resource": SHIP_VAL, "End": True}}}


def validate_all(**extra: Any) -> dict[str, Any]:
    """The page's ``Validate-All`` state as a one-state machine."""
    state = {
        "Type": "Map",
        "InputPath": "$.detail",
        "ItemsPath": "$.shipped",
        "MaxConcurrency": 0,
        "Iterator": ITERATOR,
        "ResultPath": "$.detail.shipped",
        "End": True,
        **extra,
    }
    return {"StartAt": "Validate-All", "States": {"Validate-All": state}}


def test_each_item_of_items_path_is_one_invocation() -> None:
    """The page's first example: ``ship-val`` is called once per element of ``detail.shipped`` with
    that element as its input; ResultPath ``$.detail.shipped`` overwrites the array (in the raw
    input) with the array of iteration outputs.
    """
    worker = Worker(lambda item: {"valid": item["quantity"] < 1000, "prod": item["prod"]})

    output = succeeded(validate_all(), INPUT, worker=worker)

    assert sorted(map(repr, worker.inputs)) == sorted(map(repr, SHIPPED))
    assert output == {
        "ship-date": "2016-03-14T01:59:00Z",
        "detail": {
            "delivery-partner": "UQS",
            "shipped": [{"valid": item["quantity"] < 1000, "prod": item["prod"]} for item in SHIPPED],
        },
    }


def test_parameters_combine_the_item_and_a_field_of_the_map_input() -> None:
    """The page's second example: ``parcel`` from ``$$.Map.Item.Value`` and ``courier`` from the Map
    state's effective input (after InputPath), for every iteration.
    """
    worker = Worker(lambda event: event)
    parameters = {"parcel.$": "$$.Map.Item.Value", "courier.$": "$.delivery-partner"}

    output = succeeded(validate_all(Parameters=parameters), INPUT, worker=worker)

    assert {"parcel": SHIPPED[0], "courier": "UQS"} in worker.inputs
    assert output["detail"]["shipped"] == [{"parcel": item, "courier": "UQS"} for item in SHIPPED]
    assert output["ship-date"] == "2016-03-14T01:59:00Z"


def test_max_concurrency_one_runs_the_items_in_order() -> None:
    """``MaxConcurrency`` 1 runs one iteration at a time, in the order of the array."""
    worker = Worker(lambda item: item["prod"])

    output = succeeded(validate_all(MaxConcurrency=1), INPUT, worker=worker)

    assert worker.inputs == SHIPPED
    assert output["detail"]["shipped"] == [item["prod"] for item in SHIPPED]


def test_without_items_path_the_input_must_be_the_array() -> None:
    """``ItemsPath`` defaults to ``$``: the whole effective input is the array of items; the Map
    state's output is the array of iteration outputs.
    """
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }

    assert succeeded(definition, [1, "two", {"three": 3}]) == [1, "two", {"three": 3}]


def test_items_path_that_is_not_an_array_fails_the_state() -> None:
    """The 2023 page says ItemsPath must identify a JSON array; the current page
    (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemspath.html) also accepts an
    object (one iteration per key-value pair, tested in tests/asl/runtime/test_map_input.py). Any
    other value, here a string, fails the execution with ``States.Runtime`` naming the path.
    """
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.ship-date",
                "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }

    execution = run(definition, INPUT)

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "$.ship-date" in (execution.cause or "")


def test_one_failing_iteration_fails_the_map_state() -> None:
    """If any iteration fails, the whole Map state fails (here: the execution, with that error)."""

    def validate(request: TaskRequest) -> TaskOutcome:
        if request.parameters["prod"] == "S39":
            return TaskOutcome.failure("InvalidProduct", "S39 is not valid")
        return TaskOutcome.success(request.parameters)

    worker = FakeService(validate)

    execution = run(validate_all(MaxConcurrency=1), INPUT, worker=worker)

    assert (execution.status, execution.error, execution.cause) == ("FAILED", "InvalidProduct", "S39 is not valid")
    # MaxConcurrency 1: nothing after the failing second item was started.
    assert [request.parameters["prod"] for request in worker.requests] == ["R31", "S39"]


@pytest.mark.parametrize("value", [1.5, 2.0, "two"])
def test_max_concurrency_from_a_path_must_be_an_integer(value: Any) -> None:
    """``MaxConcurrency``'s value is an integer; read through ``MaxConcurrencyPath`` anything else
    (a fraction, a JSON number written with a decimal point, a word) fails the state with
    ``States.Runtime``, in the form the conformance corpus records for a non-number
    ("The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: <path>").
    """
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrencyPath": "$.limit",
                "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "ItemsPath": "$.items",
                "End": True,
            }
        },
    }

    execution = run(definition, {"limit": value, "items": [1, 2]})

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert f'The MaxConcurrencyPath field refers to value "{value}" which is not a valid integer: $.limit' in (
        execution.cause or ""
    )


def test_max_concurrency_from_a_path_applies() -> None:
    """An integer read through ``MaxConcurrencyPath`` limits the iterations like the static field."""
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrencyPath": "$.limit",
                "Iterator": ITERATOR,
                "ItemsPath": "$.items",
                "End": True,
            }
        },
    }
    worker = Worker(lambda item: item["prod"])

    output = succeeded(definition, {"limit": 1, "items": SHIPPED}, worker=worker)

    assert worker.inputs == SHIPPED
    assert output == [item["prod"] for item in SHIPPED]


def test_a_jsonata_max_concurrency_must_be_a_whole_number() -> None:
    """The same holds for a JSONata ``MaxConcurrency`` expression: 1.5 is no concurrency limit, so the
    Map state fails instead of rounding it.
    """
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Items": [1, 2],
                "MaxConcurrency": "{% 1.5 %}",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }

    execution = run(definition, {})

    assert execution.status == "FAILED"
    assert "MaxConcurrency" in (execution.cause or "")
    assert "1.5" in (execution.cause or "")


def map_with_a_waiting_and_a_failing_iteration() -> tuple[LocalStepFunctions, str, list[str]]:
    """A Map over ``[1, 2]``: item 1 waits for a callback, item 2 fails after a 5-second Wait. Returns
    the client (the clock already past the failure), the execution ARN and the callback tokens.
    """
    tokens: list[str] = []

    def answer(request: TaskRequest) -> TaskOutcome:
        if request.task_token:
            tokens.append(request.task_token)
            return TaskOutcome.success({"MessageId": "m"})
        return TaskOutcome.failure("Item.Invalid", f"item {request.parameters}")

    waiting = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
            "MessageBody.$": "$$.Task.Token",
        },
        "End": True,
    }
    iterator = {
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "Ask"}],
                "Default": "Slow",
            },
            "Ask": waiting,
            "Slow": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
            "Check": {"Type": "Task", "Resource": SHIP_VAL, "End": True},
        },
    }
    definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "Iterator": iterator, "End": True}}}
    client = LocalStepFunctions(services=FakeService(answer), pause_at_timers=True)
    arn = client.create_state_machine(name="map-stop", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    run_arn = client.start_execution(stateMachineArn=arn, input="[1, 2]")["executionArn"]
    client.advance_clock(5)
    return client, run_arn, tokens


def test_a_failing_iteration_stops_the_others() -> None:
    """ "If any iteration fails, the entire Map state fails, and all iterations are terminated": the
    Map fails with the iteration's error, and the iteration still waiting for its callback is stopped,
    so its task token is refused afterwards.
    """
    client, run_arn, tokens = map_with_a_waiting_and_a_failing_iteration()

    described = client.describe_execution(executionArn=run_arn)
    assert (described["status"], described["error"]) == ("FAILED", "Item.Invalid")
    (token,) = tokens
    with pytest.raises(ClientError):
        client.send_task_success(taskToken=token, output="{}")


def test_the_terminated_iterations_are_recorded_as_aborted() -> None:
    """The terminated iteration shows in the history as ``MapIterationAborted`` (the event type the
    API reference lists for "an iteration of a Map state that was aborted"), before ``MapStateFailed``.
    """
    client, run_arn, _tokens = map_with_a_waiting_and_a_failing_iteration()

    history = [event["type"] for event in client.get_execution_history(executionArn=run_arn)["events"]]
    assert "MapIterationFailed" in history
    assert "MapIterationAborted" in history
    assert history.index("MapIterationAborted") < history.index("MapStateFailed")
