"""The planner on the built-in ``ukraine-2025-04`` scenario: qualitative facts, with the numbers
derived here from the scenario's own data.

The reassurance force is planned to deploy after a ceasefire (the concept's premise; the
ceasefire's probability is below one half, so the default assumptions would switch every
ceasefire-conditioned offer off).
"""

from __future__ import annotations

import re

import pytest

from peaceops.errors import InfeasibleError
from peaceops.planning import (
    ConditionState,
    Design,
    evaluate_design,
    solve_force_generation,
)
from peaceops.scenario import Scenario, load_scenario
from peaceops.scenario.model import (
    AfterEvent,
    Approval,
    AuthorisedBy,
    DesignChoice,
    IssueMax,
    IssueMin,
    Location,
    NoTroops,
    Pledge,
)
from peaceops.venues import veto_players

AFTER_CEASEFIRE = ConditionState(events={"ceasefire"})


@pytest.fixture(scope="module")
def ukraine() -> Scenario:
    return load_scenario("ukraine-2025-04")


def test_russia_rejects_nato_troops_on_ukrainian_territory(ukraine: Scenario) -> None:
    """One battalion of a NATO member on Ukrainian soil: Russia's no-troops red line is
    violated and named, with the offending contributor; the same unit serving in a
    neighbouring state no longer violates it."""
    s = ukraine
    red = next(
        r for r in s.red_lines if r.actor == s.planning.adversary and isinstance(r.rule, NoTroops)
    )
    assert isinstance(red.rule, NoTroops)
    assert (red.rule.from_group, red.rule.where) == ("NATO", "host_territory")
    mission = s.mission("reassurance")
    on_host = {r.capability for r in mission.requirements if r.location == "host_territory"}
    pledge = next(
        p
        for p in s.pledges
        if p.capability in on_host and "NATO" in s.actor(p.actor).groups and p.quantity.high > 0
    )
    design = Design.from_mission(mission, allocation={pledge.id: 1})
    russia = evaluate_design(s, design).acceptance("RUS")
    assert not russia.accepts
    assert red.id in russia.violated
    assert any(red.id in r and f"units from {pledge.actor}" in r for r in russia.reasons)
    moved = tuple(
        r.model_copy(update={"location": Location.neighbouring})
        if r.capability == pledge.capability
        else r
        for r in mission.requirements
    )
    elsewhere = s.model_copy(
        update={
            "missions": tuple(
                m.model_copy(update={"requirements": moved}) if m.id == mission.id else m
                for m in s.missions
            )
        }
    )
    assert red.id not in evaluate_design(elsewhere, design).acceptance("RUS").violated


def test_the_plan_has_nato_troops_so_russia_rejects_it(ukraine: Scenario) -> None:
    plan = solve_force_generation(ukraine, "reassurance", state=AFTER_CEASEFIRE)
    nato_on_host = {
        a.actor for a in plan.allocation if a.on_host and "NATO" in ukraine.actor(a.actor).groups
    }
    assert nato_on_host
    russia = plan.evaluation.acceptance("RUS")
    assert not russia.accepts
    assert "rus-no-nato-troops" in russia.violated


def _linear_utility(s: Scenario, actor: str, values: dict[str, float]) -> float:
    return -sum(
        st.salience * abs(values[issue] - st.position)
        for issue, st in s.stances.get(actor, {}).items()
    )


