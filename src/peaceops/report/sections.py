"""Build the briefing's sections from a scenario and the engines' results."""

from __future__ import annotations

from collections import defaultdict

from peaceops.forecast.drivers import driver_rows
from peaceops.outlook import Outlook
from peaceops.planning import OptionCell
from peaceops.report.document import Briefing, Figure, Section, TableBlock
from peaceops.report.figures import (
    bar_chart,
    fan_grid,
    heatmap,
    line_grid,
    scatter,
    stacked_bars,
)
from peaceops.scenario import Scenario
from peaceops.scenario.tables import pledge_rows, red_line_rows, stance_rows, venue_rows
from peaceops.sweep import Option, SensitivityResult
from peaceops.workflows import Analysis

__all__ = ["build_briefing"]


def build_briefing(analysis: Analysis) -> Briefing:
    """The whole briefing for an analysis, sections in reading order."""
    s = analysis.scenario
    facts = {
        "Scenario": s.id,  # the name is the title and the date the subtitle
        "Actors": str(len(s.actors)),
        "Issues": str(len(s.issues)),
        "Pledges": str(len(s.pledges)),
        "Venues": str(len(s.venues)),
        "Mission concepts": ", ".join(m.id for m in s.missions) or "none",
        "Scenario hash": analysis.scenario_hash[:16],
        "peaceops": analysis.package_version,
    }
    # Reading order: the outlook; what can be done and who stops it; how it is likely to move
    # and how sure we are; then the institutions and the evidence the scenario rests on.
    sections = [
        *([_outlook(analysis.outlook)] if analysis.outlook and analysis.outlook.lines else []),
        *_planning(analysis),
    ]
    if analysis.forecast is not None:
        sections.append(_forecast(analysis))
    if analysis.sweep is not None:
        sections.append(_uncertainty(analysis))
    sections += [_venues(analysis), _stances(s), _pledges(s), _red_lines(s), _sources(s)]
    return Briefing(
        title=f"peaceops briefing: {s.name}",
        subtitle=f"Situation as of {s.as_of.isoformat()}",
        facts=facts,
        sections=tuple(sections),
    )


