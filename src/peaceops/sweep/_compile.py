"""Compilation of a scenario's mission options into the arrays the option kernel reads.

See :mod:`peaceops.sweep._options` for the rules these arrays encode.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peaceops.planning.acceptance import condition_holds, no_troops_from, troops_barred
from peaceops.planning.design import SCALE, in_locations, serves_at
from peaceops.planning.threats import threats_reaching
from peaceops.power import SimpleGame
from peaceops.scenario.model import (
    AuthorisedBy,
    CountQuota,
    DesignChoice,
    DesignGroupShare,
    DesignPersonnel,
    DesignRoute,
    IssueMax,
    IssueMin,
    Location,
    MaxThreat,
    NoTroops,
    Scenario,
    Venue,
    Weighted,
)
from peaceops.venues import venue_game

__all__ = [
    "SCALE",
    "Option",
    "OptionData",
    "RequirementData",
    "VenueData",
    "compile_option",
    "compile_venue",
    "mission_options",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Option:
    """One mission option: a mission concept, an authorisation route and one level of each
    planned dimension."""

    mission: str
    route: str
    levels: tuple[tuple[str, float], ...] = ()

    @property
    def id(self) -> str:
        """``mission/route/level/...`` (one level per planned dimension, in scenario order)."""
        return "/".join([self.mission, self.route, *(f"{v:g}" for _, v in self.levels)])


def mission_options(scenario: Scenario) -> tuple[Option, ...]:
    """Every mission x route x combination of levels of the scenario's planned dimensions.

    Routes are ``planning.routes`` (each mission's own route when none are listed); levels are
    the ``levels`` of the ``dimensions`` that have them.
    """
    axes = [[(d.id, float(v)) for v in d.levels] for d in scenario.planned_dimensions()]
    out = []
    for mission in scenario.missions:
        routes = scenario.planning.routes or (mission.route,)
        for route in routes:
            for combo in itertools.product(*axes):
                out.append(Option(mission.id, route, tuple(combo)))
    return tuple(out)


@dataclass(frozen=True)
class VenueData:
    members: IntArray  # actor indices, in the game's player order
    game: SimpleGame | None  # None: never authorises


@dataclass(frozen=True)
class RequirementData:
    count: int
    pledges: IntArray
    domain: str
    weight: int = 1  # coverage weight (peaceops.scenario.model.priority_weight)


@dataclass(frozen=True)
class OptionData:
    option: Option
    route: int
    fixed: IntArray  # issue values in hundredths; -1 where the allocation decides
    static_ok: BoolArray  # (P,)
    on_host: BoolArray  # (P,)
    requirements: tuple[RequirementData, ...]
    personnel: tuple[tuple[int, int, IntArray], ...]  # (issue, full scale, personnel counted)
    shares: tuple[tuple[int, IntArray, IntArray], ...]  # (issue, counted, from the group)
    no_troops: tuple[tuple[int, BoolArray], ...]  # (owner, pledges barred)
    issue_conditions: tuple[tuple[int, int, int, bool], ...]  # (pledge, issue, value, is_min)
    authorised_by: IntArray  # pledges whose authorised_by names this route
    domains: tuple[str, ...]
    presupposed: frozenset[str]  # events the mission concept presupposes (after_events)
    inactive: frozenset[int] = frozenset()  # red lines whose when/unless rules them out here
    # (pledge, limit, threats reaching its units): a max_threat condition, drawn per replicate
    threat_limits: tuple[tuple[int, float, IntArray], ...] = ()


def compile_venue(scenario: Scenario, venue: Venue, a_ix: dict[str, int]) -> VenueData:
    """A venue's members (actor indices) and its exact game (:func:`peaceops.venues.
    venue_game`, the one compiler of venue rules); ``game=None`` when a veto player sits
    outside the body, so that the venue never authorises."""
    members_ids = scenario.resolve_members(venue.members)
    members = np.array([a_ix[a] for a in members_ids], dtype=np.int64)
    rule = venue.rule
    vetoes = (
        scenario.resolve_members(rule.vetoes) if isinstance(rule, CountQuota | Weighted) else ()
    )
    if any(a not in members_ids for a in vetoes):
        return VenueData(members, None)
    return VenueData(members, venue_game(scenario, venue))


def compile_option(
    scenario: Scenario,
    option: Option,
    a_ix: dict[str, int],
    i_ix: dict[str, int],
    v_ix: dict[str, int],
) -> OptionData:
    mission = scenario.mission(option.mission)
    caps = {c.id: c for c in scenario.capabilities}
    pledges = scenario.pledges
    req_of = {r.capability: r for r in mission.requirements}
    where = [req_of[p.capability].location.value if p.capability in req_of else "" for p in pledges]
    on_host = np.array([w == Location.host_territory.value for w in where], dtype=bool)
    fixed = np.full(len(scenario.issues), -1, dtype=np.int64)
    personnel, shares = [], []
    groups = {a.id: set(a.groups) for a in scenario.actors}
    pers = np.array([caps[p.capability].personnel for p in pledges], dtype=np.int64)
    for issue in scenario.issues:
        j = i_ix[issue.id]
        dmap = issue.design
        if dmap is None:
            fixed[j] = round(issue.status_quo * SCALE)
        elif isinstance(dmap, DesignRoute):
            fixed[j] = round(dmap.values.get(option.route, 0.0) * SCALE)
        elif isinstance(dmap, DesignChoice):
            value = {**dict(mission.choices), **dict(option.levels)}.get(dmap.dimension, 0.0)
            fixed[j] = round(value * SCALE)
        elif isinstance(dmap, DesignPersonnel):
            counts = np.array(
                [
                    (not dmap.domains or caps[p.capability].domain.value in dmap.domains)
                    and in_locations(where[k], dmap.locations)
                    for k, p in enumerate(pledges)
                ],
                dtype=bool,
            )
            personnel.append((j, dmap.full_scale, np.where(counts, pers, 0)))
        elif isinstance(dmap, DesignGroupShare):
            counts = np.array([in_locations(w, dmap.locations) for w in where], dtype=bool)
            member = np.array([dmap.group in groups[p.actor] for p in pledges], dtype=bool)
            shares.append((j, np.where(counts, pers, 0), np.where(counts & member, pers, 0)))

    static_ok = np.array(
        [p.capability in req_of and serves_at(p, req_of[p.capability]) for p in pledges],
        dtype=bool,
    )
    threat_limits = []
    for k, p in enumerate(pledges):
        if p.capability not in req_of:
            continue
        domain = caps[p.capability].domain.value
        reaching = threats_reaching(scenario, [(where[k], domain)])
        t_idx = np.array([scenario.threats.index(t) for t in reaching], dtype=np.int64)
        for c in p.conditions:
            if isinstance(c, MaxThreat):
                threat_limits.append((k, c.probability, t_idx))
    inactive = _inactive_red_lines(scenario, option, fixed, i_ix)
    issue_conditions: list[tuple[int, int, int, bool]] = []
    authorised_by: list[int] = []
    for k, p in enumerate(pledges):
        for cond in p.conditions:
            if isinstance(cond, IssueMin | IssueMax):
                j = i_ix[cond.issue]
                value = round(cond.value * SCALE)
                is_min = isinstance(cond, IssueMin)
                if fixed[j] >= 0:
                    static_ok[k] &= bool(fixed[j] >= value if is_min else fixed[j] <= value)
                else:
                    issue_conditions.append((k, j, value, is_min))
            elif isinstance(cond, AuthorisedBy):
                if cond.venue != option.route:
                    static_ok[k] = False
                else:
                    authorised_by.append(k)
    no_troops = []
    for r_i, red in enumerate(scenario.red_lines):
        rule = red.rule
        if not isinstance(rule, NoTroops) or r_i in inactive:
            continue
        barred_actors = no_troops_from(scenario, rule)
        barred = np.array(
            [
                troops_barred(barred_actors, rule, p.actor, w)
                for p, w in zip(pledges, where, strict=True)
            ],
            dtype=bool,
        )
        no_troops.append((a_ix[red.actor], barred))
        # a contributor's own no_troops red line keeps its units out where they would serve
        own = np.array([p.actor == red.actor for p in pledges], dtype=bool) & barred
        if red.when is None and red.unless is None:
            static_ok &= ~own

    requirements = []
    for req in mission.requirements:
        idx = np.array(
            [k for k, p in enumerate(pledges) if p.capability == req.capability], dtype=np.int64
        )
        requirements.append(
            RequirementData(req.count, idx, caps[req.capability].domain.value, req.weight)
        )
    domains = tuple(dict.fromkeys(r.domain for r in requirements))
    return OptionData(
        option=option,
        route=v_ix[option.route],
        fixed=fixed,
        static_ok=static_ok,
        on_host=on_host,
        requirements=tuple(requirements),
        personnel=tuple(personnel),
        shares=tuple(shares),
        no_troops=tuple(no_troops),
        issue_conditions=tuple(issue_conditions),
        authorised_by=np.array(authorised_by, dtype=np.int64),
        domains=domains,
        presupposed=frozenset(mission.after_events),
        inactive=inactive,
        threat_limits=tuple(threat_limits),
    )


def _inactive_red_lines(
    scenario: Scenario, option: Option, fixed: IntArray, i_ix: dict[str, int]
) -> frozenset[int]:
    """Red lines whose ``when``/``unless`` rule them out for ``option``, decided on the route,
    the fixed issue values and the events (as the planner reads them). A condition on an issue
    the allocation changes is taken to hold (deviation: the sweep keeps such a red line)."""
    out = set()
    for r_i, red in enumerate(scenario.red_lines):
        if not red.active:
            out.add(r_i)
            continue
        conds = [(c, neg) for c, neg in ((red.when, False), (red.unless, True)) if c is not None]
        if not conds:
            continue
        values = {k: int(fixed[j]) for k, j in i_ix.items() if fixed[j] >= 0}
        for cond, negate in conds:
            if isinstance(cond, IssueMin | IssueMax) and cond.issue not in values:
                continue
            holds = condition_holds(scenario, cond, values, option.route, option.mission)
            if holds == negate:
                out.add(r_i)
    return frozenset(out)
