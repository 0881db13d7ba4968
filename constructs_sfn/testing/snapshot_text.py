"""The text forms snapshots are written in: compact JSON for payloads, wrapped to a line width."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["LINE_WIDTH", "compact_json", "wrap_line"]

LINE_WIDTH = 110
"""Lines of a behaviour snapshot are wrapped at this many characters where the text allows it."""


def compact_json(value: Any) -> str:
    """``value`` as compact JSON (no spaces, keys in their original order, UTF-8 kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _break_points(text: str) -> list[int]:
    """Offsets just after each ``,`` that is outside a JSON string: where a line may end."""
    points: list[int] = []
    in_string = False
    escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == ",":
            points.append(offset + 1)
    return points


def wrap_line(prefix: str, text: str, *, indent: str, width: int = LINE_WIDTH) -> list[str]:
    """``prefix + text`` as lines of at most ``width`` characters, broken after JSON commas.

    Continuation lines start with ``indent``. A piece with no comma to break at stays whole
    (a line is then longer than ``width``), so no token is ever split.
    """
    lines: list[str] = []
    current = prefix
    start = 0
    points = [*_break_points(text), len(text)]
    for position, end in enumerate(points):
        piece = text[start:end]
        is_last = position == len(points) - 1
        if len(current) + len(piece) > width and current.strip() and current != prefix:
            lines.append(current)
            current = indent
        current += piece
        start = end
        if is_last:
            lines.append(current)
    return lines
