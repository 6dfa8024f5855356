"""What drives a forecast: the weight each actor carries and who moved, per issue.

For the weight-based models (compromise, median, Nash) an actor's pull on issue :math:`k` is its
share of :math:`c_i s_{ik}`; for the dynamic models the actors whose positions moved most over
the horizon show who conceded. Both are read off the inputs and the models' own trajectories.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from peaceops.forecast._core import NegotiationInput
from peaceops.forecast.timeline import ScenarioForecast

__all__ = ["driver_rows"]


def driver_rows(
    data: NegotiationInput, forecast: ScenarioForecast, *, top: int = 3
) -> list[dict[str, Any]]:
    """One row per issue: the heaviest actors by clout x salience, and who moved most.

    Parameters
    ----------
    data
        The negotiation input the forecast started from.
    forecast
        The scenario forecast.
    top
        How many actors to name per column.

    Examples
    --------
    On the ground presence the adversary weighs 0.6 x 0.8 = 0.48 of 0.96 (50%), the lead
    contributor 0.5 x 0.6 = 0.3 (31%):

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.forecast.timeline import forecast_scenario, negotiation_input
    >>> f = forecast_scenario(s, models=["compromise"], rounds=2)
    >>> row = driver_rows(negotiation_input(s), f, top=2)[0]
    >>> row["issue"], row["heaviest (clout x salience share, position)"]
    ('ground_size', 'ADV 50% (at 0), LDR 31% (at 60)')
    """
    weight = data.clout[:, None] * data.salience
    total = weight.sum(axis=0)
    rows = []
    for j, issue in enumerate(data.issues):
        order = np.argsort(-weight[:, j], kind="stable")[:top]
        share = weight[:, j] / total[j] if total[j] > 0 else np.zeros_like(weight[:, j])
        heaviest = ", ".join(
            f"{data.actors[i]} {share[i]:.0%} (at {data.positions[i, j]:g})"
            for i in order
            if share[i] > 0
        )
        moved: dict[str, float] = {}
        for res in forecast.results.values():
            if res.positions is None:
                continue
            shift = np.abs(res.positions[-1, :, j] - res.positions[0, :, j])
            for i in np.argsort(-np.nan_to_num(shift), kind="stable")[:top]:
                if shift[i] > 0.5:
                    a = data.actors[i]
                    moved[a] = max(moved.get(a, 0.0), float(shift[i]))
        movers = sorted(moved.items(), key=lambda kv: -kv[1])[:top]
        rows.append(
            {
                "issue": issue,
                "heaviest (clout x salience share, position)": heaviest,
                "moved most (dynamic models)": ", ".join(f"{a} {d:.0f}" for a, d in movers)
                or "nobody",
            }
        )
    return rows
