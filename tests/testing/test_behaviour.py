"""Behaviour traces: what an execution did, from its history events, free of run-to-run churn."""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
from typing import Any

import pytest

from constructs_sfn.asl import Execution, parse_definition
from constructs_sfn.asl.errors import StatesError
from constructs_sfn.integrations import TaskServices
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.testing.behaviour import (
    BehaviourError,
    BehaviourTrace,
    behaviour_trace,
    render_behaviour,
    trace_execution,
)

ROLE = "arn:aws:iam::123456789012:role/sfn"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:"


def checkout(threshold: int = 100, compensations: tuple[str, str] = ("Refund", "Release")) -> dict[str, Any]:
    """A saga: validate, reserve each item (Map), charge with Retry, ship with Catch -> compensations."""
    first, second = compensations
    return {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.amount", "NumericGreaterThan": threshold, "Next": "TooBig"}],
                "Default": "Reserve",
            },
            "TooBig": {"Type": "Fail", "Error": "Order.TooBig", "Cause": "over the limit"},
            "Reserve": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ResultPath": "$.reserved",
                "ItemProcessor": {"StartAt": "Hold", "States": {"Hold": {"Type": "Pass", "End": True}}},
                "Next": "Notify",
            },
            "Notify": {
                "Type": "Parallel",
                "ResultPath": None,
                "Branches": [
                    {"StartAt": "Email", "States": {"Email": {"Type": "Pass", "End": True}}},
                    {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 5, "End": True}}},
                ],
                "Next": "Charge",
            },
            "Charge": {
                "Type": "Task",
                "Resource": LAMBDA + "Charge",
                "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 3}],
                "ResultPath": "$.charge",
                "Next": "Ship",
            },
            "Ship": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "Ship", "Payload.$": "$"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": first}],
                "End": True,
            },
            first: {"Type": "Pass", "Result": first, "ResultPath": "$.undone", "Next": second},
            second: {"Type": "Pass", "Result": second, "ResultPath": "$.undone", "Next": "Failed"},
            "Failed": {"Type": "Fail", "Error": "Order.NotShipped", "Cause": "compensated"},
        },
    }


