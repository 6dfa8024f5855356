"""Migration of scenario documents from format 1 to format 2.

:func:`migrate_v1` is a pure function from a format-1 document (a plain ``dict`` as read from
YAML or JSON) to the equivalent format-2 document; the loader applies it automatically to any
document whose ``format_version`` is 1 or missing, and ``peaceops migrate FILE`` writes the
result. What changes (documented in ``docs/scenario-format.md``, section *Migration*):

- the design choices ``zone``, ``mandate``, ``timing`` and ``backstop`` become declared
  ``dimensions`` with those ids; a dimension's name, scale and sources are taken from the issue
  whose ``design`` map reads it (else a generic scale and the sources of the first mission that
  sets it, or of the first mission); ``{kind: choice, field: X}`` becomes
  ``{kind: choice, dimension: X}``,
  and ``planning.backstop_levels`` become the ``levels`` of ``backstop``;
- a mission's ``zone``, ``mandate`` and ``timing`` move under ``choices``;
- a requirement's ``in_host: true`` becomes ``location: host_territory`` and ``in_host: false``
  ``location: out_of_area``; in format 1 a mission with zone 0 kept every unit outside the host
  country, so its requirements become ``out_of_area`` too;
- a design map's ``in_host_only: true`` becomes ``locations: [host_territory]`` (``false``:
  all locations).

The result validates as format 2 and plans exactly as format 1 did.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["V1_CHOICES", "format_version", "migrate_v1", "v1_location"]

V1_CHOICES = ("zone", "mandate", "timing", "backstop")
"""The fixed design choices of format 1, in the order they become dimensions."""


def format_version(doc: Any) -> object:
    """The document's declared format version (1 when the key is absent).

    Examples
    --------
    >>> format_version({"format_version": 2}), format_version({"id": "old"})
    (2, 1)
    """
    if isinstance(doc, dict):
        return doc.get("format_version", 1)
    return None


def migrate_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """The format-2 equivalent of format-1 document ``doc`` (which is left unchanged).

    Malformed parts are carried over as they are, so that validation of the result reports
    them at the same place.

    >>> v1 = {"issues": [{"id": "z", "design": {"kind": "choice", "field": "zone"}}],
    ...       "missions": [{"id": "m", "zone": 0, "mandate": 10, "timing": 20,
    ...                     "requirements": [{"capability": "c", "count": 1}]}]}
    >>> v2 = migrate_v1(v1)
    >>> v2["missions"][0]["choices"], v2["missions"][0]["requirements"][0]["location"]
    ({'zone': 0, 'mandate': 10, 'timing': 20}, 'out_of_area')
    >>> [d["id"] for d in v2["dimensions"]], v2["issues"][0]["design"]
    (['zone', 'mandate', 'timing'], {'kind': 'choice', 'dimension': 'zone'})
    """
    out = copy.deepcopy(doc)
    out["format_version"] = 2
    used = _choice_issues(out)
    missions = [m for m in _list(out, "missions") if isinstance(m, dict)]
    planning = out.get("planning")
    levels = None
    if isinstance(planning, dict) and "backstop_levels" in planning:
        levels = planning.pop("backstop_levels")
    dims = []
    for name in V1_CHOICES:
        in_missions = name != "backstop" and any(name in m for m in missions)
        if name not in used and not in_missions and not (name == "backstop" and levels):
            continue
        dim = _dimension(name, used.get(name), levels if name == "backstop" else None)
        if "sources" not in dim:  # no issue reads it: cite the first mission that sets it
            cited = [m.get("sources") for m in missions if name in m and m.get("sources")]
            cited += [m.get("sources") for m in missions if m.get("sources")]
            if cited:
                dim["sources"] = cited[0]
        dims.append(dim)
    if dims:
        out["dimensions"] = dims
    for mission in missions:
        _mission(mission)
    for issue in _list(out, "issues"):
        design = issue.get("design") if isinstance(issue, dict) else None
        if isinstance(design, dict):
            _design_map(design)
    return out


def v1_location(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Where a field of the migrated document stands in the format-1 file (for line numbers).

    >>> v1_location(("missions", 0, "choices", "zone"))
    ('missions', 0, 'zone')
    >>> v1_location(("issues", 3, "design", "dimension"))
    ('issues', 3, 'design', 'field')
    """
    if len(loc) >= 4 and loc[0] == "missions" and loc[2] == "choices":
        return (*loc[:2], *loc[3:])
    if len(loc) >= 5 and loc[0] == "missions" and loc[2] == "requirements" and loc[4] == "location":
        return (*loc[:4], "in_host")
    if len(loc) >= 4 and loc[0] == "issues" and loc[2] == "design":
        renamed = {"dimension": "field", "locations": "in_host_only"}
        return (*loc[:3], renamed.get(str(loc[3]), loc[3]), *loc[4:])
    if loc[:1] == ("dimensions",) and len(loc) >= 3 and loc[2] == "levels":
        return ("planning", "backstop_levels", *loc[3:])
    return loc


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    value = doc.get(key)
    return value if isinstance(value, list) else []


def _choice_issues(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The first issue reading each format-1 choice, by choice name."""
    out: dict[str, dict[str, Any]] = {}
    for issue in _list(doc, "issues"):
        design = issue.get("design") if isinstance(issue, dict) else None
        if isinstance(design, dict) and design.get("kind") == "choice":
            field = design.get("field")
            if isinstance(field, str):
                out.setdefault(field, issue)
    return out


def _dimension(name: str, issue: dict[str, Any] | None, levels: Any) -> dict[str, Any]:
    dim: dict[str, Any] = {"id": name}
    if issue is not None:
        dim["name"] = issue.get("name", name)
        dim["scale"] = issue.get("scale")
        dim["sources"] = issue.get("sources")
    else:
        dim["name"] = f"{name} (format 1 design choice)"
        dim["scale"] = {
            "0": f"lowest {name}",
            "50": f"intermediate {name}",
            "100": f"highest {name}",
        }
        dim["sources"] = None
    if levels is not None:
        dim["levels"] = levels
    if dim["sources"] is None:
        del dim["sources"]
    return dim


def _mission(mission: dict[str, Any]) -> None:
    zone = mission.get("zone")
    choices = {k: mission.pop(k) for k in ("zone", "mandate", "timing") if k in mission}
    if choices:
        rest = list(mission.items())
        mission.clear()
        for key, value in rest:
            mission[key] = value
            if key == "route":
                mission["choices"] = choices
        mission.setdefault("choices", choices)
    outside = isinstance(zone, int | float) and not isinstance(zone, bool) and zone <= 0
    for req in mission.get("requirements") or []:
        if isinstance(req, dict) and ("in_host" in req or outside):
            in_host = req.pop("in_host", True)
            host = in_host is True and not outside
            req["location"] = "host_territory" if host else "out_of_area"
            if not isinstance(in_host, bool):
                req["location"] = in_host  # malformed: validation reports it here


def _design_map(design: dict[str, Any]) -> None:
    if design.get("kind") == "choice" and "field" in design:
        design["dimension"] = design.pop("field")
    if "in_host_only" in design:
        flag = design.pop("in_host_only")
        design["locations"] = ["host_territory"] if flag is True else [] if flag is False else flag
    elif design.get("kind") in ("personnel", "group_share"):
        design["locations"] = ["host_territory"]  # format 1's default
