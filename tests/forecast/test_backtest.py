"""Back-test: baselines and compromise on a hand-made file, the literature's MAE, CV design."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from deu_tiny import write_tiny

from peaceops.forecast import MODELS, compromise_forecast, run_backtest
from peaceops.forecast.backtest import write_issue_csv
from peaceops.io import read_deu


def _rows(result: object) -> dict[str, dict[str, object]]:
    return {r["name"]: r for r in result.to_rows()}  # type: ignore[attr-defined]


def test_baselines_and_compromise_by_hand(tmp_path: Path) -> None:
    """Outcomes 60, 40, 30 on the three issues of ``deu_tiny``.

    Baselines (unweighted, over the actors with a position):
    - mean position: 62.5, 62.5, 44 -> errors 2.5, 22.5, 14 -> MAE 13, median 14;
    - median position: (50+100)/2 = 75, 75, 20 -> errors 15, 35, 10 -> MAE 20, median 15;
    - reference point: 0, missing, 100 -> errors 60, 70 -> MAE 65 on 2 issues;
    - Commission: 100, 0, 20 -> errors 40, 40, 10 -> MAE 30, median 40.
    Compromise (weights Nice votes x salience):
    - P1i1: (29*.8*100 + 29*.5*50 + 29*1*0 + 29*.5*100) / (29*(.8+.5+1+.5)) = 4495/81.2;
    - P1i2: France's salience imputed as (.5+.4+.2)/3; weights 29*.5, 29*.4, 29*.3667, 4*.2
      on 0, 50, 100, 100;
    - P2i1: salience .5 for all: (14.5*(20+80+20+20) + 2*80) / 60 = 36.5.
    """
    result = run_backtest(
        read_deu(write_tiny(tmp_path)), models={"compromise": compromise_forecast}, folds=2
    )
    rows = _rows(result)
    assert rows["mean_position"] == {
        "name": "mean_position",
        "kind": "baseline",
        "n_issues": 3,
        "mae": 13.0,
        "median_ae": 14.0,
    }
    assert (rows["median_position"]["mae"], rows["median_position"]["median_ae"]) == (20.0, 15.0)
    assert (rows["reference_point"]["n_issues"], rows["reference_point"]["mae"]) == (2, 65.0)
    assert (rows["commission"]["mae"], rows["commission"]["median_ae"]) == (30.0, 40.0)
    s_fr = (0.5 + 0.4 + 0.2) / 3
    c1 = 4495 / 81.2
    c2 = (29 * 0.4 * 50 + 29 * s_fr * 100 + 4 * 0.2 * 100) / (
        29 * 0.5 + 29 * 0.4 + 29 * s_fr + 4 * 0.2
    )
    c3 = 36.5
    np.testing.assert_allclose(result.forecasts["compromise"], [c1, c2, c3], rtol=1e-12)
    errors = np.abs(np.array([c1, c2, c3]) - [60, 40, 30])
    assert result.rows[0].mae == pytest.approx(errors.mean(), rel=1e-12)
    assert result.rows[0].median_ae == pytest.approx(np.median(errors), rel=1e-12)


def test_learners_are_cross_validated_by_proposal(tmp_path: Path) -> None:
    """With two folds over two proposals, each learner predicts P1's two issues from P2
    alone and P2 from P1: the out-of-fold predictions are defined everywhere, and the
    weight learner (one training proposal) picks a grid point per fold."""
    result = run_backtest(
        read_deu(write_tiny(tmp_path)), models={"compromise": compromise_forecast}, folds=2
    )
    kinds = {r.name: r.kind for r in result.rows}
    assert [n for n, k in kinds.items() if k == "cross-validated"] == [
        "cv_convex_stack",
        "cv_procedural",
        "cv_weights",
    ]
    for name in ("cv_convex_stack", "cv_procedural", "cv_weights"):
        assert not np.isnan(result.forecasts[name]).any()
        assert len(result.cv_parameters[name]) == 2
    with pytest.raises(ValueError, match=r"folds must be within 2\.\.2"):
        run_backtest(read_deu(write_tiny(tmp_path)), models={}, folds=3)


def test_fold_assignment_keeps_proposals_whole_and_follows_the_seed(shared_data: Path) -> None:
    from peaceops.forecast.backtest import _folds

    data = read_deu(shared_data / "deu" / "deu3_dev.tsv")
    proposals = list(data.proposals)
    a, b, c = _folds(proposals, 10, 0), _folds(proposals, 10, 0), _folds(proposals, 10, 1)
    assert a == b
    assert a != c
    sizes = np.bincount(list(a.values()))
    assert sizes.max() - sizes.min() <= 1  # 73 proposals dealt round-robin: 8 or 7 per fold


def test_compromise_mae_on_the_dev_split_matches_the_literature(shared_data: Path) -> None:
    """Literature: compromise MAE 22.98 on all 353 resolved DEU III issues (MODELS.md; Achen
    2006 and Thomson et al. 2006 report about 23 on DEU I). On the 198-issue dev split we
    measure 22.42 (median 17.99). The tolerance band for the literature is +-1 (the split
    holds 56% of the issues); the second check pins our measured value to 0.01."""
    data = read_deu(shared_data / "deu" / "deu3_dev.tsv")
    result = run_backtest(data, models={"compromise": compromise_forecast}, folds=10, seed=0)
    row = result.rows[0]
    assert row.n_issues == 198
    assert abs(row.mae - 22.98) < 1.0
    assert row.mae == pytest.approx(22.42, abs=0.01)
    baselines = _rows(result)
    # the ordering the literature reports: compromise < median actor < Commission
    assert row.mae < baselines["median_position"]["mae"] < baselines["commission"]["mae"]  # type: ignore[operator]


@pytest.mark.slow
def test_every_registered_model_is_scored_on_the_dev_split(
    shared_data: Path, tmp_path: Path
) -> None:
    data = read_deu(shared_data / "deu" / "deu3_dev.tsv")
    result = run_backtest(data)
    names = [r.name for r in result.rows]
    assert names[: len(MODELS)] == list(MODELS)
    assert all(r.n_issues >= 148 for r in result.rows)
    out = tmp_path / "issues.csv"
    write_issue_csv(result, out)
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 198
    assert set(names) <= set(rows[0])
