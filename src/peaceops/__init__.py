"""peaceops: model and plan a multinational peace operation raised by a coalition of the willing.

The Python API mirrors the command line::

    import peaceops
    s = peaceops.load_scenario("ukraine-2025-04")      # frozen, validated scenario
    frames = peaceops.scenario_frames(s)               # every table as a pandas DataFrame
    peaceops.options(s).to_frame()                     # the option matrix
    peaceops.plan(s, route="COALITION").to_frame()     # a force plan
    peaceops.forecast(s).to_frame()                    # forecasts by model, round and issue
    peaceops.sweep(s, 2000, seed=1).to_frame()         # Monte Carlo probabilities
    peaceops.sensitivity(s, seed=1).to_frame()         # what drives the most variable output
    analysis = peaceops.analyse(s, seed=1)             # every engine's results

Every result has ``to_rows()``, ``to_frame()`` and a table view in notebooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peaceops._lazy import lazy_attributes as _lazy_attributes
from peaceops.errors import (
    ConvergenceError,
    InfeasibleError,
    PeaceopsError,
    ScenarioError,
    StoreError,
)

if TYPE_CHECKING:
    from peaceops.scenario import Scenario, builtin_scenarios, load_scenario, parse_scenario
    from peaceops.scenario.tables import scenario_frames
    from peaceops.shortcuts import forecast, options, plan, sensitivity, sweep
    from peaceops.workflows import Analysis, analyse

    __version__: str

# Heavy parts (every engine, pandas, pydantic) load on first use, so ``import peaceops`` and
# ``peaceops --help`` stay quick.
_LAZY = {
    "Analysis": "peaceops.workflows",
    "Scenario": "peaceops.scenario",
    "analyse": "peaceops.workflows",
    "builtin_scenarios": "peaceops.scenario",
    "load_scenario": "peaceops.scenario",
    "parse_scenario": "peaceops.scenario",
    "scenario_frames": "peaceops.scenario.tables",
    "options": "peaceops.shortcuts",
    "plan": "peaceops.shortcuts",
    "sensitivity": "peaceops.shortcuts",
}
# ``peaceops.forecast`` and ``peaceops.sweep`` are subpackages that can be called as the
# top-level functions of the same name (see ``peaceops._lazy.callable_module``).
_CALLABLE_SUBPACKAGES = ("forecast", "sweep")


_load_lazy = _lazy_attributes(__name__, _LAZY)


def __getattr__(name: str) -> Any:
    if name == "__version__":  # importlib.metadata costs a tenth of a second at start-up
        from peaceops._version import __version__ as value

        globals()["__version__"] = value
        return value
    if name in _CALLABLE_SUBPACKAGES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    return _load_lazy(name)


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
    "forecast",
    "load_scenario",
    "options",
    "parse_scenario",
    "plan",
    "scenario_frames",
    "sensitivity",
    "sweep",
]
