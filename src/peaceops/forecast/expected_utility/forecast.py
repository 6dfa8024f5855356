"""Single run of the expected-utility model (Bueno de Mesquita 1994; Scholz et al. 2011)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from peaceops.forecast._core import (
    ForecastResult,
    NegotiationInput,
    Perturbation,
    apply_perturbation,
    check_input,
    check_perturbations,
)
from peaceops.forecast.expected_utility._checks import (
    ForecastRule,
    OfferRule,
    ProbabilityRule,
    _chunks,
    _options,
    _spread,
)
from peaceops.forecast.expected_utility._kernel import _round_batch, _summaries

__all__ = ["expected_utility_forecast"]


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
    OptionError (a ScenarioError, so also a ValueError)
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
    check_input(data)
    n, m = data.positions.shape
    pert = check_perturbations(perturbations, data.positions.shape)
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
            apply_perturbation(p, X[0], S[0], C[0])
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
