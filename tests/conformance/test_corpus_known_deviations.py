"""The known-deviation list only names real corpus cases, each with a reason."""

from __future__ import annotations

from conformance_harness.corpus import CORPUS_FILES, load_cases
from known_deviations import KNOWN_DEVIATIONS


def test_known_deviations_are_real_cases() -> None:
    ids = {str(case["id"]) for name in CORPUS_FILES for case in load_cases(name)}
    unknown = sorted(set(KNOWN_DEVIATIONS) - ids)
    assert not unknown, f"KNOWN_DEVIATIONS names cases that are not in the corpus: {unknown}"
    blank = sorted(case_id for case_id, reason in KNOWN_DEVIATIONS.items() if not reason.strip())
    assert not blank, f"KNOWN_DEVIATIONS entries need a reason: {blank}"


def test_case_ids_are_unique() -> None:
    for name in CORPUS_FILES:
        ids = [str(case["id"]) for case in load_cases(name)]
        assert len(ids) == len(set(ids)), f"duplicate case ids in {name}"
