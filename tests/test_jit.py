"""The compiled kernels: compiled once per machine, with a one-line notice when they are.

A fresh numba cache directory stands for a new machine: the first process compiles the
kernel and says so on stderr; the second loads it from the cache and says nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peaceops.cli.app import app, load_all_commands

load_all_commands()

_CODE = (
    "from peaceops.forecast.median import weighted_median; print(weighted_median([1, 2], [1, 3]))"
)


def _run(cache: Path, notice: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PEACEOPS_COMPILE_NOTICE": notice}
    return subprocess.run(
        [sys.executable, "-c", _CODE], capture_output=True, text=True, env=env, check=True
    )


def test_first_compilation_says_so_once_and_the_cache_serves_the_next_process(
    tmp_path: Path,
) -> None:
    first = _run(tmp_path, "1")
    assert first.stdout.strip() == "2.0"
    lines = [line for line in first.stderr.splitlines() if line.startswith("peaceops:")]
    assert len(lines) == 1
    assert "compiling numerical kernels" in lines[0]
    assert any(tmp_path.rglob("*.nbi")), "the kernel was not cached on disk"
    second = _run(tmp_path, "1")
    assert second.stdout.strip() == "2.0"
    assert "compiling" not in second.stderr


def test_the_library_alone_prints_nothing_when_it_compiles(tmp_path: Path) -> None:
    assert _run(tmp_path, "0").stderr == ""


@pytest.mark.slow
def test_warm_compiles_every_engine_and_reports_each() -> None:
    result = CliRunner().invoke(app, ["warm"])
    assert result.exit_code == 0, result.output
    assert "power: ready" in result.output
    assert "forecast: ready" in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("ok: kernels compiled")
