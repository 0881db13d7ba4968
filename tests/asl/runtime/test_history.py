"""Execution history: GetExecutionHistory's event shapes, ids and previousEventId chains."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from runtime_support import EPOCH, chain, details, execute, machine, of_type, one, single, types

from constructs_sfn.asl import ExecutionContextInfo
from constructs_sfn.asl.runtime.history import NOT_TRUNCATED, History


class TestHistoryRecord:
    def test_ids_count_from_one_and_link_to_their_previous_event(self) -> None:
        history = History()

        first = history.add("ExecutionStarted", EPOCH, 0, {"input": "{}"})
        second = history.add("PassStateEntered", EPOCH, 0, {"name": "A"})
        third = history.add("PassStateExited", EPOCH + timedelta(seconds=1), second)

        assert (first, second, third) == (1, 2, 3)
        assert history.last_id == 3
        assert history.events[2] == {
            "timestamp": EPOCH + timedelta(seconds=1),
            "type": "PassStateExited",
            "id": 3,
            "previousEventId": 2,
        }

    @pytest.mark.parametrize(
        ("event_type", "key"),
        [
            ("ExecutionStarted", "executionStartedEventDetails"),
            ("ExecutionTimedOut", "executionTimedOutEventDetails"),
            ("TaskStateEntered", "stateEnteredEventDetails"),
            ("MapStateExited", "stateExitedEventDetails"),
            ("MapIterationStarted", "mapIterationStartedEventDetails"),
            ("MapStateStarted", "mapStateStartedEventDetails"),
            ("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails"),
            ("TaskSubmitted", "taskSubmittedEventDetails"),
            ("EvaluationFailed", "evaluationFailedEventDetails"),
        ],
    )
    def test_details_live_under_the_aws_key(self, event_type: str, key: str) -> None:
        history = History()

        history.add(event_type, EPOCH, 0, {"x": 1})

        assert history.events[0][key] == {"x": 1}

    def test_the_default_limit_is_aws_s_25000_events(self) -> None:
        assert History().limit == 25_000


class TestExecutionEvents:
    def test_a_linear_execution(self) -> None:
        definition = machine(
            {
                "First": {"Type": "Pass", "Result": {"n": 1}, "Next": "Second"},
                "Second": {"Type": "Pass", "InputPath": "$.n", "End": True},
            }
        )
        info = ExecutionContextInfo(role_arn="arn:aws:iam::1:role/R")

        execution = execute(definition, {"start": True}, info=info)

        assert chain(execution) == [
            (1, 0, "ExecutionStarted"),
            (2, 0, "PassStateEntered"),
            (3, 2, "PassStateExited"),
            (4, 3, "PassStateEntered"),
            (5, 4, "PassStateExited"),
            (6, 5, "ExecutionSucceeded"),
        ]
        events = execution.events
        assert details(events[0]) == {
            "input": '{"start":true}',
            "inputDetails": {"truncated": False},
            "roleArn": "arn:aws:iam::1:role/R",
        }
        assert details(events[1]) == {"name": "First", "input": '{"start":true}', "inputDetails": {"truncated": False}}
        assert details(events[2]) == {"name": "First", "output": '{"n":1}', "outputDetails": {"truncated": False}}
        assert details(events[3])["input"] == '{"n":1}'
        assert details(events[4])["output"] == "1"
        assert details(events[5]) == {"output": "1", "outputDetails": {"truncated": False}}

    def test_timestamps_are_timezone_aware_clock_instants(self) -> None:
        execution = execute(single({"Type": "Wait", "Seconds": 90}))

        stamps = [event["timestamp"] for event in execution.events]
        assert all(isinstance(s, datetime) and s.tzinfo is not None for s in stamps)
        assert stamps == [EPOCH, EPOCH, EPOCH + timedelta(seconds=90), EPOCH + timedelta(seconds=90)]
        assert stamps[-1].astimezone(UTC) == execution.stop_date

    def test_assigned_variables_are_json_text(self) -> None:
        state = {"Type": "Pass", "Assign": {"n": 1, "s": "x", "o": {"a": [True, None]}}}

        execution = execute(single(state))

        exited = details(one(execution, "PassStateExited"))
        assert exited["assignedVariables"] == {"n": "1", "s": '"x"', "o": '{"a":[true,null]}'}
        assert exited["assignedVariablesDetails"] == {"truncated": False}

    def test_a_state_without_assign_records_no_assigned_variables(self) -> None:
        execution = execute(single({"Type": "Pass"}))

        assert "assignedVariables" not in details(one(execution, "PassStateExited"))

    def test_choice_events(self) -> None:
        definition = machine(
            {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.go", "BooleanEquals": True, "Next": "Yes"}],
                    "Default": "No",
                },
                "Yes": {"Type": "Succeed"},
                "No": {"Type": "Fail"},
            }
        )

        execution = execute(definition, {"go": True})

        assert chain(execution) == [
            (1, 0, "ExecutionStarted"),
            (2, 0, "ChoiceStateEntered"),
            (3, 2, "ChoiceStateExited"),
            (4, 3, "SucceedStateEntered"),
            (5, 4, "SucceedStateExited"),
            (6, 5, "ExecutionSucceeded"),
        ]

    def test_failure_events_carry_error_and_cause(self) -> None:
        execution = execute(single({"Type": "Fail", "Error": "E", "Cause": "C"}))

        assert chain(execution)[-1] == (3, 2, "ExecutionFailed")
        assert details(execution.events[-1]) == {"error": "E", "cause": "C"}

    def test_jsonata_evaluation_failures_record_evaluation_failed(self) -> None:
        state = {"Type": "Pass", "Output": "{% $states.input.a.b.c %}", "End": True}

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"a": 1})

        assert execution.error == "States.QueryEvaluationError"
        failed = one(execution, "EvaluationFailed")
        assert details(failed)["error"] == "States.QueryEvaluationError"
        assert details(failed)["state"] == "S"
        assert details(failed)["location"] == "Output"
        assert details(failed)["cause"] == execution.cause
        assert types(execution)[-2:] == ["EvaluationFailed", "ExecutionFailed"]

    def test_state_ids_in_causes_match_the_history(self) -> None:
        definition = machine(
            {
                "A": {"Type": "Pass", "Next": "B"},
                "B": {"Type": "Pass", "Next": "C"},
                "C": {"Type": "Pass", "InputPath": "$.missing", "End": True},
            }
        )

        execution = execute(definition, {})

        entered = next(e for e in of_type(execution, "PassStateEntered") if details(e)["name"] == "C")
        assert f"(entered at the event id #{entered['id']})" in (execution.cause or "")


class TestMapChains:
    """AWS's previousEventId links around Map iterations (from recorded AWS histories)."""

    def test_successful_map_chain(self) -> None:
        state = {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}},
        }

        execution = execute(single(state), [1, 2])

        assert chain(execution) == [
            (1, 0, "ExecutionStarted"),
            (2, 0, "MapStateEntered"),
            (3, 2, "MapStateStarted"),
            (4, 3, "MapIterationStarted"),
            (5, 4, "PassStateEntered"),
            (6, 5, "PassStateExited"),
            (7, 6, "MapIterationSucceeded"),
            (8, 6, "MapIterationStarted"),
            (9, 8, "PassStateEntered"),
            (10, 9, "PassStateExited"),
            (11, 10, "MapIterationSucceeded"),
            (12, 11, "MapStateSucceeded"),
            (13, 11, "MapStateExited"),
            (14, 13, "ExecutionSucceeded"),
        ]

    def test_failed_map_chain(self) -> None:
        state = {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}},
        }

        execution = execute(single(state), [1])

        assert chain(execution) == [
            (1, 0, "ExecutionStarted"),
            (2, 0, "MapStateEntered"),
            (3, 2, "MapStateStarted"),
            (4, 3, "MapIterationStarted"),
            (5, 4, "FailStateEntered"),
            (6, 5, "MapIterationFailed"),
            (7, 5, "MapStateFailed"),
            (8, 7, "ExecutionFailed"),
        ]

    def test_map_iteration_events_name_the_map_and_index(self) -> None:
        state = {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}},
        }

        execution = execute(single(state), ["a", "b", "c"])

        assert [details(e) for e in of_type(execution, "MapIterationSucceeded")] == [
            {"index": 0, "name": "S"},
            {"index": 1, "name": "S"},
            {"index": 2, "name": "S"},
        ]
        # Each iteration's first state links to its own MapIterationStarted.
        ids = {e["id"]: e for e in execution.events}
        for entered in of_type(execution, "PassStateEntered"):
            assert ids[entered["previousEventId"]]["type"] == "MapIterationStarted"


