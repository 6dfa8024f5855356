"""The Sobol' core against the libraries it stands in for: scipy.stats.qmc and SALib."""

from __future__ import annotations

import numpy as np
import pytest
from SALib.analyze import sobol as salib_sobol
from scipy.special import ndtri
from scipy.stats import qmc

from peaceops.sweep._sobol import _Z_95, scrambled_sobol, sobol_estimates


@pytest.mark.parametrize(
    ("d", "n", "seed"),
    [(1, 1, 0), (2, 8, 0), (3, 2, 9), (10, 256, 5), (60, 256, 123), (198, 256, 42), (400, 64, 7)],
)
def test_scrambled_sobol_equals_scipy_bit_for_bit(d: int, n: int, seed: int) -> None:
    ours = scrambled_sobol(d, n, np.random.default_rng(seed))
    theirs = qmc.Sobol(d=d, scramble=True, rng=np.random.default_rng(seed)).random(n)
    assert np.array_equal(ours, theirs)
    by_int = qmc.Sobol(d=d, scramble=True, rng=seed).random(n)
    assert np.array_equal(scrambled_sobol(d, n, seed), by_int)


def test_the_default_normal_quantile_is_scipys() -> None:
    assert float(ndtri(0.975)) == _Z_95


@pytest.mark.parametrize("conf_level", [0.95, 0.9])
@pytest.mark.parametrize(("groups", "n", "seed"), [(1, 64, 1), (3, 128, 5), (7, 256, 11)])
def test_estimates_equal_salib_bit_for_bit(
    groups: int, n: int, seed: int, conf_level: float
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.random((n * (groups + 2), groups))
    y = np.sin(3 * x[:, 0]) + x[:, -1] ** 2 + 0.3 * x.sum(axis=1) * x[:, 0]
    problem = {"num_vars": groups, "names": [f"x{i}" for i in range(groups)]}
    problem["bounds"] = [[0.0, 1.0]] * groups
    si = salib_sobol.analyze(
        problem, y, calc_second_order=False, num_resamples=50, conf_level=conf_level, seed=seed
    )
    ours = sobol_estimates(y, groups, n_resamples=50, conf_level=conf_level, seed=seed)
    for got, key in zip(ours, ("S1", "S1_conf", "ST", "ST_conf"), strict=True):
        assert np.array_equal(got, np.asarray(si[key])), key
