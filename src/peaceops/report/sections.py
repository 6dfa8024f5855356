"""Build the briefing's sections from a scenario and the engines' results."""

from __future__ import annotations

from collections import defaultdict

from peaceops.analysis import Analysis
from peaceops.report.document import Briefing, Figure, Section, TableBlock
from peaceops.report.figures import heatmap, stacked_bars
from peaceops.scenario import Scenario
from peaceops.scenario.tables import pledge_rows, red_line_rows, stance_rows, venue_rows

__all__ = ["build_briefing"]


def build_briefing(analysis: Analysis) -> Briefing:
    """The whole briefing for an analysis, sections in reading order."""
    s = analysis.scenario
    facts = {
        "Scenario": f"{s.name} ({s.id})",
        "As of": s.as_of.isoformat(),
        "Actors": str(len(s.actors)),
        "Issues": str(len(s.issues)),
        "Pledges": str(len(s.pledges)),
        "Venues": str(len(s.venues)),
        "Mission concepts": ", ".join(m.id for m in s.missions) or "none",
        "Scenario hash": analysis.scenario_hash[:16],
        "peaceops": analysis.package_version,
    }
    sections = [
        _stances(s),
        _pledges(s),
        _red_lines(s),
        _venues(s),
        _sources(s),
    ]
    return Briefing(
        title=f"peaceops briefing: {s.name}",
        subtitle=f"Situation as of {s.as_of.isoformat()}",
        facts=facts,
        sections=tuple(sections),
    )


def _stances(s: Scenario) -> Section:
    actors = list(s.stances)
    issues = [i.id for i in s.issues]
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for a in actors:
        row_z: list[float | None] = []
        row_t: list[str] = []
        for i in issues:
            st = s.stances[a].get(i)
            row_z.append(st.position if st else None)
            row_t.append(f"{st.position:g} (salience {st.salience:g})" if st else "no stance")
        z.append(row_z)
        text.append(row_t)
    scale_rows = [
        {
            "issue": i.id,
            "name": i.name,
            "0": i.scale.low,
            "50": i.scale.mid,
            "100": i.scale.high,
            "status_quo": i.status_quo,
        }
        for i in s.issues
    ]
    return Section(
        id="stances",
        title="Actors and their stances",
        paragraphs=(
            f"{len(actors)} actors hold stances on {len(issues)} issues, each on a 0..100 scale.",
        ),
        tables=(
            TableBlock("Issues and their scales", scale_rows),
            TableBlock(
                "Stances (position 0..100, salience 0..1)",
                stance_rows(s),
                columns=("actor", "issue", "position", "salience", "position_range", "sources"),
            ),
        ),
        figures=(
            Figure(
                "Positions by actor and issue",
                heatmap(x=issues, y=actors, z=z, text=text, colorbar="position"),
                caption="Hover for position and salience; blank cells: no stance recorded.",
            ),
        ),
    )


def _pledges(s: Scenario) -> Section:
    rows = pledge_rows(s)
    by_actor: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in rows:
        by_actor[r["actor"]][r["domain"]] += r["personnel"]
    actors = sorted(by_actor, key=lambda a: -sum(by_actor[a].values()))
    domains = sorted({d for per in by_actor.values() for d in per})
    series = {d: [by_actor[a].get(d, 0.0) for a in actors] for d in domains}
    total = sum(sum(v.values()) for v in by_actor.values())
    conditional = sum(1 for p in s.pledges if p.conditions)
    return Section(
        id="pledges",
        title="Who offers what",
        paragraphs=(
            f"{len(s.pledges)} pledges from {len(by_actor)} actors; {conditional} carry "
            f"conditions. Firm personnel (low end of each range): {total:,.0f}.",
        ),
        tables=(TableBlock("Pledges by actor, domain and condition", rows),),
        figures=(
            Figure(
                "Pledged personnel by actor and domain (low end of each range)",
                stacked_bars(categories=actors, series=series, y_title="personnel"),
            ),
        ),
    )


def _red_lines(s: Scenario) -> Section:
    return Section(
        id="red-lines",
        title="Red lines",
        paragraphs=(f"{len(s.red_lines)} red lines: designs that violate one are vetoed.",),
        tables=(TableBlock("Red lines", red_line_rows(s)),),
    )


def _venues(s: Scenario) -> Section:
    return Section(
        id="venues",
        title="Venues",
        paragraphs=("Decision bodies that could authorise a mission, their rules and members.",),
        tables=(
            TableBlock(
                "Venues",
                venue_rows(s),
                columns=("venue", "name", "rule", "n_members", "veto_players"),
            ),
        ),
    )


def _sources(s: Scenario) -> Section:
    rows = [
        {
            "source": src.id,
            "kind": src.kind.value,
            "title": src.title,
            "publisher": src.publisher,
            "date": src.date.isoformat(),
            "locator": src.locator or "",
            "url": src.url or "",
            "rationale": src.rationale or "",
        }
        for src in s.sources
    ]
    return Section(
        id="sources",
        title="Sources",
        paragraphs=("Every stance, pledge, red line and figure above cites one of these.",),
        tables=(TableBlock("Sources", rows, console=False),),
    )
