r"""Exact power indices of a simple game: Shapley-Shubik, Banzhaf, Holler, Deegan-Packel, Johnston.

For a simple game on ``n`` players with winning coalitions :math:`\mathcal{W}`, player ``i``
*swings* coalition :math:`S \not\ni i` when ``S`` loses and :math:`S \cup \{i\}` wins; ``i`` is
*critical* in a winning ``S`` when :math:`S \setminus \{i\}` loses; ``S`` is *minimal winning*
when all its members are critical (the set :math:`\mathcal{M}`).

.. math::

    \mathrm{SS}_i &= \sum_{S \text{ swung by } i} \frac{|S|!\,(n - |S| - 1)!}{n!}
    &&\text{probability that } i \text{ is pivotal in a random order [1]}\\
    \mathrm{B}_i &= \eta_i / 2^{n-1}, \quad \eta_i = \#\{S \text{ swung by } i\}
    &&\text{absolute (Penrose) Banzhaf [2, 3]}\\
    \mathrm{NB}_i &= \eta_i \Big/ \sum_j \eta_j &&\text{normalized Banzhaf [3]}\\
    \mathrm{PGI}_i &= \#\{S \in \mathcal{M} : i \in S\} \Big/ \sum_j \#\{S \in \mathcal{M} :
    j \in S\} &&\text{Holler public good index [4]}\\
    \mathrm{DP}_i &= \frac{1}{|\mathcal{M}|} \sum_{S \in \mathcal{M},\, i \in S} \frac{1}{|S|}
    &&\text{Deegan-Packel [5]}\\
    \mathrm{J}_i &= \frac{1}{|\mathcal{W}^*|} \sum_{S \in \mathcal{W}^*,\, i \in C(S)}
    \frac{1}{|C(S)|} &&\text{Johnston [6]}

where :math:`C(S)` is the set of critical players of ``S`` and :math:`\mathcal{W}^*` the winning
coalitions with at least one. Every value is an exact :class:`fractions.Fraction`.

Engines (``method``), chosen through :data:`METHODS`:

``"dp"``
    Generating functions over (coalition size, weight), counted modulo primes and recombined
    exactly (:mod:`peaceops.power._dense`): for threshold games with small integer weights.
    Time :math:`O(m^2 Q)` for Banzhaf and Shapley-Shubik (:math:`O(mQ)` for Banzhaf alone on a
    pure weighted game), :math:`O(m^2 (Q + w_{max}))` per prime for Holler, Deegan-Packel and
    Johnston (:math:`O(mQ)` for Holler alone on a pure weighted game), with ``m`` free
    players and ``Q`` the largest quota.
``"mitm"``
    The same (size, weight) states enumerated on two halves of the players and combined by
    sorted search (:mod:`peaceops.power._mitm`): for threshold games with large weights, such
    as populations, up to 34 free players. Time :math:`O(2^{m/2} m^2 \log)`.
``"enumerate"``
    All :math:`2^m` coalitions of the free players (:mod:`peaceops.power._enumerate`): any
    rule, including two or more weight criteria; up to 30 free players.
``"auto"``
    ``"dp"`` when its tables are small, else ``"mitm"``, else ``"enumerate"``.

Veto and consent players are conditioned on, never enumerated: a winning coalition is
:math:`R \cup T` with ``R`` the required players, and only ``T`` is counted.

References
----------
.. [1] Shapley, L. S., and Shubik, M. (1954). A method for evaluating the distribution of
   power in a committee system. *American Political Science Review*, 48(3), 787-792.
   https://doi.org/10.2307/1951053
.. [2] Penrose, L. S. (1946). The elementary statistics of majority voting. *Journal of the
   Royal Statistical Society*, 109(1), 53-57. https://doi.org/10.2307/2981392
.. [3] Banzhaf, J. F. (1965). Weighted voting doesn't work: a mathematical analysis.
   *Rutgers Law Review*, 19(2), 317-343.
.. [4] Holler, M. J. (1982). Forming coalitions and measuring voting power. *Political
   Studies*, 30(2), 262-271. https://doi.org/10.1111/j.1467-9248.1982.tb00537.x
.. [5] Deegan, J., and Packel, E. W. (1978). A new index of power for simple n-person games.
   *International Journal of Game Theory*, 7(2), 113-123. https://doi.org/10.1007/BF01753239
.. [6] Johnston, R. J. (1978). On the measurement of power: some reactions to Laver.
   *Environment and Planning A*, 10(8), 907-914. https://doi.org/10.1068/a100907

Examples
--------
The UN Security Council since 1966, nine of fifteen votes including the five permanent
members (Shapley and Shubik's 1954 method on the enlarged council):

>>> from peaceops.power import weighted_game
>>> res = power_indices(weighted_game([7] * 5 + [1] * 10, 39), indices=("shapley_shubik",))
>>> res.shapley_shubik[0], res.shapley_shubik[-1]
(Fraction(421, 2145), Fraction(4, 2145))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from fractions import Fraction

from peaceops.errors import InfeasibleError, Problem, ScenarioError
from peaceops.power._counts import Counts
from peaceops.power._dense import dense_cells, dense_counts
from peaceops.power._enumerate import MAX_ENUMERATE, enumerate_counts
from peaceops.power._mitm import MAX_MITM, mitm_counts, mitm_work
from peaceops.power._reduce import Reduced, reduce_game
from peaceops.power.games import SimpleGame
from peaceops.power.result import ALL_INDICES, PowerResult

__all__ = ["METHODS", "power_indices"]

#: The engines behind ``method=``; ``"auto"`` picks one of them per game.
METHODS: dict[str, Callable[[Reduced, frozenset[str]], Counts]] = {
    "dp": dense_counts,
    "enumerate": enumerate_counts,
    "mitm": mitm_counts,
}

#: Largest dense table (cells) the ``"dp"`` engine accepts; ``"auto"`` prefers smaller ones.
DENSE_MAX_CELLS = 100_000_000
_DENSE_AUTO_CELLS = 30_000_000
_AUTO_ENUMERATE = 25
_INT64_SAFE = 1 << 62


def power_indices(
    game: SimpleGame,
    *,
    indices: Iterable[str] = ALL_INDICES,
    method: str = "auto",
) -> PowerResult:
    """Exact power indices of every player of ``game`` (definitions in the module docstring).

    Parameters
    ----------
    game
        The decision rule.
    indices
        Which of :data:`~peaceops.power.result.ALL_INDICES` to compute (default all). Swings,
        the numbers of winning and minimal winning coalitions, veto players and dummies are
        always reported.
    method
        ``"auto"``, or a key of :data:`METHODS`: ``"dp"``, ``"mitm"``, ``"enumerate"``.

    Returns
    -------
    PowerResult
        Exact fractions, in the order of ``game.players``.

    Raises
    ------
    ScenarioError
        An unknown index or method, or a method that does not apply to this kind of game
        (``"dp"`` and ``"mitm"`` need at most one weight criterion that is not a member count).
    InfeasibleError
        The game is too large for the chosen (or any) exact method: the message gives the size
        and the limit.

    Notes
    -----
    The numbers are exact; see :mod:`peaceops.power._dense` for the counting modulo primes.
    Floats appear only in :meth:`PowerResult.to_rows` and :meth:`PowerResult.as_float`.

    Examples
    --------
    Weights (2, 1, 1), quota 3: A is needed in every winning coalition ({A, B}, {A, C},
    {A, B, C}), B and C only in one each. A pivots in 4 of the 6 orders (all but those where it
    comes first), so its Shapley-Shubik index is 2/3; its 3 swings against 1 and 1 give a
    normalized Banzhaf index of 3/5.

    >>> from peaceops.power import weighted_game
    >>> r = power_indices(weighted_game([2, 1, 1], 3, players=["A", "B", "C"]))
    >>> [str(v) for v in r.index("shapley_shubik")]
    ['2/3', '1/6', '1/6']
    >>> [str(v) for v in r.index("normalized_banzhaf")]
    ['3/5', '1/5', '1/5']
    """
    want = frozenset(indices)
    problems: list[Problem] = []
    unknown = sorted(want - set(ALL_INDICES))
    if unknown:
        problems.append(
            Problem("<input>", None, "indices", f"unknown {unknown!r}; choose from {ALL_INDICES}")
        )
    if method != "auto" and method not in METHODS:
        problems.append(
            Problem(
                "<input>", None, "method", f"unknown {method!r}; choose 'auto' or {sorted(METHODS)}"
            )
        )
    if problems:
        raise ScenarioError(problems)
    red = reduce_game(game)
    chosen = _choose(red, want) if method == "auto" else method
    _check_applicable(red, want, chosen)
    counts = METHODS[chosen](red, want) if red.m > 0 else _all_required(red)
    return _assemble(game, red, counts, want)


def _choose(red: Reduced, want: frozenset[str]) -> str:
    if red.theta is not None:
        cells = dense_cells(red, want)
        if cells <= _DENSE_AUTO_CELLS and red.m * cells <= mitm_work(red):
            return "dp"
        if red.m <= MAX_MITM and red.total_weight < _INT64_SAFE:
            return "mitm"
        if cells <= DENSE_MAX_CELLS:
            return "dp"
    elif red.m <= _AUTO_ENUMERATE:
        return "enumerate"
    raise InfeasibleError(
        f"no exact method fits this game: {red.m} free players, "
        + (
            f"dense table of {dense_cells(red, want):,} cells (limit {DENSE_MAX_CELLS:,})"
            if red.theta is not None
            else f"two or more weight criteria and more than {_AUTO_ENUMERATE} free players"
        ),
        conflicts=("exact computation", "game size"),
    )


def _check_applicable(red: Reduced, want: frozenset[str], method: str) -> None:
    if method in ("dp", "mitm") and red.theta is None:
        raise ScenarioError(
            [
                Problem(
                    "<input>",
                    None,
                    "method",
                    f"{method!r} needs at most one weight criterion besides member counts; "
                    "this game has more: use 'enumerate' or 'auto'",
                )
            ]
        )
    if method == "dp" and dense_cells(red, want) > DENSE_MAX_CELLS:
        raise InfeasibleError(
            f"the dense tables would need {dense_cells(red, want):,} cells "
            f"(limit {DENSE_MAX_CELLS:,}); use method='mitm' or 'auto'",
            conflicts=("method='dp'", "weights too large"),
        )
    if method == "mitm" and red.m > MAX_MITM:
        raise InfeasibleError(
            f"method='mitm' handles up to {MAX_MITM} free players, this game has {red.m}",
            conflicts=("method='mitm'", "number of players"),
        )
    if method == "mitm" and red.total_weight >= _INT64_SAFE:
        raise InfeasibleError(
            f"method='mitm' adds weights in 64-bit integers; the free players' total weight "
            f"{red.total_weight} exceeds 2**62",
            conflicts=("method='mitm'", "weights above 2**62"),
        )
    if method == "enumerate" and red.m > MAX_ENUMERATE:
        raise InfeasibleError(
            f"method='enumerate' handles up to {MAX_ENUMERATE} free players "
            f"(2^{MAX_ENUMERATE} coalitions), this game has {red.m}",
            conflicts=("method='enumerate'", "number of players"),
        )


def _all_required(red: Reduced) -> Counts:
    """Every player is required: only the grand coalition wins (validated to)."""
    return Counts(
        method="dp",
        winning_total=1,
        winning_by_size=(1,),
        minimal_total=1,
        minimal_by_size=(1,),
        swings={},
        swings_by_size={},
        holler={},
        deegan_packel={},
        johnston={},
        critical_by_count=(1,),
    )


def _assemble(game: SimpleGame, red: Reduced, counts: Counts, want: frozenset[str]) -> PowerResult:
    n, r = red.n, red.r
    req = set(red.required)
    swings = tuple(counts.winning_total if i in req else counts.swings[i] for i in range(n))
    total_swings = sum(swings)
    values: dict[str, tuple[Fraction, ...]] = {}
    if "banzhaf" in want:
        values["banzhaf"] = tuple(Fraction(s, 2 ** (n - 1)) for s in swings)
    if "normalized_banzhaf" in want:
        values["normalized_banzhaf"] = tuple(Fraction(s, total_swings) for s in swings)
    if "shapley_shubik" in want:
        values["shapley_shubik"] = _shapley_shubik(red, counts)
    if "holler" in want:
        assert counts.holler is not None
        raw = [counts.minimal_total if i in req else counts.holler[i] for i in range(n)]
        values["holler"] = tuple(Fraction(v, sum(raw)) for v in raw)
    if "deegan_packel" in want:
        assert counts.deegan_packel is not None
        assert counts.minimal_by_size is not None
        own = sum(
            (Fraction(c, r + k) for k, c in enumerate(counts.minimal_by_size) if c),
            Fraction(0),
        )
        values["deegan_packel"] = tuple(
            (own if i in req else counts.deegan_packel[i]) / counts.minimal_total for i in range(n)
        )
    if "johnston" in want:
        assert counts.johnston is not None
        assert counts.critical_by_count is not None
        by_c = list(counts.critical_by_count)
        by_c[0] = counts.winning_total - sum(by_c[1:])
        own = sum((Fraction(v, c + r) for c, v in enumerate(by_c) if v and c + r), Fraction(0))
        total = sum(v for c, v in enumerate(by_c) if c + r)
        values["johnston"] = tuple(
            (own if i in req else counts.johnston[i]) / total for i in range(n)
        )
    return PowerResult(
        players=game.players,
        method=counts.method,
        n_winning=counts.winning_total,
        n_minimal_winning=counts.minimal_total,
        swings=swings,
        veto_players=_veto_players(game),
        dummies=tuple(p for p, s in zip(game.players, swings, strict=True) if s == 0),
        **values,
    )


def _shapley_shubik(red: Reduced, counts: Counts) -> tuple[Fraction, ...]:
    n, r = red.n, red.r
    assert counts.winning_by_size is not None
    assert counts.swings_by_size is not None
    fact = [math.factorial(k) for k in range(n + 1)]
    out: list[Fraction] = []
    req = set(red.required)
    for i in range(n):
        if i in req:
            # S before i joins: the other r - 1 required players and a winning T
            num = sum(
                c * fact[r - 1 + k] * fact[n - r - k] for k, c in enumerate(counts.winning_by_size)
            )
        else:
            num = sum(
                c * fact[r + k] * fact[n - r - k - 1]
                for k, c in enumerate(counts.swings_by_size[i])
            )
        out.append(Fraction(num, fact[n]))
    return tuple(out)


def _veto_players(game: SimpleGame) -> tuple[str, ...]:
    """Players whose departure from the grand coalition makes it lose."""
    required = set(game.required)
    blocking_saves = game.max_against is not None and game.max_against >= 1
    totals = [sum(c.weights) for c in game.criteria]
    return tuple(
        p
        for i, p in enumerate(game.players)
        if p in required
        or (
            not blocking_saves
            and any(t - c.weights[i] < c.quota for t, c in zip(totals, game.criteria, strict=True))
        )
    )
