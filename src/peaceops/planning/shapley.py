r"""Burden sharing: each contributor's Shapley value in the coverage game.

The contributors :math:`N` (actors with a usable pledge for the mission) play a cooperative
game whose worth :math:`v(S)` is the best priority-weighted coverage (0..1) the planner reaches
with the pledges of :math:`S` alone, under the same conditions, red lines and requirements as
the plan (a coalition that cannot meet the requirements is worth 0). Each contributor's share is
its Shapley value (Shapley 1953),

.. math::

    \phi_i = \sum_{S \subseteq N \setminus \{i\}}
        \frac{|S|!\,(n - |S| - 1)!}{n!}\,\bigl(v(S \cup \{i\}) - v(S)\bigr),

its average marginal contribution over all orders in which the coalition could form. The
values sum to :math:`v(N) - v(\emptyset)` (efficiency). With up to ``max_exact`` contributors
we enumerate all :math:`2^n` coalitions; above, we average marginal contributions over
``n_permutations`` random orders (Castro, Gómez and Tejada 2009), with standard errors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from peaceops._frames import FrameMixin
from peaceops._types import Seed, make_rng
from peaceops.errors import ConvergenceError, Problem, ScenarioError
from peaceops.planning._model import PlanModel
from peaceops.planning._solve import RANDOM_SEED, make_solver
from peaceops.planning.acceptance import UtilityForm
from peaceops.planning.conditions import ConditionState
from peaceops.planning.force import build_model
from peaceops.scenario.model import Scenario

__all__ = ["CoverageShapley", "ShapleyValue", "coverage_shapley"]


@dataclass(frozen=True)
class ShapleyValue:
    """One contributor's share of coverage.

    Attributes
    ----------
    actor
        Contributor.
    value
        Shapley value, in coverage (0..1).
    std_error
        Standard error of a sampled value (0 when exact).
    share
        ``value`` over the grand coalition's coverage (0 when that is 0).
    """

    actor: str
    value: float
    std_error: float
    share: float


@dataclass(frozen=True)
class CoverageShapley(FrameMixin):
    """Shapley values of every contributor to one mission.

    Attributes
    ----------
    scenario, mission
        Ids.
    method
        ``"exact"`` or ``"sampled"``.
    n_permutations
        Orders sampled (0 when exact).
    grand_coverage
        :math:`v(N)`.
    values
        One per contributor, in scenario order of the actors.
    """

    scenario: str
    mission: str
    method: str
    n_permutations: int
    grand_coverage: float
    values: tuple[ShapleyValue, ...]

    def value(self, actor: str) -> ShapleyValue:
        """The value of ``actor`` (``KeyError`` if not a contributor)."""
        for v in self.values:
            if v.actor == actor:
                return v
        raise KeyError(actor)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per contributor."""
        return [
            {
                "actor": v.actor,
                "shapley": v.value,
                "std_error": v.std_error,
                "share": v.share,
                "method": self.method,
            }
            for v in self.values
        ]

    def to_frame(self) -> pd.DataFrame:
        """:meth:`to_rows` as a DataFrame indexed by actor."""
        return pd.DataFrame(self.to_rows()).set_index("actor")


