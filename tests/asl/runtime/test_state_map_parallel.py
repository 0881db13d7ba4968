"""Map (inline and distributed) and Parallel: outputs, concurrency, failures, events and scoping."""

from __future__ import annotations

from typing import Any

import pytest
from runtime_support import (
    EPOCH,
    SQS_CALLBACK,
    FakeService,
    assert_well_formed,
    details,
    execute,
    machine,
    of_type,
    offsets,
    one,
    single,
    types,
)

PASS_THROUGH: dict[str, Any] = {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}}


def waiting(seconds: int) -> dict[str, Any]:
    """A processor that waits (so it yields to the scheduler) and passes its item on."""
    return {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": seconds, "End": True}}}


def map_state(processor: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    return {"Type": "Map", "ItemProcessor": processor or PASS_THROUGH, **fields}


def failing_on(value: int, wait: int = 0) -> dict[str, Any]:
    """A processor failing with ``Big`` for items greater than ``value`` (after ``wait`` seconds)."""
    states: dict[str, Any] = {
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$", "NumericGreaterThan": value, "Next": "Fail"}],
            "Default": "Ok",
        },
        "Ok": {"Type": "Pass", "End": True},
        "Fail": {"Type": "Fail", "Error": "Big", "Cause": "too big"},
    }
    if wait:
        states = {"Wait": {"Type": "Wait", "Seconds": wait, "Next": "Check"}, **states}
    return {"StartAt": next(iter(states)), "States": states}


class TestInlineMap:
    def test_items_path_item_selector_and_context(self) -> None:
        state = map_state(
            MaxConcurrency=1,
            ItemsPath="$.items",
            ItemSelector={"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "shared.$": "$.shared"},
            ResultPath="$.results",
        )

        execution = execute(single(state), {"items": ["a", "b"], "shared": 7})

        assert execution.status == "SUCCEEDED"
        assert execution.output == {
            "items": ["a", "b"],
            "shared": 7,
            "results": [{"index": 0, "value": "a", "shared": 7}, {"index": 1, "value": "b", "shared": 7}],
        }

    def test_legacy_iterator_and_parameters(self) -> None:
        state = {
            "Type": "Map",
            "MaxConcurrency": 1,
            "Parameters": {"i.$": "$$.Map.Item.Index"},
            "Iterator": PASS_THROUGH,
        }

        assert execute(single(state), [10, 20]).output == [{"i": 0}, {"i": 1}]

    def test_result_selector_sees_the_array_of_results(self) -> None:
        state = map_state(MaxConcurrency=1, ResultSelector={"first.$": "$[0]", "all.$": "$"})

        assert execute(single(state), [3, 4]).output == {"first": 3, "all": [3, 4]}

    def test_outputs_keep_item_order_whatever_the_finishing_order(self) -> None:
        processor = {
            "StartAt": "Wait",
            "States": {"Wait": {"Type": "Wait", "SecondsPath": "$", "End": True}},
        }

        execution = execute(single(map_state(processor)), [30, 10, 20])

        assert execution.output == [30, 10, 20]
        assert offsets([execution.events[-1]]) == [30]

    @pytest.mark.parametrize(("max_concurrency", "seconds"), [(0, 10), (1, 40), (2, 20), (3, 20), (10, 10)])
    def test_max_concurrency_bounds_parallel_iterations(self, max_concurrency: int, seconds: int) -> None:
        execution = execute(single(map_state(waiting(10), MaxConcurrency=max_concurrency)), [1, 2, 3, 4])

        assert execution.output == [1, 2, 3, 4]
        assert offsets([execution.events[-1]]) == [seconds]

    @pytest.mark.parametrize("max_concurrency", [0, 1, 40])
    def test_thousands_of_instant_iterations(self, max_concurrency: int) -> None:
        execution = execute(single(map_state(MaxConcurrency=max_concurrency)), list(range(2000)))

        assert execution.status == "SUCCEEDED"
        assert execution.output == list(range(2000))
        assert len(of_type(execution, "MapIterationSucceeded")) == 2000

    def test_an_empty_array_maps_to_an_empty_array(self) -> None:
        execution = execute(single(map_state(MaxConcurrency=1)), [])

        assert execution.output == []
        assert types(execution) == [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded",
        ]
        assert details(one(execution, "MapStateStarted")) == {"length": 0}

    def test_input_that_is_not_an_array_fails(self) -> None:
        # An object would iterate its key-value pairs (ItemsPath page); a scalar cannot be iterated.
        execution = execute(single(map_state(MaxConcurrency=1)), "text")

        assert execution.error == "States.Runtime"
        assert "Map state input must be an array" in (execution.cause or "")

    def test_items_path_to_a_non_array_fails(self) -> None:
        execution = execute(single(map_state(MaxConcurrency=1, ItemsPath="$.a")), {"a": 1})

        assert execution.error == "States.Runtime"

    def test_iteration_events(self) -> None:
        execution = execute(single(map_state(MaxConcurrency=1)), ["x", "y"])

        assert types(execution) == [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded",
        ]
        assert details(one(execution, "MapStateStarted")) == {"length": 2}
        assert [details(e) for e in of_type(execution, "MapIterationStarted")] == [
            {"index": 0, "name": "S"},
            {"index": 1, "name": "S"},
        ]
        assert [details(e) for e in of_type(execution, "MapIterationSucceeded")] == [
            {"index": 0, "name": "S"},
            {"index": 1, "name": "S"},
        ]
        assert [details(e)["input"] for e in of_type(execution, "PassStateEntered")] == ['"x"', '"y"']
        assert_well_formed(execution)

    def test_default_concurrency_with_instant_iterations(self) -> None:
        execution = execute(single(map_state()), [1, 2, 3])

        assert execution.output == [1, 2, 3]

    def test_the_first_failing_iteration_fails_the_map(self) -> None:
        execution = execute(single(map_state(failing_on(1), MaxConcurrency=1)), [1, 2, 3])

        assert (execution.status, execution.error, execution.cause) == ("FAILED", "Big", "too big")
        assert [details(e)["index"] for e in of_type(execution, "MapIterationStarted")] == [0, 1]
        assert [details(e) for e in of_type(execution, "MapIterationFailed")] == [{"index": 1, "name": "S"}]
        assert types(execution)[-3:] == ["MapIterationFailed", "MapStateFailed", "ExecutionFailed"]

    def test_a_failure_cancels_running_iterations(self) -> None:
        processor = {
            "StartAt": "Check",
            "States": {
                "Check": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Fail"}],
                    "Default": "Slow",
                },
                "Slow": {"Type": "Wait", "Seconds": 1000, "End": True},
                "Fail": {"Type": "Wait", "Seconds": 5, "Next": "Boom"},
                "Boom": {"Type": "Fail", "Error": "Boom"},
            },
        }

        execution = execute(single(map_state(processor)), [0, 1, 2])

        assert execution.error == "Boom"
        assert execution.stop_date is not None
        assert (execution.stop_date - EPOCH).total_seconds() == 5
        # Only the failing iteration's 5-second Wait ever finished; the 1000-second ones were cancelled.
        assert [details(e)["name"] for e in of_type(execution, "WaitStateExited")] == ["Fail"]

    def test_catch_on_a_map(self) -> None:
        definition = machine(
            {
                "M": map_state(
                    failing_on(0, wait=1),
                    Catch=[{"ErrorEquals": ["Big"], "Next": "H", "ResultPath": "$.error"}],
                    ItemsPath="$.items",
                    End=True,
                ),
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition, {"items": [1]})

        assert execution.output == {"items": [1], "error": {"Error": "Big", "Cause": "too big"}}

    def test_a_caught_map_failure_records_map_state_failed(self) -> None:
        definition = machine(
            {
                "M": map_state(
                    failing_on(0), MaxConcurrency=1, Catch=[{"ErrorEquals": ["Big"], "Next": "H"}], End=True
                ),
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition, [1])

        assert types(execution)[-6:] == [
            "MapIterationFailed",
            "MapStateFailed",
            "MapStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]

    def test_retry_reruns_the_whole_map(self) -> None:
        state = map_state(failing_on(0), MaxConcurrency=1, Retry=[{"ErrorEquals": ["Big"], "MaxAttempts": 2}])

        execution = execute(single(state), [1])

        assert execution.status == "FAILED"
        assert len(of_type(execution, "MapStateStarted")) == 3
        assert len(of_type(execution, "MapIterationFailed")) == 3
        assert len(of_type(execution, "MapStateFailed")) == 1
        assert offsets(of_type(execution, "MapStateStarted")) == [0, 1, 3]

    def test_nested_maps(self) -> None:
        inner = map_state(MaxConcurrency=1, ItemSelector={"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"})
        inner["End"] = True
        outer = map_state({"StartAt": "Inner", "States": {"Inner": inner}}, MaxConcurrency=1)

        execution = execute(single(outer), [["a"], ["b", "c"]])

        assert execution.output == [[{"v": "a", "i": 0}], [{"v": "b", "i": 0}, {"v": "c", "i": 1}]]

    def test_jsonata_items_and_item_selector(self) -> None:
        state = map_state(
            MaxConcurrency=1,
            Items="{% $states.input.xs %}",
            ItemSelector={"doubled": "{% $states.context.Map.Item.Value * 2 %}"},
            End=True,
        )

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"xs": [1, 2]})

        assert execution.output == [{"doubled": 2}, {"doubled": 4}]


class TestDistributedMap:
    def distributed(self, **fields: Any) -> dict[str, Any]:
        processor = failing_on(2, wait=1)
        processor["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
        return single(map_state(processor, **fields))

    def test_failures_within_the_tolerated_count(self) -> None:
        execution = execute(self.distributed(ToleratedFailureCount=2), [1, 2, 3, 4])

        assert execution.status == "SUCCEEDED"
        assert execution.output[:2] == [1, 2]
        assert types(execution) == [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded",
        ]
        assert details(one(execution, "MapRunStarted"))["mapRunArn"].startswith(
            "arn:aws:states:us-east-1:123456789012:mapRun:LocalStateMachine/S:"
        )

    @pytest.mark.parametrize("tolerance", [{"ToleratedFailureCount": 1}, {"ToleratedFailurePercentage": 25}])
    def test_failures_beyond_the_tolerance(self, tolerance: dict[str, Any]) -> None:
        execution = execute(self.distributed(**tolerance), [1, 2, 3, 4])

        assert execution.error == "States.ExceedToleratedFailureThreshold"
        assert execution.cause == "The specified tolerated failure threshold was exceeded"
        assert types(execution)[-3:] == ["MapRunFailed", "MapStateFailed", "ExecutionFailed"]

    def test_the_tolerated_percentage_is_inclusive(self) -> None:
        execution = execute(self.distributed(ToleratedFailurePercentage=50), [1, 2, 3, 4])

        assert execution.status == "SUCCEEDED"

    def test_negative_tolerated_count_from_a_path(self) -> None:
        execution = execute(
            self.distributed(ToleratedFailureCountPath="$.n", ItemsPath="$.items"), {"n": -1, "items": []}
        )

        assert execution.cause == (
            "An error occurred while executing the state 'S' (entered at the event id #2). "
            "ToleratedFailureCount cannot be negative."
        )


class TestParallel:
    def test_outputs_in_branch_order_and_shared_input(self) -> None:
        branches = [
            {
                "StartAt": "W0",
                "States": {
                    "W0": {"Type": "Wait", "Seconds": 30, "Next": "P0"},
                    "P0": {"Type": "Pass", "Parameters": {"in.$": "$.v"}, "End": True},
                },
            },
            {
                "StartAt": "W1",
                "States": {
                    "W1": {"Type": "Wait", "Seconds": 10, "Next": "P1"},
                    "P1": {"Type": "Pass", "Result": "one", "End": True},
                },
            },
        ]

        execution = execute(single({"Type": "Parallel", "Branches": branches}), {"v": 5})

        assert execution.output == [{"in": 5}, "one"]
        assert offsets([execution.events[-1]]) == [30]
        # Branch events interleave in time order: the 10-second branch finishes first.
        assert [details(e)["name"] for e in of_type(execution, "PassStateExited")] == ["P1", "P0"]

    def test_parameters_become_every_branch_input(self) -> None:
        state = {
            "Type": "Parallel",
            "Parameters": {"x.$": "$.a"},
            "Branches": [{"StartAt": "B0", "States": {"B0": {"Type": "Wait", "Seconds": 1, "End": True}}}],
            "ResultSelector": {"first.$": "$[0]"},
        }

        assert execute(single(state), {"a": 9}).output == {"first": {"x": 9}}

    def test_events(self) -> None:
        state = {
            "Type": "Parallel",
            "Branches": [{"StartAt": "B0", "States": {"B0": {"Type": "Pass", "End": True}}}],
        }

        execution = execute(single(state), {"a": 1})

        assert types(execution) == [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "PassStateEntered",
            "PassStateExited",
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "ExecutionSucceeded",
        ]
        assert "parallelStateStartedEventDetails" not in one(execution, "ParallelStateStarted")
        assert_well_formed(execution)

    def test_two_instant_branches(self) -> None:
        state = {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "B0", "States": {"B0": {"Type": "Pass", "Result": 0, "End": True}}},
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Result": 1, "End": True}}},
            ],
        }

        assert execute(single(state)).output == [0, 1]

    def test_a_failing_branch_fails_the_state_and_stops_the_others(self) -> None:
        state = {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 1000, "End": True}}},
                {"StartAt": "Fail", "States": {"Fail": {"Type": "Fail", "Error": "Branch.Error", "Cause": "c"}}},
            ],
        }

        execution = execute(single(state))

        assert (execution.status, execution.error, execution.cause) == ("FAILED", "Branch.Error", "c")
        assert types(execution)[-2:] == ["ParallelStateFailed", "ExecutionFailed"]
        assert "WaitStateExited" not in types(execution)
        assert execution.stop_date == EPOCH

    def test_retry_restarts_every_branch(self) -> None:
        state = {
            "Type": "Parallel",
            "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}],
            "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 2}],
        }

        execution = execute(single(state))

        assert types(execution) == [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "FailStateEntered",
            "ParallelStateStarted",
            "FailStateEntered",
            "ParallelStateStarted",
            "FailStateEntered",
            "ParallelStateFailed",
            "ExecutionFailed",
        ]
        assert [e["previousEventId"] for e in execution.events] == [0, 0, 2, 3, 4, 5, 6, 7, 8, 9]

    def test_a_caught_parallel_failure_records_parallel_state_failed(self) -> None:
        definition = machine(
            {
                "P": {
                    "Type": "Parallel",
                    "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}],
                    "End": True,
                },
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition)

        assert [(e["id"], e["previousEventId"], e["type"]) for e in execution.events] == [
            (1, 0, "ExecutionStarted"),
            (2, 0, "ParallelStateEntered"),
            (3, 2, "ParallelStateStarted"),
            (4, 3, "FailStateEntered"),
            (5, 4, "ParallelStateFailed"),
            (6, 5, "ParallelStateExited"),
            (7, 6, "PassStateEntered"),
            (8, 7, "PassStateExited"),
            (9, 8, "ExecutionSucceeded"),
        ]

    def test_branches_can_pause_on_callbacks(self) -> None:
        service = FakeService()
        state = {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": SQS_CALLBACK, "End": True}}},
                {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 5, "End": True}}},
            ],
        }

        execution = execute(single(state), {"in": 1}, services=service)

        assert execution.status == "RUNNING"
        execution.send_task_success(service.requests[0].task_token or "", '"done"')
        assert execution.output == ["done", {"in": 1}]


