"""TaskServices driving the real executor: handlers, faults into Catch chains, mocks, nested runs."""

from __future__ import annotations

import json
from typing import Any

from constructs_sfn.asl import parse_definition
from constructs_sfn.asl.runtime import Execution, ExecutionContextInfo
from constructs_sfn.integrations import LambdaContext, MockConfig, Return, TaskServices, Throw
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/sfn"


def _saga(*, heartbeat: bool = True) -> Any:
    charge: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "Charge", "Payload.$": "$"},
        "ResultSelector": {"charged.$": "$.Payload"},
        "Retry": [{"ErrorEquals": ["Payments.Busy"], "MaxAttempts": 2, "IntervalSeconds": 1}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}],
        "TimeoutSeconds": 10,
        "Next": "Done",
    }
    if heartbeat:
        charge["HeartbeatSeconds"] = 4
    return parse_definition(
        json.dumps(
            {
                "StartAt": "Charge",
                "States": {
                    "Charge": charge,
                    "Refund": {
                        "Type": "Task",
                        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Refund",
                        "End": True,
                    },
                    "Done": {"Type": "Succeed"},
                },
            }
        )
    )


def _services() -> TaskServices:
    services = TaskServices(read_env=False)
    services.bind_lambda("Charge", lambda event, context: event["amount"] * 2)
    services.bind_lambda("Refund", lambda event, context: {"refunded": event})
    return services


def _run(services: TaskServices, *, heartbeat: bool = True, **info: Any) -> Execution:
    definition = _saga(heartbeat=heartbeat)
    execution = Execution(definition, {"amount": 5}, services=services, info=ExecutionContextInfo(**info))
    execution.run()
    return execution


def test_handlers_run_the_happy_path() -> None:
    execution = _run(_services())
    assert (execution.status, execution.output) == ("SUCCEEDED", {"charged": 10})


def test_retried_fault_then_success() -> None:
    services = _services()
    services.faults.throw("Charge", "Payments.Busy", "busy", on_attempts=[0, 1])
    execution = _run(services)
    assert execution.output == {"charged": 10}
    assert [e["type"] for e in execution.events].count("TaskFailed") == 2


def test_fault_routes_into_the_compensation_chain() -> None:
    services = _services()
    services.faults.throw("Charge", "Payments.Declined", "card expired")
    execution = _run(services)
    assert execution.output == {"refunded": {"Error": "Payments.Declined", "Cause": "card expired"}}


def test_handler_exception_routes_into_the_compensation_chain() -> None:
    def broken(event: Any, context: LambdaContext) -> Any:
        raise KeyError("card")

    services = _services().bind_lambda("Charge", broken)
    output = _run(services).output
    assert output["refunded"]["Error"] == "KeyError"
    assert json.loads(output["refunded"]["Cause"])["errorMessage"] == "'card'"


def test_delay_past_the_timeout_times_out() -> None:
    services = _services()
    services.faults.delay("Charge", 20)
    assert _run(services, heartbeat=False).output == {"refunded": {"Error": "States.Timeout"}}
    # A slow worker that sends no heartbeats trips HeartbeatSeconds first.
    assert _run(services).output == {"refunded": {"Error": "States.HeartbeatTimeout"}}


def test_short_delay_costs_only_virtual_time() -> None:
    services = _services()
    services.faults.delay("Charge", 3)
    execution = _run(services)
    assert execution.output == {"charged": 10}
    assert execution.stop_date is not None
    assert execution.start_date is not None
    assert (execution.stop_date - execution.start_date).total_seconds() == 3


def test_silent_worker_misses_its_heartbeat() -> None:
    services = _services()
    services.faults.stall_heartbeats("Charge")
    assert _run(services).output == {"refunded": {"Error": "States.HeartbeatTimeout"}}


def test_hanging_worker_that_heartbeats_hits_the_task_timeout() -> None:
    services = _services()
    services.faults.time_out("Charge")
    assert _run(services).output == {"refunded": {"Error": "States.Timeout"}}


def test_mock_config_test_case_with_retries() -> None:
    config = MockConfig.build(
        {"Orders": {"Busy": {"Charge": [Throw("Payments.Busy", "b", times=2), Return({"Payload": 99})]}}}
    )
    services = TaskServices(read_env=False, mock_config=config)
    execution = _run(
        services,
        state_machine_arn="arn:aws:states:us-east-1:123456789012:stateMachine:Orders",
        state_machine_name="Orders",
        test_case="Busy",
    )
    assert execution.output == {"charged": 99}


def test_nested_start_execution_sync_on_the_local_client() -> None:
    sfn = LocalStepFunctions(services=TaskServices(read_env=False))
    child_definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}}
    child = sfn.create_state_machine(name="Child", definition=json.dumps(child_definition), roleArn=ROLE)
    parent_definition = {
        "StartAt": "Run",
        "States": {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child["stateMachineArn"], "Input": {"x": 1}, "Name": "kid"},
                "OutputPath": "$.Output",
                "End": True,
            }
        },
    }
    parent = sfn.create_state_machine(name="Parent", definition=json.dumps(parent_definition), roleArn=ROLE)
    started = sfn.start_execution(stateMachineArn=parent["stateMachineArn"])
    described = sfn.describe_execution(executionArn=started["executionArn"])
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"ok": 1})