def _outlook(outlook: Outlook) -> Section:
    """The opening section: the outlook's statements, each with its evidence."""
    rows = [
        {
            "n": k,
            "statement": line.text,
            "engines": "" if line.agree else "disagree",
            "evidence": line.evidence_text(),
        }
        for k, line in enumerate(outlook.lines, 1)
    ]
    return Section(
        id="outlook",
        title="Outlook",
        paragraphs=(
            f"At most ten statements to the horizon {outlook.horizon}, each with the tables, "
            "figures and source ids it rests on; 'engines: disagree' marks a split.",
        ),
        tables=(
            TableBlock(
                "Outlook",
                rows,
                console_columns=("n", "statement"),
                console_details=("engines", "evidence"),
                note="",
            ),
        ),
        key=True,
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


def _venues(analysis: Analysis) -> Section:
    s = analysis.scenario
    rows = venue_rows(s)
    for row in rows:
        res = analysis.power.get(row["venue"])
        if res is not None:
            every = len(res.veto_players) == len(res.players) > 3
            row["veto_players"] = (
                f"every member ({len(res.players)})" if every else ", ".join(res.veto_players)
            ) or "none"  # from the power result: the veto players of the compiled game
            row["minimal_winning"] = res.n_minimal_winning
    figures = []
    power_rows = []
    equal: list[str] = []
    for venue, res in analysis.power.items():
        ss, bz = res.as_float("shapley_shubik"), res.as_float("normalized_banzhaf")
        if max(ss) - min(ss) < 1e-12 and max(bz) - min(bz) < 1e-12:
            # every member holds the same power (unanimity, consent, opt-in): a chart of equal
            # bars says nothing that the sentence below does not
            equal.append(f"{venue} ({len(res.players)} members, {ss[0]:.3g} each)")
        else:
            figures.append(
                Figure(
                    f"{venue}: power of each member",
                    bar_chart(
                        categories=list(res.players),
                        values={"Shapley-Shubik": list(ss), "normalised Banzhaf": list(bz)},
                        y_title="share of power",
                    ),
                    caption="Members in scenario order; a gap between the two indices shows "
                    "how differently the order-based and the swing-based measures read the rule.",
                )
            )
        top = sorted(zip(res.players, ss, strict=True), key=lambda p: -p[1])[:5]
        power_rows.append(
            {
                "venue": venue,
                "largest Shapley-Shubik shares": ", ".join(f"{a} {v:.3f}" for a, v in top),
                "dummies": ", ".join(res.dummies) or "none",
            }
        )
    blocked = [
        r["venue"] for r in rows if r["veto_players"] not in ("", "none") and r["n_members"] > 2
    ]
    return Section(
        id="venues",
        title="Venues and voting power",
        paragraphs=(
            "Decision bodies that could authorise a mission, their rules, members and veto "
            "players, with exact power indices (Shapley-Shubik, Banzhaf, Holler, Deegan-Packel, "
            "Johnston; `peaceops venues` prints them all as fractions).",
            f"Venues where a single member can block: {', '.join(blocked)}." if blocked else "",
            (
                "Every member holds the same power in "
                + "; ".join(equal)
                + ", so these venues are not charted."
            )
            if equal
            else "",
        ),
        tables=(
            TableBlock(
                "Venues",
                rows,
                columns=("venue", "name", "rule", "n_members", "minimal_winning", "veto_players"),
            ),
            TableBlock("Power concentration", power_rows),
        ),
        figures=tuple(figures),
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
        paragraphs=(
            f"Every stance, pledge, red line and figure above cites one of these {len(rows)} "
            f"sources ({_source_kinds(s)}).",
        ),
        tables=(
            TableBlock(
                "Sources",
                rows,
                console=False,
                console_columns=("source", "kind", "date", "publisher"),
                console_details=("title", "url"),
            ),
        ),
    )


def _forecast(analysis: Analysis) -> Section:
    f = analysis.forecast
    assert f is not None
    s = analysis.scenario
    dates = [d.isoformat() for d in f.dates]
    panels = {
        issue: {
            name + (" (cycling)" if issue in f.cycles.get(name, {}) else ""): res.trajectory[
                :, j
            ].tolist()
            for name, res in f.results.items()
        }
        for j, issue in enumerate(f.issues)
    }
    outcome = f.outcome_rows()
    contested = sorted(
        (r for r in outcome if r["spread"] is not None), key=lambda r: -float(r["spread"])
    )
    disagree = ", ".join(f"{r['issue']} (spread {r['spread']:g})" for r in contested[:3])
    return Section(
        id="forecast",
        title="Forecast",
        paragraphs=(
            f"{len(f.results)} models forecast each issue week by week from "
            f"{dates[0]} to {dates[-1]} ({s.time.step_days}-day rounds); dated events and "
            "actors' patience change the inputs along the way.",
            f"The models disagree most on {disagree}." if disagree else "",
        ),
        tables=(
            TableBlock("Forecast at the horizon, by model (0..100)", outcome),
            *_institution_tables(analysis),
            *(
                ()
                if f.data is None
                else (
                    TableBlock(
                        "What drives each forecast",
                        driver_rows(f.data, f),
                        note="Weight: clout x salience share on the issue (what the compromise, "
                        "median and Nash models rest on); moved: largest position change in any "
                        "dynamic model.",
                    ),
                )
            ),
        ),
        figures=(
            Figure(
                "Trajectories by issue and model",
                line_grid(x=dates, panels=panels),
                caption="Each panel is one issue on its 0..100 scale; lines are the models.",
            ),
        ),
    )


def _institution_tables(analysis: Analysis) -> list[TableBlock]:
    """Who decides each settled issue, and the probability of change by the horizon."""
    f = analysis.forecast
    assert f is not None
    out = []
    if f.rulings:
        out.append(
            TableBlock(
                "Who decides: each model's outcome before and after the institution",
                [r.to_row() for r in f.rulings],
                console_columns=("issue", "model", "unconstrained", "value", "label"),
            )
        )
    if analysis.change:
        out.append(
            TableBlock(
                "Change or no change by the horizon",
                [c.to_row() for c in analysis.change],
                note="monte_carlo: share of replicates (Wilson 95% interval); smp: the model's "
                "own outcome probabilities, issues taken as independent for the mission.",
            )
        )
    return out


def _planning(analysis: Analysis) -> list[Section]:
    """The headline option matrix, the adversary's verdicts, the plan, burden and what-ifs."""
    om = analysis.options
    if om is None:
        return []
    s = analysis.scenario
    adversary = s.planning.adversary
    rows = []
    for cell, full in zip(om.cells, om.to_rows(), strict=True):
        rows.append(
            {
                "mission": cell.mission,
                "route": cell.route,
                **dict(cell.levels),
                "feasible": "yes" if cell.feasible else "no",
                "authorised": "yes" if full["authorised"] else "no",
                "blocked_by": list(full["blocked_by"]),
                "coverage": round(cell.plan.coverage, 3),
                "personnel": cell.plan.personnel,
                "with_rotation": cell.plan.personnel_rotated,
                "rejecting": list(cell.plan.evaluation.rejecting),
            }
        )
    best = analysis.headline
    intro = [
        f"{len(om.cells)} options: each mission concept x authorisation route"
        + "".join(f" x {s.dimension(d).name.lower()} level" for d in om.dimensions)
        + ", planned with the pledges as of the scenario date (CP-SAT, coverage first, then "
        "fair shares).",
    ]
    if best is not None:
        intro.append(
            f"Best feasible option: {_option_name(s, best.mission, best.route, best.levels)}: "
            f"coverage {best.plan.coverage:.0%} of the priority-weighted "
            f"requirement, {best.plan.personnel:,} personnel deployed "
            f"({best.plan.personnel_rotated:,.0f} with rotation)."
        )
    else:
        intro.append("No option is feasible: every route is blocked or a required party rejects.")
    by_route: dict[str, list[set[str]]] = defaultdict(list)
    for cell in om.cells:
        if cell.blockers:
            by_route[cell.route].append(set(cell.blockers))
    if by_route:
        parts = []
        for route, sets in by_route.items():
            always = sorted(set.intersection(*sets))
            n_total = sum(1 for r in rows if r["route"] == route)
            who = ", ".join(always) if always else "different members"
            parts.append(f"{route} in {len(sets)} of {n_total} designs, always by {who}")
        intro.append("Blocked: " + "; ".join(parts) + " (a veto or unanimity).")
    sections = [
        Section(
            id="options",
            title="Mission options",
            paragraphs=tuple(intro),
            tables=(
                TableBlock(
                    "Option matrix",
                    rows,
                    console_columns=(
                        "mission",
                        "route",
                        *om.dimensions,
                        "feasible",
                        "coverage",
                        "personnel",
                    ),
                    console_details=("blocked_by", "rejecting"),
                ),
            ),
        )
    ]
    if adversary:
        adv_rows = []
        for cell in om.cells:
            acc = cell.plan.evaluation.acceptance(adversary)
            adv_rows.append(
                {
                    "mission": cell.mission,
                    "route": cell.route,
                    **dict(cell.levels),
                    "accepts": "yes" if acc.accepts else "no",
                    "red lines crossed": ", ".join(acc.violated) or "none",
                    "why": "; ".join(acc.reasons),
                }
            )
        n_rejected = sum(1 for r in adv_rows if r["accepts"] == "no")
        sections.append(
            Section(
                id="adversary",
                title=f"What {adversary} rejects and why",
                paragraphs=(
                    f"{adversary} rejects {n_rejected} of {len(adv_rows)} designs: a red line "
                    "crossed is a hard veto; otherwise it rejects a design it values below the "
                    "status quo.",
                ),
                tables=(
                    TableBlock(
                        f"{adversary} on each design",
                        adv_rows,
                        console_columns=(
                            "mission",
                            "route",
                            *om.dimensions,
                            "accepts",
                        ),
                        console_details=("red lines crossed", "why"),
                    ),
                ),
            )
        )
    if best is not None:
        sections.append(_plan_section(analysis, best))
    if analysis.whatifs:
        sections.append(_whatif_section(analysis))
    return sections


def _plan_section(analysis: Analysis, best: OptionCell) -> Section:
    plan = best.plan
    shortfalls = [r for r in plan.requirement_rows() if r["missing"]]
    figures = []
    if analysis.frontier is not None:
        pts = analysis.frontier.to_rows()
        figures.append(
            Figure(
                f"Coverage against {analysis.frontier.party}'s utility (Pareto frontier)",
                scatter(
                    x=[p["coverage"] for p in pts],
                    y=[p["utility"] for p in pts],
                    text=[
                        ", ".join(
                            [
                                p["route"],
                                *(f"{d} {p[d]:g}" for d in _dims(analysis)),
                                f"{p['personnel']} personnel",
                            ]
                        )
                        for p in pts
                    ],
                    x_title="coverage (priority-weighted share of the requirement)",
                    y_title=f"{analysis.frontier.party} utility (higher is more acceptable)",
                    reference=pts[0]["status_quo_utility"] if pts else None,
                ),
                caption="Epsilon-constraint sweep: each point maximises the party's utility "
                "for at least the given coverage; the dashed line is its status quo utility.",
            )
        )
    tables = [
        TableBlock("Plan by domain", plan.domain_rows()),
        TableBlock(
            "Shortfalls and why",
            shortfalls,
            columns=("capability", "domain", "priority", "required", "units", "missing", "reasons"),
        ),
        TableBlock(
            "Allocation",
            plan.to_rows(),
            console_columns=("pledge", "actor", "capability", "units", "personnel", "location"),
        ),
    ]
    if analysis.shapley is not None:
        tables.append(
            TableBlock(
                "Who is indispensable: Shapley value of each contributor for coverage",
                analysis.shapley.to_rows(),
                note="v(S) = the best coverage using only S's pledges; the values share the "
                "grand coalition's coverage among contributors.",
            )
        )
    missing = sum(r["missing_personnel"] for r in shortfalls)
    return Section(
        id="plan",
        title="Force plan: "
        + _option_name(analysis.scenario, best.mission, best.route, best.levels),
        paragraphs=(
            f"{len(shortfalls)} requirements fall short, about {missing:,} personnel in all; "
            "each shortfall lists the pledges that could have filled it and why they did not.",
        ),
        tables=tuple(tables),
        figures=tuple(figures),
    )


def _whatif_section(analysis: Analysis) -> Section:
    tables = []
    paragraphs = []
    for w in analysis.whatifs:
        paragraphs.append(f"{w.patch.name}: {w.patch.description.strip()}")
        if w.plan_before is not None and w.plan_after is not None:
            paragraphs.append(
                f"Coverage {w.plan_before.coverage:.1%} → {w.plan_after.coverage:.1%}; "
                f"personnel {w.plan_before.personnel:,} → {w.plan_after.personnel:,}."
            )
        changed = [
            r
            for r in w.to_rows()
            if r["feasible_before"] != r["feasible_after"]
            or r["coverage_change"]
            or r["rejecting_before"] != r["rejecting_after"]
        ]
        tables.append(
            TableBlock(
                f"{w.patch.name}: options that change",
                changed,
                columns=(
                    "mission",
                    "route",
                    *_dims(analysis),
                    "feasible_before",
                    "feasible_after",
                    "coverage_before",
                    "coverage_after",
                    "personnel_before",
                    "personnel_after",
                ),
            )
        )
        if w.plan_rows():
            tables.append(TableBlock(f"{w.patch.name}: units that change", w.plan_rows()))
    return Section(id="whatif", title="What if", paragraphs=tuple(paragraphs), tables=tuple(tables))


def _uncertainty(analysis: Analysis) -> Section:
    sweep = analysis.sweep
    assert sweep is not None
    s = analysis.scenario
    parties = [p for p in (s.planning.host, s.planning.adversary) if p]
    option_rows = sweep.option_rows(parties=parties)
    probs = sweep.probability_rows()
    best = analysis.headline
    figures = []
    if best is not None:
        key = Option(best.mission, best.route, best.levels).id
        mine = [r for r in probs if r["option"] == key]
        rows = [r for r in mine if r["kind"] == "accept"]
        if rows and any(0.0 < r["p"] < 1.0 for r in rows):
            figures.append(
                Figure(
                    f"{_option_name(s, best.mission, best.route, best.levels)}: "
                    "probability of acceptance by party",
                    bar_chart(
                        categories=[r["subject"] for r in rows],
                        values={"probability": [r["p"] for r in rows]},
                        error={"probability": [1.96 * r["se"] for r in rows]},
                        y_title="probability (bars: ±1.96 standard errors)",
                    ),
                )
            )
        cover = [r for r in sweep.coverage_rows() if r["option"] == key and r["domain"] != "all"]
        if cover:
            figures.append(
                Figure(
                    f"{_option_name(s, best.mission, best.route, best.levels)}: "
                    "expected coverage by domain",
                    bar_chart(
                        categories=[r["domain"] for r in cover],
                        values={"expected coverage (%)": [r["mean"] for r in cover]},
                        error={"expected coverage (%)": [1.96 * r["sd"] for r in cover]},
                        y_title="% of the priority-weighted requirement (bars: ±1.96 sd)",
                    ),
                    caption="Pledge quantities drawn in their ranges, conditions and events "
                    "drawn with their probabilities; a domain at 0 has nothing offered.",
                )
            )
    trajectories = sweep.trajectory_rows()
    if trajectories:
        dates = [d.isoformat() for d in analysis.forecast.dates] if analysis.forecast else []
        panels: dict[str, dict[str, list[float]]] = {}
        for r in trajectories:
            if r["model"] != "compromise":
                continue
            panel = panels.setdefault(
                r["issue"], {q: [] for q in ("q05", "q25", "q50", "q75", "q95")}
            )
            for q in panel:
                panel[q].append(r[q])
        n_rounds = len(next(iter(panels.values()))["q50"]) if panels else 0
        figures.append(
            Figure(
                "Compromise forecast under uncertainty (fan chart)",
                fan_grid(x=dates[:n_rounds] or [str(t) for t in range(n_rounds)], panels=panels),
                caption="Median with 50% and 90% bands over the Monte Carlo replicates.",
            )
        )
    tables = [
        TableBlock(
            "Option matrix in probabilities",
            option_rows,
            console_columns=(
                "mission",
                "route",
                *_dims(analysis),
                "p_authorised",
                "coverage",
                "p_coverage_50",
                *(f"p_{a}" for a in parties),
            ),
            note=f"{sweep.n:,} replicates, seed {analysis.seed}; coverage is the expected "
            "priority-weighted coverage in percent (coverage_q05..q95 its 90% range); "
            "p_coverage_50 the probability of covering at least half, p_covered of covering "
            "every requirement in full; p_ACTOR the probability that the actor accepts.",
        ),
    ]
    uniform = [r for r in probs if r["kind"] == "accept"]
    if uniform and all(r["p"] in (0.0, 1.0) for r in uniform):
        acceptance_note = (
            "No party's acceptance of any option changes over the uncertain inputs: every "
            "acceptance probability is 0 or 1, so acceptance is decided by the red lines and "
            "the stances' central positions, not by their ranges."
        )
    else:
        acceptance_note = ""
    paragraphs = [
        f"{sweep.n:,} Monte Carlo replicates draw every uncertain input of the scenario "
        f"({len(sweep.design.inputs)} inputs: stance ranges, clout ranges, pledge quantities, "
        "parliamentary approvals and events), one independent random stream per replicate.",
        acceptance_note,
    ]
    if best is not None:
        overall = next(
            (
                r
                for r in sweep.coverage_rows()
                if r["option"] == Option(best.mission, best.route, best.levels).id
                and r["domain"] == "all"
            ),
            None,
        )
        if overall is not None:
            paragraphs.append(
                f"Coverage of {best.mission} via {best.route}: expected {overall['mean']:.0f}% "
                f"(90% of replicates between {overall['q05']:.0f}% and {overall['q95']:.0f}%); "
                f"probability of covering at least half {overall['p_at_least_50']:.0%} "
                f"({overall['p_at_least_50_low']:.0%}-{overall['p_at_least_50_high']:.0%}), "
                f"of covering everything {overall['p_full']:.0%}."
            )
    if analysis.sensitivity is not None:
        sens = analysis.sensitivity
        top = [r for r in sens.to_rows() if r["st"] > 0.01][:10]
        tables.append(
            TableBlock(
                f"What matters most for {sens.output}",
                top or sens.to_rows()[:5],
                columns=("rank", "input", "s1", "s1_low", "s1_high", "st", "st_low", "st_high"),
                note="Sobol first-order (s1) and total (st) indices with confidence bounds, "
                "inputs grouped by actor (Saltelli sampling; SALib).",
            )
        )
        paragraphs.append(sensitivity_headline(sens))
    return Section(
        id="uncertainty",
        title="Uncertainty: probabilities and what drives them",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        figures=tuple(figures),
    )


def _source_kinds(s: Scenario) -> str:
    counts: dict[str, int] = {}
    for src in s.sources:
        counts[src.kind.value] = counts.get(src.kind.value, 0) + 1
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def sensitivity_headline(sens: SensitivityResult) -> str:
    """One sentence on a Sobol analysis: what drives the output, or that it does not vary."""
    if not sens.variance > 0:
        return (
            f"Sensitivity: {sens.output} does not vary over the scenario's uncertain inputs "
            f"(always {sens.mean:.3g}), so there is nothing to apportion."
        )
    ranked = [r for r in sens.to_rows() if r["st"] > 0.01]
    lead = ", ".join(f"{r['input']} ({r['st']:.0%})" for r in ranked[:3]) or "no single input"
    return (
        f"Sensitivity: {sens.output} (mean {sens.mean:.3g}, sd {sens.variance**0.5:.3g}) is "
        f"driven most by {lead} of its variance (total Sobol indices); "
        f"{len(ranked)} of {len(sens.to_rows())} input groups matter (index above 1%)."
    )


def _dims(analysis: Analysis) -> tuple[str, ...]:
    """Ids of the scenario's planned dimensions (a column each in option tables)."""
    return tuple(d.id for d in analysis.scenario.planned_dimensions())


def _option_name(
    scenario: Scenario, mission: str, route: str, levels: tuple[tuple[str, float], ...]
) -> str:
    """``mission via ROUTE with <dimension name> <level>, ...``."""
    text = f"{mission} via {route}"
    if levels:
        text += " with " + ", ".join(f"{scenario.dimension(d).name} {v:g}" for d, v in levels)
    return text
