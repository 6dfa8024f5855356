"""The option matrix: every mission concept x authorisation route x levels of the planned
design dimensions, planned.

This is the headline table of the briefing. Each cell fixes a mission, a route and one level of
each dimension the scenario plans over (its ``dimensions`` with ``levels``) and runs
:func:`~peaceops.planning.solve_force_generation` with the cell's requirements
(by default: the host accepts, the route's venue authorises). A cell is **feasible** when such a
plan exists; an infeasible cell shows the best plan without those requirements (so its
coverage, acceptances and the venue's blockers remain visible) and names the conflict.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pandas as pd

from peaceops._frames import FrameMixin
from peaceops._memo import memo_on
from peaceops.errors import InfeasibleError, Problem, ScenarioError
from peaceops.planning.acceptance import Acceptance, UtilityForm
from peaceops.planning.conditions import ConditionState
from peaceops.planning.force import solve_force_generation
from peaceops.planning.plan import ForcePlan
from peaceops.scenario.model import Scenario

__all__ = ["OptionCell", "OptionMatrix", "option_matrix"]


@dataclass(frozen=True)
class OptionCell:
    """One mission x route x levels option.

    Attributes
    ----------
    mission, route
        The option's mission concept and route.
    levels
        ``((dimension, level), ...)``: the option's level of each planned dimension.
    feasible
        Whether a plan meets the option's requirements (host acceptance, authorisation).
    plan
        The plan shown: the feasible plan, or the best plan without the requirements.
    conflicts
        For an infeasible option, the requirements in conflict (with who blocks).
    parties
        The actors whose acceptance the cell reports.
    """

    mission: str
    route: str
    levels: tuple[tuple[str, float], ...]
    feasible: bool
    plan: ForcePlan
    conflicts: tuple[str, ...]
    parties: tuple[str, ...]

    @property
    def id(self) -> str:
        """``mission/route/level/...``, the option's id (as the sweep names it)."""
        return "/".join([self.mission, self.route, *(f"{v:g}" for _, v in self.levels)])

    @property
    def name(self) -> str:
        """``mission via ROUTE with dimension level, ...`` for sentences."""
        text = f"{self.mission} via {self.route}"
        if self.levels:
            text += " with " + ", ".join(f"{d} {v:g}" for d, v in self.levels)
        return text

    @property
    def authorised(self) -> bool:
        """Whether the route's venue authorises the plan shown."""
        return self.plan.evaluation.verdict(self.route).authorised

    @property
    def blockers(self) -> tuple[str, ...]:
        """Who blocks the route's venue (empty when it authorises)."""
        return self.plan.evaluation.verdict(self.route).blockers

    @property
    def accepting(self) -> tuple[str, ...]:
        """Parties who accept the plan shown."""
        return tuple(p for p in self.parties if self.plan.evaluation.acceptance(p).accepts)

    @property
    def rejecting(self) -> tuple[Acceptance, ...]:
        """Acceptances of the parties who reject the plan shown."""
        ev = self.plan.evaluation
        return tuple(ev.acceptance(p) for p in self.parties if not ev.acceptance(p).accepts)

    @property
    def authorising_venues(self) -> tuple[str, ...]:
        """Every venue that would authorise the plan shown."""
        return tuple(v.venue for v in self.plan.evaluation.verdicts if v.authorised)

    @property
    def domain_coverage(self) -> Mapping[str, float]:
        """Coverage by domain (personnel-weighted) of the plan shown."""
        return MappingProxyType({d.domain: d.coverage for d in self.plan.domains})


