"""Back-test the forecast models on DEU data, with baselines and cross-validated learners.

Every model in :data:`peaceops.forecast.MODELS` (or a given subset) forecasts each proposal
from the actors' initial positions, saliences and Nice-Treaty capabilities; the error is
the absolute difference from the recorded outcome on the 0..100 scale. Baselines: the
unweighted mean and median of the positions, the reference point and the Commission's
position. Learners that fit anything to outcomes are evaluated only by cross-validation
grouped by proposal (the issues of one proposal are never split across folds).

The data and the comparison follow the DEU project [1]_ (its second release [2]_); the convex
combination of forecasts is stacking [3]_ with non-negative weights summing to one.

References
----------
.. [1] Thomson, R., Stokman, F. N., Achen, C. H. and König, T. (eds.) (2006). *The European
   Union Decides*. Cambridge University Press. doi:10.1017/CBO9780511492082
.. [2] Thomson, R., Arregui, J., Leuffen, D., Costello, R., Cross, J., Hertz, R. and Jensen, T.
   (2012). A new dataset on decision-making in the European Union before and after the 2004
   and 2007 enlargements (DEUII). *Journal of European Public Policy* 19(4), 604-622.
   doi:10.1080/13501763.2012.662028
.. [3] Breiman, L. (1996). Stacked regressions. *Machine Learning* 24(1), 49-64.
   doi:10.1007/BF00117832
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

from peaceops._frames import FrameMixin
from peaceops._types import PathLike, Seed, make_rng
from peaceops.forecast._core import FloatArray, ForecastResult, NegotiationInput
from peaceops.forecast.deu_venues import venue_variants
from peaceops.forecast.median import weighted_median

__all__ = [
    "BacktestResult",
    "BacktestRow",
    "DeuData",
    "DeuIssue",
    "run_backtest",
    "write_issue_csv",
]

#: Capability and salience exponents searched by the ``cv_weights`` learner.
WEIGHT_GRID: tuple[tuple[float, float], ...] = tuple(
    product((0.0, 0.5, 1.0, 2.0), (0.0, 0.5, 1.0, 2.0, 3.0))
)


@dataclass(frozen=True)
class DeuIssue:
    """One issue of a DEU file.

    Attributes
    ----------
    proposal, issue
        Proposal and issue ids (``prnr``, ``isnr``).
    rule
        Council voting rule, ``"QMV"`` or ``"Unan"``.
    procedure
        Legislative procedure as written (``"COD"``, ``"CNS"``, ...).
    line
        1-based line in the file.
    positions
        ``(n_actors,)`` positions 0..100, NaN where missing.
    salience
        ``(n_actors,)`` salience 0..1; NaN where the position is missing; a missing salience
        next to a position is imputed (see :attr:`imputed`).
    imputed
        ``(n_actors,)`` True where the salience was imputed: the mean of the saliences given
        on the issue (0.5 when none is given).
    reference_point, outcome
        Status quo and outcome, NaN when missing.
    """

    proposal: str
    issue: str
    rule: str
    procedure: str
    line: int
    positions: FloatArray
    salience: FloatArray
    imputed: np.ndarray
    reference_point: float
    outcome: float


@dataclass(frozen=True)
class DeuData:
    """A DEU file: the actors, their capabilities and the issues.

    Attributes
    ----------
    path
        The file read.
    actors
        Actor codes in column order.
    clout
        ``(n_actors,)`` capability (:data:`NICE_VOTES`).
    issues
        The issues in file order.
    skipped_gdp_line
        Whether a GDP line after the header was skipped.
    """

    path: str
    actors: tuple[str, ...]
    clout: FloatArray
    issues: tuple[DeuIssue, ...]
    skipped_gdp_line: bool = False
    _by_proposal: dict[str, list[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for k, issue in enumerate(self.issues):
            self._by_proposal.setdefault(issue.proposal, []).append(k)

    @property
    def proposals(self) -> tuple[str, ...]:
        """Proposal ids in order of first appearance."""
        return tuple(self._by_proposal)

    def proposal_issues(self, proposal: str) -> tuple[DeuIssue, ...]:
        """The issues of one proposal, in file order."""
        return tuple(self.issues[k] for k in self._by_proposal[proposal])

    def negotiation(self, proposal: str) -> NegotiationInput:
        """The issues of one proposal as a :class:`NegotiationInput` (salience on 0..1)."""
        issues = self.proposal_issues(proposal)
        positions = np.stack([i.positions for i in issues], axis=1)
        salience = np.nan_to_num(np.stack([i.salience for i in issues], axis=1))
        return NegotiationInput(
            actors=self.actors,
            issues=tuple(i.issue for i in issues),
            positions=positions,
            salience=salience,
            clout=self.clout.copy(),
            status_quo=np.array([i.reference_point for i in issues]),
        )


@dataclass(frozen=True)
class BacktestRow:
    """Accuracy of one forecast over the issues it covers.

    Attributes
    ----------
    name
        Model, baseline or learner name.
    kind
        ``"model"``, ``"baseline"`` or ``"cross-validated"``.
    n_issues
        Issues with both a forecast and an outcome.
    mae, median_ae
        Mean and median absolute error (0..100 scale).
    """

    name: str
    kind: str
    n_issues: int
    mae: float
    median_ae: float

    def as_dict(self) -> dict[str, object]:
        """The row as a plain dict (for tables, JSON and CSV)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "n_issues": self.n_issues,
            "mae": round(self.mae, 3),
            "median_ae": round(self.median_ae, 3),
        }


