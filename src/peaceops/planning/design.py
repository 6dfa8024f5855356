r"""Mission designs and where a design sits in issue space.

A :class:`Design` fixes everything the parties judge: the mission concept (and so its
requirements and where they stand), its value on each design dimension the scenario declares
(the concept's own for dimensions without levels, a planned level for the others), the
authorisation route (a venue id), and who contributes which units (an allocation of units to
pledges). Each issue with a ``design`` map in the scenario reads its value from the design:

=================  ==============================================================================
``personnel``      :math:`100 \min(1, P / F)`, :math:`P` the personnel deployed in the map's
                   domains (all domains when none are listed), counting only units in the map's
                   ``locations`` (all when none are listed); :math:`F` is ``full_scale``
``group_share``    :math:`100\, G / P`, :math:`G` the part of :math:`P` (in the map's
                   ``locations``) from members of the group; 0 when :math:`P = 0`
``route``          the value listed for the design's route (0 when the route is not listed)
``choice``         the design's value on the map's ``dimension`` (0 when the design has none)
=================  ==============================================================================

Issues without a design map keep their status quo. A unit serves at the ``location`` of the
requirement it meets (host territory, at sea, in neighbouring states or out of area).

Issue values are measured in hundredths of a point, rounded down: this module computes them in
integers (:func:`scaled_issue_values`) so that the CP-SAT model of
:mod:`peaceops.planning.force` and the direct evaluation here agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from peaceops.errors import Problem, ScenarioError
from peaceops.scenario.model import (
    Capability,
    DesignChoice,
    DesignGroupShare,
    DesignPersonnel,
    DesignRoute,
    Issue,
    Location,
    Mission,
    Pledge,
    Requirement,
    Scenario,
)

__all__ = ["Deployment", "Design", "deployment", "design_issue_values"]

#: Issue values are integers in hundredths of a point: 0..10000 on the 0..100 scale.
SCALE = 100
FULL = 100 * SCALE

_INPUT = "<design>"


def scaled(value: float) -> int:
    """A point on the 0..100 scale in hundredths, rounded to the nearest."""
    return round(value * SCALE)


@dataclass(frozen=True)
class Design:
    """One candidate design of a mission: choices plus an allocation of units to pledges.

    Attributes
    ----------
    mission
        Id of the mission concept (its requirements and rotation factor).
    route
        Venue id of the authorisation route.
    choices
        ``(dimension id, value)`` pairs on the 0..100 scales: the concept's own values and the
        planned levels (see :meth:`from_mission`).
    allocation
        ``(pledge id, units)`` pairs with units > 0, in scenario order of the pledges.
    """

    mission: str
    route: str
    choices: tuple[tuple[str, float], ...] = ()
    allocation: tuple[tuple[str, int], ...] = ()

    @classmethod
    def from_mission(
        cls,
        mission: Mission,
        *,
        route: str | None = None,
        levels: Mapping[str, float] | Iterable[tuple[str, float]] = (),
        allocation: Mapping[str, int] | Iterable[tuple[str, int]] = (),
    ) -> Design:
        """The design of ``mission`` with its own choices plus the planned ``levels``.

        ``route`` defaults to the mission's route; pledges with 0 units are dropped from
        ``allocation``.
        """
        pairs = allocation.items() if isinstance(allocation, Mapping) else allocation
        chosen = dict(levels.items() if isinstance(levels, Mapping) else levels)
        return cls(
            mission=mission.id,
            route=mission.route if route is None else route,
            choices=tuple((k, float(v)) for k, v in {**dict(mission.choices), **chosen}.items()),
            allocation=tuple((p, int(u)) for p, u in pairs if u),
        )

    def units(self, pledge_id: str) -> int:
        """Units the design takes from pledge ``pledge_id`` (0 when none)."""
        return dict(self.allocation).get(pledge_id, 0)

    def value(self, dimension: str) -> float:
        """The design's value on ``dimension`` (0 when it has none)."""
        return dict(self.choices).get(dimension, 0.0)


