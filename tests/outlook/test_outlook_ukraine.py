"""On ukraine-2025-04: venues that block every design block their issues in every model, and
the outlook quotes exactly what the engines computed."""

from __future__ import annotations

from typing import Any

import pytest

from peaceops.forecast.timeline import forecast_scenario
from peaceops.outlook import build_outlook, change_probabilities, planner_inputs
from peaceops.planning import option_matrix
from peaceops.scenario import load_scenario

MODELS = ("compromise", "median", "nash", "expected_utility", "exchange", "smp")


@pytest.fixture(scope="module")
def run() -> dict[str, Any]:
    s = load_scenario("ukraine-2025-04")
    options = option_matrix(s)
    best, plan_values, blocks = planner_inputs(options)
    forecast = forecast_scenario(s, models=MODELS, plan_values=plan_values, venue_blocks=blocks)
    change = change_probabilities(s, forecast, options, n=64, seed=3)
    outlook = build_outlook(s, options=options, forecast=forecast, change=change)
    return {
        "s": s,
        "options": options,
        "best": best,
        "forecast": forecast,
        "change": change,
        "outlook": outlook,
    }


def test_issues_of_a_venue_blocked_in_every_design_stay_at_the_status_quo(run) -> None:  # type: ignore[no-untyped-def]
    s, options, f = run["s"], run["options"], run["forecast"]
    checked = 0
    for issue in s.issues:
        if issue.decided_in is None:
            continue
        cells = [c for c in options.cells if c.route == issue.decided_in]
        if not cells or any(c.authorised for c in cells):
            continue
        # blockers common to every design, read from the option matrix itself
        common = set.intersection(*(set(c.blockers) for c in cells))
        j = f.issues.index(issue.id)
        for name in MODELS:
            assert f.results[name].trajectory[-1, j] == issue.status_quo
        for ruling in (r for r in f.rulings if r.issue == issue.id):
            assert ruling.value == issue.status_quo
            assert set(ruling.blockers) == common
            assert ruling.label == f"no change: blocked by {', '.join(ruling.blockers)}"
        checked += 1
    assert checked == 1  # un_authorisation in the UNSC: blocked by RUS in all 9 designs
    assert {r.blockers for r in f.rulings if r.issue == "un_authorisation"} == {("RUS",)}


def test_force_issues_take_the_best_plans_values(run) -> None:  # type: ignore[no-untyped-def]
    f, best = run["forecast"], run["best"]
    for issue in ("nato_share", "ground_presence"):
        j = f.issues.index(issue)
        for name in MODELS:
            assert f.results[name].outcome[j] == best.plan.evaluation.issue_values[issue]


def test_outlook_figures_equal_the_engines_outputs(run) -> None:  # type: ignore[no-untyped-def]
    s, f, best, outlook = run["s"], run["forecast"], run["best"], run["outlook"]
    fig = outlook.figures
    assert fig["design"]["mission"] == best.mission
    assert fig["design"]["route"] == best.route
    assert fig["design"]["coverage"] == best.plan.coverage
    assert fig["design"]["personnel"] == best.plan.personnel
    assert fig["gap"] == {d.domain: d.missing_personnel for d in best.plan.domains}
    after = s.mission(best.mission).after_events
    assert fig["deploy_after"] == {e.id: e.probability for e in s.events if e.id in after}
    for issue, by_model in fig["headline"].items():
        for model, value in by_model.items():
            assert value == round(f.headline(model, issue), 2)
    assert fig["change"] == [c.to_row() for c in run["change"]]
    assert fig["venue_blocks"] == {"UNSC": ["RUS"], "NATO": ["HUN", "SVK"], "EU": ["HUN", "SVK"]}
    text = outlook.render()
    assert len(outlook.lines) <= 10
    assert max(len(line) for line in text.splitlines()) <= 80
    assert f"{best.mission} via {best.route}" in text
    assert "UNSC in all 9 designs by RUS" in text


def test_change_probabilities_gate_force_issues_on_deployment(run) -> None:  # type: ignore[no-untyped-def]
    own = {c.issue: c for c in run["change"] if c.source == "smp"}
    mc = {c.issue: c for c in run["change"] if c.source == "monte_carlo"}
    # the force deploys only after a ceasefire (p 0.35): SMP's force issues change with p 0.35
    assert own["nato_share"].p_change == pytest.approx(0.35)
    assert own["un_authorisation"].p_change == 0.0
    assert mc["un_authorisation"].k == 0
    assert mc["nato_share"].k == mc["ground_presence"].k
    assert 0 < mc["nato_share"].k < mc["nato_share"].n
    # no change anywhere: at least the chance that no ceasefire comes (then nothing deploys and
    # the only ungated issue, un_authorisation, is blocked), in both estimates
    assert own["(any issue)"].p_no_change >= 0.65 - 1e-9
    assert mc["(any issue)"].k >= max(c.k or 0 for c in mc.values())
