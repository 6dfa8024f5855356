"""Venue verdicts: does a decision body authorise, given which of its members say yes?

A scenario's venue (members by group and actor, a rule) decides on a proposal once each member
has said yes or no. This module answers, for one set of yes-voters: authorised or not, which
members blocked (veto players who said no, or the no-voters when no veto was used), and who was
pivotal (a member whose switch alone would change the verdict, i.e. a swing in the sense of
Banzhaf 1965).

:func:`wins` evaluates the scenario's rule directly on one coalition (what the planner and the
sweep need, many times over); the power engine compiles the same rule into a simple game for
its indices, and a test checks that both agree on every coalition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peaceops.scenario.model import (
    Consent,
    CountQuota,
    MultiQuota,
    OptIn,
    Scenario,
    Unanimity,
    Venue,
    Weighted,
)

__all__ = ["VenueVerdict", "venue_verdict", "veto_players", "wins"]


@dataclass(frozen=True)
class VenueVerdict:
    """A venue's decision on one proposal.

    Attributes
    ----------
    venue
        Venue id.
    authorised
        Whether the yes-voters form a winning coalition.
    yes, no
        Members who accepted and who did not, in scenario order.
    blockers
        When not authorised: the veto players among the no-voters, or all no-voters if none of
        them holds a veto. Empty when authorised.
    pivotal
        Members whose switch alone would flip the verdict.
    """

    venue: str
    authorised: bool
    yes: tuple[str, ...]
    no: tuple[str, ...]
    blockers: tuple[str, ...]
    pivotal: tuple[str, ...]


def wins(scenario: Scenario, venue: Venue, yes: Iterable[str]) -> bool:
    """Whether members ``yes`` (non-members are ignored) carry a decision in ``venue``."""
    members = scenario.resolve_members(venue.members)
    chosen = frozenset(yes) & frozenset(members)
    rule = venue.rule
    if isinstance(rule, Unanimity | Consent):
        return len(chosen) == len(members)
    if isinstance(rule, OptIn):
        return len(chosen) >= rule.min_members
    if isinstance(rule, CountQuota):
        vetoes = scenario.resolve_members(rule.vetoes)
        return len(chosen) >= rule.quota and all(v in chosen for v in vetoes)
    if isinstance(rule, Weighted):
        vetoes = scenario.resolve_members(rule.vetoes)
        total = sum(rule.weights.get(a, 1.0) for a in chosen)
        return total >= rule.quota and all(v in chosen for v in vetoes)
    if isinstance(rule, MultiQuota):
        if rule.min_blocking is not None and len(members) - len(chosen) < rule.min_blocking:
            return True
        for criterion in rule.criteria:
            weights = {a: _weight(scenario, a, criterion.weight) for a in members}
            total = sum(weights.values())
            if sum(weights[a] for a in chosen) < criterion.share * total:
                return False
        return True
    raise TypeError(f"unknown venue rule {rule!r}")


def veto_players(scenario: Scenario, venue: Venue) -> tuple[str, ...]:
    """Members without whom no coalition wins (every member but one cannot carry it)."""
    members = scenario.resolve_members(venue.members)
    return tuple(a for a in members if not wins(scenario, venue, set(members) - {a}))


def venue_verdict(scenario: Scenario, venue_id: str, accepting: Iterable[str]) -> VenueVerdict:
    """The verdict of venue ``venue_id`` when the actors in ``accepting`` say yes."""
    venue = scenario.venue(venue_id)
    members = scenario.resolve_members(venue.members)
    accept = frozenset(accepting)
    yes = tuple(a for a in members if a in accept)
    no = tuple(a for a in members if a not in accept)
    authorised = wins(scenario, venue, yes)
    pivotal = tuple(a for a in members if wins(scenario, venue, set(yes) ^ {a}) != authorised)
    blockers: tuple[str, ...] = ()
    if not authorised:
        vetoes = set(veto_players(scenario, venue))
        blockers = tuple(a for a in no if a in vetoes) or no
    return VenueVerdict(venue_id, authorised, yes, no, blockers, pivotal)


def _weight(scenario: Scenario, actor_id: str, kind: str) -> float:
    if kind == "count":
        return 1.0
    actor = scenario.actor(actor_id)
    figure = actor.population if kind == "population" else actor.gdp_usd
    if figure is None:  # the scenario checks guarantee figures for weighted members
        raise ValueError(f"actor {actor_id!r} has no {kind} figure")
    return figure.value
