"""The run overlay: each state's outcome, visits, attempts, errors and timings from the history.

History semantics from the developer guide's "Viewing execution details" and the API reference's
HistoryEvent (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html):
each event names its parent in previousEventId; TaskScheduled starts an attempt, TaskFailed (or
LambdaFunctionFailed) carries its error and cause; a caught error still exits the state
("Catch ... transitions to the state named in Next", https://states-language.net/spec.html).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.visual import run_overlay

from .shop import SHOP, shop_definition, shop_run


def test_retried_then_succeeded_with_timings_and_path() -> None:
    overlay = run_overlay(shop_run({"total": 5, "items": ["a", "b"]}, busy_times=1), shop_definition())
    assert overlay.status == "SUCCEEDED"
    charge = overlay.states["Charge"]
    assert charge.outcome == "retried"
    (visit,) = charge.visits
    assert [(attempt.failed, attempt.error) for attempt in visit.attempts] == [(True, "Busy"), (False, None)]
    assert visit.error is None  # the last attempt succeeded
    assert visit.seconds == 1.0  # IntervalSeconds 1 on the virtual clock
    assert charge.retries == 1
    assert overlay.states["Pack"].map_items == {"started": 2, "succeeded": 2}
    assert overlay.states["PackItem"].outcome == "succeeded"
    assert len(overlay.states["PackItem"].visits) == 2
    assert overlay.taken == {("Validate", "Charge"), ("Charge", "Pack"), ("Pack", "Done")}
    assert overlay.state("Reject") is None
    assert overlay.state("Refund") is None
    # 6 states entered (PackItem twice) + 1 retry.
    assert overlay.state_transitions == 7
    assert overlay.seconds == 1.0


def test_caught_error_and_the_catch_path() -> None:
    overlay = run_overlay(shop_run({"total": 5, "items": []}, decline=True), shop_definition())
    charge = overlay.states["Charge"]
    assert charge.outcome == "caught"
    assert charge.visits[0].error == "Declined"
    assert "card declined" in (charge.visits[0].cause or "")
    assert ("Charge", "Refund") in overlay.taken
    assert overlay.states["Refund"].outcome == "succeeded"


def test_failed_map_item_fails_the_map_with_its_error() -> None:
    overlay = run_overlay(shop_run({"total": 5, "items": ["a", "glass"]}), shop_definition())
    assert (overlay.status, overlay.error) == ("FAILED", "Fragile")
    pack = overlay.states["Pack"]
    assert pack.outcome == "failed"
    assert pack.map_items == {"started": 2, "succeeded": 1, "failed": 1}
    assert pack.visits[0].error == "Fragile"
    item = overlay.states["PackItem"]
    assert item.outcome == "failed"
    assert item.outcome_counts() == {"succeeded": 1, "failed": 1}
    assert [visit.input for visit in item.visits] == ['"a"', '"glass"']


def test_fail_state_error_comes_from_the_history() -> None:
    overlay = run_overlay(shop_run({"total": 0}))  # without the definition: types from the events
    reject = overlay.states["Reject"]
    assert (reject.state_type, reject.outcome) == ("Fail", "failed")
    assert (reject.visits[0].error, reject.visits[0].cause) == ("Invalid", "total must be positive")


def test_get_execution_history_response_of_the_local_client() -> None:
    import json

    client = LocalStepFunctions()
    definition = json.dumps(SHOP)
    arn = client.create_state_machine(name="shop", definition=definition, roleArn="arn:aws:iam::1:role/r")[
        "stateMachineArn"
    ]
    started = client.start_execution(stateMachineArn=arn, input='{"total": 0}')
    newest_first = client.get_execution_history(executionArn=started["executionArn"], reverseOrder=True)
    overlay = run_overlay(newest_first, shop_definition())
    assert overlay.status == "FAILED"
    assert overlay.states["Reject"].outcome == "failed"
    assert overlay.taken == {("Validate", "Reject")}


def test_interleaved_parallel_branches_are_attributed_by_previous_event_id() -> None:
    """AWS interleaves branch events; previousEventId, not order, says which branch an event is in."""
    t0 = datetime(2024, 1, 1, tzinfo=UTC)

    def event(id_, prev, type_, seconds=0, **details):
        body = {"id": id_, "previousEventId": prev, "type": type_, "timestamp": (t0 + timedelta(seconds=seconds))}
        body.update(details)
        return body

    def entered(name):
        return {"stateEnteredEventDetails": {"name": name, "input": "{}"}}

    events = [
        event(1, 0, "ExecutionStarted", executionStartedEventDetails={"input": "{}"}),
        event(2, 1, "ParallelStateEntered", **entered("Both")),
        event(3, 2, "ParallelStateStarted"),
        event(4, 3, "TaskStateEntered", **entered("A")),
        event(5, 3, "TaskStateEntered", **entered("B")),
        event(6, 4, "TaskScheduled", 1),
        event(7, 5, "TaskScheduled", 1),
        event(8, 7, "TaskFailed", 2, taskFailedEventDetails={"error": "BError", "cause": "b broke"}),
        event(9, 6, "TaskSucceeded", 3, taskSucceededEventDetails={"output": "1"}),
        event(10, 9, "TaskStateExited", 3, stateExitedEventDetails={"name": "A", "output": "1"}),
        event(11, 8, "ParallelStateFailed", 3),
        event(12, 11, "ExecutionFailed", 3, executionFailedEventDetails={"error": "BError", "cause": "b broke"}),
    ]
    overlay = run_overlay(events)
    assert overlay.states["A"].outcome == "succeeded"
    assert overlay.states["A"].visits[0].seconds == 3.0
    b = overlay.states["B"]
    assert (b.outcome, b.visits[0].error, b.visits[0].cause) == ("failed", "BError", "b broke")
    both = overlay.states["Both"]
    assert (both.outcome, both.visits[0].error) == ("failed", "BError")
    assert overlay.seconds == 3.0


def test_a_branch_stopped_by_its_sibling_failing_is_aborted() -> None:
    """ "When one branch fails, the whole Parallel state fails" and the other branches are stopped
    (https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html)."""
    import json

    from constructs_sfn.asl import parse_definition
    from constructs_sfn.visual import run_locally

    definition = parse_definition(
        json.dumps(
            {
                "StartAt": "Both",
                "States": {
                    "Both": {
                        "Type": "Parallel",
                        "End": True,
                        "Branches": [
                            {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 10, "End": True}}},
                            {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}},
                        ],
                    }
                },
            }
        )
    )
    overlay = run_overlay(run_locally(definition, {}), definition)
    assert overlay.states["Slow"].outcome == "aborted"
    assert overlay.states["Boom"].outcome == "failed"
    assert (overlay.states["Both"].outcome, overlay.states["Both"].visits[0].error) == ("failed", "Boom")


def test_stopped_execution_leaves_its_open_states_aborted() -> None:
    import json

    client = LocalStepFunctions()
    activity = client.create_activity(name="approve")["activityArn"]
    definition = {"StartAt": "Hold", "States": {"Hold": {"Type": "Task", "Resource": activity, "End": True}}}
    arn = client.create_state_machine(name="hold", definition=json.dumps(definition), roleArn="arn:aws:iam::1:role/r")[
        "stateMachineArn"
    ]
    run = client.start_execution(stateMachineArn=arn, input="{}")
    running = run_overlay(client.get_execution_history(executionArn=run["executionArn"]))
    assert (running.status, running.states["Hold"].outcome) == ("RUNNING", "running")
    client.stop_execution(executionArn=run["executionArn"], error="Ops", cause="stopped by hand")
    stopped = run_overlay(client.get_execution_history(executionArn=run["executionArn"]))
    assert (stopped.status, stopped.states["Hold"].outcome) == ("ABORTED", "aborted")


def test_state_without_a_failure_event_takes_the_execution_error() -> None:
    """A Choice with no matching rule and no Default fails with States.NoChoiceMatched; the history
    has no event for that state's failure, only ExecutionFailed."""
    import json

    from constructs_sfn.asl import parse_definition
    from constructs_sfn.visual import run_locally

    definition = parse_definition(
        json.dumps(
            {
                "StartAt": "Pick",
                "States": {
                    "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "Done"}]},
                    "Done": {"Type": "Succeed"},
                },
            }
        )
    )
    pick = run_overlay(run_locally(definition, {}), definition).states["Pick"]
    assert (pick.outcome, pick.visits[0].error) == ("failed", "States.NoChoiceMatched")
