"""One end-to-end analysis of a scenario: every engine's results, ready for the briefing.

``analyse`` is pure: it takes a validated scenario and options, calls the engines and returns a
frozen :class:`Analysis`. Printing, the HTML report and the run store are the edges' business.

Seeds: each random step (Shapley sampling, the sweep, the Sobol' analysis) draws from its own
child of the run's seed (:func:`peaceops._seeds.step_seed`), so no two steps share a stream
(``docs/randomness.md``). The outlook's chance of change reuses the sweep's step seed on
purpose: its replicates are the sweep's first ones, so the two agree draw for draw.

Two cores: the steps that need no option of the scenario (the patched scenarios' option
matrices, the sweep, the Sobol' analysis) run in a child process forked at the start, beside
the option matrix and what depends on it (:mod:`peaceops.workflows._side`); the results are
the same bits as in one process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from peaceops._seeds import step_seed
from peaceops._version import __version__
from peaceops.forecast.timeline import DEFAULT_MODELS, ScenarioForecast, forecast_scenario
from peaceops.outlook import ChangeProbability, Outlook, build_outlook, planner_inputs
from peaceops.outlook.compute import DEFAULT_REPLICATES, change_probabilities
from peaceops.planning import (
    CoverageShapley,
    OptionCell,
    OptionMatrix,
    ParetoFrontier,
    Patch,
    WhatIf,
    compare_patch,
    coverage_shapley,
    option_matrix,
    pareto_frontier,
    patched_options,
)
from peaceops.power import PowerResult
from peaceops.scenario import Scenario, scenario_hash
from peaceops.scenario.tables import (
    actor_rows,
    pledge_rows,
    red_line_rows,
    stance_rows,
)
from peaceops.sweep import Option, SensitivityResult, SweepResult, run_sweep, sobol_sensitivity
from peaceops.venues import venue_power, venue_table
from peaceops.workflows._side import SideTask

__all__ = ["Analysis", "analyse", "sensitivity_target"]


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
    outlook: Outlook | None = None
    change: tuple[ChangeProbability, ...] = ()

    @property
    def headline(self) -> OptionCell | None:
        """The feasible option with the highest coverage (ties: fewer personnel), if any."""
        return None if self.options is None else _best(self.options)

    def to_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Result rows by section, as stored in the run store (JSON values: dates as text)."""
        return {
            name: [{k: _jsonable(v) for k, v in row.items()} for row in rows]
            for name, rows in self._sections().items()
        }

    def _sections(self) -> dict[str, list[dict[str, Any]]]:
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
            "outlook": [
                {"n": k, **line.to_dict(), "evidence": "; ".join(line.evidence)}
                for k, line in enumerate(self.outlook.lines if self.outlook else (), 1)
            ],
            "change": [c.to_row() for c in self.change],
            "rulings": [r.to_row() for r in self.forecast.rulings] if self.forecast else [],
            "cycles": self.forecast.cycle_rows() if self.forecast else [],
        }