class TestVariableScopes:
    def test_iterations_read_outer_variables_and_their_writes_stay_inside(self) -> None:
        definition = machine(
            {
                "Set": {"Type": "Pass", "Assign": {"bias": 10}, "Next": "M"},
                "M": map_state(
                    {
                        "StartAt": "Inner",
                        "States": {
                            "Inner": {
                                "Type": "Pass",
                                "Assign": {"innerOnly.$": "$bias"},
                                "Parameters": {"v.$": "$", "bias.$": "$bias"},
                                "End": True,
                            }
                        },
                    },
                    MaxConcurrency=1,
                    Next="After",
                ),
                "After": {"Type": "Pass", "Parameters": {"leaked.$": "$innerOnly"}, "End": True},
            }
        )

        execution = execute(definition, [1, 2])

        # Inside: the outer variable is visible.
        assert [details(e)["output"] for e in of_type(execution, "PassStateExited")][1:3] == [
            '{"v":1,"bias":10}',
            '{"v":2,"bias":10}',
        ]
        # Outside: the inner assignment never existed.
        assert execution.status == "FAILED"
        assert execution.error == "States.Runtime"
        assert "'$innerOnly'" in (execution.cause or "")

    def test_parallel_branches_read_outer_variables(self) -> None:
        definition = machine(
            {
                "Set": {"Type": "Pass", "Assign": {"who": "outer"}, "Next": "P"},
                "P": {
                    "Type": "Parallel",
                    "Branches": [
                        {
                            "StartAt": "B",
                            "States": {
                                "B": {"Type": "Wait", "Seconds": 1, "Next": "C"},
                                "C": {"Type": "Pass", "Parameters": {"who.$": "$who"}, "End": True},
                            },
                        }
                    ],
                    "End": True,
                },
            }
        )

        assert execute(definition).output == [{"who": "outer"}]
