"""``peaceops power``: formats, weight specs, and one-line errors with exit code 2."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

import peaceops.cli.power  # noqa: F401  (registers the command)
from peaceops.cli.app import app
from peaceops.cli.power import parse_weights
from peaceops.errors import ScenarioError

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, ["power", *args])
    return res.exit_code, res.stdout, res.stderr


def test_table_shows_exact_security_council_values() -> None:
    code, out, _ = _run("--quota", "39", "--weights", "7x5,1x10", "--index", "shapley_shubik")
    assert code == 0
    assert out.count("421/2145 (0.1963)") == 5
    assert out.count("4/2145 (0.0019)") == 10
    assert "848 winning" in out


def test_json_rows_carry_floats_and_exact_fractions() -> None:
    code, out, _ = _run(
        "--quota", "12", "--weights", "4,4,4,2,2,1", "--names", "DE,FR,IT,NL,BE,LU",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    assert [r["player"] for r in rows] == ["DE", "FR", "IT", "NL", "BE", "LU"]
    assert rows[0]["normalized_banzhaf_exact"] == "5/21"
    assert rows[3]["normalized_banzhaf"] == pytest.approx(1 / 7)
    assert rows[5]["dummy"] is True
    assert rows[5]["weight"] == "1"
    assert {"shapley_shubik", "holler", "deegan_packel", "johnston"} <= set(rows[0])


def test_csv_has_a_header_and_one_line_per_player() -> None:
    code, out, _ = _run(
        "--quota", "51", "--weights", "35,20,15x3", "--index", "deegan_packel", "-f", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["deegan_packel_exact"] for r in rows] == ["3/10", "3/20", "11/60", "11/60", "11/60"]
    assert "shapley_shubik" not in rows[0]


def test_vetoes_and_comma_separated_indices() -> None:
    code, out, _ = _run(
        "--quota", "9", "--weights", "1x15", "--vetoes", "P1,P2,P3,P4,P5",
        "--index", "shapley_shubik,holler", "--format", "json",
    )  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["shapley_shubik_exact"] == "421/2145"
    assert rows[0]["veto"] is True
    assert "holler_exact" in rows[0]
    assert "banzhaf" not in rows[0]


def test_decimal_and_fraction_weights_are_exact() -> None:
    code, out, _ = _run("--quota", "5/2", "--weights", "1.5,1,0.5", "-f", "json")
    assert code == 0
    rows = json.loads(out)
    # x2: [5; 3, 2, 1]: P1 and P2 are needed together, P3 never matters
    assert [r["normalized_banzhaf_exact"] for r in rows] == ["1/2", "1/2", "0"]


def test_bad_weight_spec_is_one_line_and_exit_2() -> None:
    code, out, err = _run("--quota", "39", "--weights", "7xq")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: --weights: '7xq' is not WEIGHTxCOUNT")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--quota", "100", "--weights", "7x5,1x10"), "error: --quota: 100 is above the total"),
        (("--quota", "abc", "--weights", "1,2"), "error: --quota: 'abc' is not a number"),
        (("--quota", "2", "--weights", "1,,2"), "error: --weights: empty entry"),
        (("--quota", "2", "--weights", "1,x2"), "error: --weights: 'x2' is not a weight"),
        (("--quota", "2", "--weights", "1x0"), "error: --weights: '1x0' is not WEIGHTxCOUNT"),
        (("--quota", "2", "--weights", "1,-1"), "error: --weights[1]: must be non-negative"),
        (("--quota", "2", "--weights", "1,2", "--names", "a"), "error: --names: 1 names"),
        (("--quota", "2", "--weights", "1,2", "--index", "power"), "error: --index: unknown"),
        (("--quota", "2", "--weights", "1,2", "--vetoes", "Z"), "error: --vetoes[0]: unknown"),
        (("--quota", "2", "--weights", "1,2", "--method", "x"), "error: --method: unknown 'x'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    code, _, err = _run(*args)
    assert code == 2
    assert err.strip().splitlines()[0].startswith(message), err
    assert len(err.strip().splitlines()) == 1


def test_parse_weights_expands_counts() -> None:
    assert parse_weights("7x5,1x10") == [7] * 5 + [1] * 10
    assert parse_weights(" 4, 4 ,2 ") == [4, 4, 2]
    assert parse_weights("3*2") == [3, 3]
    with pytest.raises(ScenarioError, match="'7xq' is not WEIGHTxCOUNT"):
        parse_weights("7xq")
