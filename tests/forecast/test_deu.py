"""Reading DEU-format files: the shared dev split, a tiny hand-made file, every error path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from deu_tiny import HEADER, ROWS, write_tiny

from peaceops.errors import ScenarioError
from peaceops.io.deu import NICE_VOTES, read_deu


def test_dev_split_is_read_whole(shared_data: Path) -> None:
    """SOURCES.md: 198 issues of 73 proposals; 30 actors (Commission, Parliament, 28 member
    states with the codes el, uk, bu, cr); the GDP line is skipped; 46 positions come
    without a salience and get the issue's mean salience."""
    data = read_deu(shared_data / "deu" / "deu3_dev.tsv")
    assert len(data.issues) == 198
    assert len(data.proposals) == 73
    assert data.skipped_gdp_line
    assert len(data.actors) == 30
    assert {"com", "ep", "el", "uk", "bu", "cr"} <= set(data.actors)
    assert sum(int(i.imputed.sum()) for i in data.issues) == 46
    assert {i.rule for i in data.issues} == {"QMV", "Unan"}
    assert sum(np.isnan(i.reference_point) for i in data.issues) == 50
    assert sum(data.clout) == sum(NICE_VOTES.values())


def test_nice_votes_table() -> None:
    """Treaty of Nice weights as in the brief: 29 x 4, 27 x 2, 14, 13, 12 x 5, 10 x 3,
    7 x 6, 4 x 5, 3 = 352 votes for the 28 states; 29 each for Commission and Parliament."""
    states = {k: v for k, v in NICE_VOTES.items() if k not in ("com", "ep")}
    assert len(states) == 28
    assert sum(states.values()) == 4 * 29 + 2 * 27 + 14 + 13 + 5 * 12 + 3 * 10 + 6 * 7 + 5 * 4 + 3
    assert NICE_VOTES["com"] == NICE_VOTES["ep"] == 29


def test_tiny_file_by_hand(tmp_path: Path) -> None:
    data = read_deu(write_tiny(tmp_path))
    assert data.actors == ("com", "ep", "de", "fr", "lu")
    assert data.clout.tolist() == [29.0, 29.0, 29.0, 29.0, 4.0]
    assert data.proposals == ("P1", "P2")
    first, second, third = data.issues
    assert (first.rule, first.procedure, first.line) == ("QMV", "COD", 2 + 1)
    assert third.rule == "QMV"  # QMV(10)
    np.testing.assert_array_equal(first.positions, [100, 50, 0, 100, np.nan])
    # France's missing salience on P1i2: mean of the given ones (.5, .4, .2)
    assert second.imputed.tolist() == [False, False, False, True, False]
    assert second.salience[3] == pytest.approx((0.5 + 0.4 + 0.2) / 3)
    assert np.isnan(second.salience[1])  # no position, no salience
    assert np.isnan(second.reference_point)
    negotiation = data.negotiation("P1")
    assert negotiation.issues == ("P1i1", "P1i2")
    assert negotiation.positions.shape == (5, 2)
    assert negotiation.salience[1, 1] == 0.0
    np.testing.assert_array_equal(negotiation.status_quo, [0.0, np.nan])


def _bad(tmp_path: Path, row: int, column: str, value: str) -> Path:
    rows = [list(r) for r in ROWS]
    rows[row][HEADER.index(column)] = value
    return write_tiny(tmp_path, rows)


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (1, "pde", "120", r"tiny\.tsv:3: pde: must be within 0\.\.100; got '120'"),
        (2, "sfr", "high", r"tiny\.tsv:4: sfr: not a number: 'high'"),
        (3, "counvte", "majority", r"tiny\.tsv:5: counvte: voting rule must be QMV or Unan"),
        (2, "isnr", "", r"tiny\.tsv:4: isnr: blank id"),
        (2, "isnr", "P1i1", r"tiny\.tsv:4: isnr: duplicate issue id 'P1i1' \(first on line 3\)"),
        (3, "proc", "", r"tiny\.tsv:5: proc: blank procedure"),
    ],
)
def test_bad_values_are_reported_with_line_and_column(
    tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    with pytest.raises(ScenarioError, match=message):
        read_deu(_bad(tmp_path, row, column, value))


def test_every_problem_is_collected(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index("pde")] = "-5"
    rows[3][HEADER.index("out")] = "x"
    with pytest.raises(ScenarioError) as info:
        read_deu(write_tiny(tmp_path, rows))
    assert [(p.line, p.path) for p in info.value.problems] == [(3, "pde"), (5, "out")]


def test_header_problems(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "out"]
    rows = [r[:-1] for r in ROWS]
    with pytest.raises(ScenarioError, match=r"tiny\.tsv:1: out: required column is missing"):
        read_deu(write_tiny(tmp_path, rows, header))
    header = [*HEADER[:-2], "pxx", "sxx", "rp", "out"]
    rows = [[*r[:-2], "1", "1", *r[-2:]] for r in ROWS]
    with pytest.raises(ScenarioError, match=r"pxx: no capability for actor code 'xx'"):
        read_deu(write_tiny(tmp_path, rows, header))


def test_structural_problems(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2] = [*rows[2], "extra"]
    with pytest.raises(ScenarioError, match=r"tiny\.tsv:4: 18 cells but the header has 17"):
        read_deu(write_tiny(tmp_path, rows))
    rows = [list(r) for r in ROWS]
    rows.append(["", "", "", "", "", "1", "", "", "", "", "", "", "", "", "", "", ""])
    with pytest.raises(ScenarioError, match=r"tiny\.tsv:6: prnr: blank id"):
        read_deu(write_tiny(tmp_path, rows))
    empty = tmp_path / "empty.tsv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"empty\.tsv:1: the file is empty"):
        read_deu(empty)
    with pytest.raises(ScenarioError, match=r"missing\.tsv: cannot read the file"):
        read_deu(tmp_path / "missing.tsv")
