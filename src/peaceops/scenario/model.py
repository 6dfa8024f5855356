"""Frozen, typed models of a peaceops scenario (format version 2).

Format 1 files are migrated to format 2 before validation (:mod:`peaceops.scenario.migrate`).

Every field is documented for users in ``docs/scenario-format.md``; this module is the single
definition the loader validates against. Models are immutable (``frozen=True``) and reject
unknown fields (``extra="forbid"``) so a misspelt key is an error, not a silent default.
Cross-references (an actor a stance names, a source a figure cites) are checked by
:mod:`peaceops.scenario.checks`, which sees the whole file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Literal, Protocol, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "DOMAINS",
    "LOCATIONS",
    "Actor",
    "ActorKind",
    "Capability",
    "Condition",
    "Cues",
    "DesignMap",
    "Dimension",
    "Domain",
    "Event",
    "EventChange",
    "Figure",
    "Group",
    "Issue",
    "Location",
    "Members",
    "Mission",
    "Negotiation",
    "Official",
    "Planning",
    "Pledge",
    "Quantity",
    "RedLine",
    "RedLineCondition",
    "Requirement",
    "Scale",
    "Scenario",
    "Source",
    "SourceKind",
    "Stance",
    "Threat",
    "TimeAxis",
    "Uncertainty",
    "Venue",
    "VenueRule",
]

FORMAT_VERSION = 2


def _in_range(lo: float, hi: float) -> AfterValidator:
    def check(v: float) -> float:
        if not lo <= v <= hi:
            raise PydanticCustomError(
                "range",
                "{value} is outside {lo}..{hi}",
                {"value": f"{v:g}", "lo": f"{lo:g}", "hi": f"{hi:g}"},
            )
        return v

    return AfterValidator(check)


def _positive(v: float) -> float:
    if not v > 0:
        raise PydanticCustomError("positive", "{value} must be greater than 0", {"value": f"{v:g}"})
    return v


def _non_negative(v: float) -> float:
    if v < 0:
        raise PydanticCustomError(
            "non_negative", "{value} must not be negative", {"value": f"{v:g}"}
        )
    return v


def _ordered(v: tuple[float, float]) -> tuple[float, float]:
    if v[0] > v[1]:
        raise PydanticCustomError(
            "order", "low {lo} is above high {hi}", {"lo": f"{v[0]:g}", "hi": f"{v[1]:g}"}
        )
    return v


Unit = Annotated[float, _in_range(0.0, 1.0)]
"""A number in 0..1 (salience, clout, probability)."""
Scale100 = Annotated[float, _in_range(0.0, 100.0)]
"""A point on an issue's 0..100 scale."""
Probability = Unit
Count = Annotated[int, AfterValidator(_non_negative)]
PositiveInt = Annotated[int, AfterValidator(_positive)]
Ident = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$", max_length=64)]
SourceRefs = Annotated[tuple[Ident, ...], Field(min_length=1)]
UnitRange = Annotated[tuple[Unit, Unit], AfterValidator(_ordered)]
ScaleRange = Annotated[tuple[Scale100, Scale100], AfterValidator(_ordered)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class SourceKind(StrEnum):
    """What kind of evidence a source is."""

    news = "news"
    official = "official"
    dataset = "dataset"
    research = "research"
    judgement = "judgement"


class Source(_Frozen):
    """A citable source; a ``judgement`` source is the analyst's own estimate, with a rationale."""

    id: Ident
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    date: dt.date
    kind: SourceKind
    url: str | None = None
    locator: str | None = None
    rationale: str | None = None
    licence: str | None = None


class Group(_Frozen):
    """A named set of actors (an alliance, a council's permanent members), with its source."""

    id: Ident
    name: str
    sources: SourceRefs


class Uncertainty(_Frozen):
    """Low and high bounds of an uncertain value; the sweep samples uniformly between them."""

    position: ScaleRange | None = None
    salience: UnitRange | None = None


class Estimate(_Frozen):
    """A value in 0..1 with an optional uncertainty range and its sources."""

    value: Unit
    range: UnitRange | None = None
    sources: SourceRefs


class Figure(_Frozen):
    """A statistic (population, GDP) with the year it refers to and its sources."""

    value: Annotated[float, AfterValidator(_positive)]
    year: int = Field(ge=1900, le=2100)
    sources: SourceRefs


class ActorKind(StrEnum):
    """What an actor is."""

    state = "state"
    organisation = "organisation"
    bloc = "bloc"
    non_state = "non_state"


# --- evidence: names an article may use for an actor (issue 17) ---------------------------------
class Official(_Frozen):
    """A person who speaks for an actor (leader, minister, spokesperson, envoy) between two dates.

    ``to`` is ``None`` while the person is in office. The evidence reader matches a name only
    when the scenario's ``as_of`` date lies in ``from``..``to``.
    """

    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    from_: dt.date = Field(alias="from")
    to: dt.date | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Official:
        if self.to is not None and self.to < self.from_:
            raise PydanticCustomError(
                "order",
                "'to' {hi} is before 'from' {lo}",
                {"lo": self.from_.isoformat(), "hi": self.to.isoformat()},
            )
        return self


class Cues(_Frozen):
    """Terms that move a statement towards the 0 or the 100 end of an issue's scale."""

    low: tuple[str, ...] = Field(default=(), alias="0")
    high: tuple[str, ...] = Field(default=(), alias="100")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------------------------------------


class Actor(_Frozen):
    """A party to the negotiation or a potential contributor."""

    id: Ident
    name: str = Field(min_length=1)
    kind: ActorKind
    groups: tuple[Ident, ...] = ()
    clout: Estimate
    population: Figure | None = None
    gdp_usd: Figure | None = None
    patience: Annotated[float, _in_range(0.0, 1.0)] | None = None
    """Per-round discount factor in 0..1 (1 = perfectly patient); ``None`` = not modelled."""
    aliases: tuple[str, ...] = ()
    """Other names of the actor in text (``Kremlin``, ``Warsaw``); evidence reader only."""
    officials: tuple[Official, ...] = ()
    """People who speak for the actor, with dates in office; evidence reader only."""


class Scale(_Frozen):
    """What the ends and the middle of an issue's 0..100 scale mean."""

    low: str = Field(min_length=1, alias="0")
    mid: str = Field(min_length=1, alias="50")
    high: str = Field(min_length=1, alias="100")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class DesignPersonnel(_Frozen):
    """Issue value = 100 x min(1, deployed personnel / ``full_scale``), counting units in
    ``locations`` (all when empty)."""

    kind: Literal["personnel"]
    full_scale: PositiveInt
    domains: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()


class DesignGroupShare(_Frozen):
    """Issue value = 100 x share of deployed personnel (in ``locations``, all when empty) that
    comes from members of ``group``."""

    kind: Literal["group_share"]
    group: Ident
    locations: tuple[Location, ...] = ()


class DesignRoute(_Frozen):
    """Issue value read from the authorisation route (venue id) the design takes."""

    kind: Literal["route"]
    values: Mapping[Ident, Scale100]


class DesignChoice(_Frozen):
    """Issue value is the design's value on one of the scenario's declared ``dimensions``."""

    kind: Literal["choice"]
    dimension: Ident


DesignMap = Annotated[
    DesignPersonnel | DesignGroupShare | DesignRoute | DesignChoice, Field(discriminator="kind")
]


# --- who decides an issue (issue 10); see docs/scenario-format.md, "Who decides" -------------
class Negotiation(_Frozen):
    """The parties who bargain over an issue, and mediators who take part without a veto."""

    parties: Annotated[tuple[Ident, ...], Field(min_length=1)]
    mediators: tuple[Ident, ...] = ()


def _negotiation(v: object) -> object:
    """``negotiated_by: [A, B]`` is short for ``negotiated_by: {parties: [A, B]}``."""
    return {"parties": v} if isinstance(v, list | tuple) else v


#: Issue fields that say how an issue is settled; at most one per issue (checked in checks.py).
DECIDERS = ("decided_in", "decided_by", "from_force", "negotiated_by")


class Issue(_Frozen):
    """A policy dimension on a 0..100 scale."""

    id: Ident
    name: str = Field(min_length=1)
    description: str = ""
    scale: Scale
    status_quo: Scale100
    sources: SourceRefs
    design: DesignMap | None = None
    decided_in: Ident | None = None
    """Venue whose rule settles the issue (the forecast is limited to its win-set)."""
    decided_by: tuple[Ident, ...] = ()
    """Actors who settle the issue alone (jointly when several)."""
    from_force: bool = False
    """The issue is a property of the force fielded, read through ``design``."""
    negotiated_by: Annotated[Negotiation, BeforeValidator(_negotiation)] | None = None
    """Only these parties (and mediators) bargain over the issue."""
    cues: Cues | None = None
    """Terms that signal a position towards 0 or 100; evidence reader only."""


class Stance(_Frozen):
    """An actor's position on an issue, how much it cares, and the evidence."""

    position: Scale100
    salience: Unit
    uncertainty: Uncertainty | None = None
    sources: SourceRefs
    note: str | None = None


class Domain(StrEnum):
    """Capability domains."""

    command = "command"
    land = "land"
    air = "air"
    air_defence = "air_defence"
    maritime = "maritime"
    isr = "isr"
    logistics = "logistics"
    medical = "medical"
    engineering = "engineering"
    training = "training"
    police = "police"
    signals = "signals"
    monitoring = "monitoring"
    c4 = "c4"
    observation = "observation"
    strategic = "strategic"
    planning = "planning"
    finance = "finance"


DOMAINS: tuple[str, ...] = tuple(d.value for d in Domain)


def _lower(v: object) -> object:
    """Domains are matched without regard to case (the taxonomy writes ``ISR`` and ``C4``)."""
    return v.lower() if isinstance(v, str) else v


class Location(StrEnum):
    """Where units serve or a requirement stands."""

    host_territory = "host_territory"
    at_sea = "at_sea"
    neighbouring = "neighbouring"
    out_of_area = "out_of_area"


LOCATIONS: tuple[str, ...] = tuple(loc.value for loc in Location)


class Capability(_Frozen):
    """A unit type a contributor can offer and a mission can require."""

    id: Ident
    name: str = Field(min_length=1)
    domain: Annotated[Domain, BeforeValidator(_lower)]
    unit: str = Field(min_length=1)
    personnel: Count
    sources: SourceRefs


class Quantity(_Frozen):
    """A number of units, exact (``low == high``) or uncertain.

    The planner counts on ``low``; the sweep draws uniformly in ``low..high``. A plain whole
    number ``n`` in a file means ``{low: n, high: n}``.
    """

    low: Count
    high: Count


def _quantity(v: object) -> object:
    if isinstance(v, int) and not isinstance(v, bool):
        return {"low": v, "high": v}
    if isinstance(v, dict | Quantity):
        return v
    raise PydanticCustomError(
        "quantity",
        "expected a whole number, or low and high for a range, got {value}",
        {"value": repr(v)},
    )


class IssueMin(_Frozen):
    """Holds when the design's value on ``issue`` is at least ``value``."""

    kind: Literal["issue_min"]
    issue: Ident
    value: Scale100


class IssueMax(_Frozen):
    """Holds when the design's value on ``issue`` is at most ``value``."""

    kind: Literal["issue_max"]
    issue: Ident
    value: Scale100


class AuthorisedBy(_Frozen):
    """Holds when the design's route is ``venue`` and that venue authorises it."""

    kind: Literal["authorised_by"]
    venue: Ident


class AfterEvent(_Frozen):
    """Holds once ``event`` has happened."""

    kind: Literal["after_event"]
    event: Ident


class Approval(_Frozen):
    """Holds with ``probability``: a body (a parliament) must approve."""

    kind: Literal["approval"]
    body: str = Field(min_length=1)
    probability: Probability
    date: dt.date | None = None
    """When the body votes (or voted); a vote on or before the scenario's date is known."""


class RequiresParticipation(_Frozen):
    """Holds when ``actor`` also contributes units."""

    kind: Literal["requires_participation"]
    actor: Ident


class MaxThreat(_Frozen):
    """Holds when the probability that the pledge's units are attacked is at most ``probability``
    (the scenario's ``threats`` against the location and domain where they would serve)."""

    kind: Literal["max_threat"]
    probability: Probability


Condition = Annotated[
    IssueMin | IssueMax | AuthorisedBy | AfterEvent | Approval | RequiresParticipation | MaxThreat,
    Field(discriminator="kind"),
]

RedLineCondition = Annotated[
    IssueMin | IssueMax | AuthorisedBy | AfterEvent, Field(discriminator="kind")
]
"""Conditions a red line may depend on (``when`` / ``unless``)."""


class Pledge(_Frozen):
    """Units an actor offers, and the conditions under which the offer holds."""

    id: Ident
    actor: Ident
    capability: Ident
    quantity: Annotated[Quantity, BeforeValidator(_quantity)]
    location: Location | None = None
    """Where the units may serve (``None``: wherever the mission needs them)."""
    conditions: tuple[Condition, ...] = ()
    sources: SourceRefs
    note: str | None = None

    @property
    def planning_quantity(self) -> int:
        """Units the planner counts on: the quantity, or the low end of a range."""
        return self.quantity.low


class NoTroops(_Frozen):
    """No troops of the named actors or group members (``where``: on host territory or anywhere)."""

    kind: Literal["no_troops"]
    from_group: Ident | None = None
    from_actors: tuple[Ident, ...] = ()
    where: Literal["host_territory", "at_sea", "neighbouring", "out_of_area", "anywhere"] = (
        "host_territory"
    )


class RedIssueMin(_Frozen):
    """Rejects any design whose value on ``issue`` is below ``value``."""

    kind: Literal["issue_min"]
    issue: Ident
    value: Scale100


class RedIssueMax(_Frozen):
    """Rejects any design whose value on ``issue`` is above ``value``."""

    kind: Literal["issue_max"]
    issue: Ident
    value: Scale100


class RequiresAuthorisation(_Frozen):
    """Rejects any design that ``venue`` has not authorised."""

    kind: Literal["requires_authorisation"]
    venue: Ident


RedLineRule = Annotated[
    NoTroops | RedIssueMin | RedIssueMax | RequiresAuthorisation, Field(discriminator="kind")
]


class RedLine(_Frozen):
    """A structured constraint an actor will not accept (data, never code)."""

    id: Ident
    actor: Ident
    description: str = Field(min_length=1)
    rule: RedLineRule
    active: bool = True
    """Whether the red line holds from the start (an event's change may switch it)."""
    when: RedLineCondition | None = None
    """The red line holds only when this condition holds."""
    unless: RedLineCondition | None = None
    """The red line does not hold when this condition holds (``troops only under a UN mandate``)."""
    sources: SourceRefs


class Members(_Frozen):
    """Membership given by groups, packaged reference lists and/or actors, minus exclusions."""

    groups: tuple[Ident, ...] = ()
    lists: tuple[Ident, ...] = ()
    """Packaged membership lists (``UNSC_ELECTED``, ``EU``, ``NATO``...) as of the scenario date."""
    actors: tuple[Ident, ...] = ()
    exclude: tuple[Ident, ...] = ()


class Unanimity(_Frozen):
    """Every member must agree."""

    kind: Literal["unanimity"]


class CountQuota(_Frozen):
    """At least ``quota`` members must agree, including every veto player."""

    kind: Literal["count_quota"]
    quota: PositiveInt
    vetoes: Members = Members()


class Weighted(_Frozen):
    """Weighted quota game [quota; w...]: weights per member (default 1) and veto players."""

    kind: Literal["weighted"]
    quota: Annotated[float, AfterValidator(_positive)]
    weights: Mapping[Ident, Annotated[float, AfterValidator(_non_negative)]]
    vetoes: Members = Members()


class Criterion(_Frozen):
    """One weight vector of a multi-criteria rule: weights by ``count`` or ``population``."""

    weight: Literal["count", "population", "gdp_usd"]
    share: Annotated[float, _in_range(0.0, 1.0)]


class MultiQuota(_Frozen):
    """All criteria must be met (e.g. 55% of members and 65% of population), unless fewer than
    ``min_blocking`` members are against."""

    kind: Literal["multi_quota"]
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]
    min_blocking: PositiveInt | None = None


