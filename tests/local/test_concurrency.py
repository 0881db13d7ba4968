"""One LocalStepFunctions shared by threads: nothing lost, nothing handed out twice, nothing grows.

The stress test runs eight threads against one client for a bounded time (about two seconds):
starters start executions of a machine whose Task waits for an activity worker, workers poll the
activity and answer, and readers list, describe and read histories meanwhile. Afterwards every
started execution must have succeeded, each activity task must have gone to exactly one worker,
and the listing must show each execution exactly once.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.integrations.nested import NestedExecutions
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.records import RETIRED_TOKEN_MEMORY, RetiredTokens

from .helpers import PASS, create, definition, error_of

STRESS_SECONDS = 2.0
DRAIN_SECONDS = 20.0


def _activity_machine(client: LocalStepFunctions) -> tuple[str, str]:
    activity = client.create_activity(name="work")["activityArn"]
    text = definition(
        {
            "Work": {"Type": "Task", "Resource": activity, "TimeoutSeconds": 3600, "Next": "Done"},
            "Done": {"Type": "Pass", "End": True},
        }
    )
    return create(client, "stress", text), activity


class _Stress:
    """Shared bookkeeping of the stress threads (appends to lists are atomic in CPython)."""

    def __init__(self, client: LocalStepFunctions, machine: str, activity: str) -> None:
        self.client = client
        self.machine = machine
        self.activity = activity
        self.stop = threading.Event()
        self.started: list[str] = []
        self.handed_out: list[str] = []
        self.answered: list[str] = []
        self.failures: list[BaseException] = []
        self.reads = 0

    def guarded(self, body: Any) -> Any:
        def run() -> None:
            try:
                body()
            except BaseException as failure:  # reported by the test, never swallowed
                self.failures.append(failure)
                self.stop.set()

        return run

    def starter(self, prefix: str) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            run = self.client.start_execution(
                stateMachineArn=self.machine, name=f"{prefix}-{number}", input=json.dumps({"n": number})
            )
            self.started.append(run["executionArn"])

    def worker(self, name: str) -> None:
        while not self.stop.is_set():
            self.work_once(name)

    def work_once(self, name: str) -> bool:
        task = self.client.get_activity_task(activityArn=self.activity, workerName=name)
        token = task.get("taskToken")
        if token is None:
            return False
        self.handed_out.append(token)
        self.client.send_task_success(taskToken=token, output=task["input"])
        self.answered.append(token)
        return True

    def reader(self) -> None:
        while not self.stop.is_set():
            listed = self.client.list_executions(stateMachineArn=self.machine, maxResults=50)
            for item in listed["executions"][:5]:
                self.client.describe_execution(executionArn=item["executionArn"])
                self.client.get_execution_history(executionArn=item["executionArn"], maxResults=20)
            self.client.list_executions(stateMachineArn=self.machine, statusFilter="RUNNING")
            self.reads += 1


def _all_listed(client: LocalStepFunctions, machine: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("list_executions").paginate(stateMachineArn=machine):
        items.extend(page["executions"])
    return items


def test_eight_threads_lose_nothing_and_hand_out_nothing_twice() -> None:
    client = LocalStepFunctions()
    machine, activity = _activity_machine(client)
    stress = _Stress(client, machine, activity)
    threads = [threading.Thread(target=stress.guarded(lambda p=p: stress.starter(p))) for p in ("a", "b", "c")]
    threads += [threading.Thread(target=stress.guarded(lambda w=w: stress.worker(w))) for w in ("w1", "w2", "w3")]
    threads += [threading.Thread(target=stress.guarded(stress.reader)) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(STRESS_SECONDS)
    stress.stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    assert not stress.failures, stress.failures

    # Every task still scheduled can be fetched by a worker: nothing was dropped from the backlog.
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline and stress.work_once("drain"):
        pass

    started = stress.started
    assert len(started) >= 20, f"only {len(started)} executions started: the stress did not stress"
    assert stress.reads > 0
    assert len(set(started)) == len(started)
    statuses = Counter(client.describe_execution(executionArn=arn)["status"] for arn in started)
    assert statuses == Counter({"SUCCEEDED": len(started)})
    assert len(stress.handed_out) == len(set(stress.handed_out)) == len(started), "a task went to two workers"
    assert sorted(stress.answered) == sorted(stress.handed_out)
    listed = [item["executionArn"] for item in _all_listed(client, machine)]
    assert Counter(listed) == Counter(started), "listing lost or repeated executions"
    assert "taskToken" not in client.get_activity_task(activityArn=activity, workerName="late")
    assert client._token_owners == {}


def test_an_empty_poll_after_the_drain_has_no_task() -> None:
    client = LocalStepFunctions()
    machine, activity = _activity_machine(client)
    run = client.start_execution(stateMachineArn=machine, name="one")
    task = client.get_activity_task(activityArn=activity, workerName="w")
    client.send_task_success(taskToken=task["taskToken"], output="{}")
    assert "taskToken" not in client.get_activity_task(activityArn=activity, workerName="w")
    assert client.describe_execution(executionArn=run["executionArn"])["status"] == "SUCCEEDED"


def test_nested_executions_from_several_threads_do_not_deadlock() -> None:
    client = LocalStepFunctions(services=NestedExecutions())
    child = create(client, "child", PASS)
    parent_text = definition(
        {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child, "Input": {"from": "parent"}},
                "OutputPath": "$.Output",
                "End": True,
            }
        }
    )
    parent = create(client, "parent", parent_text)
    outputs: list[str] = []
    failures: list[BaseException] = []

    def run_parents(prefix: str) -> None:
        try:
            for number in range(15):
                arn = client.start_execution(stateMachineArn=parent, name=f"{prefix}-{number}")["executionArn"]
                outputs.append(client.describe_execution(executionArn=arn)["output"])
        except BaseException as failure:
            failures.append(failure)

    threads = [threading.Thread(target=run_parents, args=(f"t{index}",)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "nested executions deadlocked"
    assert not failures, failures
    assert [json.loads(text) for text in outputs] == [{"greeting": "hi"}] * 60
    assert len(_all_listed(client, child)) == 60


def test_finished_executions_tokens_are_forgotten_and_a_late_answer_is_task_timed_out() -> None:
    client = LocalStepFunctions()
    machine, activity = _activity_machine(client)
    tokens = []
    for number in range(50):
        client.start_execution(stateMachineArn=machine, name=f"run-{number}")
        task = client.get_activity_task(activityArn=activity, workerName="w")
        tokens.append(task["taskToken"])
        client.send_task_success(taskToken=task["taskToken"], output="{}")
    # Nothing is kept for executions that ended: the client does not grow with their tokens.
    assert client._token_owners == {}
    assert client._token_holders == {}
    assert client._activity_backlog == {}
    assert client._activity_started == set()
    with pytest.raises(ClientError) as late:
        client.send_task_success(taskToken=tokens[0], output="{}")
    assert error_of(late) == ("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
    with pytest.raises(ClientError) as unknown:
        client.send_task_heartbeat(taskToken="never-issued")
    assert error_of(unknown) == ("InvalidToken", "Invalid Token: 'Invalid token'")


def test_a_stopped_execution_forgets_its_scheduled_activity_task() -> None:
    client = LocalStepFunctions()
    machine, activity = _activity_machine(client)
    run = client.start_execution(stateMachineArn=machine, name="stopped")
    client.stop_execution(executionArn=run["executionArn"])
    assert "taskToken" not in client.get_activity_task(activityArn=activity, workerName="w")
    assert client._token_owners == {}


def test_retired_tokens_forget_the_oldest_beyond_their_capacity() -> None:
    retired = RetiredTokens(capacity=3)
    for token in ("a", "b", "c", "d", "d"):
        retired.add(token)
    assert len(retired) == 3
    assert "a" not in retired
    assert all(token in retired for token in ("b", "c", "d"))
    assert RETIRED_TOKEN_MEMORY == 100_000
    with pytest.raises(ValueError, match="capacity must be at least 1"):
        RetiredTokens(capacity=0)


def test_public_methods_keep_their_names_and_docstrings() -> None:
    method = LocalStepFunctions.start_execution
    assert method.__name__ == "start_execution"
    assert method.__doc__ is not None
    assert method.__doc__.startswith("``StartExecution``")
