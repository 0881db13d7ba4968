"""The observer hook: Choice rules, retriers, catchers, branches and iterations, located by pointer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.asl import Execution, parse_definition
from constructs_sfn.asl.runtime.interpreter import Execution as ExecutionType
from constructs_sfn.asl.runtime.observer import TraceEvent, TraceKind, pointer_steps, readable_path
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.local import LocalStepFunctions

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work"


class Recorder:
    """Keeps every event with the ARN of the execution it came from."""

    def __init__(self) -> None:
        self.events: list[tuple[str, TraceEvent]] = []

    def on_event(self, execution: ExecutionType, event: TraceEvent) -> None:
        self.events.append((execution.info.state_machine_arn, event))

    def kinds(self, *kinds: TraceKind) -> list[TraceEvent]:
        return [event for _arn, event in self.events if event.kind in kinds]


class Scripted:
    """A TaskService answering each state's attempts from a script (then succeeding)."""

    def __init__(self, **script: list[str]) -> None:
        self.script = {name: list(errors) for name, errors in script.items()}

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        pending = self.script.get(request.state_name, [])
        if pending:
            return TaskOutcome.failure(pending.pop(0), "scripted")
        return TaskOutcome.success({"from": request.state_name})


CHOICE = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.kind", "StringEquals": "a", "Next": "A"},
                {"Variable": "$.kind", "StringEquals": "b", "Next": "B"},
            ],
            "Default": "Other",
        },
        "A": {"Type": "Succeed"},
        "B": {"Type": "Pass", "End": True},
        "Other": {"Type": "Fail", "Error": "Nope"},
    },
}


def run(definition: dict[str, Any], value: Any, services: Any = None) -> tuple[Execution, Recorder]:
    recorder = Recorder()
    execution = Execution(parse_definition(definition), value, services=services, observer=recorder).run()
    return execution, recorder


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("a", (TraceKind.CHOICE_RULE, 0, "A")),
        ("b", (TraceKind.CHOICE_RULE, 1, "B")),
        ("z", (TraceKind.CHOICE_DEFAULT, None, "Other")),
    ],
)
def test_choice_names_the_rule_or_default_taken(kind: str, expected: tuple[TraceKind, int | None, str]) -> None:
    _, recorder = run(CHOICE, {"kind": kind})
    [choice] = recorder.kinds(TraceKind.CHOICE_RULE, TraceKind.CHOICE_DEFAULT)
    assert (choice.kind, choice.index, choice.next) == expected
    assert choice.pointer == "/States/Route"


def test_jsonata_choice_rule_index() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [
                    {"Condition": "{% $states.input.n > 10 %}", "Next": "Big"},
                    {"Condition": "{% $states.input.n > 0 %}", "Next": "Small"},
                ],
            },
            "Big": {"Type": "Succeed"},
            "Small": {"Type": "Succeed"},
        },
    }
    _, recorder = run(definition, {"n": 3})
    [choice] = recorder.kinds(TraceKind.CHOICE_RULE)
    assert (choice.index, choice.next) == (1, "Small")


def test_sequence_of_a_simple_run_and_its_endings() -> None:
    execution, recorder = run(CHOICE, {"kind": "b"})
    assert execution.status == "SUCCEEDED"
    assert [(e.kind, e.state, e.next) for _, e in recorder.events] == [
        (TraceKind.EXECUTION_STARTED, None, None),
        (TraceKind.STATE_ENTERED, "Route", None),
        (TraceKind.CHOICE_RULE, "Route", "B"),
        (TraceKind.STATE_LEFT, "Route", "B"),
        (TraceKind.STATE_ENTERED, "B", None),
        (TraceKind.STATE_LEFT, "B", None),
        (TraceKind.EXECUTION_ENDED, None, None),
    ]
    assert recorder.events[-1][1].detail == "SUCCEEDED"


def test_fail_state_reports_state_failed_and_the_failed_execution() -> None:
    execution, recorder = run(CHOICE, {"kind": "other"})
    assert execution.status == "FAILED"
    [failed] = recorder.kinds(TraceKind.STATE_FAILED)
    assert (failed.state, failed.error) == ("Other", "Nope")
    [ended] = recorder.kinds(TraceKind.EXECUTION_ENDED)
    assert (ended.detail, ended.error) == ("FAILED", "Nope")


TASK = {
    "StartAt": "Work",
    "States": {
        "Work": {
            "Type": "Task",
            "Resource": LAMBDA,
            "Retry": [
                {"ErrorEquals": ["Throttled"], "MaxAttempts": 2, "IntervalSeconds": 1},
                {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1},
            ],
            "Catch": [
                {"ErrorEquals": ["Fatal"], "Next": "Handle"},
                {"ErrorEquals": ["States.ALL"], "Next": "Generic"},
            ],
            "End": True,
        },
        "Handle": {"Type": "Pass", "End": True},
        "Generic": {"Type": "Pass", "End": True},
    },
}


