r"""The numerical core of the Sobol' analysis, without importing ``scipy.stats`` or SALib.

Importing ``scipy.stats`` (which ``scipy.stats.qmc`` and SALib's Sobol' analysis load) costs
about a second of a ``peaceops run``; the two pieces used from them are small and are written
here, bit for bit the same (``tests/sweep/test_sobol_core.py`` compares them with
``scipy.stats.qmc.Sobol`` and ``SALib.analyze.sobol.analyze`` on many cases):

* :func:`scrambled_sobol`: the first ``n`` points of Sobol's sequence in ``d`` dimensions
  with the direction numbers of Joe and Kuo (2008), scrambled by a random linear matrix
  scramble and a digital shift (Matoušek 1998; Owen 1998), drawn from ``rng`` in the order
  SciPy draws them. The direction numbers are read from SciPy's own data file.
* :func:`sobol_estimates`: first-order (Saltelli et al. 2010, Table 2 (b), as SALib
  normalises it) and total (Jansen 1999) indices of grouped inputs from a Saltelli design's
  outputs, with bootstrap half-widths (the normal quantile times the standard deviation
  over resamples of the base rows), as SALib computes them.

References
----------
.. [1] Joe, S. and Kuo, F. Y. (2008). Constructing Sobol sequences with better
   two-dimensional projections. *SIAM Journal on Scientific Computing* 30(5), 2635-2654.
   doi:10.1137/070709359
.. [2] Matoušek, J. (1998). On the L2-discrepancy for anchored boxes. *Journal of
   Complexity* 14(4), 527-556. doi:10.1006/jcom.1998.0489
.. [3] Owen, A. B. (1998). Scrambling Sobol' and Niederreiter-Xing points. *Journal of
   Complexity* 14(4), 466-489. doi:10.1006/jcom.1998.0487
.. [4] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S.
   (2010). Variance based sensitivity analysis of model output. Design and estimator for the
   total sensitivity index. *Computer Physics Communications* 181(2), 259-270.
   doi:10.1016/j.cpc.2009.09.018
.. [5] Jansen, M. J. W. (1999). Analysis of variance designs for model output. *Computer
   Physics Communications* 117(1-2), 35-43. doi:10.1016/S0010-4655(98)00154-4
.. [6] Herman, J. and Usher, W. (2017). SALib: an open-source Python library for sensitivity
   analysis. *Journal of Open Source Software* 2(9), 97. doi:10.21105/joss.00097
"""

from __future__ import annotations

import functools
import importlib.util
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt

