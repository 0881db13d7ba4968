from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.integrations import IntegrationConfigError, ScriptedResult, ScriptedResults

from .conftest import RequestFactory

LAMBDA = "arn:aws:states:::lambda:invoke"
TASK_RESULTS: list[dict[str, Any]] = [
    {
        "state": "Charge",
        "outcome": "TaskFailed",
        "error": "Exception",
        "cause": {"errorMessage": "boom", "errorType": "Exception"},
    },
    {"state": "Ship", "outcome": "LambdaFunctionSucceeded", "output": {"shipped": 1}},
    {"state": "Charge", "outcome": "TaskSucceeded", "output": {"Payload": "ok"}},
    {"state": "Wait", "outcome": "TaskTimedOut", "error": "States.Timeout"},
    {"state": "Notify", "outcome": "TaskFailed", "error": "SNS.NotFoundException", "cause": "Topic does not exist"},
]


def test_replays_per_state_in_history_order(make_request: RequestFactory) -> None:
    scripted = ScriptedResults.from_task_results(TASK_RESULTS)
    first = scripted.invoke(make_request(LAMBDA, state_name="Charge"))
    assert first.error is not None
    assert first.error.error == "Exception"
    assert first.error.cause == '{"errorMessage":"boom","errorType":"Exception"}'
    assert scripted.invoke(make_request(LAMBDA, state_name="Ship")).output == {"shipped": 1}
    assert scripted.invoke(make_request(LAMBDA, state_name="Charge", attempt=1)).output == {"Payload": "ok"}
    notify = scripted.invoke(make_request(LAMBDA, state_name="Notify"))
    assert notify.error is not None
    assert notify.error.cause == "Topic does not exist"
    assert scripted.remaining() == {"Wait": 1}


def test_timeouts_never_complete(make_request: RequestFactory) -> None:
    outcome = ScriptedResults.from_task_results(TASK_RESULTS).invoke(make_request(LAMBDA, state_name="Wait"))
    assert not outcome.completes
    assert outcome.error is None


def test_exhausted_state_fails_naming_it(make_request: RequestFactory) -> None:
    scripted = ScriptedResults.from_task_results(TASK_RESULTS[1:2])
    scripted.invoke(make_request(LAMBDA, state_name="Ship"))
    request = make_request(LAMBDA, state_name="Ship")
    assert scripted.route(request) is None
    outcome = scripted.invoke(request)
    assert outcome.error is not None
    assert outcome.error.error == "States.Runtime"
    assert (
        outcome.error.cause
        == "No recorded result is left for state 'Ship' (resource 'arn:aws:states:::lambda:invoke')."
    )
    assert scripted.remaining() == {}


def test_callback_tasks_resolve_with_the_recorded_result(make_request: RequestFactory) -> None:
    scripted = ScriptedResults(
        [
            ScriptedResult("Approve", "success", output={"ok": True}),
            ScriptedResult("Approve", "failure", error="No", cause="c"),
        ]
    )
    success = scripted.invoke(make_request("arn:aws:states:::sqs:sendMessage.waitForTaskToken", state_name="Approve"))
    failure = scripted.invoke(make_request("arn:aws:states:::sqs:sendMessage.waitForTaskToken", state_name="Approve"))
    assert (success.resolves_callback, success.output) == (True, {"ok": True})
    assert failure.resolves_callback
    assert failure.error is not None
    assert (failure.error.error, failure.error.cause) == ("No", "c")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"state": "A", "outcome": "TaskScheduled"}, "task result for state 'A' has unknown outcome 'TaskScheduled'"),
        ({"outcome": "TaskSucceeded"}, "task result needs string 'state' and 'outcome'"),
    ],
)
def test_bad_entries(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(IntegrationConfigError, match=message):
        ScriptedResult.from_task_result(entry)
