r"""Forecasts over calendar time: scenario → model inputs, events and patience → scheduled changes.

A scenario's ``time`` axis maps forecast rounds to dates (round 0 is ``time.start``, one round is
``time.step_days``). This module

1. builds the :class:`~peaceops.forecast._core.NegotiationInput` of a scenario (actors with at
   least one stance; a missing stance is NaN with salience 0; clout is the actor's clout value;
   the reference point is each issue's status quo);
2. turns the scenario's dated events into :class:`~peaceops.forecast._core.Perturbation`\ s at
   the round whose week contains the date (events without a date, or less likely than
   ``min_probability``, are left out of the deterministic forecast; the sweep samples them);
3. models **patience**: an actor with a per-round discount factor :math:`\delta_i` holds its
   salience at :math:`s_{ik}(t) = s_{ik}\,\delta_i^{\,t}`: the longer no agreement is reached,
   the more the costs of delay erode an impatient actor's resolve, so weight shifts to patient
   actors round by round;
4. runs each model over the horizon: dynamic models (expected utility, exchange, SMP) receive the
   schedule as perturbations; static models (compromise, median, Nash) are evaluated afresh on
   each round's inputs, so their trajectories move only with events and patience.

Notes
-----
Patience as decaying salience is our modelling choice, documented in ``docs/forecast.md``. It
follows the logic of concession under time costs in Cross (1965) and of discounting in
alternating-offers bargaining (Rubinstein 1982), where the less patient party concedes more,
and keeps every model's own mechanics intact. An actor without ``patience`` is treated as
perfectly patient (:math:`\delta_i = 1`).

References
----------
1. Cross, J. G. (1965). A theory of the bargaining process. *American Economic Review* 55(1),
   67-94.
2. Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. *Econometrica* 50(1),
   97-109. doi:10.2307/1912531
3. Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution in economic
   modelling. *RAND Journal of Economics* 17(2), 176-188. doi:10.2307/2555382
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from peaceops._frames import FrameMixin
from peaceops.errors import Problem, ScenarioError
from peaceops.forecast._core import (
    FloatArray,
    ForecastResult,
    NegotiationInput,
    Perturbation,
    pad_rounds,
)
from peaceops.forecast.cycles import Cycle, forecast_cycles
from peaceops.forecast.institutions import (
    Ruling,
    apply_institutions,
    issue_rules,
    restrict_input,
    restrict_schedule,
)
from peaceops.scenario.model import Event, Scenario

#: Models run by default, in the order the briefing shows them.
DEFAULT_MODELS = ("compromise", "median", "nash", "expected_utility", "exchange", "smp")
__all__ = [
    "DEFAULT_MODELS",
    "ScenarioForecast",
    "apply_perturbation",
    "forecast_scenario",
    "negotiation_input",
    "round_dates",
    "round_of",
    "schedule",
]


def negotiation_input(scenario: Scenario) -> NegotiationInput:
    """The stakeholder arrays of ``scenario``: actors with a stance, all issues.

    Examples
    --------
    The template's three actors with a stance, on its three issues (NaN: no stance):

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> data = negotiation_input(s)
    >>> data.actors, data.issues
    (('HST', 'ADV', 'LDR'), ('ground_size', 'alliance_share', 'un_authorisation'))
    >>> data.positions[0].tolist(), data.clout.tolist()
    ([80.0, nan, 40.0], [0.2, 0.6, 0.5])
    """
    actors = tuple(a.id for a in scenario.actors if scenario.stances.get(a.id))
    issues = tuple(i.id for i in scenario.issues)
    n, m = len(actors), len(issues)
    positions = np.full((n, m), np.nan)
    salience = np.zeros((n, m))
    for r, actor in enumerate(actors):
        for c, issue in enumerate(issues):
            st = scenario.stances[actor].get(issue)
            if st is not None:
                positions[r, c] = st.position
                salience[r, c] = st.salience
    clout = np.array([scenario.actor(a).clout.value for a in actors], dtype=float)
    status_quo = np.array([i.status_quo for i in scenario.issues], dtype=float)
    return NegotiationInput(actors, issues, positions, salience, clout, status_quo)


def round_of(scenario: Scenario, date: dt.date) -> int:
    """The forecast round whose week contains ``date`` (0 for dates up to ``time.start``).

    Examples
    --------
    Rounds are weeks from 1 January 2025: 1 March is in week 9 (58 days in):

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> import datetime as dt
    >>> round_of(s, dt.date(2025, 1, 1)), round_of(s, dt.date(2025, 3, 1))
    (0, 9)
    """
    days = (date - scenario.time.start).days
    if days <= 0:
        return 0
    return -(-days // scenario.time.step_days)  # ceiling: changes apply from the next round


def round_dates(scenario: Scenario, rounds: int) -> tuple[dt.date, ...]:
    """Calendar date of rounds ``0..rounds``.

    Examples
    --------
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> [d.isoformat() for d in round_dates(s, 2)]
    ['2025-01-01', '2025-01-08', '2025-01-15']
    """
    step = dt.timedelta(days=scenario.time.step_days)
    return tuple(scenario.time.start + k * step for k in range(rounds + 1))


def schedule(
    scenario: Scenario,
    data: NegotiationInput,
    *,
    rounds: int,
    min_probability: float = 0.5,
    events: Sequence[Event] | None = None,
) -> tuple[Perturbation, ...]:
    """Scheduled changes for rounds ``1..rounds``: dated events and patience.

    Parameters
    ----------
    scenario, data
        The scenario and its negotiation input (from :func:`negotiation_input`).
    rounds
        Horizon in rounds.
    min_probability
        Events less likely than this are left out (the sweep samples them instead).
    events
        Events to apply (default: the scenario's events with a date).

    Returns
    -------
    tuple of Perturbation
        One perturbation per round that changes anything, in round order. Each carries the full
        salience matrix when patience applies, so later rounds never undo earlier events.

    Examples
    --------
    The template's event (p 0.5, dated 1 March, round 9) lowers the adversary's salience on
    the ground presence to 0.6; the neutral contributor's patience has no stance to act on:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> sched = schedule(s, negotiation_input(s), rounds=12)
    >>> [(p.round, p.salience[1].tolist()) for p in sched]
    [(9, [0.6, nan, nan])]
    >>> schedule(s, negotiation_input(s), rounds=12, min_probability=0.6)
    ()
    """
    chosen = [
        e
        for e in (scenario.events if events is None else events)
        if e.date is not None and e.probability >= min_probability
    ]
    index = {a: i for i, a in enumerate(data.actors)}
    issue_index = {k: j for j, k in enumerate(data.issues)}
    delta = np.array(
        [
            1.0 if scenario.actor(a).patience is None else float(scenario.actor(a).patience or 0)
            for a in data.actors
        ]
    )
    impatient = bool(np.any(delta < 1.0))
    base_salience = data.salience.copy()
    out: list[Perturbation] = []
    for t in range(1, rounds + 1):
        pos = np.full_like(data.positions, np.nan)
        sal_event = np.full_like(data.salience, np.nan)
        clout = np.full_like(data.clout, np.nan)
        touched = False
        for e in chosen:
            if round_of(scenario, e.date) != t:  # type: ignore[arg-type]
                continue
            for change in e.changes:
                i = index.get(change.actor) if change.actor is not None else None
                if i is None:
                    continue  # an actor without stances is not in the forecast
                touched = True
                if change.clout is not None:
                    clout[i] = change.clout
                if change.issue is None:
                    continue
                j = issue_index[change.issue]
                if change.position is not None:
                    pos[i, j] = change.position
                if change.salience is not None:
                    sal_event[i, j] = change.salience
        changed = ~np.isnan(sal_event)
        base_salience[changed] = sal_event[changed]
        if impatient:
            salience: FloatArray | None = base_salience * (delta**t)[:, None]
            touched = True
        else:
            salience = sal_event if changed.any() else None
        if touched:
            out.append(
                Perturbation(
                    round=t,
                    positions=pos if not np.all(np.isnan(pos)) else None,
                    salience=salience,
                    clout=clout if not np.all(np.isnan(clout)) else None,
                )
            )
    return tuple(out)


def apply_perturbation(data: NegotiationInput, p: Perturbation) -> NegotiationInput:
    """``data`` with the changes of ``p`` applied (NaN entries leave values unchanged).

    Examples
    --------
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> data = negotiation_input(s)
    >>> p = schedule(s, data, rounds=12)[0]
    >>> float(data.salience[1, 0]), float(apply_perturbation(data, p).salience[1, 0])
    (0.8, 0.6)
    """
    positions, salience, clout = data.positions.copy(), data.salience.copy(), data.clout.copy()
    for target, change in ((positions, p.positions), (salience, p.salience), (clout, p.clout)):
        if change is not None:
            mask = ~np.isnan(change)
            target[mask] = change[mask]
    return replace(data, positions=positions, salience=salience, clout=clout)


@dataclass(frozen=True)
class ScenarioForecast(FrameMixin):
    """Every model's trajectory per issue over calendar time.

    Attributes
    ----------
    issues
        Issue ids.
    dates
        Date of each round, ``rounds + 1`` of them.
    results
        Model name → its :class:`ForecastResult` (trajectory ``(rounds + 1, m)``).
    data
        The negotiation input the models started from (what the briefing's driver table
        reads, so that the report never rebuilds it).
    """

    issues: tuple[str, ...]
    dates: tuple[dt.date, ...]
    results: dict[str, ForecastResult]
    data: NegotiationInput | None = None
    """The stated inputs the models ran on (round 0), for the report and the drivers."""
    rulings: tuple[Ruling, ...] = ()
    """What the deciding institution did to each model's outcome (settled issues only)."""
    cycles: dict[str, dict[str, Cycle]] = field(default_factory=dict)
    """Model -> issue -> the cycle its trajectory ends in (non-convergent)."""
    unconstrained: dict[str, ForecastResult] = field(default_factory=dict)
    """The models' own trajectories before the institutions (empty when nothing is settled)."""

    def headline(self, model: str, issue: str) -> float:
        """A model's forecast at the horizon, or the mean of its last cycle when it cycles."""
        cycle = self.cycles.get(model, {}).get(issue)
        if cycle is not None:
            return cycle.mean
        return float(self.results[model].trajectory[-1, self.issues.index(issue)])

    def outcome_rows(self) -> list[dict[str, Any]]:
        """One row per issue: each model's headline forecast (the mean of its last cycle for a
        model named in ``cycling``, which does not converge) and the spread between models."""
        rows = []
        for issue in self.issues:
            row: dict[str, Any] = {"issue": issue}
            finals = []
            for name in self.results:
                value = self.headline(name, issue)
                row[name] = round(value, 1)
                finals.append(value)
            valid = [v for v in finals if not np.isnan(v)]
            row["spread"] = round(max(valid) - min(valid), 1) if valid else None
            row["cycling"] = ", ".join(m for m in self.results if issue in self.cycles.get(m, {}))
            rows.append(row)
        return rows

    def to_rows(self) -> list[dict[str, Any]]:
        """Long form: one row per model, round and issue; ``cycling`` marks a model whose
        trajectory on that issue ends in a cycle (non-convergent)."""
        rows = []
        for name, res in self.results.items():
            cycling = self.cycles.get(name, {})
            for t, date in enumerate(self.dates[: res.trajectory.shape[0]]):
                for j, issue in enumerate(self.issues):
                    rows.append(
                        {
                            "model": name,
                            "round": t,
                            "date": date,
                            "issue": issue,
                            "forecast": float(res.trajectory[t, j]),
                            "cycling": issue in cycling,
                        }
                    )
        return rows

    def cycle_rows(self) -> list[dict[str, Any]]:
        """One row per model and issue whose trajectory ends in a cycle."""
        return [
            {"model": m, "issue": i, **c.to_row()}
            for m, by_issue in self.cycles.items()
            for i, c in by_issue.items()
        ]


def forecast_scenario(
    scenario: Scenario,
    *,
    models: Sequence[str] = DEFAULT_MODELS,
    rounds: int | None = None,
    until: dt.date | None = None,
    min_probability: float = 0.5,
    plan_values: Mapping[str, float] | None = None,
    venue_blocks: Mapping[str, tuple[str, ...]] | None = None,
) -> ScenarioForecast:
    """Run each model on ``scenario`` over calendar time, within who decides each issue.

    Parameters
    ----------
    scenario
        A validated scenario.
    models
        Names from :data:`peaceops.forecast.MODELS`.
    rounds, until
        Horizon in rounds, or the last date to forecast (default: ``time.horizon_rounds``).
    min_probability
        Events less likely than this are not applied (see :func:`schedule`).
    plan_values, venue_blocks
        The plan being forecast (issue values, for ``from_force`` issues) and the venues the
        planner found blocking every design (venue -> blockers); see
        :func:`peaceops.forecast.institutions.apply_institutions`.

    Returns
    -------
    ScenarioForecast
        Trajectories of ``horizon + 1`` rows per model; a dynamic model that converged early
        holds its last forecast. Issues settled in a venue, unilaterally or by the force are
        limited accordingly (:mod:`peaceops.forecast.institutions`); trajectories that end in a
        cycle are reported (:mod:`peaceops.forecast.cycles`).

    Raises
    ------
    ScenarioError
        For an unknown model name or a horizon before the scenario's start.

    Examples
    --------
    The compromise (clout x salience weighted mean) of the ground presence: host 80 (0.2 x
    0.9), adversary 0 (0.6 x 0.8), lead contributor 60 (0.5 x 0.6) gives
    (14.4 + 0 + 18) / (0.18 + 0.48 + 0.3) = 33.75; after the event (round 9) the
    adversary's weight is 0.36: 32.4 / 0.84 = 38.57.

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> f = forecast_scenario(s, models=["compromise"], rounds=12)
    >>> traj = f.results["compromise"].trajectory[:, 0]
    >>> round(float(traj[0]), 2), round(float(traj[-1]), 2)
    (33.75, 38.57)
    """
    from peaceops.forecast.registry import REGISTRY

    unknown = [m for m in models if m not in REGISTRY]
    if unknown:
        known = ", ".join(REGISTRY)
        raise ScenarioError(
            [
                Problem("<options>", None, "models", f"unknown model {m!r} (known: {known})")
                for m in unknown
            ]
        )
    horizon = rounds if rounds is not None else scenario.time.horizon_rounds
    if until is not None:
        horizon = round_of(scenario, until)
    if horizon < 1:
        raise ScenarioError(
            [
                Problem(
                    "<options>", None, "until", f"the horizon must end after {scenario.time.start}"
                )
            ]
        )
    rules = issue_rules(scenario)
    data = restrict_input(negotiation_input(scenario), rules)
    sched = schedule(scenario, data, rounds=horizon, min_probability=min_probability)
    sched = restrict_schedule(data, rules, sched)
    results: dict[str, ForecastResult] = {}
    for name in models:
        model = REGISTRY[name]
        if model.over_rounds is not None:
            run = model.over_rounds(data, rounds=horizon, perturbations=sched)
            results[name] = replace(run, trajectory=pad_rounds(run.trajectory, horizon))
        else:
            fn = model.forecast
            results[name] = _static_over_time(name, fn(data), fn, data, sched, horizon)
    raw = results
    results, rulings = apply_institutions(
        scenario,
        _inputs_by_round(data, sched, horizon),
        raw,
        plan_values=plan_values,
        venue_blocks=venue_blocks,
    )
    return ScenarioForecast(
        data.issues,
        round_dates(scenario, horizon),
        results,
        data,
        rulings=rulings,
        cycles=forecast_cycles(results),
        unconstrained=dict(raw) if rulings else {},
    )


def _inputs_by_round(
    data: NegotiationInput, sched: Sequence[Perturbation], horizon: int
) -> list[NegotiationInput]:
    """The stated inputs in force at rounds ``0..horizon`` (events applied cumulatively)."""
    by_round = {p.round: p for p in sched}
    out = [data]
    for t in range(1, horizon + 1):
        out.append(apply_perturbation(out[-1], by_round[t]) if t in by_round else out[-1])
    return out


def _static_over_time(
    name: str,
    first: ForecastResult,
    fn: Any,
    data: NegotiationInput,
    sched: Sequence[Perturbation],
    horizon: int,
) -> ForecastResult:
    rows = [first.outcome]
    by_round = {p.round: p for p in sched}
    current = data
    for t in range(1, horizon + 1):
        if t in by_round:
            current = apply_perturbation(current, by_round[t])
            rows.append(fn(current).outcome)
        else:
            rows.append(rows[-1])
    return ForecastResult(name, data.issues, np.vstack(rows), details=dict(first.details))
