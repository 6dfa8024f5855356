"""Event effects on pledges, red lines, threats and other events' probabilities.

An event's ``changes`` may name an actor's stance or clout (applied by forecasts at the round
that contains the event's date), or a pledge (its new ``quantity``), a red line (``active``), a
threat or another event (its new ``probability``). :func:`apply_event_effects` applies the
latter kind for a set of events assumed to have happened, in scenario order of the events (a
later event's change wins); it is a pure function returning a new frozen scenario. Stance and
clout changes are left to the forecasts.
"""

from __future__ import annotations

from collections.abc import Iterable

from peaceops.scenario.model import EventChange, Scenario

__all__ = ["apply_event_effects", "has_effects"]


def _is_effect(change: EventChange) -> bool:
    return any(x is not None for x in (change.pledge, change.red_line, change.threat, change.event))


def has_effects(scenario: Scenario) -> bool:
    """Whether any event changes a pledge, red line, threat or event probability.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> has_effects(load_scenario("aspides-2024-02"))
    True
    """
    return any(_is_effect(c) for e in scenario.events for c in e.changes)


def apply_event_effects(scenario: Scenario, happened: Iterable[str]) -> Scenario:
    """``scenario`` after the pledge, red-line, threat and probability effects of the events
    ``happened`` (ids; unknown ids are ignored). Returns ``scenario`` itself when nothing
    changes.

    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> after = apply_event_effects(s, [e.id for e in s.events])
    >>> [(t.id, t.probability) for t in after.threats]
    [('hou-attacks-eu-ships', 0.2)]
    >>> apply_event_effects(s, []) is s
    True
    """
    done = set(happened)
    changes = [c for e in scenario.events if e.id in done for c in e.changes if _is_effect(c)]
    if not changes:
        return scenario
    pledges = {p.id: p for p in scenario.pledges}
    reds = {r.id: r for r in scenario.red_lines}
    threats = {t.id: t for t in scenario.threats}
    events = {e.id: e for e in scenario.events}
    for c in changes:
        if c.pledge is not None and c.quantity is not None:
            pledges[c.pledge] = pledges[c.pledge].model_copy(update={"quantity": c.quantity})
        if c.red_line is not None and c.active is not None:
            reds[c.red_line] = reds[c.red_line].model_copy(update={"active": c.active})
        if c.threat is not None and c.probability is not None:
            threats[c.threat] = threats[c.threat].model_copy(update={"probability": c.probability})
        if c.event is not None and c.probability is not None:
            events[c.event] = events[c.event].model_copy(update={"probability": c.probability})
    return scenario.model_copy(
        update={
            "pledges": tuple(pledges[p.id] for p in scenario.pledges),
            "red_lines": tuple(reds[r.id] for r in scenario.red_lines),
            "threats": tuple(threats[t.id] for t in scenario.threats),
            "events": tuple(events[e.id] for e in scenario.events),
        }
    )
