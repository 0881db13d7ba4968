"""Score aggregation and table formatting."""

from __future__ import annotations

from conformance_harness.scoring import format_markdown, format_text, summarise

RECORDS = [
    {
        "file": "cases",
        "groups": ["jsonpath"],
        "outcome": True,
        "cause": None,
        "history": True,
        "passed": True,
    },
    {
        "file": "cases",
        "groups": ["jsonata", "variables"],
        "outcome": True,
        "cause": False,
        "history": False,
        "passed": False,
        "known_deviation": True,
    },
    {"file": "service_cases", "groups": ["jsonpath"], "skipped": "not mockable", "passed": False},
]


def test_summary_counts_per_file_group_and_total() -> None:
    summary = summarise(RECORDS)
    cases = summary["files"]["cases"]
    assert (cases["cases"], cases["passed"], cases["known_deviations"]) == (2, 1, 1)
    assert cases["outcome"] == [2, 2]
    assert cases["cause"] == [0, 1]
    assert cases["history"] == [1, 2]
    assert summary["files"]["service_cases"]["skipped"] == 1
    assert summary["groups"]["jsonpath"]["cases"] == 2
    assert summary["groups"]["variables"]["history"] == [0, 1]
    assert "mixed_query_language" not in summary["groups"]
    assert summary["total"]["cases"] == 3


def test_tables_show_percentages() -> None:
    summary = summarise(RECORDS)
    text = format_text(summary)
    assert "file:cases" in text
    assert "50.0% (1/2)" in text
    markdown = format_markdown(summary)
    assert markdown.splitlines()[0].startswith("| scope |")
    assert "| total |" in markdown
