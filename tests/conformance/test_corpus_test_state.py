"""test_state_cases.jsonl: TestState API calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from conformance_harness.clients import Backend
from conformance_harness.corpus import load_cases
from conformance_harness.params import case_params
from conformance_harness.runners import CaseResult, run_test_state_case


@pytest.mark.parametrize("case", case_params(load_cases("test_state_cases.jsonl")))
def test_test_state_case(
    case: Mapping[str, Any], sfn_backend: Backend, record_conformance: Callable[[CaseResult], None]
) -> None:
    result = run_test_state_case(case, sfn_backend)
    record_conformance(result)
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.passed, result.report()
