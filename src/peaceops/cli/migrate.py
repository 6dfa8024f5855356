"""``peaceops migrate``: write a format-1 scenario file in format 2."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from peaceops._files import write_atomic
from peaceops.cli.app import app, console, errors
from peaceops.errors import Problem, ScenarioError
from peaceops.scenario import parse_scenario
from peaceops.scenario.documents import read_document
from peaceops.scenario.load import read_text_bounded
from peaceops.scenario.migrate import format_version, migrate_v1

_HEADER = (
    "# Migrated from scenario format 1 by `peaceops migrate` (docs/scenario-format.md,\n"
    "# section 'Migration from format 1'). Comments of the original file are not carried over.\n"
)


@app.command("migrate")
def migrate(
    file: Annotated[Path, typer.Argument(help="A scenario file in format 1 (YAML or JSON).")],
    to: Annotated[
        Path | None,
        typer.Option("--to", help="Write the format-2 file here (default: standard output)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a scenario file in format 2 (checked before anything is written)."""
    with errors():
        if file.is_dir():
            raise ScenarioError(
                [Problem(str(file), None, "", "is a directory; give a scenario file")]
            )
        text = read_text_bounded(file)  # refused unread over the loader's size limit
        doc = read_document(text, file=str(file), json_first=file.suffix.lower() == ".json")
        if doc.problems:
            raise ScenarioError(list(doc.problems))
        version = format_version(doc.data)
        if version not in (1, 2):
            raise ScenarioError(
                [Problem(str(file), 1, "format_version", f"unknown format version {version!r}")]
            )
        parse_scenario(text, file=str(file))  # every problem of the file, reported on its lines
        if version == 2:
            console().print(f"{file} is already in format 2: nothing to do", markup=False)
            return
        out = _HEADER + _dump(migrate_v1(doc.data))
        parse_scenario(out, file=str(to or "<migrated>"))  # the result validates as format 2
        if to is None:
            typer.echo(out, nl=False)
            return
        write_atomic(to, out, overwrite=force)
        console().print(f"wrote {to} (format 2)", markup=False)


def _dump(data: Any) -> str:
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text
