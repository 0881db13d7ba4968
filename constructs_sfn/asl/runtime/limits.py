"""AWS's limits on one execution: payload size, variable sizes, and how long an execution may run.

A state's input or output (and the execution's output) holds at most 256 KiB
(``States.DataLimitExceeded``); one variable, and all variables of one ``Assign`` field together, hold
at most 256 KiB, and one execution stores at most 10 MiB of them (``States.Runtime``). See
https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.runtime.frame import to_json_text

__all__ = [
    "EXPRESS_MAX_SECONDS",
    "MAX_PAYLOAD_BYTES",
    "MAX_STORED_VARIABLE_BYTES",
    "MAX_VARIABLE_BYTES",
    "STANDARD_MAX_SECONDS",
    "assigned_variable_texts",
    "check_stored_variables",
    "execution_time_limit",
    "payload_too_large",
]

MAX_PAYLOAD_BYTES = 256 * 1024
"""AWS: a state's input or output, and the execution's output, hold at most 256 KiB."""
MAX_VARIABLE_BYTES = 256 * 1024
"""AWS: one variable, and all variables of one Assign field together, hold at most 256 KiB."""
MAX_STORED_VARIABLE_BYTES = 10 * 1024 * 1024
"""AWS: the variables one execution stores total at most 10 MiB (counted as assigned here)."""
EXPRESS_MAX_SECONDS = 300
"""AWS: an EXPRESS execution lasts at most five minutes; then it times out (``States.Timeout``)."""
STANDARD_MAX_SECONDS = 365 * 24 * 3600
"""AWS: a STANDARD execution lasts at most one year; then it times out (``States.Timeout``)."""


def payload_too_large(state_name: str | None) -> StatesError:
    """The ``States.DataLimitExceeded`` of a payload over :data:`MAX_PAYLOAD_BYTES` (``None``: the execution's)."""
    name = state_name if state_name is not None else "execution"
    return StatesError(
        ErrorName.DATA_LIMIT_EXCEEDED,
        f"The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit.",
    )


def assigned_variable_texts(assigned: Mapping[str, Any]) -> tuple[dict[str, str], int]:
    """The JSON text of each assigned variable and their total size in bytes, within AWS's limits.

    Raises ``States.Runtime`` for a variable over :data:`MAX_VARIABLE_BYTES`, or for variables that
    together exceed it.
    """
    texts = {name: to_json_text(value) for name, value in assigned.items()}
    sizes = {name: len(text.encode("utf-8")) for name, text in texts.items()}
    for name, size in sizes.items():
        if size > MAX_VARIABLE_BYTES:
            raise StatesError(
                ErrorName.RUNTIME,
                f"The value assigned to the variable '{name}' is {size} bytes, more than the "
                f"{MAX_VARIABLE_BYTES} bytes a variable can hold.",
            )
    total = sum(sizes.values())
    if total > MAX_VARIABLE_BYTES:
        raise StatesError(
            ErrorName.RUNTIME,
            f"The variables assigned in one Assign field total {total} bytes, more than "
            f"the {MAX_VARIABLE_BYTES} bytes allowed.",
        )
    return texts, total


def check_stored_variables(stored_bytes: int) -> None:
    """Raise ``States.Runtime`` once an execution's variables exceed :data:`MAX_STORED_VARIABLE_BYTES`."""
    if stored_bytes > MAX_STORED_VARIABLE_BYTES:
        raise StatesError(
            ErrorName.RUNTIME,
            f"The execution's variables reached {stored_bytes} bytes, more than the "
            f"{MAX_STORED_VARIABLE_BYTES} bytes one execution can store.",
        )


def execution_time_limit(
    declared_seconds: float | None, state_machine_type: str, *, redriven: bool, elapsed_seconds: float
) -> float:
    """Seconds an execution attempt may run: its ``TimeoutSeconds`` (counted afresh by each redriven
    attempt), capped by the longest an execution of the type may stay open, counted from its start."""
    longest = EXPRESS_MAX_SECONDS if state_machine_type == "EXPRESS" else STANDARD_MAX_SECONDS
    limit: float = max(longest - elapsed_seconds, 0.0) if redriven else longest
    return limit if declared_seconds is None else min(declared_seconds, limit)
