"""docs/lint.md lists every rule, with the severity the code gives it, and no rule that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

from constructs_sfn.lint import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "lint.md"
_ROW = re.compile(r"^\| (SFN\d{3}) \| (error|warning|info) \|(.+)\|$")


def test_rules_table_matches_the_code() -> None:
    rows = [m for line in DOC.read_text(encoding="utf-8").splitlines() if (m := _ROW.match(line))]
    assert [(m[1], m[2]) for m in rows] == [(r.id, r.severity) for r in RULES]
    for row in rows:
        cells = [cell.strip() for cell in row[3].split(" | ")]
        assert len(cells) == 3, f"{row[1]}: what, fix and how to suppress"
        assert all(cells), f"{row[1]}: an empty cell"
