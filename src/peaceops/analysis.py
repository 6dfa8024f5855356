"""Former home of :func:`peaceops.workflows.analyse`; kept so that old imports still work."""

from __future__ import annotations

from peaceops.workflows.analysis import Analysis, analyse

__all__ = ["Analysis", "analyse"]