@dataclass(frozen=True)
class BacktestResult(FrameMixin):
    """Summary rows and per-issue forecasts of a back-test.

    Attributes
    ----------
    rows
        One :class:`BacktestRow` per model, baseline and learner.
    proposals, issues, rules, procedures
        Per scored issue (those with an outcome), in file order.
    outcome
        ``(k,)`` recorded outcomes.
    forecasts
        Name -> ``(k,)`` forecasts (NaN where a forecast is undefined); learners' entries
        are their out-of-fold predictions.
    folds, seed
        Cross-validation design.
    n_unscored
        Issues without an outcome (not scored).
    cv_parameters
        Learner -> per-fold fitted parameters.
    """

    rows: tuple[BacktestRow, ...]
    proposals: tuple[str, ...]
    issues: tuple[str, ...]
    rules: tuple[str, ...]
    procedures: tuple[str, ...]
    outcome: FloatArray
    forecasts: dict[str, FloatArray]
    folds: int
    seed: int | None
    n_unscored: int
    cv_parameters: dict[str, list[dict[str, float]]] = field(default_factory=dict)

    def to_rows(self) -> list[dict[str, object]]:
        """Summary rows as dicts."""
        return [r.as_dict() for r in self.rows]

    def issue_rows(self) -> list[dict[str, object]]:
        """One dict per issue: ids, rule, procedure, outcome, every forecast."""
        out: list[dict[str, object]] = []
        for k in range(len(self.issues)):
            row: dict[str, object] = {
                "proposal": self.proposals[k],
                "issue": self.issues[k],
                "rule": self.rules[k],
                "procedure": self.procedures[k],
                "outcome": float(self.outcome[k]),
            }
            for name, values in self.forecasts.items():
                v = float(values[k])
                row[name] = "" if np.isnan(v) else round(v, 4)
            out.append(row)
        return out