def coverage_shapley(
    scenario: Scenario,
    mission: str | None = None,
    *,
    route: str | None = None,
    levels: Mapping[str, float] | None = None,
    require_acceptance: Sequence[str] = (),
    require_authorisation: bool = True,
    utility: UtilityForm = "linear",
    state: ConditionState | None = None,
    method: Literal["auto", "exact", "sampled"] = "auto",
    max_exact: int = 12,
    n_permutations: int = 200,
    seed: Seed = None,
    time_limit: float = 10.0,
) -> CoverageShapley:
    r"""Each contributor's Shapley value in the coverage game of ``mission``.

    Parameters
    ----------
    scenario
        A validated scenario.
    mission
        Mission id (default: the first).
    route, levels, require_acceptance, require_authorisation, utility, state
        The design space and requirements of every coalition's plan, as for
        :func:`~peaceops.planning.solve_force_generation` (route and levels are chosen per
        coalition when not fixed).
    method
        ``"exact"`` (all coalitions), ``"sampled"`` (random orders) or ``"auto"``: exact up
        to ``max_exact`` contributors.
    max_exact
        Largest number of contributors ``"auto"`` enumerates exactly.
    n_permutations
        Orders sampled by ``"sampled"``.
    seed
        Seed of the sampled orders; see ``docs/randomness.md``.
    time_limit
        Seconds per CP-SAT solve.

    Returns
    -------
    CoverageShapley
        Values in actor order; exact values sum to :math:`v(N) - v(\emptyset)`.

    Raises
    ------
    ScenarioError
        For unknown ids or options.

    Notes
    -----
    :math:`v(S)` is one CP-SAT solve (coverage only) of a model built once, with one literal
    per contributor that switches its pledges on or off, given as assumptions; values are
    memoised, and one solve also settles the coalitions it implies (the subsets of a
    coalition that cannot meet the requirements; those between the players an optimal plan
    uses and the coalition solved). Exact: at most :math:`2^n` solves, larger coalitions
    first (4,096 on UNIFIL, where every optimal plan uses every member: about 5 s);
    sampled: at most ``n_permutations`` x n. Actors whose
    pledges are all excluded statically (conditions, own red lines, quantity 0) are not
    players: their value is 0 by the dummy axiom. Exact values are computed in rationals.
    The sampled estimator is unbiased; its standard error is the sample standard deviation of
    the marginal contributions over the square root of the number of orders.

    References
    ----------
    .. [1] Shapley, L. S. (1953). A value for n-person games. In H. W. Kuhn and A. W. Tucker
       (eds.), *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
       307-317. Princeton University Press. doi:10.1515/9781400881970-018
    .. [2] Castro, J., Gómez, D. and Tejada, J. (2009). Polynomial calculation of the Shapley
       value based on sampling. *Computers & Operations Research* 36(5), 1726-1730.
       doi:10.1016/j.cor.2008.04.004
    .. [3] Olson, M. and Zeckhauser, R. (1966). An economic theory of alliances. *Review of
       Economics and Statistics* 48(3), 266-279. doi:10.2307/1927082

    Examples
    --------
    >>> from peaceops.scenario import parse_scenario
    >>> from peaceops.planning import coverage_shapley
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> sh = coverage_shapley(s, "monitors", route="COALITION")
    >>> [(v.actor, round(v.value, 4)) for v in sh.values]
    [('LDR', 0.2778), ('NTR', 0.1667)]

    Coverage weights are 16 (battalions, priority 1) and 8 (hospital), out of 24. Alone, the
    lead's two battalions are worth 16 x 2/3 / 24 = 4/9 and the neutral hospital 8/24 = 1/3;
    together still 4/9, because the hospital comes only if alliance troops are at most half of
    the force. So LDR gets (4/9 + (4/9 - 1/3)) / 2 = 5/18 and NTR (1/3 + 0) / 2 = 1/6: the
    neutral contributor's outside option counts although the plan does not use it.
    """
    if method not in ("auto", "exact", "sampled"):
        raise ScenarioError(
            [Problem("<options>", None, "method", f"{method!r} is not one of auto, exact, sampled")]
        )
    if n_permutations < 2 and method != "exact":
        raise ScenarioError(
            [Problem("<options>", None, "n_permutations", f"{n_permutations!r}: need at least 2")]
        )
    model, request = build_model(
        scenario,
        mission,
        route=route,
        levels=levels,
        routes=None,
        combos=None,
        objectives=("coverage",),
        require_acceptance=require_acceptance,
        require_authorisation=require_authorisation,
        min_coverage=None,
        parties=None,
        utility=utility,
        state=state,
        fair_share="gdp",
        membership=True,
    )
    players = tuple(a.id for a in scenario.actors if a.id in model.members)
    game = _Game(model, players, time_limit)
    n = len(players)
    exact = method == "exact" or (method == "auto" and n <= max_exact)
    grand = game.worth((1 << n) - 1)
    values: list[Fraction] | list[float]
    if exact:
        values = _exact(game, n)
        errors = [0.0] * n
        sampled = 0
    else:
        values, errors = _sampled(game, n, n_permutations, seed)
        sampled = n_permutations
    full = model.coverage_full
    return CoverageShapley(
        scenario=scenario.id,
        mission=request.mission.id,
        method="exact" if exact else "sampled",
        n_permutations=sampled,
        grand_coverage=grand / full,
        values=tuple(
            ShapleyValue(
                actor=a,
                value=float(values[i]) / full,
                std_error=errors[i] / full,
                share=float(values[i]) / grand if grand else 0.0,
            )
            for i, a in enumerate(players)
        ),
    )


