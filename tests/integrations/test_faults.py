from __future__ import annotations

import pytest

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.integrations import Faults, IntegrationConfigError

from .conftest import RequestFactory

RESOURCE = "arn:aws:states:::lambda:invoke"


class Inner:
    """The wrapped service: succeeds after 2 seconds and counts calls."""

    def __init__(self) -> None:
        self.calls = 0

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        self.calls += 1
        return TaskOutcome.success({"from": "inner"}, duration=2.0)


def test_throw_on_selected_attempts_then_delegate(make_request: RequestFactory) -> None:
    inner = Inner()
    faults = Faults(inner).throw("Charge", "Payments.Declined", "card expired", on_attempts=[0, 1])
    outcomes = [faults.invoke(make_request(RESOURCE, state_name="Charge", attempt=n)) for n in range(3)]
    assert [o.error.error if o.error else o.output for o in outcomes] == [
        "Payments.Declined",
        "Payments.Declined",
        {"from": "inner"},
    ]
    assert outcomes[0].error is not None
    assert outcomes[0].error.cause == "card expired"
    assert inner.calls == 1


def test_other_states_are_untouched(make_request: RequestFactory) -> None:
    inner = Inner()
    faults = Faults(inner).throw("Charge", "E")
    assert faults.route(make_request(RESOURCE, state_name="Ship")) is None
    assert faults.invoke(make_request(RESOURCE, state_name="Ship")).output == {"from": "inner"}


def test_on_invocations_counts_every_invocation_per_execution(make_request: RequestFactory) -> None:
    faults = Faults(Inner()).throw("Charge", "E", on_invocations=[1])
    first, second, third = (faults.invoke(make_request(RESOURCE, state_name="Charge")) for _ in range(3))
    assert (first.error, third.error) == (None, None)
    assert second.error is not None
    other = faults.invoke(make_request(RESOURCE, state_name="Charge", execution_arn="arn:other"))
    assert other.error is None


def test_time_out_keeps_heartbeating_until_the_timeout(make_request: RequestFactory) -> None:
    faults = Faults(Inner()).time_out("Charge")
    outcome = faults.invoke(make_request(RESOURCE, state_name="Charge", timeout_seconds=60.0, heartbeat_seconds=10.0))
    assert not outcome.completes
    assert outcome.error is None
    assert set(outcome.heartbeat_gaps) == {5.0}
    assert sum(outcome.heartbeat_gaps) > 60.0
    plain = faults.invoke(make_request(RESOURCE, state_name="Charge", timeout_seconds=60.0))
    assert not plain.completes
    assert plain.heartbeat_gaps == ()


def test_time_out_without_timeout_caps_the_keepalive(make_request: RequestFactory) -> None:
    outcome = Faults().time_out("Charge").invoke(make_request(RESOURCE, state_name="Charge", heartbeat_seconds=4.0))
    assert 0 < len(outcome.heartbeat_gaps) <= 10_000


def test_stall_heartbeats(make_request: RequestFactory) -> None:
    faults = Faults(Inner()).stall_heartbeats("Approve").stall_heartbeats("Review", after_beats=3)
    silent = faults.invoke(make_request(RESOURCE, state_name="Approve", heartbeat_seconds=30.0))
    assert not silent.completes
    assert silent.heartbeat_gaps == ()
    some = faults.invoke(make_request(RESOURCE, state_name="Review", heartbeat_seconds=30.0))
    assert some.heartbeat_gaps == (15.0, 15.0, 15.0)


def test_delay_adds_to_whatever_happens(make_request: RequestFactory) -> None:
    faults = Faults(Inner()).delay("Charge", 30).delay("Charge", 5, on_attempts=[1])
    assert faults.invoke(make_request(RESOURCE, state_name="Charge")).duration == 32.0
    assert faults.invoke(make_request(RESOURCE, state_name="Charge", attempt=1)).duration == 37.0
    failing = Faults(Inner()).delay("Charge", 3).throw("Charge", "E")
    outcome = failing.invoke(make_request(RESOURCE, state_name="Charge"))
    assert (outcome.error is not None, outcome.duration) == (True, 3.0)


def test_first_terminal_fault_wins(make_request: RequestFactory) -> None:
    faults = Faults(Inner()).throw("Charge", "First").throw("Charge", "Second")
    outcome = faults.invoke(make_request(RESOURCE, state_name="Charge"))
    assert outcome.error is not None
    assert outcome.error.error == "First"


def test_succeed(make_request: RequestFactory) -> None:
    inner = Inner()
    faults = Faults(inner).succeed("Charge", {"mocked": (1, 2)})
    outcome = faults.invoke(make_request(RESOURCE, state_name="Charge"))
    assert outcome.output == {"mocked": [1, 2]}
    assert inner.calls == 0
    callback = faults.invoke(make_request(f"{RESOURCE}.waitForTaskToken", state_name="Charge"))
    assert callback.resolves_callback


def test_clear(make_request: RequestFactory) -> None:
    faults = Faults(Inner()).throw("Charge", "E").throw("Ship", "E")
    faults.clear("Charge")
    assert faults.invoke(make_request(RESOURCE, state_name="Charge")).error is None
    assert faults.invoke(make_request(RESOURCE, state_name="Ship")).error is not None
    faults.clear()
    assert faults.invoke(make_request(RESOURCE, state_name="Ship")).error is None


def test_without_inner_unmatched_requests_fail_as_unbound(make_request: RequestFactory) -> None:
    outcome = (
        Faults().throw("Charge", "E", on_attempts=[0]).invoke(make_request(RESOURCE, state_name="Charge", attempt=1))
    )
    assert outcome.error is not None
    assert outcome.error.error == "States.Runtime"


def test_invalid_arguments() -> None:
    with pytest.raises(IntegrationConfigError, match="delay seconds must be >= 0"):
        Faults().delay("Charge", -1)
    with pytest.raises(IntegrationConfigError, match="after_beats must be >= 0"):
        Faults().stall_heartbeats("Charge", after_beats=-1)
