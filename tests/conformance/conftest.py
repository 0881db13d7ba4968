"""Fixtures and score reporting for the AWS-recorded conformance suite.

The corpus-driven modules (``test_corpus_*.py``) are not collected when the corpus or the client
is missing; ``test_availability.py`` then reports the single skip reason. Each corpus test attaches
its verdicts to its report (``user_properties``, which also travel back from pytest-xdist workers
when this directory is on the command line) and the score table is printed at the end of the run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from conformance_harness.clients import Backend, make_backend  # noqa: E402
from conformance_harness.params import suite_skip_reason  # noqa: E402
from conformance_harness.runners import CaseResult  # noqa: E402
from conformance_harness.scoring import format_text, summarise  # noqa: E402
from known_deviations import KNOWN_DEVIATIONS  # noqa: E402

collect_ignore_glob = ["test_corpus_*.py"] if suite_skip_reason() else []

RESULT_PROPERTY = "conformance_result"
_RECORDS: list[Mapping[str, Any]] = []


@pytest.fixture(scope="session")
def sfn_backend() -> Iterator[Backend]:
    """The client factory every corpus case uses (one per session)."""
    backend = make_backend()
    yield backend
    backend.close()


@pytest.fixture
def record_conformance(request: pytest.FixtureRequest) -> Callable[[CaseResult], None]:
    """Attach a case's verdicts to its test report for the score table."""

    def record(result: CaseResult) -> None:
        data = result.as_dict()
        data["known_deviation"] = result.case_id in KNOWN_DEVIATIONS
        request.node.user_properties.append((RESULT_PROPERTY, data))

    return record


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect verdicts (also from xdist workers)."""
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == RESULT_PROPERTY and isinstance(value, Mapping):
            _RECORDS.append(value)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the conformance score table when corpus cases ran."""
    if not _RECORDS:
        return
    terminalreporter.section("AWS conformance score")
    terminalreporter.write_line(format_text(summarise(_RECORDS)))
