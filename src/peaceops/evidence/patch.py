"""From candidates to a reviewable YAML patch, and from an accepted patch to a new scenario.

:func:`build_patch` turns each candidate of an actor in the scenario into one proposed change
with its quote, locator, confidence and an ``accept`` field the analyst edits:

===================  =====================================================================
``set_stance``       a stance, or an existing one shifted 15 points (8 when hedged) towards
                     the statement's direction, its uncertainty widened to cover both
``add_pledge``       a new pledge (land, air or maritime by the words used; units from a
                     number of troops when given), with the conditions recognised
``set_conditions``   a known offer restated with new conditions: the conditions added
``withdraw_pledges`` an actor says it will not send what it pledged: its pledges dropped
``add_red_line``     a red line: ``no_troops`` from a group, ``requires_authorisation`` or
                     an issue bound, chosen from the issue and direction
``add_event``        an event dated at the article's date
===================  =====================================================================

Statements by actors not in the scenario are listed under ``not_in_scenario`` with nothing
proposed. :func:`apply_patch_text` validates the patch and the resulting scenario and returns
its YAML text; writing it is the caller's job (the CLI writes atomically, never over a file).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any

import yaml

from peaceops.errors import Problem, ScenarioError
from peaceops.evidence.classify import Candidate
from peaceops.scenario.documents import format_path, read_document
from peaceops.scenario.load import parse_scenario
from peaceops.scenario.model import Scenario

__all__ = ["apply_patch_text", "build_patch", "dump_yaml", "source_entry"]

_STEP, _STEP_HEDGED, _WIDEN = 15.0, 8.0, 10.0
_ACCEPT_FROM = 0.6


def source_entry(
    scenario: Scenario,
    *,
    title: str,
    publisher: str,
    date: dt.date,
    url: str | None = None,
    kind: str = "news",
) -> dict[str, Any]:
    """A new ``sources`` entry with an id not yet used in ``scenario``."""
    slug = re.sub(r"[^a-z0-9]+", "-", publisher.lower()).strip("-")[:24] or "source"
    base = f"ev-{slug}-{date.isoformat()}"
    used = {s.id for s in scenario.sources}
    sid, k = base, 2
    while sid in used:
        sid, k = f"{base}-{k}", k + 1
    entry: dict[str, Any] = {
        "id": sid,
        "title": title,
        "publisher": publisher,
        "date": date.isoformat(),
        "kind": kind,
    }
    if url:
        entry["url"] = url
    entry["locator"] = "statements quoted in the accepted changes (paragraph p, sentence s)"
    return entry


def build_patch(
    scenario: Scenario,
    candidates: Sequence[Candidate],
    source: dict[str, Any],
    *,
    scenario_ref: str,
) -> dict[str, Any]:
    """The patch document (plain data; :func:`dump_yaml` writes it)."""
    proposed: list[dict[str, Any]] = []
    unknown: list[dict[str, Any]] = []
    for c in candidates:
        if not c.in_scenario:
            unknown.append(
                {"actor": c.actor, "name": c.actor_name, "locator": c.locator, "quote": c.quote}
            )
            continue
        change = _change(scenario, c, source)
        proposed.append(
            {
                "id": f"c{len(proposed) + 1}",
                "accept": c.confidence >= _ACCEPT_FROM,
                "actor": c.actor,
                "kind": c.kind,
                "issue": c.issue,
                "direction": c.direction,
                "polarity": c.polarity,
                "hedged": c.hedged,
                "speech": c.speech,
                "conditions": list(c.conditions),
                "confidence": c.confidence,
                "locator": c.locator,
                "quote": c.quote,
                "change": change,
            }
        )
    return {
        "evidence_patch": 1,
        "scenario": scenario.id,
        "scenario_file": scenario_ref,
        "source": source,
        "changes": proposed,
        "not_in_scenario": unknown,
    }


def _stance_change(scenario: Scenario, c: Candidate, sid: str) -> dict[str, Any]:
    assert c.issue is not None
    assert c.direction is not None
    old = scenario.stances.get(c.actor, {}).get(c.issue)
    sign = 1.0 if c.direction == 100 else -1.0
    if old is None:
        pos = 80.0 if c.direction == 100 else 20.0
        if c.hedged:
            pos = 60.0 if c.direction == 100 else 40.0
        return {
            "op": "set_stance",
            "actor": c.actor,
            "issue": c.issue,
            "position": pos,
            "salience": 0.5,
            "uncertainty": [max(0.0, pos - 20), min(100.0, pos + 20)],
            "sources": [sid],
        }
    step = _STEP_HEDGED if c.hedged else _STEP
    pos = min(100.0, max(0.0, old.position + sign * step))
    lo0, hi0 = (
        old.uncertainty.position
        if old.uncertainty and old.uncertainty.position
        else (old.position, old.position)
    )
    lo = max(0.0, min(lo0, pos, old.position) - _WIDEN)
    hi = min(100.0, max(hi0, pos, old.position) + _WIDEN)
    return {
        "op": "set_stance",
        "actor": c.actor,
        "issue": c.issue,
        "position": pos,
        "salience": old.salience,
        "uncertainty": [lo, hi],
        "sources": [*old.sources, sid],
        "was": {"position": old.position, "salience": old.salience},
    }


def _domain(text: str) -> str:
    low = text.lower()
    if re.search(r"\b(jets?|aircraft|air policing|air force|fighters?)\b", low):
        return "air"
    if re.search(r"\b(ships?|naval|navy|frigates?|minesweepers?|black sea)\b", low):
        return "maritime"
    return "land"


def _conditions(scenario: Scenario, c: Candidate) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    text = " ".join(c.conditions).lower()
    for ev in scenario.events:
        words = [w for w in re.findall(r"[a-z]+", ev.name.lower()) if len(w) > 4]
        if ev.id.lower() in text or any(w in text for w in words[:2]):
            out.append({"kind": "after_event", "event": ev.id})
    if re.search(r"\bun\b|u\.n\.|united nations|security council", text):
        venue = next((v.id for v in scenario.venues if "security council" in v.name.lower()), None)
        if venue is not None:
            out.append({"kind": "authorised_by", "venue": venue})
    for issue in scenario.issues:
        if issue.cues is None:
            continue
        if any(t.lower() in text for t in issue.cues.high if len(t) > 6):
            out.append({"kind": "issue_min", "issue": issue.id, "value": 50.0})
    if "parliament" in text:
        out.append({"kind": "approval", "body": "parliament", "probability": 0.5})
    unique = []
    for cond in out:
        if cond not in unique:
            unique.append(cond)
    return unique


def _change(scenario: Scenario, c: Candidate, source: dict[str, Any]) -> dict[str, Any]:
    sid = source["id"]
    if c.kind == "event":
        slug = re.sub(r"[^a-z0-9]+", "-", c.quote.lower())[:30].strip("-")
        used = {e.id for e in scenario.events}
        eid = f"ev-{slug}" if slug else "ev-event"
        return {
            "op": "add_event",
            "event": {
                "id": eid if eid not in used else f"{eid}-{c.locator.replace(' ', '')}",
                "name": c.quote[:120],
                "date": source["date"],
                "probability": 0.5 if c.hedged else 1.0,
                "sources": [sid],
            },
        }
    if c.kind == "red_line":
        return {"op": "add_red_line", "red_line": _red_line(scenario, c, sid)}
    # The classifier calls a statement a pledge only when it names forces (troops, ships,
    # taking part), so a pledge is an offer of units whatever issue its cue fell on; a cue
    # inside a condition ("only under a UN mandate") becomes a condition of the pledge.
    if c.kind == "pledge" and c.polarity == "positive":
        return _pledge(scenario, c, sid)
    if c.kind == "pledge" and c.polarity == "negative":
        ids = [p.id for p in scenario.pledges if p.actor == c.actor]
        domain = _domain(c.quote)
        caps = {k.id: k.domain.value for k in scenario.capabilities}
        ids = [i for i in ids if caps.get(scenario_pledge(scenario, i)) == domain]
        if ids:
            return {"op": "withdraw_pledges", "actor": c.actor, "pledges": ids}
    return _stance_change(scenario, c, sid)


def scenario_pledge(scenario: Scenario, pledge_id: str) -> str:
    return next(p.capability for p in scenario.pledges if p.id == pledge_id)


def _pledge(scenario: Scenario, c: Candidate, sid: str) -> dict[str, Any]:
    domain = _domain(c.quote)
    caps = [k for k in scenario.capabilities if k.domain.value == domain] or list(
        scenario.capabilities
    )
    if not caps:
        return _stance_change(scenario, c, sid)
    conditions = _conditions(scenario, c)
    in_domain = {k.id for k in caps}
    existing = [p for p in scenario.pledges if p.actor == c.actor and p.capability in in_domain]
    if existing and conditions and c.quantity is None:
        # a known offer restated with conditions: change its conditions, not a second pledge
        old = existing[0]
        merged = [x.model_dump(mode="json") for x in old.conditions]
        added = [x for x in conditions if x not in merged]
        if added:
            return {
                "op": "set_conditions",
                "pledge": old.id,
                "conditions": merged + added,
                "sources": [*old.sources, sid],
            }
    cap = max(caps, key=lambda k: k.personnel)
    high = max(1, math.ceil(c.quantity / cap.personnel)) if c.quantity and cap.personnel else 1
    low = 0 if c.hedged else high
    used = {p.id for p in scenario.pledges}
    pid, k = f"{c.actor.lower()}-ev-{domain}", 2
    while pid in used:
        pid, k = f"{c.actor.lower()}-ev-{domain}-{k}", k + 1
    return {
        "op": "add_pledge",
        "pledge": {
            "id": pid,
            "actor": c.actor,
            "capability": cap.id,
            "quantity": {"low": low, "high": high},
            "conditions": conditions,
            "sources": [sid],
        },
    }


def _red_line(scenario: Scenario, c: Candidate, sid: str) -> dict[str, Any]:
    groups = {g.id for g in scenario.groups}
    rule: dict[str, Any]
    unsc = next((v.id for v in scenario.venues if "security council" in v.name.lower()), None)
    if c.issue == "nato_share" and "NATO" in groups:
        rule = {"kind": "no_troops", "from_group": "NATO", "where": "host_territory"}
    elif c.issue == "un_authorisation" and c.direction == 100 and unsc is not None:
        rule = {"kind": "requires_authorisation", "venue": unsc}
    elif c.direction == 100:
        rule = {"kind": "issue_min", "issue": c.issue, "value": 90.0}
    else:
        rule = {"kind": "issue_max", "issue": c.issue, "value": 10.0}
    used = {r.id for r in scenario.red_lines}
    rid, k = f"{c.actor.lower()}-ev-{c.issue}", 2
    while rid in used:
        rid, k = f"{c.actor.lower()}-ev-{c.issue}-{k}", k + 1
    return {
        "id": rid,
        "actor": c.actor,
        "description": c.quote[:300],
        "rule": rule,
        "sources": [sid],
    }


def dump_yaml(data: Any) -> str:
    """YAML text of plain data, keys in the given order, lines of at most 80 characters."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=64)


