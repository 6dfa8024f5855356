"""The workbench's FastAPI application: settings, safety, errors in one shape.

- **Safe by default.** :func:`check_bind` refuses a non-loopback address without a token;
  with a token, every write (``POST``) needs it (``Authorization: Bearer TOKEN``, or the
  cookie set by opening any page once with ``?token=TOKEN``). Writes from another origin are
  refused. No endpoint reads or writes a path given by the client.
- **One error shape.** Every error is a problem details object (RFC 9457,
  ``application/problem+json``: ``type``, ``title``, ``status``, ``detail``, ``instance``)
  with ``errors``, the list of problems (file, line, field path, message) for bad input; the
  HTML pages render the same fields.
- **Bounded requests.** Bodies above :attr:`Settings.max_body` bytes get 413 before they are
  read whole.
- **Offline.** htmx (vendored from npm) and Plotly (bundled with the plotly package) are
  served from this server; the API's documentation is the local ``/docs`` page over
  ``/openapi.json``.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from peaceops.errors import InfeasibleError, PeaceopsError, Problem, ScenarioError, StoreError
from peaceops.report.document import format_cell
from peaceops.report.figures import figure_json
from peaceops.store import VersionConflictError, open_store
from peaceops.web._sweeps import SweepJobs
from peaceops.web._workbench import NotFoundError, Workbench

__all__ = [
    "Settings",
    "check_bind",
    "create_app",
    "problem_response",
    "render",
    "wants_html",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "peaceops_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Settings:
    """How the server runs.

    Attributes
    ----------
    db
        The store: a SQLite file or a database URL (default ``./peaceops.db``).
    token
        Writes need this token (required when bound beyond loopback).
    max_body
        Largest request body in bytes (a scenario upload is a request body).
    warm
        Compute the built-in scenarios' option matrices and venue power in the background at
        start-up, so the first analyst does not wait for them.
    """

    db: str | None = None
    token: str | None = None
    max_body: int = 2_000_000
    warm: bool = False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve on a non-loopback address without a token.

    Raises
    ------
    ScenarioError
        When ``host`` is not a loopback address (or ``localhost``) and ``token`` is empty.
    """
    if token:
        return
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ScenarioError(
            [
                Problem(
                    "--host",
                    None,
                    "",
                    f"{host!r} is reachable from other machines: give --token TOKEN (or set "
                    "PEACEOPS_TOKEN) so that every write needs it, or bind to 127.0.0.1",
                )
            ]
        )


# ----------------------------------------------------------------------------- errors


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    problems: tuple[Problem, ...] = (),
    extra: dict[str, Any] | None = None,
) -> Response:
    """The one error shape: problem+json for the API, the error page for browsers."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "errors": [
            {"file": p.file, "line": p.line, "path": p.path, "message": p.message} for p in problems
        ],
        **(extra or {}),
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if wants_html(request):
        page = render(request, "error.html.j2", problem=body, status_code=status)
        if headers:
            page.headers.update(headers)
        return page
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def wants_html(request: Request) -> bool:
    """Whether to answer with a page (a browser asking for HTML outside the API)."""
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return False
    return "text/html" in request.headers.get("accept", "")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return problem_response(request, exc.status_code, str(exc.detail))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = tuple(
        Problem(
            "request",
            None,
            ".".join(str(part) for part in err.get("loc", ())),
            str(err.get("msg", "invalid")),
        )
        for err in exc.errors()
    )
    n = len(problems)
    return problem_response(
        request, 422, f"{n} problem{'s' if n != 1 else ''} in the request", problems=problems
    )


async def _peaceops_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ScenarioError):
        n = len(exc.problems)
        return problem_response(
            request,
            422,
            f"{n} problem{'s' if n != 1 else ''} found",
            problems=exc.problems,
        )
    if isinstance(exc, VersionConflictError):
        return problem_response(
            request, 409, str(exc), extra={"base_version": exc.base, "latest_version": exc.latest}
        )
    if isinstance(exc, NotFoundError):
        return problem_response(request, 404, str(exc))
    if isinstance(exc, InfeasibleError):
        return problem_response(request, 422, str(exc), extra={"conflicts": list(exc.conflicts)})
    if isinstance(exc, StoreError):
        return problem_response(request, 404 if str(exc).startswith("no ") else 503, str(exc))
    return problem_response(request, 500, str(exc))


async def _unexpected(request: Request, exc: Exception) -> Response:
    return problem_response(
        request, 500, f"internal error ({exc.__class__.__name__}); the server log has the details"
    )


# ----------------------------------------------------------------------------- middleware


class _Guard:
    """Body size limit, the write token and same-origin writes, before any route runs."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refuse(request)
        if refusal is not None:
            await problem_response(request, *refusal)(scope, receive, send)
            return
        if request.method in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        # Read the body up to the limit before any route sees it (chunked bodies too).
        limit = self.settings.max_body
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await problem_response(request, 413, _too_large(limit))(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _refuse(self, request: Request) -> tuple[int, str] | None:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.settings.max_body):
            return 413, _too_large(self.settings.max_body)
        if request.method in _SAFE_METHODS:
            return None
        origin = request.headers.get("origin")
        if origin and origin != "null":
            host = request.headers.get("host", "")
            if origin.split("://", 1)[-1] != host:
                return 403, f"writes from another origin ({origin}) are refused"
        token = self.settings.token
        if token:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            given = given or request.cookies.get(TOKEN_COOKIE, "")
            if not secrets.compare_digest(given.encode(), token.encode()):
                return 401, "this server needs its token for writes (Authorization: Bearer …)"
        return None


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit:,} bytes"


# ----------------------------------------------------------------------------- templates


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("peaceops.web", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = format_cell
    env.filters["figure_json"] = figure_json
    return env


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page with the request and the app's settings in its context."""
    env: jinja2.Environment = request.app.state.templates
    text = env.get_template(template).render(request=request, **context)
    return HTMLResponse(text, status_code=status_code)


# ----------------------------------------------------------------------------- the app


def create_app(settings: Settings | None = None) -> FastAPI:
    """The workbench application over the store ``settings.db``.

    The store is opened (created or upgraded) here, once; every read after that leaves it
    unchanged.
    """
    from peaceops import __version__
    from peaceops.web import api, pages

    settings = settings or Settings(token=os.environ.get("PEACEOPS_TOKEN") or None)
    engine = open_store(settings.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm:
            threading.Thread(target=app.state.wb.warm, name="warm-up", daemon=True).start()
        yield
        app.state.jobs.shutdown()
        engine.dispose()

    app = FastAPI(
        title="peaceops workbench",
        version=__version__,
        description="Scenarios, options, plans, forecasts, sweeps and runs of peaceops. "
        "Every error is a problem details object (RFC 9457).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.wb = Workbench(engine)
    app.state.jobs = SweepJobs(engine)
    app.state.templates = _environment()
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(PeaceopsError, _peaceops_error)
    app.add_exception_handler(Exception, _unexpected)
    static = Path(str(resources.files("peaceops.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(_Guard, settings=settings)
    return app
