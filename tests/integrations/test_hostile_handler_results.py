"""A Python handler returning a value nested too deeply for JSON fails as Lambda reports an
unmarshallable result (``Runtime.MarshalError``), never with a Python ``RecursionError``."""

from __future__ import annotations

from typing import Any

from constructs_sfn.asl import Execution, parse_definition
from constructs_sfn.integrations import TaskServices

FN = "arn:aws:lambda:us-east-1:123456789012:function:Deep"


def _deep(levels: int) -> Any:
    value: Any = 0
    for _ in range(levels):
        value = [value]
    return value


def test_a_too_deep_result_is_a_marshal_error() -> None:
    services = TaskServices(read_env=False)
    services.bind_lambda("Deep", lambda event, context: _deep(100_000))
    definition = parse_definition(
        {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": FN, "End": True}}}
    )
    run = Execution(definition, {}, services=services).run()
    assert (run.status, run.error) == ("FAILED", "Runtime.MarshalError")
    assert "nested too deeply" in (run.cause or "")
