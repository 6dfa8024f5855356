"""Input checks and preparation shared by :func:`~peaceops.forecast.smp.smp_forecast`,
:func:`~peaceops.forecast.smp.smp_trace` and :func:`~peaceops.forecast.smp.smp_batch`.

Every problem found is collected and raised together as one
:class:`~peaceops.errors.ScenarioError`, with a path naming the actor, issue or batch member.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from peaceops.errors import Problem
from peaceops.forecast._core import FloatArray, NegotiationInput, Perturbation, problem
from peaceops.forecast.smp.election import PCE_MODELS, VICTORY_MODELS, VOTE_RULES
from peaceops.forecast.smp.reference import (
    BARGAIN_MODELS,
    BIG_R_ADJUSTS,
    BIG_R_RANGES,
    INTERPOLATIONS,
    THIRD_PARTY_COMMITS,
    Schedule,
    Settings,
)

__all__: list[str] = []

#: Options and their tables, in the order of :class:`Settings`.
OPTION_TABLES: dict[str, dict[str, int]] = {
    "vote_rule": VOTE_RULES,
    "victory_model": VICTORY_MODELS,
    "pce": PCE_MODELS,
    "big_r_range": BIG_R_RANGES,
    "big_r_adjust": BIG_R_ADJUSTS,
    "third_party": THIRD_PARTY_COMMITS,
    "interpolation": INTERPOLATIONS,
    "bargain_model": BARGAIN_MODELS,
}


def make_settings(problems: list[Problem], *values: str) -> Settings:
    """Codes of the model options (in :data:`OPTION_TABLES` order); unknown names are
    recorded in ``problems`` (and replaced by the default)."""
    codes = []
    for (name, table), value, default in zip(
        OPTION_TABLES.items(), values, Settings().codes(), strict=True
    ):
        if value not in table:
            problems.append(problem(name, f"must be one of {sorted(table)}; got {value!r}"))
        codes.append(table.get(value, int(default)))
    return Settings(*codes)


def check_run_options(
    mode: str, outcome: str, max_turns: int, tol: float, min_turns: int
) -> list[Problem]:
    problems = []
    if mode not in ("ktab", "fast"):
        problems.append(problem("mode", f"must be 'ktab' or 'fast'; got {mode!r}"))
    if outcome not in ("mean", "mode"):
        problems.append(problem("outcome", f"must be 'mean' or 'mode'; got {outcome!r}"))
    if not (isinstance(max_turns, int | np.integer) and max_turns >= 1):
        problems.append(problem("max_turns", f"must be an integer >= 1; got {max_turns!r}"))
    if not (isinstance(min_turns, int | np.integer) and min_turns >= 1):
        problems.append(problem("min_turns", f"must be an integer >= 1; got {min_turns!r}"))
    if not (np.isfinite(tol) and tol >= 0.0):
        problems.append(problem("tol", f"must be finite and >= 0; got {tol!r}"))
    return problems


def check_values(
    x: FloatArray,
    s: FloatArray,
    c: FloatArray,
    sq: FloatArray,
    actors: tuple[str, ...],
    issues: tuple[str, ...],
    problems: list[Problem],
    *,
    batch: bool,
) -> None:
    """Positions in 0..100 or NaN, salience in 0..1 where there is a stance, clout > 0."""

    def where(idx: tuple[int, ...]) -> str:
        lead = f"[{idx[0]}]" if batch else ""
        rest = idx[1:] if batch else idx
        return lead + "".join(f"[{(actors if k == 0 else issues)[v]}]" for k, v in enumerate(rest))

    bad_x = ~np.isnan(x) & ~((x >= 0.0) & (x <= 100.0))
    for idx in zip(*np.nonzero(bad_x), strict=True):
        problems.append(
            problem(
                f"positions{where(idx)}",
                f"must be within 0..100 (NaN = no stance); got {float(x[idx])!r}",
            )
        )
    bad_s = ~np.isnan(x) & ~((s >= 0.0) & (s <= 1.0))
    for idx in zip(*np.nonzero(bad_s), strict=True):
        problems.append(
            problem(
                f"salience{where(idx)}",
                f"must be within 0..1 where the actor has a stance; got {float(s[idx])!r}",
            )
        )
    for idx in zip(*np.nonzero(~(np.isfinite(c) & (c > 0.0))), strict=True):
        problems.append(
            problem(f"clout{where(idx)}", f"must be finite and > 0; got {float(c[idx])!r}")
        )
    for e in np.nonzero(~np.isnan(sq) & ~((sq >= 0.0) & (sq <= 100.0)))[0]:
        problems.append(
            problem(
                f"status_quo[{issues[e]}]",
                f"must be within 0..100 (NaN = unknown); got {float(sq[e])!r}",
            )
        )


def prepare(
    data: NegotiationInput, problems: list[Problem]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Checked and filled arrays on KTAB's internal scale: positions / 100, salience, clout."""
    x = np.asarray(data.positions, dtype=np.float64)
    s = np.asarray(data.salience, dtype=np.float64)
    c = np.asarray(data.clout, dtype=np.float64)
    sq = np.asarray(data.status_quo, dtype=np.float64)
    check_values(x, s, c, sq, data.actors, data.issues, problems, batch=False)
    if len(data.actors) < 2:
        problems.append(problem("actors", f"need at least 2 actors; got {len(data.actors)}"))
    if len(data.issues) < 1:
        problems.append(problem("issues", "need at least 1 issue"))
    if problems:
        return x, s, c
    xf, sf = fill(x[None], s[None], c[None], sq)
    return xf[0] / 100.0, sf[0], c.copy()


