"""Helpers shared by test modules (imported by name; conftest modules are not importable)."""

from __future__ import annotations

import string
from importlib import resources
from pathlib import Path
from typing import Any

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


def template_text(scenario_id: str = "demo", name: str = "Demo") -> str:
    """The packaged scenario template, filled in (a small valid scenario)."""
    raw = (resources.files("peaceops.scenarios") / "template.yaml.tmpl").read_text()
    return string.Template(raw).substitute(id=scenario_id, name=name)