@dataclass(frozen=True)
class Deployment:
    """Units a design takes from one pledge, and where they serve.

    Attributes
    ----------
    pledge, actor, capability, domain
        The pledge and what it offers.
    units
        Units deployed.
    personnel
        ``units`` times the capability's personnel per unit (deployed, without rotation).
    location
        Where the units serve: the location of the requirement they meet.
    """

    pledge: str
    actor: str
    capability: str
    domain: str
    units: int
    personnel: int
    location: str

    @property
    def on_host(self) -> bool:
        """Whether the units serve on host territory."""
        return self.location == Location.host_territory.value


def on_host_territory(requirement: Requirement) -> bool:
    """Whether units meeting ``requirement`` serve on host territory."""
    return requirement.location == Location.host_territory


def in_locations(location: str, locations: tuple[Location, ...]) -> bool:
    """Whether ``location`` is among ``locations`` (every location when empty)."""
    return not locations or location in {loc.value for loc in locations}


def serves_at(pledge: Pledge, requirement: Requirement) -> bool:
    """Whether ``pledge``'s units may meet ``requirement`` (its location, when it has one)."""
    return pledge.location is None or pledge.location == requirement.location


def requirement_for(mission: Mission, capability: str) -> Requirement | None:
    """The mission's requirement for ``capability`` (at most one; the scenario checks it)."""
    for req in mission.requirements:
        if req.capability == capability:
            return req
    return None


def counts_toward(issue: Issue, capability: Capability, location: str) -> bool:
    """Whether personnel of ``capability`` at ``location`` counts in the total :math:`P` of
    ``issue``'s map."""
    design = issue.design
    if isinstance(design, DesignPersonnel):
        in_domain = not design.domains or capability.domain.value in design.domains
        return in_domain and in_locations(location, design.locations)
    if isinstance(design, DesignGroupShare):
        return in_locations(location, design.locations)
    return False


def personnel_value(total: int, full_scale: int) -> int:
    """``personnel`` map in hundredths: :math:`\\lfloor 10^4 \\min(P, F) / F \\rfloor`."""
    return FULL * min(total, full_scale) // full_scale


def share_value(group: int, total: int) -> int:
    """``group_share`` map in hundredths: :math:`\\lfloor 10^4 G / P \\rfloor`, 0 if P = 0."""
    return FULL * group // total if total > 0 else 0


def deployment(scenario: Scenario, design: Design) -> tuple[Deployment, ...]:
    """The units of ``design``, one :class:`Deployment` per pledge used, in pledge order.

    Raises
    ------
    ScenarioError
        When the design names an unknown mission, route or pledge, a pledge whose capability
        the mission does not require, or more units than a pledge offers at most.

    Examples
    --------
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> d = Design.from_mission(s.mission("monitors"), allocation={"ldr-inf": 2})
    >>> [(x.pledge, x.actor, x.units, x.personnel) for x in deployment(s, d)]
    [('ldr-inf', 'LDR', 2, 1700)]
    """
    mission = _check(scenario, design)
    pledges = {p.id: p for p in scenario.pledges}
    out = []
    units = dict(design.allocation)
    for pledge in scenario.pledges:
        n = units.get(pledge.id, 0)
        if n == 0:
            continue
        cap = scenario.capability(pledge.capability)
        req = requirement_for(mission, pledge.capability)
        assert req is not None  # checked by _check
        out.append(
            Deployment(
                pledge=pledge.id,
                actor=pledges[pledge.id].actor,
                capability=cap.id,
                domain=cap.domain.value,
                units=n,
                personnel=n * cap.personnel,
                location=req.location.value,
            )
        )
    return tuple(out)


