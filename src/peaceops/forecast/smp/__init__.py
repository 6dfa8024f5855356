r"""Spatial model of politics with probabilistic Condorcet elections (KTAB's SMP).

Actors hold positions on several issues at once. Each turn every actor estimates, from its
own view of everyone's risk attitude, which rival it gains most from challenging; the pair
strikes a bargain interpolated between their positions (weighted by salience and win
probability); every actor then adopts the bargain in its queue that wins a probabilistic
Condorcet election among all actors. The forecast each turn is the distribution of a
capability-weighted Condorcet election over the actors' (distinct) positions.

This is a re-implementation of the KAPSARC Toolkit for Behavioral Analysis (KTAB) ``smpc``
model (Wise, Lester and Efird; MIT licence), checked turn by turn against KTAB's own log.
The step-by-step description, the correspondence with KTAB's source and every quirk kept
or refused are in ``docs/smp.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from peaceops._frames import FrameMixin
from peaceops.errors import ConvergenceError
from peaceops.forecast._core import (
    FloatArray,
    ForecastResult,
    NegotiationInput,
    Perturbation,
    raise_all,
)
from peaceops.forecast.smp.batch import SMPBatchResult, run_fast, smp_batch, smp_rounds_batch
from peaceops.forecast.smp.reference import run, unique_positions
from peaceops.forecast.smp.settings import (
    check_run_options,
    make_settings,
    prepare,
    schedule,
)

__all__ = [
    "SMPBatchResult",
    "SMPTrace",
    "smp_batch",
    "smp_forecast",
    "smp_rounds",
    "smp_rounds_batch",
    "smp_trace",
]

IntArray = npt.NDArray[np.int64]
Mode = Literal["ktab", "fast"]
Outcome = Literal["mean", "mode"]


def smp_rounds(
    data: NegotiationInput, *, rounds: int, perturbations: Sequence[Perturbation] = ()
) -> ForecastResult:
    """:func:`smp_forecast` (KTAB mode) in the round signature the registry shares.

    ``max_turns = rounds``; the model may not stop before its last scheduled change.

    Examples
    --------
    >>> import numpy as np
    >>> data = NegotiationInput(
    ...     actors=("a", "b", "c"), issues=("e",),
    ...     positions=np.array([[0.0], [50.0], [100.0]]), salience=np.full((3, 1), 0.5),
    ...     clout=np.ones(3), status_quo=np.array([np.nan]))
    >>> smp_rounds(data, rounds=3).trajectory.shape[1]
    1
    """
    min_turns = max([p.round for p in perturbations], default=1) + 1
    return smp_forecast(data, max_turns=rounds, min_turns=min_turns, perturbations=perturbations)


def smp_forecast(
    data: NegotiationInput,
    *,
    mode: Mode = "ktab",
    max_turns: int = 100,
    tol: float = 0.02,
    min_turns: int = 2,
    perturbations: Sequence[Perturbation] = (),
    outcome: Outcome = "mean",
    vote_rule: str = "proportional",
    victory_model: str = "linear",
    pce: str = "conditional",
    big_r_range: str = "mid",
    big_r_adjust: str = "one_third",
    third_party: str = "semi",
    interpolation: str = "s2p2",
    bargain_model: str = "init_only",
) -> ForecastResult:
    r"""Forecast a negotiation with KTAB's spatial model of politics.

    Positions :math:`\theta_i \in [0, 1]^m` (input / 100), saliences :math:`s_{ik}`,
    capabilities :math:`c_i`. With the salience-weighted distance and KTAB's utility

    .. math::

        d_i(y) = \sqrt{\frac{\sum_k s_{ik}^2 (\theta_{ik} - y_k)^2}{\sum_k s_{ik}^2}},
        \qquad u(d, R) = (1 - d)(1 + d R),

    each turn (i) infers risk attitudes :math:`R_i` from a capability-weighted Condorcet
    election over the actors' positions (likely winners risk averse), (ii) lets every actor
    challenge the rival of largest expected gain, estimated with third parties joining the
    side they prefer, (iii) interpolates a bargain between the two positions with weights
    :math:`s_{ik}^2 P^2` and :math:`s_{jk}^2 (1 - P)^2`, and (iv) moves every actor to the
    bargain in its queue (status quo included) that wins an election in which each actor
    values a bargain by its mean utility over all positions after it. The run stops when a
    turn's total movement falls under ``tol`` times the first turn's (after ``min_turns``),
    or after ``max_turns``.

    The forecast of a state is the conditional Condorcet election over its distinct
    positions (each actor voting with its capability and its own risk-aware utility):

    .. math::

        P(a) \propto \prod_b V(a, b), \qquad
        V(a, b) = \frac{C(a:b)}{C(a:b) + C(b:a)}, \qquad
        C(a:b) = 10^{-8} + \sum_k c_k \max(0, u_k(a) - u_k(b)).

    Parameters
    ----------
    data
        Positions on 0..100 (NaN = no stance), salience 0..1, clout > 0.
    mode
        ``"ktab"`` (default): the KTAB-literal numpy engine, no compilation, fine up to a
        few hundred actors. ``"fast"``: the compiled engine; identical results (bit for
        bit), 50-150 times faster per run, but the first call in a fresh environment
        compiles for 15-30 s (cached on disk afterwards when possible).
    max_turns
        Most turns to run (KTAB: 100).
    tol
        Stop when a turn's movement (sum over actors of the Euclidean change of position,
        0..1 scale) is below ``tol`` times the first turn's movement plus :math:`10^{-4}`
        (KTAB: 0.02).
    min_turns
        Fewest turns before the stop rule may apply (KTAB: 2).
    perturbations
        Scheduled input changes; one at ``round`` r is applied at the start of turn r
        (positions replace both position and ideal point). The run does not stop before the
        last scheduled turn.
    outcome
        What the trajectory reports per state: ``"mean"`` (default), the
        probability-weighted mean of the distinct positions, or ``"mode"``, the most
        probable position.
    vote_rule, victory_model, pce
        KTAB's ``VotingRule`` (``"proportional"``), ``VPModel`` (``"linear"``) and
        ``PCEModel`` (``"conditional"``); see
        :func:`peaceops.forecast.smp.election.condorcet_election`.
    big_r_range
        Range of inferred risk attitudes: ``"mid"`` :math:`[-1/2, 1]` (default), ``"min"``
        :math:`[0, 1]`, ``"max"`` :math:`[-1, 1]`.
    big_r_adjust
        How h perceives i's attitude: ``"one_third"`` :math:`(2R_h + R_i)/3` (default),
        ``"full"`` :math:`R_i`, ``"two_thirds"``, ``"half"``, ``"none"`` :math:`R_h`.
    third_party
        Third-party commitment: ``"semi"`` (default; a third party that backed the loser
        also moves), ``"full"`` or ``"none"``.
    interpolation
        Bargain weights: ``"s2p2"`` (default), ``"s1p1"`` (:math:`s P`) or ``"s2pmax"``.
    bargain_model
        ``"init_only"`` (default: the initiator's bargain enters both queues),
        ``"init_rcvr"`` (the target's view of the bargain too) or ``"pw_comp"`` (their
        capability-and-salience weighted compromise).

    Returns
    -------
    ForecastResult
        ``model="smp"``; ``trajectory`` ``(turns + 1, m)`` on 0..100, ``positions``
        ``(turns + 1, n, m)``; ``support`` ``(m, n)`` the final positions of the actors and
        ``distribution`` ``(m, n)`` their election probabilities (actors sharing a position
        split its probability; each row sums to one). ``details``: ``turns``,
        ``converged`` (1.0 when the stop rule held, 0.0 when ``max_turns`` ended the run),
        ``change_ratio`` (last turn's movement over the first's), ``n_positions``
        (distinct final positions) and ``p_mode`` (probability of the most likely one).

    Raises
    ------
    ScenarioError
        If a position is outside 0..100, a salience outside 0..1, a clout not finite and
        > 0, an option unknown, or a perturbation malformed or scheduled outside
        ``1..max_turns``.
    ConvergenceError
        If a Markov election (``pce="markov_*"``) does not settle.

    See Also
    --------
    smp_trace : the same run with every turn's risk attitudes, challenges and bargains.
    smp_batch : many runs at once (compiled, parallel).
    peaceops.forecast.smp.election.condorcet_election : the election on its own.

    Notes
    -----
    KTAB's reference log of ``dummyData_3Dim.csv`` (7 actors, 3 issues, default options) is
    reproduced turn by turn: positions to :math:`10^{-13}`, the "prob" lines, risk
    attitudes and challenge targets; 10 turns in both. The run is deterministic (KTAB's
    PRNG seed only matters for its stochastic state transitions, not implemented here), so
    there is no ``seed``. Deviations from KTAB, all outside its default path or where KTAB
    aborts:

    * issues where every actor is at 0 or 100 run (KTAB asserts that risk changes
      utilities, which fails when every distance is 0 or 1); when all election
      probabilities are equal the actors are risk neutral (KTAB divides 0 by 0);
    * an actor whose saliences sum to more than one is rescaled to sum to one (KTAB's
      reader rejects it); one with no salience is indifferent (KTAB asserts);
    * a missing position (NaN) is filled with the clout-and-salience weighted mean of the
      stated positions on that issue (the status quo, then 50, if nobody states one); its
      salience is zero, so the actor does not care about that issue;
    * for ``"init_rcvr"`` and ``"pw_comp"`` the target's view uses its estimate of the win
      probability (KTAB passes the expected gain instead) and ``"pw_comp"`` weighs the
      target with its own capability (KTAB uses the initiator's).

    Ties between bargains are broken in favour of the earlier one in the queue: status quo
    first, then bargains in the order of their initiators. Cost per turn
    :math:`O(n^3 + n^2 m)` time and :math:`O(n^2)` memory (KTAB: :math:`O(n^4)`); 80 actors
    on one issue converge in about 2 s (``"ktab"``) or 0.03 s (``"fast"``); see
    ``benchmarks/results/smp.md``.

    References
    ----------
    .. [1] Wise, B. P., Lester, L. and Efird, B. (2015). *An Introduction to the KAPSARC
       Toolkit for Behavioral Analysis (KTAB)*. KAPSARC Discussion Paper, Riyadh.
       https://www.kapsarc.org/research/publications/an-introduction-to-the-kapsarc-toolkit-for-behavioral-analysis-ktab/
    .. [2] Wise, B. P., Lester, L. and Efird, B. (2016). *Multidimensional Bargaining using
       KTAB*. KAPSARC Discussion Paper, Riyadh.
       https://www.kapsarc.org/research/publications/multidimensional-bargaining-using-ktab/
    .. [3] KAPSARC (2015-2019). KTAB: KAPSARC Toolkit for Behavioral Analysis, C++ source,
       MIT licence, ``examples/smp/libsrc/smp.cpp``, ``smpbcn.cpp``, ``smpread.cpp`` and
       ``kmodel/libsrc/kmodel.cpp`` (reference log of ``smpc 0.1``, 30 May 2017).
       https://github.com/KAPSARC/KTAB

    Examples
    --------
    Three actors on one issue. ``b`` and ``c`` strike a bargain and meet at 61.3 while
    ``a`` barely moves; ``a`` has most capability, yet its position wins the final
    election with probability 0.32 only: the likely winner is inferred to be risk averse
    (:math:`R = 1`) and so values the gap less than its risk-seeking rivals do.

    >>> import numpy as np
    >>> from peaceops.forecast._core import NegotiationInput
    >>> data = NegotiationInput(
    ...     actors=("a", "b", "c"), issues=("budget",),
    ...     positions=np.array([[20.0], [60.0], [90.0]]),
    ...     salience=np.array([[0.9], [0.6], [0.5]]),
    ...     clout=np.array([3.0, 1.0, 1.0]), status_quo=np.array([np.nan]))
    >>> res = smp_forecast(data)
    >>> res.details["turns"], [round(float(v), 1) for v in res.trajectory[:, 0]]
    (2.0, [50.5, 48.5, 48.5])
    >>> [round(float(v), 2) for v in res.support[0]]
    [20.96, 61.33, 61.33]
    >>> [round(float(p), 3) for p in res.distribution[0]]  # b and c split their position's
    [0.318, 0.341, 0.341]
    """
    problems = check_run_options(mode, outcome, max_turns, tol, min_turns)
    settings = make_settings(
        problems,
        vote_rule,
        victory_model,
        pce,
        big_r_range,
        big_r_adjust,
        third_party,
        interpolation,
        bargain_model,
    )
    x, s, c = prepare(data, problems)
    sched = schedule(perturbations, data, max_turns, problems)
    raise_all(problems)
    if mode == "ktab":
        tr = run(x, s, c, settings, max_turns=max_turns, min_turns=min_turns, tol=tol, sched=sched)
        if tr.failed:
            raise ConvergenceError(
                "Markov election did not settle", iterations=100_000, tolerance=1e-6
            )
        turns = len(tr.ratio)
        pos = np.array(tr.positions)
        traj = np.array(tr.mean if outcome == "mean" else tr.mode)
        p_final = tr.p_actor[-1]
        converged, ratio = tr.converged, (tr.ratio[-1] if tr.ratio else 0.0)
    else:
        out = run_fast(
            x[None], s[None], c[None], settings, max_turns, tol, min_turns, sched, True, 1
        )
        turns = int(out.n_turns[0])
        if out.failed[0]:
            raise ConvergenceError(
                "Markov election did not settle", iterations=100_000, tolerance=1e-6
            )
        assert out.positions is not None
        pos = out.positions[0, : turns + 1]
        traj = (out.mean if outcome == "mean" else out.mode)[0, : turns + 1]
        p_final = out.p[0]
        converged, ratio = bool(out.converged[0]), float(out.ratio[0])
    final = pos[-1]
    uniq = _distinct(final)
    return ForecastResult(
        model="smp",
        issues=data.issues,
        trajectory=traj * 100.0,
        positions=pos * 100.0,
        distribution=np.repeat(p_final[None, :], len(data.issues), axis=0),
        support=final.T * 100.0,
        details={
            "turns": float(turns),
            "converged": 1.0 if converged else 0.0,
            "change_ratio": float(ratio),
            "n_positions": float(uniq),
            "p_mode": float(_p_mode(final, p_final)),
        },
    )


@dataclass(frozen=True)
class SMPTrace(FrameMixin):
    """Every turn of one KTAB-literal run (see :func:`smp_trace`).

    Attributes
    ----------
    actors, issues
        Ids, lengths ``n`` and ``m``.
    positions
        ``(turns + 1, n, m)`` positions on 0..100; row 0 is the input (filled where NaN).
    risk
        ``(turns + 1, n)`` inferred risk attitudes :math:`R_i` of each state.
    p_position
        ``(turns + 1, n)`` probability that the actor's position wins the state's election,
        as KTAB prints it ("prob" lines): actors sharing a position each show its full
        probability, so a row can sum to more than one.
    p_actor
        ``(turns + 1, n)`` the same, split evenly among actors sharing a position (rows sum
        to one).
    mean, mode
        ``(turns + 1, m)`` probability-weighted mean and most probable position (0..100).
    target
        ``(turns, n)`` whom each actor challenged in each turn (-1: nobody).
    p_win, gain
        ``(turns, n)`` the challenger's estimate of its win probability and expected gain.
    adopted
        ``(turns, n)`` initiator of the bargain each actor adopted (-1: it kept its position).
    change_ratio
        ``(turns,)`` each turn's movement over the first turn's (the stop rule's ratio).
    converged
        Whether the stop rule ended the run (else ``max_turns`` did).
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    positions: FloatArray
    risk: FloatArray
    p_position: FloatArray
    p_actor: FloatArray
    mean: FloatArray
    mode: FloatArray
    target: IntArray
    p_win: FloatArray
    gain: FloatArray
    adopted: IntArray
    change_ratio: FloatArray
    converged: bool

    @property
    def turns(self) -> int:
        """Number of turns run."""
        return int(self.change_ratio.shape[0])

    def to_rows(self) -> list[dict[str, object]]:
        """One row per state and actor: positions, risk, probability, challenge of the turn
        that led to the state (``None`` for the initial state)."""
        rows: list[dict[str, object]] = []
        for t in range(self.turns + 1):
            for i, actor in enumerate(self.actors):
                row: dict[str, object] = {"turn": t, "actor": actor}
                for k, issue in enumerate(self.issues):
                    row[f"position[{issue}]"] = float(self.positions[t, i, k])
                row["risk"] = float(self.risk[t, i])
                row["p_position"] = float(self.p_position[t, i])
                if t == 0:
                    row["target"], row["p_win"], row["gain"], row["adopted"] = (None,) * 4
                else:
                    tgt, adp = int(self.target[t - 1, i]), int(self.adopted[t - 1, i])
                    row["target"] = self.actors[tgt] if tgt >= 0 else None
                    row["p_win"] = float(self.p_win[t - 1, i]) if tgt >= 0 else None
                    row["gain"] = float(self.gain[t - 1, i]) if tgt >= 0 else None
                    row["adopted"] = self.actors[adp] if adp >= 0 else None
                rows.append(row)
        return rows


def smp_trace(
    data: NegotiationInput,
    *,
    max_turns: int = 100,
    tol: float = 0.02,
    min_turns: int = 2,
    perturbations: Sequence[Perturbation] = (),
    vote_rule: str = "proportional",
    victory_model: str = "linear",
    pce: str = "conditional",
    big_r_range: str = "mid",
    big_r_adjust: str = "one_third",
    third_party: str = "semi",
    interpolation: str = "s2p2",
    bargain_model: str = "init_only",
) -> SMPTrace:
    """Run the KTAB-literal engine and keep every turn's intermediate results.

    The options are those of :func:`smp_forecast`; the run is the same as its
    ``mode="ktab"`` (and ``"fast"``) run. Use it to compare with a KTAB log or to explain a
    forecast: who challenged whom, with what estimated chance and gain, and which bargain
    each actor adopted.

    Parameters
    ----------
    data
        As for :func:`smp_forecast`.
    max_turns, tol, min_turns, perturbations
        As for :func:`smp_forecast`.
    vote_rule, victory_model, pce, big_r_range
        As for :func:`smp_forecast`.
    big_r_adjust, third_party, interpolation, bargain_model
        As for :func:`smp_forecast`.

    Returns
    -------
    SMPTrace
        Positions, risk attitudes and election probabilities of every state; targets,
        estimated win probabilities and gains, and adopted bargains of every turn.

    Raises
    ------
    ScenarioError
        As :func:`smp_forecast`.
    ConvergenceError
        If a Markov election does not settle.

    See Also
    --------
    smp_forecast : the forecast alone.

    Notes
    -----
    ``p_position`` follows KTAB's ``State::posProb``: positions closer than 0.1 (on 0..100)
    are one option, and an actor close to several representatives takes the last one's
    probability (possible only when closeness is not transitive).

    References
    ----------
    .. [1] KAPSARC (2015-2019). KTAB, ``examples/smp/libsrc/smpbcn.cpp`` (``doBCN``,
       ``probEduChlg``, ``bestChallenge``) and ``kmodel/libsrc/kstate.cpp``
       (``posProb``). https://github.com/KAPSARC/KTAB

    Examples
    --------
    >>> import numpy as np
    >>> from peaceops.forecast._core import NegotiationInput
    >>> data = NegotiationInput(
    ...     actors=("a", "b", "c"), issues=("budget",),
    ...     positions=np.array([[20.0], [60.0], [90.0]]),
    ...     salience=np.array([[0.9], [0.6], [0.5]]),
    ...     clout=np.array([3.0, 1.0, 1.0]), status_quo=np.array([np.nan]))
    >>> tr = smp_trace(data)
    >>> [tr.actors[j] for j in tr.target[0]]  # first turn: a and b challenge c, c challenges b
    ['c', 'c', 'b']
    >>> [tr.actors[j] for j in tr.adopted[0]]  # b takes c's bargain with it, c its own
    ['a', 'c', 'c']
    >>> [round(float(v), 2) for v in tr.positions[1, :, 0]]
    [20.96, 61.33, 61.33]
    """
    problems = check_run_options("ktab", "mean", max_turns, tol, min_turns)
    settings = make_settings(
        problems,
        vote_rule,
        victory_model,
        pce,
        big_r_range,
        big_r_adjust,
        third_party,
        interpolation,
        bargain_model,
    )
    x, s, c = prepare(data, problems)
    sched = schedule(perturbations, data, max_turns, problems)
    raise_all(problems)
    tr = run(x, s, c, settings, max_turns=max_turns, min_turns=min_turns, tol=tol, sched=sched)
    if tr.failed:
        raise ConvergenceError("Markov election did not settle", iterations=100_000, tolerance=1e-6)
    n = x.shape[0]
    empty_i = np.zeros((0, n), dtype=np.int64)
    return SMPTrace(
        actors=data.actors,
        issues=data.issues,
        positions=np.array(tr.positions) * 100.0,
        risk=np.array(tr.risk),
        p_position=np.array(tr.p_ktab),
        p_actor=np.array(tr.p_actor),
        mean=np.array(tr.mean) * 100.0,
        mode=np.array(tr.mode) * 100.0,
        target=np.array(tr.targets, dtype=np.int64) if tr.targets else empty_i,
        p_win=np.array(tr.p_win) if tr.p_win else np.zeros((0, n)),
        gain=np.array(tr.gain) if tr.gain else np.zeros((0, n)),
        adopted=np.array(tr.chosen, dtype=np.int64) if tr.chosen else empty_i,
        change_ratio=np.array(tr.ratio),
        converged=tr.converged,
    )


# ---------------------------------------------------------------------------------------
# Summaries


def _distinct(x: FloatArray) -> int:
    """Number of distinct positions (closer than 0.1 on 0..100 counts as one)."""
    return int(unique_positions(x)[0].size)


def _p_mode(x: FloatArray, p_actor: FloatArray) -> float:
    """Probability of the most probable distinct position."""
    _, cls, _ = unique_positions(x)
    return float(np.bincount(cls, weights=p_actor).max())
