"""A failed Parallel stops all of its branches, including work they started themselves.

AWS Step Functions developer guide, "Parallel workflow state": "If any branch fails, because of an
unhandled error or by transitioning to a Fail state, the entire Parallel state fails and all of its
branches are stopped." A branch that is stopped while a Map inside it is iterating must not go on
iterating (or writing history) after the Parallel has failed, even when a Catch lets the execution
continue.
"""

from __future__ import annotations

from typing import Any

from constructs_sfn.asl import Execution, parse_definition


def _definition(inner: dict[str, Any]) -> dict[str, Any]:
    return {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Next": "Later",
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Later"}],
                "Branches": [
                    {
                        "StartAt": "Pause",
                        "States": {
                            "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Boom"},
                            "Boom": {"Type": "Fail", "Error": "Branch.Failed"},
                        },
                    },
                    {"StartAt": "Work", "States": {"Work": inner}},
                ],
            },
            "Later": {"Type": "Wait", "Seconds": 60, "End": True},
        },
    }


SLOW_MAP = {
    "Type": "Map",
    "MaxConcurrency": 1,
    "ItemsPath": "$.items",
    "End": True,
    "ItemProcessor": {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 10, "End": True}}},
}


def _types_after_failure(events: list[dict[str, Any]]) -> list[str]:
    types = [event["type"] for event in events]
    return types[types.index("ParallelStateFailed") :]


def test_a_map_in_another_branch_stops_iterating() -> None:
    run = Execution(parse_definition(_definition(SLOW_MAP)), {"items": [1, 2, 3, 4]}).run()
    assert run.status == "SUCCEEDED"
    assert _types_after_failure(run.events) == [
        "ParallelStateFailed",
        "ParallelStateExited",
        "WaitStateEntered",
        "WaitStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["type"] for e in run.events].count("MapIterationStarted") == 1


def test_a_nested_parallel_in_another_branch_stops_too() -> None:
    nested = {
        "Type": "Parallel",
        "End": True,
        "Branches": [
            {
                "StartAt": "Long",
                "States": {
                    "Long": {"Type": "Wait", "Seconds": 30, "Next": "Tail"},
                    "Tail": {"Type": "Pass", "End": True},
                },
            }
        ],
    }
    run = Execution(parse_definition(_definition(nested)), {}).run()
    assert run.status == "SUCCEEDED"
    entered = [e["stateEnteredEventDetails"]["name"] for e in run.events if "stateEnteredEventDetails" in e]
    assert "Tail" not in entered
    assert _types_after_failure(run.events)[-1] == "ExecutionSucceeded"
