"""The interpreter, clocks, and the context object of the local ASL executor."""

from __future__ import annotations

from constructs_sfn.asl.runtime.clock import Clock, RealClock, VirtualClock
from constructs_sfn.asl.runtime.context import ExecutionContextInfo, format_timestamp
from constructs_sfn.asl.runtime.frame import Frame, to_json_text

# Importing the interpreter binds every state type to its handler before any Execution can run.
from constructs_sfn.asl.runtime.interpreter import Execution

__all__ = [
    "Clock",
    "Execution",
    "ExecutionContextInfo",
    "Frame",
    "RealClock",
    "VirtualClock",
    "format_timestamp",
    "to_json_text",
]
