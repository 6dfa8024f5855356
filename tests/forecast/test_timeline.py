"""Forecasts over calendar time: rounds to dates, events to rounds, patience, static models."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from peaceops.errors import ScenarioError
from peaceops.forecast.timeline import (
    forecast_scenario,
    negotiation_input,
    round_dates,
    round_of,
    schedule,
)
from peaceops.scenario import parse_scenario
from peaceops_testing import template_text


def scenario(text: str | None = None):  # type: ignore[no-untyped-def]
    return parse_scenario(text or template_text(), file="demo.yaml")


def test_dates_map_to_the_round_whose_week_contains_them() -> None:
    """Template: start 2025-01-01, 7-day rounds. 2025-01-08 is the end of week 1 (round 1);
    2025-01-09 falls in week 2; the start date and earlier are round 0."""
    s = scenario()
    assert round_of(s, dt.date(2025, 1, 1)) == 0
    assert round_of(s, dt.date(2024, 12, 1)) == 0
    assert round_of(s, dt.date(2025, 1, 2)) == 1
    assert round_of(s, dt.date(2025, 1, 8)) == 1
    assert round_of(s, dt.date(2025, 1, 9)) == 2
    assert round_dates(s, 2) == (dt.date(2025, 1, 1), dt.date(2025, 1, 8), dt.date(2025, 1, 15))


def test_input_arrays_follow_the_stances() -> None:
    s = scenario()
    data = negotiation_input(s)
    assert data.actors == ("HST", "ADV", "LDR")  # NTR has no stance
    assert data.issues == ("ground_size", "alliance_share", "un_authorisation")
    assert np.isnan(data.positions[0, 1])
    assert data.salience[0, 1] == 0
    assert data.positions[1, 1] == 0
    assert data.clout.tolist() == [0.2, 0.6, 0.5]


def test_a_likely_dated_event_applies_at_its_round() -> None:
    """The template's ceasefire (2025-03-01, p = 0.5) sets ADV's salience on ground_size to 0.6
    from round 9 (59 days after the start: ceil(59 / 7) = 9)."""
    s = scenario()
    data = negotiation_input(s)
    (p,) = schedule(s, data, rounds=12)
    assert p.round == 9
    assert p.salience is not None
    assert p.salience[1, 0] == 0.6
    assert np.isnan(p.salience[0, 0])
    assert schedule(s, data, rounds=12, min_probability=0.6) == ()
    assert schedule(s, data, rounds=8) == ()


def test_static_model_moves_only_when_the_event_applies() -> None:
    """Compromise on ground_size: weights c*s = HST 0.2*0.9=0.18 at 80, ADV 0.6*0.8=0.48 at 0,
    LDR 0.5*0.6=0.30 at 60: (14.4 + 0 + 18) / 0.96 = 33.75. From round 9 ADV's salience is
    0.6, weight 0.36: 32.4 / 0.84 = 38.571..."""
    f = forecast_scenario(scenario(), models=("compromise",), rounds=12)
    traj = f.results["compromise"].trajectory[:, 0]
    assert traj.shape == (13,)
    assert traj[:9] == pytest.approx([33.75] * 9)
    assert traj[9:] == pytest.approx([32.4 / 0.84] * 4)


def test_patience_discounts_an_impatient_actors_salience_each_round() -> None:
    """Give LDR patience 0.9: its salience on ground_size in round t is 0.6 * 0.9**t, so the
    compromise drifts towards the patient actors' weighted mean:
    round 3: LDR weight 0.5 * 0.6 * 0.729 = 0.2187 -> (14.4 + 0.2187 * 60) / (0.18 + 0.48 + 0.2187).
    """
    clout = "    clout: {value: 0.5, sources: [analyst]}"
    text = template_text().replace(
        f"    groups: [P5, ALLIANCE]\n{clout}",
        f"    groups: [P5, ALLIANCE]\n    patience: 0.9\n{clout}",
    )
    s = scenario(text)
    assert s.actor("LDR").patience == 0.9
    f = forecast_scenario(s, models=("compromise",), rounds=3)
    traj = f.results["compromise"].trajectory[:, 0]
    w = 0.5 * 0.6 * 0.9**3
    assert traj[3] == pytest.approx((14.4 + w * 60) / (0.18 + 0.48 + w))
    assert traj[0] > traj[1] > traj[2] > traj[3]


def test_dynamic_models_run_to_the_horizon_and_hold_once_converged() -> None:
    f = forecast_scenario(scenario(), models=("expected_utility", "smp"), rounds=12)
    for res in f.results.values():
        assert res.trajectory.shape == (13, 3)
    assert len(f.dates) == 13
    rows = f.outcome_rows()
    assert [r["issue"] for r in rows] == ["ground_size", "alliance_share", "un_authorisation"]


def test_unknown_model_and_past_horizon_are_input_errors() -> None:
    with pytest.raises(ScenarioError, match="unknown model 'oracle'"):
        forecast_scenario(scenario(), models=("oracle",))
    with pytest.raises(ScenarioError, match="the horizon must end after 2025-01-01"):
        forecast_scenario(scenario(), until=dt.date(2024, 12, 1))
