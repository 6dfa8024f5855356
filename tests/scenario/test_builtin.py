"""Every built-in scenario loads, and nothing in it is uncited."""

from __future__ import annotations

import pytest

from peaceops.scenario import builtin_scenarios, load_scenario
from peaceops.scenario.model import Scenario, SourceKind

NAMES = sorted(builtin_scenarios())


def test_the_ukraine_scenario_is_built_in() -> None:
    assert "ukraine-2025-04" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_uncited(name: str) -> None:
    s = load_scenario(name)
    known = {src.id: src for src in s.sources}
    cited: list[tuple[str, tuple[str, ...]]] = []
    for actor, by_issue in s.stances.items():
        cited += [(f"stance {actor}/{issue}", st.sources) for issue, st in by_issue.items()]
    cited += [(f"pledge {p.id}", p.sources) for p in s.pledges]
    cited += [(f"red line {r.id}", r.sources) for r in s.red_lines]
    cited += [(f"clout {a.id}", a.clout.sources) for a in s.actors]
    cited += [(f"venue {v.id}", v.sources) for v in s.venues]
    cited += [(f"mission {m.id}", m.sources) for m in s.missions]
    uncited = [what for what, refs in cited if not refs or not all(r in known for r in refs)]
    assert uncited == []
    for src in s.sources:
        if src.kind is SourceKind.judgement:
            assert src.rationale, f"judgement source {src.id} has no rationale"


@pytest.mark.parametrize("name", NAMES)
def test_statistics_cite_a_dataset(name: str) -> None:
    s = load_scenario(name)
    kinds = {src.id: src.kind for src in s.sources}
    for a in s.actors:
        for fig in (a.population, a.gdp_usd):
            if fig is not None:
                assert any(kinds[r] is SourceKind.dataset for r in fig.sources), a.id


def _members(s: Scenario, group: str) -> set[str]:
    return set(s.group_members(group))


def test_ukraine_carries_the_venues_memberships_of_2025() -> None:
    s = load_scenario("ukraine-2025-04")
    assert s.as_of.isoformat() == "2025-04-05"
    assert len(_members(s, "NATO")) == 32
    assert len(_members(s, "EU")) == 27
    assert _members(s, "UNSC_P5") == {"USA", "GBR", "FRA", "RUS", "CHN"}
    assert _members(s, "UNSC_ELECTED") == {
        "DZA",
        "GUY",
        "KOR",
        "SLE",
        "SVN",
        "DNK",
        "GRC",
        "PAK",
        "PAN",
        "SOM",
    }
    assert set(s.resolve_members(s.venue("UNSC").members)) == (
        _members(s, "UNSC_P5") | _members(s, "UNSC_ELECTED")
    )
    assert {"GBR", "FRA"} == _members(s, "COALITION_LEAD")
    assert {"HUN", "SVK"} <= set(s.resolve_members(s.venue("NATO").members))


def test_ukraine_red_lines_of_april_2025() -> None:
    s = load_scenario("ukraine-2025-04")
    rules = {(r.actor, r.rule.kind) for r in s.red_lines}
    assert ("RUS", "no_troops") in rules
    assert ("RUS", "requires_authorisation") in rules
    assert ("POL", "no_troops") in rules
    assert not any(
        p.actor in ("POL", "ITA", "DEU") and p.capability.startswith("GND")
        for p in s.pledges
        if not any(c.kind == "authorised_by" for c in p.conditions)
    )
