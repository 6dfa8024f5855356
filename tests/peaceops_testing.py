"""Helpers shared by test modules (imported by name; conftest modules are not importable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peaceops.scenario import template_text  # re-exported for the tests

#: Debian's chromium, driven by Playwright (never ``playwright install``).
CHROMIUM = Path("/usr/bin/chromium")
#: Headless and quiet: no sandbox (tests run as root in CI), no network of its own.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium through a running Playwright (``sync_playwright()``)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)


__all__ = ["CHROMIUM", "CHROMIUM_FLAGS", "launch_chromium", "template_text"]
