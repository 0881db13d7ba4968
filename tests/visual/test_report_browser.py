"""The HTML report in headless Chromium (Debian's chromium, driven by Playwright).

It must render with no console errors, show the failed state as failed, and show its error when
it is clicked. Screenshots are kept under .stamps/artefacts/visual/ (the path is printed).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.asl import parse_definition
from constructs_sfn.visual import build_graph, graph_report

from .shop import shop_definition, shop_run

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / ".stamps" / "artefacts" / "visual"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or shutil.which("dot") is None,
    reason="needs Debian's chromium and Graphviz's dot, which scripts/bootstrap.sh installs (CI has them)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def open_report(browser: Any, page_text: str, path: Path) -> tuple[Any, list[str]]:
    path.write_text(page_text, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.type}: {message.text}") if message.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(("file:", "data:")) else problems.append(f"fetch: {request.url}")
        ),
    )
    page.goto(path.as_uri())
    page.wait_for_selector("g.node.state")
    return page, problems


def screenshot(page: Any, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTEFACTS / name
    page.screenshot(path=str(target), full_page=True)
    print(f"screenshot: {target}")
    return target


def test_failed_state_shown_failed_and_its_error_on_click(browser: Any, tmp_path: Path) -> None:
    definition = shop_definition()
    graph = build_graph(definition)
    report = graph_report(definition, shop_run({"total": 5, "items": ["a", "glass"]}), title="Shop: a fragile item")
    page, problems = open_report(browser, report, tmp_path / "run.html")
    try:
        pack_item = f"#state-{graph.node_of_state['PackItem']}"
        assert "outcome-failed" in (page.get_attribute(pack_item, "class") or "")
        fill = page.eval_on_selector(f"{pack_item} path, {pack_item} polygon", "e => e.getAttribute('fill')")
        assert fill == "#fde0dd"
        assert "outcome-succeeded" in (page.get_attribute(f"#state-{graph.node_of_state['Validate']}", "class") or "")
        assert "outcome-not_reached" in (page.get_attribute(f"#state-{graph.node_of_state['Done']}", "class") or "")
        assert page.inner_text("#run-summary").startswith("FAILED")
        assert "Click a state" in page.inner_text("#details")
        page.click(pack_item)
        details = page.inner_text("#details")
        assert details.startswith("PackItem")
        assert page.inner_text("#detail-outcome") == "Failed"
        assert "Fragile" in details
        assert "glass cannot be packed" in details
        assert "cheaper" in page.inner_text("#cost")
        screenshot(page, "shop-fragile-item.png")
    finally:
        page.close()
    assert problems == []


def test_retried_and_caught_states_in_the_browser(browser: Any, tmp_path: Path) -> None:
    definition = shop_definition()
    graph = build_graph(definition)
    charge = f"#state-{graph.node_of_state['Charge']}"
    page, problems = open_report(
        browser,
        graph_report(definition, shop_run({"total": 5, "items": []}, busy_times=1, decline=True)),
        tmp_path / "caught.html",
    )
    try:
        assert "outcome-caught" in (page.get_attribute(charge, "class") or "")
        page.focus(charge)
        page.keyboard.press("Enter")  # the keyboard opens the details as a click does
        details = page.inner_text("#details")
        assert "Attempt 1 failed: Busy" in details
        assert "Attempt 2 failed: Declined" in details
        assert page.locator("g.edge.taken").count() >= 3
        screenshot(page, "shop-declined.png")
    finally:
        page.close()
    assert problems == []


def test_definition_only_report_and_hostile_names(browser: Any, tmp_path: Path) -> None:
    name = "<img src=x onerror=\"document.title='pwned'\">"
    definition = parse_definition(json.dumps({"StartAt": name, "States": {name: {"Type": "Succeed"}}}))
    page, problems = open_report(browser, graph_report(definition, title="plain"), tmp_path / "plain.html")
    try:
        page.click("g.node.state")
        assert page.inner_text("#details").startswith(name)
        assert page.title() == "plain"
        assert page.locator("#details img").count() == 0
        assert "Definition only" in page.inner_text("#run-summary")
    finally:
        page.close()
    assert problems == []
