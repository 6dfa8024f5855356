"""Weighted median: hand cases, ties, the median-voter property."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.forecast import NegotiationInput, median_forecast, weighted_median


def test_weighted_median_by_hand() -> None:
    """Sorted 10 (w 1), 50 (w 1), 90 (w 3): cumulative 1, 2, 5 against half 2.5 -> 90.
    With weights 3, 1, 1: cumulative 3 >= 2.5 at 10 -> 10."""
    assert weighted_median([50.0, 90.0, 10.0], [1.0, 3.0, 1.0]) == 90.0
    assert weighted_median([10.0, 50.0, 90.0], [3.0, 1.0, 1.0]) == 10.0


def test_exact_tie_gives_the_midpoint() -> None:
    """Weights 1, 1 at 20 and 60 (and 0.1+0.2 against 0.3, equal up to rounding): the
    cumulative weight hits one half exactly between two positions -> their midpoint."""
    assert weighted_median([20.0, 60.0], [1.0, 1.0]) == 40.0
    assert weighted_median([0.0, 10.0, 100.0], [0.1, 0.2, 0.3]) == 55.0
    # a zero-weight position in between is skipped
    assert weighted_median([0.0, 50.0, 100.0], [1.0, 0.0, 1.0]) == 50.0


def test_nan_and_zero_weight_entries_are_ignored() -> None:
    assert weighted_median([np.nan, 30.0, 70.0, 99.0], [5.0, 1.0, 2.0, 0.0]) == 70.0
    assert np.isnan(weighted_median([np.nan, 30.0], [1.0, 0.0]))
    with pytest.raises(ValueError, match="non-negative"):
        weighted_median([1.0, 2.0], [1.0, -1.0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100), st.integers(1, 1000)), min_size=1, max_size=15))
def test_no_side_of_the_median_holds_a_weighted_majority(pairs: list[tuple[int, int]]) -> None:
    """Median-voter property (Black 1948): the weight strictly below the weighted median and
    the weight strictly above it are each at most half of the total."""
    x = np.array([p[0] for p in pairs], dtype=float)
    w = np.array([p[1] for p in pairs], dtype=float)
    med = weighted_median(x, w)
    half = w.sum() / 2
    assert w[x < med].sum() <= half
    assert w[x > med].sum() <= half
    assert np.isclose(100 - weighted_median(100 - x, w), med)


def test_median_forecast_by_hand() -> None:
    """Weights c*s: 1*1, 3*0.5, 1*1 = 1, 1.5, 1 at 0, 40, 100: cumulative 1, 2.5 >= 1.75 -> 40.
    Issue 2 (b without stance): 1 at 0 and 1 at 100 tie -> 50."""
    data = NegotiationInput(
        actors=("a", "b", "c"),
        issues=("e1", "e2"),
        positions=np.array([[0.0, 0.0], [40.0, np.nan], [100.0, 100.0]]),
        salience=np.array([[1.0, 1.0], [0.5, 0.0], [1.0, 1.0]]),
        clout=np.array([1.0, 3.0, 1.0]),
        status_quo=np.array([np.nan, np.nan]),
    )
    result = median_forecast(data)
    assert result.model == "median"
    assert result.outcome.tolist() == [40.0, 50.0]
