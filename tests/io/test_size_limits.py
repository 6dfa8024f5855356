"""Every reader of a user's file refuses one over its size limit, unread, quickly, writing nothing.

The files are sparse (``truncate``): 200 MB on paper and nothing on disk, so the test costs no
disk space; a reader that read them through would take seconds and hundreds of MB.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from peaceops.cli.app import app
from peaceops.errors import ScenarioError
from peaceops.io import (
    MAX_LOG_BYTES,
    MAX_MODEL_BYTES,
    read_deu,
    read_eu_table,
    read_ktab_csv,
    read_ktab_log,
    read_ktab_xml,
    read_model_file,
    read_text_limited,
)

runner = CliRunner()
HUGE = 200 * 1000 * 1000


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def test_the_limits_are_the_documented_ones() -> None:
    # docs/reliability.md: 8 MiB for model files (the scenario loader's), 64 MiB for logs
    assert MAX_MODEL_BYTES == 8 * 1024 * 1024 == 8_388_608
    assert MAX_LOG_BYTES == 64 * 1024 * 1024


READERS: list[tuple[str, Callable[[Path], Any], str, int]] = [
    ("model.csv", read_ktab_csv, "model file", MAX_MODEL_BYTES),
    ("model.xml", read_ktab_xml, "model file", MAX_MODEL_BYTES),
    ("table.csv", read_eu_table, "model file", MAX_MODEL_BYTES),
    ("data.tsv", read_deu, "DEU data file", MAX_MODEL_BYTES),
    ("smpc.log", read_ktab_log, "KTAB log", MAX_LOG_BYTES),
    ("input.csv", read_model_file, "model file", MAX_MODEL_BYTES),
    ("input.tsv", read_model_file, "DEU data file", MAX_MODEL_BYTES),
    ("input.xml", read_model_file, "model file", MAX_MODEL_BYTES),
]


@pytest.mark.parametrize(("name", "reader", "what", "limit"), READERS)
def test_a_huge_file_is_refused_unread_in_under_two_seconds(
    tmp_path: Path, name: str, reader: Callable[[Path], Any], what: str, limit: int
) -> None:
    path = _sparse(tmp_path / name, HUGE)
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        reader(path)
    assert time.perf_counter() - start < 2.0
    (problem,) = info.value.problems
    assert problem.file == str(path)
    assert problem.message == f"the {what} is larger than the limit of {limit:,} bytes"


@pytest.mark.parametrize(("name", "reader", "what", "limit"), READERS[:5])
def test_one_byte_over_the_limit_is_refused(
    tmp_path: Path, name: str, reader: Callable[[Path], Any], what: str, limit: int
) -> None:
    path = _sparse(tmp_path / name, limit + 1)
    with pytest.raises(ScenarioError, match="larger than the limit"):
        reader(path)


def test_the_limit_itself_is_allowed_and_one_more_byte_is_not(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" * 5)  # 20 bytes
    assert read_text_limited(path, limit=20) == "a,b\n" * 5
    with pytest.raises(ScenarioError, match="larger than the limit of 19 bytes"):
        read_text_limited(path, limit=19)


def test_a_device_that_never_ends_is_refused(tmp_path: Path) -> None:
    """``/dev/zero`` reports size 0: only a bounded read stops it."""
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero")
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match="larger than the limit"):
        read_ktab_csv(zero)
    assert time.perf_counter() - start < 2.0


def test_a_directory_and_bad_bytes_are_one_problem_each(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a directory"):
        read_eu_table(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Actor,Capability\nA,1\n\xff\n")
    with pytest.raises(ScenarioError) as info:
        read_ktab_csv(bad)
    (problem,) = info.value.problems
    assert (problem.line, problem.message) == (3, "not UTF-8 text (byte 0xff)")


@pytest.mark.parametrize(
    ("argv", "written"),
    [
        (["forecast", "--input", "huge.csv", "--plot", "fig.html"], "fig.html"),
        (["forecast", "--input", "huge.tsv", "--format", "csv"], None),
        (["import", "huge.xml", "--to", "new.yaml"], "new.yaml"),
        (["backtest", "huge.tsv", "--csv", "issues.csv"], "issues.csv"),
        (["compare-log", "huge.csv", "huge.log"], None),
    ],
)
def test_the_commands_refuse_a_huge_file_with_exit_2_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], written: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("huge.csv", "huge.tsv", "huge.xml", "huge.log"):
        _sparse(tmp_path / name, HUGE)
    before = set(tmp_path.iterdir())
    start = time.perf_counter()
    result = runner.invoke(app, argv)
    elapsed = time.perf_counter() - start
    assert result.exit_code == 2, result.output
    assert "larger than the limit" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert elapsed < 5.0
    assert set(tmp_path.iterdir()) == before
    if written is not None:
        assert not (tmp_path / written).exists()
