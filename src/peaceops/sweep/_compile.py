"""Compilation of a scenario's mission options into the arrays the option kernel reads.

See :mod:`peaceops.sweep._options` for the rules these arrays encode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peaceops.planning.acceptance import no_troops_from, troops_barred
from peaceops.planning.design import SCALE
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
    """One mission option: a mission concept, an authorisation route and a backstop level."""

    mission: str
    route: str
    backstop: float

    @property
    def id(self) -> str:
        """``mission/route/backstop``, e.g. ``reassurance/COALITION/50``."""
        return f"{self.mission}/{self.route}/{self.backstop:g}"


def mission_options(scenario: Scenario) -> tuple[Option, ...]:
    """Every mission x route x backstop level of the scenario's ``planning`` section.

    Routes are ``planning.routes`` (each mission's own route when none are listed); backstop
    levels are ``planning.backstop_levels``.
    """
    out = []
    for mission in scenario.missions:
        routes = scenario.planning.routes or (mission.route,)
        for route in routes:
            for level in scenario.planning.backstop_levels:
                out.append(Option(mission.id, route, float(level)))
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
    n_p = len(pledges)
    req_of = {r.capability: r for r in mission.requirements}
    on_host = np.array(
        [
            p.capability in req_of and req_of[p.capability].in_host and mission.zone > 0
            for p in pledges
        ],
        dtype=bool,
    )
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
            value = option.backstop if dmap.field == "backstop" else getattr(mission, dmap.field)
            fixed[j] = round(value * SCALE)
        elif isinstance(dmap, DesignPersonnel):
            counts = np.array(
                [
                    (not dmap.domains or caps[p.capability].domain.value in dmap.domains)
                    and (on_host[k] or not dmap.in_host_only)
                    for k, p in enumerate(pledges)
                ],
                dtype=bool,
            )
            personnel.append((j, dmap.full_scale, np.where(counts, pers, 0)))
        elif isinstance(dmap, DesignGroupShare):
            counts = np.array([on_host[k] or not dmap.in_host_only for k in range(n_p)], dtype=bool)
            member = np.array([dmap.group in groups[p.actor] for p in pledges], dtype=bool)
            shares.append((j, np.where(counts, pers, 0), np.where(counts & member, pers, 0)))

    static_ok = np.array([p.capability in req_of for p in pledges], dtype=bool)
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
    for red in scenario.red_lines:
        rule = red.rule
        if not isinstance(rule, NoTroops):
            continue
        barred_actors = no_troops_from(scenario, rule)
        barred = np.array(
            [
                troops_barred(barred_actors, rule, p.actor, bool(h))
                for p, h in zip(pledges, on_host, strict=True)
            ],
            dtype=bool,
        )
        no_troops.append((a_ix[red.actor], barred))
        # a contributor's own no_troops red line keeps its units out where they would serve
        own = np.array([p.actor == red.actor for p in pledges], dtype=bool) & barred
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
    )
