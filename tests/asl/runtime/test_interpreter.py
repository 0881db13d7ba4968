"""Execution lifecycle: status, output, error/cause, data flow, context object, stop and timeouts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from runtime_support import (
    EPOCH,
    LAMBDA_ARN,
    SQS_CALLBACK,
    FakeService,
    assert_well_formed,
    details,
    execute,
    machine,
    of_type,
    one,
    single,
    types,
)

from constructs_sfn.asl import Execution, ExecutionContextInfo, VirtualClock, parse_definition
from constructs_sfn.asl.runtime import to_json_text
from constructs_sfn.asl.services import TaskOutcome


class TestLifecycle:
    def test_a_pass_state_succeeds_with_its_result(self) -> None:
        execution = execute(single({"Type": "Pass", "Result": {"x": 1}}), {"in": True})

        assert execution.status == "SUCCEEDED"
        assert execution.output == {"x": 1}
        assert execution.output_text == '{"x":1}'
        assert execution.error is None
        assert execution.cause is None
        assert execution.start_date == EPOCH
        assert execution.stop_date == EPOCH
        assert types(execution) == [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]
        assert_well_formed(execution)

    def test_run_returns_the_execution_itself(self) -> None:
        execution = Execution(parse_definition(single({"Type": "Succeed"})), {}, clock=VirtualClock.fixed())
        assert execution.status == "RUNNING"
        assert execution.run() is execution

    def test_running_a_finished_execution_again_changes_nothing(self) -> None:
        execution = execute(single({"Type": "Pass"}), {"a": 1})
        before = list(execution.events)

        execution.run()

        assert execution.events == before
        assert execution.status == "SUCCEEDED"

    def test_none_input_means_an_empty_object(self) -> None:
        execution = Execution(parse_definition(single({"Type": "Pass"})), None, clock=VirtualClock.fixed()).run()

        assert execution.output == {}
        assert details(execution.events[0])["input"] == "{}"

    def test_input_text_is_recorded_verbatim(self) -> None:
        text = '{ "a" : 1 }'
        execution = Execution(
            parse_definition(single({"Type": "Pass"})), {"a": 1}, clock=VirtualClock.fixed(), input_text=text
        ).run()

        assert details(execution.events[0])["input"] == text
        assert details(execution.events[-1])["output"] == '{"a":1}'

    def test_the_input_value_is_never_mutated(self) -> None:
        original = {"a": {"b": [1, 2]}, "keep": True}
        snapshot = json.loads(json.dumps(original))
        definition = machine(
            {
                "One": {"Type": "Pass", "Result": 5, "ResultPath": "$.a.c", "Next": "Two"},
                "Two": {"Type": "Pass", "Result": 6, "ResultPath": "$.a.b", "End": True},
            }
        )

        execution = execute(definition, original)

        assert execution.output == {"a": {"b": 6, "c": 5}, "keep": True}
        assert original == snapshot

    def test_non_ascii_text_is_kept_in_output_text(self) -> None:
        execution = execute(single({"Type": "Pass", "Result": "é✓"}))

        assert execution.output_text == '"é✓"'
        assert details(execution.events[-1])["output"] == '"é✓"'

    def test_unbound_task_fails_naming_the_resource(self) -> None:
        execution = execute(single({"Type": "Task", "Resource": LAMBDA_ARN}))

        assert execution.status == "FAILED"
        assert execution.error == "States.Runtime"
        assert LAMBDA_ARN in (execution.cause or "")
        assert "'S'" in (execution.cause or "")


class TestFailAndSucceed:
    def test_fail_state_fails_the_execution_with_its_error_and_cause(self) -> None:
        execution = execute(single({"Type": "Fail", "Error": "Oops", "Cause": "it broke"}), {"a": 1})

        assert (execution.status, execution.error, execution.cause) == ("FAILED", "Oops", "it broke")
        assert execution.output is None
        # AWS records no FailStateExited: the execution fails straight from the entered state.
        assert types(execution) == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
        assert details(execution.events[-1]) == {"error": "Oops", "cause": "it broke"}
        assert execution.events[-1]["previousEventId"] == 2

    def test_fail_state_without_error_or_cause_records_empty_details(self) -> None:
        execution = execute(single({"Type": "Fail"}))

        assert (execution.status, execution.error, execution.cause) == ("FAILED", None, None)
        assert details(execution.events[-1]) == {}

    def test_fail_state_error_and_cause_paths(self) -> None:
        execution = execute(
            single({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$$.State.Name"}), {"e": "FromInput"}
        )

        assert (execution.error, execution.cause) == ("FromInput", "S")

    def test_fail_state_error_path_to_a_missing_field_is_a_runtime_error(self) -> None:
        execution = execute(single({"Type": "Fail", "ErrorPath": "$.missing"}), {"a": 1})

        assert execution.error == "States.Runtime"
        assert execution.cause == (
            "An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath "
            "'$.missing' specified for the field 'ErrorPath' could not be found in the input '{\"a\":1}'"
        )

    def test_succeed_state_applies_input_and_output_paths(self) -> None:
        execution = execute(
            single({"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}), {"a": {"b": 2}, "z": 0}
        )

        assert execution.status == "SUCCEEDED"
        assert execution.output == 2
        assert types(execution)[-3:] == ["SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]

    def test_choice_without_a_match_or_default_fails(self) -> None:
        definition = machine(
            {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Done"}]},
                "Done": {"Type": "Succeed"},
            }
        )

        execution = execute(definition, {})

        assert (execution.error, execution.cause) == ("States.NoChoiceMatched", "No Matches!")
        assert types(execution) == ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"]

    def test_choice_follows_the_first_matching_rule(self) -> None:
        definition = machine(
            {
                "C": {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
                        {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Medium"},
                    ],
                    "Default": "Small",
                },
                "Big": {"Type": "Pass", "Result": "big", "End": True},
                "Medium": {"Type": "Pass", "Result": "medium", "End": True},
                "Small": {"Type": "Pass", "Result": "small", "End": True},
            }
        )

        assert execute(definition, {"n": 20}).output == "big"
        assert execute(definition, {"n": 5}).output == "medium"
        assert execute(definition, {"n": 0}).output == "small"


class TestJsonPathDataFlow:
    def test_input_path_parameters_result_path_output_path(self) -> None:
        state = {
            "Type": "Pass",
            "InputPath": "$.order",
            "Parameters": {"id.$": "$.id", "fixed": 1},
            "ResultPath": "$.result",
            "OutputPath": "$.result",
        }

        execution = execute(single(state), {"order": {"id": 7, "other": True}})

        assert execution.output == {"id": 7, "fixed": 1}

    def test_result_path_writes_into_the_raw_input_not_the_input_path_view(self) -> None:
        state = {"Type": "Pass", "InputPath": "$.a", "Result": "r", "ResultPath": "$.out"}

        execution = execute(single(state), {"a": {"x": 1}, "b": 2})

        assert execution.output == {"a": {"x": 1}, "b": 2, "out": "r"}

    @pytest.mark.parametrize(
        ("state", "expected"),
        [
            ({"InputPath": None}, {}),
            ({"InputPath": None, "Parameters": {"n": 1}, "ResultPath": "$.p"}, {"a": 1, "p": {"n": 1}}),
            ({"Result": 5, "OutputPath": None}, {}),
            ({"Result": 5, "ResultPath": None}, {"a": 1}),
        ],
    )
    def test_null_paths(self, state: dict[str, Any], expected: Any) -> None:
        execution = execute(single({"Type": "Pass", **state}), {"a": 1})

        assert execution.output == expected

    def test_missing_input_path_fails_with_aws_cause(self) -> None:
        execution = execute(single({"Type": "Pass", "InputPath": "$.NoSuchInputPath"}), {"int-literal": 0})

        assert execution.error == "States.Runtime"
        assert execution.cause == (
            "An error occurred while executing the state 'S' (entered at the event id #2). "
            "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
        )
        assert types(execution) == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]

    def test_missing_output_path_fails_with_aws_cause(self) -> None:
        execution = execute(single({"Type": "Pass", "OutputPath": "$.NoSuchOutputPath"}), {"int-literal": 0})

        assert execution.cause == (
            "An error occurred while executing the state 'S' (entered at the event id #2). "
            "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"
        )

    def test_deep_missing_output_path_names_the_first_missing_property(self) -> None:
        execution = execute(single({"Type": "Pass", "OutputPath": "$.no.such.result.path"}), {})

        assert execution.cause == (
            "An error occurred while executing the state 'S' (entered at the event id #2). "
            "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
        )

    def test_parameters_with_a_missing_path_fail_naming_the_field(self) -> None:
        execution = execute(single({"Type": "Pass", "Parameters": {"value.$": "$.no_such_jsonpath"}}), {"a": 1})

        assert execution.error == "States.Runtime"
        assert execution.cause == (
            "An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath "
            "'$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"a\":1}'"
        )

    def test_result_larger_than_256_kib_exceeds_the_data_limit(self) -> None:
        execution = execute(single({"Type": "Pass", "Result": "x" * (256 * 1024)}))

        assert execution.status == "FAILED"
        assert execution.error == "States.DataLimitExceeded"
        assert execution.cause == (
            "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit."
        )
        assert types(execution) == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]

    def test_the_limit_counts_utf8_bytes_not_characters(self) -> None:
        # 100k three-byte characters: 300 KB of UTF-8 in only 100k characters.
        execution = execute(single({"Type": "Pass", "Result": "€" * 100_000}))

        assert execution.error == "States.DataLimitExceeded"

    def test_a_result_just_under_the_limit_is_fine(self) -> None:
        execution = execute(single({"Type": "Pass", "Result": "x" * (256 * 1024 - 10)}))

        assert execution.status == "SUCCEEDED"


class TestVariables:
    def test_assign_then_read_in_a_later_state(self) -> None:
        definition = machine(
            {
                "Set": {"Type": "Pass", "Assign": {"total": 3, "name.$": "$.who"}, "Next": "Use"},
                "Use": {"Type": "Pass", "Parameters": {"t.$": "$total", "n.$": "$name"}, "End": True},
            }
        )

        execution = execute(definition, {"who": "ann"})

        assert execution.output == {"t": 3, "n": "ann"}
        exited = details(of_type(execution, "PassStateExited")[0])
        assert exited["assignedVariables"] == {"total": "3", "name": '"ann"'}
        assert exited["assignedVariablesDetails"] == {"truncated": False}

    def test_assign_values_are_computed_before_any_is_applied(self) -> None:
        definition = machine(
            {
                "First": {"Type": "Pass", "Assign": {"a": 1, "b": 2}, "Next": "Swap"},
                "Swap": {"Type": "Pass", "Assign": {"a.$": "$b", "b.$": "$a"}, "Next": "Read"},
                "Read": {"Type": "Pass", "Parameters": {"a.$": "$a", "b.$": "$b"}, "End": True},
            }
        )

        assert execute(definition).output == {"a": 2, "b": 1}

    def test_jsonata_assign_and_output(self) -> None:
        definition = machine(
            {
                "Set": {"Type": "Pass", "Assign": {"n": "{% $states.input.n * 2 %}"}, "Next": "Out"},
                "Out": {"Type": "Pass", "Output": {"doubled": "{% $n %}"}, "End": True},
            },
            QueryLanguage="JSONata",
        )

        assert execute(definition, {"n": 21}).output == {"doubled": 42}


class TestChoiceAssignments:
    DEFINITION: ClassVar[dict[str, Any]] = machine(
        {
            "C": {
                "Type": "Choice",
                "Choices": [
                    {
                        "Condition": "{% $states.input.go %}",
                        "Next": "Yes",
                        "Assign": {"path": "rule"},
                        "Output": {"via": "rule"},
                    }
                ],
                "Default": "No",
                "Assign": {"path": "default"},
            },
            "Yes": {"Type": "Pass", "Output": {"path": "{% $path %}", "in": "{% $states.input %}"}, "End": True},
            "No": {"Type": "Pass", "Output": {"path": "{% $path %}", "in": "{% $states.input %}"}, "End": True},
        },
        QueryLanguage="JSONata",
    )

    def test_a_matching_rule_applies_its_own_assign_and_output(self) -> None:
        execution = execute(self.DEFINITION, {"go": True})

        assert execution.output == {"path": "rule", "in": {"via": "rule"}}
        assert details(one(execution, "ChoiceStateExited"))["assignedVariables"] == {"path": '"rule"'}

    def test_the_default_applies_the_state_assign(self) -> None:
        execution = execute(self.DEFINITION, {"go": False})

        assert execution.output == {"path": "default", "in": {"go": False}}
        assert details(one(execution, "ChoiceStateExited"))["assignedVariables"] == {"path": '"default"'}


class TestReproducibility:
    def test_jsonata_randomness_follows_the_seed(self) -> None:
        definition = single(
            {"Type": "Pass", "Output": {"u": "{% $uuid() %}", "r": "{% $random() %}"}}, QueryLanguage="JSONata"
        )

        first, second, other = (execute(definition, rng_seed=seed).output for seed in (5, 5, 6))

        assert first == second
        assert first != other

    def test_intrinsic_randomness_follows_the_seed(self) -> None:
        definition = single(
            {"Type": "Pass", "Parameters": {"u.$": "States.UUID()", "r.$": "States.MathRandom(1, 1000000)"}}
        )

        first, second = (execute(definition, rng_seed=5).output for _ in range(2))

        assert first == second


class TestContextObject:
    def test_context_object_reflects_execution_info(self) -> None:
        info = ExecutionContextInfo(
            execution_arn="arn:aws:states:eu-west-1:111111111111:execution:M:run-1",
            execution_name="run-1",
            state_machine_arn="arn:aws:states:eu-west-1:111111111111:stateMachine:M",
            state_machine_name="M",
            role_arn="arn:aws:iam::111111111111:role/R",
            start_time=datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
            redrive_count=2,
        )

        execution = execute(single({"Type": "Pass", "Parameters": {"ctx.$": "$$"}}), {"k": 1}, info=info)

        assert execution.output == {
            "ctx": {
                "Execution": {
                    "Id": "arn:aws:states:eu-west-1:111111111111:execution:M:run-1",
                    "Input": {"k": 1},
                    "StartTime": "2030-05-06T07:08:09.123Z",
                    "Name": "run-1",
                    "RoleArn": "arn:aws:iam::111111111111:role/R",
                    "RedriveCount": 2,
                },
                "StateMachine": {"Id": "arn:aws:states:eu-west-1:111111111111:stateMachine:M", "Name": "M"},
                "State": {"Name": "S", "EnteredTime": "2030-05-06T07:08:09.123Z"},
            }
        }
        assert execution.start_date == info.start_time
        assert execution.events[0]["timestamp"] == info.start_time
        assert details(execution.events[0])["roleArn"] == "arn:aws:iam::111111111111:role/R"

    def test_state_entered_time_follows_the_clock(self) -> None:
        definition = machine(
            {
                "W": {"Type": "Wait", "Seconds": 5, "Next": "P"},
                "P": {"Type": "Pass", "Parameters": {"state.$": "$$.State"}, "End": True},
            }
        )

        execution = execute(definition)

        assert execution.output == {"state": {"Name": "P", "EnteredTime": "2024-01-01T00:00:05.000Z"}}

    def test_a_past_start_time_is_where_the_default_clock_starts(self) -> None:
        start = datetime(2020, 5, 6, 7, 8, 9, tzinfo=UTC)
        execution = Execution(
            parse_definition(single({"Type": "Wait", "Seconds": 60})),
            {},
            info=ExecutionContextInfo(start_time=start),
        ).run()

        assert execution.events[0]["timestamp"] == start
        assert execution.stop_date == start + timedelta(seconds=60)


class TestStopAndTimeout:
    def test_stop_aborts_a_paused_execution(self) -> None:
        service = FakeService()
        execution = execute(single({"Type": "Task", "Resource": SQS_CALLBACK}), services=service)
        assert execution.status == "RUNNING"

        execution.stop("Manual", "operator said so")

        assert (execution.status, execution.error, execution.cause) == (
            "ABORTED",
            "Manual",
            "operator said so",
        )
        aborted = execution.events[-1]
        assert aborted["type"] == "ExecutionAborted"
        assert details(aborted) == {"error": "Manual", "cause": "operator said so"}
        assert aborted["previousEventId"] == aborted["id"] - 1
        assert execution.stop_date == EPOCH
        token = service.requests[0].task_token
        assert token is not None
        # The paused task is gone: answering it now is refused and changes nothing.
        assert execution.send_task_success(token, "{}") is False
        assert execution.status == "ABORTED"
        assert execution.tokens == {}

    def test_stop_without_error_or_cause(self) -> None:
        execution = execute(single({"Type": "Task", "Resource": SQS_CALLBACK}), services=FakeService())

        execution.stop()

        assert execution.status == "ABORTED"
        assert details(execution.events[-1]) == {}

    def test_stopping_a_finished_execution_is_a_no_op(self) -> None:
        execution = execute(single({"Type": "Pass"}))
        count = len(execution.events)

        execution.stop("E", "C")

        assert execution.status == "SUCCEEDED"
        assert len(execution.events) == count

    def test_execution_timeout_fires_during_a_long_wait(self) -> None:
        execution = execute(single({"Type": "Wait", "Seconds": 100}, TimeoutSeconds=10))

        assert (execution.status, execution.error, execution.cause) == ("TIMED_OUT", "States.Timeout", None)
        assert types(execution) == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
        timed_out = execution.events[-1]
        assert timed_out["timestamp"] == EPOCH + timedelta(seconds=10)
        assert details(timed_out) == {"error": "States.Timeout"}
        assert execution.stop_date == EPOCH + timedelta(seconds=10)

    def test_execution_timeout_fires_while_paused_once_time_passes(self) -> None:
        execution = execute(
            single({"Type": "Task", "Resource": SQS_CALLBACK}, TimeoutSeconds=10), services=FakeService()
        )
        assert execution.status == "RUNNING"

        execution.advance_clock(9)
        assert execution.status == "RUNNING"
        execution.advance_clock(1)

        assert execution.status == "TIMED_OUT"
        assert execution.events[-1]["timestamp"] == EPOCH + timedelta(seconds=10)
        assert execution.tokens == {}

    def test_an_execution_within_its_timeout_succeeds(self) -> None:
        execution = execute(single({"Type": "Wait", "Seconds": 9}, TimeoutSeconds=10))

        assert execution.status == "SUCCEEDED"
        assert execution.stop_date == EPOCH + timedelta(seconds=9)

    def test_on_finish_callbacks_run_once_at_the_end(self) -> None:
        execution = Execution(parse_definition(single({"Type": "Wait", "Seconds": 3})), {}, clock=VirtualClock.fixed())
        seen: list[tuple[str, datetime | None]] = []
        execution.on_finish.append(lambda ex: seen.append((ex.status, ex.stop_date)))

        execution.run()
        execution.run()

        assert seen == [("SUCCEEDED", EPOCH + timedelta(seconds=3))]


class TestHistoryLimit:
    def test_an_endless_loop_fails_at_the_history_limit(self) -> None:
        definition = machine(
            {
                "Spin": {"Type": "Pass", "Next": "Check"},
                "Check": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                    "Default": "Spin",
                },
                "Done": {"Type": "Succeed"},
            }
        )
        execution = Execution(parse_definition(definition), {}, clock=VirtualClock.fixed())
        execution.history.limit = 20

        execution.run()

        assert execution.status == "FAILED"
        assert execution.error == "States.Runtime"
        assert "maximum number of history events (20)" in (execution.cause or "")

    def test_record_history_false_records_no_events(self) -> None:
        execution = Execution(
            parse_definition(single({"Type": "Pass", "Result": 1})),
            {},
            clock=VirtualClock.fixed(),
            record_history=False,
        ).run()

        assert execution.status == "SUCCEEDED"
        assert execution.output == 1
        assert execution.events == []


class TestServiceFailuresBecomeResults:
    def test_task_failure_is_a_failed_execution_not_an_exception(self) -> None:
        service = FakeService(TaskOutcome.failure("Custom.Error", "bad"))

        execution = execute(single({"Type": "Task", "Resource": LAMBDA_ARN}), services=service)

        assert (execution.status, execution.error, execution.cause) == ("FAILED", "Custom.Error", "bad")
        assert_well_formed(execution)

    def test_to_json_text_is_compact(self) -> None:
        assert to_json_text({"a": [1, 2.5, None, True], "b": "é"}) == '{"a":[1,2.5,null,true],"b":"é"}'
