"""``peaceops serve``: the analyst's workbench in the browser (FastAPI, see ``docs/web.md``).

The web stack is imported when the command runs, so ``peaceops --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from peaceops.cli.app import DbOption, app, errors

__all__ = ["serve"]


@app.command("serve")
def serve(
    db: DbOption = None,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on; beyond loopback a token is required."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Token every write needs (Authorization: Bearer TOKEN, or open a page once "
            "with ?token=TOKEN).",
            envvar="PEACEOPS_TOKEN",
        ),
    ] = None,
    max_body: Annotated[
        int, typer.Option("--max-body", help="Largest request body in bytes.")
    ] = 2_000_000,
) -> None:
    """Open the workbench: scenarios, what-if editing, options, plans, forecasts, sweeps, runs."""
    with errors():
        from peaceops.web.app import Settings, check_bind, create_app

        check_bind(host, token)
        try:
            import uvicorn
        except ImportError as exc:  # pragma: no cover - a dependency of peaceops
            raise ImportError("peaceops serve needs uvicorn: uv pip install uvicorn") from exc
        application = create_app(Settings(db=db, token=token or None, max_body=max_body, warm=True))
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"peaceops workbench on http://{shown}:{port}/ (Ctrl-C stops it)", err=True)
        uvicorn.run(application, host=host, port=port, log_level="warning")