def analyse(
    scenario: Scenario,
    *,
    seed: int = 20250405,
    models: tuple[str, ...] = DEFAULT_MODELS,
    n_replicates: int = 2000,
    n_sensitivity: int = 256,
    patches: Sequence[Patch] = (),
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
    patches
        What-if patches to compare with the best option (the CLI passes the scenario's
        packaged ones, read at the edge: :func:`peaceops.io.read_builtin_patches`).

    Examples
    --------
    The template, with the compromise model only and small samples; the sensitivity step
    explains the output :func:`sensitivity_target` picks:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> a = analyse(s, seed=1, models=("compromise",), n_replicates=64, n_sensitivity=16)
    >>> a.sensitivity.output, a.sweep.n
    ('forecast:compromise:ground_size', 64)
    """
    side = SideTask(
        partial(_side_branch, scenario, seed, n_replicates, n_sensitivity, tuple(patches)),
        fork=bool(scenario.missions and (patches or n_replicates)),  # else nothing to share
    )
    try:
        options = option_matrix(scenario) if scenario.missions else None
        best = _best(options) if options is not None else None
        side.send(None if best is None else Option(best.mission, best.route, best.levels).id)
        _, plan_values, venue_blocks = planner_inputs(options)
        forecast = None
        if models and scenario.stances:
            forecast = forecast_scenario(
                scenario, models=models, plan_values=plan_values, venue_blocks=venue_blocks
            )
        frontier = shapley = None
        mission = best.mission if best else (scenario.missions[0].id if options else "")
        route = best.route if best else None
        levels = dict(best.levels) if best else None
        if options is not None:
            if scenario.planning.adversary is not None:  # the frontier weighs the adversary
                frontier = pareto_frontier(scenario, mission, route=route, levels=levels)
            if best is not None:
                shapley = coverage_shapley(
                    scenario,
                    mission,
                    route=route,
                    levels=levels,
                    seed=step_seed(seed, "shapley"),
                )
        change = (
            change_probabilities(
                scenario,
                forecast,
                options,
                n=min(n_replicates, DEFAULT_REPLICATES),
                seed=step_seed(seed, "sweep"),
            )
            if forecast is not None
            else ()
        )
        power = venue_power(scenario)
        patched, sweep, sensitivity = side.result()
    finally:
        side.close()
    whatifs = tuple(
        compare_patch(
            scenario,
            patch,
            mission=mission,
            route=route,
            levels=levels,
            patched=after,
            options_after=after_options,
        )
        for patch, (after, after_options) in zip(patches, patched, strict=True)
        if options is not None
    )
    outlook = build_outlook(
        scenario,
        options=options,
        forecast=forecast,
        change=change,
        sweep=sweep,
        sensitivity=sensitivity,
    )
    return Analysis(
        scenario=scenario,
        outlook=outlook,
        change=change,
        scenario_hash=scenario_hash(scenario),
        package_version=__version__,
        seed=seed,
        power=power,
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
            "n_change": min(n_replicates, DEFAULT_REPLICATES),
        },
    )


def _side_branch(
    scenario: Scenario,
    seed: int,
    n_replicates: int,
    n_sensitivity: int,
    patches: tuple[Patch, ...],
    receive: Callable[[], str | None],
) -> tuple[tuple[tuple[Scenario, OptionMatrix], ...], SweepResult | None, SensitivityResult | None]:
    """The branch of :func:`analyse` that needs no option of the scenario: each patched
    scenario with its option matrix, the sweep and the Sobol' analysis (which asks for the
    best option, ``receive()``, only when no forecast varies)."""
    patched: tuple[tuple[Scenario, OptionMatrix], ...] = ()
    if scenario.missions:
        patched = tuple(patched_options(scenario, patch) for patch in patches)
    sweep = sensitivity = None
    if n_replicates and scenario.missions:
        sweep = run_sweep(
            scenario,
            n=n_replicates,
            seed=step_seed(seed, "sweep"),
            executor="inline",
            forecast=("compromise",),
        )
        spread = any(r["sd"] and r["sd"] > 0 for r in sweep.forecast_rows())
        target = _target(sweep, None if spread else receive())
        if n_sensitivity and target is not None:
            sensitivity = sobol_sensitivity(
                scenario,
                output=target,
                n=n_sensitivity,
                seed=step_seed(seed, "sensitivity"),
                grouping="actor",
            )
    return patched, sweep, sensitivity


def sensitivity_target(sweep: SweepResult, best: OptionCell | None = None) -> str | None:
    """The output a sensitivity analysis explains by default.

    The forecast with the largest variance over the scenario's uncertain inputs (forecasts
    combine many inputs: every stance, salience and clout range), else the yes/no output of the
    best option (or any option) closest to even odds, whose variance p(1-p) is then largest;
    ``None`` when nothing varies.

    Examples
    --------
    In the template the forecast with the largest spread is the ground presence: it moves
    with the host's clout (0.1 to 0.3) and with the dated event (probability 0.5), which lowers
    the adversary's salience:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.sweep import run_sweep
    >>> sweep = run_sweep(s, n=64, seed=1, executor="inline", forecast=("compromise",))
    >>> sensitivity_target(sweep)
    'forecast:compromise:ground_size'
    """
    return _target(
        sweep, None if best is None else Option(best.mission, best.route, best.levels).id
    )


def _target(sweep: SweepResult, best: str | None) -> str | None:
    """:func:`sensitivity_target` given the best option's id."""
    spread = [r for r in sweep.forecast_rows() if r["sd"] and r["sd"] > 0]
    if spread:
        top = max(spread, key=lambda r: (r["sd"], r["issue"]))
        return f"forecast:{top['model']}:{top['issue']}"
    rows = [r for r in sweep.probability_rows() if 0.0 < r["p"] < 1.0]
    if best is not None:
        own = [r for r in rows if r["option"] == best]
        rows = own or rows
    if rows:
        pick = min(rows, key=lambda r: abs(r["p"] - 0.5))
        return f"{pick['kind']}:{pick['option']}:{pick['subject']}"
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _best(options: OptionMatrix) -> OptionCell | None:
    feasible = [c for c in options.cells if c.feasible]
    return max(feasible, key=lambda c: (c.plan.coverage, -c.plan.personnel), default=None)
