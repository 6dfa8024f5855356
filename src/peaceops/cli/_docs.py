"""Render ``docs/cli.md`` from the commands' own help, so the docs cannot drift.

``python -m peaceops.cli._docs > docs/cli.md`` regenerates it; a test fails when it is stale.
"""

from __future__ import annotations

from typing import Any

import typer.main

from peaceops.cli import app, load_all_commands

__all__ = ["command_names", "render_cli_docs"]


def _commands() -> list[tuple[str, Any]]:
    load_all_commands()
    root: Any = typer.main.get_command(app)
    out: list[tuple[str, Any]] = []
    for name, cmd in sorted(root.commands.items()):
        subs = getattr(cmd, "commands", None)
        if subs:
            out += [(f"{name} {sub_name}", sub) for sub_name, sub in sorted(subs.items())]
        else:
            out.append((name, cmd))
    return out


def command_names() -> list[str]:
    """Every command and sub-command, e.g. ``run``, ``runs list``."""
    return [name for name, _ in _commands()]


def render_cli_docs() -> str:
    """Markdown with every command's usage, help and options."""
    lines = [
        "# Command line reference",
        "",
        "Generated from the commands' help by `python -m peaceops.cli._docs > docs/cli.md`;",
        "a test fails when this file is stale. Global option: `peaceops --debug COMMAND ...`",
        "shows the full traceback of an error.",
        "",
    ]
    for name, cmd in _commands():
        lines += _command(name, cmd)
    return "\n".join(lines).rstrip() + "\n"


def _command(name: str, cmd: Any) -> list[str]:
    ctx = cmd.context_class(cmd, info_name=f"peaceops {name}")
    usage = " ".join(cmd.collect_usage_pieces(ctx))
    help_text = (cmd.help or "").strip()
    out = [f"## peaceops {name}", "", f"`peaceops {name} {usage}`", "", help_text, ""]
    rows: list[tuple[str, str]] = []
    for param in cmd.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is not None:
            rows.append((record[0], record[1]))
        elif param.param_type_name == "argument":
            rows.append((param.human_readable_name, getattr(param, "help", None) or ""))
    if rows:
        out += ["| option | meaning |", "|---|---|"]
        out += [f"| `{flag}` | {text.replace('|', '/')} |" for flag, text in rows]
        out.append("")
    return out


if __name__ == "__main__":
    print(render_cli_docs(), end="")
