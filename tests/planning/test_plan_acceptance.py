"""Designs in issue space, utilities, red lines and venue verdicts, worked by hand.

The three-actor case (``planning_cases.HAND``): host H, adversary A, alliance lead L. Issues
``size`` (land personnel on host territory over a full scale of 3000), ``ally_share`` (alliance
share of host-territory personnel), ``un`` (route: COUNCIL 100, COAL 0) and ``backstop``.
Stances (position/salience): H size 100/1.0, un 0/0.5; A size 0/0.5, ally_share 0/1.0,
un 100/0.5; L size 50/0.4, backstop 100/0.5. Every status quo is 0. Battalions have 500
troops, hospitals 100; the hospital requirement is outside the host country.
"""

from __future__ import annotations

import pytest
from planning_cases import HAND, NEUTRAL_ACTOR, NEUTRAL_PLEDGE, hand

from peaceops.errors import ScenarioError
from peaceops.planning import (
    ConditionState,
    Design,
    apply_patch,
    design_issue_values,
    evaluate_design,
    parse_patch,
    pledge_status,
)
from peaceops.scenario import parse_scenario
from peaceops.scenario.model import Approval
from peaceops_testing import template_text


def design(route: str = "COAL", backstop: float = 100, **units: int) -> Design:
    s = hand(NEUTRAL_ACTOR, NEUTRAL_PLEDGE)
    return Design.from_mission(
        s.mission("M"), route=route, levels={"backstop": backstop}, allocation=units
    )


def test_design_map_values_by_hand() -> None:
    """Three battalions and the hospital, coalition route, full backstop.

    size = 100 x 1500 / 3000 = 50; all 1500 troops on host territory are the alliance's
    (the hospital serves outside and does not count) -> ally_share 100; un: COAL -> 0;
    backstop: the design's own 100.
    """
    s = hand()
    d = design(**{"l-inf": 3, "l-med": 1})
    assert dict(design_issue_values(s, d)) == {
        "size": 50.0,
        "ally_share": 100.0,
        "un": 0.0,
        "backstop": 100.0,
    }


def test_values_are_hundredths_rounded_down_and_shares_mix_groups() -> None:
    """One alliance battalion and two neutral ones: size 100 x 1500/3000 = 50, share
    500/1500 = 33.333... -> 33.33. One battalion alone: 100 x 500/3000 = 16.666... -> 16.66."""
    s = hand(NEUTRAL_ACTOR, NEUTRAL_PLEDGE)
    mixed = design_issue_values(s, design(**{"l-inf": 1, "n-inf": 2}))
    assert (mixed["size"], mixed["ally_share"]) == (50.0, 33.33)
    alone = design_issue_values(s, design(**{"l-inf": 1}))
    assert alone["size"] == 16.66


def test_zone_zero_keeps_every_unit_off_host_territory() -> None:
    """A format-1 mission at zone 0 keeps even an ``in_host`` requirement's units outside
    (the migration places them out of area): no troops count, and the share of an empty host
    presence is 0."""
    s = parse_scenario(HAND.replace("__EXTRA_PLEDGES__", "").replace("zone: 50", "zone: 0"))
    d = Design.from_mission(s.mission("M"), levels={"backstop": 100}, allocation={"l-inf": 3})
    values = design_issue_values(s, d)
    assert (values["size"], values["ally_share"]) == (0.0, 0.0)
    ev = evaluate_design(s, d)
    assert "a-no-ally" not in ev.acceptance("A").violated
    assert [d.on_host for d in ev.deployed] == [False]


def test_acceptances_and_verdicts_by_hand() -> None:
    """Coalition route, backstop 100, three battalions and the hospital (size 50, share 100).

    H: -(1.0 x |50-100| + 0.5 x |0-0|) = -50 against -(1.0 x 100 + 0) = -100: accepts
    (and size 50 >= 10 meets its red line).
    A: -(0.5 x 50 + 1.0 x 100 + 0.5 x 100) = -175 against -(0.5 x 100) = -50: rejects, and
    alliance troops on host territory violate its red line.
    L: -(0.4 x 0 + 0.5 x 0) = 0 against -(0.4 x 50 + 0.5 x 100) = -70: accepts.
    Council (quota 2, A holds a veto): yes H, L -> not authorised; A blocks and is pivotal
    (H alone switching leaves one vote). Coalition (opt-in, member L): authorised, L pivotal.
    """
    s = hand()
    ev = evaluate_design(s, design(**{"l-inf": 3, "l-med": 1}))
    got = {a.actor: (a.accepts, a.utility, a.status_quo_utility) for a in ev.acceptances}
    assert got == {
        "H": (True, -50.0, -100.0),
        "A": (False, -175.0, -50.0),
        "L": (True, 0.0, -70.0),
    }
    a = ev.acceptance("A")
    assert a.violated == ("a-no-ally",)
    assert "units from L on host territory" in a.reasons[0]
    assert "hurt most by ally_share (design 100, wants 0, status quo 0)" in a.reasons[1]
    council = ev.verdict("COUNCIL")
    assert (council.authorised, council.yes, council.blockers, council.pivotal) == (
        False,
        ("H", "L"),
        ("A",),
        ("A",),
    )
    frame = ev.to_frame()
    assert frame.loc["A", "violated"] == "a-no-ally"
    assert [r["venue"] for r in ev.verdict_rows()] == ["COUNCIL", "COAL"]
    coal = ev.verdict("COAL")
    assert (coal.authorised, coal.pivotal) == (True, ("L",))
    assert ev.authorised
    assert ev.accepting == ("H", "L")
    assert ev.rejecting == ("A",)