@pytest.mark.parametrize("venue", ["NATO", "EU"])
def test_nato_and_eu_routes_are_blocked_by_unanimity(ukraine: Scenario, venue: str) -> None:
    """Both decide by unanimity, so every member is a veto player; Hungary and Slovakia (whose
    utility from the design is below the status quo's, recomputed here from their stances)
    block; the planner names them in the conflict."""
    s = ukraine
    v = s.venue(venue)
    assert v.rule.kind == "unanimity"
    assert veto_players(s, v) == s.resolve_members(v.members)
    with pytest.raises(InfeasibleError) as info:
        solve_force_generation(s, "reassurance", route=venue, state=AFTER_CEASEFIRE)
    conflict = next(c for c in info.value.conflicts if c.startswith("the route's venue"))
    named = re.search(rf"{venue} blocked by ([A-Z, ]+)\)", conflict)
    assert named is not None
    blockers = set(named.group(1).split(", "))
    assert {"HUN", "SVK"} <= blockers
    relaxed = solve_force_generation(
        s, "reassurance", route=venue, require_authorisation=False, state=AFTER_CEASEFIRE
    )
    verdict = relaxed.evaluation.verdict(venue)
    assert not verdict.authorised
    assert set(verdict.blockers) == set(verdict.no) == blockers
    values = dict(relaxed.evaluation.issue_values)
    status_quo = {i.id: i.status_quo for i in s.issues}
    for actor in ("HUN", "SVK"):
        assert _linear_utility(s, actor, values) < _linear_utility(s, actor, status_quo)


def test_un_route_is_vetoed_by_russia(ukraine: Scenario) -> None:
    with pytest.raises(InfeasibleError) as info:
        solve_force_generation(ukraine, "reassurance", route="UNSC", state=AFTER_CEASEFIRE)
    assert any("UNSC blocked by RUS" in c for c in info.value.conflicts)


def _usable(s: Scenario, pledge: Pledge, route: str, backstop: float) -> bool:
    """The pledge's conditions on the coalition route, read directly from the data."""
    mission = s.mission("reassurance")
    for cond in pledge.conditions:
        if isinstance(cond, AfterEvent):
            ok = cond.event in AFTER_CEASEFIRE.events  # type: ignore[operator]
        elif isinstance(cond, Approval):
            ok = cond.probability >= 0.5
        elif isinstance(cond, AuthorisedBy):
            ok = cond.venue == route  # the coalition (opt-in) authorises its own route
        elif isinstance(cond, IssueMin | IssueMax):
            dmap = s.issue(cond.issue).design
            assert isinstance(dmap, DesignChoice), f"unexpected condition {cond!r}"
            value = backstop if dmap.dimension == "backstop" else mission.choices[dmap.dimension]
            ok = value >= cond.value if isinstance(cond, IssueMin) else value <= cond.value
        else:
            pytest.fail(f"this test does not read condition {cond!r}")
        if not ok:
            return False
    req = next(r for r in mission.requirements if r.capability == pledge.capability)
    for red in s.red_lines:
        rule = red.rule
        if red.actor == pledge.actor and isinstance(rule, NoTroops):
            barred = set(rule.from_actors) | (
                set(s.group_members(rule.from_group)) if rule.from_group else set()
            )
            if pledge.actor in barred and (
                rule.where == "anywhere" or req.location == "host_territory"
            ):
                return False
    return True


def test_reassurance_shortfalls_by_domain_from_april_2025_pledges(ukraine: Scenario) -> None:
    """On the coalition route with a backstop of 50, every usable pledge counts its low end;
    each requirement gets min(count, offered); the domain shortfall (personnel) follows. The
    force is short on land, has no air defence, medical or engineering units at all, and its
    headquarters are complete."""
    s = ukraine
    mission = s.mission("reassurance")
    plan = solve_force_generation(
        s, "reassurance", route="COALITION", levels={"backstop": 50}, state=AFTER_CEASEFIRE
    )
    offered: dict[str, int] = {}
    for p in s.pledges:
        if _usable(s, p, "COALITION", 50):
            offered[p.capability] = offered.get(p.capability, 0) + p.quantity.low
    expected_missing: dict[str, int] = {}
    for r in mission.requirements:
        cap = s.capability(r.capability)
        units = min(r.count, offered.get(r.capability, 0))
        got = next(x for x in plan.requirements if x.capability == r.capability)
        assert got.units == units, r.capability
        domain = cap.domain.value
        expected_missing[domain] = expected_missing.get(domain, 0) + (r.count - units) * (
            cap.personnel
        )
    domains = {d.domain: d for d in plan.domains}
    assert {d: domains[d].missing_personnel for d in domains} == expected_missing
    assert domains["land"].missing_personnel > 0
    for empty in ("air_defence", "medical", "engineering"):
        assert domains[empty].coverage == 0.0
    assert domains["command"].missing_units == 0
    for shortfall in plan.shortfalls:  # every shortfall is explained pledge by pledge
        named = {n.pledge for n in shortfall.notes}
        assert named == {p.id for p in s.pledges if p.capability == shortfall.capability}


