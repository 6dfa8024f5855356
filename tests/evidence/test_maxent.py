"""The maximum entropy fit against independent oracles: a 1-D penalized likelihood solved
by root finding, a small problem minimized by another method on an independently written
loss, finite differences of the gradient, and determinism."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq, minimize
from scipy.sparse import csr_matrix

from peaceops.evidence.maxent import fit_maxent, maxent_objective


def _loss_by_hand(
    w: np.ndarray, dense: np.ndarray, offsets: list[int], gold: list[int], l2: float
) -> float:
    """The penalized negative log-likelihood written out with loops (no shared code)."""
    total = 0.0
    for i in range(len(offsets) - 1):
        scores = [float(dense[r] @ w) for r in range(offsets[i], offsets[i + 1])]
        top = max(scores)
        log_z = top + math.log(sum(math.exp(s - top) for s in scores))
        total += log_z - float(dense[gold[i]] @ w)
    return total + 0.5 * l2 * float(w @ w)


def _problem(seed: int = 7) -> tuple[np.ndarray, list[int], list[int]]:
    """30 examples with 2 to 4 alternatives each, 5 features, a fixed random draw."""
    rng = np.random.default_rng(seed)
    rows, offsets, gold = [], [0], []
    for _ in range(30):
        k = int(rng.integers(2, 5))
        block = rng.integers(0, 2, size=(k, 5)).astype(float) * rng.uniform(0.5, 1.5, size=(k, 5))
        rows.append(block)
        gold.append(offsets[-1] + int(rng.integers(0, k)))
        offsets.append(offsets[-1] + k)
    return np.vstack(rows), offsets, gold


def test_one_feature_penalised_fit_solves_the_first_order_condition_by_hand() -> None:
    """Two alternatives, the feature on the first, chosen k = 7 times in n = 10: the
    optimum solves -k + n * sigmoid(w) + l2 * w = 0 (found here by bisection)."""
    n, k, l2 = 10, 7, 2.0
    dense = np.array([[1.0], [0.0]] * n)
    offsets = np.arange(0, 2 * n + 1, 2)
    gold = np.array([2 * i + (0 if i < k else 1) for i in range(n)])
    w = fit_maxent(csr_matrix(dense), offsets, gold, l2=l2)

    def foc(x: float) -> float:
        return -k + n / (1 + math.exp(-x)) + l2 * x

    root = brentq(foc, -10, 10, xtol=1e-14)
    assert abs(float(w[0]) - root) < 1e-6
    assert 0 < root < math.log(k / (n - k))  # the penalty pulls it below the unpenalized log-odds


def test_fit_matches_another_method_on_an_independent_loss() -> None:
    """L-BFGS on our gradient, and BFGS with finite-difference gradients on the
    loop-written loss, reach the same weights."""
    dense, offsets, gold = _problem()
    l2 = 0.5
    w = fit_maxent(csr_matrix(dense), np.array(offsets), np.array(gold), l2=l2)
    other = minimize(
        _loss_by_hand, np.full(5, 0.1), args=(dense, offsets, gold, l2), method="BFGS",
        options={"gtol": 1e-8},
    )  # fmt: skip
    assert np.allclose(w, other.x, atol=1e-4), (w, other.x)
    assert abs(_loss_by_hand(w, dense, offsets, gold, l2) - other.fun) < 1e-8


def test_objective_is_the_loop_written_loss_and_its_gradient_the_finite_differences() -> None:
    dense, offsets, gold = _problem(11)
    m = csr_matrix(dense)
    off, g = np.array(offsets), np.array(gold)
    w = np.random.default_rng(3).normal(size=5)
    loss, grad = maxent_objective(w, m, off, g, l2=0.3)
    assert abs(loss - _loss_by_hand(w, dense, offsets, gold, 0.3)) < 1e-10
    h = 1e-6
    for j in range(5):
        e = np.zeros(5)
        e[j] = h
        up = maxent_objective(w + e, m, off, g, l2=0.3)[0]
        down = maxent_objective(w - e, m, off, g, l2=0.3)[0]
        assert abs((up - down) / (2 * h) - grad[j]) < 1e-6


def test_fit_is_deterministic() -> None:
    dense, offsets, gold = _problem(5)
    a = fit_maxent(csr_matrix(dense), np.array(offsets), np.array(gold), l2=0.2)
    b = fit_maxent(csr_matrix(dense), np.array(offsets), np.array(gold), l2=0.2)
    assert np.array_equal(a, b)