def test_quadratic_utility_by_hand() -> None:
    """Same design, quadratic loss s (x - p)^2 / 100.

    H: -(1.0 x 50^2/100) = -25 against -(100^2/100) = -100. A: -(0.5 x 25 + 1.0 x 100 +
    0.5 x 100) = -162.5 against -(0.5 x 100) = -50. L: 0 against -(0.4 x 25 + 0.5 x 100) = -60.
    """
    s = hand()
    ev = evaluate_design(s, design(**{"l-inf": 3, "l-med": 1}), utility="quadratic")
    got = {a.actor: (a.utility, a.status_quo_utility) for a in ev.acceptances}
    assert got == {"H": (-25.0, -100.0), "A": (-162.5, -50.0), "L": (0.0, -60.0)}


def test_red_line_vetoes_whatever_the_utility() -> None:
    """H's red line (size >= 10): with no troops size is 0, a violation even though H's
    utility on the Council route without troops, -(100 + 0.5 x 100) = -150, is merely low."""
    s = hand()
    ev = evaluate_design(s, design(route="COUNCIL", backstop=0))
    h = ev.acceptance("H")
    assert (h.accepts, h.violated) == (False, ("h-presence",))
    assert h.reasons[0] == ("red line h-presence: size must be at least 10 (size is 0)")


def test_actor_without_stances_or_red_lines_accepts_by_default() -> None:
    s = hand(NEUTRAL_ACTOR, NEUTRAL_PLEDGE)
    n = evaluate_design(s, design(**{"l-inf": 3})).acceptance("N")
    assert (n.accepts, n.by_default, n.utility, n.reasons) == (True, True, 0.0, ())


def test_authorisation_red_line_reads_the_verdict_on_earlier_acceptances() -> None:
    """A adds "only with Council authorisation". Council route, no troops, backstop 0.

    Before authorisation: A's loss 0 (size 0, share 0, un 100) <= 50: yes. H: size 0 < 10,
    rejects. L: 0.4 x 50 + 0.5 x 100 = 70 <= 70 (a tie accepts): yes. Council: A and L, quota 2
    with A's veto: authorised, so A's final acceptance holds. On the coalition route the same
    red line fails: the route is not the Council.
    """
    s = apply_patch(
        hand(),
        parse_patch(
            file="extra.yaml",
            source=(
                "- op: add_red_line\n"
                "  red_line: {id: a-council, actor: A, description: Council only.,"
                " rule: {kind: requires_authorisation, venue: COUNCIL}, sources: [s]}\n"
            ),
        ),
    )
    ev = evaluate_design(s, design(route="COUNCIL", backstop=0))
    assert ev.verdict("COUNCIL").authorised
    a = ev.acceptance("A")
    assert (a.accepts_before_authorisation, a.accepts) == (True, True)
    off = evaluate_design(s, design(route="COAL", backstop=0)).acceptance("A")
    assert off.accepts is False
    assert off.violated == ("a-council",)
    assert off.reasons[-1].endswith("(the route is COAL)")


def test_pledge_status_names_the_failing_condition() -> None:
    """The hospital needs a backstop of at least 50: at 0 it fails, with the design's value."""
    s = hand()
    ev = evaluate_design(s, design(backstop=0, **{"l-inf": 3}))
    status = {p.pledge: p for p in pledge_status(s, ev)}
    assert status["l-inf"].holds
    assert status["l-inf"].units == 3
    assert status["l-med"].failed == ("backstop >= 50 (the design's backstop is 0)",)


def test_condition_state_defaults_and_overrides() -> None:
    """Events and approvals at probability >= 0.5 hold by default; explicit values win. (The
    template's ceasefire has probability 0.5.)"""
    template = parse_scenario(template_text())
    assert ConditionState().event_happened(template, "ceasefire")
    assert not ConditionState(threshold=0.6).event_happened(template, "ceasefire")
    assert not ConditionState(events=()).event_happened(template, "ceasefire")
    s = hand()
    st = ConditionState()
    low = Approval(kind="approval", body="Diet", probability=0.4)
    high = Approval(kind="approval", body="Diet", probability=0.5)
    assert (st.approved("L", low), st.approved("L", high)) == (False, True)
    forced = ConditionState(approvals={("L", "Diet"): True}, quantities={"l-inf": 1})
    assert forced.approved("L", low)
    assert forced.quantity(s.pledges[0]) == 1
    assert st.quantity(s.pledges[0]) == 4
    assert ConditionState(events=["x"]).to_dict()["events"] == ["x"]
    assert hash(forced) == hash(
        ConditionState(quantities={"l-inf": 1}, approvals={("L", "Diet"): True})
    )


@pytest.mark.parametrize(
    ("units", "route", "message"),
    [
        ({"nope": 1}, "COAL", "unknown pledge 'nope'"),
        ({"l-inf": 5}, "COAL", "5 units: the pledge offers 0..4"),
        ({"l-inf": 1}, "ELSEWHERE", "unknown venue 'ELSEWHERE'"),
    ],
)
def test_bad_designs_are_rejected(units: dict[str, int], route: str, message: str) -> None:
    s = hand()
    with pytest.raises(ScenarioError, match=message):
        evaluate_design(s, design(route=route, **units))


def test_unknown_utility_form_is_rejected() -> None:
    with pytest.raises(ScenarioError, match="'cubic' is not one of linear, quadratic"):
        evaluate_design(hand(), design(), utility="cubic")  # type: ignore[arg-type]