def _waiting_for_ceasefire(s: Scenario) -> set[str]:
    """Ids of the pledges with an ``after_event: ceasefire`` condition."""
    return {
        p.id
        for p in s.pledges
        if any(isinstance(c, AfterEvent) and c.event == "ceasefire" for c in p.conditions)
    }


def test_offers_waiting_for_an_event_that_has_not_happened_are_excluded(
    ukraine: Scenario,
) -> None:
    """With no event assumed (and a concept that does not presuppose the ceasefire), every
    pledge waiting for the ceasefire is excluded, with that reason, and none is in the plan."""
    bare = ukraine.model_copy(
        update={
            "missions": tuple(m.model_copy(update={"after_events": ()}) for m in ukraine.missions)
        }
    )
    plan = solve_force_generation(
        bare, "reassurance", route="COALITION", state=ConditionState(events=())
    )
    waiting = _waiting_for_ceasefire(ukraine)
    assert waiting
    assert not waiting & {a.pledge for a in plan.allocation}
    notes = [n for r in plan.shortfalls for n in r.notes if n.pledge in waiting]
    assert notes
    assert all(n.status == "excluded" and "after ceasefire" in n.detail for n in notes)


def test_a_post_ceasefire_concept_counts_the_offers_waiting_for_the_ceasefire(
    ukraine: Scenario,
) -> None:
    """The reassurance concept presupposes the ceasefire (``after_events``), so even with no
    event assumed the UK and French offers that wait for it are in the plan."""
    assert ukraine.mission("reassurance").after_events == ("ceasefire",)
    plan = solve_force_generation(
        ukraine, "reassurance", route="COALITION", state=ConditionState(events=())
    )
    waiting = _waiting_for_ceasefire(ukraine)
    assert waiting & {a.pledge for a in plan.allocation}


def test_turkey_joining_adds_its_units_to_the_plan(ukraine: Scenario) -> None:
    """The packaged what-if patch: Turkey's two pledges now count on their upper ends. The plan
    takes them (within what is still missing), coverage rises, and Russia still rejects (Turkey
    is a NATO member)."""
    from importlib import resources

    from peaceops.planning import apply_patch, parse_patch

    path = resources.files("peaceops.scenarios") / "whatif" / "turkey-joins.yaml"
    patch = parse_patch(path.read_text(encoding="utf-8"), file=str(path))
    after = apply_patch(ukraine, patch)
    kw = {"route": "COALITION", "levels": {"backstop": 50.0}, "state": AFTER_CEASEFIRE}
    before_plan = solve_force_generation(ukraine, "reassurance", **kw)  # type: ignore[arg-type]
    after_plan = solve_force_generation(after, "reassurance", **kw)  # type: ignore[arg-type]
    turkish = [p for p in after.pledges if p.actor == "TUR"]
    assert turkish
    assert all(p.quantity.low > 0 for p in turkish)
    for p in turkish:
        req = next(r for r in before_plan.requirements if r.capability == p.capability)
        assert after_plan.design.units(p.id) == min(p.quantity.low, req.missing)
    assert after_plan.coverage > before_plan.coverage
    assert "rus-no-nato-troops" in after_plan.evaluation.acceptance("RUS").violated
