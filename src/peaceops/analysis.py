"""One end-to-end analysis of a scenario: every engine's results, ready for the briefing.

``analyse`` is pure: it takes a validated scenario and options, calls the engines and returns a
frozen :class:`Analysis`. Printing, the HTML report and the run store are the CLI's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peaceops import __version__
from peaceops.forecast.timeline import DEFAULT_MODELS, ScenarioForecast, forecast_scenario
from peaceops.planning import (
    CoverageShapley,
    OptionCell,
    OptionMatrix,
    ParetoFrontier,
    WhatIf,
    compare_patch,
    coverage_shapley,
    load_patch,
    option_matrix,
    pareto_frontier,
)
from peaceops.power import PowerResult
from peaceops.scenario import Scenario, scenario_hash
from peaceops.scenario.load import builtin_patches
from peaceops.scenario.tables import (
    actor_rows,
    pledge_rows,
    red_line_rows,
    stance_rows,
)
from peaceops.sweep import SensitivityResult, SweepResult, run_sweep, sobol_sensitivity
from peaceops.venues import venue_power, venue_table

__all__ = ["Analysis", "analyse"]


@dataclass(frozen=True)
class Analysis:
    """Everything one run computed for a scenario."""

    scenario: Scenario
    scenario_hash: str
    package_version: str
    seed: int
    power: dict[str, PowerResult] = field(default_factory=dict)
    options: OptionMatrix | None = None
    frontier: ParetoFrontier | None = None
    shapley: CoverageShapley | None = None
    whatifs: tuple[WhatIf, ...] = ()
    forecast: ScenarioForecast | None = None
    sweep: SweepResult | None = None
    sensitivity: SensitivityResult | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def headline(self) -> OptionCell | None:
        """The feasible option with the highest coverage (ties: fewer personnel), if any."""
        return None if self.options is None else _best(self.options)

    def to_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Result rows by section, as stored in the run store."""
        s = self.scenario
        return {
            "actors": actor_rows(s),
            "stances": stance_rows(s),
            "pledges": pledge_rows(s),
            "red_lines": red_line_rows(s),
            "venues": venue_table(s),
            "power": [
                {"venue": venue, **{k: v for k, v in row.items() if not k.endswith("_exact")}}
                for venue, res in self.power.items()
                for row in res.to_rows()
            ],
            "options": self.options.to_rows() if self.options else [],
            "plan": self.headline.plan.requirement_rows() if self.headline else [],
            "frontier": self.frontier.to_rows() if self.frontier else [],
            "shapley": self.shapley.to_rows() if self.shapley else [],
            "whatif": [{"patch": w.patch.name, **row} for w in self.whatifs for row in w.to_rows()],
            "forecast": self.forecast.to_rows() if self.forecast else [],
            **(self.sweep.to_rows() if self.sweep else {}),
            "sensitivity": self.sensitivity.to_rows() if self.sensitivity else [],
        }


def analyse(
    scenario: Scenario,
    *,
    seed: int = 20250405,
    models: tuple[str, ...] = DEFAULT_MODELS,
    n_replicates: int = 2000,
    n_sensitivity: int = 256,
) -> Analysis:
    """Run every engine on ``scenario``.

    Parameters
    ----------
    scenario
        A validated scenario (see :func:`peaceops.load_scenario`).
    seed
        Seed of every stochastic step; see ``docs/randomness.md``.
    models
        Forecast models to run (names in :data:`peaceops.forecast.MODELS`); empty for none.
    n_replicates
        Monte Carlo replicates of the uncertainty sweep (0 for none): a few seconds by default.
    n_sensitivity
        Base sample of the Sobol analysis of the most uncertain output (0 for none).
    """
    forecast = forecast_scenario(scenario, models=models) if models and scenario.stances else None
    options = option_matrix(scenario) if scenario.missions else None
    frontier = shapley = None
    whatifs: tuple[WhatIf, ...] = ()
    if options is not None:
        best = _best(options)
        mission = best.mission if best else scenario.missions[0].id
        route = best.route if best else None
        backstop = best.backstop if best else None
        if scenario.planning.adversary is not None:  # the frontier weighs the adversary
            frontier = pareto_frontier(scenario, mission, route=route, backstop=backstop)
        if best is not None:
            shapley = coverage_shapley(scenario, mission, route=route, backstop=backstop, seed=seed)
        whatifs = tuple(
            compare_patch(
                scenario,
                load_patch(str(path), text=path.read_text(encoding="utf-8")),
                mission=mission,
                route=route,
                backstop=backstop,
            )
            for path in builtin_patches(scenario.id)
        )
    sweep = sensitivity = None
    if n_replicates and scenario.missions:
        sweep = run_sweep(
            scenario, n=n_replicates, seed=seed, executor="inline", forecast=("compromise",)
        )
        target = _most_uncertain(sweep, _best(options) if options else None)
        if n_sensitivity and target is not None:
            sensitivity = sobol_sensitivity(
                scenario, output=target, n=n_sensitivity, seed=seed, grouping="actor"
            )
    return Analysis(
        scenario=scenario,
        scenario_hash=scenario_hash(scenario),
        package_version=__version__,
        seed=seed,
        power=venue_power(scenario),
        sweep=sweep,
        sensitivity=sensitivity,
        options=options,
        frontier=frontier,
        shapley=shapley,
        whatifs=whatifs,
        forecast=forecast,
        settings={
            "seed": seed,
            "models": list(models),
            "n_replicates": n_replicates,
            "n_sensitivity": n_sensitivity,
        },
    )


def _most_uncertain(sweep: SweepResult, best: OptionCell | None) -> str | None:
    """The output whose Sobol indices the briefing shows: the yes/no output of the best
    option (or any option) closest to even odds; failing that, the most spread forecast."""
    rows = [r for r in sweep.probability_rows() if 0.02 < r["p"] < 0.98]
    if best is not None:
        own = [
            r
            for r in rows
            if (r["mission"], r["route"], r["backstop"])
            == (best.mission, best.route, best.backstop)
        ]
        rows = own or rows
    if rows:
        pick = min(rows, key=lambda r: abs(r["p"] - 0.5))
        return f"{pick['kind']}:{pick['option']}:{pick['subject']}"
    spread = [r for r in sweep.forecast_rows() if r["sd"] and r["sd"] > 0]
    if spread:
        top = max(spread, key=lambda r: r["sd"])
        return f"forecast:{top['model']}:{top['issue']}"
    return None


def _best(options: OptionMatrix) -> OptionCell | None:
    feasible = [c for c in options.cells if c.feasible]
    return max(feasible, key=lambda c: (c.plan.coverage, -c.plan.personnel), default=None)
