"""The forecast package's registry, public API and doctests."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import types

import numpy as np
import pytest

import peaceops.forecast as forecast
from peaceops.forecast import MODELS, ForecastResult, NegotiationInput

MINE = ["compromise", "median", "nash", "expected_utility", "exchange"]
MODULES = [
    "peaceops.forecast.compromise",
    "peaceops.forecast.median",
    "peaceops.forecast.nash",
    "peaceops.forecast.expected_utility",
    "peaceops.forecast.exchange",
    "peaceops.forecast.backtest",
]


def test_registry_names_and_smp_when_present() -> None:
    assert list(MODELS)[: len(MINE)] == MINE
    has_smp = importlib.util.find_spec("peaceops.forecast.smp") is not None
    assert ("smp" in MODELS) == has_smp


def _isort_key(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: CONSTANTS, then Classes, then functions, each alphabetical."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


def test_all_is_sorted_and_complete() -> None:
    assert forecast.__all__ == sorted(forecast.__all__, key=_isort_key)
    public = {
        name
        for name, value in vars(forecast).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    lazy = {"run_backtest"}  # loaded on first use (scipy)
    assert public | lazy == set(forecast.__all__)
    assert all(callable(getattr(forecast, name)) for name in lazy)


@pytest.mark.parametrize("name", MINE)
def test_every_model_returns_its_name_and_shapes(name: str) -> None:
    rng = np.random.default_rng(2)
    n, m = 6, 3
    data = NegotiationInput(
        actors=tuple(f"a{i}" for i in range(n)),
        issues=tuple(f"e{e}" for e in range(m)),
        positions=rng.uniform(0, 100, (n, m)),
        salience=rng.uniform(0, 1, (n, m)),
        clout=rng.uniform(1, 5, n),
        status_quo=np.array([0.0, np.nan, 100.0]),
    )
    result = MODELS[name](data)
    assert isinstance(result, ForecastResult)
    assert result.model == name
    assert result.issues == data.issues
    assert result.trajectory.ndim == 2
    assert result.trajectory.shape[1] == m
    assert np.all((result.outcome >= 0) & (result.outcome <= 100))
    if result.positions is not None:
        assert result.positions.shape == (result.trajectory.shape[0], n, m)


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    mod = importlib.import_module(module)
    failures, _ = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
