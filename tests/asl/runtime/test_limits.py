"""AWS's per-execution limits as :mod:`constructs_sfn.asl.runtime.limits` states them.

Quotas: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (256 KiB payload,
one year for a STANDARD execution, five minutes for an EXPRESS one) and the variable limits of
https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html (256 KiB a variable and
an Assign field, 10 MiB an execution).
"""

from __future__ import annotations

import pytest

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.runtime.limits import (
    EXPRESS_MAX_SECONDS,
    MAX_STORED_VARIABLE_BYTES,
    MAX_VARIABLE_BYTES,
    STANDARD_MAX_SECONDS,
    assigned_variable_texts,
    check_stored_variables,
    execution_time_limit,
    payload_too_large,
)


def test_the_time_limit_is_the_type_limit_or_a_smaller_timeout() -> None:
    assert execution_time_limit(None, "STANDARD", redriven=False, elapsed_seconds=0.0) == STANDARD_MAX_SECONDS
    assert execution_time_limit(None, "EXPRESS", redriven=False, elapsed_seconds=0.0) == EXPRESS_MAX_SECONDS == 300
    assert execution_time_limit(60, "STANDARD", redriven=False, elapsed_seconds=0.0) == 60
    assert execution_time_limit(10_000, "EXPRESS", redriven=False, elapsed_seconds=0.0) == 300


def test_a_redriven_attempt_counts_the_type_limit_from_the_first_start() -> None:
    """TimeoutSeconds counts afresh for each redriven attempt; the one-year limit does not."""
    elapsed = STANDARD_MAX_SECONDS - 100.0
    assert execution_time_limit(None, "STANDARD", redriven=True, elapsed_seconds=elapsed) == 100.0
    assert execution_time_limit(60, "STANDARD", redriven=True, elapsed_seconds=elapsed) == 60
    assert execution_time_limit(None, "STANDARD", redriven=True, elapsed_seconds=STANDARD_MAX_SECONDS + 5) == 0.0


def test_payload_too_large_names_the_state_or_the_execution() -> None:
    assert payload_too_large("Fetch").error == "States.DataLimitExceeded"
    assert "'Fetch'" in (payload_too_large("Fetch").cause or "")
    assert "'execution'" in (payload_too_large(None).cause or "")


def test_assigned_variables_are_measured_as_json_text() -> None:
    texts, size = assigned_variable_texts({"a": 1, "b": "é"})
    assert texts == {"a": "1", "b": '"é"'}
    assert size == 1 + 4  # '"é"' is four bytes of UTF-8


def test_one_variable_over_256_kib_fails() -> None:
    with pytest.raises(StatesError, match="The value assigned to the variable 'big' is") as raised:
        assigned_variable_texts({"big": "x" * MAX_VARIABLE_BYTES})
    assert raised.value.error == "States.Runtime"


def test_one_assign_field_over_256_kib_together_fails() -> None:
    half = "x" * (MAX_VARIABLE_BYTES // 2)
    with pytest.raises(StatesError, match="The variables assigned in one Assign field total"):
        assigned_variable_texts({"a": half, "b": half})


def test_an_execution_stores_at_most_10_mib_of_variables() -> None:
    check_stored_variables(MAX_STORED_VARIABLE_BYTES)
    with pytest.raises(StatesError, match="more than the 10485760 bytes one execution can store"):
        check_stored_variables(MAX_STORED_VARIABLE_BYTES + 1)
