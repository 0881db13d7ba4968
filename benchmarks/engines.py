"""The two executors under test, behind one small interface.

* ``constructs_sfn``: ``LocalStepFunctions`` on a virtual clock (history is always recorded);
  executions finish inside ``start_execution``.
* ``moto``: moto's Step Functions interpreter (``mock_aws`` with ``execute_state_machine``) through
  boto3. moto runs each execution in a thread, so completion is detected by polling
  ``describe_execution`` every millisecond; its Wait states and retry back-off sleep in real time.

Both are driven through the same boto3-shaped calls, so API overhead is part of both timings.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["Engine", "LocalEngine", "MotoEngine", "RunOutcome"]

_ROLE = "arn:aws:iam::123456789012:role/BenchmarkRole"


@dataclass(frozen=True)
class RunOutcome:
    """What one execution did."""

    status: str
    output: Any
    error: str | None
    cause: str | None
    wall_seconds: float
    execution_seconds: float
    """stopDate - startDate as the engine reports it (virtual time for constructs_sfn)."""
    execution_arn: str


class Engine(Protocol):
    """An executor the benchmark can drive."""

    name: str

    def create(self, name: str, definition: str) -> str:
        """Create a STANDARD state machine; return its ARN."""
        ...

    def run(self, machine_arn: str, input_text: str, *, timeout: float) -> RunOutcome:
        """Start an execution and wait until it finishes."""
        ...

    def state_entered_events(self, execution_arn: str) -> int:
        """How many ``*StateEntered`` events the execution's history holds."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...


class _BotoShaped:
    """Shared logic for clients with boto3's stepfunctions surface."""

    name = "?"
    _poll = False

    def __init__(self, client: Any) -> None:
        self._client = client
        self._names = itertools.count(1)

    def create(self, name: str, definition: str) -> str:
        response = self._client.create_state_machine(
            name=f"{name}-{next(self._names)}", definition=definition, roleArn=_ROLE, type="STANDARD"
        )
        return str(response["stateMachineArn"])

    def run(self, machine_arn: str, input_text: str, *, timeout: float) -> RunOutcome:
        started = time.perf_counter()
        execution = self._client.start_execution(
            stateMachineArn=machine_arn, name=f"run-{next(self._names)}", input=input_text
        )
        arn = execution["executionArn"]
        deadline = started + timeout
        while True:
            description = self._client.describe_execution(executionArn=arn)
            if description["status"] != "RUNNING" or time.perf_counter() > deadline:
                break
            time.sleep(0.001 if self._poll else 0)
        wall = time.perf_counter() - started
        output = description.get("output")
        stop = description.get("stopDate")
        execution_seconds = (stop - description["startDate"]).total_seconds() if stop else float("nan")
        return RunOutcome(
            status=str(description["status"]),
            output=json.loads(output) if isinstance(output, str) else output,
            error=description.get("error"),
            cause=description.get("cause"),
            wall_seconds=wall,
            execution_seconds=execution_seconds,
            execution_arn=arn,
        )

    def state_entered_events(self, execution_arn: str) -> int:
        count = 0
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"executionArn": execution_arn, "maxResults": 1000}
            if token:
                kwargs["nextToken"] = token
            page = self._client.get_execution_history(**kwargs)
            count += sum(1 for event in page["events"] if event["type"].endswith("StateEntered"))
            token = page.get("nextToken")
            if not token:
                return count

    def close(self) -> None:
        """Nothing to release by default."""


class LocalEngine(_BotoShaped):
    """constructs_sfn's executor through LocalStepFunctions, on a virtual clock."""

    name = "constructs_sfn"

    def __init__(self) -> None:
        from constructs_sfn.asl.runtime import VirtualClock
        from constructs_sfn.local import LocalStepFunctions

        super().__init__(LocalStepFunctions(clock=VirtualClock()))


class MotoEngine(_BotoShaped):
    """moto's interpreter through boto3 (executions run in threads, in real time)."""

    name = "moto"
    _poll = True

    def __init__(self) -> None:
        import boto3
        from moto import mock_aws

        # moto's interpreter logs every caught exception of a failing state at ERROR level.
        logging.getLogger("moto").setLevel(logging.CRITICAL)
        self._mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
        self._mock.start()
        super().__init__(boto3.client("stepfunctions", region_name="us-east-1"))

    def close(self) -> None:
        """Stop the mock."""
        self._mock.stop()
