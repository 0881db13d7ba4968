"""Every Step Functions operation of ``LocalStepFunctions`` keeps boto3's calling convention and the
client's lock, whichever operation module (state machines, executions, task tokens, ...) defines it.

boto3's generated client methods accept keyword arguments only (``TypeError`` otherwise) and check
parameters against the service model before sending anything (``ParamValidationError``); see
https://boto3.amazonaws.com/v1/documentation/api/latest/guide/error-handling.html.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import ParamValidationError

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.service_model import service_model

from .helpers import create, definition


def _operations() -> list[str]:
    names = {xform_name(name) for name in service_model().operation_names}
    return sorted(name for name in names if callable(getattr(LocalStepFunctions, name, None)))


OPERATIONS = _operations()


def test_the_client_implements_the_operations_of_each_purpose() -> None:
    """The split into operation modules left no group behind (one operation of each is present)."""
    for name in (
        "create_state_machine",
        "start_execution",
        "get_execution_history",
        "send_task_success",
        "get_activity_task",
        "validate_state_machine_definition",
        "test_state",
        "publish_state_machine_version",
        "create_state_machine_alias",
        "tag_resource",
        "describe_map_run",
    ):
        assert name in OPERATIONS
    assert len(OPERATIONS) >= 35


@pytest.mark.parametrize("name", OPERATIONS)
def test_positional_arguments_are_refused_as_boto3_refuses_them(name: str) -> None:
    with pytest.raises(TypeError, match="only accepts keyword arguments"):
        getattr(LocalStepFunctions(), name)("arn:aws:states:us-east-1:123456789012:stateMachine:m")


@pytest.mark.parametrize("name", OPERATIONS)
def test_an_unknown_parameter_is_a_param_validation_error(name: str) -> None:
    with pytest.raises(ParamValidationError, match='Unknown parameter in input: "bogus"'):
        getattr(LocalStepFunctions(), name)(bogus=1)


@pytest.mark.parametrize("name", OPERATIONS)
def test_the_call_waits_for_the_lock_an_execution_holds(name: str) -> None:
    """A call from another thread while an execution runs does not start until the execution ends."""
    outcomes: list[str] = []
    blocked: list[bool] = []

    def call() -> None:
        try:
            getattr(sfn, name)(bogus=1)
        except ParamValidationError:
            outcomes.append("refused")

    class Probe:
        def invoke(self, request: TaskRequest) -> TaskOutcome:
            worker = threading.Thread(target=call)
            worker.start()
            worker.join(0.1)
            blocked.append(worker.is_alive())
            workers.append(worker)
            return TaskOutcome.success({})

    workers: list[threading.Thread] = []
    sfn = LocalStepFunctions(services=Probe())
    task = definition({"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}})
    arn = create(sfn, "m", text=task)
    sfn.start_execution(stateMachineArn=arn)
    workers[0].join(5)
    assert blocked == [True]
    assert outcomes == ["refused"]


def test_non_boto3_methods_keep_their_positional_parameters() -> None:
    """``advance_clock`` and ``run_until_finished`` are the toolkit's own: positional calls work."""
    sfn = LocalStepFunctions()
    wait = definition({"W": {"Type": "Wait", "Seconds": 5, "End": True}})
    arn = create(sfn, "w", text=wait)
    sfn.advance_clock(1.0)
    execution_arn = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    answer: dict[str, Any] = sfn.run_until_finished(execution_arn)
    assert answer["status"] == "SUCCEEDED"
