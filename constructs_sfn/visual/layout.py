"""Layout by Graphviz: DOT text in, SVG out, through the ``dot`` program.

Graphviz's ``dot`` does layered (Sugiyama) layout with real cluster support, which is what the
console's drawing is: top to bottom, Choice branches side by side, Parallel branches and the Map
item processor as nested boxes. It runs as a subprocess with a time limit; when it is missing,
times out or fails, :class:`LayoutError` says so in one line (and how to install it).
"""

from __future__ import annotations

import re
import shutil
import subprocess

__all__ = ["DEFAULT_TIMEOUT_SECONDS", "LayoutError", "dot_program", "render_png", "render_svg"]

DEFAULT_TIMEOUT_SECONDS = 60.0
"""Enough for definitions of thousands of states; a layout that takes longer is stopped."""

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)


class LayoutError(Exception):
    """Graphviz could not lay the graph out (missing, timed out, or refused the input)."""


def dot_program() -> str:
    """The path of Graphviz's ``dot``; raises :class:`LayoutError` when it is not installed."""
    found = shutil.which("dot")
    if found is None:
        raise LayoutError(
            "Graphviz's 'dot' program was not found on PATH; install Graphviz "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"
        )
    return found


def render_svg(dot_text: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> str:
    """The SVG drawing of ``dot_text`` (the ``<svg>`` element only, ready to inline in HTML)."""
    svg = _run_dot(dot_text, "svg", timeout).decode("utf-8", "replace")
    # The XML declaration, DOCTYPE and generator comment are not allowed inside HTML.
    return _PROLOG.sub("", svg, count=1).strip() + "\n"


def render_png(dot_text: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """The drawing of ``dot_text`` as a PNG image (for places that show no SVG)."""
    return _run_dot(dot_text, "png", timeout)


def _run_dot(dot_text: str, output_format: str, timeout: float) -> bytes:
    program = dot_program()
    try:
        finished = subprocess.run(  # noqa: S603 - fixed program and arguments, input on stdin
            [program, f"-T{output_format}"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LayoutError(f"Graphviz 'dot' did not finish the layout within {timeout:g} s") from None
    except OSError as error:
        raise LayoutError(f"Graphviz 'dot' could not be started: {error.strerror or error}") from error
    if finished.returncode != 0:
        message = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[0] if message else f"exit status {finished.returncode}"
        raise LayoutError(f"Graphviz 'dot' failed: {detail}")
    return finished.stdout
