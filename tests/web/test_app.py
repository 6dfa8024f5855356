"""The workbench over HTTP: every page and API route, errors in one shape, versions, sweeps.

The library is the oracle: the API must return exactly what the engines compute.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from peaceops.planning import option_matrix, solve_force_generation
from peaceops.scenario import builtin_scenarios, load_scenario, parse_scenario
from peaceops.store import tables
from peaceops.web import api, pages
from peaceops.web._edit import apply_form_edit
from peaceops_testing import template_text

UKR = "ukraine-2025-04"
BUILTIN = builtin_scenarios()[UKR]
HTML = {"accept": "text/html"}
PAGES = [
    "/",
    f"/scenarios/{UKR}",
    f"/scenarios/{UKR}/options",
    f"/scenarios/{UKR}/options?sort=personnel&desc=false&mission=reass&feasible=True",
    f"/scenarios/{UKR}/plan",
    f"/scenarios/{UKR}/plan?mission=reassurance&route=COALITION&level=backstop=50",
    f"/scenarios/{UKR}/forecast?model=compromise&model=nash",
    f"/scenarios/{UKR}/edit",
    "/sweeps",
    "/runs",
    "/docs",
]
BROKEN = """id: broken
name: Broken
date: 2025-04-05
actors:
  - id: AAA
    name: A
    kind: planet
