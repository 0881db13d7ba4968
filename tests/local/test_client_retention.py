"""Retention: a client keeps at most ``max_executions`` executions, forgetting the oldest closed ones.

AWS keeps a closed execution for 90 days and then answers ``ExecutionDoesNotExist`` for it
(https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, "Execution history
retention time"; https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
A local client, above all a long-lived ``constructs-sfn serve``, must keep its memory bounded, so it
forgets closed executions by count instead; a RUNNING one is never forgotten.
"""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.asl.runtime import Execution
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.client import DEFAULT_MAX_EXECUTIONS

from .helpers import CALLBACK, RecordingService, create, definition, error_of


def _listed(sfn: LocalStepFunctions, arn: str) -> list[str]:
    answer = sfn.list_executions(stateMachineArn=arn, maxResults=1000)
    assert "nextToken" not in answer
    return [item["executionArn"] for item in answer["executions"]]


def _started(sfn: LocalStepFunctions, arn: str, count: int) -> list[str]:
    return [sfn.start_execution(stateMachineArn=arn)["executionArn"] for _ in range(count)]


def test_the_default_bound_is_generous_but_finite() -> None:
    assert LocalStepFunctions().max_executions == DEFAULT_MAX_EXECUTIONS == 10_000


def test_the_oldest_closed_executions_are_forgotten_first() -> None:
    sfn = LocalStepFunctions(max_executions=3)
    arn = create(sfn)
    executions = _started(sfn, arn, 5)
    assert _listed(sfn, arn) == list(reversed(executions[2:]))
    for forgotten in executions[:2]:
        for call in (
            sfn.describe_execution,
            sfn.get_execution_history,
            sfn.describe_state_machine_for_execution,
            sfn.local_execution,
        ):
            with pytest.raises(ClientError) as refused:
                call(executionArn=forgotten)
            assert error_of(refused) == ("ExecutionDoesNotExist", f"Execution Does Not Exist: '{forgotten}'")
    assert sfn.describe_execution(executionArn=executions[2])["status"] == "SUCCEEDED"


def test_a_running_execution_is_never_forgotten() -> None:
    service = RecordingService()
    sfn = LocalStepFunctions(services=service, max_executions=2)
    waiting_arn = create(sfn, "waits", text=CALLBACK)
    passing_arn = create(sfn, "passes")
    waiting = sfn.start_execution(stateMachineArn=waiting_arn)["executionArn"]
    passed = _started(sfn, passing_arn, 6)
    assert sfn.describe_execution(executionArn=waiting)["status"] == "RUNNING"
    assert _listed(sfn, passing_arn) == [passed[-1]]
    sfn.send_task_success(taskToken=service.tokens[0], output='{"done": true}')
    assert sfn.describe_execution(executionArn=waiting)["status"] == "SUCCEEDED"
    _started(sfn, passing_arn, 2)
    with pytest.raises(ClientError) as refused:
        sfn.describe_execution(executionArn=waiting)
    assert error_of(refused)[0] == "ExecutionDoesNotExist"


def test_the_execution_just_started_is_kept_when_every_other_one_runs() -> None:
    """Its starter can always describe it, even when the bound is taken up by running executions."""
    sfn = LocalStepFunctions(services=RecordingService(), max_executions=1)
    waiting = sfn.start_execution(stateMachineArn=create(sfn, "waits", text=CALLBACK))["executionArn"]
    passed = sfn.start_execution(stateMachineArn=create(sfn, "passes"))["executionArn"]
    assert sfn.describe_execution(executionArn=waiting)["status"] == "RUNNING"
    assert sfn.describe_execution(executionArn=passed)["status"] == "SUCCEEDED"


