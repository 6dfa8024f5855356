"""The forecast package's registry, public API and doctests."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import types
from dataclasses import replace

import numpy as np
import pytest

import peaceops.forecast as forecast
from peaceops.forecast import (
    MODELS,
    REGISTRY,
    ForecastResult,
    NegotiationInput,
    Perturbation,
    compromise_forecast,
)

MINE = ["compromise", "median", "nash", "expected_utility", "exchange"]
MODULES = [
    "peaceops.forecast.compromise",
    "peaceops.forecast.median",
    "peaceops.forecast.nash",
    "peaceops.forecast.expected_utility",
    "peaceops.forecast.exchange",
    "peaceops.forecast.backtest",
]


def test_registry_lists_every_model_once_in_order() -> None:
    assert list(MODELS) == [*MINE, "smp"]
    assert list(REGISTRY) == list(MODELS)
    assert all(REGISTRY[name].forecast is MODELS[name] for name in MODELS)
    assert [n for n, m in REGISTRY.items() if m.dynamic] == ["expected_utility", "exchange", "smp"]


def test_sweep_names_the_registry_models_with_a_batch_engine() -> None:
    from peaceops.sweep import FORECAST_MODELS

    assert tuple(n for n, m in REGISTRY.items() if m.batch is not None) == FORECAST_MODELS


@pytest.mark.parametrize("name", ["compromise", "expected_utility", "smp"])
def test_batch_member_equals_the_run_over_rounds(name: str) -> None:
    """The one batch signature: each member's trajectory is the model's own run on it."""
    rng = np.random.default_rng(5)
    b, n, m, rounds = 3, 5, 2, 4
    x = rng.uniform(0, 100, (b, n, m))
    s = rng.uniform(0.1, 1, (b, n, m))
    c = rng.uniform(0.5, 3, (b, n))
    sq = np.array([20.0, np.nan])
    bump = Perturbation(round=2, positions=np.full((n, m), np.nan))
    bump.positions[0, 0] = 90.0
    model = REGISTRY[name]
    assert model.batch is not None
    traj = model.batch(x, s, c, rounds=rounds, status_quo=sq, perturbations=(bump,))
    assert traj.shape == (b, rounds + 1, m)
    for k in range(b):
        data = NegotiationInput(
            actors=tuple(f"a{i}" for i in range(n)),
            issues=("e0", "e1"),
            positions=x[k],
            salience=s[k],
            clout=c[k],
            status_quo=sq,
        )
        if name == "compromise":  # static: the outcome on each round's inputs
            moved = data.positions.copy()
            moved[0, 0] = 90.0
            want = np.vstack(
                [compromise_forecast(data).trajectory] * 2
                + [compromise_forecast(replace(data, positions=moved)).trajectory] * 3
            )
        elif name == "smp":
            from peaceops.forecast.smp import smp_forecast

            run = smp_forecast(
                data, mode="fast", max_turns=rounds, min_turns=3, perturbations=(bump,)
            )
            want = run.trajectory
            want = np.vstack([want, np.repeat(want[-1:], rounds + 1 - len(want), axis=0)])
        else:
            want = model.over_rounds(data, rounds=rounds, perturbations=(bump,)).trajectory  # type: ignore[misc]
        np.testing.assert_allclose(traj[k], want, rtol=0, atol=1e-9)


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
