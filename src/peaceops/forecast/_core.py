"""Array inputs and results shared by every forecast model.

Every model in :mod:`peaceops.forecast` works on a :class:`NegotiationInput`: ``n`` actors with a
position on each of ``m`` issues (0..100), a salience per actor and issue (0..1) and a clout per
actor (> 0). Batched variants take the same arrays with a leading batch axis ``b``.
The scenario adapter (``peaceops.forecast.adapter``) builds these from a validated scenario;
the back-test builds them from DEU data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from peaceops.errors import OptionError, Problem, ScenarioError

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
            raise OptionError(
                "positions",
                f"positions and salience must be ({n}, {m}); got "
                f"{self.positions.shape!r} and {self.salience.shape!r}",
            )
        if self.clout.shape != (n,) or self.status_quo.shape != (m,):
            raise OptionError(
                "clout",
                f"clout must be ({n},) and status_quo ({m},); got "
                f"{self.clout.shape!r} and {self.status_quo.shape!r}",
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


# ----------------------------------------------------------------------------- shared checks

#: ``Problem.file`` for checks of arrays handed to the API directly (no file behind them).
INPUT = "<NegotiationInput>"
#: At most this many problems are listed one by one; the rest are counted.
MAX_LISTED = 20

BoolArray = npt.NDArray[np.bool_]


def problem(path: str, message: str) -> Problem:
    """A problem with the arrays or options handed to a model's API."""
    return Problem(INPUT, None, path, message)


def raise_all(problems: list[Problem]) -> None:
    """Raise one :class:`ScenarioError` listing ``problems`` (at most 20 one by one)."""
    if problems:
        if len(problems) > MAX_LISTED:
            extra = len(problems) - MAX_LISTED
            problems = [*problems[:MAX_LISTED], problem("", f"... and {extra} more")]
        raise ScenarioError(problems)


def check_input(data: NegotiationInput) -> None:
    """Raise one :class:`ScenarioError` listing every out-of-range value in ``data``."""
    problems: list[Problem] = []
    x, s = data.positions, data.salience
    bad_x = ~np.isnan(x) & ~((x >= 0.0) & (x <= 100.0))
    for i, e in zip(*np.nonzero(bad_x), strict=True):
        problems.append(
            problem(
                f"positions[{data.actors[i]}][{data.issues[e]}]",
                f"must be within 0..100 (NaN = no stance); got {float(x[i, e])!r}",
            )
        )
    bad_s = ~np.isnan(x) & ~((s >= 0.0) & (s <= 1.0))
    for i, e in zip(*np.nonzero(bad_s), strict=True):
        problems.append(
            problem(
                f"salience[{data.actors[i]}][{data.issues[e]}]",
                f"must be within 0..1 where the actor has a stance; got {float(s[i, e])!r}",
            )
        )
    for i in np.nonzero(~(np.isfinite(data.clout) & (data.clout > 0.0)))[0]:
        problems.append(
            problem(
                f"clout[{data.actors[i]}]", f"must be finite and > 0; got {float(data.clout[i])!r}"
            )
        )
    sq = data.status_quo
    for e in np.nonzero(~np.isnan(sq) & ~((sq >= 0.0) & (sq <= 100.0)))[0]:
        problems.append(
            problem(
                f"status_quo[{data.issues[e]}]",
                f"must be within 0..100 (NaN = unknown); got {float(sq[e])!r}",
            )
        )
    raise_all(problems)


