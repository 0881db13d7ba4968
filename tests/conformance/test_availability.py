"""The corpus-driven suite can run here (or one clear reason why not)."""

from __future__ import annotations

import pytest
from conformance_harness.corpus import CORPUS_FILES, corpus_dir, load_cases
from conformance_harness.params import suite_skip_reason


def test_corpus_and_client_are_available() -> None:
    reason = suite_skip_reason()
    if reason:
        pytest.skip(reason)
    for name in CORPUS_FILES:
        assert load_cases(name), f"{corpus_dir() / name} is missing or empty"