def fill(
    x: FloatArray, s: FloatArray, c: FloatArray, sq: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Fill missing positions ``(b, n, m)`` and zero their salience.

    A missing position takes the clout-and-salience weighted mean of the stated positions
    on its issue (their plain mean when all those weights are zero); on an issue without
    any stance, the status quo, else 50.
    """
    has = ~np.isnan(x)
    s_out = np.where(has, s, 0.0)
    w = np.where(has, c[:, :, None] * s_out, 0.0)
    x0 = np.where(has, x, 0.0)
    wsum = w.sum(axis=1)
    cnt = has.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        wmean = (w * x0).sum(axis=1) / wsum
        pmean = x0.sum(axis=1) / cnt
    default = np.where(np.isnan(sq), 50.0, sq)[None, :]
    fill = np.where(wsum > 0, wmean, np.where(cnt > 0, pmean, default))
    return np.where(has, x, fill[:, None, :]), s_out


def schedule(
    perturbations: Sequence[Perturbation],
    data: NegotiationInput,
    max_turns: int,
    problems: list[Problem],
) -> Schedule:
    """Perturbations as arrays (positions on 0..1), with their problems recorded."""
    n, m = len(data.actors), len(data.issues)
    if not perturbations:
        return Schedule.empty(n, m)
    rounds, px, ps, pc = [], [], [], []
    for q, p in enumerate(perturbations):
        path = f"perturbations[{q}]"
        if not (isinstance(p.round, int | np.integer) and 1 <= p.round <= max_turns):
            problems.append(
                problem(f"{path}.round", f"must be within 1..{max_turns}; got {p.round!r}")
            )
        arrays = []
        for name, arr, shape, allowed in (
            ("positions", p.positions, (n, m), "within 0..100"),
            ("salience", p.salience, (n, m), "within 0..1"),
            ("clout", p.clout, (n,), "finite and > 0"),
        ):
            a = np.full(shape, np.nan) if arr is None else np.asarray(arr, dtype=np.float64)
            if a.shape != shape:
                problems.append(problem(f"{path}.{name}", f"must be {shape!r}; got {a.shape!r}"))
                a = np.full(shape, np.nan)
            if name == "positions":
                ok = (a >= 0.0) & (a <= 100.0)
            elif name == "salience":
                ok = (a >= 0.0) & (a <= 1.0)
            else:
                ok = np.isfinite(a) & (a > 0.0)
            ok |= np.isnan(a)
            if not ok.all():
                problems.append(
                    problem(
                        f"{path}.{name}",
                        f"must be {allowed} (NaN = unchanged); got {float(a[~ok][0])!r}",
                    )
                )
            arrays.append(a)
        rounds.append(int(p.round))
        px.append(arrays[0] / 100.0)
        ps.append(arrays[1])
        pc.append(arrays[2])
    return Schedule(np.array(rounds, dtype=np.int64), np.array(px), np.array(ps), np.array(pc))
