"""The result of a sweep: probabilities and forecast distributions with Monte Carlo errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from peaceops.sweep.aggregate import FlagStats, Tally, ValueStats, stats_row
from peaceops.sweep.design import SamplingDesign
from peaceops.sweep.evaluate import OutputSpec

__all__ = ["SweepResult"]


@dataclass(frozen=True)
class SweepResult:
    """Aggregates of a Monte Carlo sweep (exact: the same bits whatever the executor).

    Attributes
    ----------
    scenario_id, scenario_hash
        The scenario swept.
    n, seed, batch_size
        Replicates, root seed (``docs/randomness.md``) and replicates per batch.
    forecast, rounds, utility
        Forecast models run in each replicate, their horizon, the planner's loss form.
    design
        The sampling design.
    spec
        The outputs.
    tally
        Integer sufficient statistics of all replicates (:class:`~peaceops.sweep.aggregate.Tally`).
    """

    scenario_id: str
    scenario_hash: str
    n: int
    seed: int
    batch_size: int
    forecast: tuple[str, ...]
    rounds: int | None
    utility: str
    design: SamplingDesign
    spec: OutputSpec
    tally: Tally

    def probability(self, name: str) -> FlagStats:
        """Probability of yes/no output ``name`` (e.g. ``cover:reassurance/COALITION/0:land``)."""
        kind, j = self.spec.locate(name)
        if kind != "flag":
            raise KeyError(f"{name!r} is a real output: use value()")
        return self.tally.flag_stats()[j]

    def value(self, name: str) -> ValueStats:
        """The distribution of real output ``name`` (e.g. ``forecast:compromise:timing``)."""
        kind, j = self.spec.locate(name)
        if kind != "value":
            raise KeyError(f"{name!r} is a yes/no output: use probability()")
        return self.tally.value_stats()[j]

    def probability_rows(self) -> list[dict[str, Any]]:
        """One row per yes/no output: option, kind, subject, ``p``, ``se``, Wilson interval."""
        rows = []
        for flag, stats in zip(self.spec.flags, self.tally.flag_stats(), strict=True):
            rows.append(
                {
                    "option": flag.option.id,
                    "mission": flag.option.mission,
                    "route": flag.option.route,
                    **dict(flag.option.levels),
                    "kind": flag.kind,
                    "subject": flag.subject,
                    **stats_row(stats),
                }
            )
        return rows

    def option_rows(self, *, parties: Sequence[str] = ()) -> list[dict[str, Any]]:
        """The option matrix in probabilities: one row per mission option.

        Columns: ``p_authorised`` (the option's route authorises), ``coverage`` (expected
        priority-weighted coverage, percent) with its 5% and 95% quantiles, ``p_coverage_50``
        (at least half the weighted requirement filled), ``p_covered`` (every requirement filled
        in full), ``p_ACTOR`` for each actor in ``parties`` (e.g. the host and the adversary),
        ``n_uncertain`` (parties whose acceptance is neither certain nor impossible) and
        ``n_reject`` (parties who never accept).
        """
        overall = {r["option"]: r for r in self.coverage_rows() if r["domain"] == "all"}
        by_option: dict[str, dict[str, Any]] = {}
        levels = {f.option.id: dict(f.option.levels) for f in self.spec.flags}
        for row in self.probability_rows():
            entry = by_option.setdefault(
                row["option"],
                {
                    "mission": row["mission"],
                    "route": row["route"],
                    **levels[row["option"]],
                    "p_authorised": None,
                    "coverage": overall.get(row["option"], {}).get("mean"),
                    "coverage_q05": overall.get(row["option"], {}).get("q05"),
                    "coverage_q95": overall.get(row["option"], {}).get("q95"),
                    "p_coverage_50": overall.get(row["option"], {}).get("p_at_least_50"),
                    "p_covered": None,
                    **{f"p_{a}": None for a in parties},
                    "n_uncertain": 0,
                    "n_reject": 0,
                },
            )
            p = row["p"]
            if row["kind"] == "authorise" and row["subject"] == row["route"]:
                entry["p_authorised"] = p
            elif row["kind"] == "cover" and row["subject"] == "all":
                entry["p_covered"] = p
            elif row["kind"] == "accept":
                if row["subject"] in parties:
                    entry[f"p_{row['subject']}"] = p
                entry["n_uncertain"] += int(0.0 < p < 1.0)
                entry["n_reject"] += int(p == 0.0)
        return list(by_option.values())

    def forecast_rows(self) -> list[dict[str, Any]]:
        """One row per model and issue: the outcome at the horizon (mean, error, quantiles)."""
        stats = self.tally.value_stats()
        rows = []
        for j, name in enumerate(self.spec.values):
            kind, model, issue = name.split(":", 2)
            if kind == "forecast":
                rows.append({"model": model, "issue": issue, **stats_row(stats[j])})
        return rows

    def coverage_rows(self) -> list[dict[str, Any]]:
        """One row per option and domain (and ``all``): the distribution of priority-weighted
        coverage in percent (mean, quantiles) and the probability, with its Wilson interval, of
        covering at least half (``p_at_least_50``) and all of it (``p_full``)."""
        stats = self.tally.value_stats()
        options = {f.option.id: f.option for f in self.spec.flags}
        rows = []
        for j, name in enumerate(self.spec.values):
            kind, option, domain = name.split(":", 2)
            if kind != "coverage":
                continue
            half, full = self.tally.at_least(j, 50.0), self.tally.at_least(j, 99.5)
            o = options[option]
            rows.append(
                {
                    "option": option,
                    "mission": o.mission,
                    "route": o.route,
                    **dict(o.levels),
                    "domain": domain,
                    **stats_row(stats[j]),
                    "p_at_least_50": half.p,
                    "p_at_least_50_low": half.ci_low,
                    "p_at_least_50_high": half.ci_high,
                    "p_full": full.p,
                    "p_full_low": full.ci_low,
                    "p_full_high": full.ci_high,
                }
            )
        return rows

    def trajectory_rows(self) -> list[dict[str, Any]]:
        """One row per model, issue and round: the forecast's distribution (fan charts)."""
        stats = self.tally.value_stats()
        rows = []
        offset = len(self.spec.values)
        for j, name in enumerate(self.spec.series):
            _, model, rest = name.split(":", 2)
            issue, rnd = rest.rsplit("@", 1)
            row = {"model": model, "issue": issue, "round": int(rnd)}
            rows.append({**row, **stats_row(stats[offset + j])})
        return rows

    def to_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Result rows by section, as the run store keeps them.

        Sections: ``sweep`` (one row: n, seed, options), ``sweep_inputs`` (the design),
        ``sweep_probabilities``, ``sweep_coverage``, ``sweep_forecasts`` and
        ``sweep_trajectories``.
        """
        return {
            "sweep": [self.summary()],
            "sweep_inputs": self.design.to_rows(),
            "sweep_probabilities": self.probability_rows(),
            "sweep_coverage": self.coverage_rows(),
            "sweep_forecasts": self.forecast_rows(),
            "sweep_trajectories": self.trajectory_rows(),
        }

    def to_frame(self, section: str = "sweep_probabilities") -> pd.DataFrame:
        """One section of :meth:`to_rows` as a DataFrame."""
        return pd.DataFrame(self.to_rows()[section])

    def summary(self) -> dict[str, Any]:
        """The sweep's settings in one row."""
        return {
            "scenario": self.scenario_id,
            "n": self.n,
            "seed": str(self.seed),
            "batch_size": self.batch_size,
            "inputs": self.design.k,
            "outputs": len(self.spec.flags) + len(self.spec.values),
            "forecast": ",".join(self.forecast),
            "rounds": self.rounds,
            "utility": self.utility,
        }