class OptIn(_Frozen):
    """Voluntary coalition: nobody can block; it acts once ``min_members`` members join."""

    kind: Literal["opt_in"]
    min_members: PositiveInt = 1


class Consent(_Frozen):
    """Every named party (e.g. host nation and adversary) must consent."""

    kind: Literal["consent"]


VenueRule = Annotated[
    Unanimity | CountQuota | Weighted | MultiQuota | OptIn | Consent, Field(discriminator="kind")
]


class Venue(_Frozen):
    """A decision body and its rule, how abstention counts, and how silent members vote."""

    id: Ident
    name: str = Field(min_length=1)
    rule: VenueRule
    members: Members
    abstention: Literal["blocks", "constructive", "not_a_veto"] = "blocks"
    abstainers: Members = Members()
    """Members that abstain, rather than vote against, a design they do not accept."""
    silent_vote: Literal["yes", "abstain", "no"] = "abstain"
    """How members without an actor entry (from ``lists``) vote."""
    description: str = ""
    sources: SourceRefs


class EventChange(_Frozen):
    """What an event changes: an actor's stance or clout, a pledge, a red line, a threat or
    another event's probability."""

    actor: Ident | None = None
    issue: Ident | None = None
    position: Scale100 | None = None
    salience: Unit | None = None
    clout: Unit | None = None
    pledge: Ident | None = None
    quantity: Annotated[Quantity, BeforeValidator(_quantity)] | None = None
    red_line: Ident | None = None
    active: bool | None = None
    """With ``red_line``: whether the red line holds after the event."""
    threat: Ident | None = None
    event: Ident | None = None
    probability: Probability | None = None
    """With ``threat`` or ``event``: its new probability."""


