"""Starting and stopping the endpoint, and its clock: in-flight requests finish, the ticker, real time."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from constructs_sfn.local.endpoint import EndpointConfigError, EndpointServer, EndpointSettings

from .conftest import ROLE, boto3_client


class _SlowClient:
    """Answers ListActivities after a delay and records every ``advance_clock``."""

    def __init__(self) -> None:
        self.advanced: list[float] = []
        self.entered = threading.Event()

    def list_activities(self, *, maxResults: int | None = None, nextToken: str | None = None) -> dict[str, Any]:  # noqa: N803 - boto3's names
        self.entered.set()
        time.sleep(0.5)
        return {"activities": []}

    def advance_clock(self, seconds: float) -> None:
        self.advanced.append(seconds)


def test_close_lets_a_request_being_answered_finish() -> None:
    client = _SlowClient()
    server = EndpointServer(client, port=0, settings=EndpointSettings.from_environment({})).start()  # type: ignore[arg-type]
    answers: list[Any] = []
    caller = threading.Thread(target=lambda: answers.append(boto3_client(server.url).list_activities()))
    caller.start()
    assert client.entered.wait(10)
    entered = time.monotonic()
    server.close()
    assert time.monotonic() - entered >= 0.4  # close() waited for the answer being computed
    caller.join(10)
    assert [answer["activities"] for answer in answers] == [[]]


def test_the_ticker_advances_only_clocks_it_owns() -> None:
    """A client passed in keeps its own clock (it may be a RealClock) unless ticking is asked for."""
    settings = EndpointSettings.from_environment({})
    untouched = _SlowClient()
    with EndpointServer(untouched, port=0, settings=settings):  # type: ignore[arg-type]
        time.sleep(0.3)
    assert untouched.advanced == []
    ticked = _SlowClient()
    with EndpointServer(ticked, port=0, settings=settings, tick_seconds=0.05):  # type: ignore[arg-type]
        time.sleep(0.4)
    assert len(ticked.advanced) >= 3
    assert all(0 < seconds < 1 for seconds in ticked.advanced)


def test_real_time_mode_waits_out_wait_states() -> None:
    """``time_mode="real"``: a 1-second Wait keeps the execution RUNNING for about a second of
    wall-clock time, as Step Functions Local runs it (Wait state:
    https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html)."""
    settings = EndpointSettings.from_environment({}, time_mode="real")
    definition = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}})
    with EndpointServer(port=0, settings=settings) as server:
        remote = boto3_client(server.url)
        arn = remote.create_state_machine(name="w", definition=definition, roleArn=ROLE)["stateMachineArn"]
        began = time.monotonic()
        execution = remote.start_execution(stateMachineArn=arn)["executionArn"]
        assert remote.describe_execution(executionArn=execution)["status"] == "RUNNING"
        described = remote.describe_execution(executionArn=execution)
        while described["status"] == "RUNNING" and time.monotonic() - began < 10:
            time.sleep(0.05)
            described = remote.describe_execution(executionArn=execution)
        waited = time.monotonic() - began
    assert described["status"] == "SUCCEEDED"
    assert 0.9 <= waited < 8  # waited for the Wait, and was not stuck (generous: shared CI machines)
    assert (described["stopDate"] - described["startDate"]).total_seconds() >= 1


def test_an_unknown_time_mode_is_refused() -> None:
    with pytest.raises(EndpointConfigError, match="time mode 'warp' is not one of virtual, real"):
        EndpointSettings.from_environment({}, time_mode="warp")
