"""The built-in Ukraine briefing answers the questions the issues ask of it."""

from __future__ import annotations

import pytest

from peaceops.io import read_builtin_patches
from peaceops.report import Briefing, Section, build_briefing, render_html
from peaceops.scenario import load_scenario
from peaceops.workflows import Analysis, analyse


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    patches = read_builtin_patches("ukraine-2025-04")
    return analyse(load_scenario("ukraine-2025-04"), seed=1, patches=patches)


@pytest.fixture(scope="module")
def briefing(analysis: Analysis) -> Briefing:
    return build_briefing(analysis)


def section(briefing: Briefing, sid: str) -> Section:
    return next(s for s in briefing.sections if s.id == sid)


def test_outlook_opens_the_briefing_then_options(briefing: Briefing, analysis: Analysis) -> None:
    assert [s.id for s in briefing.sections[:2]] == ["outlook", "options"]
    rows = briefing.sections[0].tables[0].rows
    assert analysis.outlook is not None
    assert [r["statement"] for r in rows] == [line.text for line in analysis.outlook.lines]
    assert 1 <= len(rows) <= 10


def test_options_name_who_blocks(briefing: Briefing) -> None:
    text = " ".join(section(briefing, "options").paragraphs)
    assert "NATO in 9 of 9 designs, always by HUN, SVK" in text
    assert "EU in 9 of 9 designs, always by HUN, SVK" in text
    assert "UNSC in 9 of 9 designs, always by RUS" in text


def test_russia_rejects_every_design_with_its_red_line_named(
    briefing: Briefing, analysis: Analysis
) -> None:
    rows = section(briefing, "adversary").tables[0].rows
    assert len(rows) == len(analysis.options.cells)  # type: ignore[union-attr]
    assert all(r["accepts"] == "no" for r in rows)
    # Every design that puts NATO-state units on Ukrainian territory crosses the red line,
    # and the reason names the contributors.
    for cell, row in zip(analysis.options.cells, rows, strict=True):  # type: ignore[union-attr]
        nato_on_host = {
            a.actor
            for a in cell.plan.allocation
            if a.on_host and "NATO" in analysis.scenario.actor(a.actor).groups
        }
        if nato_on_host:
            assert "rus-no-nato-troops" in row["red lines crossed"]
            assert all(actor in row["why"] for actor in nato_on_host)


def test_reassurance_shortfalls_by_domain_from_april_pledges(analysis: Analysis) -> None:
    best = analysis.headline
    assert best is not None
    assert (best.mission, best.route) == ("reassurance", "COALITION")
    plan = best.plan
    by_domain = {r["domain"]: r for r in plan.domain_rows()}
    mission = analysis.scenario.mission("reassurance")
    caps = {c.id: c for c in analysis.scenario.capabilities}
    required_land = sum(
        r.count for r in mission.requirements if caps[r.capability].domain.value == "land"
    )
    assert by_domain["land"]["required_units"] == required_land
    assert by_domain["land"]["missing_units"] > 0
    # Domains nobody offered at the low end of a range are wholly missing.
    assert by_domain["air_defence"]["units"] == 0
    assert by_domain["command"]["missing_units"] == 0


def test_turkey_what_if_is_answered(briefing: Briefing) -> None:
    whatif = section(briefing, "whatif")
    assert "Turkey" in whatif.paragraphs[0]
    assert any("Coverage" in p and "→" in p for p in whatif.paragraphs)


def test_forecast_and_venue_sections_are_present(briefing: Briefing) -> None:
    forecast = section(briefing, "forecast")
    assert {r["issue"] for r in forecast.tables[0].rows} == {
        "ground_presence",
        "zone",
        "nato_share",
        "un_authorisation",
        "us_backstop",
        "mandate",
        "timing",
    }
    venues = section(briefing, "venues")
    # only venues where power differs are charted; the others are named in the text
    assert [f.title.split(":")[0] for f in venues.figures] == ["UNSC", "EU_COUNCIL_QMV"]
    assert any("NATO (32 members" in p for p in venues.paragraphs)
    html = render_html(briefing)
    assert html.count("Plotly.newPlot") == 1
    n_figures = sum(len(sec.figures) for sec in briefing.sections)
    assert html.count('-data">') == n_figures >= 8
