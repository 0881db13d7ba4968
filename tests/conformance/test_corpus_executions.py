"""cases.jsonl: executions that need no service besides Step Functions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from conformance_harness.clients import Backend
from conformance_harness.corpus import load_cases
from conformance_harness.params import case_params
from conformance_harness.runners import CaseResult, run_execution_case


@pytest.mark.parametrize("case", case_params(load_cases("cases.jsonl")))
def test_execution_case(
    case: Mapping[str, Any], sfn_backend: Backend, record_conformance: Callable[[CaseResult], None]
) -> None:
    result = run_execution_case(case, sfn_backend)
    record_conformance(result)
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.passed, result.report()
