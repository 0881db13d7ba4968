"""service_cases.jsonl: executions whose Task states are answered from the recorded task results."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from conformance_harness.clients import Backend
from conformance_harness.corpus import load_cases
from conformance_harness.params import case_params
from conformance_harness.runners import CaseResult, run_service_case


@pytest.mark.parametrize("case", case_params(load_cases("service_cases.jsonl")))
def test_service_case(
    case: Mapping[str, Any], sfn_backend: Backend, record_conformance: Callable[[CaseResult], None]
) -> None:
    if not sfn_backend.supports_services:
        pytest.skip(f"the {sfn_backend.name} client cannot bind a TaskService")
    result = run_service_case(case, sfn_backend)
    record_conformance(result)
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.passed, result.report()
