"""Renderings of a :class:`~constructs_sfn.testing.coverage.CoverageReport`: text and HTML.

The text form is a terminal summary like coverage.py's (one row per state machine, then what was
never taken); the HTML form is one self-contained page (inline CSS, no scripts, no network),
listing every item of every machine with its hit count.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from constructs_sfn.testing.coverage import CoverageCounts, CoverageReport, MachineCoverage

__all__ = ["render_html", "render_text"]

_HEADERS = ("State machine", "Runs", "States", "Miss", "Transitions", "Miss", "Cover")


def _fraction(counts: CoverageCounts) -> str:
    return f"{counts.covered}/{counts.total}"


def _row(machine: MachineCoverage) -> tuple[str, ...]:
    states, transitions = machine.states, machine.transitions
    return (
        machine.key,
        str(machine.executions),
        _fraction(states),
        str(states.total - states.covered),
        _fraction(transitions),
        str(transitions.total - transitions.covered),
        f"{machine.percent:.1f}%",
    )


def render_text(report: CoverageReport, *, show_missed: bool = True) -> str:
    """The summary table, a TOTAL row when there are several machines, then the missed items."""
    rows = [_row(machine) for machine in report.machines]
    if len(rows) != 1:
        states, transitions = report.states, report.transitions
        rows.append(
            (
                "TOTAL",
                str(sum(m.executions for m in report.machines)),
                _fraction(states),
                str(states.total - states.covered),
                _fraction(transitions),
                str(transitions.total - transitions.covered),
                f"{report.percent:.1f}%",
            )
        )
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(_HEADERS)]

    def line(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    out = [line(_HEADERS), rule]
    body = rows if len(rows) == 1 else rows[:-1]
    out.extend(line(row) for row in body)
    if len(rows) != 1:
        out.append(rule)
        out.append(line(rows[-1]))
    if show_missed:
        missed = [machine for machine in report.machines if machine.missed]
        if missed:
            out.append("")
            out.append("Never taken:")
            for machine in missed:
                out.append(f"  {machine.key}")
                kind_width = max(len(item.kind.value) for item in machine.missed)
                out.extend(
                    f"    {item.kind.value.ljust(kind_width)}  {item.label}  [{item.location}]"
                    for item in machine.missed
                )
    return "\n".join(out) + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #1b1b1b; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.hit td { background: #e8f6e8; } tr.miss td { background: #fbe4e4; }
code { font-size: 0.9em; }
.bar { display: inline-block; width: 8em; height: 0.8em; background: #fbe4e4; border: 1px solid #bbb; }
.bar span { display: block; height: 100%; background: #6cbf6c; }
"""


def _bar(percent: float) -> str:
    return f'<span class="bar"><span style="width:{percent:.1f}%"></span></span>'


def render_html(report: CoverageReport, *, title: str = "Workflow coverage") -> str:
    """One page: the summary table, then each machine's items (hit in green, missed in red)."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        (
            f"<p>Total: {report.percent:.1f}% &mdash; states {_fraction(report.states)}, "
            f"transitions {_fraction(report.transitions)}.</p>"
        ),
        "<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in _HEADERS) + "<th></th></tr></thead><tbody>",
    ]
    for index, machine in enumerate(report.machines):
        cells = _row(machine)
        parts.append(
            f'<tr><td><a href="#m{index}">{esc(cells[0])}</a></td>'
            + "".join(f'<td class="num">{esc(cell)}</td>' for cell in cells[1:])
            + f"<td>{_bar(machine.percent)}</td></tr>"
        )
    parts.append("</tbody></table>")
    for index, machine in enumerate(report.machines):
        parts.append(f'<h2 id="m{index}">{esc(machine.key)} &mdash; {machine.percent:.1f}%</h2>')
        parts.append(
            f"<p>{machine.executions} execution(s); states {_fraction(machine.states)}, "
            f"transitions {_fraction(machine.transitions)}.</p>"
        )
        parts.append("<table><thead><tr><th>Kind</th><th>Item</th><th>Location</th><th>Hits</th></tr></thead><tbody>")
        for item in machine.items:
            hits = machine.hits.get(item.id, 0)
            css = "hit" if hits else "miss"
            parts.append(
                f'<tr class="{css}"><td>{esc(item.kind.value)}</td><td>{esc(item.label)}</td>'
                f'<td><code>{esc(item.location)}</code></td><td class="num">{hits}</td></tr>'
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
