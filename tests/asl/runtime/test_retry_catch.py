"""Retry and Catch: back-off on the virtual clock, retrier/catcher matching, error output."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from runtime_support import (
    EPOCH,
    LAMBDA_ARN,
    FakeService,
    assert_well_formed,
    decoded,
    details,
    execute,
    machine,
    of_type,
    offsets,
    single,
    types,
)

from constructs_sfn.asl import DefinitionError, parse_definition
from constructs_sfn.asl.services import TaskOutcome, TaskRequest


def failing_then(*errors: str, output: Any = None) -> Callable[[TaskRequest], TaskOutcome]:
    """Fail with each of ``errors`` in turn, then succeed (with the attempt number by default)."""
    pending = list(errors)

    def answer(request: TaskRequest) -> TaskOutcome:
        if pending:
            return TaskOutcome.failure(pending.pop(0), f"attempt {request.attempt}")
        return TaskOutcome.success({"attempt": request.attempt} if output is None else output)

    return answer


def task(**fields: Any) -> dict[str, Any]:
    """A Lambda Task state that ends the execution."""
    return {"Type": "Task", "Resource": LAMBDA_ARN, **fields}


def scheduled_at(execution: Any) -> list[float]:
    """Seconds since EPOCH at which each attempt was scheduled."""
    return offsets(of_type(execution, "LambdaFunctionScheduled"))


class TestRetryPolicy:
    def test_default_policy_is_one_second_doubling_three_retries(self) -> None:
        service = FakeService(failing_then("E", "E", "E", "E"))

        execution = execute(single(task(Retry=[{"ErrorEquals": ["E"]}])), services=service)

        assert execution.status == "FAILED"
        assert execution.error == "E"
        assert scheduled_at(execution) == [0, 1, 3, 7]
        assert len(service.requests) == 4

    def test_interval_backoff_and_max_attempts(self) -> None:
        retry = {"ErrorEquals": ["E"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}
        service = FakeService(failing_then("E", "E", "E"))

        execution = execute(single(task(Retry=[retry])), services=service)

        assert execution.status == "SUCCEEDED"
        assert execution.output == {"attempt": 3}
        assert scheduled_at(execution) == [0, 2, 8, 26]

    def test_max_delay_caps_each_back_off(self) -> None:
        retry = {
            "ErrorEquals": ["E"],
            "IntervalSeconds": 10,
            "BackoffRate": 3,
            "MaxAttempts": 4,
            "MaxDelaySeconds": 50,
        }

        execution = execute(single(task(Retry=[retry])), services=FakeService(failing_then("E", "E", "E", "E")))

        assert scheduled_at(execution) == [0, 10, 40, 90, 140]

    def test_max_attempts_zero_never_retries(self) -> None:
        retry = {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "MaxAttempts": 0}
        service = FakeService(failing_then("E"))

        execution = execute(single(task(Retry=[retry])), services=service)

        assert execution.status == "FAILED"
        assert len(service.requests) == 1
        assert types(execution) == [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "ExecutionFailed",
        ]

    def test_empty_retry_list_behaves_like_no_retry(self) -> None:
        service = FakeService(failing_then("E"))

        execution = execute(single(task(Retry=[])), services=service)

        assert execution.error == "E"
        assert len(service.requests) == 1

    def test_hours_of_back_off_cost_no_wall_time_and_show_exactly_in_history(self) -> None:
        retry = {"ErrorEquals": ["E"], "IntervalSeconds": 3600, "BackoffRate": 2, "MaxAttempts": 3}
        started = time.perf_counter()

        execution = execute(single(task(Retry=[retry])), services=FakeService(failing_then("E", "E", "E")))

        assert time.perf_counter() - started < 2
        assert execution.status == "SUCCEEDED"
        assert scheduled_at(execution) == [0, 3600, 3 * 3600, 7 * 3600]
        # The failure is recorded when it happens; the next attempt only after the back-off.
        failed = offsets(of_type(execution, "LambdaFunctionFailed"))
        assert failed == [0, 3600, 3 * 3600]
        assert execution.stop_date is not None
        assert (execution.stop_date - EPOCH).total_seconds() == 7 * 3600

    def test_retries_stay_inside_the_state(self) -> None:
        execution = execute(single(task(Retry=[{"ErrorEquals": ["E"]}])), services=FakeService(failing_then("E")))

        assert types(execution) == [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
        assert_well_formed(execution)
        assert [e["previousEventId"] for e in execution.events] == [0, 0, 2, 3, 4, 5, 6, 7, 8, 9]

    def test_retry_count_is_in_the_context_object_and_the_request(self) -> None:
        service = FakeService(failing_then("E", "E"))
        state = task(
            Parameters={"count.$": "$$.State.RetryCount"},
            ResultSelector={"seen.$": "$$.State.RetryCount"},
            Retry=[{"ErrorEquals": ["E"], "IntervalSeconds": 1}],
        )

        execution = execute(single(state), services=service)

        assert [r.parameters for r in service.requests] == [{"count": 0}, {"count": 1}, {"count": 2}]
        assert [r.attempt for r in service.requests] == [0, 1, 2]
        assert execution.output == {"seen": 2}

    def test_retry_count_in_jsonata(self) -> None:
        state = {
            "Type": "Task",
            "Resource": LAMBDA_ARN,
            "Arguments": {"count": "{% $states.context.State.RetryCount %}"},
            "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 2}],
            "End": True,
        }
        service = FakeService(failing_then("E", "E"))

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), services=service)

        assert execution.status == "SUCCEEDED"
        assert [r.parameters for r in service.requests] == [{"count": 0}, {"count": 1}, {"count": 2}]


class TestJitter:
    RETRY: ClassVar[dict[str, Any]] = {
        "ErrorEquals": ["E"],
        "IntervalSeconds": 100,
        "BackoffRate": 2,
        "MaxAttempts": 3,
        "JitterStrategy": "FULL",
    }

    def run(self, seed: int) -> list[float]:
        execution = execute(
            single(task(Retry=[self.RETRY])), services=FakeService(failing_then("E", "E", "E")), rng_seed=seed
        )
        assert execution.status == "SUCCEEDED"
        times = scheduled_at(execution)
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    def test_full_jitter_stays_within_the_back_off(self) -> None:
        for seed in range(20):
            delays = self.run(seed)
            assert len(delays) == 3
            for delay, ceiling in zip(delays, [100, 200, 400], strict=True):
                assert 0 <= delay <= ceiling

    def test_full_jitter_is_reproducible_with_a_seed(self) -> None:
        assert self.run(7) == self.run(7)

    def test_full_jitter_differs_between_seeds(self) -> None:
        assert self.run(1) != self.run(2)

    def test_jitter_none_is_the_plain_back_off(self) -> None:
        retry = {**self.RETRY, "JitterStrategy": "NONE"}

        execution = execute(single(task(Retry=[retry])), services=FakeService(failing_then("E", "E", "E")))

        assert scheduled_at(execution) == [0, 100, 300, 700]


class TestRetrierMatching:
    def test_the_first_matching_retrier_decides_even_when_exhausted(self) -> None:
        retriers = [
            {"ErrorEquals": ["E"], "MaxAttempts": 1},
            {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5},
        ]
        service = FakeService(failing_then(*["E"] * 10))

        execution = execute(single(task(Retry=retriers)), services=service)

        assert execution.status == "FAILED"
        assert len(service.requests) == 2

    def test_each_retrier_counts_its_own_attempts(self) -> None:
        retriers = [{"ErrorEquals": ["A"], "MaxAttempts": 1}, {"ErrorEquals": ["B"], "MaxAttempts": 1}]

        recovered = execute(single(task(Retry=retriers)), services=FakeService(failing_then("A", "B")))
        exhausted = execute(single(task(Retry=retriers)), services=FakeService(failing_then("A", "B", "A")))

        assert recovered.status == "SUCCEEDED"
        assert recovered.output == {"attempt": 2}
        assert (exhausted.status, exhausted.error) == ("FAILED", "A")

    def test_unmatched_errors_are_not_retried(self) -> None:
        service = FakeService(failing_then("Other"))

        execution = execute(single(task(Retry=[{"ErrorEquals": ["E"]}])), services=service)

        assert execution.error == "Other"
        assert len(service.requests) == 1

    def test_states_all_retries_any_task_error(self) -> None:
        service = FakeService(failing_then("Whatever.Error"))

        execution = execute(single(task(Retry=[{"ErrorEquals": ["States.ALL"]}])), services=service)

        assert execution.status == "SUCCEEDED"

    def test_states_task_failed_matches_task_errors_but_not_timeouts(self) -> None:
        retry = [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}]
        custom = FakeService(failing_then("Custom"))
        slow = FakeService(TaskOutcome.success({}, duration=10))

        assert execute(single(task(Retry=retry)), services=custom).status == "SUCCEEDED"
        timed_out = execute(single(task(Retry=retry, TimeoutSeconds=1)), services=slow)
        assert (timed_out.status, timed_out.error) == ("FAILED", "States.Timeout")
        assert len(slow.requests) == 1

    def test_states_all_never_retries_states_runtime(self) -> None:
        service = FakeService(TaskOutcome.success({}))

        execution = execute(
            single(task(OutputPath="$.missing", Retry=[{"ErrorEquals": ["States.ALL"]}])), services=service
        )

        assert execution.error == "States.Runtime"
        assert len(service.requests) == 1

    def test_states_runtime_is_never_retried_even_when_named(self) -> None:
        service = FakeService(TaskOutcome.success({}))

        execution = execute(
            single(task(OutputPath="$.missing", Retry=[{"ErrorEquals": ["States.Runtime"]}])),
            services=service,
        )

        assert execution.error == "States.Runtime"
        assert len(service.requests) == 1


class TestCatch:
    def catching(self, **catcher: Any) -> dict[str, Any]:
        return machine(
            {
                "T": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handler", **catcher}], Next="Done"),
                "Handler": {"Type": "Pass", "End": True},
                "Done": {"Type": "Pass", "Result": "not caught", "End": True},
            }
        )

    def test_default_result_path_replaces_the_input_with_the_error_output(self) -> None:
        service = FakeService(TaskOutcome.failure("Custom.Error", "details here"))

        execution = execute(self.catching(), {"order": 1}, services=service)

        assert execution.status == "SUCCEEDED"
        assert execution.output == {"Error": "Custom.Error", "Cause": "details here"}
        assert types(execution) == [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]
        exited = of_type(execution, "TaskStateExited")[0]
        assert decoded(details(exited)["output"]) == {"Error": "Custom.Error", "Cause": "details here"}

    def test_result_path_merges_the_error_output_into_the_input(self) -> None:
        service = FakeService(TaskOutcome.failure("E", "c"))

        execution = execute(self.catching(ResultPath="$.error"), {"order": 1}, services=service)

        assert execution.output == {"order": 1, "error": {"Error": "E", "Cause": "c"}}

    def test_null_result_path_keeps_the_input(self) -> None:
        service = FakeService(TaskOutcome.failure("E", "c"))

        execution = execute(self.catching(ResultPath=None), {"order": 1}, services=service)

        assert execution.output == {"order": 1}

    def test_a_timeout_can_be_caught(self) -> None:
        service = FakeService(TaskOutcome.success({}, duration=10))

        execution = execute(
            machine(
                {
                    "T": task(TimeoutSeconds=1, Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "H"}], End=True),
                    "H": {"Type": "Pass", "End": True},
                }
            ),
            services=service,
        )

        assert execution.status == "SUCCEEDED"
        assert execution.output["Error"] == "States.Timeout"

    def test_the_first_matching_catcher_wins(self) -> None:
        definition = machine(
            {
                "T": task(
                    Catch=[
                        {"ErrorEquals": ["Nope"], "Next": "A"},
                        {"ErrorEquals": ["E", "Other"], "Next": "B"},
                        {"ErrorEquals": ["States.ALL"], "Next": "C"},
                    ],
                    End=True,
                ),
                "A": {"Type": "Pass", "Result": "A", "End": True},
                "B": {"Type": "Pass", "Result": "B", "End": True},
                "C": {"Type": "Pass", "Result": "C", "End": True},
            }
        )

        assert execute(definition, services=FakeService(TaskOutcome.failure("E"))).output == "B"
        assert execute(definition, services=FakeService(TaskOutcome.failure("Else"))).output == "C"

    def test_retry_runs_before_catch(self) -> None:
        service = FakeService(failing_then("E", "E", "E"))
        definition = machine(
            {
                "T": task(
                    Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 2}],
                    Catch=[{"ErrorEquals": ["E"], "Next": "H", "ResultPath": "$.err"}],
                    End=True,
                ),
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition, {"a": 1}, services=service)

        assert len(service.requests) == 3
        assert execution.output == {"a": 1, "err": {"Error": "E", "Cause": "attempt 2"}}

    def test_catcher_assign_reads_the_error_output(self) -> None:
        definition = machine(
            {
                "T": task(
                    Catch=[
                        {
                            "ErrorEquals": ["States.ALL"],
                            "Next": "H",
                            "ResultPath": None,
                            "Assign": {"failure.$": "$.Error", "where.$": "$$.State.Name"},
                        }
                    ],
                    End=True,
                ),
                "H": {
                    "Type": "Pass",
                    "Parameters": {"f.$": "$failure", "w.$": "$where", "in.$": "$"},
                    "End": True,
                },
            }
        )

        execution = execute(definition, {"a": 1}, services=FakeService(TaskOutcome.failure("Boom", "c")))

        assert execution.output == {"f": "Boom", "w": "T", "in": {"a": 1}}
        exited = details(of_type(execution, "TaskStateExited")[0])
        assert exited["assignedVariables"] == {"failure": '"Boom"', "where": '"T"'}

    def test_jsonata_catcher_output_and_assign_see_the_error_output(self) -> None:
        definition = machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": LAMBDA_ARN,
                    "Catch": [
                        {
                            "ErrorEquals": ["States.ALL"],
                            "Next": "H",
                            "Output": {"err": "{% $states.errorOutput.Error %}", "in": "{% $states.input %}"},
                            "Assign": {"cause": "{% $states.errorOutput.Cause %}"},
                        }
                    ],
                    "End": True,
                },
                "H": {
                    "Type": "Pass",
                    "Output": {"caught": "{% $states.input %}", "cause": "{% $cause %}"},
                    "End": True,
                },
            },
            QueryLanguage="JSONata",
        )

        execution = execute(definition, {"a": 1}, services=FakeService(TaskOutcome.failure("Boom", "why")))

        assert execution.output == {"caught": {"err": "Boom", "in": {"a": 1}}, "cause": "why"}

    def test_jsonata_catcher_without_output_passes_the_error_output(self) -> None:
        definition = machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": LAMBDA_ARN,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}],
                    "End": True,
                },
                "H": {"Type": "Pass", "End": True},
            },
            QueryLanguage="JSONata",
        )

        execution = execute(definition, {"a": 1}, services=FakeService(TaskOutcome.failure("Boom", "why")))

        assert execution.output == {"Error": "Boom", "Cause": "why"}

    def test_states_all_catches_data_limit_exceeded_from_a_task(self) -> None:
        service = FakeService(TaskOutcome.success("x" * (300 * 1024)))

        execution = execute(self.catching(), services=service)

        assert execution.status == "SUCCEEDED"
        assert execution.output["Error"] == "States.DataLimitExceeded"
        assert execution.output["Cause"] == (
            f"The state/task '{LAMBDA_ARN}' returned a result with a size exceeding the maximum number of bytes "
            "service limit."
        )

    def test_states_all_does_not_catch_states_runtime(self) -> None:
        service = FakeService(TaskOutcome.success({}))

        execution = execute(
            machine(
                {
                    "T": task(OutputPath="$.missing", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "H"}], End=True),
                    "H": {"Type": "Pass", "End": True},
                }
            ),
            services=service,
        )

        assert execution.status == "FAILED"
        assert execution.error == "States.Runtime"
        assert "TaskStateExited" not in types(execution)

    def test_states_runtime_is_not_caught_even_when_named(self) -> None:
        execution = execute(
            machine(
                {
                    "T": task(
                        OutputPath="$.missing",
                        Catch=[{"ErrorEquals": ["States.Runtime"], "Next": "H"}],
                        End=True,
                    ),
                    "H": {"Type": "Pass", "End": True},
                }
            ),
            services=FakeService(TaskOutcome.success({})),
        )

        assert execution.status == "FAILED"
        assert execution.error == "States.Runtime"

    def test_a_fail_state_in_a_branch_is_caught_by_the_enclosing_parallel(self) -> None:
        definition = machine(
            {
                "P": {
                    "Type": "Parallel",
                    "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Inner", "Cause": "x"}}}],
                    "Catch": [{"ErrorEquals": ["Inner"], "Next": "H", "ResultPath": "$.e"}],
                    "End": True,
                },
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition, {"a": 1})

        assert execution.output == {"a": 1, "e": {"Error": "Inner", "Cause": "x"}}

    def test_no_matching_catcher_fails_the_execution(self) -> None:
        definition = machine(
            {
                "T": task(Catch=[{"ErrorEquals": ["Nope"], "Next": "H"}], End=True),
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition, services=FakeService(TaskOutcome.failure("E", "c")))

        assert (execution.status, execution.error, execution.cause) == ("FAILED", "E", "c")

    @pytest.mark.parametrize("field", ["Catch", "Retry"])
    def test_a_fail_state_cannot_handle_its_own_error(self, field: str) -> None:
        handler = {"ErrorEquals": ["States.ALL"], "Next": "F"} if field == "Catch" else {"ErrorEquals": ["States.ALL"]}

        with pytest.raises(DefinitionError):
            parse_definition(machine({"F": {"Type": "Fail", "Error": "E", field: [handler]}}))

    def test_an_earlier_catcher_does_not_cover_a_later_fail_state(self) -> None:
        definition = machine(
            {
                "T": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "H"}], Next="F"),
                "F": {"Type": "Fail", "Error": "Late", "Cause": "after the task"},
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition, services=FakeService(TaskOutcome.success({})))

        assert (execution.status, execution.error, execution.cause) == ("FAILED", "Late", "after the task")
        assert types(execution)[-2:] == ["FailStateEntered", "ExecutionFailed"]