class Event(_Frozen):
    """Something that happens (or may happen) at a date and changes stances or clout."""

    id: Ident
    name: str = Field(min_length=1)
    date: dt.date | None = None
    probability: Probability = 1.0
    description: str = ""
    changes: tuple[EventChange, ...] = ()
    sources: SourceRefs


class Requirement(_Frozen):
    """Units of a capability a mission needs, where; priority 1 is the most important."""

    capability: Ident
    count: PositiveInt
    priority: Annotated[int, Field(ge=1, le=5)] = 2
    location: Location = Location.host_territory

    @property
    def weight(self) -> int:
        """Coverage weight: :func:`priority_weight` of the requirement's priority."""
        return priority_weight(self.priority)


def priority_weight(priority: int) -> int:
    """Coverage weight of a requirement of ``priority`` (1..5): ``2 ** (5 - priority)``, so one
    priority-1 unit short costs as much as two priority-2 units (the one home of this rule)."""
    return 1 << (5 - priority)


class Mission(_Frozen):
    """A mission concept: what it needs, where, under which mandate and intended route."""

    id: Ident
    name: str = Field(min_length=1)
    description: str = ""
    route: Ident
    choices: Mapping[Ident, Scale100] = Field(default_factory=dict)
    """The concept's values on the declared dimensions that have no ``levels``."""
    rotation_factor: Annotated[float, Field(ge=1.0, le=10.0)] = 1.0
    after_events: tuple[Ident, ...] = ()
    """Events the concept presupposes (pledges conditioned on them hold for its designs)."""
    requirements: Annotated[tuple[Requirement, ...], Field(min_length=1)]
    sources: SourceRefs


