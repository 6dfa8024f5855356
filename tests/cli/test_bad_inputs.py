"""Every command, every kind of bad input: exit code 2, one clear message, never a traceback.

Commands are discovered from the typer application, so a new command is covered as soon as it
is registered.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from peaceops.cli.app import app, load_all_commands
from peaceops_testing import template_text

runner = CliRunner()
SECRET = "S3cretPw"


def _commands() -> Iterator[tuple[list[str], Any]]:
    load_all_commands()
    root: Any = typer.main.get_command(app)
    for name in root.list_commands(None):
        cmd = root.get_command(None, name)
        if hasattr(cmd, "list_commands"):
            for sub in cmd.list_commands(None):
                yield [name, sub], cmd.get_command(None, sub)
        elif cmd is not None:
            yield [name], cmd


COMMANDS = list(_commands())


def _bad_files(root: Path) -> dict[str, Path]:
    root.mkdir(exist_ok=True)
    files = {
        "missing": root / "missing.yaml",
        "directory": root / "adir",
        "empty": root / "empty.yaml",
        "binary": root / "binary.yaml",
        "broken": root / "broken.yaml",
        "bomb": root / "bomb.yaml",
        "shapes": root / "shapes.yaml",
    }
    files["directory"].mkdir(exist_ok=True)
    files["empty"].write_text("")
    files["binary"].write_bytes(bytes(range(256)) * 4)
    files["broken"].write_text("id: [demo\nname: {\n")
    lines = ['l0: &l0 ["a","a","a","a","a","a","a","a","a"]']
    lines += [f"l{k}: &l{k} [" + ",".join([f"*l{k - 1}"] * 9) + "]" for k in range(1, 10)]
    files["bomb"].write_text("\n".join(lines) + "\n")
    files["shapes"].write_text(
        template_text()
        .replace("  - id: HST\n", "  - id: [HST]\n", 1)
        .replace("    requirements:\n", "    requirements: 1\n    x:\n", 1)
    )
    return files


def _invocations(tmp: Path) -> Iterator[tuple[str, list[str]]]:
    files = _bad_files(tmp / "bad")
    db = str(tmp / "store.db")
    for path, cmd in COMMANDS:
        args = [p for p in cmd.params if p.param_type_name == "argument"]
        names = {o for p in cmd.params if p.param_type_name == "option" for o in p.opts}
        filler: list[str] = []
        if "--out" in names:
            filler += ["--out", str(tmp / "out.csv")]
        if "--section" in names and path[0] == "runs":
            filler += ["--section", "options"]
        if "--db" in names:
            filler_db = ["--db", db]
        else:
            filler_db = []
        first = args[0] if args else None
        int_arg = first is not None and first.type_descriptor.annotation is int
        if int_arg:
            yield f"{' '.join(path)} bad-int", [*path, "notanumber", *filler, *filler_db]
        elif first is not None:
            for kind, file in files.items():
                yield f"{' '.join(path)} {kind}", [*path, str(file), *filler, *filler_db]
        for opt in ("--what-if", "--csv", "--input"):
            if opt in names:
                yield f"{' '.join(path)} {opt} directory", [*path, opt, str(files["directory"])]
        if "--db" in names:
            bad_url = f"postgresql+psycopg://alice:{SECRET}@host:notaport/db"
            pos = ["1"] if int_arg else []
            yield f"{' '.join(path)} bad-db", [*path, *pos, *filler, "--db", bad_url]
        for opt, value in (("--seed", "x"), ("--format", "nope"), ("-n", "-5"), ("--limit", "x")):
            if opt in names:
                yield f"{' '.join(path)} {opt}", [*path, *filler, *filler_db, opt, value]


def test_every_command_is_walked() -> None:
    walked = {" ".join(p) for p, _ in COMMANDS}
    assert {"run", "validate", "plan", "sweep", "runs list", "runs export"} <= walked


def test_every_command_rejects_bad_input_with_exit_2_and_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    failures = []
    for label, argv in _invocations(tmp_path):
        result = runner.invoke(app, argv)
        text = result.output + (result.stderr if result.stderr_bytes is not None else "")
        if (
            result.exit_code != 2
            or "Traceback" in text
            or SECRET in text
            or (
                isinstance(result.exception, Exception)
                and not isinstance(result.exception, SystemExit)
            )
        ):
            failures.append(
                f"{label}: exit {result.exit_code}: {text[-300:]!r} {result.exception!r}"
            )
    assert not failures, "\n".join(failures)
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "bomb.yaml"],
        ["run", "adir"],
        ["runs", "list", "--db", f"postgresql+psycopg://alice:{SECRET}@[::1/db"],
    ],
)
def test_real_process_gives_one_line_and_exit_2(tmp_path: Path, argv: list[str]) -> None:
    files = _bad_files(tmp_path / "bad")
    (tmp_path / "bomb.yaml").write_bytes(files["bomb"].read_bytes())
    (tmp_path / "adir").mkdir()
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "peaceops"), *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output
    assert "Traceback" not in output
    assert SECRET not in output


@pytest.mark.parametrize("target", ["a-directory", "a-file/report.html"])
def test_unwritable_report_path_leaves_the_run_recorded_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo.yaml").write_text(template_text())
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "a-file").write_text("not a directory")
    result = runner.invoke(app, ["run", "demo.yaml", "--quiet", "--db", "s.db", "--report", target])
    text = result.output + result.stderr
    assert result.exit_code == 2, text
    assert "Traceback" not in text
    assert "cannot write here" in result.stderr
    assert "run 1 is recorded" in result.stderr
    listed = runner.invoke(app, ["runs", "list", "--db", "s.db", "--format", "csv"])
    assert listed.exit_code == 0
    assert listed.output.splitlines()[1].startswith("1,run,demo,")
    assert not list(tmp_path.rglob(".*.tmp"))
