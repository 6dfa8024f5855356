r"""The Pareto frontier between deterrent strength (coverage) and one party's utility.

Strength and the adversary's consent pull apart: every battalion from an alliance the
adversary rejects adds coverage and costs its utility. The epsilon-constraint method (Haimes,
Lasdon and Wismer 1971) traces the trade-off: for :math:`n` coverage floors
:math:`\varepsilon_0 < \dots < \varepsilon_{n-1}` evenly spaced between the coverage of the
party's favourite design and the maximal coverage, solve

.. math::

    \max\ u_P(x) \quad \text{s.t.}\quad \mathrm{coverage}(x) \ge \varepsilon_i,

then maximise coverage with :math:`u_P` kept at its optimum (so that every point is Pareto
efficient, not only weakly). Both objectives are integers in the model, so each point is exact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from peaceops._frames import FrameMixin
from peaceops.errors import Problem, ScenarioError
from peaceops.planning._solve import Outcome, lexicographic
from peaceops.planning.acceptance import UtilityForm, evaluate_design, utility_of_loss
from peaceops.planning.conditions import ConditionState
from peaceops.planning.design import Design
from peaceops.planning.force import build_model, infeasible
from peaceops.planning.plan import weighted_coverage
from peaceops.scenario.model import Scenario

__all__ = ["FrontierPoint", "ParetoFrontier", "pareto_frontier"]


@dataclass(frozen=True)
class FrontierPoint:
    """One epsilon-constraint solution.

    Attributes
    ----------
    epsilon
        The coverage floor of this point (0..1).
    coverage
        Priority-weighted coverage reached (0..1).
    utility
        The party's utility of the design.
    accepts
        Whether the party accepts it (utility and red lines, see
        :func:`~peaceops.planning.evaluate_design`).
    personnel
        Deployed personnel.
    route, levels
        The design's route and levels of the planned dimensions.
    status
        ``OPTIMAL`` when CP-SAT proved both of the point's stages, else ``FEASIBLE`` (the
        ``time_limit`` stopped a stage: the point may be dominated).
    """

    epsilon: float
    coverage: float
    utility: float
    accepts: bool
    personnel: int
    route: str
    levels: tuple[tuple[str, float], ...]
    status: str = "OPTIMAL"


@dataclass(frozen=True)
class ParetoFrontier(FrameMixin):
    """Coverage against a party's utility, for one mission.

    Attributes
    ----------
    scenario, mission, party
        Ids.
    utility_form
        ``"linear"`` or ``"quadratic"``.
    status_quo_utility
        The party's utility of the status quo (its acceptance threshold).
    points
        One point per coverage floor, in increasing floor order (consecutive floors may give
        the same point).
    """

    scenario: str
    mission: str
    party: str
    utility_form: str
    status_quo_utility: float
    points: tuple[FrontierPoint, ...]

    @property
    def efficient(self) -> tuple[FrontierPoint, ...]:
        """The distinct points, in increasing coverage."""
        seen: set[tuple[float, float]] = set()
        out = []
        for p in self.points:
            key = (p.coverage, p.utility)
            if key not in seen:
                seen.add(key)
                out.append(p)
        return tuple(out)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per point: floor, coverage, utility, acceptance, personnel, route, levels."""
        return [
            {
                "party": self.party,
                "epsilon": round(p.epsilon, 6),
                "coverage": p.coverage,
                "utility": p.utility,
                "status_quo_utility": self.status_quo_utility,
                "accepts": p.accepts,
                "personnel": p.personnel,
                "route": p.route,
                **dict(p.levels),
            }
            for p in self.points
        ]

    def to_frame(self) -> pd.DataFrame:
        """:meth:`to_rows` as a DataFrame."""
        return pd.DataFrame(self.to_rows())


