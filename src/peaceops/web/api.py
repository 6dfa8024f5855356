"""The JSON API: the pages' content as data (OpenAPI at ``/openapi.json``, read at ``/docs``).

Every handler calls the workbench (library results, cached) or the store and returns rows as
the library's ``to_rows()`` produce them. Errors are problem details (RFC 9457).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from peaceops.errors import StoreError
from peaceops.store import get_run, get_version, list_runs, list_versions
from peaceops.web import _actions, _views
from peaceops.web._sweeps import MAX_REPLICATES
from peaceops.web._workbench import Loaded, NotFoundError, Workbench

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

Version = Annotated[int | None, Query(ge=0, description="Version (default: the latest).")]
Mission = Annotated[str | None, Query(description="Mission id (default: the first).")]


class UploadBody(BaseModel):
    """A scenario to upload: its YAML (or JSON) text, a name for its line, a note."""

    text: str = Field(max_length=1_900_000)
    name: str | None = None
    note: str = ""


class EditBody(BaseModel):
    """An edit of version ``base``: new text and/or a form edit with its fields."""

    base: int = Field(ge=0)
    text: str | None = Field(default=None, max_length=1_900_000)
    edit: str | None = None
    fields: dict[str, str] = {}
    note: str = ""


class SweepBody(BaseModel):
    """A sweep to start: scenario line and version, replicates, seed."""

    scenario: str
    version: int | None = Field(default=None, ge=0)
    n: int = Field(default=2000, ge=1, le=MAX_REPLICATES)
    seed: int = Field(default=20250405, ge=0)


def _wb(request: Request) -> Workbench:
    wb: Workbench = request.app.state.wb
    return wb


def _load(request: Request, name: str, version: int | None) -> Loaded:
    return _wb(request).load(name, version)


def _about(loaded: Loaded) -> dict[str, Any]:
    return {
        "name": loaded.name,
        "version": loaded.version,
        "origin": loaded.origin,
        "scenario": loaded.scenario.id,
        "title": loaded.scenario.name,
        "hash": loaded.hash,
    }


@router.get("/scenarios")
def scenarios(request: Request) -> list[dict[str, Any]]:
    """Every scenario line (built-in and uploaded) with its stored versions."""
    return _wb(request).lines()


@router.post("/scenarios", status_code=201)
def upload(request: Request, body: UploadBody) -> dict[str, Any]:
    """Upload a scenario (validated by the CLI's loader) as version 1 of a new line."""
    return _actions.upload(_wb(request), text=body.text, name=body.name, note=body.note).to_row()


@router.get("/scenarios/{name}")
def scenario(request: Request, name: str, version: Version = None) -> dict[str, Any]:
    """Actors, stances, pledges by domain and condition, red lines, venues with power, sources."""
    loaded = _load(request, name, version)
    view = _views.scenario_view(_wb(request), loaded)
    return {
        **_about(loaded),
        "headline": view["headline"],
        "actors": view["actors"],
        "stances": view["stances"],
        "pledges": view["pledges"],
        "red_lines": view["red_lines"],
        "venues": view["venues"],
        "sources": [src.model_dump(mode="json") for src in view["sources"].values()],
    }


@router.get("/scenarios/{name}/text")
def scenario_text(request: Request, name: str, version: Version = None) -> dict[str, Any]:
    """The scenario's YAML text."""
    loaded = _load(request, name, version)
    return {**_about(loaded), "text": loaded.text}


@router.get("/scenarios/{name}/versions")
def versions(request: Request, name: str) -> list[dict[str, Any]]:
    """Stored versions of a line, newest first (version 0 of a built-in is its file)."""
    wb = _wb(request)
    wb.latest(name)  # 404 for an unknown line
    with wb.engine.connect() as conn:
        return [v.to_row() for v in list_versions(conn, name)]


@router.get("/scenarios/{name}/versions/{version}")
def version(request: Request, name: str, version: int) -> dict[str, Any]:
    """One stored version with its text and its diff from its base."""
    with _wb(request).engine.connect() as conn:
        try:
            info = get_version(conn, name, version)
        except StoreError as exc:
            raise NotFoundError(str(exc)) from exc
    return {**info.to_row(), "text": info.text, "diff": info.diff}


@router.post("/scenarios/{name}/preview")
def preview(request: Request, name: str, body: EditBody) -> dict[str, Any]:
    """The edited scenario's headline option, option matrix and plan beside the base's."""
    p = _actions.preview_edit(
        _wb(request), name, base=body.base, text=body.text, edit=body.edit, fields=body.fields
    )
    return {"name": name, "base": body.base, "text": p.text, "comparison": p.comparison}


@router.post("/scenarios/{name}/versions", status_code=201)
def save(request: Request, name: str, body: EditBody) -> dict[str, Any]:
    """Save the edit as the next version (409 if ``base`` is no longer the latest)."""
    text = body.text
    if body.edit:
        text = _actions.preview_edit(
            _wb(request), name, base=body.base, text=body.text, edit=body.edit, fields=body.fields
        ).text
    if text is None:
        text = _wb(request).load(name, body.base).text
    info = _actions.save_edit(_wb(request), name, base=body.base, text=text, note=body.note)
    return {**info.to_row(), "diff": info.diff}


@router.get("/scenarios/{name}/options")
def options(
    request: Request,
    name: str,
    version: Version = None,
    sort: str | None = None,
    desc: bool = False,
    mission: str = "",
    route: str = "",
    feasible: str = "",
) -> dict[str, Any]:
    """The option matrix (every column), filtered by text and sorted by a column."""
    loaded = _load(request, name, version)
    matrix = _wb(request).computed(loaded.scenario, "options")
    rows = matrix.to_rows() if matrix else []
    where = {"mission": mission, "route": route, "feasible": feasible}
    return {
        **_about(loaded),
        "rows": _views.filter_options(rows, where=where, sort=sort, descending=desc),
    }


@router.get("/scenarios/{name}/plan")
def plan(
    request: Request,
    name: str,
    version: Version = None,
    mission: Mission = None,
    route: str | None = None,
    level: Annotated[list[str] | None, Query(description="DIM=VALUE, repeatable")] = None,
) -> dict[str, Any]:
    """A plan for an option: design, coverage by domain, shortfalls and their reasons."""
    loaded = _load(request, name, version)
    result = _wb(request).computed(
        loaded.scenario, "plan", mission, route, _views.parse_levels(level)
    )
    return {**_about(loaded), **_views.plan_view(result)}


@router.get("/scenarios/{name}/frontier")
def frontier(
    request: Request, name: str, version: Version = None, mission: Mission = None
) -> dict[str, Any]:
    """The Pareto frontier of coverage against the adversary's utility."""
    loaded = _load(request, name, version)
    result = _wb(request).computed(loaded.scenario, "frontier", mission)
    return {**_about(loaded), "party": result.party, "rows": result.to_rows()}


@router.get("/scenarios/{name}/forecast")
def forecast(
    request: Request,
    name: str,
    version: Version = None,
    model: Annotated[list[str] | None, Query(description="Models (default: all six).")] = None,
) -> dict[str, Any]:
    """Forecast trajectories per issue and model, and each model's outcome."""
    loaded = _load(request, name, version)
    models = _views.forecast_models(model)
    result = _wb(request).computed(loaded.scenario, "forecast", models)
    if result is None:
        return {**_about(loaded), "rows": [], "outcomes": []}
    return {**_about(loaded), "rows": result.to_rows(), "outcomes": result.outcome_rows()}


@router.get("/runs")
def runs(
    request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[dict[str, Any]]:
    """The run history, newest first."""
    with _wb(request).engine.connect() as conn:
        return [r.to_row() for r in list_runs(conn, limit=limit)]


@router.get("/runs/compare")
def compare(request: Request, a: int, b: int, section: str | None = None) -> dict[str, Any]:
    """Two runs side by side: one section's rows matched, with what changed."""
    (info_a, rows_a), (info_b, rows_b) = _runs(request, a, b)
    view = _views.run_comparison(rows_a, rows_b, section or _views.first_section(rows_a, rows_b))
    return {"a": info_a.to_row(), "b": info_b.to_row(), **view}


@router.get("/runs/{run_id}")
def run(request: Request, run_id: int) -> dict[str, Any]:
    """One run: its metadata and its result rows by section."""
    ((info, sections),) = _runs(request, run_id)
    return {**info.to_row(), "options": info.options, "sections": sections}


@router.post("/sweeps", status_code=202)
def start_sweep(request: Request, body: SweepBody) -> dict[str, Any]:
    """Start a sweep in the background; poll ``GET /api/sweeps/{run}`` for progress."""
    loaded = _load(request, body.scenario, body.version)
    run_id = request.app.state.jobs.start(
        loaded.scenario, n=body.n, seed=body.seed, source=f"{loaded.name} v{loaded.version}"
    )
    return dict(request.app.state.jobs.status(run_id))


@router.get("/sweeps/{run_id}")
def sweep(request: Request, run_id: int) -> dict[str, Any]:
    """A sweep's progress and, once done, its results by section."""
    status: dict[str, Any] = request.app.state.jobs.status(run_id)
    if status["status"] == "done":
        ((_, sections),) = _runs(request, run_id)
        status["sections"] = sections
    return status


@router.post("/sweeps/{run_id}/resume", status_code=202)
def resume(request: Request, run_id: int) -> dict[str, Any]:
    """Continue an interrupted sweep from its stored batches."""
    request.app.state.jobs.resume(run_id)
    return dict(request.app.state.jobs.status(run_id))


def _runs(request: Request, *ids: int) -> list[tuple[Any, dict[str, list[dict[str, Any]]]]]:
    out = []
    with _wb(request).engine.connect() as conn:
        for run_id in ids:
            try:
                out.append(get_run(conn, run_id))
            except StoreError as exc:
                raise NotFoundError(str(exc)) from exc
    return out