def run_backtest(
    data: DeuData,
    *,
    models: Mapping[str, Callable[..., ForecastResult]] | None = None,
    folds: int = 10,
    seed: int | None = 0,
    venues: bool = True,
) -> BacktestResult:
    r"""Score each model, the baselines and three cross-validated learners on ``data``.

    Parameters
    ----------
    data
        Issues read by :func:`~peaceops.io.read_deu`.
    models
        Name -> forecast function called as ``fn(negotiation)`` once per proposal; default
        every model in :data:`peaceops.forecast.MODELS` (SMP included when installed).
    folds
        Number of cross-validation folds (2 .. number of proposals).
    seed
        Seed of the assignment of proposals to folds (``None``: fresh entropy; see
        ``docs/randomness.md``).
    venues
        Also score each model limited to the win-set of the reference point under the issue's
        Council rule and procedure (``m+venue``, :mod:`peaceops.forecast.deu_venues`); these
        variants fit nothing and do not enter the learners.

    Returns
    -------
    BacktestResult
        Rows in the order: models, venue-constrained variants, baselines, learners.

    Raises
    ------
    ValueError
        If ``folds`` is out of range or no issue has an outcome.

    Notes
    -----
    Learners (fitted on the training folds only, scored on the held-out fold):

    - ``cv_convex_stack``: the convex combination of the models' and baselines' forecasts
      with the least absolute error (a linear programme); the reference point and the
      Commission's position are replaced by the compromise forecast where missing.
    - ``cv_procedural``: the compromise forecast pulled towards the reference point,
      :math:`\hat y = C + \lambda_g (rp - C)`, one :math:`\lambda_g \in [0, 1]` per
      voting rule and procedure (QMV/Unan x COD/CNS), fitted by least absolute error (a
      weighted median); issues without a reference point keep the compromise.
    - ``cv_weights``: the compromise model with weights :math:`c_i^\alpha s_i^\beta`,
      :math:`(\alpha, \beta)` chosen on :data:`WEIGHT_GRID` by training error.

    Folds: the proposals are shuffled with ``seed`` and dealt round-robin to the folds.

    Examples
    --------
    Equal saliences: the compromise is the clout-weighted mean, (230 x 29 + 100 x 4) / 120
    = 58.92 on issue ``a`` (outcome 40), 50 on ``b`` (outcome 50) and 7540 / 120 = 62.83 on
    ``c`` (outcome 80): a mean absolute error of (18.92 + 0 + 17.17) / 3 = 12.03.

    >>> import numpy as np
    >>> from peaceops.forecast.backtest import DeuData, DeuIssue
    >>> def issue(proposal, name, x, rp, out, procedure="COD"):
    ...     x = np.array(x, dtype=float)
    ...     s = np.where(np.isnan(x), np.nan, 0.5)
    ...     return DeuIssue(proposal, name, "QMV", procedure, 2, x, s, np.isnan(x) & False, rp, out)
    ...
    >>> actors = ("com", "ep", "de", "fr", "lu")
    >>> issues = (issue("P1", "a", [100, 20, 80, 30, 100], 0, 40),
    ...           issue("P1", "b", [50, 50, 0, 100, 50], 0, 50, "CNS"),
    ...           issue("P2", "c", [0, 100, 100, 60, 0], 100, 80))
    >>> data = DeuData("tiny.tsv", actors, np.array([29.0, 29, 29, 29, 4]), issues)
    >>> from peaceops.forecast import compromise_forecast
    >>> r = run_backtest(data, models={"compromise": compromise_forecast}, folds=2, venues=False)
    >>> row = r.rows[0]
    >>> row.name, row.n_issues, round(row.mae, 2)
    ('compromise', 3, 12.03)
    >>> [x.name for x in r.rows][1:4]
    ['mean_position', 'median_position', 'reference_point']
    """
    if models is None:
        from peaceops.forecast import MODELS

        models = MODELS
    scored = [k for k, issue in enumerate(data.issues) if not np.isnan(issue.outcome)]
    if not scored:
        raise ValueError(f"{data.path}: no issue has an outcome to score against")
    issues = [data.issues[k] for k in scored]
    proposals = list(dict.fromkeys(i.proposal for i in issues))
    if not 2 <= folds <= len(proposals):
        raise ValueError(f"folds must be within 2..{len(proposals)} (proposals); got {folds!r}")
    position = {i.issue: k for k, i in enumerate(issues)}
    y = np.array([i.outcome for i in issues])
    forecasts: dict[str, FloatArray] = {name: np.full(len(issues), np.nan) for name in models}
    for proposal in proposals:
        negotiation = data.negotiation(proposal)
        for name, fn in models.items():
            result = fn(negotiation)
            for e, issue_id in enumerate(negotiation.issues):
                if issue_id in position:
                    forecasts[name][position[issue_id]] = result.outcome[e]
    baselines = _baselines(data, issues)
    rows = [_row(name, "model", forecasts[name], y) for name in models]
    constrained = venue_variants(data, issues, forecasts) if venues else {}
    rows += [_row(name, "venue-constrained", v, y) for name, v in constrained.items()]
    rows += [_row(name, "baseline", values, y) for name, values in baselines.items()]

    fold_of = _folds(proposals, folds, seed)
    fold = np.array([fold_of[i.proposal] for i in issues])
    compromise = _weighted_mean(data, issues, 1.0, 1.0)
    features = {**forecasts, **baselines}
    learned, parameters = _cross_validate(data, issues, y, fold, folds, compromise, features)
    rows += [_row(name, "cross-validated", values, y) for name, values in learned.items()]
    return BacktestResult(
        rows=tuple(rows),
        proposals=tuple(i.proposal for i in issues),
        issues=tuple(i.issue for i in issues),
        rules=tuple(i.rule for i in issues),
        procedures=tuple(i.procedure for i in issues),
        outcome=y,
        forecasts={**features, **constrained, **learned},
        folds=folds,
        seed=seed,
        n_unscored=len(data.issues) - len(issues),
        cv_parameters=parameters,
    )