def pareto_frontier(
    scenario: Scenario,
    mission: str | None = None,
    *,
    party: str | None = None,
    n_points: int = 20,
    route: str | None = None,
    levels: Mapping[str, float] | None = None,
    require_acceptance: Sequence[str] = (),
    require_authorisation: bool = True,
    utility: UtilityForm = "linear",
    state: ConditionState | None = None,
    time_limit: float = 30.0,
) -> ParetoFrontier:
    r"""Trace coverage against ``party``'s utility by an epsilon-constraint sweep.

    Parameters
    ----------
    scenario
        A validated scenario.
    mission
        Mission id (default: the first).
    party
        Whose utility (default: the scenario's ``planning.adversary``).
    n_points
        Number of coverage floors (at least 2).
    route, levels, require_acceptance, require_authorisation, utility, state, time_limit
        As for :func:`~peaceops.planning.solve_force_generation`; route and levels are free
        when not given.

    Returns
    -------
    ParetoFrontier
        ``n_points`` points from the party's favourite design to the strongest force.

    Raises
    ------
    ScenarioError
        For unknown ids, no party, or ``n_points`` below 2.
    InfeasibleError
        When the hard requirements cannot hold at all.

    Notes
    -----
    Cost: at most :math:`2n` CP-SAT solves on one model (each point adds its floor and the
    utility optimum as constraints switched on by literals, so the model is built once; each
    solve fixes the literals it needs in a copy). The floors are taken from the lowest up: a
    point whose predecessor already meets its floor reuses it (it stays optimal under the
    tighter floor; Mavrotas 2009), and each solve is hinted with its predecessor's complete
    solution; equal floors are solved once. Floors are rounded up to the model's integer
    coverage scale.

    References
    ----------
    .. [1] Haimes, Y. Y., Lasdon, L. S. and Wismer, D. A. (1971). On a bicriterion formulation
       of the problems of integrated system identification and system optimization. *IEEE
       Transactions on Systems, Man, and Cybernetics* SMC-1(3), 296-297.
       doi:10.1109/TSMC.1971.4308298
    .. [2] Mavrotas, G. (2009). Effective implementation of the epsilon-constraint method in
       multi-objective mathematical programming problems. *Applied Mathematics and
       Computation* 213(2), 455-465. doi:10.1016/j.amc.2009.03.037

    Examples
    --------
    >>> from peaceops.scenario import parse_scenario
    >>> from peaceops.planning import pareto_frontier
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> f = pareto_frontier(s, "monitors", n_points=3, levels={"support": 0})
    >>> [(round(p.coverage, 4), p.utility, p.route) for p in f.efficient]
    [(0.3333, 0.0, 'UNSC'), (0.4444, -176.8, 'COALITION')]

    The adversary's favourite is the UN route with the neutral hospital only (every issue at
    its ideal: utility 0, against -70 for the status quo). More coverage needs the alliance
    battalions, which it vetoes in the Security Council, so the route becomes the coalition:
    0.8 x 8.5 (ground) + 1.0 x 100 (alliance share) + 0.7 x 100 (no UN mandate) = 176.8.
    """
    who = party or scenario.planning.adversary
    if who is None or who not in {a.id for a in scenario.actors}:
        raise ScenarioError(
            [Problem("<options>", None, "party", f"unknown party {who!r} (and no adversary)")]
        )
    if n_points < 2:
        raise ScenarioError(
            [Problem("<options>", None, "n_points", f"{n_points!r}: need at least 2 points")]
        )
    model, request = build_model(
        scenario,
        mission,
        route=route,
        levels=levels,
        routes=None,
        combos=None,
        objectives=(f"utility:{who}", "coverage"),
        require_acceptance=require_acceptance,
        require_authorisation=require_authorisation,
        min_coverage=None,
        parties=None,
        utility=utility,
        state=state,
        fair_share="gdp",
    )

    def fail(names: list[str]) -> Exception:
        return infeasible(request.mission, names)

    def solve(
        objectives: Sequence[str], floor: int | None, start: Outcome | None = None
    ) -> Outcome:
        assumptions = list(model.named)
        if floor is not None:
            expr, _ = model.objective("coverage")
            guard = model.cp.new_bool_var("")
            model.cp.add(expr >= floor).only_enforce_if(guard)
            assumptions.append((guard, f"coverage floor {floor}"))
        return lexicographic(
            model,
            objectives,
            assumptions,
            deterministic=True,
            time_limit=time_limit,
            on_infeasible=fail,  # type: ignore[arg-type]
            tie_break=False,
            start=start,
        )

    def value(outcome: Outcome, name: str) -> int:
        return next(st.value for st in outcome.stages if st.name == name)

    party_utility = f"utility:{who}"
    strongest = solve(["coverage", party_utility], None)
    favourite = solve([party_utility, "coverage"], None)
    hi, lo = value(strongest, "coverage"), value(favourite, "coverage")
    floors = [lo + math.ceil((hi - lo) * i / (n_points - 1)) for i in range(n_points)]
    # From the party's favourite up: a point whose predecessor already meets its floor reuses
    # it (it stays optimal under the tighter floor; Mavrotas 2009), and every other solve
    # starts from its predecessor's complete solution.
    solved: dict[int, Outcome] = {}
    previous = favourite
    for floor in sorted(set(floors)):
        if value(previous, "coverage") >= floor:
            outcome = previous
        elif floor >= hi:
            outcome = strongest
        else:
            outcome = solve([party_utility, "coverage"], floor, previous)
        solved[floor] = previous = outcome
    points = []
    for floor in floors:
        outcome = solved[floor]
        design = Design.from_mission(
            request.mission,
            route=outcome.route,
            levels=outcome.levels,
            allocation=outcome.units,
        )
        accepts = evaluate_design(model.scenario, design, utility=utility).acceptance(who).accepts
        by_cap: dict[str, int] = {}
        for pid, units in outcome.units.items():
            cap = model.pledges[pid].pledge.capability
            by_cap[cap] = by_cap.get(cap, 0) + units
        points.append(
            FrontierPoint(
                epsilon=floor / model.coverage_full,
                coverage=weighted_coverage(request.mission, by_cap),
                utility=utility_of_loss(-value(outcome, party_utility), utility),
                accepts=accepts,
                personnel=sum(model.pledges[p].personnel * u for p, u in outcome.units.items()),
                route=outcome.route,
                levels=outcome.levels,
                status=(
                    "OPTIMAL"
                    if all(st.status in ("OPTIMAL", "CONSTANT") for st in outcome.stages)
                    else "FEASIBLE"
                ),
            )
        )
    return ParetoFrontier(
        scenario=scenario.id,
        mission=request.mission.id,
        party=who,
        utility_form=utility,
        status_quo_utility=utility_of_loss(model.sq_loss[who], utility),
        points=tuple(points),
    )
