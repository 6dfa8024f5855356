"""Array inputs and results shared by every forecast model.

Every model in :mod:`peaceops.forecast` works on a :class:`NegotiationInput`: ``n`` actors with a
position on each of ``m`` issues (0..100), a salience per actor and issue (0..1) and a clout per
actor (> 0). Batched variants take the same arrays with a leading batch axis ``b``.
The scenario adapter (``peaceops.forecast.adapter``) builds these from a validated scenario;
the back-test builds them from DEU data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

__all__ = ["FloatArray", "ForecastResult", "NegotiationInput", "Perturbation"]


@dataclass(frozen=True)
class NegotiationInput:
    """Stakeholder data for one negotiation.

    Attributes
    ----------
    actors
        Actor ids, length ``n``.
    issues
        Issue ids, length ``m``.
    positions
        ``(n, m)`` positions on the 0..100 scale; NaN where an actor has no stance.
    salience
        ``(n, m)`` salience in 0..1; 0 where an actor has no stance.
    clout
        ``(n,)`` capability (any positive scale; models normalise where they need to).
    status_quo
        ``(m,)`` reference point (status quo) per issue, or NaN where unknown.
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    positions: FloatArray
    salience: FloatArray
    clout: FloatArray
    status_quo: FloatArray

    def __post_init__(self) -> None:
        n, m = len(self.actors), len(self.issues)
        if self.positions.shape != (n, m) or self.salience.shape != (n, m):
            raise ValueError(
                f"positions and salience must be ({n}, {m}); got "
                f"{self.positions.shape!r} and {self.salience.shape!r}"
            )
        if self.clout.shape != (n,) or self.status_quo.shape != (m,):
            raise ValueError(
                f"clout must be ({n},) and status_quo ({m},); got "
                f"{self.clout.shape!r} and {self.status_quo.shape!r}"
            )


@dataclass(frozen=True)
class ForecastResult:
    """A model's forecast for one negotiation.

    Attributes
    ----------
    model
        Model name as in ``peaceops.forecast.MODELS``.
    issues
        Issue ids, length ``m``.
    trajectory
        ``(rounds + 1, m)`` forecast outcome per round (row 0 is the forecast on the initial
        positions); a static model has one row.
    positions
        ``(rounds + 1, n, m)`` actors' positions per round for dynamic models, else ``None``.
    distribution
        Optional ``(m, k)`` probabilities over ``support`` (``k`` candidate outcomes per issue),
        for models that give one (SMP); ``None`` otherwise.
    support
        ``(m, k)`` candidate outcomes matching ``distribution``, or ``None``.
    details
        Model-specific scalar diagnostics (e.g. number of rounds to convergence).
    """

    model: str
    issues: tuple[str, ...]
    trajectory: FloatArray
    positions: FloatArray | None = None
    distribution: FloatArray | None = None
    support: FloatArray | None = None
    details: dict[str, float] = field(default_factory=dict)

    @property
    def outcome(self) -> FloatArray:
        """Final forecast per issue: the last row of the trajectory."""
        last: FloatArray = self.trajectory[-1]
        return last


@dataclass(frozen=True)
class Perturbation:
    """A scheduled change to the inputs, applied at the start of round ``round``.

    Scenario events (e.g. the US raising the salience of speed on a given date) become
    perturbations once calendar dates are mapped to rounds. Each array has the shape of the
    matching :class:`NegotiationInput` field; NaN entries leave the current value unchanged.
    Dynamic models apply a new *position* to both the actor's current and ideal position.

    Attributes
    ----------
    round
        1-based round at whose start the change applies.
    positions, salience, clout
        Replacement values (NaN = unchanged), or ``None`` when that field does not change.
    """

    round: int
    positions: FloatArray | None = None
    salience: FloatArray | None = None
    clout: FloatArray | None = None