__all__ = ["scrambled_sobol", "sobol_estimates"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Bits of each coordinate (SciPy's default): at most 2**30 points.
BITS = 30
#: The normal quantile of the default 95 % level, ``scipy.special.ndtri(0.975)`` (a test
#: checks it); other levels import SciPy's special functions.
_Z_95 = 1.959963984540054
_EPS = float(np.finfo(float).eps)


@functools.cache
def _joe_kuo() -> tuple[IntArray, IntArray]:
    """Primitive polynomials and initial direction numbers of Joe and Kuo (2008), from
    SciPy's data file (21,201 dimensions)."""
    spec = importlib.util.find_spec("scipy")
    assert spec is not None
    assert spec.submodule_search_locations
    path = Path(
        next(iter(spec.submodule_search_locations)), "stats", "_sobol_direction_numbers.npz"
    )
    with np.load(path) as data:
        return np.asarray(data["poly"], np.int64), np.asarray(data["vinit"], np.int64)


def _direction_numbers(d: int) -> IntArray:
    """``(d, BITS)`` direction numbers, column ``c`` scaled by ``2**(BITS - 1 - c)``."""
    poly, vinit = _joe_kuo()
    if d > len(poly):
        raise ValueError(f"at most {len(poly)} dimensions; got {d}")
    v = np.ones((d, BITS), dtype=np.int64)
    for j in range(1, d):
        p = int(poly[j])
        m = p.bit_length() - 1  # the polynomial's degree
        row = [int(x) for x in vinit[j, :m]]
        for i in range(m, BITS):  # the recurrence of Bratley and Fox (1988)
            value = row[i - m]
            for k in range(m):
                if (p >> (m - 1 - k)) & 1:
                    value ^= row[i - k - 1] << (k + 1)
            row.append(value)
        v[j] = row
    return v << (BITS - 1 - np.arange(BITS, dtype=np.int64))


def scrambled_sobol(d: int, n: int, rng: np.random.Generator | int) -> FloatArray:
    """The first ``n`` points of a scrambled Sobol' sequence in ``d`` dimensions.

    The same values as ``scipy.stats.qmc.Sobol(d, scramble=True, rng=rng).random(n)``:
    like SciPy, the scrambling draws from a child of a generator's seed sequence (the
    generator itself is not advanced; its seed sequence records one more child); an integer
    stands for ``numpy.random.default_rng(rng)``.

    Examples
    --------
    >>> import numpy as np
    >>> x = scrambled_sobol(3, 8, np.random.default_rng(1))
    >>> x.shape, bool(((0 <= x) & (x < 1)).all())
    ((8, 3), True)
    >>> np.sort(np.floor(x[:, 0] * 8)).tolist()  # one point in each eighth: balance
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    """
    bit_generator = (
        rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    ).bit_generator
    child = np.random.Generator(
        type(bit_generator)(cast(np.random.SeedSequence, bit_generator.seed_seq).spawn(1)[0])
    )
    v = _direction_numbers(d)
    powers = np.arange(BITS, dtype=np.int64)
    shift_bits = child.integers(0, 2, size=(d, BITS), dtype=np.uint32).astype(np.int64)
    shift = (shift_bits << powers).sum(axis=1)
    ltm = np.tril(child.integers(0, 2, size=(d, BITS, BITS), dtype=np.uint32)).astype(np.int64)
    ltm[:, powers, powers] = 1
    rows = (ltm << (BITS - 1 - powers)).sum(axis=2)  # (d, p): row p of each matrix as bits
    # scrambled direction number (j, c): bit (BITS - 1 - p) is the parity of row p & v[j, c]
    parity = np.bitwise_count(rows[:, None, :] & v[:, :, None]).astype(np.int64) & 1
    sv = (parity << (BITS - 1 - powers)).sum(axis=2)  # (d, c)
    index = np.arange(n, dtype=np.int64)
    gray = index ^ (index >> 1)  # point i is the shift XOR the numbers of gray(i)'s bits
    points = np.broadcast_to(shift, (n, d)).copy()
    for c in range(max(1, int(n - 1).bit_length())):
        on = ((gray >> c) & 1).astype(bool)
        points[on] ^= sv[:, c]
    return np.asarray(points * (1.0 / 2**BITS), dtype=np.float64)


def sobol_estimates(
    y: FloatArray, n_groups: int, *, n_resamples: int, conf_level: float, seed: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """``(S1, S1_conf, ST, ST_conf)`` of each group from the outputs of a Saltelli design.

    ``y`` holds ``N (g + 2)`` outputs, per base row: :math:`A`, :math:`A_B^{(j)}` for each
    group, :math:`B` (as :func:`peaceops.sweep.sensitivity.saltelli_matrix` lays them out);
    the same values as ``SALib.analyze.sobol.analyze(problem, y, calc_second_order=False,
    num_resamples=n_resamples, conf_level=conf_level, seed=seed)`` for a non-zero seed.

    Examples
    --------
    :math:`Y = X_1` on two inputs: all of the variance is the first input's.

    >>> import numpy as np
    >>> x = scrambled_sobol(4, 1024, 1)
    >>> a, b = x[:, :2], x[:, 2:]
    >>> rows = np.stack([a, np.c_[b[:, 0], a[:, 1]], np.c_[a[:, 0], b[:, 1]], b], axis=1)
    >>> s1, _, st, _ = sobol_estimates(rows[..., 0].ravel(), 2, n_resamples=50,
    ...                                conf_level=0.95, seed=1)
    >>> np.round(s1, 2).tolist(), np.round(st, 2).tolist()
    ([1.0, 0.0], [1.0, 0.0])
    """
    step = n_groups + 2
    if y.size % step:
        raise ValueError(f"{y.size} outputs are not a multiple of {step}")
    if not 0 < conf_level < 1:
        raise ValueError("the confidence level must be between 0 and 1")
    n = y.size // step
    y = (y - y.mean()) / y.std()
    a, b = y[0::step], y[step - 1 :: step]
    ab = np.zeros((n, n_groups))
    for j in range(n_groups):
        ab[:, j] = y[j + 1 :: step]
    r = np.random.default_rng(seed).integers(n, size=(n, n_resamples))
    z = _Z_95 if conf_level == 0.95 else _normal_quantile(0.5 + conf_level / 2)
    s1, s1_conf, st, st_conf = (np.zeros(n_groups) for _ in range(4))
    for j in range(n_groups):
        s1[j] = _first_order(a, ab[:, j], b)
        spread = np.ptp(np.r_[a[r], b[r]]) != 0.0
        s1_conf[j] = z * _first_order(a[r], ab[r, j], b[r]).std(ddof=1) if spread else 0.0
        st[j] = _total_order(a, ab[:, j], b)
        st_conf[j] = z * _total_order(a[r], ab[r, j], b[r]).std(ddof=1) if spread else 0.0
    return s1, s1_conf, st, st_conf


def _normal_quantile(q: float) -> float:
    from scipy.special import ndtri

    return float(ndtri(q))


def _first_order(a: FloatArray, ab: FloatArray, b: FloatArray) -> FloatArray:
    """Saltelli et al. (2010): mean of B (A_B - A) over the variance of A and B."""
    return _over_variance(a, b, lambda: np.mean(b * (ab - a), axis=0))


def _total_order(a: FloatArray, ab: FloatArray, b: FloatArray) -> FloatArray:
    """Jansen (1999): half the mean of (A - A_B)^2 over the variance of A and B."""
    return _over_variance(a, b, lambda: 0.5 * np.mean((a - ab) ** 2, axis=0))


def _over_variance(a: FloatArray, b: FloatArray, numerator: Callable[[], FloatArray]) -> FloatArray:
    """``numerator()`` over the variance of the outputs of A and B (0 where it vanishes); all
    zeros, with SALib's warning, when the outputs are constant."""
    y = np.r_[a, b]
    if np.ptp(y) <= _EPS:
        warnings.warn("constant model outputs: indices set to 0", stacklevel=4)
        return np.zeros(y.shape[1:], dtype=np.float64)
    var = np.var(y, axis=0)
    out: FloatArray = np.divide(
        numerator(), var, out=np.zeros_like(var, dtype=np.float64), where=var > _EPS
    )
    return out
