"""Hypothesis strategies: valid format-2 scenarios of varied shapes.

Shapes vary in what the format lets an operation leave out or add: a host state or none; one to
four design dimensions, planned (with levels) or fixed by each mission, none of them a
guarantor-like dimension unless drawn; venues by group, by packaged reference list (the EU of
the scenario's date, silent members voting yes, constructive abstention) and by bloc actors;
conditional red lines (``when``/``unless``); threats at a location; pledges with and without a
location; events that change a pledge, a red line or a threat.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import strategies as st

#: Actor ids: EU members (so that the packaged EU list finds them), a bloc and an armed group.
STATES = ("FRA", "ITA", "DEU", "ESP", "GRC", "NLD")
LOCATIONS = ("host_territory", "at_sea", "neighbouring", "out_of_area")
SRC = ["s"]


def _scale() -> dict[str, str]:
    return {"0": "none", "50": "some", "100": "full"}


@st.composite
def scenario_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A format-2 scenario document (a ``dict``) that validates."""
    n_states = draw(st.integers(2, 5))
    states = list(STATES[:n_states])
    bloc = draw(st.booleans())
    actors = [
        {"id": a, "name": a, "kind": "state", "clout": {"value": 0.5, "sources": SRC}}
        for a in states
    ]
    for actor in actors[:2]:  # a group the coalition venue is defined by
        actor["groups"] = ["G"]
    if bloc:
        actors.append(
            {
                "id": "BLOC",
                "name": "A bloc",
                "kind": "bloc",
                "clout": {"value": 0.4, "sources": SRC},
            }
        )
    actors.append(
        {
            "id": "ARM",
            "name": "Armed group",
            "kind": "non_state",
            "clout": {"value": 0.3, "sources": SRC},
        }
    )
    ids = [a["id"] for a in actors]

    n_dims = draw(st.integers(1, 4))
    dims = []
    for k in range(n_dims):
        planned = draw(st.booleans())
        dim: dict[str, Any] = {
            "id": f"d{k}",
            "name": f"Dimension {k}",
            "scale": _scale(),
            "sources": SRC,
        }
        if planned:
            dim["levels"] = draw(
                st.lists(st.sampled_from([0, 25, 50, 100]), min_size=1, max_size=2, unique=True)
            )
        if draw(st.booleans()):
            dim["provided_by"] = [draw(st.sampled_from(states))]
        dims.append(dim)
    fixed = [d["id"] for d in dims if "levels" not in d]

    issues: list[dict[str, Any]] = [
        {
            "id": f"i_{d['id']}",
            "name": d["name"],
            "scale": _scale(),
            "status_quo": 0,
            "sources": SRC,
            "design": {"kind": "choice", "dimension": d["id"]},
        }
        for d in dims
    ]
    issues.append(
        {
            "id": "size",
            "name": "Personnel",
            "scale": _scale(),
            "status_quo": 0,
            "sources": SRC,
            "design": {"kind": "personnel", "full_scale": 2000},
        }
    )
    stances: dict[str, Any] = {}
    for a in ids:
        if draw(st.booleans()):
            issue = draw(st.sampled_from([i["id"] for i in issues]))
            stances[a] = {
                issue: {
                    "position": draw(st.sampled_from([0, 50, 100])),
                    "salience": draw(st.sampled_from([0.2, 0.8])),
                    "sources": SRC,
                }
            }

    capabilities = [
        {
            "id": "INF",
            "name": "Infantry",
            "domain": "land",
            "unit": "battalion",
            "personnel": 500,
            "sources": SRC,
        },
        {
            "id": "SHIP",
            "name": "Frigate",
            "domain": "maritime",
            "unit": "ship",
            "personnel": 200,
            "sources": SRC,
        },
        {
            "id": "ISR",
            "name": "Surveillance",
            "domain": "ISR",
            "unit": "det.",
            "personnel": 40,
            "sources": SRC,
        },
    ]
    req_locations = {
        "INF": draw(st.sampled_from(LOCATIONS)),
        "SHIP": "at_sea",
        "ISR": draw(st.sampled_from(LOCATIONS)),
    }
    pledges = []
    for j in range(draw(st.integers(1, 4))):
        cap = draw(st.sampled_from(["INF", "SHIP", "ISR"]))
        pledge: dict[str, Any] = {
            "id": f"p{j}",
            "actor": draw(st.sampled_from(states)),
            "capability": cap,
            "quantity": {"low": draw(st.integers(0, 2)), "high": 2},
            "sources": SRC,
        }
        if draw(st.booleans()):
            pledge["location"] = req_locations[cap]
        if draw(st.booleans()):
            pledge["conditions"] = [
                {"kind": "max_threat", "probability": draw(st.sampled_from([0.3, 0.9]))}
            ]
        pledges.append(pledge)

    venues: list[dict[str, Any]] = [
        {
            "id": "COAL",
            "name": "Coalition",
            "rule": {"kind": "opt_in"},
            "members": {"groups": ["G"]},
            "sources": SRC,
        }
    ]
    if draw(st.booleans()):
        venues.append(
            {
                "id": "UNION",
                "name": "Union council",
                "rule": {"kind": "unanimity"},
                "members": {"lists": ["EU"]},
                "abstention": "constructive",
                "abstainers": {"actors": [states[-1]]},
                "silent_vote": "yes",
                "sources": SRC,
            }
        )
    if bloc:
        venues.append(
            {
                "id": "BLOCV",
                "name": "Bloc body",
                "rule": {"kind": "consent"},
                "members": {"actors": ["BLOC", states[0]]},
                "sources": SRC,
            }
        )
    routes = [v["id"] for v in venues]

    red_lines = []
    if draw(st.booleans()):
        red: dict[str, Any] = {
            "id": "r0",
            "actor": states[0],
            "description": "Own troops only under the union or the bloc.",
            "rule": {"kind": "no_troops", "from_actors": [states[0]], "where": "anywhere"},
            "sources": SRC,
        }
        key = draw(st.sampled_from(["when", "unless"]))
        red[key] = {"kind": "authorised_by", "venue": draw(st.sampled_from(routes))}
        red_lines.append(red)
    if draw(st.booleans()):
        red_lines.append(
            {
                "id": "r1",
                "actor": "ARM",
                "description": "Bounded dimension.",
                "rule": {"kind": "issue_max", "issue": issues[0]["id"], "value": 50},
                "when": {"kind": "issue_min", "issue": issues[0]["id"], "value": 25},
                "sources": SRC,
            }
        )

    threats = []
    if draw(st.booleans()):
        threats.append(
            {
                "id": "t0",
                "actor": "ARM",
                "description": "Stated intent to attack the force.",
                "probability": draw(st.sampled_from([0.1, 0.5, 0.9])),
                "range": [0.05, 0.95],
                "locations": [draw(st.sampled_from(LOCATIONS))],
                "sources": SRC,
            }
        )
    events: list[dict[str, Any]] = []
    if draw(st.booleans()):
        changes: list[dict[str, Any]] = [{"pledge": "p0", "quantity": 2}]
        if red_lines:
            changes.append({"red_line": red_lines[0]["id"], "active": False})
        if threats:
            changes.append({"threat": "t0", "probability": 0.05})
        events.append(
            {"id": "e0", "name": "Event", "probability": 0.6, "changes": changes, "sources": SRC}
        )

    missions = []
    for m in range(draw(st.integers(1, 2))):
        caps = draw(
            st.lists(st.sampled_from(["INF", "SHIP", "ISR"]), min_size=1, max_size=3, unique=True)
        )
        missions.append(
            {
                "id": f"m{m}",
                "name": f"Mission {m}",
                "route": draw(st.sampled_from(routes)),
                "choices": {d: draw(st.sampled_from([0, 50, 100])) for d in fixed},
                "requirements": [
                    {
                        "capability": c,
                        "count": draw(st.integers(1, 3)),
                        "location": req_locations[c],
                    }
                    for c in caps
                ],
                "sources": SRC,
            }
        )

    planning: dict[str, Any] = {"routes": routes}
    if draw(st.booleans()):
        planning["host"] = states[1]
    if draw(st.booleans()):
        planning["adversary"] = "ARM"
    return {
        "format_version": 2,
        "id": "generated",
        "name": "Generated scenario",
        "as_of": "2024-02-21",
        "time": {"start": "2024-02-21", "horizon_rounds": 4},
        "sources": [
            {
                "id": "s",
                "title": "Generated",
                "publisher": "tests",
                "date": "2024-01-01",
                "kind": "judgement",
                "rationale": "Drawn by a property-based test.",
            }
        ],
        "groups": [{"id": "G", "name": "Coalition group", "sources": SRC}],
        "actors": actors,
        "issues": issues,
        "stances": stances,
        "dimensions": dims,
        "capabilities": capabilities,
        "pledges": pledges,
        "red_lines": red_lines,
        "threats": threats,
        "venues": venues,
        "events": events,
        "missions": missions,
        "planning": planning,
    }


def scenario_texts() -> st.SearchStrategy[str]:
    """:func:`scenario_documents` as YAML text."""
    return scenario_documents().map(lambda d: yaml.safe_dump(d, sort_keys=False))
