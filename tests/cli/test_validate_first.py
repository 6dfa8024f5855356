"""Validate first: a bad input file is refused before any engine is imported.

Each command runs in a fresh interpreter with an import hook (a ``sys.meta_path`` finder placed
first) that records every attempt to import an engine, the solver, numba or the store, even
one that would fail; the test asserts exit code 2, the file named in the message, and that no
such import was ever attempted. Every command of the application must either appear in
:data:`BAD_INPUTS` or be declared to take no input file (:data:`NO_INPUT_FILE`), so a new
command cannot skip the check unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from peaceops.cli.app import COMMAND_MODULES
from peaceops_testing import template_text

#: Packages a command must not import before its input is validated.
ENGINES = (
    "peaceops.planning",
    "peaceops.forecast",
    "peaceops.sweep",
    "peaceops.venues",
    "peaceops.outlook",
    "peaceops.workflows",
    "peaceops.store",
    "ortools",
    "numba",
    "numpy",
    "scipy",
    "pandas",
    "sqlalchemy",
    "dask",
)

#: Commands that read no scenario, patch or model file from the user.
NO_INPUT_FILE = {"new", "power", "runs", "scenarios", "serve", "warm"}

_DRIVER = r"""
import json, sys, time
ENGINES = {engines!r}
attempted = []

class Recorder:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ENGINES or any(
            name == e or name.startswith(e + ".") for e in ENGINES
        ):
            attempted.append(name)
        return None

sys.meta_path.insert(0, Recorder())
start = time.perf_counter()
sys.argv = ["peaceops", *{argv!r}]
from peaceops.cli.app import main
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code
sys.__stdout__.write("\n" + json.dumps({{"code": code, "attempted": sorted(set(attempted)),
    "held": sorted(m for m in sys.modules if m in ENGINES),
    "seconds": time.perf_counter() - start}}))
"""


def _write_bad_files(tmp: Path) -> None:
    (tmp / "bad.yaml").write_text(template_text().replace("  - id: HST\n", "  - id: [HST]\n", 1))
    (tmp / "patch.yaml").write_text("- {op: join_group, actor: &a [*a]}\n")  # recursive alias
    (tmp / "article.txt").write_text("The minister said the country will send 500 troops.\n")
    for name, size in (("big.csv", 9), ("big.tsv", 9), ("big.log", 65)):
        with (tmp / name).open("wb") as fh:  # sparse: SIZE MiB on paper, nothing on disk
            fh.truncate(size * 1024 * 1024)


def _bad_inputs(tmp: Path) -> dict[str, list[str]]:
    """Label -> argv: a bad scenario, a bad what-if patch or a model file over its limit."""
    bad, patch, article = tmp / "bad.yaml", tmp / "patch.yaml", tmp / "article.txt"
    big, big_tsv, big_log = tmp / "big.csv", tmp / "big.tsv", tmp / "big.log"
    b, p = str(bad), str(patch)
    return {
        "validate": ["validate", b],
        "show": ["show", b],
        "run": ["run", b, "--db", str(tmp / "s.db")],
        "plan": ["plan", b],
        "plan --what-if": ["plan", "ukraine-2025-04", "--what-if", p],
        "options": ["options", b],
        "options --what-if": ["options", "ukraine-2025-04", "--what-if", p],
        "frontier": ["frontier", b],
        "forecast": ["forecast", b],
        "forecast --input": ["forecast", "--input", str(big)],
        "venues": ["venues", b],
        "sweep": ["sweep", b, "--db", str(tmp / "s.db")],
        "sensitivity": ["sensitivity", b, "--db", str(tmp / "s.db")],
        "outlook": ["outlook", b],
        "backtest": ["backtest", str(big_tsv)],
        "extract": ["extract", str(article), "--scenario", b],
        "apply": ["apply", p, "--scenario", b, "--to", str(tmp / "new.yaml")],
        "diff": ["diff", "ukraine-2025-04", b],
        "migrate": ["migrate", b],
        "import": ["import", str(big), "--to", str(tmp / "imported.yaml")],
        "compare-log": ["compare-log", str(article), str(big_log)],
    }


def _run(argv: list[str], cwd: Path) -> tuple[dict[str, Any], str]:
    code = _DRIVER.format(engines=ENGINES, argv=argv)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    return json.loads(proc.stdout.splitlines()[-1]), proc.stderr


def test_every_command_is_classified(tmp_path: Path) -> None:
    covered = {label.split()[0] for label in _bad_inputs(tmp_path)}
    assert covered.isdisjoint(NO_INPUT_FILE)
    assert covered | NO_INPUT_FILE == set(COMMAND_MODULES), (
        "a new command: add a bad input to _bad_inputs or declare it in NO_INPUT_FILE"
    )


@pytest.mark.parametrize("label", sorted(_bad_inputs(Path("/nonexistent")).keys()))
def test_a_bad_input_is_refused_before_any_engine_is_imported(tmp_path: Path, label: str) -> None:
    _write_bad_files(tmp_path)
    argv = _bad_inputs(tmp_path)[label]
    result, stderr = _run(argv, tmp_path)
    assert result["code"] == 2, stderr
    assert "Traceback" not in stderr
    named = [a for a in argv[1:] if a.startswith(str(tmp_path)) and not a.endswith("new.yaml")]
    assert any(Path(a).name in stderr for a in named), stderr
    first = sorted({".".join(str(m).split(".")[:2]) for m in result["attempted"]})
    assert result["attempted"] == [], f"{label} imported {first} before refusing the input"
    assert result["held"] == []


def test_a_good_scenario_still_runs_the_engines(tmp_path: Path) -> None:
    """The hook sees engines when they are due: the test above could fail."""
    result, stderr = _run(["venues", "ukraine-2025-04", "--format", "csv"], tmp_path)
    assert result["code"] == 0, stderr
    assert "peaceops.venues" in result["attempted"]


def test_the_written_out_defaults_agree_with_the_engines() -> None:
    from peaceops.cli import forecast, outlook
    from peaceops.forecast.timeline import DEFAULT_MODELS
    from peaceops.outlook.compute import DEFAULT_REPLICATES, DEFAULT_SENSITIVITY

    assert forecast.DEFAULT_MODELS == DEFAULT_MODELS
    assert (outlook.DEFAULT_REPLICATES, outlook.DEFAULT_SENSITIVITY) == (
        DEFAULT_REPLICATES,
        DEFAULT_SENSITIVITY,
    )
