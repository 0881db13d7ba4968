"""The replay service answers Task requests from the recorded task results."""

from __future__ import annotations

from typing import Any

from conformance_harness.replay import ReplayTaskService, cause_text

from constructs_sfn.asl.services import TaskRequest


def _request(state: str, parameters: Any, resource: str = "arn:aws:states:::lambda:invoke") -> TaskRequest:
    return TaskRequest(
        resource=resource,
        parameters=parameters,
        state_name=state,
        execution_arn="arn:aws:states:us-east-1:1:execution:m:e",
        state_machine_arn="arn:aws:states:us-east-1:1:stateMachine:m",
        context={},
    )


RESULTS = [
    {"state": "T", "parameters": {"n": 1}, "outcome": "TaskSucceeded", "output": {"r": 1}},
    {"state": "T", "parameters": {"n": 2}, "outcome": "TaskFailed", "error": "E", "cause": {"m": "x y"}},
    {
        "state": "W",
        "parameters": {"FunctionName": "arn:<partition>:lambda:<region>:1:function:f"},
        "outcome": "LambdaFunctionTimedOut",
    },
    {"state": "Cb", "parameters": {}, "outcome": "TaskSucceeded", "output": "done"},
]


def test_results_are_matched_by_state_and_parameters() -> None:
    service = ReplayTaskService(RESULTS)
    failed = service.invoke(_request("T", {"n": 2}))
    assert failed.error is not None
    assert (failed.error.error, failed.error.cause) == ("E", '{"m":"x y"}')
    assert service.invoke(_request("T", {"n": 1})).output == {"r": 1}


def test_unmatched_parameters_fall_back_to_the_next_result_of_the_state() -> None:
    service = ReplayTaskService(RESULTS)
    assert service.invoke(_request("T", {"n": 7})).output == {"r": 1}


def test_exhausted_results_fail_with_a_clear_cause() -> None:
    service = ReplayTaskService(RESULTS)
    service.invoke(_request("Cb", {}))
    outcome = service.invoke(_request("Cb", {}))
    assert outcome.error is not None
    assert outcome.error.error == "States.Runtime"
    assert "no recorded task result left for state 'Cb'" in (outcome.error.cause or "")


def test_timeouts_never_complete_and_placeholders_match() -> None:
    service = ReplayTaskService(RESULTS)
    outcome = service.invoke(_request("W", {"FunctionName": "arn:aws:lambda:us-east-1:1:function:f"}))
    assert outcome.completes is False


def test_callback_results_resolve_the_callback() -> None:
    service = ReplayTaskService(RESULTS)
    outcome = service.invoke(_request("Cb", {}, "arn:aws:states:::sqs:sendMessage.waitForTaskToken"))
    assert outcome.resolves_callback is True
    assert outcome.output == "done"


def test_cause_text_keeps_strings_and_compacts_json() -> None:
    assert cause_text(None) is None
    assert cause_text("plain") == "plain"
    assert cause_text({"a": [1, "é"]}) == '{"a":[1,"é"]}'
