"""Exact tallies: pooled in any order or grouping they are the same bits; statistics are right."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.sweep import Tally
from peaceops.sweep.aggregate import N_BINS, QUANTILES, tally


def _sample(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    flags = rng.random((n, 4)) < np.array([0.0, 0.1, 0.5, 1.0])
    values = np.column_stack([rng.uniform(0, 100, n), rng.beta(2, 5, n) * 100, np.full(n, 42.0)])
    return flags, values


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=8), st.randoms())
def test_pooled_tallies_do_not_depend_on_grouping_or_order(sizes: list[int], rnd: object) -> None:
    flags, values = _sample(sum(sizes), seed=len(sizes))
    whole = tally(flags, values)
    cuts = np.cumsum([0, *sizes])
    parts = [tally(flags[a:b], values[a:b]) for a, b in itertools.pairwise(cuts)]
    rnd.shuffle(parts)  # type: ignore[attr-defined]
    pooled = Tally.zeros(4, 3)
    for part in parts:
        pooled = pooled + part
    assert pooled == whole
    assert pooled.value_stats() == whole.value_stats()  # so every statistic is the same bits


def test_probabilities_have_binomial_errors_and_wilson_intervals() -> None:
    flags = np.zeros((10, 1), dtype=bool)
    stats = tally(flags, np.zeros((10, 0))).flag_stats()[0]
    assert (stats.n, stats.k, stats.p, stats.se, stats.ci_low) == (10, 0, 0.0, 0.0, 0.0)
    # Wilson (1927) upper bound for 0 of 10 at 95%: z^2 / (n + z^2)
    z = 1.959963984540054
    assert stats.ci_high == pytest.approx(z**2 / (10 + z**2), rel=1e-12)
    flags = np.array([[True]] * 30 + [[False]] * 70)
    stats = tally(flags, np.zeros((100, 0))).flag_stats()[0]
    assert stats.p == 0.3
    assert stats.se == pytest.approx(math.sqrt(0.3 * 0.7 / 100))
    assert stats.ci_low < 0.3 < stats.ci_high


def test_means_and_deviations_match_numpy_to_fixed_point_resolution() -> None:
    flags, values = _sample(5000, seed=3)
    got = tally(flags, values).value_stats()
    for j in range(values.shape[1]):
        col = values[:, j]
        assert got[j].mean == pytest.approx(col.mean(), abs=1e-7)
        assert got[j].sd == pytest.approx(col.std(ddof=1), abs=1e-6)
        assert got[j].se == pytest.approx(col.std(ddof=1) / math.sqrt(5000), abs=1e-8)
    assert got[2].sd == 0.0  # a constant has no spread, exactly


def test_quantiles_are_within_one_bin_of_the_empirical_ones() -> None:
    flags, values = _sample(20_000, seed=4)
    got = tally(flags, values).value_stats()
    width = 100 / N_BINS
    for j in range(2):
        expected = np.quantile(values[:, j], QUANTILES)
        assert np.all(np.abs(np.array(got[j].quantiles) - expected) <= width)


def test_nan_values_are_not_counted() -> None:
    values = np.array([[10.0], [np.nan], [30.0]])
    stats = tally(np.zeros((3, 0), dtype=bool), values).value_stats()[0]
    assert (stats.n, stats.mean) == (2, 20.0)


def test_values_outside_the_scale_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"0\.\.100; got 100\.5"):
        tally(np.zeros((1, 0), dtype=bool), np.array([[100.5]]))


def test_tally_survives_serialisation() -> None:
    flags, values = _sample(300, seed=5)
    t = tally(flags, values)
    assert Tally.from_bytes(t.to_bytes()) == t


def test_tallies_of_different_outputs_do_not_add() -> None:
    with pytest.raises(ValueError, match="different outputs"):
        Tally.zeros(1, 1) + Tally.zeros(2, 1)


def test_empty_tally_reports_nan_not_zero() -> None:
    stats = Tally.zeros(1, 1)
    assert math.isnan(stats.flag_stats()[0].p)
    assert math.isnan(stats.value_stats()[0].mean)
