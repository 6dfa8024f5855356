"""Change or no change: how likely each issue, and the mission as a whole, moves by the horizon.

Two estimates, reported side by side:

1. **The model's own uncertainty** (``source = "smp"``). The KTAB spatial model of politics
   gives, per issue, probabilities over candidate outcomes (the actors' final positions,
   Wise, Lester and Efird's probabilistic Condorcet election). Each candidate is passed through
   the issue's institution (projected into the venue's win-set of the status quo; a unilateral or
   force-set issue has one value), and :math:`P(\\text{no change})` is the mass on candidates
   within ``tol`` of the status quo. The mission-level figure treats issues as independent
   given whether the mission deploys (deployment is common to every issue that describes the
   mission, see below): :math:`P(\\text{no change anywhere}) = p_d \\prod_j P_j + (1 - p_d)
   \\prod_{j \\text{ not gated}} P_j` with :math:`P_j` the mass at the status quo. No
   interval: the probabilities are the model's, not a sample's.
2. **The Monte Carlo sweep over uncertain inputs** (``source = "monte_carlo"``). Each replicate
   draws the scenario's uncertain clouts, stances and events (the sweep's sampling design and
   seed tree, :mod:`peaceops.sweep.design`), runs the compromise model (van den Bos 1991; Achen
   2006: the model the DEU back-test found hardest to beat) on the stated inputs at the horizon
   and applies the institutions; a replicate "changes" an issue when the result is more than
   ``tol`` from the status quo. An issue that describes the mission (its size, the share of a
   group, a design choice such as zone or mandate, or a ``from_force`` issue) changes only in
   replicates where the mission's presupposed events happen (it deploys); the SMP figure is
   multiplied by their probability. Proportions carry Wilson 95% intervals (the sweep's single
   formula, :func:`peaceops.sweep.aggregate.tally`); the mission-level figure counts the
   replicates in which nothing changes on any issue.

Notes
-----
The planner's verdicts (which venues block every design) and the plan's force values are held at
their deterministic values in every replicate: the sweep's own option outcomes vary with the draws,
but folding them in would need a plan per replicate. ``tol`` is half a point of the 0..100 scale.

References
----------
1. Achen, C. H. (2006). Evaluating political decision-making models. In Thomson et al. (eds.),
   *The European Union Decides*, Cambridge UP, 264-298.
2. Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
   *Journal of the American Statistical Association* 22(158), 209-212. doi:10.2307/2276774
3. Wise, B., Lester, L. and Efird, B. (2015). An introduction to the KAPSARC Toolkit for
   Behavioral Analysis (KTAB) using one-dimensional spatial models. KAPSARC, KS-1517-DP09A.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from peaceops.forecast.compromise import compromise_forecast
from peaceops.forecast.institutions import apply_institutions, issue_rules, restrict_input
from peaceops.forecast.timeline import (
    ScenarioForecast,
    apply_perturbation,
    negotiation_input,
    schedule,
)
from peaceops.scenario.model import Scenario
from peaceops.sweep import draw_inputs, sampling_design
from peaceops.sweep.aggregate import tally

__all__ = ["ChangeProbability", "model_change", "sweep_change"]

TOL = 0.5
MISSION = "(any issue)"


@dataclass(frozen=True)
class ChangeProbability:
    """Probability that ``issue`` (or ``(any issue)``) moves from the status quo by the horizon.

    ``n``/``k``/``low``/``high`` are the replicates, the replicates with a change, and the
    Wilson 95% interval (``None`` for the model's own probabilities).
    """

    issue: str
    source: str
    p_change: float
    n: int | None = None
    k: int | None = None
    low: float | None = None
    high: float | None = None

    @property
    def p_no_change(self) -> float:
        """One minus :attr:`p_change`."""
        return 1.0 - self.p_change

    def to_row(self) -> dict[str, Any]:
        """A flat row for tables and JSON."""
        return {
            "issue": self.issue,
            "source": self.source,
            "p_change": round(self.p_change, 4),
            "p_no_change": round(self.p_no_change, 4),
            "n": self.n,
            "ci_low": None if self.low is None else round(self.low, 4),
            "ci_high": None if self.high is None else round(self.high, 4),
        }


def model_change(
    scenario: Scenario,
    forecast: ScenarioForecast,
    *,
    model: str = "smp",
    deploy_after: tuple[str, ...] = (),
) -> tuple[ChangeProbability, ...]:
    """Per issue and for the mission: P(change) from ``model``'s outcome probabilities.

    An issue that describes the mission (``from_force``, or a design map of kind
    ``personnel``, ``group_share`` or ``choice``) changes only if the force deploys: its
    probability of change is multiplied by the probability that every event in
    ``deploy_after`` happens (taken as independent).
    """
    p_deploy = float(np.prod([_p_event(scenario, e) for e in deploy_after]))
    same_if_deployed: list[float] = []
    same_if_not: list[float] = []
    res = forecast.results.get(model)
    if res is None or res.distribution is None or res.support is None:
        return ()
    rulings = {r.issue: r for r in forecast.rulings if r.model == model}
    q = np.array([scenario.issue(i).status_quo for i in forecast.issues])
    out = []
    for j, issue in enumerate(forecast.issues):
        support = res.support[j].astype(float)
        ruling = rulings.get(issue)
        if ruling is not None and ruling.kind in ("force", "unilateral"):
            support = np.full_like(support, ruling.value)
        elif ruling is not None and ruling.win_set is not None:
            support = np.clip(support, *ruling.win_set)
        same = np.abs(support - q[j]) <= TOL
        p_same = float(np.sum(res.distribution[j][same]) / max(np.sum(res.distribution[j]), 1e-300))
        gated = _describes_mission(scenario, issue)
        out.append(ChangeProbability(issue, model, (p_deploy if gated else 1.0) * (1.0 - p_same)))
        same_if_deployed.append(p_same)
        same_if_not.append(1.0 if gated else p_same)
    # deployment is common to every gated issue: condition on it, issues independent given it
    p_none = p_deploy * float(np.prod(same_if_deployed)) + (1.0 - p_deploy) * float(
        np.prod(same_if_not)
    )
    return (*out, ChangeProbability(MISSION, model, 1.0 - p_none))


def sweep_change(
    scenario: Scenario,
    *,
    n: int,
    seed: int,
    plan_values: Mapping[str, float] | None = None,
    venue_blocks: Mapping[str, tuple[str, ...]] | None = None,
    deploy_after: tuple[str, ...] = (),
) -> tuple[ChangeProbability, ...]:
    """Per issue and for the mission: P(change) over ``n`` replicates of the uncertain inputs.

    Replicate ``i`` uses the sweep's stream ``i`` of ``seed`` (``docs/randomness.md``), so the
    draws are those of ``peaceops sweep --seed SEED``. In replicates where an event in
    ``deploy_after`` (the mission's presupposed events) does not happen no force deploys: a
    ``from_force`` issue then has no plan value, and no issue that describes the mission
    (see :func:`model_change`) changes.
    """
    rules = issue_rules(scenario)
    base = restrict_input(negotiation_input(scenario), rules)
    horizon = scenario.time.horizon_rounds
    design = sampling_design(scenario)
    values = draw_inputs(design, seed, 0, n) if design.k else np.zeros((n, 0))
    a_ix = {a: i for i, a in enumerate(base.actors)}
    i_ix = {k: j for j, k in enumerate(base.issues)}
    changed = np.zeros((n, len(base.issues)), dtype=bool)
    gated = np.array([_describes_mission(scenario, i) for i in base.issues], dtype=bool)
    for r in range(n):
        drawn = dict(zip(design.names, values[r], strict=True))
        data = _realise(base, drawn, a_ix, i_ix)
        events = [
            e
            for e in scenario.events
            if e.date is not None and drawn.get(f"event:{e.id}", e.probability) >= 0.5
        ]
        sched = schedule(scenario, data, rounds=horizon, min_probability=0.0, events=events)
        final = data
        for p in sched:
            final = apply_perturbation(final, p)
        final = restrict_input(final, rules)
        res = {"compromise": compromise_forecast(final)}
        deploys = all(drawn.get(f"event:{e}", _p_event(scenario, e)) >= 0.5 for e in deploy_after)
        out, _ = apply_institutions(
            scenario,
            [final],
            res,
            plan_values=plan_values if deploys else None,
            venue_blocks=venue_blocks,
        )
        changed[r] = np.abs(out["compromise"].outcome - base.status_quo) > TOL
        if not deploys:
            changed[r] &= ~gated
    flags = np.column_stack([changed, changed.any(axis=1)])
    stats = tally(flags, np.zeros((n, 0))).flag_stats()
    names = (*base.issues, MISSION)
    return tuple(
        ChangeProbability(name, "monte_carlo", s.p, s.n, s.k, s.ci_low, s.ci_high)
        for name, s in zip(names, stats, strict=True)
    )


def _realise(
    base: Any, drawn: Mapping[str, float], a_ix: Mapping[str, int], i_ix: Mapping[str, int]
) -> Any:
    """``base`` with the drawn clouts, positions and saliences of one replicate."""
    positions, salience, clout = base.positions.copy(), base.salience.copy(), base.clout.copy()
    for name, value in drawn.items():
        kind, _, rest = name.partition(":")
        actor, _, issue = rest.partition(":")
        i = a_ix.get(actor)
        if i is None:
            continue
        if kind == "clout":
            clout[i] = value
        elif kind in ("position", "salience") and issue in i_ix:
            target = positions if kind == "position" else salience
            if salience[i, i_ix[issue]] > 0 or kind == "salience":
                target[i, i_ix[issue]] = value
    return replace(base, positions=positions, salience=salience, clout=clout)


def _p_event(scenario: Scenario, event_id: str) -> float:
    return next((e.probability for e in scenario.events if e.id == event_id), 1.0)


def _describes_mission(scenario: Scenario, issue_id: str) -> bool:
    """Whether the issue describes the deployed mission (so it changes only if it deploys):
    a ``from_force`` issue, or one whose design map is a size, share or design choice (an
    authorisation ``route`` can come before any deployment)."""
    issue = scenario.issue(issue_id)
    return issue.from_force or (issue.design is not None and issue.design.kind != "route")
