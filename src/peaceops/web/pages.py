"""The workbench's HTML pages: server-rendered, enhanced by htmx where it helps.

Each handler loads what it shows through the workbench (library results, cached) or the store
and renders a template; forms post back to the same pages, so everything works without
JavaScript too. Errors render the same problem details as the API.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from peaceops.errors import Problem, ScenarioError, StoreError
from peaceops.store import VersionConflictError, get_run, get_version, list_runs, list_versions
from peaceops.web import _actions, _views
from peaceops.web._edit import FORM_EDITS
from peaceops.web._workbench import NotFoundError, Workbench
from peaceops.web.app import TOKEN_COOKIE, render, wants_html

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Version = Annotated[int | None, Query(ge=0)]


def _wb(request: Request) -> Workbench:
    wb: Workbench = request.app.state.wb
    return wb


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    response = render(request, template, status_code=status_code, **context)
    token = request.query_params.get("token")
    settings = request.app.state.settings
    if token and settings.token and token == settings.token:
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.get("/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    """Plotly's browser bundle, as shipped inside the plotly package (no CDN)."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    return FileResponse(path, media_type="text/javascript")


@router.get("/docs")
def docs(request: Request) -> Response:
    """The API's endpoints from the OpenAPI document (served offline)."""
    schema = request.app.openapi()
    endpoints = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "description": op.get("description", ""),
        }
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]
    return _page(request, "docs.html.j2", endpoints=endpoints, title="API")


@router.get("/")
def index(request: Request) -> Response:
    """Every scenario line, built-in and uploaded, with its versions; the upload form."""
    return _page(request, "index.html.j2", lines=_wb(request).lines(), title="Scenarios")


