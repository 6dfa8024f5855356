"""Format-2 rules worked by hand: conditional red lines, abstention and silent members, threats,
event effects and several planned dimensions."""

from __future__ import annotations

import pytest

from peaceops.planning import (
    ConditionState,
    Design,
    evaluate_design,
    option_matrix,
    solve_force_generation,
)
from peaceops.planning.threats import force_risk, threat_probability
from peaceops.scenario import parse_scenario
from peaceops.scenario.events import apply_event_effects
from peaceops.scenario.model import Scenario
from peaceops.venues import venue_verdict, veto_players, wins

#: Two routes (a union council of 27 members by list, a council of three), a contributor ITA
#: whose ships serve only under the council, two threats at sea, two planned dimensions.
CASE = """
format_version: 2
id: rules
name: Format-2 rules by hand
as_of: 2024-02-21
time: {start: 2024-02-21}
sources:
  - {id: s, title: Test data, publisher: tests, date: 2024-01-01, kind: judgement,
     rationale: Values chosen so that every result can be worked out by hand.}
actors:
  - {id: ITA, name: Italy, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: ESP, name: Spain, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: P, name: Permanent member, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: Q, name: Permanent member two, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: HOU, name: Armed group, kind: non_state, clout: {value: 0.5, sources: [s]}}
issues:
  - id: air
    name: Air cover
    scale: {"0": none, "50": some, "100": full}
    status_quo: 0
    sources: [s]
    design: {kind: choice, dimension: air}
  - id: escort
    name: Escort
    scale: {"0": none, "50": some, "100": full}
    status_quo: 0
    sources: [s]
    design: {kind: choice, dimension: escort}
stances:
  ESP:
    air: {position: 0, salience: 1.0, sources: [s]}
dimensions:
  - {id: air, name: Air cover, scale: {"0": none, "50": some, "100": full}, levels: [0, 100],
     sources: [s]}
  - {id: escort, name: Naval escort, scale: {"0": none, "50": some, "100": full},
     levels: [0, 50, 100], provided_by: [ITA], sources: [s]}
capabilities:
  - {id: SHIP, name: Frigate, domain: maritime, unit: ship, personnel: 200, sources: [s]}
  - {id: HQ, name: Headquarters, domain: command, unit: hq, personnel: 100, sources: [s]}
pledges:
  - {id: ita-ship, actor: ITA, capability: SHIP, quantity: 2, location: at_sea, sources: [s]}
  - id: esp-ship
    actor: ESP
    capability: SHIP
    quantity: 1
    conditions: [{kind: max_threat, probability: 0.5}]
    sources: [s]
  - {id: ita-hq, actor: ITA, capability: HQ, quantity: 1, location: at_sea, sources: [s]}
red_lines:
  - id: ita-council-only
    actor: ITA
    description: Italian ships only under a council mandate.
    rule: {kind: no_troops, from_actors: [ITA], where: anywhere}
    unless: {kind: authorised_by, venue: COUNCIL}
    sources: [s]
threats:
  - {id: t1, actor: HOU, description: Attacks on ships., probability: 0.6, locations: [at_sea],
     domains: [maritime], sources: [s]}
  - {id: t2, actor: HOU, description: Drones., probability: 0.5, locations: [at_sea],
     sources: [s]}
venues:
  - id: EUC
    name: Union council
    rule: {kind: unanimity}
    members: {lists: [EU]}
    abstention: constructive
    abstainers: {actors: [ESP]}
    silent_vote: "yes"
    sources: [s]
  - id: COUNCIL
    name: Council of three
    rule: {kind: count_quota, quota: 2, vetoes: {actors: [P, Q]}}
    members: {actors: [P, Q, ITA]}
    abstention: not_a_veto
    abstainers: {actors: [Q]}
    sources: [s]
events:
  - id: truce
    name: Truce
    probability: 0.3
    changes:
      - {threat: t1, probability: 0.1}
      - {pledge: ita-ship, quantity: 3}
      - {red_line: ita-council-only, active: false}
    sources: [s]
missions:
  - id: escort
    name: Escort mission
    route: EUC
    requirements:
      - {capability: SHIP, count: 3, priority: 1, location: at_sea}
      - {capability: HQ, count: 1, priority: 2, location: out_of_area}
    sources: [s]
planning:
  routes: [EUC, COUNCIL]
"""


@pytest.fixture(scope="module")
def case() -> Scenario:
    return parse_scenario(CASE, file="rules.yaml")


def test_silent_members_and_constructive_abstention(case: Scenario) -> None:
    """EU of 27 on 21 February 2024: ITA and ESP are actors, 25 members are silent and vote
    yes; ESP abstains constructively, so ITA alone decides. Under plain unanimity ESP's
    abstention would block."""
    venue = case.venue("EUC")
    assert case.resolve_members(venue.members) == ("ITA", "ESP")
    assert len(case.silent_members(venue.members)) == 25
    assert wins(case, venue, {"ITA"})
    assert not wins(case, venue, set())
    blocking = venue.model_copy(update={"abstention": "blocks"})
    assert not wins(case, blocking, {"ITA"})
    assert wins(case, blocking, {"ITA", "ESP"})


def test_an_abstaining_veto_player_does_not_veto(case: Scenario) -> None:
    """Quota 2 of {P, Q, ITA}, vetoes P and Q; Q abstains rather than vetoes: {P, ITA} wins,
    {P} alone does not (an abstention adds no vote), {Q, ITA} does not (P vetoes)."""
    venue = case.venue("COUNCIL")
    assert wins(case, venue, {"P", "ITA"})
    assert not wins(case, venue, {"P"})
    assert not wins(case, venue, {"Q", "ITA"})
    assert veto_players(case, venue) == ("P",)
    assert venue_verdict(case, "COUNCIL", ["ITA"]).blockers == ("P",)


