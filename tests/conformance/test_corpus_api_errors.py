"""api_error_cases.jsonl: rejected definitions and inputs, and ValidateStateMachineDefinition results."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from conformance_harness.clients import Backend
from conformance_harness.corpus import load_cases
from conformance_harness.params import case_params
from conformance_harness.runners import CaseResult, run_api_error_case


@pytest.mark.parametrize("case", case_params(load_cases("api_error_cases.jsonl")))
def test_api_error_case(
    case: Mapping[str, Any], sfn_backend: Backend, record_conformance: Callable[[CaseResult], None]
) -> None:
    result = run_api_error_case(case, sfn_backend)
    record_conformance(result)
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.passed, result.report()
