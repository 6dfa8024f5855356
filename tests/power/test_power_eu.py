"""The EU Council's Lisbon rule: its data, a 15-member variant against the oracle, and the full
27-member rule against enumeration of all 2^27 coalitions (``slow``)."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from power_oracle import Rule, oracle

from peaceops.power import (
    ALL_INDICES,
    EU27_MEMBERS,
    EU27_POPULATION_2024,
    eu_council_game,
    is_winning,
    lisbon_game,
    power_indices,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "worldbank"


def test_the_council_has_27_members_with_world_bank_2024_populations() -> None:
    assert len(EU27_MEMBERS) == 27
    assert [code for code, _ in EU27_MEMBERS] == list(EU27_POPULATION_2024)
    assert sum(EU27_POPULATION_2024.values()) == 450_228_188
    assert EU27_POPULATION_2024["DEU"] == 83_516_593
    assert EU27_POPULATION_2024["MLT"] == 568_847


def test_constants_match_the_world_bank_file_when_it_is_present() -> None:
    path = SHARED / "population_2020_2024.csv"
    if not path.exists():
        pytest.skip("../shared/data/worldbank is not present")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = {
            r["Country Code"]: int(float(r["Value"]))
            for r in csv.DictReader(fh)
            if r["Year"] == "2024" and r["Country Code"] in EU27_POPULATION_2024
        }
    assert rows == dict(EU27_POPULATION_2024)


def test_eu_council_game_is_the_lisbon_rule() -> None:
    g = eu_council_game()
    total = sum(EU27_POPULATION_2024.values())
    assert g.n_players == 27
    assert g.criteria[0].weights == (1,) * 27
    assert g.criteria[0].quota == 15
    assert g.criteria[1].quota == math.ceil(Fraction(65, 100) * total) == 292_648_323
    assert g.max_against == 3
    members = list(g.players)
    big_four = ["DEU", "FRA", "ITA", "ESP"]
    assert not is_winning(g, [m for m in members if m not in big_four])  # four can block
    assert is_winning(g, [m for m in members if m not in big_four[:3]])  # three cannot
    smallest_fifteen = sorted(members, key=EU27_POPULATION_2024.__getitem__)[:15]
    assert not is_winning(g, smallest_fifteen)  # 55% of states, far from 65% of people


def test_other_population_figures_can_be_passed() -> None:
    figures = dict.fromkeys(EU27_POPULATION_2024, 1)
    g = eu_council_game(populations=figures)
    assert g.criteria[1].quota == math.ceil(Fraction(65, 100) * 27)


def _lisbon_rule(pop: list[int], members: int, count: int) -> Rule:
    total = sum(pop)

    def rule(s: frozenset[int]) -> bool:
        if members - len(s) <= 3:
            return True
        return len(s) >= count and 100 * sum(pop[i] for i in s) >= 65 * total

    return rule


def test_fifteen_member_variant_matches_the_oracle() -> None:
    codes = [code for code, _ in EU27_MEMBERS][:15]
    pop = [EU27_POPULATION_2024[c] for c in codes]
    game = lisbon_game({c: EU27_POPULATION_2024[c] for c in codes})
    assert game.criteria[0].quota == 9  # 55% of 15 is 8.25
    expected = oracle(15, _lisbon_rule(pop, 15, 9))
    for method in ("auto", "mitm", "enumerate"):
        res = power_indices(game, method=method)
        for name in ALL_INDICES:
            assert res.index(name) == getattr(expected, name), (method, name)
        assert res.swings == expected.swings
        assert res.n_winning == expected.n_winning
        assert res.n_minimal_winning == expected.n_minimal_winning


def test_eu27_power_is_led_by_germany_and_nobody_is_a_dummy() -> None:
    res = power_indices(eu_council_game())
    assert res.method == "mitm"
    for name in ("shapley_shubik", "normalized_banzhaf", "holler", "deegan_packel", "johnston"):
        assert sum(res.index(name)) == 1
    ss = res.as_float("shapley_shubik")
    assert res.players[ss.index(max(ss))] == "DEU"
    assert res.dummies == ()
    assert res.veto_players == ()


@dataclass(frozen=True)
class Tally:
    crit_by_size: list[list[int]]  # [player][|S|]: winning S in which the player is critical
    crit_by_count: list[list[int]]  # [player][c]: the same, by number of critical members
    mwc_by_size: list[list[int]]  # [player][|S|]: minimal winning S containing the player
    n_winning: int
    n_minimal: int
    with_critical: int


def _enumerate_eu(pop: npt.NDArray[np.int64], quota: int) -> Tally:
    """All 2^27 coalitions in chunks of 2^22, vectorised: per player and coalition size the
    coalitions in which it is critical, per player the minimal winning ones by size, and per
    player the critical coalitions by their number of critical members."""
    n = pop.shape[0]
    crit_by_size = np.zeros((n, n + 1), dtype=np.int64)
    crit_by_count = np.zeros((n, n + 1), dtype=np.int64)
    mwc_by_size = np.zeros((n, n + 1), dtype=np.int64)
    n_winning = n_minimal = with_critical = 0
    low = np.arange(1 << 7, dtype=np.int64)
    chunk = 1 << 22
    for start in range(0, 1 << n, chunk):
        masks = np.arange(start, start + chunk, dtype=np.int64)
        k = np.zeros(chunk, dtype=np.int64)
        s = np.zeros(chunk, dtype=np.int64)
        for g in range(0, n, 7):  # table lookups, seven players at a time
            width = min(7, n - g)
            part = (masks >> g) & ((1 << width) - 1)
            bits = (low[: 1 << width, None] >> np.arange(width)) & 1
            k += bits.sum(axis=1)[part]
            s += (bits @ pop[g : g + width])[part]
        win = ((k >= 15) & (s >= quota)) | (k >= 24)
        masks, k, s = masks[win], k[win], s[win]  # only winning coalitions count from here
        crit = []
        for j in range(n):
            member = ((masks >> j) & 1).astype(bool)
            still = ((k - 1 >= 15) & (s - pop[j] >= quota)) | (k - 1 >= 24)
            crit.append(member & ~still)
        c = np.sum(crit, axis=0)
        minimal = c == k
        n_winning += int(masks.shape[0])
        n_minimal += int(minimal.sum())
        with_critical += int((c > 0).sum())
        for j in range(n):
            crit_by_size[j] += np.bincount(k[crit[j]], minlength=n + 1)
            crit_by_count[j] += np.bincount(c[crit[j]], minlength=n + 1)
            in_min = minimal & ((masks >> j) & 1).astype(bool)
            mwc_by_size[j] += np.bincount(k[in_min], minlength=n + 1)
    return Tally(
        crit_by_size=crit_by_size.tolist(),
        crit_by_count=crit_by_count.tolist(),
        mwc_by_size=mwc_by_size.tolist(),
        n_winning=n_winning,
        n_minimal=n_minimal,
        with_critical=with_critical,
    )


@pytest.mark.slow
def test_eu27_matches_enumeration_of_all_coalitions() -> None:
    game = eu_council_game()
    res = power_indices(game)
    pop = np.asarray(game.criteria[1].weights, dtype=np.int64)
    t = _enumerate_eu(pop, game.criteria[1].quota)
    n = 27
    fact = [math.factorial(i) for i in range(n + 1)]
    by_size, by_count, mwc = t.crit_by_size, t.crit_by_count, t.mwc_by_size
    swings = [sum(row) for row in by_size]
    ss = [
        sum(Fraction(row[s] * fact[s - 1] * fact[n - s], fact[n]) for s in range(1, n + 1))
        for row in by_size
    ]
    holler_raw = [sum(row) for row in mwc]
    n_min, with_critical = t.n_minimal, t.with_critical
    assert res.n_winning == t.n_winning
    assert res.n_minimal_winning == n_min
    assert list(res.swings) == swings
    assert list(res.index("shapley_shubik")) == ss
    assert list(res.index("banzhaf")) == [Fraction(v, 2**26) for v in swings]
    assert list(res.index("normalized_banzhaf")) == [Fraction(v, sum(swings)) for v in swings]
    assert list(res.index("holler")) == [Fraction(v, sum(holler_raw)) for v in holler_raw]
    assert list(res.index("deegan_packel")) == [
        sum((Fraction(row[s], s) for s in range(1, n + 1)), Fraction(0)) / n_min for row in mwc
    ]
    assert list(res.index("johnston")) == [
        sum((Fraction(row[c], c) for c in range(1, n + 1)), Fraction(0)) / with_critical
        for row in by_count
    ]
