"""Results memoised on a frozen scenario: computed once per live object, dropped with it."""

from __future__ import annotations

import gc

from peaceops import _memo
from peaceops.scenario import load_scenario
from peaceops.venues import venue_game, venue_verdict


class _Owner:
    pass


def test_a_result_is_computed_once_per_owner_and_key() -> None:
    a, b, calls = _Owner(), _Owner(), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [_memo.memo_on(a, "k", compute) for _ in range(3)] == [1, 1, 1]
    assert _memo.memo_on(a, "other", compute) == 2
    assert _memo.memo_on(b, "k", compute) == 3


def test_entries_are_dropped_when_the_owner_is_collected() -> None:
    owner = _Owner()
    ident = id(owner)
    _memo.memo_on(owner, "k", lambda: 1)
    assert ident in _memo._MEMOS
    del owner
    gc.collect()
    assert ident not in _memo._MEMOS


def test_a_memoised_venue_game_is_the_one_compiled_afresh() -> None:
    s = load_scenario("ukraine-2025-04")
    for venue in s.venues:
        assert venue_game(s, venue) is venue_game(s, venue)
        assert venue_game(s, venue) == venue_game(load_scenario("ukraine-2025-04"), venue)


def test_memoised_verdicts_match_the_definition() -> None:
    # UNSC: 15 members, 9 votes and the five permanent members (Charter art. 27(3))
    s = load_scenario("ukraine-2025-04")
    permanent = ["RUS", "USA", "GBR", "FRA", "CHN"]
    members = list(venue_game(s, s.venue("UNSC")).players)
    others = [m for m in members if m not in permanent]
    for _ in range(2):  # the second pass reads the memo
        assert venue_verdict(s, "UNSC", permanent + others[:4]).authorised
        assert not venue_verdict(s, "UNSC", permanent + others[:3]).authorised
        v = venue_verdict(s, "UNSC", [m for m in members if m != "RUS"])
        assert not v.authorised
        assert v.blockers == ("RUS",)