class _Game:
    """The coverage game: worth of a coalition (bitmask over players), memoised, in the
    model's integer coverage units.

    One solve settles many coalitions. A player outside a coalition only has its pledges
    forced to zero (its membership literal constrains nothing else), so a plan of ``S`` is
    a plan of every ``T`` containing ``S``: the worth is monotone, and a coalition whose
    requirements cannot be met has subsets that cannot meet them either (worth 0). And when
    the optimal plan of ``T`` uses the pledges of the players ``U`` only, that plan is also
    one of every ``S`` with ``U`` within ``S`` within ``T``, whose worth is then at least,
    and by monotonicity at most, that of ``T``: all those coalitions are settled at once.
    Solving the larger coalitions first (:meth:`settle_all`) lets these implications do
    most of the work; the values are the same exact optima as one solve per coalition (a
    test compares the two on every coalition)."""

    def __init__(self, model: PlanModel, players: tuple[str, ...], time_limit: float) -> None:
        self.model = model
        self.players = players
        self.memo: dict[int, int] = {}
        self.n_solves = 0
        by_actor: dict[str, list[Any]] = {a: [] for a in players}
        for pv in model.pledges.values():
            if pv.pledge.actor in by_actor:
                by_actor[pv.pledge.actor].append(pv.var)
        self.pledge_vars = [by_actor[a] for a in players]
        expr, _ = model.objective("coverage")
        self.constant = isinstance(expr, int)
        if not self.constant:
            model.cp.maximize(expr)
        # Only optimal values matter here, and the models are small: one worker without
        # presolve or LP relaxation proves them about five times faster than the planner's
        # portfolio (benchmarks/results/startup.md); a coalition it cannot settle within the
        # time limit is solved again by the portfolio.
        self.solver = cp_model.CpSolver()
        self.solver.parameters.num_workers = 1
        self.solver.parameters.random_seed = RANDOM_SEED
        self.solver.parameters.cp_model_presolve = False
        self.solver.parameters.linearization_level = 0
        self.solver.parameters.max_time_in_seconds = time_limit
        self.fallback = make_solver(deterministic=False, time_limit=time_limit)

    def worth(self, mask: int) -> int:
        if mask in self.memo:
            return self.memo[mask]
        if self.constant:
            return 0
        m = self.model
        lits = [lit for lit, _ in m.named]
        for i, actor in enumerate(self.players):
            member = m.members[actor]
            lits.append(member if mask >> i & 1 else member.Not())
        m.cp.clear_assumptions()
        m.cp.add_assumptions(lits)
        solver = self.solver
        status = solver.solve(m.cp)
        if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            solver = self.fallback
            status = solver.solve(m.cp)
        m.cp.clear_assumptions()
        self.n_solves += 1
        if status == cp_model.OPTIMAL:
            value: int = round(solver.objective_value)
            used = 0
            for i, lits_i in enumerate(self.pledge_vars):
                if mask >> i & 1 and any(solver.value(x) > 0 for x in lits_i):
                    used |= 1 << i
            self._settle(mask, used, value)
        elif status == cp_model.INFEASIBLE:
            value = 0
            self._settle(mask, 0, 0)
        else:
            raise ConvergenceError(
                f"CP-SAT found no optimal coverage ({solver.status_name(status)}) "
                f"for a coalition within the time limit",
                iterations=int(solver.num_conflicts),
                tolerance=0.0,
            )
        self.memo[mask] = value
        return value

    def _settle(self, mask: int, used: int, value: int) -> None:
        """Record ``value`` for every coalition between ``used`` and ``mask``."""
        memo, free = self.memo, mask & ~used
        sub = free
        while True:
            memo.setdefault(used | sub, value)
            if not sub:
                return
            sub = (sub - 1) & free

    def settle_all(self, n: int) -> None:
        """The worth of every coalition, larger coalitions first (supersets come first in
        decreasing order of the bitmask)."""
        for mask in range((1 << n) - 1, -1, -1):
            if mask not in self.memo:
                self.worth(mask)


def _exact(game: _Game, n: int) -> list[Fraction]:
    fact = [math.factorial(k) for k in range(n + 1)]
    values = [Fraction(0)] * n
    game.settle_all(n)
    for mask in range(1 << n):
        size = bin(mask).count("1")
        base = game.worth(mask)
        for i in range(n):
            if mask >> i & 1:
                continue
            gain = game.worth(mask | 1 << i) - base
            if gain:
                values[i] += Fraction(fact[size] * fact[n - size - 1] * gain, fact[n])
    return values


def _sampled(
    game: _Game, n: int, n_permutations: int, seed: Seed
) -> tuple[list[float], list[float]]:
    rng = make_rng(seed)
    gains = np.zeros((n_permutations, n))
    for k in range(n_permutations):
        mask, before = 0, game.worth(0)
        for i in rng.permutation(n):
            mask |= 1 << int(i)
            after = game.worth(mask)
            gains[k, i] = after - before
            before = after
    means = gains.mean(axis=0)
    errors = gains.std(axis=0, ddof=1) / math.sqrt(n_permutations)
    return [float(x) for x in means], [float(x) for x in errors]
