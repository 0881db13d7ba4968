"""The worked examples of the developer guide's context object page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
"""

from __future__ import annotations

from datetime import timedelta

from docs_support import Worker, succeeded

from constructs_sfn.asl import Execution, ExecutionContextInfo, VirtualClock, parse_definition

EXECUTION_ARN = "arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName"
STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:stateMachineName"


def test_parameters_select_the_execution_arn_with_a_double_dollar_path() -> None:
    """The page's SQS example: ``"Execution.$": "$$.Execution.Id"`` inside ``MessageBody`` puts the
    execution's ARN in the message; the other fields are copied as written.
    """
    definition = {
        "StartAt": "Order Flight Ticket Queue",
        "States": {
            "Order Flight Ticket Queue": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                "Parameters": {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/flight-purchase",
                    "MessageBody": {"From": "YVR", "To": "SEA", "Execution.$": "$$.Execution.Id"},
                },
                "Next": "NEXT_STATE",
            },
            "NEXT_STATE": {"Type": "Succeed"},
        },
    }
    worker = Worker(lambda _parameters: {"MessageId": "m-1"})
    info = ExecutionContextInfo(execution_arn=EXECUTION_ARN, state_machine_arn=STATE_MACHINE_ARN)

    execution = Execution(parse_definition(definition), {}, info=info, services=worker, clock=VirtualClock.fixed())
    execution.run()

    assert execution.status == "SUCCEEDED"
    assert worker.inputs == [
        {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/flight-purchase",
            "MessageBody": {"From": "YVR", "To": "SEA", "Execution": EXECUTION_ARN},
        }
    ]


def test_context_object_fields_and_formats() -> None:
    """The page's running-execution sample: ``Execution`` (Id, Input, Name, RoleArn, StartTime),
    ``State`` (EnteredTime, Name, RetryCount in a Task), ``StateMachine`` (Id, Name); times are ISO 8601
    with milliseconds and ``Z``, as in ``2019-03-26T20:14:13.192Z``.
    """
    clock = VirtualClock.fixed()
    start = clock.now() + timedelta(milliseconds=192)
    info = ExecutionContextInfo(
        execution_arn=EXECUTION_ARN,
        execution_name="executionName",
        state_machine_arn=STATE_MACHINE_ARN,
        state_machine_name="name",
        role_arn="arn:aws:iam::123456789012:role/Example",
        start_time=start,
    )
    definition = {
        "StartAt": "Test",
        "States": {
            "Test": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": True}
        },
    }
    worker = Worker(lambda _parameters: "ok")

    execution = Execution(parse_definition(definition), {"key": "value"}, info=info, services=worker, clock=clock)
    execution.run()
    context = worker.requests[0].context

    assert context["Execution"]["Id"] == EXECUTION_ARN
    assert context["Execution"]["Input"] == {"key": "value"}
    assert context["Execution"]["Name"] == "executionName"
    assert context["Execution"]["RoleArn"] == "arn:aws:iam::123456789012:role/Example"
    assert context["Execution"]["StartTime"] == start.strftime("%Y-%m-%dT%H:%M:%S.192Z")
    assert context["State"]["Name"] == "Test"
    assert context["State"]["RetryCount"] == 0
    assert context["State"]["EnteredTime"].endswith("Z")
    assert context["StateMachine"] == {"Id": STATE_MACHINE_ARN, "Name": "name"}


def test_map_parameters_see_the_item_index_and_value() -> None:
    """The page's Map example: ``$$.Map.Item.Index`` and ``$$.Map.Item.Value`` in the Map state's
    Parameters give each iteration its position and its element.
    """
    definition = {
        "StartAt": "ExampleMapState",
        "States": {
            "ExampleMapState": {
                "Type": "Map",
                "Parameters": {"ContextIndex.$": "$$.Map.Item.Index", "ContextValue.$": "$$.Map.Item.Value"},
                "Iterator": {"StartAt": "TestPass", "States": {"TestPass": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }

    output = succeeded(definition, [{"who": "bob"}, {"who": "meg"}, {"who": "joe"}])

    assert output == [
        {"ContextValue": {"who": "bob"}, "ContextIndex": 0},
        {"ContextValue": {"who": "meg"}, "ContextIndex": 1},
        {"ContextValue": {"who": "joe"}, "ContextIndex": 2},
    ]


def test_a_pass_state_has_no_task_node() -> None:
    """Outside a Task state there is no ``Task`` data (the page says its value is null there): a
    Pass state's ``$$`` has no ``Task`` token.
    """
    output = succeeded({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}}})

    assert output["c"].get("Task") is None
