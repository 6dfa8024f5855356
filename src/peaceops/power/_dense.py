r"""Dense engine: generating functions over (coalition size, weight), counted modulo primes.

For a threshold game (:mod:`peaceops.power._reduce`) with small integer weights, the
generating function

.. math::

    P(x, y) = \prod_{j \in M} (1 + x^{w_j} y) = \sum_{k, s} A_{k,s}\, x^s y^k

counts the free coalitions by size ``k`` and weight ``s`` (Brams and Affuso 1976; Bilbao et al.
2000). Only weights below the largest finite threshold ``Q`` matter for losing coalitions, so
the table is ``(m + 1) x Q`` and is built in :math:`O(m^2 Q)` (:math:`O(m Q)` when the game is a
pure weighted game and neither Shapley-Shubik nor Deegan-Packel is asked for: then the size axis
is dropped).

*Swings.* Player ``i`` of weight ``v`` swings a losing ``k``-coalition ``T`` iff
:math:`w(T) \in [\theta(k+1) - v, \theta(k))`. Coalitions avoiding ``i`` are counted by
:math:`P / (1 + x^v y) = P \sum_r (-1)^r x^{rv} y^r` (Uno 2012; Kurz 2016): with prefix sums of
``A`` along the weight axis, each window count is an alternating sum of at most
:math:`\min(k, Q/v)` terms, so all players together cost little more than building ``P`` once;
players of equal weight share the work. Swings by coalition size give Shapley-Shubik.

*Minimal winning coalitions and critical players* (Holler, Deegan-Packel, Johnston). With the
players sorted by weight, a winning ``T`` is minimal iff its lightest member is critical, and the
critical members of any winning ``T`` are those heavier than
:math:`\delta = w(T) - \theta(|T| - 1)`: a prefix of the order (Staudacher et al. 2021 use the
same ordering argument). Cutting the order at each weight level ``b`` (``b`` players heavier than
:math:`\delta`) writes every count as a sum over (prefix subset ``X``, suffix subset ``Y``). The
per-player sums over the ``X`` containing ``i`` come from an adjoint (backward) recursion over
the players, one table per step, instead of one table per player: :math:`O(m^2 (Q + w_{max}))`
per prime for all players. The weights ``1/|S|`` and ``1/c(S)`` are folded in as modular
inverses, which is why this pass uses primes below :math:`2^{31}`.

On a game with one quota for every size (a weighted game) Deegan-Packel and Johnston go to
:mod:`peaceops.power._critical`, which counts by the last critical member on a forward table
stored only where it can matter and its adjoint; the sweep below serves size-dependent
thresholds.

*Holler alone on a pure weighted game* needs no size axis: a minimal winning coalition is
``X + l`` with ``l`` its last (lightest) member and :math:`w(X) \in [q - w_l, q)`; sweeping the
players downwards, one table counts the subsets before player ``i`` by weight and a second, its
adjoint, counts the ways to complete a partial weight by later players and a last member
(:func:`~peaceops.power._dense_kernels.holler_flat`). That is :math:`O(m q)` per prime for all
players, the bound Staudacher et al. (2021) give for the public good index; Deegan-Packel and
Johnston weigh each coalition by its size or its number of critical members and keep the
size axis. Their common denominator only needs the sizes a coalition with a critical member
can have, which bounds the number of primes.

All counts are exact: every pass runs modulo a few primes (:mod:`peaceops.power._modular`),
never in floating point.

References
----------
.. [1] Brams, S. J., and Affuso, P. J. (1976). Power and size: A new paradox. *Theory and
   Decision*, 7(1-2), 29-56. https://doi.org/10.1007/BF00141101
.. [2] Bilbao, J. M., Fernández, J. R., Jiménez Losada, A., and López, J. J. (2000).
   Generating functions for computing power indices efficiently. *TOP*, 8(2), 191-213.
   https://doi.org/10.1007/BF02628555
.. [3] Uno, T. (2012). Efficient computation of power indices for weighted majority games.
   In *Algorithms and Computation (ISAAC 2012)*, LNCS 7676, 679-689. Springer.
   https://doi.org/10.1007/978-3-642-35261-4_70
.. [4] Kurz, S. (2016). Computing the power distribution in the IMF. arXiv:1603.01443.
   https://arxiv.org/abs/1603.01443
.. [5] Staudacher, J., Kóczy, L. Á., Stach, I., Filipp, J., Kramer, M., Noffke, T.,
   Olsson, L., Pichler, J., and Singh, T. (2021). Computing power indices for weighted voting
   games via dynamic programming. *Operations Research and Decisions*, 31(2), 123-145.
   https://doi.org/10.37190/ord210206
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from peaceops._jit import cores
from peaceops.power import _dense_kernels as kern
from peaceops.power._counts import Counts
from peaceops.power._critical import critical_counts, single_quota
from peaceops.power._modular import crt, primes_for_bound
from peaceops.power._reduce import INF, Reduced

__all__ = ["dense_cells", "dense_counts"]

IntArray = npt.NDArray[np.int64]
T = TypeVar("T")

#: Memory the per-prime tables of all threads may take together.
_MEMORY_BUDGET = 6 << 30


def dense_cells(red: Reduced, want: frozenset[str]) -> int:
    """Cells of the largest table the dense engine would allocate (its time is ~ m x this)."""
    assert red.weights is not None
    cap = red.max_finite_theta
    if "johnston" in want and red.weights:
        cap += red.weights[0]
    return (red.m + 2) * (cap + 1)


def dense_counts(red: Reduced, want: frozenset[str]) -> Counts:
    """Exact counts of a threshold game by the dense generating-function engine."""
    assert red.weights is not None
    assert red.theta is not None
    m = red.m
    w = np.asarray(red.weights, dtype=np.int64)
    theta = np.asarray(red.theta, dtype=np.int64)
    q0 = red.theta[0]
    quota = single_quota(red)
    flat = quota is not None and "shapley_shubik" not in want
    vals = sorted({int(v) for v in red.weights}, reverse=True)
    cls = {v: j for j, v in enumerate(vals)}
    primes = primes_for_bound(1 << m)
    if flat:
        winning_total, minimal_total, eta_tot = _flat(w, q0, vals, primes)
        swings = {orig: eta_tot[cls[red.weights[j]]] for j, orig in enumerate(red.free)}
        winning_by_size: tuple[int, ...] | None = None
        minimal_by_size: tuple[int, ...] | None = None
        swings_by_size = None
    else:
        wk, mw, eta = _sized(w, theta, red.max_finite_theta, vals, primes)
        mw[0] = 1 if red.theta[0] == 0 else 0
        winning_by_size = tuple(wk)
        minimal_by_size = tuple(mw)
        winning_total, minimal_total = sum(wk), sum(mw)
        swings_by_size = {orig: eta[cls[red.weights[j]]] for j, orig in enumerate(red.free)}
        swings = {orig: sum(v) for orig, v in swings_by_size.items()}
    holler = dp = john = None
    critical: tuple[int, ...] | None = None
    if want & {"deegan_packel", "johnston"} and m > 0 and quota is not None:
        cc = critical_counts(red, want)
        holler, dp, john, critical = cc.holler, cc.deegan_packel, cc.johnston, cc.critical_by_count
        if minimal_by_size is None:
            minimal_by_size = cc.minimal_by_size
    elif want & {"deegan_packel", "johnston"} and m > 0:
        holler, dp, john, critical = _swept(red, w, theta, want)
    elif "holler" in want and m > 0:
        holler = _holler(red, w, theta)
    return Counts(
        method="dp",
        winning_total=winning_total,
        winning_by_size=winning_by_size,
        minimal_total=minimal_total,
        minimal_by_size=minimal_by_size,
        swings=swings,
        swings_by_size=swings_by_size,
        holler=holler,
        deegan_packel=dp,
        johnston=john,
        critical_by_count=critical,
    )


def _per_prime(primes: Sequence[int], work: Callable[[int], T], bytes_per_prime: int) -> list[T]:
    """Run ``work(p)`` for every prime, on as many threads as cores and memory allow."""
    threads = max(1, min(len(primes), cores(), _MEMORY_BUDGET // max(bytes_per_prime, 1)))
    if threads == 1:
        return [work(p) for p in primes]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, primes))


def _binom(m: int, p: int) -> IntArray:
    out = np.zeros((m + 1, m + 1), dtype=np.int64)
    kern.binomials(m, p, out)
    return out


def _flat(
    w: IntArray, q: int, vals: Sequence[int], primes: Sequence[int]
) -> tuple[int, int, list[int]]:
    m = w.shape[0]
    pos = np.asarray([v for v in vals if v > 0], dtype=np.int64)

    def work(p: int) -> list[int]:
        A = np.zeros(q + 1, dtype=np.int64)
        mw = kern.build_flat(w, q, p, A)
        kern.cumulate(A.reshape(1, -1), p)
        eta = np.zeros(pos.shape[0], dtype=np.int64)
        kern.swings_flat(A, q, p, pos, eta)
        return [(pow(2, m, p) - int(A[q])) % p, int(mw), *(int(e) for e in eta)]

    rows = _per_prime(primes, work, 8 * (q + 1))
    out = crt(rows, primes)
    per_value = dict(zip((int(v) for v in pos), out[2:], strict=True))
    return out[0], out[1], [per_value.get(v, 0) for v in vals]


def _sized(
    w: IntArray, theta: IntArray, cap: int, vals: Sequence[int], primes: Sequence[int]
) -> tuple[list[int], list[int], list[tuple[int, ...]]]:
    m = w.shape[0]
    v_arr = np.asarray(vals, dtype=np.int64)
    width = max(m, 1)

    def work(p: int) -> list[int]:
        binom = _binom(m, p)
        A = np.zeros((m + 1, cap + 1), dtype=np.int64)
        lo = np.zeros(m + 1, dtype=np.int64)
        hi = np.zeros(m + 1, dtype=np.int64)
        mw = np.zeros(m + 2, dtype=np.int64)
        kern.build(w, theta, cap, p, binom, A, lo, hi, mw, True)
        kern.cumulate(A, p)
        eta = np.zeros((v_arr.shape[0], width), dtype=np.int64)
        wk = np.zeros(m + 1, dtype=np.int64)
        kern.swings(A, theta, p, binom, v_arr, eta, wk)
        return [*wk.tolist(), *mw[: m + 1].tolist(), *eta.ravel().tolist()]

    rows = _per_prime(primes, work, 8 * (m + 1) * (cap + 1))
    out = crt(rows, primes)
    wk = out[: m + 1]
    mw = out[m + 1 : 2 * m + 2]
    flat_eta = out[2 * m + 2 :]
    eta = [tuple(flat_eta[j * width : j * width + m]) for j in range(len(vals))]
    return wk, mw, eta


def _holler(red: Reduced, w: IntArray, theta: IntArray) -> dict[int, int]:
    """Holler counts alone: without a size axis when every threshold is the same quota."""
    assert red.theta is not None
    q = red.theta[0]
    if not (0 < q < INF and all(t == q for t in red.theta)):
        holler, _, _, _ = _swept(red, w, theta, frozenset({"holler"}))
        assert holler is not None
        return holler
    pos = w[w > 0]
    k = pos.shape[0]
    primes = primes_for_bound(1 << k, narrow=True)

    def work(p: int) -> list[int]:
        hol = np.zeros(k, dtype=np.int64)
        kern.holler_flat(pos, q, p, np.zeros(q, np.int64), np.zeros(q, np.int64), hol)
        return hol.tolist()

    out = crt(_per_prime(primes, work, 16 * q), primes)
    return {orig: (out[j] if j < k else 0) for j, orig in enumerate(red.free)}


def _largest_critical_size(red: Reduced) -> int:
    """Largest ``|T|`` of a winning ``T`` with a critical member: the denominators ``|S|`` of
    Deegan-Packel and ``c(S) <= |S|`` of Johnston never exceed it plus ``r``, so the common
    denominator (and with it the number of primes) need only cover sizes up to here.

    A critical ``j`` makes ``T - j`` lose, and ``T - j`` weighs at least the ``|T| - 1``
    lightest free players together, so that sum must fall below ``theta(|T| - 1)``."""
    assert red.weights is not None
    assert red.theta is not None
    light = sorted(red.weights)
    best, below = 1, 0  # below = weight of the k - 1 lightest players
    for k in range(1, red.m + 1):
        if red.theta[k] < INF and (red.theta[k - 1] >= INF or below < red.theta[k - 1]):
            best = k
        below += light[k - 1]
    return best


def _regimes(theta: Sequence[int]) -> IntArray:
    """Runs of ``k >= 1`` sharing ``(theta[k-1], theta[k])`` with ``theta[k]`` finite."""
    rows: list[list[int]] = []
    for k in range(1, len(theta)):
        t0, t1 = theta[k - 1], theta[k]
        if t1 >= INF:
            continue
        if rows and rows[-1][1] == k - 1 and rows[-1][2:] == [t0, t1]:
            rows[-1][1] = k
        else:
            rows.append([k, k, t0, t1])
    return np.asarray(rows, dtype=np.int64).reshape(-1, 4)


def _swept(
    red: Reduced, w: IntArray, theta: IntArray, want: frozenset[str]
) -> tuple[
    dict[int, int] | None,
    dict[int, Fraction] | None,
    dict[int, Fraction] | None,
    tuple[int, ...] | None,
]:
    assert red.weights is not None
    assert red.theta is not None
    m, r = red.m, red.r
    do_j = "johnston" in want
    do_mwc = bool(want & {"holler", "deegan_packel"})
    cap = red.max_finite_theta + (int(w[0]) if do_j else 0)
    weighted = bool(want & {"deegan_packel", "johnston"})
    lcm = math.lcm(*(r + k for k in range(1, _largest_critical_size(red) + 1)))
    primes = primes_for_bound((lcm << m) if weighted else (1 << m), narrow=True)
    is_boundary = np.zeros(m + 1, dtype=np.int64)
    is_boundary[m] = 1
    for b in range(1, m):
        if red.weights[b - 1] > red.weights[b]:
            is_boundary[b] = 1
    regimes = _regimes(red.theta)
    big = (m + 2, cap + 1)
    small = (1, 1)

    def work(p: int) -> list[int]:
        binom = _binom(m, p)
        inv = np.zeros(m + 1, dtype=np.int64)
        for k in range(1, m + 1):
            inv[k] = pow(k + r, -1, p)
        Pre = np.zeros(big, dtype=np.int64)
        lo = np.zeros(m + 1, dtype=np.int64)
        hi = np.zeros(m + 1, dtype=np.int64)
        kern.build(w, theta, cap, p, binom, Pre, lo, hi, np.zeros(m + 2, np.int64), False)
        Suf = np.zeros(big if do_j else small, dtype=np.int64)
        CS2 = np.zeros(big if do_j else small, dtype=np.int64)
        K = np.zeros(big if do_j else small, dtype=np.int64)
        BBj = np.zeros(big if do_j else small, dtype=np.int64)
        BBh = np.zeros(big if do_mwc else small, dtype=np.int64)
        BBd = np.zeros(big if do_mwc else small, dtype=np.int64)
        over = np.zeros(m + 1, dtype=np.int64)
        hol = np.zeros(m, dtype=np.int64)
        dpv = np.zeros(m, dtype=np.int64)
        jn = np.zeros(m, dtype=np.int64)
        jg = np.zeros(m + 1, dtype=np.int64)
        kern.sweep(
            w, theta, cap, p, binom, is_boundary, regimes, inv, inv, do_mwc, do_j,
            Pre, Suf, CS2, K, BBh, BBd, BBj, over, hol, dpv, jn, jg,
        )  # fmt: skip
        scale = lcm % p
        return [
            *hol.tolist(),
            *(int(v) * scale % p for v in dpv),
            *(int(v) * scale % p for v in jn),
            *jg.tolist(),
        ]

    tables = (7 if do_j else 3) * big[0] * big[1] * 8
    out = crt(_per_prime(primes, work, tables), primes)
    hol_v, dp_v, jn_v, jg_v = out[:m], out[m : 2 * m], out[2 * m : 3 * m], out[3 * m :]
    holler = {orig: hol_v[j] for j, orig in enumerate(red.free)} if do_mwc else None
    dp = (
        {orig: Fraction(dp_v[j], lcm) for j, orig in enumerate(red.free)}
        if "deegan_packel" in want
        else None
    )
    john = {orig: Fraction(jn_v[j], lcm) for j, orig in enumerate(red.free)} if do_j else None
    critical = tuple(jg_v) if do_j else None
    return holler, dp, john, critical
