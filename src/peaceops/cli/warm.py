"""``peaceops warm``: compile the numerical kernels once for this machine."""

from __future__ import annotations

from peaceops.cli.app import app, errors


@app.command("warm")
def warm() -> None:
    """Compile the numerical kernels once for this machine, so later commands start at once."""
    import typer

    from peaceops._warm import warm_kernels

    def say(engine: str, seconds: float) -> None:
        typer.echo(f"  {engine}: ready in {seconds:.1f} s", err=True)

    with errors():
        total = warm_kernels(progress=say)
        typer.echo(f"ok: kernels compiled or loaded from the cache in {total:.1f} s")
