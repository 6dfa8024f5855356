"""Power-weighted Nash bargaining solution: hand-solved cases, infeasibility, brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest

from peaceops.forecast import NegotiationInput, compromise_forecast, median_forecast, nash_forecast


def _input(x: list[float], w: list[float], sq: float) -> NegotiationInput:
    n = len(x)
    return NegotiationInput(
        actors=tuple(f"a{i}" for i in range(n)),
        issues=("e",),
        positions=np.array(x, dtype=float)[:, None],
        salience=np.ones((n, 1)),
        clout=np.array(w, dtype=float),
        status_quo=np.array([sq]),
    )


def test_two_equal_actors_quadratic_loss_by_hand() -> None:
    """Actors at 40 and 80, weight 1 each, status quo 0. Gains x(80 - x) and x(160 - x) are
    positive on F = (0, 80). First-order condition 2/x - 1/(80 - x) - 1/(160 - x) = 0, i.e.
    x^2 - 180 x + 6400 = 0, root in F: 90 - sqrt(1700) = 48.7689... (the compromise is 60:
    the Nash solution leans to the actor nearer the status quo)."""
    result = nash_forecast(_input([40.0, 80.0], [1.0, 1.0], 0.0))
    assert result.outcome[0] == pytest.approx(90 - math.sqrt(1700), abs=1e-9)


def test_unequal_weights_quadratic_loss_by_hand() -> None:
    """Weights 2 (at 40) and 1 (at 80), status quo 0: 3/x - 2/(80 - x) - 1/(160 - x) = 0,
    i.e. 3x^2 - 560x + 19200 = 0, root (560 - sqrt(83200)) / 6 = 45.2593..."""
    result = nash_forecast(_input([40.0, 80.0], [2.0, 1.0], 0.0))
    assert result.outcome[0] == pytest.approx((560 - math.sqrt(83200)) / 6, abs=1e-9)


def test_linear_loss_by_hand() -> None:
    """Linear loss, actors 40 and 80, status quo 0: gains are x and x on (0, 40], so the
    objective 2 log x rises to 40; beyond, gains 80 - x and x give slope -1/(80-x) + 1/x,
    zero at x = 40. The maximum is the kink at 40."""
    result = nash_forecast(_input([40.0, 80.0], [1.0, 1.0], 0.0), utility="linear")
    assert result.outcome[0] == pytest.approx(40.0, abs=1e-9)


@pytest.mark.parametrize("utility", ["quadratic", "linear"])
def test_solution_maximises_the_nash_product_against_a_grid(utility: str) -> None:
    """Brute force: no point of a 0.001 grid inside F has a larger weighted log-gain."""
    rng = np.random.default_rng(1)
    for _ in range(10):
        x = rng.uniform(30, 100, 5)
        w = rng.uniform(0.5, 3, 5)
        sq = float(rng.uniform(0, 25))
        got = float(nash_forecast(_input(x.tolist(), w.tolist(), sq), utility=utility).outcome[0])  # type: ignore[arg-type]
        grid = np.arange(0, 100, 0.001)
        if utility == "quadratic":
            gains = (sq - x[:, None]) ** 2 - (grid - x[:, None]) ** 2
            gain_at = (sq - x) ** 2 - (got - x) ** 2
        else:
            gains = np.abs(sq - x[:, None]) - np.abs(grid - x[:, None])
            gain_at = np.abs(sq - x) - np.abs(got - x)
        inside = np.all(gains > 0, axis=0)
        best = np.max((w[:, None] * np.log(gains[:, inside])).sum(axis=0))
        assert np.all(gain_at > 0)
        assert float(np.sum(w * np.log(gain_at))) >= best - 1e-9


def test_no_point_improves_for_everyone() -> None:
    """Status quo 50 between actors at 20 (weight 3) and 90 (weight 1): any move hurts one of
    them, so F is empty. ``status_quo`` keeps 50; ``gainers`` lets the left side, which
    holds 3/4 of the weight, bargain alone: one actor's Nash solution is its own ideal, 20.
    With equal weights neither side has a majority and 50 stays."""
    data = _input([20.0, 90.0], [3.0, 1.0], 50.0)
    assert nash_forecast(data, infeasible="status_quo").outcome[0] == 50.0
    result = nash_forecast(data, infeasible="gainers")
    assert result.outcome[0] == pytest.approx(20.0, abs=1e-9)
    assert result.details["n_infeasible"] == 1.0
    assert nash_forecast(_input([20.0, 90.0], [1.0, 1.0], 50.0)).outcome[0] == 50.0


def test_actors_at_the_status_quo_count_against_a_move() -> None:
    """Weight 2 at the status quo 50, weight 1 at 80: the right side has 1/3 of the weight,
    no majority, so the status quo stays (with weight 3 at 80 it moves: one actor -> 80)."""
    assert nash_forecast(_input([50.0, 80.0], [2.0, 1.0], 50.0)).outcome[0] == 50.0
    moved = nash_forecast(_input([50.0, 80.0], [2.0, 3.0], 50.0)).outcome[0]
    assert moved == pytest.approx(80.0, abs=1e-9)


def test_unknown_status_quo_is_the_limit_compromise_or_median() -> None:
    """As the status quo recedes the quadratic solution tends to the weighted mean and the
    linear one to the weighted median (Achen 2006); NaN takes that limit."""
    data = _input([10.0, 35.0, 90.0], [1.0, 2.0, 1.5], float("nan"))
    assert nash_forecast(data).outcome[0] == pytest.approx(compromise_forecast(data).outcome[0])
    linear = nash_forecast(data, utility="linear").outcome[0]
    assert linear == median_forecast(data).outcome[0]
    # A far status quo (0, actors in 97..100) comes close to the compromise: expanding the
    # first-order condition sum_i w_i [1/x - 1/(2 x_i - x)] = 0 to second order in
    # u_i = x_i - x gives x = mean - 2 Var_w(x) / x: 98.4444 - 2 * 1.3580 / 98.42 = 98.4168.
    near = _input([97.0, 98.0, 100.0], [1.0, 2.0, 1.5], 0.0)
    xs, ws = np.array([97.0, 98.0, 100.0]), np.array([1.0, 2.0, 1.5])
    mean = float(np.sum(ws * xs) / ws.sum())
    var = float(np.sum(ws * (xs - mean) ** 2) / ws.sum())
    got = float(nash_forecast(near).outcome[0])
    assert got == pytest.approx(mean - 2 * var / got, abs=1e-3)


def test_bad_options_are_rejected() -> None:
    data = _input([10.0, 90.0], [1.0, 1.0], 0.0)
    with pytest.raises(ValueError, match="utility must be 'quadratic' or 'linear'"):
        nash_forecast(data, utility="cubic")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="infeasible must be 'gainers' or 'status_quo'"):
        nash_forecast(data, infeasible="veto")  # type: ignore[arg-type]
