"""Small scenarios worked by hand for the planner tests (imported by the test modules)."""

from __future__ import annotations

from peaceops.scenario import Scenario, parse_scenario

_HEAD = """
format_version: 1
id: hand
name: Hand-computed planning case
as_of: 2025-01-01
time: {start: 2025-01-01}
sources:
  - {id: s, title: Test data, publisher: tests, date: 2025-01-01, kind: judgement,
     rationale: Values chosen so that every result can be worked out by hand.}
groups:
  - {id: ALLY, name: Alliance, sources: [s]}
"""

HAND = (
    _HEAD
    + """
actors:
  - {id: H, name: Host, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: A, name: Adversary, kind: state, clout: {value: 0.5, sources: [s]}}
  - id: L
    name: Lead
    kind: state
    groups: [ALLY]
    clout: {value: 0.5, sources: [s]}
    gdp_usd: {value: 1.0e+12, year: 2024, sources: [s]}
issues:
  - id: size
    name: Troops on host territory
    scale: {"0": none, "50": some, "100": many}
    status_quo: 0
    sources: [s]
    design: {kind: personnel, full_scale: 3000, domains: [land]}
  - id: ally_share
    name: Alliance share on host territory
    scale: {"0": none, "50": half, "100": all}
    status_quo: 0
    sources: [s]
    design: {kind: group_share, group: ALLY}
  - id: un
    name: Council mandate
    scale: {"0": none, "50": partial, "100": full}
    status_quo: 0
    sources: [s]
    design: {kind: route, values: {COUNCIL: 100, COAL: 0}}
  - id: backstop
    name: Backstop
    scale: {"0": none, "50": some, "100": full}
    status_quo: 0
    sources: [s]
    design: {kind: choice, field: backstop}
stances:
  H:
    size: {position: 100, salience: 1.0, sources: [s]}
    un: {position: 0, salience: 0.5, sources: [s]}
  A:
    size: {position: 0, salience: 0.5, sources: [s]}
    ally_share: {position: 0, salience: 1.0, sources: [s]}
    un: {position: 100, salience: 0.5, sources: [s]}
  L:
    size: {position: 50, salience: 0.4, sources: [s]}
    backstop: {position: 100, salience: 0.5, sources: [s]}
capabilities:
  - {id: INF, name: Infantry battalion, domain: land, unit: battalion, personnel: 500, sources: [s]}
  - {id: MED, name: Field hospital, domain: medical, unit: hospital, personnel: 100, sources: [s]}
pledges:
  - {id: l-inf, actor: L, capability: INF, quantity: 4, sources: [s]}
  - id: l-med
    actor: L
    capability: MED
    quantity: 1
    conditions: [{kind: issue_min, issue: backstop, value: 50}]
    sources: [s]
__EXTRA_PLEDGES__
red_lines:
  - id: a-no-ally
    actor: A
    description: No alliance troops on host territory.
    rule: {kind: no_troops, from_group: ALLY, where: host_territory}
    sources: [s]
  - id: h-presence
    actor: H
    description: Troops on the ground.
    rule: {kind: issue_min, issue: size, value: 10}
    sources: [s]
venues:
  - id: COUNCIL
    name: Council
    rule: {kind: count_quota, quota: 2, vetoes: {actors: [A]}}
    members: {actors: [H, A, L]}
    sources: [s]
  - id: COAL
    name: Coalition
    rule: {kind: opt_in}
    members: {actors: [L]}
    sources: [s]
missions:
  - id: M
    name: Mission
    route: COAL
    zone: 50
    mandate: 50
    timing: 50
    rotation_factor: 3
    requirements:
      - {capability: INF, count: 3, priority: 1}
      - {capability: MED, count: 1, priority: 2, in_host: false}
    sources: [s]
planning:
  routes: [COAL, COUNCIL]
  backstop_levels: [0, 100]
  host: H
  adversary: A
"""
)


def hand(extra_actors: str = "", extra_pledges: str = "") -> Scenario:
    """The three-actor case (host H, adversary A, alliance lead L), optionally extended."""
    text = HAND.replace("__EXTRA_PLEDGES__", extra_pledges)
    if extra_actors:
        text = text.replace("\nissues:\n", "\n" + extra_actors + "\nissues:\n", 1)
    return parse_scenario(text, file="hand.yaml")


#: A neutral contributor (not in the alliance) with two battalions.
NEUTRAL_ACTOR = """  - id: N
    name: Neutral
    kind: state
    clout: {value: 0.2, sources: [s]}
    gdp_usd: {value: 5.0e+11, year: 2024, sources: [s]}"""
NEUTRAL_PLEDGE = "  - {id: n-inf, actor: N, capability: INF, quantity: 2, sources: [s]}"


SHAPLEY = (
    _HEAD
    + """
actors:
  - {id: P1, name: One, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: P2, name: Two, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: P3, name: Three, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: P4, name: Four, kind: state, clout: {value: 0.5, sources: [s]}}
  - {id: P5, name: Five, kind: state, clout: {value: 0.5, sources: [s]}}
issues:
  - id: un
    name: Mandate
    scale: {"0": none, "50": partial, "100": full}
    status_quo: 0
    sources: [s]
capabilities:
  - {id: INF, name: Infantry, domain: land, unit: battalion, personnel: 500, sources: [s]}
  - {id: MED, name: Hospital, domain: medical, unit: hospital, personnel: 100, sources: [s]}
  - {id: ENG, name: Engineers, domain: engineering, unit: company, personnel: 150, sources: [s]}
pledges:
  - {id: p1-inf, actor: P1, capability: INF, quantity: 2, sources: [s]}
  - {id: p2-inf, actor: P2, capability: INF, quantity: 3, sources: [s]}
  - {id: p2-med, actor: P2, capability: MED, quantity: 1, sources: [s]}
  - id: p3-med
    actor: P3
    capability: MED
    quantity: 2
    conditions: [{kind: requires_participation, actor: P1}]
    sources: [s]
  - {id: p4-eng, actor: P4, capability: ENG, quantity: 1, sources: [s]}
  - id: p4-inf
    actor: P4
    capability: INF
    quantity: 1
    conditions: [{kind: requires_participation, actor: P2}]
    sources: [s]
  - {id: p5-none, actor: P5, capability: ENG, quantity: {low: 0, high: 2}, sources: [s]}
venues:
  - id: COAL
    name: Coalition
    rule: {kind: opt_in}
    members: {actors: [P1, P2, P3, P4, P5]}
    sources: [s]
missions:
  - id: M
    name: Mission
    route: COAL
    zone: 50
    mandate: 50
    timing: 50
    requirements:
      - {capability: INF, count: 4, priority: 1}
      - {capability: MED, count: 2, priority: 2}
      - {capability: ENG, count: 1, priority: 3}
    sources: [s]
planning:
  routes: [COAL]
"""
)


def shapley_case() -> Scenario:
    """Five contributors, two of whose pledges require another's participation; P5 counts on 0."""
    return parse_scenario(SHAPLEY, file="shapley.yaml")
