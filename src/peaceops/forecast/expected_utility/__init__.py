r"""Bueno de Mesquita's expected-utility model, as reconstructed by Scholz et al. (2011).

One issue at a time. Each round, every actor weighs challenging every other actor: it
estimates the probability of winning from the votes of all actors, its utilities of
success, failure and the status quo (shaped by a risk exponent), and the other side's
expected utility as it perceives it. The signs and sizes of the two expected utilities
make an offer (confrontation, compromise or capitulation); each actor takes one offer and
all move at once. The forecast each round is the weighted median of the positions.

The engine is a numba kernel over ``(run, issue)`` pairs: :func:`expected_utility_forecast`
runs one negotiation through it as a batch of one, :func:`expected_utility_batch` runs
thousands of parameter draws in parallel, so both give bit-identical results.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from numba import get_num_threads, prange

from peaceops._jit import jit
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast._core import FloatArray, ForecastResult, NegotiationInput, Perturbation
from peaceops.forecast.compromise import _check_input
from peaceops.forecast.median import _weighted_median_core

__all__ = ["expected_utility_batch", "expected_utility_forecast"]

ProbabilityRule = Literal["scholz", "pairwise"]
OfferRule = Literal["scholz", "least_move"]
ForecastRule = Literal["median", "mean"]

_PROBABILITY = {"scholz": 0, "pairwise": 1}
_OFFER = {"scholz": 0, "least_move": 1}
_FORECAST = ("median", "mean")


def expected_utility_forecast(
    data: NegotiationInput,
    *,
    rounds: int = 10,
    q: float = 1.0,
    t: float = 1.0,
    probability: ProbabilityRule = "scholz",
    offer: OfferRule = "scholz",
    forecast: ForecastRule = "median",
    perturbations: Sequence[Perturbation] = (),
) -> ForecastResult:
    r"""Run Bueno de Mesquita's expected-utility model on each issue.

    Per round and issue, with positions :math:`x_i`, salience :math:`s_i`, capability
    :math:`c_i`, :math:`w_i = c_i s_i`, scale range :math:`\Delta` (spread of the initial
    positions), :math:`d_{ij} = |x_i - x_j| / \Delta` and risk exponent :math:`r_i`:

    .. math::

        U^s_{ij} &= 2 - 4\,(0.5 - 0.5\,d_{ij})^{r_i}, \quad
        U^f_{ij} = 2 - 4\,(0.5 + 0.5\,d_{ij})^{r_i}, \quad
        U^{sq}_i = 2 - 4\,(0.5)^{r_i},\\
        U^{b,w}_{ij} &= 2 - 4\,\bigl(0.5 \mp 0.25\,(|x_i - \mu| + |x_i - x_j|)/\Delta\bigr)^{r_i},\\
        v_k(a, b) &= w_k \bigl[(|x_k - x_b|/\Delta)^{r_k} - (|x_k - x_a|/\Delta)^{r_k}\bigr],
        \qquad P_{ij} = \frac{\sum_k v_k(i, j)^+}{\sum_k \sum_{a,b} |v_k(a, b)|},\\
        E^i U_{ij} &= s_j\,[P_{ij} U^s_{ij} + (1 - P_{ij}) U^f_{ij}] + (1 - s_j)\,U^s_{ij}
            - Q\,U^{sq}_i - (1 - Q)\,[T\,U^b_{ij} + (1 - T)\,U^w_{ij}],

    :math:`\mu` the weighted median. Risk: with every :math:`r = 1`, actor :math:`j`'s
    exposure is :math:`\sigma_j = \sum_{i \ne j} E U_{ij}`,
    :math:`R_j = (2\sigma_j - \max\sigma - \min\sigma) / (\max\sigma - \min\sigma)` and
    :math:`r_j = (1 - R_j/3)/(1 + R_j/3) \in [0.5, 2]`. Then actor :math:`i` compares
    :math:`a = E^i U_{ij}` with its perception :math:`b = E^i U_{ji}` of :math:`j`'s
    expected utility (computed with :math:`r_i`): :math:`b > a > 0` is a confrontation
    :math:`i` loses (it moves to :math:`x_j`); :math:`b > 0 > a` with :math:`b > |a|` a
    compromise (it moves :math:`|a/b|` of the way to :math:`x_j`); :math:`b > 0 > a` with
    :math:`b \le |a|` a capitulation (it moves to :math:`x_j`). All move at once.

    Parameters
    ----------
    data
        Positions (0..100, NaN = no stance: the actor sits the issue out), salience in 0..1,
        clout (capability, any positive scale).
    rounds
        Number of rounds (the model has no natural stopping point; see Notes).
    q, t
        BDM's :math:`Q` (probability the status quo persists absent a challenge) and
        :math:`T` (probability a change favours the actor); Scholz et al. use 1.
    probability
        ``"scholz"`` normalises the votes by their total over all ordered pairs, as the
        reconstruction that reproduces Scholz et al.'s Table 2 does; ``"pairwise"`` by the
        votes on the pair only, :math:`P_{ij} + P_{ji} = 1` (BDM 1994's reading).
    offer
        ``"scholz"``: a confrontation first (least movement), else the compromise with the
        smallest :math:`(|a| x_i + |b| x_j)/(|a| + |b|)`, else a capitulation (least
        movement), as in Scholz et al.'s replication code; ``"least_move"``: the offer
        that moves the actor least, as their text and BDM (1994) describe it.
    forecast
        ``"median"`` (weighted median, the model's forecast) or ``"mean"`` (weighted mean)
        for the trajectory; the other is kept in ``details`` for the last round.
    perturbations
        Scheduled changes applied at the start of their round (1-based): a new position
        replaces the actor's current one (this model has no separate ideal point).
        Perturbations after the last round have no effect.

    Returns
    -------
    ForecastResult
        ``model="expected_utility"``; ``trajectory`` is ``(rounds + 1, m)``, row 0 on the
        initial positions; ``positions`` is ``(rounds + 1, n, m)``. ``details``:
        ``rounds``, ``last_move`` (total absolute position change in the last round) and
        ``final_median:<issue>`` / ``final_mean:<issue>``.

    Raises
    ------
    ScenarioError
        If a value of ``data`` or of a perturbation is out of range.
    ValueError
        If an option is not one of the values above, ``rounds < 0``, ``q`` or ``t`` is
        outside 0..1, or a perturbation has the wrong shape or a round below 1.

    See Also
    --------
    expected_utility_batch : the same model over a leading batch axis.

    Notes
    -----
    Choices where the papers are ambiguous, with the evidence (``docs/forecast.md``):

    - The vote denominator, the perception rule (actor :math:`i` evaluates both expected
      utilities with its own :math:`r_i`), the votes shaped by each voter's risk exponent
      and the ``"scholz"`` offer choice are the combination that reproduces Scholz et al.'s
      round-by-round medians for the EC car-emission example (8.4, 9.9, 9.9, 9.9, 9.9,
      7.4, 8.8, 9.6, read as truncated to one decimal) in seven of eight rounds: we get
      8.42, 9.61, 9.96, 9.96, 9.96, 7.47, 8.82, 9.67. Round 2 (9.61 against 9.9) is the
      exception; the per-pair normalisation or the least-movement choice reproduce fewer.
    - Risk exponents are recomputed each round from expected utilities at :math:`r = 1`
      on the current positions; the range :math:`\Delta` is the spread of the initial
      positions (widened if a perturbation moves a position outside it).
    - The ``"scholz"`` offer choice is not symmetric under reflection of the scale (it
      prefers the lower compromise); ``"least_move"`` is.
    - Ties in an offer choice go to the lowest actor index; actors at the same position
      make no offers to each other; an issue with fewer than two stance-holders, or all at
      one position, does not move. Weights fall back to clout when all saliences are 0.
    - Replications disagree and the model oscillates (the EC example swings between 7
      and 10 forever), so the last round's median depends on ``rounds``.

    Cost per issue and round :math:`O(n^2 \log n)`: the vote sums use prefix sums over
    actors sorted by position (each voter's side of the midpoint between two positions)
    rather than the :math:`O(n^3)` triple sum.

    References
    ----------
    .. [1] Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method.
       In B. Bueno de Mesquita and F. N. Stokman (eds.), *European Community Decision
       Making: Models, Applications, and Comparisons*, pp. 71-104. Yale University Press.
    .. [2] Bueno de Mesquita, B. (2002). *Predicting Politics*. Ohio State University Press.
    .. [3] Scholz, J. B., Calbert, G. J. and Smith, G. A. (2011). Unravelling Bueno De
       Mesquita's group decision model. *Journal of Theoretical Politics* 23(4), 510-531.
       doi:10.1177/0951629811418142

    Examples
    --------
    Three actors; the flanks, who care little, compromise towards the median actor ``b``,
    who cares most, and by round 3 everyone sits at 50:

    >>> import numpy as np
    >>> from peaceops.forecast import NegotiationInput
    >>> data = NegotiationInput(
    ...     actors=("a", "b", "c"), issues=("e",),
    ...     positions=np.array([[0.0], [50.0], [100.0]]),
    ...     salience=np.array([[0.2], [0.9], [0.2]]),
    ...     clout=np.array([1.0, 1.0, 1.0]), status_quo=np.array([np.nan]))
    >>> result = expected_utility_forecast(data, rounds=3)
    >>> result.positions[:, :, 0].round(1).tolist()
    [[0.0, 50.0, 100.0], [36.5, 50.0, 63.5], [49.2, 50.0, 50.8], [50.0, 50.0, 50.0]]
    """
    prob_code, offer_code, fc = _options(rounds, q, t, probability, offer, forecast)
    _check_input(data)
    n, m = data.positions.shape
    pert = _check_perturbations(perturbations, data)
    X = np.ascontiguousarray(data.positions, dtype=np.float64)[None].copy()
    S = np.ascontiguousarray(np.nan_to_num(data.salience), dtype=np.float64)[None].copy()
    C = np.ascontiguousarray(data.clout, dtype=np.float64)[None].copy()
    spread = _spread(X)
    history = np.empty((rounds + 1, n, m))
    medians = np.empty((rounds + 1, m))
    means = np.empty((rounds + 1, m))
    out = np.empty_like(X)
    last_move = 0.0
    for rnd in range(rounds + 1):
        history[rnd] = X[0]
        _summaries(X, S, C, _chunks(X), medians[rnd : rnd + 1], means[rnd : rnd + 1])
        if rnd == rounds:
            break
        for p in pert.get(rnd + 1, ()):
            _apply(p, X[0], S[0], C[0])
            spread = np.fmax(spread, _spread(X))
        _round_batch(X, S, C, spread, q, t, prob_code, offer_code, _chunks(X), out)
        last_move = float(np.nansum(np.abs(out - X)))
        X, out = out, X
    traj = medians if fc == 0 else means
    details: dict[str, float] = {"rounds": float(rounds), "last_move": last_move}
    for e, issue in enumerate(data.issues):
        details[f"final_median:{issue}"] = float(medians[-1, e])
        details[f"final_mean:{issue}"] = float(means[-1, e])
    return ForecastResult(
        model="expected_utility",
        issues=data.issues,
        trajectory=traj,
        positions=history,
        details=details,
    )


def expected_utility_batch(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    clout: npt.ArrayLike,
    *,
    rounds: int = 10,
    q: float = 1.0,
    t: float = 1.0,
    probability: ProbabilityRule = "scholz",
    offer: OfferRule = "scholz",
    forecast: ForecastRule = "median",
) -> FloatArray:
    """Run the expected-utility model on a batch of negotiations in parallel.

    Parameters
    ----------
    positions
        ``(b, n, m)`` positions, 0..100, NaN = no stance.
    salience
        ``(b, n, m)`` salience in 0..1 (ignored where the position is NaN).
    clout
        ``(b, n)`` capability, > 0.
    rounds, q, t, probability, offer, forecast
        As in :func:`expected_utility_forecast`.

    Returns
    -------
    numpy.ndarray
        ``(b, rounds + 1, m)`` forecast per run, round and issue; row ``[k]`` equals
        ``expected_utility_forecast`` on member ``k`` exactly (same kernel).

    Raises
    ------
    ValueError
        On wrong shapes or options; :class:`~peaceops.errors.ScenarioError` on values out
        of range.

    Notes
    -----
    The ``(run, issue)`` pairs are spread over threads with ``numba.prange``; memory is
    ``O(b n m)`` for the state plus ``O(b m rounds)`` for the result. Measured figures are
    in ``benchmarks/results/forecast.md``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[0.0], [50.0], [100.0]]] * 2)
    >>> s = np.full((2, 3, 1), 0.5)
    >>> expected_utility_batch(x, s, np.ones((2, 3)), rounds=2).shape
    (2, 3, 1)
    """
    prob_code, offer_code, fc = _options(rounds, q, t, probability, offer, forecast)
    X = np.array(positions, dtype=np.float64, order="C")
    S = np.array(salience, dtype=np.float64, order="C")
    C = np.array(clout, dtype=np.float64, order="C")
    if X.ndim != 3 or S.shape != X.shape or C.shape != X.shape[:2]:
        raise ValueError(
            "positions and salience must be (b, n, m) and clout (b, n); got "
            f"{X.shape!r}, {S.shape!r} and {C.shape!r}"
        )
    _check_batch(X, S, C)
    S = np.where(np.isnan(X), 0.0, S)
    b, _, m = X.shape
    spread = _spread(X)
    traj = np.empty((b, rounds + 1, m))
    summary = np.empty((2, b, m))  # weighted median, weighted mean
    out = np.empty_like(X)
    for rnd in range(rounds + 1):
        _summaries(X, S, C, _chunks(X), summary[0], summary[1])
        traj[:, rnd, :] = summary[fc]
        if rnd == rounds:
            break
        _round_batch(X, S, C, spread, q, t, prob_code, offer_code, _chunks(X), out)
        X, out = out, X
    return traj


# ----------------------------------------------------------------------------- checks


def _options(
    rounds: int, q: float, t: float, probability: str, offer: str, forecast: str
) -> tuple[int, int, int]:
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise ValueError(f"rounds must be an integer >= 0; got {rounds!r}")
    if not (0.0 <= q <= 1.0 and 0.0 <= t <= 1.0):
        raise ValueError(f"q and t must be within 0..1; got q={q!r}, t={t!r}")
    if probability not in _PROBABILITY:
        raise ValueError(f"probability must be one of {sorted(_PROBABILITY)}; got {probability!r}")
    if offer not in _OFFER:
        raise ValueError(f"offer must be one of {sorted(_OFFER)}; got {offer!r}")
    if forecast not in _FORECAST:
        raise ValueError(f"forecast must be one of {list(_FORECAST)}; got {forecast!r}")
    return _PROBABILITY[probability], _OFFER[offer], _FORECAST.index(forecast)


def _check_batch(X: FloatArray, S: FloatArray, C: FloatArray) -> None:
    problems = []
    has = ~np.isnan(X)
    checks = [
        ("positions", has & ~((X >= 0) & (X <= 100)), X, "within 0..100 (NaN = no stance)"),
        ("salience", has & ~((S >= 0) & (S <= 1)), S, "within 0..1"),
        ("clout", ~(np.isfinite(C) & (C > 0)), C, "finite and > 0"),
    ]
    for name, bad, values, allowed in checks:
        where = np.argwhere(bad)
        if where.size:
            first = tuple(int(v) for v in where[0])
            problems.append(
                Problem(
                    "<batch>",
                    None,
                    f"{name}{list(first)}",
                    f"must be {allowed}; got {float(values[first])!r}"
                    + (f" ({len(where) - 1} more)" if len(where) > 1 else ""),
                )
            )
    if problems:
        raise ScenarioError(problems)


def _check_perturbations(
    perturbations: Sequence[Perturbation], data: NegotiationInput
) -> dict[int, list[Perturbation]]:
    """Validate perturbations against ``data``; group them by round."""
    n, m = data.positions.shape
    problems = []
    by_round: dict[int, list[Perturbation]] = {}
    for k, p in enumerate(perturbations):
        if isinstance(p.round, bool) or not isinstance(p.round, int | np.integer) or p.round < 1:
            raise ValueError(f"perturbations[{k}].round must be an integer >= 1; got {p.round!r}")
        for name, arr, shape, lo, hi in (
            ("positions", p.positions, (n, m), 0.0, 100.0),
            ("salience", p.salience, (n, m), 0.0, 1.0),
            ("clout", p.clout, (n,), 0.0, np.inf),
        ):
            if arr is None:
                continue
            if arr.shape != shape:
                raise ValueError(
                    f"perturbations[{k}].{name} must have shape {shape!r}; got {arr.shape!r}"
                )
            bad = ~np.isnan(arr) & ~((arr >= lo) & (arr <= hi))
            if name == "clout":
                bad |= ~np.isnan(arr) & ~(arr > 0)
            if bad.any():
                first = tuple(int(v) for v in np.argwhere(bad)[0])
                problems.append(
                    Problem(
                        "<perturbations>",
                        None,
                        f"perturbations[{k}].{name}{list(first)}",
                        f"must be within {lo:g}..{hi:g} (NaN = unchanged); "
                        f"got {float(arr[first])!r}",
                    )
                )
        by_round.setdefault(int(p.round), []).append(p)
    if problems:
        raise ScenarioError(problems)
    return by_round


def _apply(p: Perturbation, x: FloatArray, s: FloatArray, c: FloatArray) -> None:
    """Apply one perturbation in place to one run's positions, salience and clout."""
    if p.positions is not None:
        np.copyto(x, p.positions, where=~np.isnan(p.positions))
    if p.salience is not None:
        np.copyto(s, p.salience, where=~np.isnan(p.salience))
    if p.clout is not None:
        np.copyto(c, p.clout, where=~np.isnan(p.clout))