def write_issue_csv(result: BacktestResult, path: PathLike) -> None:
    """Write :meth:`BacktestResult.issue_rows` to ``path`` as CSV (UTF-8, header line).

    Examples
    --------
    >>> import numpy as np
    >>> from peaceops.forecast.backtest import DeuData, DeuIssue
    >>> def issue(proposal, name, x, rp, out, procedure="COD"):
    ...     x = np.array(x, dtype=float)
    ...     s = np.where(np.isnan(x), np.nan, 0.5)
    ...     return DeuIssue(proposal, name, "QMV", procedure, 2, x, s, np.isnan(x) & False, rp, out)
    ...
    >>> actors = ("com", "ep", "de", "fr", "lu")
    >>> issues = (issue("P1", "a", [100, 20, 80, 30, 100], 0, 40),
    ...           issue("P1", "b", [50, 50, 0, 100, 50], 0, 50, "CNS"),
    ...           issue("P2", "c", [0, 100, 100, 60, 0], 100, 80))
    >>> data = DeuData("tiny.tsv", actors, np.array([29.0, 29, 29, 29, 4]), issues)
    >>> from peaceops.forecast import compromise_forecast
    >>> import tempfile, pathlib
    >>> r = run_backtest(data, models={"compromise": compromise_forecast}, folds=2, venues=False)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_issue_csv(r, pathlib.Path(tmp) / "issues.csv")
    ...     lines = (pathlib.Path(tmp) / "issues.csv").read_text().splitlines()
    ...
    >>> len(lines), lines[0].split(",")[:3]
    (4, ['proposal', 'issue', 'rule'])
    """
    rows = result.issue_rows()
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# ----------------------------------------------------------------------------- helpers


def _row(name: str, kind: str, forecast: FloatArray, y: FloatArray) -> BacktestRow:
    ok = ~np.isnan(forecast)
    err = np.abs(forecast[ok] - y[ok])
    if not err.size:
        return BacktestRow(name, kind, 0, float("nan"), float("nan"))
    return BacktestRow(name, kind, int(err.size), float(err.mean()), float(np.median(err)))


def _baselines(data: DeuData, issues: list[DeuIssue]) -> dict[str, FloatArray]:
    com = data.actors.index("com") if "com" in data.actors else None
    mean, median, rp, commission = [], [], [], []
    for issue in issues:
        x = issue.positions[~np.isnan(issue.positions)]
        mean.append(float(x.mean()) if x.size else np.nan)
        median.append(float(np.median(x)) if x.size else np.nan)
        rp.append(issue.reference_point)
        commission.append(issue.positions[com] if com is not None else np.nan)
    return {
        "mean_position": np.array(mean),
        "median_position": np.array(median),
        "reference_point": np.array(rp),
        "commission": np.array(commission),
    }


def _folds(proposals: list[str], folds: int, seed: Seed) -> dict[str, int]:
    order = make_rng(seed).permutation(len(proposals))
    return {proposals[p]: k % folds for k, p in enumerate(order)}


