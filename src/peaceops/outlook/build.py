"""One outlook: at most ten statements every engine supports, each tied to its evidence.

:func:`compute_outlook` runs what the outlook needs (the option matrix and its best plan, the
institution-aware forecast of that plan, a modest Monte Carlo sweep, a small Sobol analysis and
the change/no-change probabilities); :func:`build_outlook` only assembles the statements from
results already computed, so ``peaceops run`` and the HTML report open with the same lines as
``peaceops outlook``. Each statement names its evidence: the table or figure of the briefing it
summarises and the scenario's source ids behind it. Where the engines disagree, the statement
says so rather than averaging it away.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from peaceops.forecast.timeline import ScenarioForecast
from peaceops.outlook.change import MISSION, ChangeProbability
from peaceops.planning import OptionCell, OptionMatrix
from peaceops.scenario.model import Scenario
from peaceops.sweep import SensitivityResult, SweepResult

__all__ = ["Outlook", "OutlookLine", "build_outlook", "planner_inputs"]

#: Spread between models (points of the 0..100 scale) above which the outlook says they disagree.
DISAGREE = 25.0
WIDTH = 80


@dataclass(frozen=True)
class OutlookLine:
    """One statement of the outlook and what it rests on.

    Attributes
    ----------
    topic
        ``design``, ``deploy``, ``gap``, ``blocks``, ``change``, ``talks``, ``dynamics`` or
        ``drivers``.
    text
        The statement.
    evidence
        Tables and figures of the briefing (``table:options``, ``figure:forecast``...) and
        ``source:ID`` entries of the scenario.
    agree
        False when the statement reports a disagreement between engines.
    """

    topic: str
    text: str
    evidence: tuple[str, ...] = ()
    agree: bool = True

    def evidence_text(self) -> str:
        """The evidence grouped by kind, for reading.

        >>> OutlookLine("gap", "t", ("table:plan", "source:a", "source:b")).evidence_text()
        'table: plan; source: a, b'
        """
        groups: dict[str, list[str]] = {}
        for item in self.evidence:
            kind, _, name = item.partition(":")
            groups.setdefault(kind, []).append(name)
        return "; ".join(f"{kind}: {', '.join(names)}" for kind, names in groups.items())

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of the line."""
        return {
            "topic": self.topic,
            "text": self.text,
            "evidence": list(self.evidence),
            "agree": self.agree,
        }


