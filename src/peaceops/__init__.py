"""peaceops: model and plan a multinational peace operation raised by a coalition of the willing.

The Python API mirrors the command line::

    import peaceops
    s = peaceops.load_scenario("ukraine-2025-04")      # frozen, validated scenario
    frames = peaceops.scenario_frames(s)               # tables as pandas DataFrames
    analysis = peaceops.analyse(s, seed=1)             # every engine's results
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peaceops._lazy import lazy_attributes as _lazy_attributes
from peaceops._version import __version__
from peaceops.errors import (
    ConvergenceError,
    InfeasibleError,
    PeaceopsError,
    ScenarioError,
    StoreError,
)
from peaceops.scenario import Scenario, builtin_scenarios, load_scenario, parse_scenario

if TYPE_CHECKING:
    from peaceops.scenario.tables import scenario_frames
    from peaceops.workflows import Analysis, analyse

# Heavy parts (every engine, pandas) load on first use, so ``import peaceops`` stays quick.
_LAZY = {
    "Analysis": "peaceops.workflows",
    "analyse": "peaceops.workflows",
    "scenario_frames": "peaceops.scenario.tables",
}


__getattr__ = _lazy_attributes(__name__, _LAZY)


__all__ = [
    "Analysis",
    "ConvergenceError",
    "InfeasibleError",
    "PeaceopsError",
    "Scenario",
    "ScenarioError",
    "StoreError",
    "__version__",
    "analyse",
    "builtin_scenarios",
    "load_scenario",
    "parse_scenario",
    "scenario_frames",
]
