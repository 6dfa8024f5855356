"""Bad arguments to engine functions raise the documented class of peaceops.errors, with a path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from peaceops.errors import OptionError, PeaceopsError, ScenarioError
from peaceops.forecast import (
    NegotiationInput,
    Perturbation,
    exchange_forecast,
    expected_utility_batch,
    expected_utility_forecast,
    nash_forecast,
    weighted_median,
)
from peaceops.scenario import load_scenario
from peaceops.sweep import ExecutorSpec, plan_sweep

DATA = NegotiationInput(
    actors=("a", "b"),
    issues=("e",),
    positions=np.array([[0.0], [100.0]]),
    salience=np.array([[1.0], [1.0]]),
    clout=np.array([1.0, 1.0]),
    status_quo=np.array([np.nan]),
)
ONES = np.ones((1, 2, 1))

CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("eu rounds", lambda: expected_utility_forecast(DATA, rounds=-1), "rounds"),
    ("eu offer", lambda: expected_utility_forecast(DATA, offer="best"), "offer"),  # type: ignore[arg-type]
    ("eu batch shape", lambda: expected_utility_batch(ONES, ONES, np.ones(3)), "positions"),
    (
        "perturbation round",
        lambda: expected_utility_forecast(DATA, perturbations=[Perturbation(round=0)]),
        "perturbations[0].round",
    ),
    ("exchange outcome", lambda: exchange_forecast(DATA, outcome="mean"), "outcome"),  # type: ignore[arg-type]
    ("nash utility", lambda: nash_forecast(DATA, utility="cubic"), "utility"),  # type: ignore[arg-type]
    ("median weights", lambda: weighted_median([1.0, 2.0], [1.0, -1.0]), "weights"),
    ("executor", lambda: ExecutorSpec("threads"), "executor"),  # type: ignore[arg-type]
    ("sweep n", lambda: plan_sweep(load_scenario("ukraine-2025-04"), n=0), "n"),
    (
        "sweep forecast",
        lambda: plan_sweep(load_scenario("ukraine-2025-04"), n=10, forecast=("nash",)),
        "forecast",
    ),
]


@pytest.mark.parametrize(("case", "call", "path"), CASES, ids=[c[0] for c in CASES])
def test_bad_argument_raises_option_error_with_its_path(
    case: str, call: Callable[[], Any], path: str
) -> None:
    with pytest.raises(OptionError) as info:
        call()
    err = info.value
    assert isinstance(err, ScenarioError)
    assert isinstance(err, PeaceopsError)
    assert err.path == path
    assert err.problems[0].file == "<options>"
