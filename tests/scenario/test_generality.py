"""Every engine runs on generated format-2 scenarios of varied shapes (no host, no guarantor-like
dimension, one to four dimensions, venues by list, blocs, conditional red lines, threats) and
fails only with a documented input error (ScenarioError, InfeasibleError)."""

from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from peaceops.errors import InfeasibleError, ScenarioError
from peaceops.forecast.timeline import forecast_scenario
from peaceops.planning import option_matrix, solve_force_generation
from peaceops.scenario import parse_scenario
from peaceops.sweep import run_sweep
from peaceops.venues import venue_power, venue_table

_spec = importlib.util.spec_from_file_location(
    "strategies", Path(__file__).with_name("strategies.py")
)
assert _spec is not None
assert _spec.loader is not None
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)

DOCUMENTED = (ScenarioError, InfeasibleError)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=strategies.scenario_texts())
def test_every_engine_runs_on_generated_scenarios(text: str) -> None:
    s = parse_scenario(text, file="generated.yaml")  # every generated scenario validates
    assert venue_table(s)
    assert set(venue_power(s)) == {v.id for v in s.venues}
    matrix = option_matrix(s, time_limit=5.0)
    n_combos = 1
    for d in s.planned_dimensions():
        n_combos *= len(d.levels)
    assert len(matrix.cells) == len(s.missions) * len(s.planning.routes) * n_combos
    for cell in matrix.cells:
        assert 0.0 <= cell.plan.coverage <= 1.0
        assert 0.0 <= cell.plan.risk <= 1.0
    with contextlib.suppress(*DOCUMENTED):
        solve_force_generation(s, time_limit=5.0)
    if s.stances:
        forecast_scenario(s, models=("compromise",), rounds=2)
    result = run_sweep(s, n=4, seed=1, executor="inline")
    assert result.probability_rows()