def services(ship_fails: bool = True) -> TaskServices:
    calls = {"charge": 0}

    def charge(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls["charge"] += 1
        if calls["charge"] == 1:
            raise StatesError("Lambda.TooManyRequestsException", "slow down")
        return {"charged": event["amount"]}

    def ship(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if ship_fails:
            raise RuntimeError("no truck")
        return {"tracking": "T-1"}

    result = TaskServices()
    result.bind_lambda("Charge", charge)
    result.bind_lambda("Ship", ship)
    return result


def run(definition: dict[str, Any], payload: Any, **kwargs: Any) -> Execution:
    return Execution(parse_definition(json.dumps(definition)), payload, services=services(**kwargs)).run()


ORDER = {"amount": 10, "items": ["a", "b"]}


def test_trace_lists_steps_retries_catch_iterations_and_branches() -> None:
    trace = trace_execution(run(checkout(), ORDER))
    assert trace.status == "FAILED"
    assert (trace.error, trace.cause) == ("Order.NotShipped", "compensated")
    assert trace.input == ORDER
    assert [step.name for step in trace.steps] == [
        "Check",
        "Reserve",
        "Notify",
        "Charge",
        "Ship",
        "Refund",
        "Release",
        "Failed",
    ]
    check, reserve, notify, charge, ship = trace.steps[:5]
    assert check.state_type == "Choice"
    assert check.next == "Reserve"
    assert [b.label for b in reserve.branches] == ["iteration 0", "iteration 1"]
    assert [b.steps[0].input for b in reserve.branches] == ["a", "b"]
    assert reserve.output["reserved"] == ["a", "b"]
    assert [b.label for b in notify.branches] == ["branch 0", "branch 1"]
    assert [b.steps[0].name for b in notify.branches] == ["Email", "Pause"]
    assert [(a.number, a.error) for a in charge.attempts] == [(1, "Lambda.TooManyRequestsException"), (2, None)]
    assert charge.output["charge"] == {"charged": 10}
    assert ship.caught
    assert ship.error == "RuntimeError"
    assert ship.next == "Refund"
    assert not trace.steps[-1].exited


def test_rendering_is_compact_and_readable() -> None:
    text = render_behaviour(trace_execution(run(checkout(), ORDER)))
    lines = text.splitlines()
    assert lines[:5] == [
        "status: FAILED",
        "error: Order.NotShipped",
        "cause: compensated",
        'input: {"amount":10,"items":["a","b"]}',
        "steps:",
    ]
    assert "- Check (Choice) -> Reserve out: (unchanged)" in lines
    assert '    - Hold (Pass) in: "a" out: (unchanged)' in lines
    assert "    attempt 1: Lambda.TooManyRequestsException: slow down" in lines
    assert "    attempt 2: ok" in lines
    assert "    caught -> Refund" in lines
    assert lines[-1] == "- Failed (Fail)"
    # Lines only run past the width where one JSON string (here the caught Cause) cannot be broken.
    assert all(len(line) <= 110 or '\\"errorMessage' in line for line in lines)


def test_run_churn_is_scrubbed() -> None:
    text = render_behaviour(trace_execution(run(checkout(), ORDER)))
    # The Lambda error document carries a request id (a uuid) and a stack trace naming this file.
    assert '"requestId":"<request-id>"' in text
    assert '"stackTrace":"<stack-trace>"' in text
    assert __file__ not in text
    assert "test_behaviour.py" not in text


def test_execution_ids_timestamps_and_http_metadata_are_scrubbed() -> None:
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {
                    "FunctionName": "Echo",
                    "Payload": {"started.$": "$$.Execution.StartTime", "id.$": "$$.Execution.Id"},
                },
                "End": True,
            }
        },
    }
    served = TaskServices()
    served.bind_lambda("Echo", lambda event, context: event)
    execution = Execution(parse_definition(json.dumps(definition)), {}, services=served).run()
    trace = trace_execution(execution)
    assert trace.status == "SUCCEEDED"
    assert trace.output["Payload"] == {"started": "<timestamp>", "id": "<execution-arn>"}
    assert trace.output["SdkHttpMetadata"] == "<sdk-http-metadata>"
    assert trace.output["SdkResponseMetadata"] == {"RequestId": "<request-id>"}
    assert '\noutput: {"ExecutedVersion":"$LATEST","Payload":{"started":"<timestamp>"' in render_behaviour(trace)


def test_two_runs_render_identically() -> None:
    assert render_behaviour(trace_execution(run(checkout(), ORDER))) == render_behaviour(
        trace_execution(run(checkout(), ORDER))
    )


def _diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_choice_threshold_change_is_a_small_diff() -> None:
    order = {"amount": 150, "items": ["a"]}
    before = render_behaviour(trace_execution(run(checkout(threshold=200), order)))
    after = render_behaviour(trace_execution(run(checkout(threshold=100), order)))
    changed = _diff(before, after)
    assert "+- Check (Choice) -> TooBig out: (unchanged)" in changed
    assert "-- Check (Choice) -> Reserve out: (unchanged)" in changed
    assert "+error: Order.TooBig" in changed


def test_swapped_compensations_are_a_small_diff() -> None:
    before = render_behaviour(trace_execution(run(checkout(), ORDER)))
    after = render_behaviour(trace_execution(run(checkout(compensations=("Release", "Refund")), ORDER)))
    changed = _diff(before, after)
    # Both compensations show a different output; nothing outside them changes.
    assert 0 < len(changed) <= 12, changed
    assert not [line for line in changed if "Ship" in line or "Charge" in line or "Check" in line]
    assert "+    caught -> Release" in changed
    assert "-    caught -> Refund" in changed