def scaled_issue_values(
    scenario: Scenario, design: Design, deployed: tuple[Deployment, ...] | None = None
) -> dict[str, int]:
    """Every issue's value under ``design`` in hundredths of a point (see the module docstring)."""
    units = deployment(scenario, design) if deployed is None else deployed
    caps = {c.id: c for c in scenario.capabilities}
    actors = {a.id: a for a in scenario.actors}
    out: dict[str, int] = {}
    for issue in scenario.issues:
        dmap = issue.design
        if dmap is None:
            out[issue.id] = scaled(issue.status_quo)
        elif isinstance(dmap, DesignPersonnel):
            total = sum(
                d.personnel for d in units if counts_toward(issue, caps[d.capability], d.location)
            )
            out[issue.id] = personnel_value(total, dmap.full_scale)
        elif isinstance(dmap, DesignGroupShare):
            counted = [d for d in units if counts_toward(issue, caps[d.capability], d.location)]
            total = sum(d.personnel for d in counted)
            group = sum(d.personnel for d in counted if dmap.group in actors[d.actor].groups)
            out[issue.id] = share_value(group, total)
        elif isinstance(dmap, DesignRoute):
            out[issue.id] = scaled(dmap.values.get(design.route, 0.0))
        elif isinstance(dmap, DesignChoice):
            out[issue.id] = scaled(design.value(dmap.dimension))
        else:  # pragma: no cover - the model admits no other kind
            raise TypeError(f"unknown design map {dmap!r}")
    return out


def design_issue_values(scenario: Scenario, design: Design) -> Mapping[str, float]:
    """Every issue's value (0..100, in hundredths) under ``design``, by issue id.

    Parameters
    ----------
    scenario
        A validated scenario.
    design
        The design to place in issue space.

    Returns
    -------
    Mapping[str, float]
        Read-only mapping in scenario order of the issues.

    Raises
    ------
    ScenarioError
        See :func:`deployment`.

    Examples
    --------
    The template's mission with two of the lead contributor's battalions (2 x 850 land
    troops of a 20,000 full scale is 8.5; all of them from the alliance; a UN route):

    >>> from peaceops.scenario import parse_scenario
    >>> from peaceops.planning import Design
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> d = Design.from_mission(s.mission("monitors"), allocation={"ldr-inf": 2})
    >>> dict(design_issue_values(s, d))
    {'ground_size': 8.5, 'alliance_share': 100.0, 'un_authorisation': 100.0}
    """
    return MappingProxyType(
        {k: v / SCALE for k, v in scaled_issue_values(scenario, design).items()}
    )


def _check(scenario: Scenario, design: Design) -> Mission:
    problems: list[Problem] = []

    def bad(path: str, message: str) -> None:
        problems.append(Problem(_INPUT, None, path, message))

    try:
        mission = scenario.mission(design.mission)
    except KeyError:
        known = ", ".join(m.id for m in scenario.missions) or "none"
        raise ScenarioError(
            [Problem(_INPUT, None, "mission", f"unknown mission {design.mission!r} ({known})")]
        ) from None
    if design.route not in {v.id for v in scenario.venues}:
        bad("route", f"unknown venue {design.route!r}: the route must be a venue id")
    dims = {d.id for d in scenario.dimensions}
    for dim, value in design.choices:
        if dim not in dims:
            bad(f"choices[{dim}]", f"unknown dimension {dim!r}")
        elif not 0 <= value <= 100:
            bad(f"choices[{dim}]", f"{value!r} is outside 0..100")
    pledges: dict[str, Pledge] = {p.id: p for p in scenario.pledges}
    seen: set[str] = set()
    for pledge_id, units in design.allocation:
        path = f"allocation[{pledge_id}]"
        pledge = pledges.get(pledge_id)
        if pledge is None:
            bad(path, f"unknown pledge {pledge_id!r}")
            continue
        if pledge_id in seen:
            bad(path, "pledge listed twice: give its units once")
        seen.add(pledge_id)
        if requirement_for(mission, pledge.capability) is None:
            bad(path, f"mission {mission.id!r} does not require {pledge.capability!r}")
        if not 0 <= units <= pledge.quantity.high:
            bad(path, f"{units!r} units: the pledge offers 0..{pledge.quantity.high}")
        req = requirement_for(mission, pledge.capability)
        if units and req is not None and not serves_at(pledge, req):
            bad(path, f"the pledge's units serve {pledge.location}, not {req.location.value}")
    if problems:
        raise ScenarioError(problems)
    return mission