class TestParallelChains:
    def test_branch_states_link_to_parallel_state_started(self) -> None:
        state = {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 1, "End": True}}},
                {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 2, "End": True}}},
            ],
        }

        execution = execute(single(state))

        started = one(execution, "ParallelStateStarted")
        entered = of_type(execution, "WaitStateEntered")
        assert [e["previousEventId"] for e in entered] == [started["id"], started["id"]]
        by_id = {e["id"]: e for e in execution.events}
        for exited in of_type(execution, "WaitStateExited"):
            assert by_id[exited["previousEventId"]]["type"] == "WaitStateEntered"
            assert details(by_id[exited["previousEventId"]])["name"] == details(exited)["name"]


_NESTED_DETAILS = {
    "name": "A",
    "input": '{"a":1}',
    "inputDetails": {"truncated": False},
    "assignedVariables": {"x": "1", "nested": {"deeper": [1, {"k": None}, []]}},
    "list": [{"a": [2, 3]}, (4, 5), {}],
    "empty": {},
}


class TestCompactStorage:
    """Events are kept compact until read, so the cycle collector does not walk thousands of dicts."""

    def test_details_come_back_as_given_and_a_fresh_copy_each_time(self) -> None:
        history = History()
        history.add("PassStateEntered", EPOCH, 0, _NESTED_DETAILS)
        expected = {**_NESTED_DETAILS, "list": [{"a": [2, 3]}, [4, 5], {}]}  # a tuple reads as JSON's array
        assert history.events[0]["stateEnteredEventDetails"] == expected
        fresh = History()
        fresh.add("PassStateEntered", EPOCH, 0, _NESTED_DETAILS)
        fresh.events[0]["stateEnteredEventDetails"]["inputDetails"]["truncated"] = True
        assert history.events[0]["stateEnteredEventDetails"]["inputDetails"] == {"truncated": False}

    def test_reading_between_additions_keeps_one_list_in_order(self) -> None:
        history = History()
        history.add("ExecutionStarted", EPOCH, 0, {"input": "{}"})
        first_read = history.events
        history.add("PassStateEntered", EPOCH, 1, {"name": "A"})
        history.add("PassStateExited", EPOCH, 2, {"name": "A", "output": "{}"})
        assert history.events is first_read
        assert [event["id"] for event in first_read] == [1, 2, 3]
        assert [history.previous_of(event_id) for event_id in (1, 2, 3)] == [0, 1, 2]

    def test_previous_of_an_event_not_read_yet(self) -> None:
        history = History()
        history.add("ExecutionStarted", EPOCH, 0, None)
        history.add("PassStateEntered", EPOCH, 1, {"name": "A"})
        assert history.previous_of(2) == 1
        assert history.events[1]["previousEventId"] == 1

    def test_the_not_truncated_marker_reads_as_the_dict_it_stands_for(self) -> None:
        history = History()
        history.add("PassStateExited", EPOCH, 0, {"name": "A", "output": "{}", "outputDetails": NOT_TRUNCATED})
        history.add(
            "PassStateExited",
            EPOCH,
            1,
            {"name": "B", "assignedVariables": {"x": "1"}, "assignedVariablesDetails": NOT_TRUNCATED},
        )
        first, second = (event["stateExitedEventDetails"] for event in history.events)
        assert first == {"name": "A", "output": "{}", "outputDetails": {"truncated": False}}
        assert second == {
            "name": "B",
            "assignedVariables": {"x": "1"},
            "assignedVariablesDetails": {"truncated": False},
        }
        assert first["outputDetails"] is not second["assignedVariablesDetails"]

    def test_an_unread_history_gives_the_collector_almost_nothing_to_track(self) -> None:
        import gc

        gc.collect()
        before = len(gc.get_objects())
        history = History()
        for index in range(2_000):
            history.add("PassStateEntered", EPOCH, index, {"name": "A", "inputDetails": {"truncated": False}})
        gc.collect()
        gc.collect()  # the collector untracks a tuple once the tuples inside it are untracked
        unread = len(gc.get_objects()) - before
        assert unread < 400  # the History, its lists and unrelated objects; not 4,000 event dicts
        assert len(history.events) == 2_000
        gc.collect()
        assert len(gc.get_objects()) - before > 4_000  # read: GetExecutionHistory's dicts
