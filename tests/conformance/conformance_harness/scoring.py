"""Aggregate case verdicts into the conformance score (per corpus file and per tag group)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .corpus import TAG_GROUPS

__all__ = ["VERDICTS", "format_markdown", "format_text", "summarise"]

VERDICTS = ("outcome", "cause", "history")
_FILE_ORDER = ("cases", "service_cases", "test_state_cases", "api_error_cases")


def _empty() -> dict[str, Any]:
    return {"cases": 0, "passed": 0, "skipped": 0, "known_deviations": 0, **{v: [0, 0] for v in VERDICTS}}


def _add(bucket: dict[str, Any], record: Mapping[str, Any]) -> None:
    bucket["cases"] += 1
    if record.get("skipped"):
        bucket["skipped"] += 1
        return
    bucket["passed"] += bool(record.get("passed"))
    bucket["known_deviations"] += bool(record.get("known_deviation"))
    for verdict in VERDICTS:
        value = record.get(verdict)
        if value is not None:
            bucket[verdict][0] += bool(value)
            bucket[verdict][1] += 1


def summarise(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts per corpus file, per tag group (over all files) and in total.

    A verdict is ``[passed, applicable]``; groups overlap (a case counts in each group it is tagged with).
    """
    files: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, Any]] = {group: _empty() for group in TAG_GROUPS}
    total = _empty()
    for record in records:
        _add(files.setdefault(str(record["file"]), _empty()), record)
        _add(total, record)
        for group in record.get("groups", ()):
            if group in groups:
                _add(groups[group], record)
    ordered = {name: files[name] for name in _FILE_ORDER if name in files}
    ordered.update({name: value for name, value in files.items() if name not in ordered})
    return {"files": ordered, "groups": {g: v for g, v in groups.items() if v["cases"]}, "total": total}


def _percent(pair: list[int]) -> str:
    passed, applicable = pair
    if not applicable:
        return "-"
    return f"{100.0 * passed / applicable:5.1f}% ({passed}/{applicable})"


def _rows(summary: Mapping[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    sections = [("file", summary["files"]), ("group", summary["groups"]), ("", {"total": summary["total"]})]
    for kind, table in sections:
        for name, bucket in table.items():
            run = bucket["cases"] - bucket["skipped"]
            rows.append(
                [
                    f"{kind}:{name}" if kind else name,
                    str(bucket["cases"]),
                    f"{bucket['passed']}/{run}",
                    *(_percent(bucket[v]) for v in VERDICTS),
                    str(bucket["known_deviations"]),
                    str(bucket["skipped"]),
                ]
            )
    return rows


_HEADER = ["scope", "cases", "passed", "outcome %", "cause %", "history %", "known dev.", "skipped"]


def format_text(summary: Mapping[str, Any]) -> str:
    """A fixed-width table for the terminal."""
    rows = [_HEADER, *_rows(summary)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("history % = execution history, or inspectionData for TestState; cause % = cause/message/diagnostics")
    return "\n".join(lines)


def format_markdown(summary: Mapping[str, Any]) -> str:
    """The same table in Markdown."""
    lines = ["| " + " | ".join(_HEADER) + " |", "|" + "---|" * len(_HEADER)]
    lines.extend("| " + " | ".join(row) + " |" for row in _rows(summary))
    return "\n".join(lines)