@dataclass(frozen=True)
class Outlook:
    """The outlook of a scenario: the statements and the figures they quote."""

    scenario: str
    horizon: str
    lines: tuple[OutlookLine, ...]
    figures: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: statements plus the engine figures they quote."""
        return {
            "scenario": self.scenario,
            "horizon": self.horizon,
            "lines": [line.to_dict() for line in self.lines],
            "figures": dict(self.figures),
        }

    def render(self, width: int = WIDTH) -> str:
        """Plain text, numbered, each statement with its evidence, wrapped to ``width``."""
        out = [f"Outlook for {self.scenario} (horizon {self.horizon})"]
        for k, line in enumerate(self.lines, 1):
            head = f"{k:>2}. "
            out += textwrap.wrap(
                line.text, width, initial_indent=head, subsequent_indent=" " * len(head)
            )
            if line.evidence:
                out += textwrap.wrap(
                    "[" + line.evidence_text() + "]",
                    width,
                    initial_indent=" " * len(head),
                    subsequent_indent=" " * (len(head) + 1),
                    break_on_hyphens=False,
                )
        return "\n".join(out) + "\n"


def planner_inputs(
    options: OptionMatrix | None,
) -> tuple[OptionCell | None, dict[str, float] | None, dict[str, tuple[str, ...]]]:
    """The best option, its plan's issue values, and the venues blocking every design.

    A venue "blocks every design" when every option routed through it is not authorised; its
    blockers are those common to every such option (or all of them when none is common).
    """
    if options is None:
        return None, None, {}
    feasible = [c for c in options.cells if c.feasible]
    best = max(feasible, key=lambda c: (c.plan.coverage, -c.plan.personnel), default=None)
    plan_values = None if best is None else dict(best.plan.evaluation.issue_values)
    blocks: dict[str, tuple[str, ...]] = {}
    for route in dict.fromkeys(c.route for c in options.cells):
        cells = [c for c in options.cells if c.route == route]
        if any(c.authorised for c in cells):
            continue
        sets = [set(c.blockers) for c in cells]
        common = set.intersection(*sets) or set.union(*sets)
        order = [b for c in cells for b in c.blockers]
        blocks[route] = tuple(dict.fromkeys(b for b in order if b in common))
    return best, plan_values, blocks


def build_outlook(
    scenario: Scenario,
    *,
    options: OptionMatrix | None,
    forecast: ScenarioForecast | None,
    change: Sequence[ChangeProbability] = (),
    sweep: SweepResult | None = None,
    sensitivity: SensitivityResult | None = None,
) -> Outlook:
    """Assemble the outlook from results already computed (see :func:`compute_outlook`)."""
    best, _, blocks = planner_inputs(options)
    horizon = forecast.dates[-1].isoformat() if forecast else scenario.time.start.isoformat()
    lines: list[OutlookLine] = []
    figures: dict[str, Any] = {"venue_blocks": {k: list(v) for k, v in blocks.items()}}
    lines += _design_lines(scenario, best, sweep, figures)
    lines += _block_lines(scenario, options, blocks, forecast)
    if forecast is not None:
        lines += _change_lines(scenario, forecast, change, figures)
        lines += _talk_lines(forecast, figures)
    if sensitivity is not None:
        lines += _driver_lines(sensitivity, figures)
    return Outlook(scenario.id, horizon, tuple(lines[:10]), figures)


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _design_lines(
    scenario: Scenario,
    best: OptionCell | None,
    sweep: SweepResult | None,
    figures: dict[str, Any],
) -> list[OutlookLine]:
    if not scenario.missions:
        return []
    if best is None:
        return [
            OutlookLine(
                "design",
                "No design is feasible now: every route is blocked or a required party rejects.",
                ("table:options",),
            )
        ]
    mission = scenario.mission(best.mission)
    plan = best.plan
    text = (
        f"Most likely design: {best.name}; "
        f"it covers {_pct(plan.coverage)} of the priority-weighted requirement with "
        f"{plan.personnel:,} personnel."
    )
    p_ok = _feasible_probability(sweep, best)
    if p_ok is not None:
        text += (
            f" {best.route} authorises it in {_pct(p_ok['p'])} of {p_ok['n']} draws "
            f"({_pct(p_ok['ci_low'])}-{_pct(p_ok['ci_high'])})."
        )
    figures["design"] = {
        "mission": best.mission,
        "route": best.route,
        **dict(best.levels),
        "coverage": plan.coverage,
        "personnel": plan.personnel,
        "p_authorised": None if p_ok is None else p_ok["p"],
    }
    out = [
        OutlookLine(
            "design",
            text,
            ("table:options", "table:plan", *(f"source:{s}" for s in mission.sources)),
        )
    ]
    waits = [e for e in scenario.events if e.id in mission.after_events]
    if waits:
        p_all = 1.0
        parts = []
        for e in waits:
            p_all *= e.probability
            when = e.date.isoformat() if e.date else "no date"
            parts.append(f"{e.id} (p {e.probability:.2f}, {when})")
        text = f"It can deploy only after {', '.join(parts)}; all of them: p {p_all:.2f}."
        evidence = tuple(f"source:{s}" for e in waits for s in e.sources)
        figures["deploy_after"] = {e.id: e.probability for e in waits}
        figures["p_deploy"] = p_all
    else:
        text = "It waits for no event: it can deploy once the route authorises it."
        evidence = ()
    out.append(OutlookLine("deploy", text, ("table:events", *dict.fromkeys(evidence))))
    short = sorted(
        (d for d in plan.domains if d.missing_personnel > 0), key=lambda d: -d.missing_personnel
    )
    figures["gap"] = {d.domain: d.missing_personnel for d in plan.domains}
    if short:
        gap = ", ".join(
            f"{d.domain} {d.missing_personnel:,} of {d.required_personnel:,}" for d in short[:4]
        )
        more = f" and {len(short) - 4} more domains" if len(short) > 4 else ""
        text = f"Force gap (personnel short of the requirement): {gap}{more}."
    else:
        text = "No force gap: every domain's requirement is met."
    out.append(OutlookLine("gap", text, ("table:plan",)))
    return out


def _feasible_probability(sweep: SweepResult | None, best: OptionCell) -> dict[str, Any] | None:
    if sweep is None:
        return None
    for row in sweep.probability_rows():
        same = row["option"] == best.id
        if same and row["kind"] == "authorise" and row["subject"] == best.route:
            return row
    return None


def _block_lines(
    scenario: Scenario,
    options: OptionMatrix | None,
    blocks: Mapping[str, tuple[str, ...]],
    forecast: ScenarioForecast | None,
) -> list[OutlookLine]:
    parts: list[str] = []
    evidence = ["table:options", "table:venues"]
    if forecast is not None:
        # venue issues whose own win-set is the status quo in every model
        for issue in forecast.issues:
            rulings = [r for r in forecast.rulings if r.issue == issue and r.kind == "venue"]
            venue = scenario.issue(issue).decided_in
            if rulings and venue not in blocks and all(r.blockers for r in rulings):
                names = ", ".join(dict.fromkeys(b for r in rulings for b in r.blockers))
                parts.append(f"{issue} in {venue} by {names} (every model: no change)")
    if options is None or not blocks:
        return (
            [OutlookLine("blocks", "Blocked: " + "; ".join(parts) + ".", ("table:forecast",))]
            if parts
            else []
        )
    for venue, who in blocks.items():
        cells = [c for c in options.cells if c.route == venue]
        reasons = []
        for actor in who:
            violated = {r for c in cells for r in c.plan.evaluation.acceptance(actor).violated}
            reasons += sorted(violated)
            evidence += [
                f"source:{s}" for r in scenario.red_lines if r.id in violated for s in r.sources
            ]
        why = f" (red lines {', '.join(dict.fromkeys(reasons))})" if reasons else ""
        settled = [i.id for i in scenario.issues if i.decided_in == venue and forecast is not None]
        also = f"; so no change on {', '.join(settled)}" if settled else ""
        parts.append(f"{venue} in all {len(cells)} designs by {', '.join(who)}{why}{also}")
    text = "Blocked: " + "; ".join(parts) + "."
    return [OutlookLine("blocks", text, tuple(dict.fromkeys(evidence)))]


def _change_lines(
    scenario: Scenario,
    forecast: ScenarioForecast,
    change: Sequence[ChangeProbability],
    figures: dict[str, Any],
) -> list[OutlookLine]:
    mc = {c.issue: c for c in change if c.source == "monte_carlo"}
    own = {c.issue: c for c in change if c.source != "monte_carlo"}
    figures["change"] = [c.to_row() for c in change]
    if not mc and not own:
        return []
    first = mc or own

    def fmt(i: str) -> str:
        c = first[i]
        ci = f" ({_pct(c.low)}-{_pct(c.high)})" if c.low is not None and c.high is not None else ""
        return f"{i} {_pct(c.p_change)}{ci}"

    how = f"{next(iter(mc.values())).n} draws, 95% interval" if mc else "SMP's probabilities"
    issues = [i for i in forecast.issues if i in first]
    text = f"Chance of a change by {forecast.dates[-1].isoformat()} ({how}): " + ", ".join(
        fmt(i) for i in issues
    )
    text += "."
    agree = True
    if MISSION in mc:
        c = mc[MISSION]
        text += (
            f" No change on any issue: {_pct(c.p_no_change)} "
            f"({_pct(1 - (c.high or 0))}-{_pct(1 - (c.low or 0))})"
        )
        if MISSION in own:
            agree = abs(c.p_change - own[MISSION].p_change) < 0.2
            text += f"; the SMP's own probabilities give {_pct(own[MISSION].p_no_change)}"
        text += "."
    elif MISSION in own:
        text += f" No change on any issue: {_pct(own[MISSION].p_no_change)}."
    if not agree:
        text += " The two estimates disagree."
    return [OutlookLine("change", text, ("table:change", "figure:forecast"), agree)]


def _talk_lines(forecast: ScenarioForecast, figures: dict[str, Any]) -> list[OutlookLine]:
    settled = {r.issue for r in forecast.rulings}
    heads = {
        i: {m: forecast.headline(m, i) for m in forecast.results}
        for i in forecast.issues
        if i not in settled
    }
    figures["headline"] = {
        i: {m: round(v, 2) for m, v in by_model.items()}
        for i, by_model in (
            (i, {m: forecast.headline(m, i) for m in forecast.results}) for i in forecast.issues
        )
    }
    out = []
    agree, disagree = [], []
    for issue, by_model in heads.items():
        lo = min(by_model, key=lambda m: by_model[m])
        hi = max(by_model, key=lambda m: by_model[m])
        if by_model[hi] - by_model[lo] > DISAGREE:
            disagree.append(f"{issue} {by_model[lo]:.0f} ({lo}) to {by_model[hi]:.0f} ({hi})")
        else:
            agree.append(f"{issue} {by_model[lo]:.0f}-{by_model[hi]:.0f}")
    if agree:
        out.append(
            OutlookLine(
                "talks",
                f"Where talks land, all models within {DISAGREE:g} points: {', '.join(agree)}.",
                ("table:forecast", "figure:forecast"),
            )
        )
    if disagree:
        out.append(
            OutlookLine(
                "talks",
                f"Models disagree on: {'; '.join(disagree)}.",
                ("table:forecast", "figure:forecast"),
                agree=False,
            )
        )
    unilateral = sorted({(r.issue, r.label) for r in forecast.rulings if r.kind == "unilateral"})
    for issue, label in unilateral:
        values = sorted(forecast.headline(m, issue) for m in forecast.results)
        out.append(
            OutlookLine(
                "talks",
                f"{issue} is {label.replace('decided by ', '')}'s call: forecast "
                + (
                    f"{values[0]:.0f} in every model."
                    if round(values[0]) == round(values[-1])
                    else f"{values[0]:.0f}-{values[-1]:.0f} across models."
                ),
                ("table:forecast",),
            )
        )
    if forecast.cycles:
        parts = [
            f"{m} on {', '.join(sorted(c))} (period {max(x.period for x in c.values())})"
            for m, c in forecast.cycles.items()
        ]
        figures["cycles"] = {
            m: {i: c.to_row() for i, c in by.items()} for m, by in forecast.cycles.items()
        }
        out.append(
            OutlookLine(
                "dynamics",
                "Non-convergent: " + "; ".join(parts) + "; figures above use the mean over "
                "the last cycle.",
                ("table:forecast",),
                agree=False,
            )
        )
    return out


def _driver_lines(sensitivity: SensitivityResult, figures: dict[str, Any]) -> list[OutlookLine]:
    rows = [r for r in sensitivity.to_rows() if r["st"] and r["st"] > 0.01][:3]
    figures["drivers"] = {"output": sensitivity.output, "top": rows}
    if not rows:
        return []
    top = ", ".join(f"{r['input']} (total index {r['st']:.2f})" for r in rows)
    return [
        OutlookLine(
            "drivers",
            f"What would most change the picture ({sensitivity.output}): {top}.",
            ("table:sensitivity",),
        )
    ]
