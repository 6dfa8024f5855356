"""Pledge conditions: what the planner assumes, and whether a design meets each condition.

A pledge holds under a design when all its conditions hold and none of its own actor's red
lines stands in the way (a contributor's red lines restrict its own pledges: a "no Polish
troops in Ukraine" red line keeps Polish units off host territory). Conditions that depend on
chance, events and parliamentary approvals, are read from an explicit
:class:`ConditionState`, so that the sweep can draw them and the deterministic plan can fix
them:

- ``after_event``: holds when the mission concept presupposes the event
  (``Mission.after_events``) or the event is in ``events``; by default (``events=None``) every
  event of probability at least ``threshold`` (0.5) is assumed to have happened before the
  mission deploys. Pass ``events`` to plan a mission that deploys after a given event
  whatever its probability.
- ``approval``: holds when ``approvals[(actor, body)]`` says so; by default when the
  condition's probability is at least ``threshold``.
- ``issue_min``/``issue_max``: on the design's issue values (which count the pledge's own
  units); ``authorised_by``: the design's route is that venue and the venue authorises;
  ``requires_participation``: the named actor contributes at least one unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from peaceops.planning.acceptance import DesignEvaluation, no_troops_from, troops_barred
from peaceops.planning.design import SCALE, requirement_for, scaled
from peaceops.planning.threats import threat_probability
from peaceops.scenario.model import (
    AfterEvent,
    Approval,
    AuthorisedBy,
    Condition,
    DesignChoice,
    IssueMax,
    IssueMin,
    MaxThreat,
    Mission,
    NoTroops,
    Pledge,
    RedLine,
    RequiresParticipation,
    Scenario,
)
from peaceops.scenario.tables import WHERE_WORDS, describe_condition, describe_red_line

__all__ = ["ConditionState", "PledgeStatus", "pledge_status"]


@dataclass(frozen=True, init=False)
class ConditionState:
    """Assumptions about the uncertain parts of pledges: events, approvals, quantities.

    Attributes
    ----------
    events
        Ids of the events assumed to have happened before deployment, or ``None`` for every
        event with probability at least ``threshold``.
    approvals
        ``(actor, body) -> granted`` for ``approval`` conditions; a missing pair is granted
        when the condition's probability is at least ``threshold``.
    threats
        Threat id -> probability, overriding the scenario's (the sweep's draws).
    quantities
        Pledge id -> units offered; a missing pledge offers its ``planning_quantity`` (the low
        end of its range). The sweep draws these within ``low..high``.
    threshold
        Probability from which an event or approval is assumed in the deterministic plan.
    """

    events: frozenset[str] | None
    approvals: Mapping[tuple[str, str], bool]
    quantities: Mapping[str, int]
    threshold: float
    threats: Mapping[str, float]

    def __init__(
        self,
        *,
        events: Iterable[str] | None = None,
        approvals: Mapping[tuple[str, str], bool] | None = None,
        quantities: Mapping[str, int] | None = None,
        threshold: float = 0.5,
        threats: Mapping[str, float] | None = None,
    ) -> None:
        object.__setattr__(self, "events", None if events is None else frozenset(events))
        object.__setattr__(self, "approvals", MappingProxyType(dict(approvals or {})))
        object.__setattr__(self, "quantities", MappingProxyType(dict(quantities or {})))
        object.__setattr__(self, "threshold", float(threshold))
        object.__setattr__(self, "threats", MappingProxyType(dict(threats or {})))

    def __hash__(self) -> int:
        return hash(
            (
                self.events,
                tuple(sorted(self.approvals.items())),
                tuple(sorted(self.quantities.items())),
                self.threshold,
                tuple(sorted(self.threats.items())),
            )
        )

    def event_happened(
        self, scenario: Scenario, event_id: str, *, mission: Mission | None = None
    ) -> bool:
        """Whether event ``event_id`` is assumed to have happened.

        An event the mission concept presupposes (``mission.after_events``) has happened by
        definition for that mission's designs.
        """
        if mission is not None and event_id in mission.after_events:
            return True
        if self.events is not None:
            return event_id in self.events
        return any(e.id == event_id and e.probability >= self.threshold for e in scenario.events)

    def approved(self, actor: str, condition: Approval) -> bool:
        """Whether ``actor``'s body named in ``condition`` is assumed to approve."""
        granted = self.approvals.get((actor, condition.body))
        return condition.probability >= self.threshold if granted is None else granted

    def quantity(self, pledge: Pledge) -> int:
        """Units ``pledge`` is assumed to offer."""
        return self.quantities.get(pledge.id, pledge.planning_quantity)

    def to_dict(self) -> dict[str, Any]:
        """The assumptions as plain data (for run records)."""
        return {
            "events": None if self.events is None else sorted(self.events),
            "approvals": [[a, b, v] for (a, b), v in sorted(self.approvals.items())],
            "quantities": dict(sorted(self.quantities.items())),
            "threshold": self.threshold,
            **({"threats": dict(sorted(self.threats.items()))} if self.threats else {}),
        }


