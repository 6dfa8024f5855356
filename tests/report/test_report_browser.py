"""The HTML report in a real browser: offline, no console error, every row visible, sortable,
and printable to a PDF that holds every option row and every source id.

Drives Debian's Chromium through Playwright (``executable_path=/usr/bin/chromium``; no browser
is downloaded). ``scripts/system-deps.sh`` installs Chromium and poppler's ``pdftotext`` for
``make test``; without them these tests skip with the reason.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peaceops.analysis import analyse
from peaceops.report import build_briefing, write_html
from peaceops.scenario import load_scenario
from peaceops_testing import CHROMIUM, launch_chromium

VENDORED_SHA256 = "79542150855a52c567260e3137095dbe2b744e6d702a5cabe67da246942fba7a"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    analysis = analyse(load_scenario("ukraine-2025-04"), seed=7, n_replicates=200, n_sensitivity=32)
    path = write_html(build_briefing(analysis), tmp_path_factory.mktemp("report") / "r.html")
    return path, analysis


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (scripts/system-deps.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


def test_vendored_plotly_is_the_published_file() -> None:
    from importlib import resources

    data = (resources.files("peaceops.report") / "vendor" / "plotly-cartesian.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == VENDORED_SHA256


def test_report_is_under_4_mb_and_has_no_scroll_boxes(report: tuple[Path, Any]) -> None:
    path, _ = report
    assert path.stat().st_size < 4_000_000
    text = path.read_text(encoding="utf-8")
    style = text[text.index("<style>") : text.index("</style>")]
    assert "max-height" not in style
    assert "overflow-y" not in style
    markup = re.sub(r"<script[^>]*>.*?</script>", "", text, flags=re.S)
    assert not re.search(r"""(src|href)=["']https?://""", markup)


def test_report_in_the_browser(report: tuple[Path, Any], browser: Any, tmp_path: Path) -> None:
    path, analysis = report
    page = browser.new_page()
    url = path.resolve().as_uri()
    outside: list[str] = []
    errors: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url == url or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("load")
    assert outside == [], f"requests left the file: {outside}"
    assert errors == [], f"console errors: {errors}"

    # Every row of every table is rendered and visible (no scroll box, nothing hidden).
    hidden = page.evaluate(
        """() => Array.from(document.querySelectorAll('table.data tbody tr'))
             .filter(r => r.hidden || r.getClientRects().length === 0).length"""
    )
    assert hidden == 0
    n_rows = page.evaluate("() => document.querySelectorAll('table.data tbody tr').length")
    assert n_rows > 100
    assert page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length") > 3

    # Sort the option matrix by coverage: descending after two clicks.
    table = page.locator("#options table.data").first
    header = table.locator("thead th", has_text=re.compile(r"^coverage$"))
    header.click()
    header.click()
    column = page.evaluate(
        """() => {
             const t = document.querySelector('#options table.data');
             const i = Array.from(t.tHead.rows[0].cells)
               .findIndex(c => c.textContent.trim() === 'coverage');
             return Array.from(t.tBodies[0].rows).map(r => parseFloat(r.cells[i].dataset.value));
           }"""
    )
    assert column == sorted(column, reverse=True)
    assert len(column) == len(analysis.options.cells)

    # Filtering hides rows and clearing it shows them all again.
    box = page.locator("#options input.filter").first
    box.fill("UNSC")
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('#options table.data tbody tr'))
             .filter(r => !r.hidden).length"""
    )
    assert 0 < shown < len(analysis.options.cells)
    box.fill("")

    # Print to PDF: the text holds every option row and every source id.
    pdf = tmp_path / "briefing.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=False)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    for source in analysis.scenario.sources:
        assert source.id in flat, f"source {source.id} missing from the PDF"
    lines = [re.sub(r"\s+", " ", line) for line in text.splitlines()]
    for cell in analysis.options.cells:
        words = [cell.mission, cell.route, *(f"{v:g}" for _, v in cell.levels)]
        pattern = re.compile(r"\b" + r" ".join(re.escape(w) for w in words) + r"\b")
        assert any(pattern.search(line) for line in lines), f"option {cell.id} missing from the PDF"
    page.close()
