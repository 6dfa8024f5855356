r"""Conditional maximum entropy (multinomial logistic) model with an L2 penalty.

Each example :math:`i` offers a set of alternatives :math:`y \in Y_i`; alternative
:math:`y` has a sparse feature vector :math:`f(x_i, y)`. The model is

.. math::

    p(y \mid x_i) = \frac{\exp(w \cdot f(x_i, y))}{\sum_{y' \in Y_i} \exp(w \cdot f(x_i, y'))}

and the weights minimize the penalized negative log-likelihood

.. math::

    L(w) = -\sum_i \log p(y_i \mid x_i) + \frac{\lambda}{2} \lVert w \rVert^2

whose gradient is the expected minus the observed feature counts plus :math:`\lambda w`.
The features of all alternatives of all examples are the rows of one sparse matrix
(``scipy.sparse``); examples are consecutive row blocks, given by their offsets.

Notes
-----
Deviations from Berger et al. (1996): their improved iterative scaling and feature
induction are replaced by a fixed feature set and the quasi-Newton method L-BFGS (Liu and
Nocedal 1989, as ``scipy.optimize.minimize(method="L-BFGS-B")``), and a Gaussian prior (an
L2 penalty, as in Chen and Rosenfeld 2000) is added to keep rare features from growing
without bound. The set of alternatives may differ from one example to the next (a
conditional logit): the scenario's issues times the two ends of each scale, and
"no statement". The start point is zero and the arithmetic is sequential, so a fit is
deterministic on one machine; the objective is strictly convex for ``l2 > 0``, so the
optimum is unique and another optimizer reaches the same weights to its tolerance.
Cost: one sparse matrix product each way per evaluation.

References
----------
1. Berger, A. L., Della Pietra, S. A. and Della Pietra, V. J. (1996). "A maximum entropy
   approach to natural language processing". *Computational Linguistics* 22(1): 39-71.
   https://aclanthology.org/J96-1002/
2. Liu, D. C. and Nocedal, J. (1989). "On the limited memory BFGS method for large scale
   optimization". *Mathematical Programming* 45: 503-528. doi:10.1007/BF01589116
3. Chen, S. F. and Rosenfeld, R. (2000). "A survey of smoothing techniques for ME models".
   *IEEE Transactions on Speech and Audio Processing* 8(1): 37-50. doi:10.1109/89.817452
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from peaceops.errors import ConvergenceError

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["fit_maxent", "maxent_objective"]


def maxent_objective(
    w: NDArray[np.float64],
    features: Any,
    offsets: NDArray[np.int64],
    gold: NDArray[np.int64],
    *,
    l2: float,
) -> tuple[float, NDArray[np.float64]]:
    """The penalized negative log-likelihood :math:`L(w)` and its gradient.

    Parameters
    ----------
    w
        Weights, one per column of ``features``.
    features
        Sparse matrix (CSR), one row per alternative, the alternatives of example ``i`` in
        rows ``offsets[i]`` to ``offsets[i + 1] - 1``.
    offsets
        Row offsets of the examples, ``n_examples + 1`` of them, the last the row count.
    gold
        The row of each example's observed alternative.
    l2
        The penalty :math:`\\lambda`.

    Examples
    --------
    Two alternatives, one feature firing on the first: at ``w = 0`` both are equally
    likely, so the loss is ``log 2`` and the gradient ``0.5 - 1``.

    >>> import numpy as np
    >>> from scipy.sparse import csr_matrix
    >>> f = csr_matrix(np.array([[1.0], [0.0]]))
    >>> loss, grad = maxent_objective(np.zeros(1), f, np.array([0, 2]), np.array([0]), l2=0.0)
    >>> round(loss, 6), [round(float(g), 6) for g in grad]
    (0.693147, [-0.5])
    """
    scores = np.asarray(features @ w, dtype=np.float64)
    starts = offsets[:-1]
    top = np.maximum.reduceat(scores, starts)
    sizes = np.diff(offsets)
    shifted = scores - np.repeat(top, sizes)
    expd = np.exp(shifted)
    norm = np.add.reduceat(expd, starts)
    log_norm = np.log(norm)
    loss = float(np.sum(log_norm - shifted[gold])) + 0.5 * l2 * float(w @ w)
    prob = expd / np.repeat(norm, sizes)
    prob[gold] -= 1.0
    grad = np.asarray(features.T @ prob, dtype=np.float64) + l2 * w
    return loss, grad


def fit_maxent(
    features: Any,
    offsets: NDArray[np.int64],
    gold: NDArray[np.int64],
    *,
    l2: float,
    tol: float = 1e-9,
    max_iter: int = 2000,
) -> NDArray[np.float64]:
    """The weights that minimize :func:`maxent_objective`, by L-BFGS from zero.

    Raises
    ------
    ConvergenceError
        When L-BFGS stops without meeting ``tol`` within ``max_iter`` iterations.

    Examples
    --------
    One feature on the first of two alternatives, observed 3 times out of 4: without a
    penalty the fitted probability is the observed share, ``w = log 3``.

    >>> import numpy as np
    >>> from scipy.sparse import csr_matrix
    >>> f = csr_matrix(np.array([[1.0], [0.0]] * 4))
    >>> w = fit_maxent(f, np.arange(0, 9, 2), np.array([0, 2, 4, 7]), l2=0.0)
    >>> round(float(w[0]), 5), round(float(np.log(3)), 5)
    (1.09861, 1.09861)
    """
    from scipy.optimize import minimize

    n = features.shape[1]
    res = minimize(
        lambda w: maxent_objective(w, features, offsets, gold, l2=l2),
        np.zeros(n),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": tol, "ftol": 1e-15, "maxcor": 20},
    )
    if not res.success and res.nit >= max_iter:
        raise ConvergenceError(
            f"L-BFGS did not converge: {res.message}", iterations=int(res.nit), tolerance=tol
        )
    return np.asarray(res.x, dtype=np.float64)
