"""Docs are code: every ```python block of README.md and docs/*.md runs, as a newcomer pastes it.

Each block is one test (id ``<file>:<line>``) run in a fresh namespace, in a temporary working
directory. A block right after ``<!-- docs: continue -->`` continues the block before it in the
same file: the earlier blocks of its chain run first, so a tutorial can build up state. The only
other opt-out is ``<!-- docs: skip reason="..." -->``, and every skip must be listed in
``EXPECTED_SKIPS`` below, so none is added silently.

Blocks run in-process (measured on the 2-core CI machine: the first CDK block of a worker pays
~14 s to start jsii, each later synthesis ~1 s; a fresh interpreter per block paid ~16 s for
every CDK block). The price is that a block could leak state into the worker; blocks only get a
fresh namespace and working directory.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

EXPECTED_SKIPS: dict[str, str] = {}
"""``<file>:<line>`` -> reason, for every block marked ``docs: skip`` (keep this short)."""

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_MARKER = re.compile(r"^<!--\s*docs:\s*(?P<verb>continue|skip)(?:\s+reason=\"(?P<reason>[^\"]*)\")?\s*-->$")


@dataclass(frozen=True)
class Block:
    """One fenced python block: where it is, its code, and how it is marked."""

    path: Path
    line: int
    """1-based line number of the first code line."""
    code: str
    continues: bool
    skip_reason: str | None

    @property
    def id(self) -> str:
        return f"{display(self.path)}:{self.line}"


def display(path: Path) -> str:
    """The path as error messages and test ids name it: relative to the repository."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


class DocsMarkerError(Exception):
    """A docs marker that cannot be honoured; the message names the file and line."""


def read_blocks(path: Path) -> list[Block]:
    """Every ```python block of ``path``, with the marker on the line before its fence (if any)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence = opening["fence"]
        language = opening["info"].strip().split(" ")[0].lower()
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        if language in ("python", "py"):
            previous = index - 1
            while previous >= 0 and not lines[previous].strip():
                previous -= 1
            marker = _MARKER.match(lines[previous].strip()) if previous >= 0 else None
            where = f"{display(path)}:{index + 1}"
            if marker and marker["verb"] == "skip" and not marker["reason"]:
                raise DocsMarkerError(f'{where}: "docs: skip" needs reason="..."')
            if marker and marker["verb"] == "continue" and not blocks:
                raise DocsMarkerError(f"{where}: 'docs: continue' but no python block before it in this file")
            blocks.append(
                Block(
                    path=path,
                    line=index + 2,
                    code="\n".join(lines[index + 1 : end]) + "\n",
                    continues=bool(marker and marker["verb"] == "continue"),
                    skip_reason=marker["reason"] if marker and marker["verb"] == "skip" else None,
                )
            )
        index = end + 1
    return blocks


ALL_BLOCKS = [block for document in DOCUMENTS for block in read_blocks(document)]


def chain_of(block: Block) -> list[Block]:
    """``block`` and the blocks it continues, first to last."""
    same_file = [candidate for candidate in ALL_BLOCKS if candidate.path == block.path]
    position = same_file.index(block)
    start = position
    while same_file[start].continues:
        start -= 1
    return same_file[start : position + 1]


def run_block(block: Block, namespace: dict[str, object]) -> None:
    """Run one block's code; a failure names the document and the line in it."""
    # Leading newlines put each code line at its line number in the document, so a traceback
    # points into README.md or docs/*.md directly.
    source = "\n" * (block.line - 1) + block.code
    try:
        exec(compile(source, display(block.path), "exec"), namespace)
    except Exception as error:
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == display(block.path)]
        line = frames[-1].lineno if frames else getattr(error, "lineno", None) or block.line
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        pytest.fail(f"{display(block.path)}:{line}: the python block starting at line {block.line} fails: {detail}")


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=[block.id for block in ALL_BLOCKS])
def test_python_block_runs(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if block.skip_reason is not None:
        pytest.skip(f"docs: skip ({block.skip_reason})")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for earlier in chain_of(block):
        if earlier.skip_reason is not None:
            pytest.fail(f"{block.id} continues {earlier.id}, which is skipped")
        run_block(earlier, namespace)


def test_skips_are_rare_and_listed() -> None:
    skips = {block.id: block.skip_reason for block in ALL_BLOCKS if block.skip_reason is not None}
    assert skips == EXPECTED_SKIPS


def test_every_document_is_read() -> None:
    assert {path.name for path in DOCUMENTS} >= {"README.md", "local.md", "integrations.md"}
    assert ALL_BLOCKS, "no python block found"


def test_markers_are_checked(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- docs: skip -->\n```python\npass\n```\n", encoding="utf-8")
    with pytest.raises(DocsMarkerError, match=r'page.md:2: "docs: skip" needs reason'):
        read_blocks(page)
    page.write_text("<!-- docs: continue -->\n```python\npass\n```\n", encoding="utf-8")
    with pytest.raises(DocsMarkerError, match=r"page.md:2: 'docs: continue' but no python block before it"):
        read_blocks(page)