"""


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(body)
    assert body["status"] == status
    return body


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_local_scripts_only(sqlite_client: TestClient, url: str) -> None:
    r = sqlite_client.get(url, headers=HTML)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "cdn" not in r.text.lower()
    assert '<script src="/static/htmx.min.js"' in r.text
    assert '<script src="/vendor/plotly.min.js"' in r.text


def test_vendored_scripts_are_served_locally(sqlite_client: TestClient) -> None:
    for url in ("/static/htmx.min.js", "/vendor/plotly.min.js", "/static/app.js"):
        r = sqlite_client.get(url)
        assert (r.status_code == 200 and len(r.content) > 1000) or url.endswith("app.js")
    assert sqlite_client.get("/static/htmx.LICENSE").status_code == 200


def test_api_returns_what_the_library_computes(sqlite_client: TestClient) -> None:
    client = sqlite_client
    s = load_scenario(UKR)
    expected = option_matrix(s).to_rows()
    got = client.get(f"/api/scenarios/{UKR}/options").json()
    assert got["rows"] == sorted(expected, key=lambda r: r["coverage"]) or got["rows"] == expected
    plan = solve_force_generation(
        s, "reassurance", route="COALITION", levels={"backstop": 50.0}, require_acceptance=("UKR",)
    )
    api = client.get(
        f"/api/scenarios/{UKR}/plan",
        params={"mission": "reassurance", "route": "COALITION", "level": "backstop=50"},
    ).json()
    assert api["coverage"] == plan.coverage
    assert api["requirements"] == plan.requirement_rows()
    detail = client.get(f"/api/scenarios/{UKR}").json()
    assert detail["version"] == 0
    assert detail["origin"] == "built-in"
    assert len(detail["stances"]) == sum(len(v) for v in s.stances.values())
    assert {v["venue"] for v in detail["venues"]} == {v.id for v in s.venues}
    forecast = client.get(f"/api/scenarios/{UKR}/forecast", params={"model": "compromise"}).json()
    assert {r["model"] for r in forecast["rows"]} == {"compromise"}
    frontier = client.get(f"/api/scenarios/{UKR}/frontier").json()
    assert frontier["party"] == "RUS"
    assert frontier["rows"]


def test_option_matrix_sorts_and_filters(sqlite_client: TestClient) -> None:
    rows = sqlite_client.get(
        f"/api/scenarios/{UKR}/options", params={"sort": "personnel", "mission": "reassurance"}
    ).json()["rows"]
    assert rows
    assert {r["mission"] for r in rows} == {"reassurance"}
    assert [r["personnel"] for r in rows] == sorted(r["personnel"] for r in rows)


def test_upload_reports_each_error_at_its_line(client: TestClient) -> None:
    body = _problem(client.post("/api/scenarios", json={"text": BROKEN}), 422)
    by_path = {e["path"]: e["line"] for e in body["errors"]}
    assert by_path["actors[AAA].kind"] == 7
    page = client.post("/scenarios", data={"text": BROKEN}, headers=HTML)
    assert page.status_code == 422
    assert 'id="line-7"' in page.text
    assert "actors[AAA].kind" in page.text


def test_upload_then_edit_save_and_conflict(client: TestClient) -> None:
    text = template_text("demo", "Demo")
    r = client.post("/api/scenarios", json={"text": text, "note": "first"})
    assert r.status_code == 201
    assert r.json()["version"] == 1
    _problem(client.post("/api/scenarios", json={"text": text}), 422)  # the name is taken
    edited = text.replace("name: Demo", "name: Demo two", 1)
    saved = client.post(
        "/api/scenarios/demo/versions", json={"base": 1, "text": edited, "note": "renamed"}
    )
    assert saved.status_code == 201
    assert saved.json()["version"] == 2
    assert "+name: Demo two" in saved.json()["diff"]
    stale = client.post(
        "/api/scenarios/demo/versions", json={"base": 1, "text": text, "note": "stale"}
    )
    body = _problem(stale, 409)
    assert (body["base_version"], body["latest_version"]) == (1, 2)
    versions = client.get("/api/scenarios/demo/versions").json()
    assert [(v["version"], v["note"]) for v in versions] == [(2, "renamed"), (1, "first")]
    assert client.get("/api/scenarios/demo/versions/1").json()["text"] == text
    assert client.get("/api/scenarios/demo").json()["title"] == "Demo two"
    assert client.get("/api/scenarios/demo?version=1").json()["title"] == "Demo"


def test_turkey_pledge_changes_coverage_and_options_beside_the_base(
    sqlite_client: TestClient,
) -> None:
    client = sqlite_client
    r = client.post(
        f"/api/scenarios/{UKR}/preview",
        json={"base": 0, "edit": "pledge", "fields": {"pledge": "tur-sea", "quantity": "3"}},
    )
    assert r.status_code == 200, r.text[:500]
    cmp = r.json()["comparison"]
    maritime = next(d for d in cmp["domains"] if d["key"]["domain"] == "maritime")
    before, after, changed = maritime["cells"]["coverage"]
    assert changed
    assert after > before
    assert any(row["changed"] for row in cmp["options"])
    page = client.post(
        f"/scenarios/{UKR}/edit",
        data={"base": "0", "action": "pledge", "pledge": "tur-sea", "quantity": "3"},
        headers=HTML,
    )
    assert page.status_code == 200
    assert "<mark" in page.text
    assert "id: tur-sea" in page.text
    assert "low: 3\n    high: 3" in page.text


@pytest.mark.parametrize(
    ("edit", "fields", "needle"),
    [
        ("stance", {"actor": "TUR", "issue": "zone", "position": "55", "salience": "0.5"}, "55"),
        ("red_line", {"red_line": "rus-no-nato-troops"}, None),
        ("event", {"event": "ceasefire", "probability": "0.9"}, "probability: 0.9"),
        (
            "actor",
            {
                "actor_id": "XXX",
                "actor_name": "Newland",
                "actor_kind": "state",
                "clout": "0.01",
                "groups": "",
                "sources": "j-stances",
            },
            "Newland",
        ),
    ],
)
def test_form_edits_apply_through_the_library(
    edit: str, fields: dict[str, str], needle: str | None
) -> None:
    text = apply_form_edit(BUILTIN.read_text(), file="u.yaml", edit=edit, fields=fields)
    parse_scenario(text)  # the edited text loads as it is saved
    if needle:
        assert needle in text
    else:
        assert "rus-no-nato-troops" not in text.split("red_lines:")[1].split("venues:")[0]


def test_a_malformed_form_edit_names_its_field(sqlite_client: TestClient) -> None:
    r = sqlite_client.post(
        f"/api/scenarios/{UKR}/preview",
        json={"base": 0, "edit": "pledge", "fields": {"pledge": "tur-sea", "quantity": "many"}},
    )
    assert _problem(r, 422)["errors"][0]["path"] == "quantity"


def _wait_done(c: TestClient, run_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status: dict[str, Any] = c.get(f"/api/sweeps/{run_id}").json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    raise AssertionError(f"sweep {run_id} did not finish")


def test_sweeps_run_in_the_background_and_runs_compare(client: TestClient) -> None:
    runs = []
    for seed in (1, 2):
        r = client.post("/api/sweeps", json={"scenario": UKR, "n": 200, "seed": seed})
        assert r.status_code == 202
        assert r.json()["n"] == 200
        runs.append(r.json()["run"])
    done = [_wait_done(client, run) for run in runs]
    assert [d["status"] for d in done] == ["done", "done"]
    assert done[0]["replicates_done"] == 200
    assert done[0]["sections"]["sweep_options"]
    assert done[0]["sections"]["what_matters_most"]
    page = client.get(f"/sweeps/{runs[0]}/progress", headers=HTML)
    assert 'id="sweep-results"' in page.text
    assert "hx-trigger" not in page.text
    cmp = client.get("/api/runs/compare", params={"a": runs[0], "b": runs[1]}).json()
    assert cmp["section"] == "sweep_options"
    assert any(r["changed"] for r in cmp["rows"])
    html = client.get(f"/runs/compare?a={runs[0]}&b={runs[1]}", headers=HTML)
    assert html.status_code == 200
    assert "<mark>" in html.text
    assert [r["run"] for r in client.get("/api/runs").json()] == runs[::-1]
    assert client.get(f"/runs/{runs[0]}", headers=HTML).status_code == 200


def test_an_interrupted_sweep_resumes_to_the_same_result(sqlite_client: TestClient) -> None:
    c = sqlite_client
    jobs = c.app.state.jobs  # type: ignore[attr-defined]
    straight = c.post("/api/sweeps", json={"scenario": UKR, "n": 400, "seed": 7}).json()["run"]
    _wait_done(c, straight)
    jobs._stop.set()  # the server shuts down after the first batch
    run = c.post("/api/sweeps", json={"scenario": UKR, "n": 400, "seed": 7}).json()["run"]
    deadline = time.monotonic() + 60
    while c.get(f"/api/sweeps/{run}").json()["status"] != "interrupted":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    status = c.get(f"/api/sweeps/{run}").json()
    assert status["resumable"]
    assert 0 < status["replicates_done"] < 400
    jobs._stop.clear()
    assert c.post(f"/api/sweeps/{run}/resume").status_code == 202
    done = _wait_done(c, run)
    first = c.get(f"/api/runs/{straight}").json()["sections"]
    assert done["sections"]["sweep_probabilities"] == first["sweep_probabilities"]


def _error_request(route: APIRoute) -> tuple[str, str, dict[str, Any]]:
    """A request to ``route`` that must fail: an unknown id or name, or a bad body."""
    path = route.path.replace("{name}", "no-such-scenario").replace("{run_id}", "999")
    path = path.replace("{version}", "99")
    if "POST" in route.methods:
        return "POST", path, {"json": {"unexpected": True}}
    if path == route.path:  # no parameter to get wrong: a method the route does not allow
        return "DELETE", path, {}
    return "GET", path, {}


def test_every_route_answers_errors_as_problem_details(sqlite_client: TestClient) -> None:
    routes = [r for r in (*api.router.routes, *pages.router.routes) if isinstance(r, APIRoute)]
    assert len(routes) > 35
    for route in routes:
        method, path, kwargs = _error_request(route)
        r = sqlite_client.request(method, path, **kwargs)
        assert r.status_code in (404, 405, 422), (route.path, r.status_code, r.text[:200])
        _problem(r, r.status_code)
        html = sqlite_client.request(method, path, headers=HTML, **kwargs)
        if not path.startswith("/api"):
            assert html.headers["content-type"].startswith("text/html")
            assert html.status_code == r.status_code


def test_unexpected_failures_answer_problem_details(
    sqlite_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sqlite_client.app.state.wb, "lines", boom)  # type: ignore[attr-defined]
    body = _problem(sqlite_client.get("/api/scenarios"), 500)
    assert "disk on fire" not in body["detail"]


def test_request_bodies_are_bounded(tmp_path: Any) -> None:
    from peaceops.web import Settings, create_app

    app = create_app(Settings(db=f"{tmp_path}/s.db", max_body=1000))
    with TestClient(app) as c:
        _problem(c.post("/api/scenarios", json={"text": "x" * 5000}), 413)

        def chunks() -> Any:
            for _ in range(10):
                yield b"x" * 500

        _problem(c.post("/api/scenarios", content=chunks()), 413)


def test_writes_need_the_token_when_one_is_set(tmp_path: Any) -> None:
    from peaceops.web import Settings, create_app

    app = create_app(Settings(db=f"{tmp_path}/s.db", token="s3cret"))
    body = {"text": template_text(), "note": "x"}
    with TestClient(app) as c:
        assert c.get("/api/scenarios").status_code == 200  # reads stay open
        _problem(c.post("/api/scenarios", json=body), 401)
        _problem(c.post("/api/scenarios", json=body, headers={"authorization": "Bearer no"}), 401)
        ok = c.post("/api/scenarios", json=body, headers={"authorization": "Bearer s3cret"})
        assert ok.status_code == 201
        c.get("/?token=s3cret")  # the browser's way: a cookie
        assert c.cookies.get("peaceops_token") == "s3cret"
        again = c.post("/api/scenarios", json={**body, "name": "demo2"})
        assert again.status_code == 201


def test_writes_from_another_origin_are_refused(sqlite_client: TestClient) -> None:
    r = sqlite_client.post(
        "/api/scenarios", json={"text": template_text()}, headers={"origin": "http://evil.test"}
    )
    _problem(r, 403)


def test_names_are_never_paths(sqlite_client: TestClient) -> None:
    r = sqlite_client.post("/api/scenarios", json={"text": template_text(), "name": "../../etc"})
    assert _problem(r, 422)["errors"][0]["path"] == "name"
    assert sqlite_client.get("/api/scenarios/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_reads_never_write(client: TestClient, store_url: str) -> None:
    engine = create_engine(store_url if "://" in store_url else f"sqlite:///{store_url}")

    def counts() -> list[int]:
        with engine.connect() as conn:
            return [
                conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in tables.metadata.sorted_tables
            ]

    try:
        before = counts()
        for url in ("/", f"/scenarios/{UKR}/options", "/sweeps", "/runs", "/docs"):
            client.get(url, headers=HTML)
        for url in ("/api/scenarios", f"/api/scenarios/{UKR}", "/api/runs"):
            client.get(url)
        assert counts() == before
    finally:
        engine.dispose()