def test_waiting_callback_is_running_and_token_is_scrubbed() -> None:
    definition = {
        "StartAt": "Approve",
        "States": {
            "Approve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "Ask", "Payload": {"token.$": "$$.Task.Token"}},
                "End": True,
            }
        },
    }
    served = TaskServices()
    served.bind_lambda("Ask", lambda event, context: None)
    sfn = LocalStepFunctions(services=served)
    arn = sfn.create_state_machine(name="approve", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    started = sfn.start_execution(stateMachineArn=arn, input="{}")
    history = sfn.get_execution_history(executionArn=started["executionArn"])["events"]
    trace = behaviour_trace(history)
    assert trace.status == "RUNNING"
    assert trace.steps[0].name == "Approve"
    assert not trace.steps[0].exited
    text = render_behaviour(trace)
    assert "(running)" in text
    scheduled = next(e for e in history if e["type"] == "TaskScheduled")
    token = json.loads(scheduled["taskScheduledEventDetails"]["parameters"])["Payload"]["token"]
    assert token not in repr(trace)


def test_overrides_and_client_history() -> None:
    sfn = LocalStepFunctions()
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
    arn = sfn.create_state_machine(name="p", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    started = sfn.start_execution(stateMachineArn=arn, input='{"x": 1}')
    events = sfn.get_execution_history(executionArn=started["executionArn"])["events"]
    trace = behaviour_trace(events)
    assert trace == BehaviourTrace(
        steps=trace.steps, status="SUCCEEDED", input={"x": 1}, output={"ok": True}, error=None, cause=None
    )
    assert render_behaviour(trace) == (
        'status: SUCCEEDED\ninput: {"x":1}\nsteps:\n- P (Pass) out: {"ok":true}\noutput: {"ok":true}\n'
    )
    overridden = behaviour_trace(events, status="ABORTED", output=None, error="E", cause="C")
    assert (overridden.status, overridden.output, overridden.error, overridden.cause) == ("ABORTED", None, "E", "C")


def test_long_payloads_are_wrapped_at_commas() -> None:
    payload = {f"field{i}": "x" * 12 for i in range(20)}
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": payload, "End": True}}}
    text = render_behaviour(trace_execution(Execution(parse_definition(json.dumps(definition)), {}).run()))
    out_lines = text.split("steps:\n")[1].split("output:")[0].splitlines()
    assert out_lines[0] == "- P (Pass)"
    assert out_lines[1].startswith('    out: {"field0"')
    assert all(len(line) <= 110 for line in out_lines)
    assert all(line.startswith("      ") for line in out_lines[2:])
    assert json.loads("".join(line.strip() for line in out_lines[1:])[len("out: ") :]) == payload


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([{"id": 1}], "event 0: expected a history event with 'type' and 'id'"),
        (
            [{"id": 1, "type": "PassStateExited", "previousEventId": 0, "stateExitedEventDetails": {"name": "X"}}],
            "event 0 (PassStateExited, id 1): no running state X",
        ),
    ],
)
def test_unreadable_events_name_the_event(events: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(BehaviourError, match=re.escape(message)):
        behaviour_trace(events)


def test_traces_and_normalized_forms_do_not_need_syrupy() -> None:
    code = (
        "import sys\n"
        "import constructs_sfn.testing.behaviour, constructs_sfn.testing.snapshot_normalize\n"
        "assert 'syrupy' not in sys.modules, 'syrupy was imported'\n"
        "import constructs_sfn.testing.snapshots\n"
        "assert 'syrupy' in sys.modules\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr


def test_caught_map_failure_is_shown_after_its_iterations() -> None:
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Item.Bad"}}},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
                "End": True,
            },
            "Recover": {"Type": "Pass", "End": True},
        },
    }
    trace = trace_execution(Execution(parse_definition(json.dumps(definition)), [1]).run())
    each = trace.steps[0]
    assert each.caught
    assert each.error == "MapStateFailed"
    assert each.branches[0].status == "FAILED"
    assert [step.name for step in each.branches[0].steps] == ["Boom"]
    lines = render_behaviour(trace).splitlines()
    start = lines.index("- Each (Map)")
    assert lines[start + 1 : start + 6] == [
        "    iteration 0 (FAILED):",
        "    - Boom (Fail) in: 1",
        "    error: MapStateFailed",
        "    caught -> Recover",
        '    out: {"Error":"Item.Bad"}',
    ]


def test_service_request_ids_in_causes_are_scrubbed() -> None:
    from constructs_sfn.testing.snapshot_scrub import scrub_run_text

    cause = "Not there. (Service: AmazonS3; Status Code: 404; Error Code: NoSuchKey; Request ID: Ab12+/x=; Proxy: null)"
    assert scrub_run_text(cause) == (
        "Not there. (Service: AmazonS3; Status Code: 404; Error Code: NoSuchKey; Request ID: <request-id>; Proxy: null)"
    )
