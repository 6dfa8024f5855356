"""Forecasts in a sweep equal the forecast package's own run on each replicate's world.

The oracle is :func:`peaceops.forecast.timeline.forecast_scenario` on the realised scenario
(every uncertain value replaced by the replicate's draw; events drawn as happened or not).
"""

from __future__ import annotations

import numpy as np
import pytest

from peaceops import load_scenario
from peaceops.forecast.timeline import forecast_scenario
from peaceops.sweep import build_evaluator, draw_inputs, realise_scenario
from peaceops.sweep._forecast import run_forecasts
from peaceops.sweep.evaluate import evaluate_batch

ROUNDS = 8  # the dated Ukrainian events fall in rounds 3 and 5


def _check(models: tuple[str, ...], n: int, seed: int) -> None:
    s = load_scenario("ukraine-2025-04")
    ev = build_evaluator(s, forecast=models, rounds=ROUNDS)
    assert ev.forecast is not None
    values = draw_inputs(ev.design, seed, 0, n)
    got = run_forecasts(ev.forecast, values)
    happened = set()
    for r in range(n):
        world = realise_scenario(s, ev.design, values[r])
        happened |= {e.id for e in world.events if e.probability == 1.0 and e.date is not None}
        expected = forecast_scenario(world, models=models, rounds=ROUNDS)
        for m in models:
            # the sweep forecasts the bargaining itself: the models' own trajectories, before
            # who decides each issue is applied (peaceops.forecast.institutions)
            own = expected.unconstrained.get(m, expected.results[m])
            np.testing.assert_allclose(got[m][r], own.trajectory, rtol=0, atol=1e-9, err_msg=m)
    assert len(happened) >= 2  # the check covered replicates with scheduled changes


def test_compromise_trajectories_match_the_forecast_package() -> None:
    _check(("compromise",), n=24, seed=3)


def test_expected_utility_trajectories_match_the_forecast_package() -> None:
    _check(("expected_utility",), n=6, seed=4)


@pytest.mark.slow
def test_smp_trajectories_match_the_forecast_package() -> None:
    _check(("smp",), n=4, seed=5)


def test_forecast_outputs_are_named_and_laid_out_per_model_issue_and_round() -> None:
    s = load_scenario("ukraine-2025-04")
    ev = build_evaluator(s, forecast=("compromise",), rounds=3)
    issues = [i.id for i in s.issues]
    forecasts = tuple(v for v in ev.spec.values if v.startswith("forecast:"))
    assert forecasts == tuple(f"forecast:compromise:{i}" for i in issues)
    assert ev.spec.values[-len(issues) :] == forecasts  # after the coverage outputs
    assert ev.spec.series[: len(issues)] == tuple(f"forecast:compromise:{i}@0" for i in issues)
    values = draw_inputs(ev.design, 1, 0, 5)
    out = evaluate_batch(ev, values)
    assert ev.forecast is not None
    traj = run_forecasts(ev.forecast, values)["compromise"]
    assert np.array_equal(out.values[:, -len(issues) :], traj[:, -1, :])
    assert np.array_equal(out.series, traj.reshape(5, -1))


def test_unknown_forecast_model_is_rejected() -> None:
    s = load_scenario("ukraine-2025-04")
    with pytest.raises(ValueError, match="unknown forecast model"):
        build_evaluator(s, forecast=("tarot",))