def _chunks(X: FloatArray) -> int:
    """How many pieces to cut the ``(run, issue)`` pairs into: 8 per thread, at most one each."""
    return int(min(X.shape[0] * X.shape[2], 8 * get_num_threads()))


def _spread(X: FloatArray) -> FloatArray:
    """``(b, m)`` spread (max - min) of the stance-holders' positions; 0 without any."""
    has = ~np.isnan(X)
    top = np.where(has, X, -np.inf).max(axis=1)
    bottom = np.where(has, X, np.inf).min(axis=1)
    spread = np.where(has.any(axis=1), top - bottom, 0.0)
    return np.ascontiguousarray(spread, dtype=np.float64)


# ----------------------------------------------------------------------------- kernels


@jit(parallel=True, error_model="numpy")
def _summaries(
    X: FloatArray,
    S: FloatArray,
    C: FloatArray,
    n_chunks: int,
    medians: FloatArray,
    means: FloatArray,
) -> None:  # pragma: no cover - compiled
    """Weighted median and mean of each ``(run, issue)`` into ``medians``/``means`` (b, m)."""
    b, n, m = X.shape
    total = b * m
    for chunk in prange(n_chunks):
        x = np.empty(n)
        w = np.empty(n)
        for flat in range(chunk * total // n_chunks, (chunk + 1) * total // n_chunks):
            k = flat // m
            e = flat % m
            cnt = 0
            wsum = 0.0
            for i in range(n):
                if not np.isnan(X[k, i, e]):
                    x[cnt] = X[k, i, e]
                    w[cnt] = C[k, i] * S[k, i, e]
                    wsum += w[cnt]
                    cnt += 1
            if cnt == 0:
                medians[k, e] = np.nan
                means[k, e] = np.nan
                continue
            if not wsum > 0.0:  # every stance-holder at zero salience: clout alone
                ci = 0
                for i in range(n):
                    if not np.isnan(X[k, i, e]):
                        w[ci] = C[k, i]
                        wsum += w[ci]
                        ci += 1
            medians[k, e] = _weighted_median_core(x[:cnt], w[:cnt])
            acc = 0.0
            for a in range(cnt):
                acc += w[a] * x[a]
            means[k, e] = acc / wsum


@jit(parallel=True, error_model="numpy")
def _round_batch(
    X: FloatArray,
    S: FloatArray,
    C: FloatArray,
    spread: FloatArray,
    q: float,
    t: float,
    prob_mode: int,
    offer_mode: int,
    n_chunks: int,
    out: FloatArray,
) -> None:  # pragma: no cover - compiled
    """One round of the model on every ``(run, issue)`` of ``X``; new positions into ``out``.

    The pairs are dealt to ``n_chunks`` chunks; each chunk allocates its scratch arrays
    once (allocating them per issue would cost as much as the arithmetic).
    """
    b, n, m = X.shape
    total = b * m
    for chunk in prange(n_chunks):
        f1, f2, ff, i1, i2, kbuf = _workspace(n)
        for flat in range(chunk * total // n_chunks, (chunk + 1) * total // n_chunks):
            k = flat // m
            e = flat % m
            idx = i1[_I_IDX]
            na = 0
            for i in range(n):
                out[k, i, e] = X[k, i, e]
                if not np.isnan(X[k, i, e]):
                    idx[na] = i
                    na += 1
            if na < 2 or not spread[k, e] > 0.0:
                continue
            x = f1[_F_X]
            s = f1[_F_S]
            w = f1[_F_W]
            wsum = 0.0
            for a in range(na):
                x[a] = X[k, idx[a], e]
                s[a] = S[k, idx[a], e]
                w[a] = C[k, idx[a]] * s[a]
                wsum += w[a]
            if not wsum > 0.0:
                for a in range(na):
                    w[a] = C[k, idx[a]]
            _issue_round(na, spread[k, e], q, t, prob_mode, offer_mode, f1, f2, ff, i1, i2, kbuf)
            new = f1[_F_RESULT]
            for a in range(na):
                out[k, idx[a], e] = new[a]


# rows of the scratch arrays made by _workspace
_F_X, _F_S, _F_W, _F_XS, _F_SS, _F_WS = range(6)
_F_XD, _F_EXPOSURE, _F_R, _F_USQ, _F_NEW, _F_RESULT = range(6, 12)
_F2_DD, _F2_LOGD, _F2_LOGM, _F2_LOGP, _F2_DIST, _F2_NUM, _F2_P1, _F2_P, _F2_PREFIX = range(9)
_FF_ARG, _FF_US, _FF_UF, _FF_DIST = range(4)
_I_IDX, _I_ORDER, _I_GRP, _I_CNT, _I_FIRST = range(5)
_I2_LT, _I2_LE, _I2_NEAR = range(3)


@jit(error_model="numpy")
def _workspace(
    n: int,
) -> tuple[
    FloatArray, FloatArray, FloatArray, np.ndarray, np.ndarray, np.ndarray
]:  # pragma: no cover
    """Scratch arrays for issues of up to ``n`` actors (see the ``_F*``/``_I*`` row names)."""
    return (
        np.empty((12, n + 1)),
        np.empty((9, n, n + 1)),
        np.empty((4, n * n)),
        np.empty((5, n + 1), dtype=np.int64),
        np.empty((3, n, n), dtype=np.int64),
        np.empty(n * n, dtype=np.int64),
    )


@jit(error_model="numpy")
def _issue_round(
    n: int,
    rng: float,
    q: float,
    t: float,
    prob_mode: int,
    offer_mode: int,
    f1: FloatArray,
    f2: FloatArray,
    ff: FloatArray,
    i1: np.ndarray,
    i2: np.ndarray,
    kbuf: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """One round on one issue for ``n`` stance-holders.

    Reads positions, saliences and weights from rows ``_F_X``, ``_F_S``, ``_F_W`` of ``f1``
    and leaves the new positions in row ``_F_RESULT``. Works on the actors sorted by
    position (stable), so offer ties go to the proposer with the lower position and the
    result does not depend on the order of the actors. Everything that depends on a
    target's position only is computed once per distinct position (actors soon share
    positions, which halves the cost of later rounds).
    """
    x, s, w = f1[_F_X], f1[_F_S], f1[_F_W]
    xs, ss, ws, xd = f1[_F_XS], f1[_F_SS], f1[_F_WS], f1[_F_XD]
    order, grp, cnt, first = i1[_I_ORDER], i1[_I_GRP], i1[_I_CNT], i1[_I_FIRST]
    # stable insertion sort of the actors by position (n is small)
    for u in range(n):
        order[u] = u
    for u in range(1, n):
        cur = order[u]
        v = u - 1
        while v >= 0 and x[order[v]] > x[cur]:
            order[v + 1] = order[v]
            v -= 1
        order[v + 1] = cur
    nd = 0
    for u in range(n):
        xs[u] = x[order[u]]
        ss[u] = s[order[u]]
        ws[u] = w[order[u]]
        if u == 0 or xs[u] != xs[u - 1]:
            xd[nd] = xs[u]
            cnt[nd] = 0
            nd += 1
        grp[u] = nd - 1
        cnt[nd - 1] += 1
    first[0] = 0
    for h in range(nd):
        first[h + 1] = first[h] + cnt[h]
    mu = _weighted_median_core(xs[:n], ws[:n]) if q < 1.0 else 0.0
    dd = f2[_F2_DD]
    for g in range(nd):
        for h in range(nd):
            # at most 1 (positions stay within the range; the clamp absorbs rounding)
            dd[g, h] = min(abs(xd[g] - xd[h]) / rng, 1.0)
    lt, le, near = i2[_I2_LT], i2[_I2_LE], i2[_I2_NEAR]
    _midpoint_counts(xs, xd, n, nd, lt, le)
    _nearest_order(xd, nd, near)

    # stage 1: expected utilities at r = 1 give each actor's exposure, then its risk exponent
    dist = f2[_F2_DIST]
    for u in range(n):
        for h in range(nd):
            dist[u, h] = dd[grp[u], h]
    p1 = f2[_F2_P1]
    _probabilities(
        ws, grp, cnt, dist, lt, le, near, n, nd, prob_mode, f2[_F2_PREFIX], f2[_F2_NUM], p1
    )
    # At r = 1, U_s = 2d, U_f = -2d and U_sq = 0, so E U_ij = 2 d (1 - 2 s_j (1 - P_ij)):
    # summed over the challengers i of j by distinct position (d = 0 at j's own position).
    exposure = f1[_F_EXPOSURE]
    sum_d = f1[_F_NEW]  # scratch: sum_g cnt_g d[g, h] and sum_g cnt_g d[g, h] P[g, h]
    sum_dp = f1[_F_RESULT]
    for h in range(nd):
        acc_d = 0.0
        acc_dp = 0.0
        for g in range(nd):
            acc_d += cnt[g] * dd[g, h]
            acc_dp += cnt[g] * dd[g, h] * p1[g, h]
        sum_d[h] = acc_d
        sum_dp[h] = acc_dp
    for j in range(n):
        exposure[j] = 2.0 * (1.0 - 2.0 * ss[j]) * sum_d[grp[j]] + 4.0 * ss[j] * sum_dp[grp[j]]
        if q < 1.0:
            for i in range(n):
                if i != j:
                    exposure[j] -= (1.0 - q) * _bw(xs[i], xs[j], mu, rng, 1.0, t)
    hi = exposure[0]
    lo = exposure[0]
    for j in range(1, n):
        hi = max(hi, exposure[j])
        lo = min(lo, exposure[j])
    r = f1[_F_R]
    for j in range(n):
        r[j] = 1.0
        if hi - lo > 0.0:
            big_r = (2.0 * exposure[j] - hi - lo) / (hi - lo)
            r[j] = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)

    # stage 2: votes and utilities shaped by the risk exponents
    log_d, log_m, log_p = f2[_F2_LOGD], f2[_F2_LOGM], f2[_F2_LOGP]
    for g in range(nd):
        for h in range(g, nd):
            v = np.log(dd[g, h])
            log_d[g, h] = v
            log_d[h, g] = v
            v = np.log(0.5 - 0.5 * dd[g, h])
            log_m[g, h] = v
            log_m[h, g] = v
            v = np.log(0.5 + 0.5 * dd[g, h])
            log_p[g, h] = v
            log_p[h, g] = v
    # the 3 n nd powers below are the kernel's main cost: one vectorised exp each
    size = n * nd
    arg = ff[_FF_ARG, :size]
    flat = ff[_FF_DIST, :size]
    us_tab = ff[_FF_US, :size]  # (0.5 - 0.5 d) ** r_i, then U_s
    uf_tab = ff[_FF_UF, :size]  # (0.5 + 0.5 d) ** r_i, then U_f
    for u in range(n):
        for h in range(nd):
            arg[u * nd + h] = r[u] * log_d[grp[u], h]
    _exp_nonpositive(arg, flat, kbuf)
    for u in range(n):
        for h in range(nd):
            dist[u, h] = flat[u * nd + h]  # (|x_u - x_h| / range) ** r_u
    p = f2[_F2_P]
    _probabilities(
        ws, grp, cnt, dist, lt, le, near, n, nd, prob_mode, f2[_F2_PREFIX], f2[_F2_NUM], p
    )
    for i in range(n):
        for h in range(nd):
            arg[i * nd + h] = r[i] * log_m[grp[i], h]
    _exp_nonpositive(arg, us_tab, kbuf)
    for i in range(n):
        for h in range(nd):
            arg[i * nd + h] = r[i] * log_p[grp[i], h]
    _exp_nonpositive(arg, uf_tab, kbuf)
    for k in range(size):
        us_tab[k] = 2.0 - 4.0 * us_tab[k]
        uf_tab[k] = 2.0 - 4.0 * uf_tab[k]
    usq_all = f1[_F_USQ]
    for i in range(n):
        arg[i] = r[i] * _LOG_HALF
    _exp_nonpositive(arg[:n], usq_all, kbuf)
    new = f1[_F_NEW]
    for i in range(n):
        new[i] = xs[i]
        gi = grp[i]
        usq = 2.0 - 4.0 * usq_all[i]
        best_rank = -1
        best_pos = 0.0
        best_key = 0.0
        for h in range(nd):
            if h == gi:
                continue
            us = us_tab[i * nd + h]
            uf = uf_tab[i * nd + h]
            pij = p[gi, h]
            pji = p[h, gi]
            bb = ss[i] * (pji * us + (1.0 - pji) * uf) + (1.0 - ss[i]) * us - q * usq
            if q < 1.0:
                bb -= (1.0 - q) * _bw(xd[h], xs[i], mu, rng, r[i], t)
            for j in range(first[h], first[h + 1]):
                a = ss[j] * (pij * us + (1.0 - pij) * uf) + (1.0 - ss[j]) * us - q * usq
                if q < 1.0:
                    a -= (1.0 - q) * _bw(xs[i], xd[h], mu, rng, r[i], t)
                if bb > a and a > 0.0:  # confrontation that i loses
                    kind = 0
                    pos = xd[h]
                elif bb > 0.0 and a < 0.0 and bb > -a:  # compromise
                    kind = 1
                    pos = xs[i] + (xd[h] - xs[i]) * (-a / bb)
                elif bb > 0.0 and a < 0.0:  # capitulation
                    kind = 2
                    pos = xd[h]
                else:
                    continue
                key = abs(pos - xs[i])
                rank = 0
                if offer_mode == 0:
                    # Scholz et al.: confrontation, then compromise, then capitulation;
                    # among compromises the smallest EU-weighted position
                    rank = kind
                    if kind == 1:
                        key = (abs(a) * xs[i] + abs(bb) * xd[h]) / (abs(a) + abs(bb))
                if best_rank < 0 or rank < best_rank or (rank == best_rank and key < best_key):
                    best_rank = rank
                    best_pos = pos
                    best_key = key
        if best_rank >= 0:
            new[i] = best_pos
    result = f1[_F_RESULT]
    for u in range(n):
        result[order[u]] = new[u]


@jit(error_model="numpy")
def _one_round(
    x: FloatArray,
    s: FloatArray,
    w: FloatArray,
    rng: float,
    q: float,
    t: float,
    prob_mode: int,
    offer_mode: int,
) -> FloatArray:  # pragma: no cover - compiled
    """One round on one issue (all actors have a stance): new positions. For tests."""
    n = x.shape[0]
    f1, f2, ff, i1, i2, kbuf = _workspace(n)
    for a in range(n):
        f1[_F_X, a] = x[a]
        f1[_F_S, a] = s[a]
        f1[_F_W, a] = w[a]
    _issue_round(n, rng, q, t, prob_mode, offer_mode, f1, f2, ff, i1, i2, kbuf)
    result: FloatArray = f1[_F_RESULT, :n].copy()
    return result


@jit(error_model="numpy")
def _bw(
    xi: float, xj: float, mu: float, rng: float, r: float, t: float
) -> float:  # pragma: no cover - compiled
    """``T U_b + (1 - T) U_w`` of the challenger at ``xi`` against ``xj`` (exponent ``r``)."""
    dm = min((abs(xi - mu) + abs(xi - xj)) / rng, 2.0)
    ub = 2.0 - 4.0 * (0.5 - 0.25 * dm) ** r
    uw = 2.0 - 4.0 * (0.5 + 0.25 * dm) ** r
    return float(t * ub + (1.0 - t) * uw)


#: exp(x) for x <= 0: x = k ln2 + f, |f| <= ln2/2; e^f by its Taylor polynomial to f^13
#: (error < 2e-16 relative), 2^k by building the float's exponent bits.
_LOG2E = 1.4426950408889634
_LN2_HI = 0.6931471803691238
_LN2_LO = 1.9082149292705877e-10
_LOG_HALF = -0.6931471805599453
_EXP_FLOOR = -700.0


@jit(error_model="numpy")
def _exp_nonpositive(
    x: FloatArray, out: FloatArray, kbuf: np.ndarray
) -> None:  # pragma: no cover - compiled
    """``out[k] = exp(x[k])`` for ``x[k] <= 0`` (``-inf`` allowed; below -700 gives 0).

    A branch-free loop that LLVM vectorises, about three times as fast as the scalar
    library ``exp`` here, and within 2e-16 of it (relative).
    """
    size = x.shape[0]
    for k in range(size):
        v = max(x[k], _EXP_FLOOR)
        m = np.floor(v * _LOG2E + 0.5)
        f = v - m * _LN2_HI - m * _LN2_LO
        poly = 1.0 / 6227020800.0
        poly = poly * f + 1.0 / 479001600.0
        poly = poly * f + 1.0 / 39916800.0
        poly = poly * f + 1.0 / 3628800.0
        poly = poly * f + 1.0 / 362880.0
        poly = poly * f + 1.0 / 40320.0
        poly = poly * f + 1.0 / 5040.0
        poly = poly * f + 1.0 / 720.0
        poly = poly * f + 1.0 / 120.0
        poly = poly * f + 1.0 / 24.0
        poly = poly * f + 1.0 / 6.0
        poly = poly * f + 0.5
        poly = poly * f + 1.0
        out[k] = poly * f + 1.0
        kbuf[k] = (np.int64(m) + 1023) << 52
    scale = kbuf.view(np.float64)
    for k in range(size):
        out[k] = out[k] * scale[k] if x[k] > _EXP_FLOOR else 0.0


@jit(error_model="numpy")
def _midpoint_counts(
    xs: FloatArray, xd: FloatArray, n: int, nd: int, lt: np.ndarray, le: np.ndarray
) -> None:  # pragma: no cover - compiled
    """For distinct positions ``g < h``: actors strictly below / at most at their midpoint."""
    for g in range(nd):
        below = 0
        at_most = 0
        for h in range(g + 1, nd):
            mid = 0.5 * (xd[g] + xd[h])
            while below < n and xs[below] < mid:
                below += 1
            while at_most < n and xs[at_most] <= mid:
                at_most += 1
            lt[g, h] = below
            le[g, h] = at_most


@jit(error_model="numpy")
def _nearest_order(xd: FloatArray, nd: int, near: np.ndarray) -> None:  # pragma: no cover
    """``near[g]``: the distinct positions ordered by distance from ``xd[g]``, O(nd) each."""
    for g in range(nd):
        left = g - 1
        right = g + 1
        near[g, 0] = g
        for u in range(1, nd):
            if left < 0:
                near[g, u] = right
                right += 1
            elif right >= nd or xd[g] - xd[left] <= xd[right] - xd[g]:
                near[g, u] = left
                left -= 1
            else:
                near[g, u] = right
                right += 1


@jit(error_model="numpy")
def _probabilities(
    w: FloatArray,
    grp: np.ndarray,
    cnt: np.ndarray,
    dist: FloatArray,
    lt: np.ndarray,
    le: np.ndarray,
    near: np.ndarray,
    n: int,
    nd: int,
    mode: int,
    prefix: FloatArray,
    num: FloatArray,
    p: FloatArray,
) -> None:  # pragma: no cover - compiled
    """``p[g, h]``: probability that an actor at distinct position ``g`` beats one at ``h``.

    Voter ``u`` (actors sorted by position) backs the nearer of the two with
    ``w_u (dist[u, h] - dist[u, g])``, ``dist[u, h] = (|x_u - x_h| / range) ** r_u``. The
    voters nearer ``g`` lie on its side of the midpoint, so each numerator is a difference
    of two prefix sums. The Scholz total over all ordered pairs of actors uses each voter's
    distances in increasing order: ``sum_{a,b} |D_a - D_b| = 2 sum_u D_(u) (2u - n + 1)``,
    summed by distinct position with its multiplicity.
    """
    for h in range(nd):  # prefix[h, u]: votes of the u leftmost voters on position h
        acc = 0.0
        prefix[h, 0] = 0.0
        for u in range(n):
            acc += w[u] * dist[u, h]
            prefix[h, u + 1] = acc
    for g in range(nd):
        num[g, g] = 0.0
        for h in range(g + 1, nd):
            u = lt[g, h]  # voters left of the midpoint back g (the lower position)
            num[g, h] = max(prefix[h, u] - prefix[g, u], 0.0)
            u = le[g, h]  # voters right of it back h
            num[h, g] = max((prefix[g, n] - prefix[g, u]) - (prefix[h, n] - prefix[h, u]), 0.0)
    for g in range(nd):
        for h in range(nd):
            p[g, h] = 0.0
    if mode == 0:
        total = 0.0
        for u in range(n):
            if w[u] == 0.0:
                continue
            acc = 0.0
            before = 0
            for k in range(nd):
                h = near[grp[u], k]
                c = cnt[h]
                acc += dist[u, h] * c * (2 * before + c - n)
                before += c
            total += w[u] * 2.0 * acc
        if total > 0.0:
            for g in range(nd):
                for h in range(nd):
                    p[g, h] = num[g, h] / total
    else:
        for g in range(nd):
            for h in range(nd):
                both = num[g, h] + num[h, g]
                if both > 0.0:
                    p[g, h] = num[g, h] / both
