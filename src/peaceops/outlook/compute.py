"""Run the engines the outlook needs, with modest defaults so that it answers in seconds."""

from __future__ import annotations

from peaceops.forecast.timeline import DEFAULT_MODELS, ScenarioForecast, forecast_scenario
from peaceops.outlook.build import Outlook, build_outlook, planner_inputs
from peaceops.outlook.change import ChangeProbability, model_change, sweep_change
from peaceops.planning import OptionMatrix, option_matrix
from peaceops.scenario.model import Scenario
from peaceops.sweep import SensitivityResult, SweepResult, run_sweep, sobol_sensitivity

__all__ = ["DEFAULT_REPLICATES", "DEFAULT_SENSITIVITY", "change_probabilities", "compute_outlook"]

#: Replicates of the outlook's sweeps (``peaceops run`` and ``peaceops sweep`` use more).
DEFAULT_REPLICATES = 200
#: Base sample of the outlook's Sobol analysis.
DEFAULT_SENSITIVITY = 32


def change_probabilities(
    scenario: Scenario,
    forecast: ScenarioForecast,
    options: OptionMatrix | None,
    *,
    n: int,
    seed: int,
) -> tuple[ChangeProbability, ...]:
    """Change/no-change per issue and for the mission: the SMP's own and the Monte Carlo's."""
    best, plan_values, blocks = planner_inputs(options)
    after = scenario.mission(best.mission).after_events if best is not None else ()
    own = model_change(scenario, forecast, deploy_after=after)
    mc = (
        sweep_change(
            scenario,
            n=n,
            seed=seed,
            plan_values=plan_values,
            venue_blocks=blocks,
            deploy_after=after,
        )
        if n
        else ()
    )
    return (*mc, *own)


def compute_outlook(
    scenario: Scenario,
    *,
    seed: int = 20250405,
    n_replicates: int = DEFAULT_REPLICATES,
    n_sensitivity: int = DEFAULT_SENSITIVITY,
    models: tuple[str, ...] = DEFAULT_MODELS,
) -> Outlook:
    """The outlook of ``scenario``: option matrix, institution-aware forecast of the best plan,
    change/no-change probabilities, a sweep of ``n_replicates`` and a Sobol analysis of base
    sample ``n_sensitivity`` (0 to skip either). ``seed``: ``docs/randomness.md``."""
    from peaceops.workflows.analysis import sensitivity_target

    options = option_matrix(scenario) if scenario.missions else None
    best, plan_values, blocks = planner_inputs(options)
    forecast = None
    if models and scenario.stances:
        forecast = forecast_scenario(
            scenario, models=models, plan_values=plan_values, venue_blocks=blocks
        )
    change = (
        change_probabilities(scenario, forecast, options, n=n_replicates, seed=seed)
        if forecast is not None
        else ()
    )
    sweep: SweepResult | None = None
    sensitivity: SensitivityResult | None = None
    if n_replicates and scenario.missions:
        sweep = run_sweep(
            scenario, n=n_replicates, seed=seed, executor="inline", forecast=("compromise",)
        )
        target = sensitivity_target(sweep, best)
        if n_sensitivity and target is not None:
            sensitivity = sobol_sensitivity(
                scenario, output=target, n=n_sensitivity, seed=seed, grouping="actor"
            )
    return build_outlook(
        scenario,
        options=options,
        forecast=forecast,
        change=change,
        sweep=sweep,
        sensitivity=sensitivity,
    )
