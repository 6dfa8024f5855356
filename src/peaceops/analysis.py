"""Former home of :func:`peaceops.workflows.analyse`; kept so that old imports still work."""

from __future__ import annotations

from peaceops.workflows.analysis import Analysis, analyse, sensitivity_target

__all__ = ["Analysis", "analyse", "sensitivity_target"]
