"""The ``peaceops`` command line: parse, call the library, format, translate errors."""

from __future__ import annotations

from peaceops.cli.app import app, load_all_commands, main

__all__ = ["app", "load_all_commands", "main"]
