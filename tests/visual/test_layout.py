"""Layout by Graphviz dot: SVG out, ready to inline; clear errors when dot is missing or stuck."""

from __future__ import annotations

import shutil

import pytest

from constructs_sfn.visual import LayoutError, build_graph, graph_svg
from constructs_sfn.visual.dot_source import dot_source
from constructs_sfn.visual.layout import render_svg

from .shop import shop_definition

pytestmark = pytest.mark.skipif(
    shutil.which("dot") is None, reason="needs Graphviz's dot, which scripts/bootstrap.sh installs (CI has it)"
)


def test_svg_has_every_state_and_no_xml_prolog() -> None:
    definition = shop_definition()
    svg = graph_svg(definition)
    assert svg.startswith("<svg")
    for name in build_graph(definition).node_of_state:
        assert f">{name}</text>" in svg
    # Clusters for the Map's item processor, laid out top to bottom: Validate above Done.
    assert "Item processor" in svg


def test_top_down_layout_puts_the_start_above_the_end() -> None:
    import re

    svg = graph_svg(shop_definition())

    def y_of(label: str) -> float:
        match = re.search(rf'<text[^>]*y="(-?[\d.]+)"[^>]*>{label}</text>', svg)
        assert match, label
        return float(match.group(1))

    assert y_of("Start") < y_of("Validate") < y_of("Charge") < y_of("Pack") < y_of("End")


def test_missing_dot_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(LayoutError, match="Graphviz's 'dot' program was not found on PATH; install Graphviz"):
        graph_svg(shop_definition())


def test_a_layout_past_its_time_limit_is_stopped() -> None:
    with pytest.raises(LayoutError, match="did not finish the layout within 1e-06 s"):
        render_svg(dot_source(build_graph(shop_definition())), timeout=0.000001)


def test_dot_refusing_its_input_is_reported() -> None:
    with pytest.raises(LayoutError, match=r"Graphviz 'dot' failed: .*syntax error"):
        render_svg("digraph { a -> }")


def test_png_export() -> None:
    from constructs_sfn.visual import graph_png

    png = graph_png(shop_definition())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 1000
