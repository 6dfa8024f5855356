"""The scenario commands end to end: exit codes, messages, and nothing written on bad input."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops_testing import template_text

runner = CliRunner()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEACEOPS_DB", raising=False)
    return tmp_path


def write(workdir: Path, text: str, name: str = "demo.yaml") -> Path:
    path = workdir / name
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_ok(workdir: Path) -> None:
    path = write(workdir, template_text())
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: demo (4 actors, 3 issues, 3 pledges, 3 venues")


def test_validate_bad_file_exits_2_with_every_problem(workdir: Path) -> None:
    text = (
        template_text()
        .replace("salience: 1.0", "salience: 1.4")
        .replace("    actor: LDR\n", "    actor: XYZ\n")
    )
    path = write(workdir, text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "error: 3 problems found"
    assert re.fullmatch(
        rf"  {re.escape(str(path))}:\d+: stances\[ADV\]\[alliance_share\]\.salience: "
        r"1\.4 is outside 0\.\.1",
        lines[1],
    )
    assert lines[3].endswith("pledges[ldr-inf].actor: unknown actor 'XYZ': define it under actors")
    assert list(workdir.iterdir()) == [path]


def test_run_on_bad_input_writes_no_store_and_no_report(workdir: Path) -> None:
    path = write(workdir, template_text().replace("position: 80", "position: -3"))
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert "stances[HST][ground_size].position: -3 is outside 0..100" in result.stderr
    assert sorted(p.name for p in workdir.iterdir()) == ["demo.yaml"]


def test_missing_scenario_exits_2(workdir: Path) -> None:
    result = runner.invoke(app, ["run", "no-such-scenario"])
    assert result.exit_code == 2
    assert "no-such-scenario: no such file or built-in scenario" in result.stderr
    assert list(workdir.iterdir()) == []


def test_debug_shows_the_traceback(workdir: Path) -> None:
    result = runner.invoke(app, ["--debug", "validate", "no-such-file.yaml"])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "ScenarioError"


class _Refs(HTMLParser):
    """Collects every URL the page would load: src/href attributes and CSS url()/@import."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "data", "poster", "srcset", "action") and value:
                self.refs.append(value)

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.refs += re.findall(r"url\(([^)]*)\)", data)
            self.refs += re.findall(r"@import\s+['\"]?([^'\";]+)", data)


def test_run_writes_an_offline_report_and_records_the_run(workdir: Path) -> None:
    path = write(workdir, template_text())
    result = runner.invoke(app, ["run", str(path), "--seed", "11"])
    assert result.exit_code == 0, result.output
    assert "Who offers what" in result.stdout
    report = workdir / "reports" / "demo.html"
    html = report.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(html)
    remote = [r for r in parser.refs if re.match(r"^\s*(https?:)?//", r)]
    assert remote == []
    assert all(r.startswith("#") for r in parser.refs), parser.refs
    assert "Plotly.newPlot" in html
    assert "<script src" not in html
    listed = runner.invoke(app, ["runs", "list", "--format", "json"])
    rows = json.loads(listed.stdout)
    assert [(r["run"], r["scenario"], r["seed"], r["status"]) for r in rows] == [
        (1, "demo", 11, "done")
    ]
    shown = runner.invoke(app, ["runs", "show", "1", "--format", "json"])
    stored = json.loads(shown.stdout)
    assert [r["actor"] for r in stored["results"]["actors"]] == ["HST", "ADV", "LDR", "NTR"]
    out = workdir / "pledges.csv"
    exported = runner.invoke(app, ["runs", "export", "1", "--section", "pledges", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.read_text().splitlines()[0] == (
        "pledge,actor,domain,capability,units,personnel,conditions"
    )


def test_new_writes_a_template_that_validates_and_refuses_to_overwrite(workdir: Path) -> None:
    result = runner.invoke(app, ["new", "un-mission"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", "un-mission.yaml"]).exit_code == 0
    again = runner.invoke(app, ["new", "un-mission"])
    assert again.exit_code == 2
    assert "file exists; use --force to overwrite" in again.stderr


def test_show_prints_a_table_as_csv(workdir: Path) -> None:
    path = write(workdir, template_text())
    result = runner.invoke(app, ["show", str(path), "--table", "venues", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "venue,name,rule,n_members,members,veto_players"
    assert result.stdout.splitlines()[1].startswith("UNSC,")
