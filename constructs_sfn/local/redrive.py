"""``RedriveExecution``: which executions AWS lets you redrive, and what describing them shows.

The rules come from the API reference (RedriveExecution, DescribeExecution's ``redriveStatus`` and
``redriveStatusReason``, ListExecutions' ``redriveFilter``): a STANDARD execution that did not
succeed can be redriven within 14 days of its end, unless it has been open for a year or its
history holds 24,999 events or more. The executor does the redrive itself
(:meth:`constructs_sfn.asl.runtime.Execution.redrive`); this module decides whether it may.

API reference: https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from constructs_sfn.local.errors import aws_error
from constructs_sfn.local.records import ExecutionRecord

__all__ = [
    "EXECUTION_NOT_REDRIVABLE",
    "MAX_OPEN_TIME",
    "REDRIVABLE_PERIOD",
    "REDRIVE_EVENT_LIMIT",
    "REDRIVE_TOKEN_LIFETIME",
    "REDRIVE_TOKEN_MEMORY",
    "matches_redrive_filter",
    "not_redrivable_reason",
    "redrive",
    "redrive_fields",
]

EXECUTION_NOT_REDRIVABLE = "ExecutionNotRedrivable"
REDRIVABLE_PERIOD = timedelta(days=14)
"""AWS: an execution can be redriven for 14 days after it ended."""
MAX_OPEN_TIME = timedelta(days=365)
"""AWS: an execution open for a year (its maximum duration) can no longer be redriven."""
REDRIVE_EVENT_LIMIT = 24_999
"""AWS: the history must hold fewer events than this (a redrive appends to the same history)."""
REDRIVE_TOKEN_MEMORY = 10
"""AWS answers idempotently for the last 10 client tokens that redrove an execution..."""
REDRIVE_TOKEN_LIFETIME = timedelta(minutes=15)
"""... each for 15 minutes after its first use."""


def not_redrivable_reason(record: ExecutionRecord, now: datetime) -> str | None:
    """Why ``RedriveExecution`` would refuse ``record`` at ``now`` (AWS's reason text), or None."""
    execution = record.execution
    status = execution.status
    if status in ("RUNNING", "SUCCEEDED"):
        return f"Execution is {status} and cannot be redriven"
    # The execution's own clock may be ahead of the client's (Wait states jump it forward).
    now = max(now, execution.clock.now())
    if execution.history.last_id >= REDRIVE_EVENT_LIMIT:
        return "Execution history event limit exceeded"
    if now - execution.start_date >= MAX_OPEN_TIME:
        return "Execution has exceeded the max execution time"
    if execution.stop_date is not None and now - execution.stop_date > REDRIVABLE_PERIOD:
        return "Execution redrivable period exceeded"
    return None


def redrive_fields(record: ExecutionRecord, now: datetime) -> dict[str, Any]:
    """DescribeExecution's ``redriveCount``, ``redriveDate``, ``redriveStatus``, ``redriveStatusReason``."""
    execution = record.execution
    fields: dict[str, Any] = {"redriveCount": execution.redrive_count}
    if execution.redrive_date is not None:
        fields["redriveDate"] = execution.redrive_date
    reason = not_redrivable_reason(record, now)
    if reason is None:
        fields["redriveStatus"] = "REDRIVABLE"
    else:
        fields["redriveStatus"] = "NOT_REDRIVABLE"
        fields["redriveStatusReason"] = reason
    return fields


def matches_redrive_filter(record: ExecutionRecord, redrive_filter: str | None) -> bool:
    """ListExecutions' ``redriveFilter``: REDRIVEN (redriven at least once), NOT_REDRIVEN, or None (all)."""
    if redrive_filter is None:
        return True
    redriven = record.execution.redrive_count > 0
    return redriven if redrive_filter == "REDRIVEN" else not redriven


def redrive(record: ExecutionRecord, client_token: str | None, now: datetime, operation: str) -> datetime:
    """Redrive ``record`` (or answer a repeated ``client_token`` idempotently); returns ``redriveDate``.

    Raises the ``ExecutionNotRedrivable`` ClientError AWS answers when the rules forbid it.
    """
    execution = record.execution
    if client_token is not None:
        earlier = record.redrive_tokens.get(client_token)
        if earlier is not None and now - earlier[0] <= REDRIVE_TOKEN_LIFETIME:
            return earlier[1]
    reason = not_redrivable_reason(record, now)
    if reason is not None:
        raise aws_error(EXECUTION_NOT_REDRIVABLE, f"{reason}: '{record.arn}'", operation)
    execution.clock.advance_to(now)
    date = execution.redrive()
    if client_token is not None:
        record.redrive_tokens[client_token] = (now, date)
        while len(record.redrive_tokens) > REDRIVE_TOKEN_MEMORY:
            del record.redrive_tokens[next(iter(record.redrive_tokens))]
    return date