class Dimension(_Frozen):
    """A design dimension: what 0, 50 and 100 mean, the levels the planner tries (none: each
    mission concept fixes its value) and the actors who provide it."""

    id: Ident
    name: str = Field(min_length=1)
    description: str = ""
    scale: Scale
    levels: tuple[Scale100, ...] = ()
    provided_by: tuple[Ident, ...] = ()
    sources: SourceRefs


class Threat(_Frozen):
    """An actor's stated intent to attack the force, and the probability it does in the period.

    It applies to units serving in ``locations`` (all when empty) of the capability ``domains``
    (all when empty)."""

    id: Ident
    actor: Ident
    description: str = Field(min_length=1)
    probability: Probability
    range: UnitRange | None = None
    locations: tuple[Location, ...] = ()
    domains: tuple[Annotated[Domain, BeforeValidator(_lower)], ...] = ()
    sources: SourceRefs


class Planning(_Frozen):
    """The design space the planner explores and the parties it reports on."""

    routes: tuple[Ident, ...] = ()
    host: Ident | None = None
    adversary: Ident | None = None


class TimeAxis(_Frozen):
    """Calendar time of forecast rounds."""

    start: dt.date
    step_days: PositiveInt = 7
    horizon_rounds: PositiveInt = 26


class Scenario(_Frozen):
    """A whole validated scenario. Build it with :func:`peaceops.load_scenario`."""

    format_version: Literal[2] = 2
    id: Ident
    name: str = Field(min_length=1)
    as_of: dt.date
    description: str = ""
    time: TimeAxis
    sources: tuple[Source, ...]
    groups: tuple[Group, ...] = ()
    actors: tuple[Actor, ...]
    issues: tuple[Issue, ...]
    stances: Mapping[Ident, Mapping[Ident, Stance]] = Field(default_factory=dict)
    capabilities: tuple[Capability, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    red_lines: tuple[RedLine, ...] = ()
    venues: tuple[Venue, ...] = ()
    events: tuple[Event, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    threats: tuple[Threat, ...] = ()
    missions: tuple[Mission, ...] = ()
    planning: Planning = Planning()

    def actor(self, actor_id: str) -> Actor:
        """The actor with id ``actor_id`` (``KeyError`` if absent)."""
        return _by_id(self.actors, actor_id)

    def issue(self, issue_id: str) -> Issue:
        """The issue with id ``issue_id``."""
        return _by_id(self.issues, issue_id)

    def venue(self, venue_id: str) -> Venue:
        """The venue with id ``venue_id``."""
        return _by_id(self.venues, venue_id)

    def capability(self, capability_id: str) -> Capability:
        """The capability with id ``capability_id``."""
        return _by_id(self.capabilities, capability_id)

    def mission(self, mission_id: str) -> Mission:
        """The mission concept with id ``mission_id``."""
        return _by_id(self.missions, mission_id)

    def source(self, source_id: str) -> Source:
        """The source with id ``source_id``."""
        return _by_id(self.sources, source_id)

    def dimension(self, dimension_id: str) -> Dimension:
        """The design dimension with id ``dimension_id``."""
        return _by_id(self.dimensions, dimension_id)

    def planned_dimensions(self) -> tuple[Dimension, ...]:
        """Dimensions the planner plans over (those with ``levels``), in scenario order."""
        return tuple(d for d in self.dimensions if d.levels)

    def group_members(self, group_id: str) -> tuple[str, ...]:
        """Ids of actors in ``group_id``, in scenario order."""
        return tuple(a.id for a in self.actors if group_id in a.groups)

    def resolve_members(self, members: Members) -> tuple[str, ...]:
        """Actor ids named by ``members`` (groups, lists, actors, minus exclusions) in scenario
        order; members of a reference list that are not actors are left out (see
        :meth:`silent_members`)."""
        chosen = {a for g in members.groups for a in self.group_members(g)} | set(members.actors)
        chosen |= set(self._listed(members))
        chosen -= set(members.exclude)
        return tuple(a.id for a in self.actors if a.id in chosen)

    def silent_members(self, members: Members) -> tuple[str, ...]:
        """Members from reference lists that are not actors of the scenario (sorted codes)."""
        ids = {a.id for a in self.actors}
        return tuple(sorted(set(self._listed(members)) - ids - set(members.exclude)))

    def _listed(self, members: Members) -> tuple[str, ...]:
        if not members.lists:
            return ()
        from peaceops.scenario.memberships import members_on

        return tuple(m for name in members.lists for m in members_on(name, self.as_of))


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def _by_id(items: tuple[_T, ...], key: str) -> _T:
    for item in items:
        if item.id == key:
            return item
    raise KeyError(key)