_OPS = (
    "set_stance",
    "add_pledge",
    "set_conditions",
    "withdraw_pledges",
    "add_red_line",
    "add_event",
)


def apply_patch_text(
    scenario_text: str,
    patch_text: str,
    *,
    scenario_file: str,
    patch_file: str,
    only: Sequence[str] | None = None,
) -> tuple[str, list[str]]:
    """Apply the accepted changes of a patch to a scenario; return (new YAML, applied ids).

    ``only`` restricts to these change ids (whatever their ``accept`` field says).

    Raises
    ------
    ScenarioError
        For a malformed patch (with line and path), unknown ids in ``only``, or a resulting
        scenario that does not validate.
    """
    doc = read_document(patch_text, file=patch_file)
    if doc.problems:
        raise ScenarioError(doc.problems)
    data = doc.data
    problems: list[Problem] = []

    def bad(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(patch_file, doc.line_of(loc), format_path(loc, data), message))

    if not isinstance(data, dict) or data.get("evidence_patch") != 1:
        raise ScenarioError(
            [Problem(patch_file, 1, "", "not an evidence patch (written by peaceops extract)")]
        )
    base = parse_scenario(scenario_text, file=scenario_file)
    if data.get("scenario") != base.id:
        bad(("scenario",), f"the patch is for {data.get('scenario')!r}, not {base.id!r}")
    changes = data.get("changes") or []
    if not isinstance(changes, list):
        bad(("changes",), "expected a list of changes")
        changes = []
    ids = [ch.get("id") for ch in changes if isinstance(ch, dict)]
    for want in only or ():
        if want not in ids:
            bad(("changes",), f"no change with id {want!r} (ids: {', '.join(map(str, ids))})")
    for i, ch in enumerate(changes):
        if not isinstance(ch, dict):
            bad(("changes", i), "expected a mapping")
            continue
        if not isinstance(ch.get("accept"), bool):
            bad(("changes", i, "accept"), f"expected true or false, got {ch.get('accept')!r}")
        op = (ch.get("change") or {}).get("op") if isinstance(ch.get("change"), dict) else None
        if op not in _OPS:
            bad(("changes", i, "change", "op"), f"{op!r} is not one of {', '.join(_OPS)}")
    if not isinstance(data.get("source"), dict):
        bad(("source",), "required mapping is missing")
    if problems:
        raise ScenarioError(problems)
    chosen = [ch for ch in changes if (ch["id"] in only if only else ch["accept"] is True)]
    scen = yaml.safe_load(scenario_text)
    if chosen:
        sources = scen.setdefault("sources", [])
        if all(s.get("id") != data["source"]["id"] for s in sources):
            sources.append(data["source"])
    for ch in chosen:
        _apply_one(scen, ch["change"])
    text = dump_yaml(_plain(scen))
    parse_scenario(text, file=f"{scenario_file} + {patch_file}")
    return text, [str(ch["id"]) for ch in chosen]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _apply_one(scen: dict[str, Any], change: dict[str, Any]) -> None:
    op = change["op"]
    if op == "set_stance":
        stance = {
            "position": change["position"],
            "salience": change["salience"],
            "uncertainty": {"position": list(change["uncertainty"])},
            "sources": list(change["sources"]),
        }
        scen.setdefault("stances", {}).setdefault(change["actor"], {})[change["issue"]] = stance
    elif op == "add_pledge":
        scen.setdefault("pledges", []).append(change["pledge"])
    elif op == "set_conditions":
        for p in scen.get("pledges", []):
            if p.get("id") == change["pledge"]:
                p["conditions"] = list(change["conditions"])
                p["sources"] = list(change["sources"])
    elif op == "withdraw_pledges":
        drop = set(change["pledges"])
        scen["pledges"] = [p for p in scen.get("pledges", []) if p.get("id") not in drop]
    elif op == "add_red_line":
        scen.setdefault("red_lines", []).append(change["red_line"])
    elif op == "add_event":
        scen.setdefault("events", []).append(change["event"])
