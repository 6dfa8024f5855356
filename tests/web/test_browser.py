"""The workbench in a real browser: Debian's chromium driven by Playwright.

One server per store backend (SQLite, PostgreSQL), started as ``peaceops serve`` on a free
loopback port. The test fails on any request to a host other than 127.0.0.1 and on any console
error, and writes a screenshot of each page to ``test-artifacts/web/<backend>/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from peaceops.web.local import serve_locally
from peaceops_testing import CHROMIUM, launch_chromium

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (scripts/system-deps.sh installs it as root)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is absent")

REPO = Path(__file__).resolve().parents[2]
UKR = "ukraine-2025-04"
BROKEN = """id: broken
name: Broken
date: 2025-04-05
actors:
  - id: AAA
    name: A
    kind: planet
    clout: {value: 2, sources: [nowhere]}
"""


@pytest.fixture
def server(store_url: str, tmp_path: Path) -> Iterator[str]:
    """``peaceops serve`` on 127.0.0.1 and a free port, over a fresh store."""
    with serve_locally(store_url, log=tmp_path / "server.log") as base:
        yield base


def test_workbench_in_the_browser(server: str, request: pytest.FixtureRequest) -> None:
    backend = request.node.callspec.params["store_url"]
    shots = REPO / "test-artifacts" / "web" / backend
    shots.mkdir(parents=True, exist_ok=True)
    foreign: list[str] = []
    console_errors: list[str] = []
    expected = {"status": 0}  # the one error status a step expects (the broken upload: 422)

    def on_request(req: object) -> None:
        url = urlparse(req.url)  # type: ignore[attr-defined]
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname != "127.0.0.1":
            foreign.append(req.url)  # type: ignore[attr-defined]

    def on_console(msg: object) -> None:
        text = msg.text  # type: ignore[attr-defined]
        if msg.type != "error":  # type: ignore[attr-defined]
            return
        if expected["status"] and f"status of {expected['status']} " in text:
            return  # the page answered the expected error status, and rendered it
        console_errors.append(text)

    with sync_api.sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(90_000)
        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: console_errors.append(str(exc)))

        def shot(name: str) -> None:
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

        try:
            # Open the Ukraine scenario: heatmap, pledges, venues with power, sources.
            page.goto(f"{server}/")
            shot("01-scenarios")
            page.click(f"#scenarios a[href='/scenarios/{UKR}']")
            page.wait_for_selector("#stance-heatmap .main-svg")
            assert "Best feasible option now" in page.inner_text("#outlook")
            assert page.locator("#sources li").count() > 50
            shot("02-scenario")
            for path, wait, name in (
                ("options", "#matrix table", "03-options"),
                ("plan", "#frontier .main-svg", "04-plan"),
                ("forecast", "#trajectories .main-svg", "05-forecast"),
            ):
                page.goto(f"{server}/scenarios/{UKR}/{path}")
                page.wait_for_selector(wait)
                shot(name)
            page.goto(f"{server}/scenarios/{UKR}/options")
            page.click("#matrix th a:text('personnel')")  # sort by a column
            page.wait_for_url("**sort=personnel**")
            page.fill("#option-filter input[name=route]", "UNSC")  # filter (htmx)
            page.wait_for_function(
                "[...document.querySelectorAll('#matrix tbody tr')].every("
                "r => r.cells[1].textContent === 'UNSC')"
            )

            # What if Turkey commits its three mine-countermeasure vessels?
            page.goto(f"{server}/scenarios/{UKR}/edit")
            page.select_option("#edit-pledge select[name=pledge]", "tur-sea")
            page.fill("#edit-pledge input[name=quantity]", "3")
            page.click("#edit-pledge button")
            page.wait_for_selector("#coverage-compare")
            maritime = page.locator("#coverage-compare tr.changed", has_text="maritime")
            assert maritime.count() == 1
            assert maritime.locator("mark").count() >= 1
            assert page.locator("#options-compare tr.changed").count() > 0
            shot("06-what-if")
            page.fill("#note", "Turkey commits 3 MCM vessels")
            page.click("#save")
            page.wait_for_selector("#diff")
            assert "Turkey commits 3 MCM vessels" in page.inner_text("#note")
            shot("07-version")

            # Upload a broken scenario: each error at its line.
            page.goto(f"{server}/")
            page.fill("#upload textarea[name=text]", BROKEN)
            expected["status"] = 422
            with page.expect_response(lambda r: r.request.method == "POST") as answer:
                page.click("#upload button[type=submit]")
            assert answer.value.status == 422
            page.wait_for_selector("#problems")
            expected["status"] = 0
            lines = {
                page.locator(".problem[data-line]").nth(i).get_attribute("data-line")
                for i in range(page.locator(".problem[data-line]").count())
            }
            assert {"7", "8"} <= lines, lines
            assert page.locator("#line-7.bad").count() == 1
            shot("08-upload-errors")

            # A 2,000-replicate sweep: progress, then results; then a second one to compare.
            runs = []
            for seed in ("11", "12"):
                page.goto(f"{server}/sweeps")
                page.fill("#sweep-form input[name=n]", "2000")
                page.fill("#sweep-form input[name=seed]", seed)
                page.click("#sweep-form button")
                page.wait_for_selector("#sweep-progress")
                seen = [page.inner_text("#progress-text")]
                assert "of 2000 replicates" in seen[0]
                if seed == "11":
                    shot("09-sweep-progress")
                page.wait_for_selector("#sweep-results #what-matters")
                assert "2000 of 2000 replicates" in page.inner_text("#progress-text")
                assert page.locator("#sweep-options tbody tr").count() > 0
                runs.append(page.url.rsplit("/", 1)[1])
            shot("10-sweep-results")

            # Compare the two runs.
            page.goto(f"{server}/runs")
            shot("11-runs")
            page.check(f"#runs input[name=a][value='{runs[0]}']")
            page.check(f"#runs input[name=b][value='{runs[1]}']")
            page.click("#compare")
            page.wait_for_selector("#run-compare")
            assert page.locator("#run-compare tr.changed mark").count() > 0
            shot("12-compare")
            page.goto(f"{server}/docs")
            shot("13-api")
        finally:
            browser.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not console_errors, f"console errors: {console_errors}"
