"""Cycles at the end of a trajectory: period, range and the mean over the last full cycle."""

from __future__ import annotations

import numpy as np
import pytest

from peaceops.forecast._core import ForecastResult
from peaceops.forecast.cycles import Cycle, detect_cycle, forecast_cycles
from peaceops.forecast.timeline import ScenarioForecast


def test_two_state_cycle_is_reported_with_period_and_mean() -> None:
    assert detect_cycle([0.0, 20.0, 40.0, 50.0, 40.0, 50.0, 40.0, 50.0]) == Cycle(
        2, 40.0, 50.0, 45.0
    )


def test_three_state_cycle_mean_is_over_one_full_cycle() -> None:
    cycle = detect_cycle([5.0, 10.0, 10.0, 40.0, 70.0, 10.0, 40.0, 70.0])
    assert cycle == Cycle(3, 10.0, 70.0, 40.0)  # (10 + 40 + 70) / 3


def test_settled_or_short_series_has_no_cycle() -> None:
    assert detect_cycle([10.0, 30.0, 30.0, 30.0, 30.0]) is None
    assert detect_cycle([40.0, 50.0, 40.0]) is None  # fewer than two full periods


def test_headline_uses_the_cycle_mean_and_rows_flag_it() -> None:
    traj = np.array([[10.0, 0.0], [40.0, 5.0], [50.0, 5.0], [40.0, 5.0], [50.0, 5.0]])
    res = ForecastResult("expected_utility", ("a", "b"), traj)
    f = ScenarioForecast(
        ("a", "b"), (), {"expected_utility": res}, cycles=forecast_cycles({"expected_utility": res})
    )
    assert f.headline("expected_utility", "a") == pytest.approx(45.0)
    assert f.headline("expected_utility", "b") == pytest.approx(5.0)
    rows = f.outcome_rows()
    assert rows[0]["cycling"] == "expected_utility"
    assert rows[0]["expected_utility"] == 45.0
    assert rows[1]["cycling"] == ""
