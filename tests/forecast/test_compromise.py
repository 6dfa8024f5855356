"""Compromise model: hand-computed weighted means, fallbacks, input checks."""

from __future__ import annotations

import numpy as np
import pytest

from peaceops.errors import ScenarioError
from peaceops.forecast import NegotiationInput, compromise_forecast


def _input(
    x: list[list[float]], s: list[list[float]], c: list[float], sq: list[float] | None = None
) -> NegotiationInput:
    xa = np.array(x, dtype=float)
    n, m = xa.shape
    return NegotiationInput(
        actors=tuple(f"a{i}" for i in range(n)),
        issues=tuple(f"e{e}" for e in range(m)),
        positions=xa,
        salience=np.array(s, dtype=float),
        clout=np.array(c, dtype=float),
        status_quo=np.array(sq if sq is not None else [np.nan] * m, dtype=float),
    )


def test_weighted_mean_by_hand() -> None:
    """Issue 1: weights c*s = 2*0.5, 1*1.0, 3*0.2 = 1, 1, 0.6;
    (1*0 + 1*60 + 0.6*100) / 2.6 = 120 / 2.6 = 46.1538...
    Issue 2: actor 2 has no stance; weights 2*1.0, 1*0.5 = 2, 0.5; (2*80 + 0.5*30) / 2.5 = 70."""
    data = _input(
        [[0.0, 80.0], [60.0, 30.0], [100.0, np.nan]],
        [[0.5, 1.0], [1.0, 0.5], [0.2, 0.0]],
        [2.0, 1.0, 3.0],
    )
    result = compromise_forecast(data)
    assert result.model == "compromise"
    assert result.trajectory.shape == (1, 2)
    np.testing.assert_allclose(result.outcome, [120 / 2.6, 70.0], rtol=1e-14)


def test_zero_salience_falls_back_to_clout_and_no_stance_to_status_quo() -> None:
    """Issue 1: both saliences 0, clout 1 and 3: (1*20 + 3*60) / 4 = 50.
    Issue 2: nobody has a stance: the status quo, 35."""
    data = _input(
        [[20.0, np.nan], [60.0, np.nan]], [[0.0, 0.0], [0.0, 0.0]], [1.0, 3.0], [10.0, 35.0]
    )
    result = compromise_forecast(data)
    np.testing.assert_allclose(result.outcome, [50.0, 35.0])
    assert result.details == {"n_clout_only": 1.0, "n_no_stance": 1.0}


def test_forecast_is_within_the_positions_and_ignores_actor_order() -> None:
    rng = np.random.default_rng(0)
    x, s, c = rng.uniform(0, 100, (9, 4)), rng.uniform(0, 1, (9, 4)), rng.uniform(1, 9, 9)
    a = compromise_forecast(_input(x.tolist(), s.tolist(), c.tolist())).outcome
    perm = rng.permutation(9)
    b = compromise_forecast(_input(x[perm].tolist(), s[perm].tolist(), c[perm].tolist())).outcome
    np.testing.assert_allclose(a, b, rtol=1e-13)
    assert np.all((a >= x.min(axis=0)) & (a <= x.max(axis=0)))


def test_every_out_of_range_value_is_reported_together() -> None:
    data = _input(
        [[120.0, 50.0], [50.0, -1.0]], [[0.5, 1.5], [0.5, 0.5]], [1.0, 0.0], [50.0, 101.0]
    )
    with pytest.raises(ScenarioError) as info:
        compromise_forecast(data)
    paths = [p.path for p in info.value.problems]
    assert paths == [
        "positions[a0][e0]",
        "positions[a1][e1]",
        "salience[a0][e1]",
        "clout[a1]",
        "status_quo[e1]",
    ]
    assert "must be within 0..100 (NaN = no stance); got 120.0" in str(info.value)