def _weighted_mean(data: DeuData, issues: list[DeuIssue], alpha: float, beta: float) -> FloatArray:
    """Compromise forecast with weights ``clout**alpha * salience**beta`` per issue."""
    out = np.empty(len(issues))
    for k, issue in enumerate(issues):
        has = ~np.isnan(issue.positions)
        w = data.clout[has] ** alpha * issue.salience[has] ** beta
        if not w.sum() > 0:
            w = data.clout[has] ** alpha
        out[k] = float(np.sum(w * issue.positions[has]) / w.sum()) if has.any() else np.nan
    return out


def _cross_validate(
    data: DeuData,
    issues: list[DeuIssue],
    y: FloatArray,
    fold: np.ndarray,
    folds: int,
    compromise: FloatArray,
    features: dict[str, FloatArray],
) -> tuple[dict[str, FloatArray], dict[str, list[dict[str, float]]]]:
    names = [n for n, v in features.items() if np.any(~np.isnan(v))]
    matrix = np.column_stack(
        [np.where(np.isnan(features[n]), compromise, features[n]) for n in names]
    )
    usable = ~np.isnan(matrix).any(axis=1)
    rp = np.array([i.reference_point for i in issues])
    group = np.array([f"{i.rule}/{i.procedure}" for i in issues])
    grid = {ab: _weighted_mean(data, issues, *ab) for ab in WEIGHT_GRID}
    out = {
        name: np.full(len(y), np.nan) for name in ("cv_convex_stack", "cv_procedural", "cv_weights")
    }
    params: dict[str, list[dict[str, float]]] = {name: [] for name in out}
    for k in range(folds):
        train, test = fold != k, fold == k
        # convex stack
        fit = train & usable
        beta = _l1_convex(matrix[fit], y[fit])
        out["cv_convex_stack"][test & usable] = matrix[test & usable] @ beta
        params["cv_convex_stack"].append(
            {n: round(float(b), 4) for n, b in zip(names, beta, strict=True)}
        )
        # procedural pull towards the reference point
        lambdas: dict[str, float] = {}
        for g in sorted(set(group)):
            sel = train & (group == g) & ~np.isnan(rp)
            lambdas[str(g)] = _pull(y[sel], compromise[sel], rp[sel])
        pull = np.array([lambdas.get(g, 0.0) for g in group])
        pred = compromise + np.where(np.isnan(rp), 0.0, pull * (np.nan_to_num(rp) - compromise))
        out["cv_procedural"][test] = pred[test]
        params["cv_procedural"].append(lambdas)
        # capability and salience exponents
        errors = {ab: np.nanmean(np.abs(v[train] - y[train])) for ab, v in grid.items()}
        best = min(WEIGHT_GRID, key=lambda ab: errors[ab])
        out["cv_weights"][test] = grid[best][test]
        params["cv_weights"].append({"alpha": best[0], "beta": best[1]})
    return out, params


def _l1_convex(features: FloatArray, y: FloatArray) -> FloatArray:
    """Weights on the simplex minimising ``sum |y - features @ w|`` (HiGHS linear programme)."""
    n, k = features.shape
    cost = np.concatenate([np.zeros(k), np.ones(2 * n)])
    eye = np.eye(n)
    a_eq = np.block([[features, -eye, eye], [np.ones((1, k)), np.zeros((1, 2 * n))]])
    b_eq = np.concatenate([y, [1.0]])
    res = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if not res.success:  # pragma: no cover - the problem is always feasible and bounded
        raise RuntimeError(f"convex stacking failed: {res.message}")
    w = np.clip(res.x[:k], 0.0, None)
    return np.asarray(w / w.sum(), dtype=np.float64)


def _pull(y: FloatArray, compromise: FloatArray, rp: FloatArray) -> float:
    """``lambda`` in 0..1 minimising ``sum |y - c - lambda (rp - c)|`` (a weighted median)."""
    gap = rp - compromise
    ok = gap != 0
    if not ok.any():
        return 0.0
    ratio = (y[ok] - compromise[ok]) / gap[ok]
    return float(np.clip(weighted_median(ratio, np.abs(gap[ok])), 0.0, 1.0))
