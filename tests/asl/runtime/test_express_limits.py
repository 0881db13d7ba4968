"""EXPRESS limits: five minutes of (virtual) execution time, then ``States.Timeout``.

AWS: an Express workflow runs for at most five minutes; one that runs longer times out (status
``TIMED_OUT``, error ``States.Timeout``), whatever its own ``TimeoutSeconds`` says, and a smaller
``TimeoutSeconds`` still applies. Standard executions are not affected.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from runtime_support import EPOCH, assert_well_formed, execute, machine, offsets, one, types

from constructs_sfn.asl import ExecutionContextInfo
from constructs_sfn.asl.runtime.interpreter import EXPRESS_MAX_SECONDS
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
EXPRESS = ExecutionContextInfo(start_time=EPOCH, state_machine_type="EXPRESS")
STANDARD = ExecutionContextInfo(start_time=EPOCH, state_machine_type="STANDARD")


def _waits(*seconds: int, **top: object) -> dict[str, object]:
    states: dict[str, object] = {}
    for index, amount in enumerate(seconds):
        last = index == len(seconds) - 1
        state: dict[str, object] = {"Type": "Wait", "Seconds": amount}
        state.update({"End": True} if last else {"Next": f"W{index + 1}"})
        states[f"W{index}"] = state
    return machine(states, **top)


def test_the_express_limit_is_five_minutes() -> None:
    assert EXPRESS_MAX_SECONDS == 300


def test_an_express_wait_past_five_minutes_times_out_at_five_minutes() -> None:
    execution = execute(_waits(600), info=EXPRESS)
    assert (execution.status, execution.error, execution.cause) == ("TIMED_OUT", "States.Timeout", None)
    timed_out = one(execution, "ExecutionTimedOut")
    assert offsets([timed_out]) == [300.0]
    assert timed_out["executionTimedOutEventDetails"] == {"error": "States.Timeout"}
    assert types(execution) == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    assert_well_formed(execution)


def test_an_express_loop_of_waits_stops_at_five_minutes() -> None:
    looping = machine(
        {
            "Tick": {"Type": "Wait", "Seconds": 7, "Next": "Again"},
            "Again": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                "Default": "Tick",
            },
            "Done": {"Type": "Succeed"},
        }
    )
    execution = execute(looping, info=EXPRESS)
    assert execution.status == "TIMED_OUT"
    assert offsets([one(execution, "ExecutionTimedOut")]) == [300.0]


def test_an_express_execution_inside_five_minutes_succeeds() -> None:
    execution = execute(_waits(100, 199), info=EXPRESS)
    assert execution.status == "SUCCEEDED"
    assert offsets([execution.events[-1]]) == [299.0]


def test_a_larger_timeout_seconds_does_not_extend_an_express_execution() -> None:
    execution = execute(_waits(900, TimeoutSeconds=3600), info=EXPRESS)
    assert execution.status == "TIMED_OUT"
    assert offsets([one(execution, "ExecutionTimedOut")]) == [300.0]


def test_a_smaller_timeout_seconds_still_applies_to_an_express_execution() -> None:
    execution = execute(_waits(90, TimeoutSeconds=60), info=EXPRESS)
    assert execution.status == "TIMED_OUT"
    assert offsets([one(execution, "ExecutionTimedOut")]) == [60.0]


def test_a_standard_execution_may_run_longer_than_five_minutes() -> None:
    execution = execute(_waits(3600), info=STANDARD)
    assert execution.status == "SUCCEEDED"
    assert offsets([execution.events[-1]]) == [3600.0]


def _client_machine(client: LocalStepFunctions, text: dict[str, object]) -> str:
    created = client.create_state_machine(name="express", definition=json.dumps(text), roleArn=ROLE, type="EXPRESS")
    return str(created["stateMachineArn"])


def test_start_sync_execution_reports_the_timeout_at_five_minutes() -> None:
    client = LocalStepFunctions()
    response = client.start_sync_execution(stateMachineArn=_client_machine(client, _waits(240, 240)), input="{}")
    assert (response["status"], response["error"]) == ("TIMED_OUT", "States.Timeout")
    assert response["stopDate"] == datetime(2024, 1, 1, 0, 5, tzinfo=UTC)
    assert "output" not in response
    assert response["billingDetails"]["billedDurationInMilliseconds"] == 300_000


def test_an_asynchronous_express_execution_times_out_too() -> None:
    client = LocalStepFunctions(express_history=True)
    run = client.start_execution(stateMachineArn=_client_machine(client, _waits(3600)))
    execution = client.local_execution(run["executionArn"])
    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    assert execution.stop_date == datetime(2024, 1, 1, 0, 5, tzinfo=UTC)