@dataclass(frozen=True)
class OptionMatrix(FrameMixin):
    """Every option of a scenario, planned; :meth:`to_rows` is the briefing table.

    Attributes
    ----------
    scenario
        Scenario id.
    cells
        Options in mission, route, levels order.
    require_acceptance
        The actors every feasible option must satisfy.
    domains
        The domains of every mission's requirements (columns of :meth:`to_rows`).
    dimensions
        The planned dimensions (a column each in :meth:`to_rows`).
    """

    scenario: str
    cells: tuple[OptionCell, ...]
    require_acceptance: tuple[str, ...]
    domains: tuple[str, ...]
    dimensions: tuple[str, ...] = ()

    def cell(
        self, mission: str, route: str, levels: Mapping[str, float] | None = None
    ) -> OptionCell:
        """The option ``mission`` x ``route`` x ``levels`` (``KeyError`` if absent)."""
        want = {k: float(v) for k, v in (levels or {}).items()}
        for c in self.cells:
            if (c.mission, c.route) == (mission, route) and dict(c.levels) == want:
                return c
        raise KeyError((mission, route, levels))

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per option: feasibility, coverage (overall and by domain), personnel,
        acceptances, rejections with reasons, authorising venues, blockers, conflicts."""
        rows = []
        for c in self.cells:
            plan = c.plan
            row: dict[str, Any] = {
                "mission": c.mission,
                "route": c.route,
                **dict(c.levels),
                "feasible": c.feasible,
                "authorised": c.authorised,
                "blocked_by": list(c.blockers),
                "coverage": round(plan.coverage, 4),
            }
            by_domain = c.domain_coverage
            for d in self.domains:
                value = by_domain.get(d)
                row[f"coverage_{d}"] = None if value is None else round(value, 4)
            row |= {
                "personnel": plan.personnel,
                "personnel_rotated": plan.personnel_rotated,
                "n_accepting": len(c.accepting),
                "rejecting": [_why(a) for a in c.rejecting],
                "authorising_venues": list(c.authorising_venues),
                "conflicts": list(c.conflicts),
            }
            rows.append(row)
        return rows

    def to_frame(self) -> pd.DataFrame:
        """:meth:`to_rows` as a DataFrame indexed by mission, route and planned dimensions; lists
        (blockers, rejecting parties with reasons, authorising venues, conflicts) stay lists."""
        return pd.DataFrame(self.to_rows()).set_index(["mission", "route", *self.dimensions])


def option_matrix(
    scenario: Scenario,
    *,
    missions: Sequence[str] | None = None,
    routes: Sequence[str] | None = None,
    levels: Mapping[str, Sequence[float]] | None = None,
    require_acceptance: Sequence[str] | None = None,
    require_authorisation: bool = True,
    parties: Sequence[str] | None = None,
    objectives: Sequence[str] = ("coverage", "fairness"),
    utility: UtilityForm = "linear",
    state: ConditionState | None = None,
    time_limit: float = 30.0,
) -> OptionMatrix:
    """Plan every mission x route x levels option of ``scenario``.

    Parameters
    ----------
    scenario
        A validated scenario.
    missions
        Mission ids (default: all).
    routes
        Routes (default: the scenario's ``planning.routes``; when empty, each mission's own).
    levels
        Levels to try by planned dimension (default: each dimension's ``levels``).
    require_acceptance
        Actors each option must satisfy (default: the scenario's host, when it names one).
    require_authorisation
        Whether an option needs its route's venue to authorise (default ``True``).
    parties
        Actors whose acceptance the matrix reports (default: every actor with stances or red
        lines).
    objectives, utility, state, time_limit
        As for :func:`~peaceops.planning.solve_force_generation`.

    Returns
    -------
    OptionMatrix
        One :class:`OptionCell` per option.

    Raises
    ------
    ScenarioError
        For unknown ids or options.

    Notes
    -----
    Each feasible cell is one lexicographic solve; an infeasible cell adds a solve without its
    requirements and, for an authorisation conflict, one that finds the blockers.

    Examples
    --------
    >>> from peaceops.scenario import parse_scenario
    >>> from peaceops.planning import option_matrix
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> m = option_matrix(s, levels={"support": [0]})
    >>> [(c.route, c.feasible, round(c.plan.coverage, 4), c.blockers) for c in m.cells]
    [('UNSC', False, 0.4444, ('ADV',)), ('COALITION', True, 0.4444, ())]
    >>> m.cells[0].conflicts
    ("acceptance by HST: utility at least its status quo's", "the route's venue authorises")

    The host gains only from troops on the ground (it wants 80 on ``ground_size`` and dislikes
    a UN mandate), and the lead's battalions are alliance troops the adversary vetoes in the
    Security Council: no UN design satisfies both. The coalition takes the battalions.
    """
    chosen = list(missions) if missions is not None else [m.id for m in scenario.missions]
    known = {m.id for m in scenario.missions}
    unknown = [m for m in chosen if m not in known]
    if unknown:
        raise ScenarioError(
            [Problem("<options>", None, "missions", f"unknown missions {unknown!r}")]
        )
    require = tuple(
        require_acceptance
        if require_acceptance is not None
        else ([scenario.planning.host] if scenario.planning.host else [])
    )
    planned = scenario.planned_dimensions()
    unknown = sorted(set(levels or {}) - {d.id for d in planned})
    if unknown:
        raise ScenarioError(
            [Problem("<options>", None, "levels", f"not planned dimensions: {unknown!r}")]
        )
    axes = [
        [(d.id, float(v)) for v in (levels[d.id] if levels and d.id in levels else d.levels)]
        for d in planned
    ]
    combos = [tuple(c) for c in itertools.product(*axes)]
    default_parties = tuple(
        a.id
        for a in scenario.actors
        if scenario.stances.get(a.id) or any(r.actor == a.id for r in scenario.red_lines)
    )
    shown = tuple(parties) if parties is not None else default_parties
    routes_ = None if routes is None else tuple(routes)

    def plan_all() -> OptionMatrix:
        return _plan_all(
            scenario,
            chosen,
            routes_,
            combos,
            require,
            require_authorisation,
            shown,
            tuple(objectives),
            utility,
            state,
            time_limit,
        )

    if state is not None:  # a condition state is not hashable: plan afresh
        return plan_all()
    # The matrix depends only on the frozen scenario and these (normalised) arguments: an
    # analysis asks for it again (the what-if's "before"), so it is planned once per scenario.
    key = (
        "option_matrix",
        tuple(chosen),
        routes_,
        tuple(combos),
        require,
        require_authorisation,
        shown,
        tuple(objectives),
        utility,
        time_limit,
    )
    return memo_on(scenario, key, plan_all)


def _plan_all(
    scenario: Scenario,
    chosen: Sequence[str],
    routes: tuple[str, ...] | None,
    combos: Sequence[tuple[tuple[str, float], ...]],
    require: tuple[str, ...],
    require_authorisation: bool,
    shown: tuple[str, ...],
    objectives: tuple[str, ...],
    utility: UtilityForm,
    state: ConditionState | None,
    time_limit: float,
) -> OptionMatrix:
    cells = []
    domains: list[str] = []
    for mission_id in chosen:
        mission = scenario.mission(mission_id)
        for r in mission.requirements:
            domain = scenario.capability(r.capability).domain.value
            if domain not in domains:
                domains.append(domain)
        cand = list(routes) if routes is not None else list(scenario.planning.routes)
        for route in cand or [mission.route]:
            for combo in combos:
                common: dict[str, Any] = {
                    "route": route,
                    "levels": dict(combo),
                    "routes": (route,),
                    "combos": (combo,),
                    "objectives": objectives,
                    "parties": shown,
                    "utility": utility,
                    "state": state,
                    "explain": False,
                    "time_limit": time_limit,
                }
                try:
                    plan = solve_force_generation(
                        scenario,
                        mission_id,
                        require_acceptance=require,
                        require_authorisation=require_authorisation,
                        **common,
                    )
                    feasible, conflicts = True, tuple[str, ...]()
                except InfeasibleError as exc:
                    plan = solve_force_generation(
                        scenario,
                        mission_id,
                        require_acceptance=(),
                        require_authorisation=False,
                        **common,
                    )
                    feasible, conflicts = False, exc.conflicts
                cells.append(
                    OptionCell(mission_id, route, combo, feasible, plan, tuple(conflicts), shown)
                )
    dims = tuple(d.id for d in scenario.planned_dimensions())
    return OptionMatrix(scenario.id, tuple(cells), require, tuple(domains), dims)


def _why(acceptance: Acceptance) -> str:
    """``RUS (rus-no-nato-troops, utility)``: a rejection in brief."""
    causes = list(acceptance.violated)
    if acceptance.utility < acceptance.status_quo_utility:
        causes.append("utility")
    return f"{acceptance.actor} ({', '.join(causes)})"