def issue_weights(
    data: NegotiationInput, positions: FloatArray | None = None
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """:func:`weights` of ``data`` (or of other ``positions`` with its salience and clout)."""
    x = data.positions if positions is None else positions
    return weights(x, data.salience, data.clout)


def weights(
    positions: FloatArray, salience: FloatArray, clout: FloatArray
) -> tuple[FloatArray, BoolArray, BoolArray]:
    r"""Weights :math:`w_{ie} = c_i s_{ie}` of the actors with a stance, 0 elsewhere.

    Returns ``(w, clout_only, no_stance)``: ``w`` is ``(n, m)``; on an issue where every
    stance-holder has zero salience the weights fall back to clout alone (``clout_only``
    marks those issues), and ``no_stance`` marks issues nobody takes a stance on. Arrays
    may carry leading batch axes (``(b, n, m)`` positions and ``(b, n)`` clout).
    """
    has: BoolArray = ~np.isnan(positions)
    w = np.where(has, clout[..., :, None] * np.nan_to_num(salience), 0.0)
    has_any = np.asarray(has.any(axis=-2), dtype=np.bool_)
    clout_only = np.asarray(has_any & (w.sum(axis=-2) <= 0), dtype=np.bool_)
    if clout_only.any():
        w = np.where(clout_only[..., None, :], np.where(has, clout[..., :, None], 0.0), w)
    return np.asarray(w, dtype=np.float64), clout_only, ~has_any


def weighted_mean(
    positions: FloatArray, salience: FloatArray, clout: FloatArray, status_quo: FloatArray
) -> FloatArray:
    """The compromise rule: clout-and-salience weighted mean per issue (status quo where
    nobody takes a stance); leading batch axes allowed, as in :func:`weights`."""
    w, _, no_stance = weights(positions, salience, clout)
    total = w.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(no_stance, status_quo, (w * np.nan_to_num(positions)).sum(axis=-2) / total)
    return np.asarray(mean, dtype=np.float64)


def pad_rounds(traj: FloatArray, rounds: int) -> FloatArray:
    """``rounds + 1`` rows along the round axis (-2): a run that stopped early holds its
    last forecast."""
    t = traj.shape[-2]
    if t >= rounds + 1:
        return traj[..., : rounds + 1, :]
    tail = np.repeat(traj[..., -1:, :], rounds + 1 - t, axis=-2)
    return np.concatenate([traj, tail], axis=-2)


def check_perturbations(
    perturbations: Sequence[Perturbation], shape: tuple[int, ...]
) -> dict[int, list[Perturbation]]:
    """Validate perturbations against ``(n, m)`` actors and issues; group them by round."""
    n, m = shape[-2], shape[-1]
    problems = []
    by_round: dict[int, list[Perturbation]] = {}
    for k, p in enumerate(perturbations):
        if isinstance(p.round, bool) or not isinstance(p.round, int | np.integer) or p.round < 1:
            raise OptionError(
                f"perturbations[{k}].round",
                f"perturbations[{k}].round must be an integer >= 1; got {p.round!r}",
            )
        for name, arr, shape, lo, hi in (
            ("positions", p.positions, (n, m), 0.0, 100.0),
            ("salience", p.salience, (n, m), 0.0, 1.0),
            ("clout", p.clout, (n,), 0.0, np.inf),
        ):
            if arr is None:
                continue
            if arr.shape != shape:
                raise OptionError(
                    f"perturbations[{k}].{name}",
                    f"perturbations[{k}].{name} must have shape {shape!r}; got {arr.shape!r}",
                )
            bad = ~np.isnan(arr) & ~((arr >= lo) & (arr <= hi))
            if name == "clout":
                bad |= ~np.isnan(arr) & ~(arr > 0)
            if bad.any():
                first = tuple(int(v) for v in np.argwhere(bad)[0])
                problems.append(
                    Problem(
                        "<perturbations>",
                        None,
                        f"perturbations[{k}].{name}{list(first)}",
                        f"must be within {lo:g}..{hi:g} (NaN = unchanged); "
                        f"got {float(arr[first])!r}",
                    )
                )
        by_round.setdefault(int(p.round), []).append(p)
    if problems:
        raise ScenarioError(problems)
    return by_round


def apply_perturbation(p: Perturbation, x: FloatArray, s: FloatArray, c: FloatArray) -> None:
    """Apply one perturbation in place to one run's positions, salience and clout."""
    if p.positions is not None:
        np.copyto(x, p.positions, where=~np.isnan(p.positions))
    if p.salience is not None:
        np.copyto(s, p.salience, where=~np.isnan(p.salience))
    if p.clout is not None:
        np.copyto(c, p.clout, where=~np.isnan(p.clout))
