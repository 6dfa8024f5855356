"""Venue verdicts on the template scenario, worked by hand."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.power import SimpleGame, is_winning, multi_quota_game
from peaceops.scenario import parse_scenario
from peaceops.venues import venue_verdict, veto_players, wins_batch
from peaceops_testing import template_text


def scenario():  # type: ignore[no-untyped-def]
    return parse_scenario(template_text(), file="demo.yaml")


def test_count_quota_with_vetoes() -> None:
    """UNSC here: members ADV, LDR (P5, vetoes) and NTR; quota 2 including both P5.

    {LDR, NTR}: two votes but no ADV, so rejected; ADV blocks and is pivotal (its switch alone
    passes it); neither LDR nor NTR can change the outcome alone. {ADV, LDR}: authorised; each
    is pivotal (either defection loses a veto player); NTR is not.
    """
    s = scenario()
    v = venue_verdict(s, "UNSC", ["LDR", "NTR", "HST"])
    assert (v.authorised, v.yes, v.no, v.blockers, v.pivotal) == (
        False,
        ("LDR", "NTR"),
        ("ADV",),
        ("ADV",),
        ("ADV",),
    )
    ok = venue_verdict(s, "UNSC", ["ADV", "LDR"])
    assert (ok.authorised, ok.blockers, ok.pivotal) == (True, (), ("ADV", "LDR"))
    assert veto_players(s, s.venue("UNSC")) == ("ADV", "LDR")


def test_opt_in_cannot_be_blocked() -> None:
    s = scenario()
    v = venue_verdict(s, "COALITION", ["LDR"])
    assert (v.authorised, v.no, v.blockers, v.pivotal) == (True, ("NTR",), (), ("LDR",))
    assert veto_players(s, s.venue("COALITION")) == ()


def test_consent_needs_every_party() -> None:
    s = scenario()
    v = venue_verdict(s, "PARTIES", ["HST"])
    assert (v.authorised, v.blockers, v.pivotal) == (False, ("ADV",), ("ADV",))
    assert veto_players(s, s.venue("PARTIES")) == ("HST", "ADV")


def test_ukraine_security_council_needs_nine_with_all_five_permanent() -> None:
    """Charter art. 27(3): nine of fifteen, including the concurring votes of the P5."""
    from peaceops.scenario import load_scenario
    from peaceops.venues import wins

    s = load_scenario("ukraine-2025-04")
    unsc = s.venue("UNSC")
    p5 = ["USA", "GBR", "FRA", "RUS", "CHN"]
    elected = ["DZA", "GUY", "KOR", "SLE", "SVN", "DNK", "GRC", "PAK", "PAN", "SOM"]
    assert wins(s, unsc, p5 + elected[:4])
    assert not wins(s, unsc, p5 + elected[:3])
    assert not wins(s, unsc, [a for a in p5 + elected if a != "RUS"])
    assert veto_players(s, unsc) == tuple(a for a in s.resolve_members(unsc.members) if a in p5)


def test_ukraine_qmv_matches_an_independent_double_majority_count() -> None:
    """TEU 16(4): 55% of members (15 of 27) and 65% of population, or fewer than 4 against.

    Checked on 400 random coalitions against the criteria computed here with integers.
    """
    import random

    from peaceops.scenario import load_scenario
    from peaceops.venues import wins

    s = load_scenario("ukraine-2025-04")
    venue = s.venue("EU_COUNCIL_QMV")
    members = s.resolve_members(venue.members)
    assert len(members) == 27
    pop = {a: int(s.actor(a).population.value) for a in members}  # type: ignore[union-attr]
    total = sum(pop.values())
    rng = random.Random(5)
    for _ in range(400):
        k = rng.randint(10, 27)
        yes = rng.sample(members, k)
        expected = (
            100 * len(yes) >= 55 * 27 and 100 * sum(pop[a] for a in yes) >= 65 * total
        ) or 27 - len(yes) < 4
        assert wins(s, venue, yes) == expected


# --------------------------------------------------------------- one rule, scalar and vectorised


@st.composite
def games_and_votes(draw: st.DrawFn) -> tuple[SimpleGame, np.ndarray]:
    n = draw(st.integers(1, 7))
    players = [f"p{i}" for i in range(n)]
    criteria = []
    for _ in range(draw(st.integers(1, 3))):
        big = draw(st.booleans())  # weights past int64 take the Python-integer path
        top = 10**20 if big else 9
        weights = draw(st.lists(st.integers(0, top), min_size=n, max_size=n))
        total = sum(weights)
        if total == 0:
            weights[0] = total = 1
        criteria.append((weights, draw(st.integers(1, total))))
    blocking = draw(st.one_of(st.none(), st.integers(1, n))) if n > 1 else None
    vetoes = draw(st.lists(st.sampled_from(players), unique=True, max_size=2))
    game = multi_quota_game(players, criteria, min_blocking=blocking, vetoes=vetoes)
    yes = draw(st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=1, max_size=9))
    return game, np.array(yes, dtype=bool)


@settings(max_examples=200, deadline=None)
@given(games_and_votes())
def test_vectorised_venue_rule_agrees_with_the_scalar_one(
    case: tuple[SimpleGame, np.ndarray],
) -> None:
    """The sweep's wins_batch and the exact is_winning are one rule: same verdict per row."""
    game, yes = case
    got = wins_batch(game, yes)
    want = [
        is_winning(game, [p for p, v in zip(game.players, row, strict=True) if v]) for row in yes
    ]
    assert got.tolist() == want