@dataclass(frozen=True)
class PledgeStatus:
    """Whether a pledge holds under a design, and what fails when it does not.

    Attributes
    ----------
    pledge, actor, capability
        The pledge.
    offered
        Units the pledge offers under the :class:`ConditionState`.
    units
        Units the design takes from it.
    holds
        True when every condition holds and no own red line stands in the way.
    failed
        The failing conditions and red lines in words, with the design's values.
    """

    pledge: str
    actor: str
    capability: str
    offered: int
    units: int
    holds: bool
    failed: tuple[str, ...]


def pledge_status(
    scenario: Scenario, evaluation: DesignEvaluation, *, state: ConditionState | None = None
) -> tuple[PledgeStatus, ...]:
    """The status of every pledge for a capability the design's mission requires.

    Parameters
    ----------
    scenario
        A validated scenario.
    evaluation
        The design's evaluation (:func:`~peaceops.planning.evaluate_design`): its issue values
        and venue verdicts decide ``issue_*`` and ``authorised_by`` conditions.
    state
        Assumed events, approvals and quantities (default :class:`ConditionState()`).

    Returns
    -------
    tuple of PledgeStatus
        In scenario order of the pledges.

    Examples
    --------
    In the template the neutral contributor's battalion needs a UN Security Council
    authorisation (the adversary, a permanent member, blocks it) and its hospital at most
    half of the troops from the alliance (two of the lead contributor's battalions make the
    alliance share 100):

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.planning import Design, evaluate_design
    >>> d = Design.from_mission(s.mission("monitors"), allocation={"ldr-inf": 2})
    >>> for p in pledge_status(s, evaluate_design(s, d)): print(p.pledge, p.holds, p.failed)
    ldr-inf True ()
    ntr-inf False ('authorised by UNSC (UNSC blocked by ADV)',)
    ntr-med False ("alliance_share <= 50 (the design's alliance_share is 100)",)
    """
    state = state or ConditionState()
    design = evaluation.design
    mission = scenario.mission(design.mission)
    contributing = {d.actor for d in evaluation.deployed}
    out = []
    for pledge in scenario.pledges:
        req = requirement_for(mission, pledge.capability)
        if req is None:
            continue
        location = req.location.value
        failed = [
            msg
            for cond in pledge.conditions
            if (msg := _condition_failure(scenario, pledge, cond, evaluation, state, contributing))
        ]
        failed += own_red_line_failures(scenario, pledge, location, evaluation)
        out.append(
            PledgeStatus(
                pledge=pledge.id,
                actor=pledge.actor,
                capability=pledge.capability,
                offered=state.quantity(pledge),
                units=design.units(pledge.id),
                holds=not failed,
                failed=tuple(failed),
            )
        )
    return tuple(out)


def own_red_line_failures(
    scenario: Scenario, pledge: Pledge, location: str, evaluation: DesignEvaluation | None
) -> list[str]:
    """The pledge actor's own red lines that keep the pledge out.

    Without an evaluation only the static case is checked: a ``no_troops`` red line that bars
    the actor's own units where the pledge's units would serve.
    """
    out = []
    for red in own_red_lines(scenario, pledge.actor):
        if bars_own_units(scenario, red, pledge.actor, location):
            out.append(
                f"own red line {red.id}: {describe_red_line(red)} "
                f"(these units would serve {WHERE_WORDS[location]})"
            )
        elif evaluation is not None and red.id in evaluation.acceptance(red.actor).violated:
            out.append(f"own red line {red.id}: {describe_red_line(red)} (violated by the design)")
    return out


