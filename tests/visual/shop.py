"""A small shop workflow and runs of it, shared by the tests of constructs_sfn.visual.

Choice with a Default, a Task with Retry and Catch, a Map over items, Succeed and Fail: every
outcome the graph shows (succeeded, failed, caught, retried, not reached).
"""

from __future__ import annotations

import json
from typing import Any

from constructs_sfn.asl import Execution, StatesError, VirtualClock, parse_definition
from constructs_sfn.asl.model.states import StateMachineDefinition
from constructs_sfn.integrations import TaskServices

FN = "arn:aws:lambda:us-east-1:123456789012:function:"

SHOP: dict[str, Any] = {
    "StartAt": "Validate",
    "States": {
        "Validate": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.total", "NumericGreaterThan": 0, "Next": "Charge"}],
            "Default": "Reject",
        },
        "Reject": {"Type": "Fail", "Error": "Invalid", "Cause": "total must be positive"},
        "Charge": {
            "Type": "Task",
            "Resource": FN + "charge",
            "ResultPath": "$.charge",
            "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2, "IntervalSeconds": 1, "BackoffRate": 1}],
            "Catch": [{"ErrorEquals": ["Declined"], "ResultPath": "$.error", "Next": "Refund"}],
            "Next": "Pack",
        },
        "Refund": {"Type": "Task", "Resource": FN + "refund", "End": True},
        "Pack": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "StartAt": "PackItem",
                "States": {"PackItem": {"Type": "Task", "Resource": FN + "pack", "End": True}},
            },
            "ResultPath": "$.packed",
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


class Busy(Exception):  # noqa: N818 - the class name is the Lambda error name Retry matches
    """The payment service asks to try again."""


class Declined(Exception):  # noqa: N818 - the class name is the Lambda error name Catch matches
    """The card was declined."""


def shop_definition() -> StateMachineDefinition:
    return parse_definition(json.dumps(SHOP))


def shop_run(order: dict[str, Any], *, busy_times: int = 0, decline: bool = False) -> list[dict[str, Any]]:
    """The history events of one run: ``busy_times`` Busy errors before the charge answers."""
    calls = {"charge": 0}

    def charge(event: Any, context: Any) -> Any:
        calls["charge"] += 1
        if calls["charge"] <= busy_times:
            raise Busy("try again")
        if decline:
            raise Declined("card declined")
        return {"paid": event["total"]}

    def pack(event: Any, context: Any) -> Any:
        if event == "glass":
            raise StatesError("Fragile", "glass cannot be packed")
        return {"packed": event}

    services = TaskServices(read_env=False)
    services.bind_lambda("charge", charge).bind_lambda("refund", lambda event, context: {"refunded": True})
    services.bind_lambda("pack", pack)
    execution = Execution(shop_definition(), order, services=services, clock=VirtualClock()).run()
    return execution.events