def test_a_conditional_red_line_holds_only_off_its_route(case: Scenario) -> None:
    """ITA's ships serve only under the council: on the union route its own red line is
    violated, on the council route it is not."""
    mission = case.mission("escort")
    eu = evaluate_design(case, Design.from_mission(mission, allocation={"ita-ship": 2}))
    assert "ita-council-only" in eu.acceptance("ITA").violated
    council = evaluate_design(
        case, Design.from_mission(mission, route="COUNCIL", allocation={"ita-ship": 2})
    )
    assert "ita-council-only" not in council.acceptance("ITA").violated


def test_threat_probabilities_by_hand(case: Scenario) -> None:
    """Ships at sea face t1 and t2: 1 - 0.4 x 0.5 = 0.8; a headquarters at sea only t2: 0.5;
    out of area nothing. ESP's ship (at most 0.5) cannot serve at sea."""
    assert threat_probability(case, "at_sea", "maritime") == pytest.approx(0.8)
    assert threat_probability(case, "at_sea", "command") == pytest.approx(0.5)
    assert threat_probability(case, "out_of_area", "maritime") == 0.0
    assert force_risk(case, [("at_sea", "command")]) == pytest.approx(0.5)
    risk = force_risk(case, [("at_sea", "maritime")], {"t1": 0.0, "t2": 0.2})
    assert risk == pytest.approx(0.2)
    plan = solve_force_generation(case, "escort", route="COUNCIL", explain=False)
    assert {a.pledge: a.units for a in plan.allocation} == {"ita-ship": 2}
    assert plan.risk == pytest.approx(0.8)
    status = {p.pledge: p for p in plan.pledges}
    assert status["esp-ship"].failed == (
        "threat to these units at most 50% (the threat there is 80%)",
    )


def test_event_effects_change_pledges_threats_and_red_lines(case: Scenario) -> None:
    """After the truce ITA offers three ships and its red line is off, so all three serve on
    the union route; the threat at sea is 1 - 0.9 x 0.5 = 0.55 > 0.5, so ESP still stays out."""
    after = apply_event_effects(case, ["truce"])
    assert after.pledges[0].quantity.low == 3
    assert after.threats[0].probability == 0.1
    assert not after.red_lines[0].active
    assert apply_event_effects(case, []) is case
    assert case.pledges[0].quantity.low == 2  # the scenario itself is unchanged
    assert threat_probability(after, "at_sea", "maritime") == pytest.approx(0.55)
    before = solve_force_generation(case, "escort", route="EUC", explain=False)
    assert {a.pledge: a.units for a in before.allocation} == {}
    plan = solve_force_generation(
        case, "escort", route="EUC", state=ConditionState(events=["truce"]), explain=False
    )
    assert {a.pledge: a.units for a in plan.allocation} == {"ita-ship": 3}


def test_options_plan_every_combination_of_levels(case: Scenario) -> None:
    """Two routes x air {0, 100} x escort {0, 50, 100} = 12 cells, one column per dimension."""
    m = option_matrix(case, require_authorisation=False)
    assert len(m.cells) == 12
    assert m.dimensions == ("air", "escort")
    assert [dict(c.levels) for c in m.cells[:3]] == [
        {"air": 0.0, "escort": 0.0},
        {"air": 0.0, "escort": 50.0},
        {"air": 0.0, "escort": 100.0},
    ]
    row = m.to_rows()[4]
    assert (row["air"], row["escort"]) == (100.0, 50.0)
    cell = m.cell("escort", "EUC", {"air": 100, "escort": 50})
    assert cell.plan.design.value("escort") == 50.0
    assert cell.plan.evaluation.issue_values["air"] == 100.0


def test_the_sweep_draws_threats_into_pledge_conditions(case: Scenario) -> None:
    """t1 drawn in 0.2..0.8, t2 at 0: ESP's ship (limit 0.5) serves on the union route (where
    ITA's ships may not) exactly in the replicates whose draw is at most 0.5, as the planner
    reads the same drawn world."""
    from peaceops.sweep import draw_inputs, realise_scenario, sampling_design
    from peaceops.sweep._compile import Option
    from peaceops.sweep._options import compile_options, evaluate_options

    text = CASE.replace(
        "probability: 0.6, locations: [at_sea],", "probability: 0.6, range: [0.2, 0.8],"
    ).replace("Drones., probability: 0.5", "Drones., probability: 0.0")
    s = parse_scenario(text)
    design = sampling_design(s)
    assert design.names == ("event:truce", "threat:t1")
    values = draw_inputs(design, 7, 0, 40)
    values[:, 0] = 0.0  # no truce: ITA's red line holds on the union route
    option = Option("escort", "EUC", (("air", 0.0), ("escort", 0.0)))
    kernel = compile_options(s, design, options=[option])
    (outcome,) = evaluate_options(kernel, values)
    esp = [p.id for p in s.pledges].index("esp-ship")
    drawn = values[:, 1]
    assert ((outcome.units[:, esp] > 0) == (drawn <= 0.5)).all()
    assert 0 < (drawn <= 0.5).sum() < len(drawn)
    world = realise_scenario(s, design, values[0])
    assert world.threats[0].probability == drawn[0]
    assert world.threats[0].range is None