@router.post("/scenarios")
async def upload(
    request: Request,
    file: UploadFile | None = None,
    text: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Upload a scenario; errors are shown at their lines in the uploaded text."""
    if file is not None and file.filename:
        raw = await file.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
    try:
        info = _actions.upload(_wb(request), text=text, name=name or None, note=note)
    except ScenarioError as exc:
        if not wants_html(request):
            raise
        return _page(
            request,
            "index.html.j2",
            status_code=422,
            lines=_wb(request).lines(),
            title="Scenarios",
            upload_text=text,
            upload_errors=_by_line(text, exc),
        )
    return RedirectResponse(f"/scenarios/{info.name}?version={info.version}", status_code=303)


@router.get("/scenarios/{name}")
def scenario(request: Request, name: str, version: Version = None) -> Response:
    """A scenario: headline, stances, pledges, red lines, venues with power, sources."""
    wb = _wb(request)
    loaded = wb.load(name, version)
    with wb.engine.connect() as conn:
        versions = list_versions(conn, name)
    return _page(
        request,
        "scenario.html.j2",
        loaded=loaded,
        versions=versions,
        view=_views.scenario_view(wb, loaded),
        title=loaded.scenario.name,
    )


@router.get("/scenarios/{name}/options")
def options(
    request: Request,
    name: str,
    version: Version = None,
    sort: str = "coverage",
    desc: bool = True,
    mission: str = "",
    route: str = "",
    feasible: str = "",
) -> Response:
    """The option matrix, sortable by any column and filtered by mission, route, feasibility."""
    loaded = _wb(request).load(name, version)
    matrix = _wb(request).computed(loaded.scenario, "options")
    rows = _views.option_rows(loaded.scenario, matrix)
    where = {"mission": mission, "route": route, "feasible": feasible}
    shown = _views.filter_options(rows, where=where, sort=sort, descending=desc)
    return _page(
        request,
        "options.html.j2",
        loaded=loaded,
        rows=shown,
        columns=_views.option_columns(loaded.scenario),
        sort=sort,
        desc=desc,
        where=where,
        title=f"Options: {loaded.scenario.name}",
    )


@router.get("/scenarios/{name}/plan")
def plan(
    request: Request,
    name: str,
    version: Version = None,
    mission: str | None = None,
    route: str | None = None,
    level: Annotated[list[str] | None, Query(description="DIM=VALUE, repeatable")] = None,
) -> Response:
    """A plan for any option, with its shortfalls and their reasons, and the Pareto frontier."""
    wb = _wb(request)
    loaded = wb.load(name, version)
    s = loaded.scenario
    mission = mission or None
    route = route or None
    result = wb.computed(s, "plan", mission, route, _views.parse_levels(level))
    frontier = wb.computed(s, "frontier", mission) if s.missions else None
    return _page(
        request,
        "plan.html.j2",
        loaded=loaded,
        plan=_views.plan_view(result),
        chosen={
            "mission": mission,
            "route": route,
            "level": dict(_views.parse_levels(level) or ()),
        },
        frontier=_views.frontier_figure(frontier) if frontier else None,
        frontier_rows=frontier.to_rows() if frontier else [],
        title=f"Plan: {s.name}",
    )


@router.get("/scenarios/{name}/forecast")
def forecast(
    request: Request,
    name: str,
    version: Version = None,
    model: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """Forecast trajectories per issue, one line per model."""
    wb = _wb(request)
    loaded = wb.load(name, version)
    models = _views.forecast_models(model)
    result = wb.computed(loaded.scenario, "forecast", models)
    from peaceops.forecast.timeline import DEFAULT_MODELS

    return _page(
        request,
        "forecast.html.j2",
        loaded=loaded,
        view=_views.forecast_view(result, models) if result else None,
        all_models=DEFAULT_MODELS,
        models=models,
        title=f"Forecast: {loaded.scenario.name}",
    )


@router.get("/scenarios/{name}/versions/{version}")
def version(request: Request, name: str, version: int) -> Response:
    """One stored version: note, base, diff."""
    with _wb(request).engine.connect() as conn:
        try:
            info = get_version(conn, name, version)
        except StoreError as exc:
            raise NotFoundError(str(exc)) from exc
    return _page(request, "version.html.j2", info=info, title=f"{name} v{version}")


@router.get("/scenarios/{name}/edit")
def edit(request: Request, name: str, version: Version = None) -> Response:
    """The what-if editor on a version: forms, YAML text, save with a note."""
    loaded = _wb(request).load(name, version)
    return _edit_page(request, loaded, loaded.text, None, None, 200)


@router.post("/scenarios/{name}/edit")
async def edit_post(request: Request, name: str) -> Response:
    """Apply a form edit or the YAML text, show the result beside the base; or save it."""
    form = await request.form()
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        base = int(fields.get("base", "0"))
    except ValueError:
        base = -1
    if base < 0:
        raise ScenarioError([Problem("request", None, "base", "a version number")])
    wb = _wb(request)
    loaded = wb.load(name, base)
    text = fields.get("text", loaded.text).replace("\r\n", "\n")
    action = fields.get("action", "preview")
    if action == "save":
        try:
            info = _actions.save_edit(wb, name, base=base, text=text, note=fields.get("note", ""))
        except VersionConflictError as exc:
            if not wants_html(request):
                raise
            return _edit_page(request, loaded, text, None, None, 409, conflict=str(exc))
        except ScenarioError as exc:
            if not wants_html(request):
                raise
            return _edit_page(request, loaded, text, None, _by_line(text, exc), 422)
        return RedirectResponse(f"/scenarios/{name}/versions/{info.version}", status_code=303)
    edit_kind = action if action in FORM_EDITS else None
    try:
        preview = _actions.preview_edit(
            wb, name, base=base, text=text, edit=edit_kind, fields=fields
        )
    except ScenarioError as exc:
        if not wants_html(request):
            raise
        return _edit_page(request, loaded, text, None, _by_line(text, exc), 422)
    return _edit_page(request, loaded, preview.text, preview.comparison, None, 200)


def _edit_page(
    request: Request,
    loaded: Any,
    text: str,
    comparison: dict[str, Any] | None,
    errors: dict[str, Any] | None,
    status: int,
    conflict: str | None = None,
) -> Response:
    s = loaded.scenario
    return _page(
        request,
        "edit.html.j2",
        status_code=status,
        loaded=loaded,
        text=text,
        comparison=comparison,
        errors=errors,
        conflict=conflict,
        actors=[a.id for a in s.actors],
        issues=[i.id for i in s.issues],
        pledges=[(p.id, p.actor, p.capability) for p in s.pledges],
        red_lines=[(r.id, r.actor) for r in s.red_lines],
        events=[(e.id, e.probability) for e in s.events],
        title=f"What if: {s.name}",
    )


@router.get("/sweeps")
def sweeps(request: Request) -> Response:
    """Start a sweep; the sweeps in the store."""
    wb = _wb(request)
    with wb.engine.connect() as conn:
        rows = [r.to_row() for r in list_runs(conn, limit=200) if r.kind == "sweep"]
    return _page(request, "sweeps.html.j2", lines=wb.lines(), rows=rows, title="Sweeps")


@router.post("/sweeps")
def sweep_start(
    request: Request,
    scenario: Annotated[str, Form()],
    n: Annotated[int, Form(ge=1)] = 2000,
    seed: Annotated[int, Form(ge=0)] = 20250405,
    version: Annotated[str, Form()] = "",
) -> Response:
    """Start a sweep in the background and open its page."""
    loaded = _wb(request).load(scenario, int(version) if version.isdigit() else None)
    run_id = request.app.state.jobs.start(
        loaded.scenario, n=n, seed=seed, source=f"{loaded.name} v{loaded.version}"
    )
    return RedirectResponse(f"/sweeps/{run_id}", status_code=303)


@router.get("/sweeps/{run_id}")
def sweep(request: Request, run_id: int) -> Response:
    """A sweep's live progress, then its probabilities and what matters most."""
    return _page(request, "sweep.html.j2", **_sweep_context(request, run_id))


@router.get("/sweeps/{run_id}/progress")
def sweep_progress(request: Request, run_id: int) -> Response:
    """The progress fragment the sweep page polls (htmx)."""
    return _page(request, "_sweep_progress.html.j2", **_sweep_context(request, run_id))


@router.post("/sweeps/{run_id}/resume")
def sweep_resume(request: Request, run_id: int) -> Response:
    """Continue an interrupted sweep."""
    request.app.state.jobs.resume(run_id)
    return RedirectResponse(f"/sweeps/{run_id}", status_code=303)


def _sweep_context(request: Request, run_id: int) -> dict[str, Any]:
    status = request.app.state.jobs.status(run_id)
    sections: dict[str, list[dict[str, Any]]] = {}
    if status["status"] == "done":
        with _wb(request).engine.connect() as conn:
            _, sections = get_run(conn, run_id)
    return {"status": status, "sections": sections, "title": f"Sweep {run_id}"}


@router.get("/runs")
def runs(request: Request) -> Response:
    """The run history from the store; pick two to compare."""
    with _wb(request).engine.connect() as conn:
        rows = [r.to_row() for r in list_runs(conn, limit=200)]
    return _page(request, "runs.html.j2", rows=rows, title="Runs")


@router.get("/runs/compare")
def compare(request: Request, a: int, b: int, section: str | None = None) -> Response:
    """Two runs side by side, matched row by row, with what changed highlighted."""
    with _wb(request).engine.connect() as conn:
        try:
            info_a, rows_a = get_run(conn, a)
            info_b, rows_b = get_run(conn, b)
        except StoreError as exc:
            raise NotFoundError(str(exc)) from exc
    view = _views.run_comparison(rows_a, rows_b, section or _views.first_section(rows_a, rows_b))
    return _page(
        request,
        "compare.html.j2",
        a=info_a.to_row(),
        b=info_b.to_row(),
        view=view,
        title=f"Runs {a} and {b}",
    )


@router.get("/runs/{run_id}")
def run(request: Request, run_id: int, section: str | None = None) -> Response:
    """One run: its settings and one section of its results."""
    with _wb(request).engine.connect() as conn:
        try:
            info, sections = get_run(conn, run_id)
        except StoreError as exc:
            raise NotFoundError(str(exc)) from exc
    chosen = section if section in sections else next(iter(sections), "")
    return _page(
        request,
        "run.html.j2",
        info=info.to_row(),
        options=info.options,
        sections=list(sections),
        section=chosen,
        rows=sections.get(chosen, [])[:500],
        title=f"Run {run_id}",
    )


def _by_line(text: str, exc: ScenarioError) -> dict[str, Any]:
    """The text's lines, each with the problems found at it, and the problems without a line."""
    at: dict[int, list[Any]] = {}
    loose = []
    lines = text.splitlines()
    for p in exc.problems:
        if p.line is not None and 1 <= p.line <= len(lines):
            at.setdefault(p.line, []).append(p)
        else:
            loose.append(p)
    near = {n for line in at for n in range(line - 2, line + 3)}
    shown: list[tuple[int, str, list[Any]] | None] = []
    for i, line in enumerate(lines, start=1):
        if i in near:
            shown.append((i, line, at.get(i, [])))
        elif shown and shown[-1] is not None:
            shown.append(None)  # a gap
    return {
        "lines": shown,
        "loose": loose,
        "problems": exc.problems,
    }
