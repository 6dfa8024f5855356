"""The ``peaceops`` command line: parse, call the library, format, translate errors."""

from __future__ import annotations

from peaceops.cli import backtest, forecast, plan, power, run, runs, scenarios, sweep, venues  # noqa: F401  (register commands)
from peaceops.cli.app import app, main

__all__ = ["app", "main"]
