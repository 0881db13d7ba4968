"""Turn corpus cases into pytest parameters (readable ids, known deviations as strict xfails)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from known_deviations import KNOWN_DEVIATIONS

from .clients import backend_unavailable_reason
from .corpus import corpus_missing_reason, readable_id

__all__ = ["case_params", "suite_skip_reason"]


def suite_skip_reason() -> str | None:
    """The one reason the corpus-driven tests cannot run here, or None."""
    return corpus_missing_reason() or backend_unavailable_reason()


def case_params(cases: Iterable[Mapping[str, Any]]) -> list[Any]:
    """One ``pytest.param`` per case; listed deviations become ``xfail(strict=True)``."""
    params = []
    for case in cases:
        reason = KNOWN_DEVIATIONS.get(str(case["id"]))
        marks = [pytest.mark.xfail(reason=f"known deviation: {reason}", strict=True)] if reason else []
        params.append(pytest.param(case, id=readable_id(str(case["id"])), marks=marks))
    return params