def own_red_lines(scenario: Scenario, actor: str) -> tuple[RedLine, ...]:
    """Red lines owned by ``actor``."""
    return tuple(r for r in scenario.red_lines if r.actor == actor)


def bars_own_units(scenario: Scenario, red: RedLine, actor: str, location: str) -> bool:
    """Whether ``red`` (owned by ``actor``, unconditional) bars ``actor``'s own units serving
    at ``location``. A conditional red line (``when``/``unless``) depends on the design and is
    left to the design's evaluation."""
    rule = red.rule
    return (
        isinstance(rule, NoTroops)
        and red.active
        and red.when is None
        and red.unless is None
        and troops_barred(no_troops_from(scenario, rule), rule, actor, location)
    )


def fixed_issue_values(scenario: Scenario, mission: Mission) -> dict[str, int]:
    """Issue values (hundredths) that no planning choice changes for ``mission``.

    Issues without a design map stay at their status quo; ``choice`` maps on dimensions
    without levels read the mission's own value. Personnel, group share, route and planned
    dimensions vary.
    """
    out = {}
    for issue in scenario.issues:
        dmap = issue.design
        if dmap is None:
            out[issue.id] = scaled(issue.status_quo)
        elif isinstance(dmap, DesignChoice) and dmap.dimension in mission.choices:
            out[issue.id] = scaled(mission.choices[dmap.dimension])
    return out


def static_failure(
    scenario: Scenario,
    cond: Condition,
    pledge: Pledge,
    state: ConditionState,
    fixed: Mapping[str, int],
    mission: Mission | None = None,
) -> str | None:
    """Why ``cond`` fails whatever the plan does, or ``None`` (it holds or depends on the plan)."""
    if isinstance(cond, AfterEvent) and not state.event_happened(
        scenario, cond.event, mission=mission
    ):
        return f"{describe_condition(cond)} (the event is not assumed to have happened)"
    if isinstance(cond, Approval) and not state.approved(pledge.actor, cond):
        return f"{describe_condition(cond)} (approval not assumed)"
    if isinstance(cond, MaxThreat) and mission is not None:
        req = requirement_for(mission, pledge.capability)
        if req is not None:
            domain = scenario.capability(pledge.capability).domain.value
            risk = threat_probability(scenario, req.location.value, domain, state.threats)
            if risk > cond.probability:
                return f"{describe_condition(cond)} (the threat there is {risk:.0%})"
    if isinstance(cond, IssueMin | IssueMax) and cond.issue in fixed:
        value = fixed[cond.issue]
        low = isinstance(cond, IssueMin)
        if (low and value < scaled(cond.value)) or (not low and value > scaled(cond.value)):
            return f"{describe_condition(cond)} ({cond.issue} is {value / SCALE:g})"
    return None


def _condition_failure(
    scenario: Scenario,
    pledge: Pledge,
    cond: Condition,
    evaluation: DesignEvaluation,
    state: ConditionState,
    contributing: set[str],
) -> str | None:
    text = describe_condition(cond)
    if isinstance(cond, AfterEvent | Approval | MaxThreat):
        mission = scenario.mission(evaluation.design.mission)
        return static_failure(scenario, cond, pledge, state, {}, mission)
    if isinstance(cond, IssueMin | IssueMax):
        value = evaluation.issue_values[cond.issue]
        low = isinstance(cond, IssueMin)
        if (low and scaled(value) < scaled(cond.value)) or (
            not low and scaled(value) > scaled(cond.value)
        ):
            return f"{text} (the design's {cond.issue} is {value:g})"
        return None
    if isinstance(cond, AuthorisedBy):
        if evaluation.design.route != cond.venue:
            return f"{text} (the route is {evaluation.design.route})"
        verdict = evaluation.verdict(cond.venue)
        if not verdict.authorised:
            return f"{text} ({cond.venue} blocked by {', '.join(verdict.blockers)})"
        return None
    if isinstance(cond, RequiresParticipation):
        if cond.actor not in contributing:
            return f"{text} ({cond.actor} contributes no units)"
        return None
    raise TypeError(f"unknown condition {cond!r}")  # pragma: no cover
