"""The outlook: one short conclusion every engine supports, each statement tied to its evidence.

:func:`compute_outlook` runs the engines (planner, institution-aware forecast, change/no-change
probabilities, sweep, Sobol) and :func:`build_outlook` assembles at most ten statements from
their results; ``peaceops outlook``, ``peaceops run`` and the HTML report show the same lines.
"""

from __future__ import annotations

from peaceops.outlook.build import Outlook, OutlookLine, build_outlook, planner_inputs
from peaceops.outlook.change import ChangeProbability, model_change, sweep_change
from peaceops.outlook.compute import change_probabilities, compute_outlook

__all__ = [
    "ChangeProbability",
    "Outlook",
    "OutlookLine",
    "build_outlook",
    "change_probabilities",
    "compute_outlook",
    "model_change",
    "planner_inputs",
    "sweep_change",
]
