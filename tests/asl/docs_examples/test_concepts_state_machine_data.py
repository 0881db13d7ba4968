"""The worked example of the developer guide's State Machine Data page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-data.html
"""

from __future__ import annotations

from typing import Any

from docs_support import FakeService, Worker, run

from constructs_sfn.asl import Execution, VirtualClock, parse_definition
from constructs_sfn.asl.services import TaskOutcome

ADD_MACHINE: dict[str, Any] = {
    "Comment": "An example that adds two numbers together.",
    "StartAt": "Add",
    "Version": "1.0",
    "TimeoutSeconds": 10,
    "States": {"Add": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Add", "End": True}},
}


def test_the_add_function_result_is_the_execution_output() -> None:
    """The page's adder: ``{"numbers": [3, 4]}`` goes to the function, whose ``{"result": 7}`` is the
    last state's output and so the execution's.

    (The page's JavaScript returns ``JSON.stringify(...)``, a string, which Step Functions would pass on
    as a JSON string; the worker here returns the object the page says comes out.)
    """
    worker = Worker(lambda event: {"result": sum(event["numbers"])})

    execution = run(ADD_MACHINE, {"numbers": [3, 4]}, worker=worker)

    assert worker.inputs == [{"numbers": [3, 4]}]
    assert (execution.status, execution.output) == ("SUCCEEDED", {"result": 7})
    assert execution.output_text == '{"result":7}'


def test_the_machine_timeout_stops_a_slow_execution() -> None:
    """The machine's top-level ``TimeoutSeconds`` 10 times the execution out if the function takes longer."""
    slow = FakeService(lambda _request: TaskOutcome.success({"result": 7}, duration=11))

    execution = run(ADD_MACHINE, {"numbers": [3, 4]}, worker=slow)

    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    assert execution.events[-1]["type"] == "ExecutionTimedOut"


def test_without_input_the_first_state_gets_an_empty_object() -> None:
    """If no input is provided, the execution's input is ``{}``."""
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}

    execution = Execution(parse_definition(definition), clock=VirtualClock.fixed()).run()

    assert (execution.output, execution.input_text) == ({}, "{}")


def test_any_json_value_is_state_data() -> None:
    """State data is any JSON value: a lone string, a number, a Boolean, null, an array, an object."""
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}

    for value in ["just a string", 3.25, True, [1, "a"], {"k": {}}]:
        assert run(definition, value).output == value
