r"""Condition a simple game on its required players and find its threshold structure.

Every engine works on the *free* players :math:`M = N \setminus R` (``R`` the required players,
``r = |R|``): a winning coalition is :math:`S = R \cup T` with :math:`T \subseteq M`. A criterion
whose weights are equal on ``M`` (a member count, or a vector that only the required players
make uneven) depends on :math:`|T|` alone; when at most one criterion remains that truly depends
on the weights, the game is a *threshold game*:

.. math::

    T \text{ wins} \iff w(T) \ge \theta(|T|), \qquad \theta(0) \ge \theta(1) \ge \dots \ge
    \theta(m),

where :math:`\theta(k) = \infty` when no ``k``-coalition wins, and :math:`\theta(k) = 0` once the
blocking clause makes every ``k``-coalition win. Weighted, count-quota, veto, unanimity and
consent games and the EU Council's rule are all threshold games; the dense and split engines
need that form, enumeration does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from peaceops.power.games import SimpleGame

__all__ = ["Reduced", "reduce_game"]

#: Stands for an infinite threshold in integer arrays.
INF = 1 << 62


@dataclass(frozen=True)
class Reduced:
    """A game conditioned on its required players.

    Attributes
    ----------
    n
        Number of players.
    required
        Original indices of the required players.
    free
        Original indices of the free players, in engine order (weight descending, then index,
        for threshold games; original order otherwise).
    crit_weights, crit_residual
        Every criterion restricted to the free players (engine order) and its quota minus the
        required players' weight (may be ``<= 0``: already met).
    max_against
        As in :class:`~peaceops.power.games.SimpleGame`.
    weights, theta
        For threshold games: the free players' weights on the one weight-dependent criterion
        (divided by their gcd; zeros when there is none) and :math:`\\theta(0..m)` with
        :data:`INF` for infinity. ``None`` when two or more criteria depend on the weights.
    """

    n: int
    required: tuple[int, ...]
    free: tuple[int, ...]
    crit_weights: tuple[tuple[int, ...], ...]
    crit_residual: tuple[int, ...]
    max_against: int | None
    weights: tuple[int, ...] | None
    theta: tuple[int, ...] | None

    @property
    def r(self) -> int:
        """Number of required players."""
        return len(self.required)

    @property
    def m(self) -> int:
        """Number of free players."""
        return len(self.free)

    @property
    def total_weight(self) -> int:
        """Sum of the free players' weights (threshold games)."""
        return sum(self.weights or ())

    @property
    def max_finite_theta(self) -> int:
        """Largest finite threshold (at least 1)."""
        finite = [t for t in self.theta or () if t < INF]
        return max([1, *finite])


def reduce_game(game: SimpleGame) -> Reduced:
    """Condition ``game`` on its required players; detect a threshold game."""
    n = game.n_players
    req_set = {game.index_of(p) for p in game.required}
    required = tuple(sorted(req_set))
    free0 = [i for i in range(n) if i not in req_set]
    m = len(free0)
    r = len(required)
    weight_dep: list[int] = []
    size_min = 0  # smallest |T| meeting every count-like criterion
    never = False  # a criterion no coalition meets (only the blocking clause can win)
    for c, crit in enumerate(game.criteria):
        residual = crit.quota - sum(crit.weights[i] for i in required)
        if residual <= 0:  # met by the required players alone
            continue
        ws = {crit.weights[i] for i in free0}
        if len(ws) > 1:
            weight_dep.append(c)
            continue
        v = ws.pop() if ws else 0
        if v == 0:
            never = True
        else:
            size_min = max(size_min, -(-residual // v))
    if size_min > m:
        never = True
    weights: tuple[int, ...] | None
    theta: tuple[int, ...] | None
    if len(weight_dep) <= 1:
        if weight_dep:
            crit = game.criteria[weight_dep[0]]
            raw = [crit.weights[i] for i in free0]
            residual = crit.quota - sum(crit.weights[i] for i in required)
            g = math.gcd(*raw) or 1
            need = max(0, -(-residual // g))
            order = sorted(range(m), key=lambda j: (-raw[j], free0[j]))
            free = tuple(free0[j] for j in order)
            weights = tuple(raw[j] // g for j in order)
        else:
            need = 0
            free = tuple(free0)
            weights = (0,) * m
        thetas: list[int] = []
        for k in range(m + 1):
            t = INF if never or k < size_min else need
            if game.max_against is not None and n - (r + k) <= game.max_against:
                t = 0
            thetas.append(t)
        theta = tuple(thetas)
    else:
        free = tuple(free0)
        weights = None
        theta = None
    crit_weights = tuple(tuple(c.weights[i] for i in free) for c in game.criteria)
    crit_residual = tuple(c.quota - sum(c.weights[i] for i in required) for c in game.criteria)
    return Reduced(
        n=n,
        required=required,
        free=free,
        crit_weights=crit_weights,
        crit_residual=crit_residual,
        max_against=game.max_against,
        weights=weights,
        theta=theta,
    )
