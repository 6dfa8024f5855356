"""The top-level calls of the Python API: ``peaceops.options``, ``plan``, ``forecast``,
``sweep`` and ``sensitivity``.

Each takes a scenario (a :class:`~peaceops.scenario.Scenario`, a built-in name or a file path)
and keyword options, calls one engine and returns its result, which has ``to_rows()``,
``to_frame()`` and a table view in notebooks. They add no logic of their own: the engines'
docstrings document every option.

Examples
--------
>>> import peaceops
>>> matrix = peaceops.options("ukraine-2025-04")
>>> frame = matrix.to_frame()
>>> int(frame["feasible"].sum()), frame.index.names[:2]
(3, FrozenList(['mission', 'route']))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from peaceops.errors import InfeasibleError
from peaceops.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    from peaceops.forecast.timeline import ScenarioForecast
    from peaceops.planning import ForcePlan, OptionMatrix
    from peaceops.sweep import SensitivityResult, SweepResult

__all__ = ["forecast", "options", "plan", "sensitivity", "sweep"]

ScenarioLike = Scenario | str | Path


def _scenario(scenario: ScenarioLike) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(str(scenario))


def options(scenario: ScenarioLike, **kwargs: Any) -> OptionMatrix:
    """The option matrix (:func:`peaceops.planning.option_matrix`)."""
    from peaceops.planning import option_matrix

    return option_matrix(_scenario(scenario), **kwargs)


def plan(scenario: ScenarioLike, mission: str | None = None, **kwargs: Any) -> ForcePlan:
    """A force plan for one mission (:func:`peaceops.planning.solve_force_generation`).

    >>> import peaceops
    >>> p = peaceops.plan("ukraine-2025-04", route="COALITION")
    >>> round(p.coverage, 3), p.personnel
    (0.405, 6520)
    """
    from peaceops.planning import solve_force_generation

    return solve_force_generation(_scenario(scenario), mission, **kwargs)


def forecast(scenario: ScenarioLike, **kwargs: Any) -> ScenarioForecast:
    """Week-by-week forecasts under each model (:func:`peaceops.forecast.forecast_scenario`).

    >>> import peaceops
    >>> frame = peaceops.forecast("ukraine-2025-04", models=["compromise"]).to_frame()
    >>> str(frame["date"].dtype), sorted(frame.columns)
    ('datetime64[ns]', ['cycling', 'date', 'forecast', 'issue', 'model', 'round'])
    """
    from peaceops.forecast.timeline import forecast_scenario

    return forecast_scenario(_scenario(scenario), **kwargs)


def sweep(scenario: ScenarioLike, n: int = 2000, **kwargs: Any) -> SweepResult:
    """A Monte Carlo sweep over the uncertain inputs (:func:`peaceops.sweep.run_sweep`);
    ``seed`` as in ``docs/randomness.md``."""
    from peaceops.sweep import run_sweep

    return run_sweep(_scenario(scenario), n=n, **kwargs)


def sensitivity(
    scenario: ScenarioLike, output: str | None = None, **kwargs: Any
) -> SensitivityResult:
    """Sobol indices of one output (:func:`peaceops.sweep.sobol_sensitivity`); without
    ``output``, the forecast with the largest variance in a 256-replicate pilot sweep."""
    from peaceops.sweep import run_sweep, sobol_sensitivity
    from peaceops.workflows.analysis import sensitivity_target

    s = _scenario(scenario)
    if output is None:
        pilot = run_sweep(
            s, n=256, seed=kwargs.get("seed"), executor="inline", forecast=("compromise",)
        )
        output = sensitivity_target(pilot)
        if output is None:
            raise InfeasibleError(f"no output of {s.id} varies over its uncertain inputs")
    return sobol_sensitivity(s, output=output, **kwargs)
