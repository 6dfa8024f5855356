r"""Force generation: which pledges fill a mission's requirements, by lexicographic CP-SAT.

The decision variables are the units :math:`x_j` taken from each pledge :math:`j` (integers in
``0..offered``), the authorisation route and the levels of the scenario's planned design
dimensions (one route and one combination of levels, from the candidates). Pledges count
only when their conditions hold under the design (see
:mod:`peaceops.planning.conditions`) and their actor's own red lines allow. The objectives,
optimised in the caller's order, each kept at its optimum while the next is optimised:

``coverage``
    :math:`\sum_r w_r \min(u_r, n_r) / n_r` with :math:`u_r` the units for requirement
    :math:`r`, :math:`n_r` its count and :math:`w_r = 2^{5 - \mathrm{priority}_r}` (16 for
    priority 1 down to 1 for priority 5); reported divided by :math:`\sum_r w_r` (0..1).
``acceptance``
    the number of ``parties`` who accept the design.
``utility:ACTOR``
    the actor's utility (``utility`` alone: the scenario's adversary).
``personnel``
    deployed personnel, to be minimised (personnel with rotation is proportional to it).
``fairness``
    :math:`\sum_i |P_i - g_i P|`, the personnel the contributors :math:`i` (actors with a
    pledge to the mission and a GDP, or population, figure) deploy away from their share
    :math:`g_i` of the total :math:`P` in proportion to GDP (or population), minimised.

Hard requirements (``require_acceptance``, a fixed ``route`` or level, the route's
authorisation, ``min_coverage``) are named: when they cannot all hold, the
:class:`~peaceops.errors.InfeasibleError` lists a minimal conflicting set of them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from peaceops.errors import InfeasibleError, Problem, ScenarioError
from peaceops.planning._model import Combo, PlanModel, Request
from peaceops.planning._solve import best_loss, lexicographic
from peaceops.planning.acceptance import (
    UtilityForm,
    check_utility_form,
    utility_of_loss,
)
from peaceops.planning.conditions import ConditionState
from peaceops.planning.plan import ForcePlan, build_plan
from peaceops.scenario.events import apply_event_effects
from peaceops.scenario.model import Mission, Scenario

__all__ = ["solve_force_generation"]

FairShare = Literal["gdp", "population"]
_OPTIONS = "<options>"


def solve_force_generation(
    scenario: Scenario,
    mission: str | None = None,
    *,
    route: str | None = None,
    levels: Mapping[str, float] | None = None,
    routes: Sequence[str] | None = None,
    combos: Sequence[Combo] | None = None,
    objectives: Sequence[str] = ("coverage", "fairness"),
    require_acceptance: Sequence[str] = (),
    require_authorisation: bool = True,
    min_coverage: float | None = None,
    parties: Sequence[str] | None = None,
    utility: UtilityForm = "linear",
    state: ConditionState | None = None,
    fair_share: FairShare = "gdp",
    explain: bool = True,
    time_limit: float = 30.0,
) -> ForcePlan:
    r"""Find the lexicographically best force for ``mission`` from the scenario's pledges.

    Parameters
    ----------
    scenario
        A validated scenario.
    mission
        Mission id (default: the scenario's first mission).
    route, levels
        Fix the route (a venue id) or levels of planned dimensions (dimension id -> level);
        ``None`` lets the planner choose among ``routes`` and ``combos``.
    routes, combos
        Candidates (default: the mission's route, then the scenario's ``planning.routes``;
        every combination of the planned dimensions' ``levels``, one level per dimension, as
        ``((dimension, level), ...)``). A fixed ``route`` or fixed ``levels`` are added when
        missing and pinned by a named requirement.
    objectives
        Lexicographic order of ``coverage``, ``acceptance``, ``utility[:ACTOR]``,
        ``personnel``, ``fairness`` (see the module docstring).
    require_acceptance
        Actors who must accept the design.
    require_authorisation
        The chosen route's venue must authorise (default ``True``).
    min_coverage
        Priority-weighted coverage the plan must reach (0..1).
    parties
        Actors counted by the ``acceptance`` objective (default: every actor with stances or
        red lines).
    utility
        ``"linear"`` or ``"quadratic"`` loss.
    state
        Assumed events, approvals and quantities (default :class:`ConditionState()`).
    fair_share
        Reference of ``fairness``: ``"gdp"`` or ``"population"``.
    explain
        Probe each pledge held back from a short requirement for the requirement or
        objective that holds it back (one small solve per pledge), and add to the names of
        conflicting requirements the facts behind them (a party's best utility, who blocks a
        route), at the cost of a few more solves.
    time_limit
        Seconds per CP-SAT solve.

    Returns
    -------
    ForcePlan
        The design, allocation, requirement and domain coverage with explained shortfalls.

    Raises
    ------
    ScenarioError
        For unknown ids or options.
    InfeasibleError
        When the hard requirements cannot all hold; ``conflicts`` names a minimal set.

    Notes
    -----
    The lexicographic method solves one CP-SAT model per objective, adding "objective k at
    least (at most) its optimum" before optimising objective k+1 (Marler and Arora 2004,
    section 3.3); objectives are integers (coverage over the lcm of the counts, utilities in
    integer units, see :mod:`peaceops.planning.acceptance`), so the optimum is kept exactly.
    A last stage breaks ties between routes and level combinations in favour of the candidate
    listed first. Each solve uses CP-SAT (OR-Tools, Perron and Furnon) with one worker's
    sequential search and a fixed seed, which makes the solution reproducible, not only its
    value; a stage stopped by ``time_limit`` reports ``FEASIBLE`` and its gap to CP-SAT's
    proven bound (``ForcePlan.objectives[k].gap``).
    Conflicts: CP-SAT's sufficient assumptions shrunk by a deletion filter (Chinneck and
    Dravnieks 1991) to a minimal set, plus up to four alternative minimal sets.
    Rotation: sustaining a deployment takes several times its strength (the mission's
    ``rotation_factor``); the stated personnel is deployed strength.

    References
    ----------
    .. [1] Perron, L. and Furnon, V. (2024). OR-Tools, version 9. Google.
       https://developers.google.com/optimization/ (CP-SAT: Perron, L. and Didier, F.,
       https://developers.google.com/optimization/cp/cp_solver)
    .. [2] Marler, R. T. and Arora, J. S. (2004). Survey of multi-objective optimization
       methods for engineering. *Structural and Multidisciplinary Optimization* 26(6),
       369-395. doi:10.1007/s00158-003-0368-6
    .. [3] Chinneck, J. W. and Dravnieks, E. W. (1991). Locating minimal infeasible constraint
       sets in linear programs. *ORSA Journal on Computing* 3(2), 157-168.
       doi:10.1287/ijoc.3.2.157
    .. [4] Saideman, S. M. and Auerswald, D. P. (2012). Comparing caveats: understanding the
       sources of national restrictions upon NATO's mission in Afghanistan. *International
       Studies Quarterly* 56(1), 67-84. doi:10.1111/j.1468-2478.2011.00700.x

    Examples
    --------
    The template scenario: a monitoring mission needs three battalions and a hospital. The
    lead contributor offers two battalions; the neutral one a hospital (if alliance troops are
    at most half the force on host territory: they are all of it) and a battalion only from a
    range starting at 0, so the plan falls one battalion and the hospital short:

    >>> from peaceops.scenario import parse_scenario
    >>> from peaceops.planning import solve_force_generation
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> plan = solve_force_generation(s, "monitors", route="COALITION", explain=False)
    >>> [(a.pledge, a.units) for a in plan.allocation]
    [('ldr-inf', 2)]
    >>> [(r.capability, r.missing) for r in plan.shortfalls]
    [('INF_BN', 1), ('MED_L2', 1)]
    """
    model, request = build_model(
        scenario,
        mission,
        route=route,
        levels=levels,
        routes=routes,
        combos=combos,
        objectives=objectives,
        require_acceptance=require_acceptance,
        require_authorisation=require_authorisation,
        min_coverage=min_coverage,
        parties=parties,
        utility=utility,
        state=state,
        fair_share=fair_share,
    )
    assumptions = list(model.named)
    if min_coverage is not None:
        assumptions.append(coverage_floor(model, min_coverage))
    try:
        outcome = lexicographic(
            model,
            request.objectives,
            assumptions,
            deterministic=True,
            time_limit=time_limit,
            on_infeasible=lambda names: infeasible(request.mission, names),
        )
    except InfeasibleError as exc:
        if not explain:
            raise
        raise infeasible(
            request.mission, _detail(scenario, model, list(exc.conflicts), time_limit)
        ) from None
    return build_plan(model.scenario, model, outcome, explain=explain, time_limit=time_limit)


def _relaxed(
    scenario: Scenario, request: Request, route: str, time_limit: float
) -> ForcePlan | None:
    """The most covering plan on ``route`` without its authorisation (and, if need be,
    without the required acceptances): the design whose verdict names the blockers."""
    for require in (request.require, ()):
        try:
            return solve_force_generation(
                scenario,
                request.mission.id,
                route=route,
                levels=dict(request.level) if request.level is not None else None,
                routes=request.routes,
                combos=request.levels,
                objectives=("coverage",),
                require_acceptance=require,
                require_authorisation=False,
                utility=request.utility,  # type: ignore[arg-type]
                state=request.state,
                explain=False,
                time_limit=time_limit,
            )
        except InfeasibleError:
            continue
    return None


def _detail(scenario: Scenario, model: PlanModel, names: list[str], time_limit: float) -> list[str]:
    """Conflict names with the facts behind them: best utility, who blocks the route."""
    request = model.request
    out = []
    for name in names:
        kind, arg = model.named_kind.get(name, ("", ""))
        if kind == "utility":
            best = utility_of_loss(best_loss(model, arg, time_limit=time_limit), request.utility)
            sq = utility_of_loss(model.sq_loss[arg], request.utility)
            name += f" (at best {best:.4g} against {sq:.4g} for the status quo)"
        elif kind == "authorisation":
            blocked = []
            for v in [request.route] if request.route else request.routes:
                relaxed = _relaxed(scenario, request, v, time_limit)
                if relaxed is None:
                    continue
                verdict = relaxed.evaluation.verdict(v)
                if not verdict.authorised:
                    blocked.append(f"{v} blocked by {', '.join(verdict.blockers)}")
            if blocked:
                name += f" ({'; '.join(blocked)})"
        out.append(name)
    return out


def level_combinations(scenario: Scenario, fixed: Mapping[str, float] | None = None) -> list[Combo]:
    """Every combination of the planned dimensions' levels (``fixed`` ones at their value), in
    scenario order of the dimensions and of their levels; ``[()]`` when none is planned."""
    fixed = fixed or {}
    axes = [
        [(d.id, float(fixed[d.id]))] if d.id in fixed else [(d.id, float(v)) for v in d.levels]
        for d in scenario.planned_dimensions()
    ]
    return [tuple(c) for c in itertools.product(*axes)]


def build_model(
    scenario: Scenario,
    mission: str | None,
    *,
    route: str | None,
    levels: Mapping[str, float] | None,
    routes: Sequence[str] | None,
    combos: Sequence[Combo] | None,
    objectives: Sequence[str],
    require_acceptance: Sequence[str],
    require_authorisation: bool,
    min_coverage: float | None,
    parties: Sequence[str] | None,
    utility: str,
    state: ConditionState | None,
    fair_share: str,
    membership: bool = False,
) -> tuple[PlanModel, Request]:
    """Check the options and build the CP-SAT model (shared by every planning entry point)."""
    check_utility_form(utility)
    problems: list[Problem] = []

    def bad(path: str, message: str) -> None:
        problems.append(Problem(_OPTIONS, None, path, message))

    if not scenario.missions:
        raise ScenarioError([Problem(_OPTIONS, None, "mission", "the scenario has no missions")])
    try:
        m: Mission = scenario.mission(mission) if mission else scenario.missions[0]
    except KeyError:
        known = ", ".join(x.id for x in scenario.missions)
        raise ScenarioError(
            [Problem(_OPTIONS, None, "mission", f"unknown mission {mission!r} ({known})")]
        ) from None
    venues = {v.id for v in scenario.venues}
    actors = {a.id for a in scenario.actors}
    cand_routes = _unique(
        ([route] if route else [])
        + list(routes if routes is not None else [m.route, *scenario.planning.routes])
    )
    fixed = {k: float(v) for k, v in (levels or {}).items()}
    planned = {d.id: d for d in scenario.planned_dimensions()}
    for dim, lv in fixed.items():
        if dim not in planned:
            known = ", ".join(planned) or "none"
            bad(f"levels[{dim}]", f"{dim!r} is not a planned dimension (planned: {known})")
        elif not 0 <= lv <= 100:
            bad(f"levels[{dim}]", f"{lv!r} is outside 0..100")
    every = list(combos) if combos is not None else level_combinations(scenario)
    pinned = level_combinations(scenario, fixed) if fixed and combos is None else []
    # the fixed levels first (a named requirement pins them), then the other candidates
    cand_levels = [*pinned, *every]
    for v in cand_routes:
        if v not in venues:
            bad("route", f"unknown venue {v!r} (venues: {', '.join(sorted(venues))})")
    if not cand_routes:
        bad("routes", "no candidate route")
    if not cand_levels:
        bad("levels", "no candidate combination of levels")
    for name in objectives:
        kind, _, arg = name.partition(":")
        if kind not in ("coverage", "acceptance", "utility", "personnel", "fairness") or (
            arg and kind != "utility"
        ):
            bad(
                "objectives",
                f"{name!r} is not one of coverage, acceptance, utility[:ACTOR], "
                "personnel, fairness",
            )
        elif kind == "utility" and (arg or scenario.planning.adversary) not in actors:
            bad("objectives", f"{name!r}: unknown actor (and no planning.adversary to default to)")
    if len(set(objectives)) != len(objectives):
        bad("objectives", f"{list(objectives)!r} lists an objective twice")
    for a in [*require_acceptance, *(parties or ())]:
        if a not in actors:
            bad("require_acceptance", f"unknown actor {a!r}")
    if fair_share not in ("gdp", "population"):
        bad("fair_share", f"{fair_share!r} is not one of gdp, population")
    if min_coverage is not None and not 0 <= min_coverage <= 1:
        bad("min_coverage", f"{min_coverage!r} is outside 0..1")
    if problems:
        raise ScenarioError(problems)
    default_parties = [
        a.id
        for a in scenario.actors
        if scenario.stances.get(a.id) or any(r.actor == a.id for r in scenario.red_lines)
    ]
    request = Request(
        mission=m,
        routes=tuple(cand_routes),
        levels=tuple(_unique(cand_levels)),
        route=route,
        level=tuple((d, fixed[d]) for d in planned if d in fixed) if fixed else None,
        require=tuple(require_acceptance),
        require_authorisation=require_authorisation,
        utility=utility,
        state=state or ConditionState(),
        fair_share=fair_share,
        parties=tuple(parties if parties is not None else default_parties),
        objectives=tuple(
            f"utility:{scenario.planning.adversary}" if o == "utility" else o for o in objectives
        ),
        membership=membership,
    )
    happened = [
        e.id
        for e in scenario.events
        if request.state.event_happened(scenario, e.id, mission=request.mission)
    ]
    world = apply_event_effects(scenario, happened)
    return PlanModel(world, request).build(), request


def coverage_floor(model: PlanModel, min_coverage: float) -> tuple[Any, str]:
    """A named assumption: coverage at least ``min_coverage`` (0..1)."""
    expr, _ = model.objective("coverage")
    guard = model.cp.new_bool_var("")
    floor = math.ceil(min_coverage * model.coverage_full - 1e-9)
    model.cp.add(expr >= floor).only_enforce_if(guard)
    return guard, f"coverage at least {min_coverage:.4g}"


def infeasible(mission: Mission, names: list[str]) -> InfeasibleError:
    """The error for a request whose named requirements ``names`` conflict."""
    return InfeasibleError(
        f"no design of mission {mission.id!r} meets every requirement", conflicts=tuple(names)
    )


def _unique(items: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for it in items:
        if it not in out:
            out.append(it)
    return out
