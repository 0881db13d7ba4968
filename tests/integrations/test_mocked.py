from __future__ import annotations

import threading

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations import MockConfig, MockedTaskService, Return, Throw, state_machine_name

from .conftest import EXECUTION_ARN, RequestFactory

LAMBDA = "arn:aws:states:::lambda:invoke"

CONFIG = MockConfig.build(
    {
        "Orders": {
            "RetryPath": {
                "Charge": [
                    Throw("Lambda.ResourceNotReadyException", "not ready"),
                    Throw("Lambda.TimeoutException", "timed out", times=2),
                    Return({"Payload": "charged"}),
                ],
            },
            "HappyPath": {"Charge": Return({"Payload": "ok"}), "Approve": Return({"approved": True})},
        }
    }
)


class Recorder:
    """A fallback service that records what reached it."""

    def __init__(self) -> None:
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        self.requests.append(request)
        return TaskOutcome.success("real")


def _summary(outcome: TaskOutcome) -> object:
    return outcome.output if outcome.error is None else outcome.error.error


def test_counter_advances_on_every_invocation(make_request: RequestFactory) -> None:
    service = MockedTaskService(CONFIG)
    outcomes = [
        service.invoke(make_request(LAMBDA, state_name="Charge", test_case="RetryPath", attempt=n)) for n in range(4)
    ]
    assert [_summary(o) for o in outcomes] == [
        "Lambda.ResourceNotReadyException",
        "Lambda.TimeoutException",
        "Lambda.TimeoutException",
        {"Payload": "charged"},
    ]
    assert outcomes[0].error is not None
    assert outcomes[0].error.cause == "not ready"
    assert service.invocations(EXECUTION_ARN, "Charge") == 4


def test_counter_ignores_retry_count_and_counts_loop_reentries(make_request: RequestFactory) -> None:
    service = MockedTaskService(CONFIG)
    # A loop re-enters the state: RetryCount is 0 each time, the counter still advances.
    outcomes = [service.invoke(make_request(LAMBDA, state_name="Charge", test_case="RetryPath")) for _ in range(4)]
    assert _summary(outcomes[-1]) == {"Payload": "charged"}


def test_counters_are_per_execution_and_state(make_request: RequestFactory) -> None:
    service = MockedTaskService(CONFIG)
    first = service.invoke(make_request(LAMBDA, state_name="Charge", test_case="RetryPath"))
    other_execution = service.invoke(
        make_request(LAMBDA, state_name="Charge", test_case="RetryPath", execution_arn=f"{EXECUTION_ARN}-2")
    )
    assert _summary(first) == _summary(other_execution) == "Lambda.ResourceNotReadyException"
    service.forget(EXECUTION_ARN)
    again = service.invoke(make_request(LAMBDA, state_name="Charge", test_case="RetryPath"))
    assert _summary(again) == "Lambda.ResourceNotReadyException"


def test_running_out_of_responses_fails_with_states_runtime(make_request: RequestFactory) -> None:
    service = MockedTaskService(CONFIG)
    service.invoke(make_request(LAMBDA, state_name="Charge", test_case="HappyPath"))
    exhausted = service.invoke(make_request(LAMBDA, state_name="Charge", test_case="HappyPath"))
    assert exhausted.error is not None
    assert exhausted.error.error == "States.Runtime"
    assert exhausted.error.cause == (
        "The mocked response 'Orders.HappyPath.Charge' for state 'Charge' of test case 'HappyPath' has no "
        "entry for invocation 1; it defines invocations 0-0."
    )


def test_unmocked_states_fall_through(make_request: RequestFactory) -> None:
    fallback = Recorder()
    service = MockedTaskService(CONFIG, fallback=fallback)
    hybrid = make_request(LAMBDA, state_name="Ship", test_case="HappyPath")
    assert service.route(hybrid) is None
    assert service.invoke(hybrid).output == "real"
    no_test_case = make_request(LAMBDA, state_name="Charge")
    assert service.route(no_test_case) is None
    assert service.invoke(no_test_case).output == "real"
    assert [r.state_name for r in fallback.requests] == ["Ship", "Charge"]


def test_without_fallback_unmocked_states_fail_as_unbound(make_request: RequestFactory) -> None:
    outcome = MockedTaskService(CONFIG).invoke(make_request(LAMBDA, state_name="Ship", test_case="HappyPath"))
    assert outcome.error is not None
    assert outcome.error.error == "States.Runtime"
    assert "No integration is bound for resource 'arn:aws:states:::lambda:invoke' of state 'Ship'" in (
        outcome.error.cause or ""
    )


def test_unknown_test_case_fails_naming_it(make_request: RequestFactory) -> None:
    outcome = MockedTaskService(CONFIG).invoke(make_request(LAMBDA, state_name="Charge", test_case="Nope"))
    assert outcome.error is not None
    assert outcome.error.error == "States.Runtime"
    assert outcome.error.cause == (
        "MockConfig.build: StateMachines.Orders.TestCases has no test case 'Nope' (defined: HappyPath, RetryPath)"
    )


def test_wait_for_task_token_mocks_resolve_the_callback(make_request: RequestFactory) -> None:
    service = MockedTaskService(CONFIG)
    outcome = service.invoke(
        make_request("arn:aws:states:::sqs:sendMessage.waitForTaskToken", state_name="Approve", test_case="HappyPath")
    )
    assert outcome.resolves_callback
    assert outcome.output == {"approved": True}
    throws = service.invoke(make_request(f"{LAMBDA}.waitForTaskToken", state_name="Charge", test_case="RetryPath"))
    assert throws.resolves_callback
    assert throws.error is not None


def test_request_response_mocks_do_not_claim_a_callback(make_request: RequestFactory) -> None:
    outcome = MockedTaskService(CONFIG).invoke(make_request(LAMBDA, state_name="Charge", test_case="HappyPath"))
    assert not outcome.resolves_callback


def test_state_machine_name_sources(make_request: RequestFactory) -> None:
    base = "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"
    assert state_machine_name(make_request(LAMBDA, state_machine_arn=base)) == "Orders"
    assert state_machine_name(make_request(LAMBDA, state_machine_arn=f"{base}:3")) == "Orders"
    assert state_machine_name(make_request(LAMBDA, state_machine_arn=f"{base}#HappyPath")) == "Orders"
    odd = make_request(LAMBDA, state_machine_arn="local-machine")
    assert state_machine_name(odd) == "local-machine"


def test_concurrent_invocations_get_distinct_numbers(make_request: RequestFactory) -> None:
    config = MockConfig.build({"Orders": {"Map": {"Item": [Return(n) for n in range(50)]}}})
    service = MockedTaskService(config)
    results: list[object] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            outcome = service.invoke(make_request(LAMBDA, state_name="Item", test_case="Map"))
            with lock:
                results.append(outcome.output)

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(50))  # type: ignore[type-var]
