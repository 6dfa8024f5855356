"""Bueno de Mesquita's expected-utility model: published rounds, a direct reference, batching."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.errors import ScenarioError
from peaceops.forecast import (
    NegotiationInput,
    Perturbation,
    expected_utility_batch,
    expected_utility_forecast,
)
from peaceops.forecast.expected_utility._kernel import _one_round

# Scholz, Calbert and Smith (2011), Table 2: median after rounds 1..8 (as quoted in
# shared/data/SOURCES.md; the paper itself could not be consulted here).
PUBLISHED = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]


def _ec_input(shared_data: Path) -> NegotiationInput:
    with (shared_data / "bdm" / "ec_emissions_1994.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return NegotiationInput(
        actors=tuple(r["Actor"] for r in rows),
        issues=("emission_date",),
        positions=np.array([[float(r["Position"])] for r in rows]),
        salience=np.array([[float(r["Salience"])] for r in rows]),
        clout=np.array([float(r["Capability"]) for r in rows]),
        status_quo=np.array([np.nan]),
    )


def test_ec_emissions_rounds_match_scholz_et_al_table_2(shared_data: Path) -> None:
    """Round-by-round medians of the EC car-emission example against the published ones.

    Tolerance: the published figures have one decimal and behave as truncations, not
    roundings (our 9.962 is published as 9.9, 7.472 as 7.4, 9.671 as 9.6), so each of our
    values must lie in ``[published, published + 0.1)``. Round 0 is the weighted median of
    the initial positions, 7 (cumulative c*s from the 4s: 0.248, with the 7s 0.341 > 0.677/2).

    Round 2 is the one round we cannot match: we get 9.611 (Belgium compromises from 8.416
    three quarters of the way to France/Italy's 10), the table says 9.9. The other seven
    rounds, including the swing back to 7.4 in round 6, match; no combination of the
    ambiguous choices we tried (vote normalisation, offer choice, perception of risk,
    Q = 0.5, carried-over risk exponents) matches round 2 without breaking others, so we
    leave it documented (``docs/forecast.md``) rather than bend the model to it.
    """
    result = expected_utility_forecast(_ec_input(shared_data), rounds=8)
    medians = result.trajectory[:, 0]
    assert medians[0] == 7.0
    for rnd, published in enumerate(PUBLISHED, start=1):
        if rnd == 2:
            assert PUBLISHED[0] < medians[rnd] < PUBLISHED[2]
            continue
        assert published - 1e-9 <= medians[rnd] < published + 0.1, (rnd, medians[rnd])


def test_ec_round_one_belgium_compromise_matches_the_direct_formulas(shared_data: Path) -> None:
    """Round 1 positions equal those of the plain O(n^3) reference below (Belgium compromises
    to 8.416 towards France and Italy, Luxembourg loses a confrontation to Belgium and moves
    to 7, Ireland to 4)."""
    data = _ec_input(shared_data)
    x, s, c = data.positions[:, 0], data.salience[:, 0], data.clout
    result = expected_utility_forecast(data, rounds=1)
    expected = _reference_round(x, s, c, 6.0)
    np.testing.assert_allclose(result.positions[1, :, 0], expected, rtol=0, atol=1e-9)
    assert expected.round(3).tolist() == [4.0, 8.416, 7.0, 4.0, 10.0, 10.0, 10.0, 4.0, 4.0, 7.0]


@pytest.mark.parametrize("probability", ["scholz", "pairwise"])
@pytest.mark.parametrize("offer", ["scholz", "least_move"])
@pytest.mark.parametrize("q", [1.0, 0.5])
def test_kernel_equals_the_direct_reference_on_random_issues(
    probability: str, offer: str, q: float
) -> None:
    """The kernel's prefix sums and distinct-position tables give the same round as the
    direct triple sums over voters and pairs, with ties in positions (a 0..100 grid of 11
    points) and without."""
    rng = np.random.default_rng(7)
    codes = {"scholz": 0, "pairwise": 1, "least_move": 1}
    for trial in range(40):
        n = int(rng.integers(2, 12))
        x = rng.choice(np.linspace(0, 100, 11), n) if trial % 2 else rng.uniform(0, 100, n)
        s = rng.uniform(0.05, 1.0, n)
        c = rng.uniform(0.5, 3.0, n)
        spread = float(x.max() - x.min())
        if spread == 0:
            continue
        got = _one_round(
            x,
            s,
            c * s,
            spread,
            q,
            0.7,
            codes[probability],
            codes[offer] if offer != "scholz" else 0,
        )
        want = _reference_round(x, s, c, spread, q=q, t=0.7, probability=probability, offer=offer)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=f"trial {trial}")


def test_batch_equals_single_runs_exactly() -> None:
    """Each member of a batch (different data, missing stances, a flat issue) equals the
    single-run model bit for bit."""
    rng = np.random.default_rng(3)
    b, n, m = 6, 9, 3
    x = rng.uniform(0, 100, (b, n, m))
    x[rng.random((b, n, m)) < 0.15] = np.nan
    x[2, :, 1] = 40.0  # everyone at one position: nothing moves
    s = rng.uniform(0, 1, (b, n, m))
    c = rng.uniform(1, 10, (b, n))
    for forecast in ("median", "mean"):
        batch = expected_utility_batch(x, s, c, rounds=12, forecast=forecast)
        for k in range(b):
            single = expected_utility_forecast(
                _input(x[k], np.where(np.isnan(x[k]), 0.0, s[k]), c[k]),
                rounds=12,
                forecast=forecast,
            )
            assert np.array_equal(batch[k], single.trajectory, equal_nan=True)
        np.testing.assert_allclose(batch[2, :, 1], 40.0, rtol=1e-15)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 12),
    grid=st.sampled_from([0, 2, 3, 11]),
    zero_salience=st.booleans(),
)
def test_positions_stay_within_the_initial_range(
    seed: int, n: int, grid: int, zero_salience: bool
) -> None:
    """Every move is to a proposer's position or part of the way there, so positions and
    forecasts stay finite and within each issue's initial range, whatever the input (tied
    positions on a grid of 2, 3 or 11 points, zero saliences, missing stances)."""
    rng = np.random.default_rng(seed)
    x = rng.choice(np.linspace(0, 100, grid), (3, n, 2)) if grid else rng.uniform(0, 100, (3, n, 2))
    x[rng.random(x.shape) < 0.2] = np.nan
    s = np.zeros(x.shape) if zero_salience else rng.uniform(0, 1, x.shape)
    c = rng.uniform(0.1, 10, (3, n))
    for opts in ({}, {"probability": "pairwise", "offer": "least_move", "q": 0.3}):
        traj = expected_utility_batch(x, s, c, rounds=6, **opts)  # type: ignore[arg-type]
        has = ~np.isnan(x).all(axis=1)
        lo = np.nanmin(np.where(np.isnan(x), np.inf, x), axis=1)
        hi = np.nanmax(np.where(np.isnan(x), -np.inf, x), axis=1)
        assert np.all(np.isfinite(traj[has[:, None, :].repeat(7, axis=1)]))
        ok = (traj >= lo[:, None, :] - 1e-9) & (traj <= hi[:, None, :] + 1e-9)
        assert np.all(ok | ~has[:, None, :])


def test_result_does_not_depend_on_the_order_of_the_actors() -> None:
    rng = np.random.default_rng(11)
    x = rng.uniform(0, 100, (12, 2))
    s = rng.uniform(0, 1, (12, 2))
    c = rng.uniform(1, 5, 12)
    perm = rng.permutation(12)
    a = expected_utility_forecast(_input(x, s, c), rounds=6)
    b = expected_utility_forecast(_input(x[perm], s[perm], c[perm]), rounds=6)
    np.testing.assert_allclose(a.trajectory, b.trajectory, atol=1e-9)
    np.testing.assert_allclose(a.positions[:, perm], b.positions, atol=1e-9)


def test_least_move_with_pairwise_probabilities_is_symmetric_under_reflection() -> None:
    """Mirroring the scale (x -> 100 - x) mirrors the forecast when no rule prefers a side
    (the Scholz offer choice does prefer the lower compromise, so it is not tested here)."""
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 100, (10, 3))
    s = rng.uniform(0, 1, (10, 3))
    c = rng.uniform(1, 5, 10)
    opts = {"rounds": 5, "probability": "pairwise", "offer": "least_move"}
    a = expected_utility_forecast(_input(x, s, c), **opts)  # type: ignore[arg-type]
    b = expected_utility_forecast(_input(100 - x, s, c), **opts)  # type: ignore[arg-type]
    np.testing.assert_allclose(a.trajectory, 100 - b.trajectory, atol=1e-9)


def test_single_actor_and_identical_positions_do_not_move() -> None:
    x = np.array([[30.0, 50.0], [np.nan, 50.0]])
    result = expected_utility_forecast(_input(x, np.full((2, 2), 0.5), np.ones(2)), rounds=3)
    assert np.all(result.trajectory == [[30.0, 50.0]] * 4)
    assert result.details["last_move"] == 0.0


def test_perturbation_changes_the_run_from_its_round_on(shared_data: Path) -> None:
    """A perturbation at round 3 leaves rounds 0-2 as without it; from round 3 on Germany's
    new position 10 (with the other big states) changes the path."""
    data = _ec_input(shared_data)
    base = expected_utility_forecast(data, rounds=6)
    new = np.full(data.positions.shape, np.nan)
    new[3, 0] = 10.0  # Germany
    late = Perturbation(round=99, salience=np.zeros_like(data.salience))
    pert = expected_utility_forecast(
        data, rounds=6, perturbations=[Perturbation(round=3, positions=new), late]
    )
    np.testing.assert_array_equal(pert.trajectory[:3], base.trajectory[:3])
    assert not np.array_equal(pert.trajectory[3:], base.trajectory[3:])
    assert pert.positions is not None
    assert pert.positions[2, 3, 0] == 4.0  # Germany held its position until then


def test_malformed_perturbations_are_rejected() -> None:
    data = _input(np.array([[10.0], [90.0]]), np.full((2, 1), 0.5), np.ones(2))
    with pytest.raises(ValueError, match=r"perturbations\[0\]\.round must be an integer >= 1"):
        expected_utility_forecast(data, perturbations=[Perturbation(round=0)])
    with pytest.raises(ValueError, match=r"perturbations\[0\]\.salience must have shape"):
        expected_utility_forecast(data, perturbations=[Perturbation(1, salience=np.ones(2))])
    with pytest.raises(ScenarioError, match=r"perturbations\[0\]\.clout\[1\]: must be within"):
        expected_utility_forecast(
            data, perturbations=[Perturbation(1, clout=np.array([np.nan, -1.0]))]
        )


def test_bad_options_and_values_are_rejected() -> None:
    data = _input(np.array([[10.0], [90.0]]), np.full((2, 1), 0.5), np.ones(2))
    with pytest.raises(ValueError, match="rounds must be an integer >= 0"):
        expected_utility_forecast(data, rounds=-1)
    with pytest.raises(ValueError, match="probability must be one of"):
        expected_utility_forecast(data, probability="bdm")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"q and t must be within 0\.\.1"):
        expected_utility_forecast(data, q=1.5)
    with pytest.raises(ValueError, match=r"positions and salience must be \(b, n, m\)"):
        expected_utility_batch(np.zeros((2, 3)), np.zeros((2, 3)), np.ones(2))
    with pytest.raises(ScenarioError, match=r"salience\[0, 1, 0\]: must be within 0..1"):
        expected_utility_batch(np.zeros((1, 2, 1)), np.array([[[0.5], [2.0]]]), np.ones((1, 2)))


# ----------------------------------------------------------------------------- helpers


def _input(x: np.ndarray, s: np.ndarray, c: np.ndarray) -> NegotiationInput:
    n, m = x.shape
    return NegotiationInput(
        actors=tuple(f"a{i}" for i in range(n)),
        issues=tuple(f"e{e}" for e in range(m)),
        positions=x,
        salience=s,
        clout=c,
        status_quo=np.full(m, np.nan),
    )


def _reference_round(
    x: np.ndarray,
    s: np.ndarray,
    c: np.ndarray,
    spread: float,
    *,
    q: float = 1.0,
    t: float = 1.0,
    probability: str = "scholz",
    offer: str = "scholz",
) -> np.ndarray:
    """One round written straight from the formulas (Scholz et al. 2011), O(n^3)."""
    n = len(x)
    w = c * s
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    mu = x[order][np.searchsorted(cum, cum[-1] / 2 * (1 - 1e-12))]

    def prob(r: np.ndarray) -> np.ndarray:
        dist = (np.abs(x[:, None] - x[None, :]) / spread) ** r[:, None]  # [k, a]
        votes = w[:, None, None] * (dist[:, None, :] - dist[:, :, None])  # [k, a, b]
        num = np.clip(votes, 0, None).sum(axis=0)
        den = np.abs(votes).sum() if probability == "scholz" else np.abs(votes).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.where(den > 0, num / den, 0.0)
        p[x[:, None] == x[None, :]] = 0.0
        return p

    def eu(i: int, j: int, r: float, p: np.ndarray) -> float:
        d = abs(x[i] - x[j]) / spread
        us = 2 - 4 * (0.5 - 0.5 * d) ** r
        uf = 2 - 4 * (0.5 + 0.5 * d) ** r
        usq = 2 - 4 * 0.5**r
        dm = (abs(x[i] - mu) + abs(x[i] - x[j])) / spread
        ub = 2 - 4 * (0.5 - 0.25 * dm) ** r
        uw = 2 - 4 * (0.5 + 0.25 * dm) ** r
        value = s[j] * (p[i, j] * us + (1 - p[i, j]) * uf) + (1 - s[j]) * us
        return float(value - q * usq - (1 - q) * (t * ub + (1 - t) * uw))

    p1 = prob(np.ones(n))
    exposure = np.array([sum(eu(i, j, 1.0, p1) for i in range(n) if i != j) for j in range(n)])
    span = exposure.max() - exposure.min()
    big_r = (2 * exposure - exposure.max() - exposure.min()) / span if span > 0 else np.zeros(n)
    r = (1 - big_r / 3) / (1 + big_r / 3)
    p = prob(r)
    new = x.copy()
    for i in range(n):
        offers = []
        for j in range(n):
            if x[j] == x[i]:
                continue
            a, b = eu(i, j, r[i], p), eu(j, i, r[i], p)
            if b > a > 0:
                kind, pos = 0, x[j]
            elif b > 0 > a and b > -a:
                kind, pos = 1, x[i] + (x[j] - x[i]) * (-a / b)
            elif b > 0 > a:
                kind, pos = 2, x[j]
            else:
                continue
            if offer == "scholz":
                key = (
                    (abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b))
                    if kind == 1
                    else abs(pos - x[i])
                )
                offers.append((kind, key, x[j], pos))
            else:
                offers.append((0, abs(pos - x[i]), x[j], pos))
        if offers:
            new[i] = min(offers)[3]
    return new
