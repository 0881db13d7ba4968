"""Starting and stopping the endpoint: in-flight requests finish, the clock ticker's defaults."""

from __future__ import annotations

import threading
import time
from typing import Any

from constructs_sfn.local.endpoint import EndpointServer, EndpointSettings

from .conftest import boto3_client


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