def test_a_forgotten_executions_task_tokens_stay_retired() -> None:
    """A late callback for a forgotten execution is TaskTimedOut (its token was retired when it
    ended), not InvalidToken, and it cannot reach any execution."""
    service = RecordingService()
    sfn = LocalStepFunctions(services=service, max_executions=2)
    waiting = sfn.start_execution(stateMachineArn=create(sfn, "waits", text=CALLBACK))["executionArn"]
    sfn.stop_execution(executionArn=waiting)
    _started(sfn, create(sfn, "passes"), 3)
    with pytest.raises(ClientError):
        sfn.describe_execution(executionArn=waiting)
    with pytest.raises(ClientError) as refused:
        sfn.send_task_success(taskToken=service.tokens[0], output="{}")
    assert error_of(refused)[0] == "TaskTimedOut"


def test_a_forgotten_name_can_be_used_again() -> None:
    """A STANDARD execution name is unique while AWS keeps the execution; after that it is free."""
    sfn = LocalStepFunctions(max_executions=1)
    arn = create(sfn)
    first = sfn.start_execution(stateMachineArn=arn, name="nightly", input='{"run": 1}')["executionArn"]
    sfn.start_execution(stateMachineArn=arn, name="other")
    again = sfn.start_execution(stateMachineArn=arn, name="nightly", input='{"run": 2}')["executionArn"]
    assert again == first
    assert sfn.describe_execution(executionArn=again)["input"] == '{"run": 2}'


def test_none_keeps_every_execution() -> None:
    sfn = LocalStepFunctions(max_executions=None)
    arn = create(sfn)
    assert len(_listed(sfn, arn)) == 0
    _started(sfn, arn, 30)
    assert len(_listed(sfn, arn)) == 30


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_a_bound_that_is_not_a_positive_whole_number_is_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"max_executions must be a whole number of at least 1, or None"):
        LocalStepFunctions(max_executions=bad)


def _live_executions() -> int:
    gc.collect()
    return sum(isinstance(item, Execution) for item in gc.get_objects())


def test_fifty_thousand_executions_keep_memory_bounded() -> None:
    """50,000 executions through a client bounded at 100: 100 are kept, nothing else grows."""
    sfn = LocalStepFunctions(max_executions=100)
    arn = create(sfn)
    baseline = _live_executions()
    _started(sfn, arn, 44_000)
    # Traced (slower) for the last 6,000 only: what they allocate beyond the first 1,000 is what stays.
    tracemalloc.start()
    try:
        _started(sfn, arn, 1_000)
        after_45_thousand, _ = tracemalloc.get_traced_memory()
        _started(sfn, arn, 5_000)
        after_50_thousand, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(_listed(sfn, arn)) == 100
    assert _live_executions() - baseline == 100
    # Unbounded, 5,000 more executions would hold more than 10 MB more.
    assert after_50_thousand - after_45_thousand < 500_000


def test_a_forgotten_executions_map_runs_go_with_it() -> None:
    """A Distributed Map's Map Run and child executions belong to their parent execution."""
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Each",
        "States": {"Each": {"Type": "Pass", "End": True}},
    }
    job = definition({"Job": {"Type": "Map", "ItemProcessor": processor, "End": True}})
    sfn = LocalStepFunctions(max_executions=1)
    parent = sfn.start_execution(stateMachineArn=create(sfn, "job", text=job), input="[1, 2]")["executionArn"]
    map_run = sfn.list_map_runs(executionArn=parent)["mapRuns"][0]["mapRunArn"]
    child = sfn.list_executions(mapRunArn=map_run)["executions"][0]["executionArn"]
    assert sfn.describe_execution(executionArn=child)["status"] == "SUCCEEDED"
    sfn.start_execution(stateMachineArn=create(sfn))
    with pytest.raises(ClientError) as gone:
        sfn.describe_map_run(mapRunArn=map_run)
    assert error_of(gone)[0] == "ResourceNotFound"
    with pytest.raises(ClientError) as forgotten:
        sfn.describe_execution(executionArn=child)
    assert error_of(forgotten)[0] == "ExecutionDoesNotExist"