def test_retry_names_the_retrier_and_the_attempt() -> None:
    execution, recorder = run(TASK, {}, Scripted(Work=["Throttled", "Throttled", "Other"]))
    assert execution.status == "SUCCEEDED"
    retries = recorder.kinds(TraceKind.RETRY)
    assert [(e.index, e.error, e.attempt) for e in retries] == [
        (0, "Throttled", 1),
        (0, "Throttled", 2),
        (1, "Other", 3),
    ]
    assert recorder.kinds(TraceKind.CATCH) == []


def test_catch_names_the_catcher_once_retries_are_exhausted() -> None:
    execution, recorder = run(TASK, {}, Scripted(Work=["Throttled", "Throttled", "Throttled"]))
    assert execution.status == "SUCCEEDED"
    [caught] = recorder.kinds(TraceKind.CATCH)
    assert (caught.index, caught.error, caught.next) == (1, "Throttled", "Generic")
    _, fatal = run(TASK, {}, Scripted(Work=["Fatal", "Fatal"]))
    [caught] = fatal.kinds(TraceKind.CATCH)
    assert (caught.index, caught.next) == (0, "Handle")
    # A Catch-routed exit is not also a normal exit of the state.
    assert [e.state for e in fatal.kinds(TraceKind.STATE_LEFT)] == ["Handle"]


def test_identical_catchers_are_told_apart_by_position() -> None:
    definition = json.loads(json.dumps(TASK))
    del definition["States"]["Work"]["Retry"]
    definition["States"]["Work"]["Catch"] = [
        {"ErrorEquals": ["X"], "Next": "Handle"},
        {"ErrorEquals": ["X"], "Next": "Generic"},
    ]
    _, recorder = run(definition, {}, Scripted(Work=["X"]))
    assert [e.index for e in recorder.kinds(TraceKind.CATCH)] == [0]


NESTED = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": True}}},
            ],
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "ItemsPath": "$[0]",
            "ItemProcessor": {
                "StartAt": "Item",
                "States": {"Item": {"Type": "Task", "Resource": LAMBDA, "End": True}},
            },
            "End": True,
        },
    },
}


def test_nested_states_are_located_by_pointer() -> None:
    execution, recorder = run(NESTED, [1, 2, 3], Scripted())
    assert execution.status == "SUCCEEDED", execution.cause
    branches = recorder.kinds(TraceKind.BRANCH_STARTED)
    assert sorted(e.index for e in branches if e.index is not None) == [0, 1]
    assert {e.pointer for e in branches} == {"/States/Fan"}
    iterations = recorder.kinds(TraceKind.ITERATION_STARTED)
    assert sorted(e.index for e in iterations if e.index is not None) == [0, 1, 2]
    entered = [e.pointer for e in recorder.kinds(TraceKind.STATE_ENTERED)]
    assert sorted(set(entered)) == [
        "/States/Each",
        "/States/Each/ItemProcessor/States/Item",
        "/States/Fan",
        "/States/Fan/Branches/0/States/Left",
        "/States/Fan/Branches/1/States/Right",
    ]
    assert entered.count("/States/Each/ItemProcessor/States/Item") == 3
    readable = {e.path for e in recorder.kinds(TraceKind.STATE_ENTERED)}
    assert ("Fan", "branch 1", "Right") in readable
    assert ("Each", "item processor", "Item") in readable


def test_pointer_helpers_unescape() -> None:
    assert pointer_steps("/States/a~1b~0c/Branches/2") == ["States", "a/b~c", "Branches", "2"]
    assert readable_path("/States/a~1b") == ("a/b",)
    assert readable_path("") == ()


def test_local_client_passes_its_observer_to_every_execution_and_nested_children() -> None:
    from constructs_sfn.integrations import TaskServices

    recorder = Recorder()
    client = LocalStepFunctions(services=TaskServices(read_env=False), observer=recorder)
    role = "arn:aws:iam::123456789012:role/r"
    child = client.create_state_machine(
        name="Child", roleArn=role, definition=json.dumps({"StartAt": "C", "States": {"C": {"Type": "Succeed"}}})
    )["stateMachineArn"]
    parent_definition = {
        "StartAt": "Start",
        "States": {
            "Start": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child, "Input": {}},
                "End": True,
            }
        },
    }
    parent = client.create_state_machine(name="Parent", roleArn=role, definition=json.dumps(parent_definition))[
        "stateMachineArn"
    ]
    started = client.start_execution(stateMachineArn=parent, input="{}")
    assert client.describe_execution(executionArn=started["executionArn"])["status"] == "SUCCEEDED"
    entered = [(arn, e.state) for arn, e in recorder.events if e.kind is TraceKind.STATE_ENTERED]
    assert (parent, "Start") in entered
    assert (child, "C") in entered


def test_without_observer_nothing_changes() -> None:
    plain = Execution(parse_definition(TASK), {}, services=Scripted(Work=["Fatal"])).run()
    watched, _ = run(TASK, {}, Scripted(Work=["Fatal"]))
    assert plain.observer is None
    assert plain.events == watched.events
