"""Whole-file checks of a scenario: unique ids, references, citations and impossible conditions.

These run on the raw document (not on the typed models), so they still report everything they
can when some items are malformed: an item whose shape is wrong is checked as far as it goes, and
the type errors themselves come from the model validation. Each finding is a ``(loc, message)``
pair; the loader turns it into a :class:`~peaceops.errors.Problem` with file and line.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from peaceops.scenario._yaml import Loc

__all__ = ["reference_problems"]

Finding = tuple[Loc, str]

_ID_LISTS = (
    "sources",
    "groups",
    "actors",
    "issues",
    "capabilities",
    "pledges",
    "red_lines",
    "venues",
    "events",
    "missions",
    "dimensions",
    "threats",
)


class _Index:
    """The ids defined in each list of the document."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.ids: dict[str, set[str]] = {}
        for name in _ID_LISTS:
            items = doc.get(name)
            self.ids[name] = {
                it["id"]
                for it in (items if isinstance(items, list) else [])
                if isinstance(it, dict) and isinstance(it.get("id"), str)
            }
        self.judgement_sources = {
            it["id"]
            for it in _items(doc, "sources")
            if it.get("kind") == "judgement" and isinstance(it.get("id"), str)
        }

    def ref(self, kind: str, value: Any, loc: Loc, what: str) -> Iterator[Finding]:
        if isinstance(value, str) and value not in self.ids[kind]:
            yield loc, f"unknown {what} {value!r}: define it under {kind}"


def reference_problems(doc: Any) -> list[Finding]:
    """Every cross-reference problem in the raw document ``doc``.

    Examples
    --------
    A stance by an actor the document does not define, and a pledge of an unknown capability:

    >>> doc = {"actors": [{"id": "A"}], "stances": {"B": {}},
    ...    "pledges": [{"id": "p", "actor": "A", "capability": "TANK"}]}
    >>> for loc, message in reference_problems(doc): print(loc, message)
    ('stances', 'B') unknown actor 'B': define it under actors
    ('pledges', 0, 'capability') unknown capability 'TANK': define it under capabilities
    """
    if not isinstance(doc, dict):
        return []
    idx = _Index(doc)
    found: list[Finding] = []
    for check in _CHECKS:
        found.extend(check(idx))
    return found


def _items(doc: dict[str, Any], name: str) -> Iterator[dict[str, Any]]:
    items = doc.get(name)
    if isinstance(items, list):
        for it in items:
            if isinstance(it, dict):
                yield it


def _enumerate(doc: dict[str, Any], name: str) -> Iterator[tuple[Loc, dict[str, Any]]]:
    items = doc.get(name)
    if isinstance(items, list):
        for i, it in enumerate(items):
            if isinstance(it, dict):
                yield (name, i), it


def _in(value: Any, ids: set[str]) -> bool:
    """``value`` is one of ``ids`` (a value of the wrong type, such as a list, is not)."""
    return isinstance(value, str) and value in ids


def _list(value: Any) -> list[Any]:
    """``value`` if it is a list, else nothing (its type error comes from the model)."""
    return value if isinstance(value, list) else []


def _str_list(value: Any) -> list[tuple[int, str]]:
    if isinstance(value, list):
        return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]
    return []


def _duplicates(idx: _Index) -> Iterator[Finding]:
    for name in _ID_LISTS:
        seen: dict[str, int] = {}
        for loc, item in _enumerate(idx.doc, name):
            key = item.get("id")
            if not isinstance(key, str):
                continue
            if key in seen:
                yield (*loc, "id"), f"duplicate id {key!r} (also {name}[{seen[key]}])"
            else:
                seen[key] = int(loc[1])


def _citations(idx: _Index) -> Iterator[Finding]:
    """Every ``sources`` list names defined sources; judgement sources give a rationale."""
    for loc, item in _enumerate(idx.doc, "sources"):
        if item.get("kind") == "judgement" and not item.get("rationale"):
            yield (*loc, "rationale"), "a judgement source needs a one-line rationale"
    for loc, value in _walk(idx.doc, ()):
        if loc and loc[-1] == "sources" and loc != ("sources",):
            for i, ref in _str_list(value):
                yield from idx.ref("sources", ref, (*loc, i), "source")


def _walk(node: Any, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    yield loc, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, (*loc, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*loc, i))


def _actors(idx: _Index) -> Iterator[Finding]:
    for loc, actor in _enumerate(idx.doc, "actors"):
        for i, g in _str_list(actor.get("groups")):
            yield from idx.ref("groups", g, (*loc, "groups", i), "group")
        clout = actor.get("clout")
        if isinstance(clout, dict):
            yield from _value_in_range(clout.get("value"), clout.get("range"), (*loc, "clout"))


def _value_in_range(value: Any, bounds: Any, loc: Loc) -> Iterator[Finding]:
    if (
        isinstance(value, int | float)
        and isinstance(bounds, list)
        and len(bounds) == 2
        and all(isinstance(b, int | float) for b in bounds)
        and not bounds[0] <= value <= bounds[1]
    ):
        yield (*loc, "range"), f"value {value} lies outside its own range {bounds}"


def _issues(idx: _Index) -> Iterator[Finding]:
    for loc, issue in _enumerate(idx.doc, "issues"):
        design = issue.get("design")
        if not isinstance(design, dict):
            continue
        if design.get("kind") == "group_share":
            yield from idx.ref("groups", design.get("group"), (*loc, "design", "group"), "group")
        if design.get("kind") == "route" and isinstance(design.get("values"), dict):
            for venue in design["values"]:
                yield from idx.ref("venues", venue, (*loc, "design", "values", venue), "venue")
        if design.get("kind") == "personnel":
            for i, d in _str_list(design.get("domains")):
                if d not in _domains():
                    yield (*loc, "design", "domains", i), f"unknown domain {d!r}"


def _domains() -> frozenset[str]:
    from peaceops.scenario.model import DOMAINS

    return frozenset(DOMAINS)


def _stances(idx: _Index) -> Iterator[Finding]:
    stances = idx.doc.get("stances")
    if not isinstance(stances, dict):
        return
    for actor, by_issue in stances.items():
        yield from idx.ref("actors", actor, ("stances", actor), "actor")
        if not isinstance(by_issue, dict):
            continue
        for issue, stance in by_issue.items():
            yield from idx.ref("issues", issue, ("stances", actor, issue), "issue")
            if isinstance(stance, dict) and isinstance(stance.get("uncertainty"), dict):
                unc = stance["uncertainty"]
                here = ("stances", actor, issue, "uncertainty")
                for field in ("position", "salience"):
                    for f_loc, msg in _value_in_range(stance.get(field), unc.get(field), here):
                        yield (*f_loc[:-1], field), msg


def _pledges(idx: _Index) -> Iterator[Finding]:
    for loc, pledge in _enumerate(idx.doc, "pledges"):
        yield from idx.ref("actors", pledge.get("actor"), (*loc, "actor"), "actor")
        yield from idx.ref(
            "capabilities", pledge.get("capability"), (*loc, "capability"), "capability"
        )
        qty = pledge.get("quantity")
        if isinstance(qty, dict):
            low, high = qty.get("low"), qty.get("high")
            if isinstance(low, int) and isinstance(high, int) and low > high:
                yield (*loc, "quantity"), f"low {low} is above high {high}"
        yield from _conditions(idx, pledge, loc)


def _conditions(idx: _Index, pledge: dict[str, Any], loc: Loc) -> Iterator[Finding]:
    conds = pledge.get("conditions")
    if not isinstance(conds, list):
        return
    lows: dict[str, float] = {}
    highs: dict[str, float] = {}
    venues: list[str] = []
    for i, cond in enumerate(conds):
        if not isinstance(cond, dict):
            continue
        here = (*loc, "conditions", i)
        kind = cond.get("kind")
        if kind in ("issue_min", "issue_max"):
            issue = cond.get("issue")
            yield from idx.ref("issues", issue, (*here, "issue"), "issue")
            value = cond.get("value")
            if isinstance(issue, str) and isinstance(value, int | float):
                bound = lows if kind == "issue_min" else highs
                pick = max if kind == "issue_min" else min
                bound[issue] = pick(bound.get(issue, value), value)
                if issue in lows and issue in highs and lows[issue] > highs[issue]:
                    yield (
                        here,
                        (
                            f"impossible: {issue!r} must be at least {lows[issue]:g} "
                            f"and at most {highs[issue]:g}"
                        ),
                    )
        elif kind == "authorised_by":
            venue = cond.get("venue")
            yield from idx.ref("venues", venue, (*here, "venue"), "venue")
            if isinstance(venue, str):
                if venues and venue not in venues:
                    yield (
                        here,
                        (
                            f"impossible: a design takes one route, but this pledge needs both "
                            f"{venues[0]!r} and {venue!r}"
                        ),
                    )
                venues.append(venue)
        elif kind == "after_event":
            yield from idx.ref("events", cond.get("event"), (*here, "event"), "event")
        elif kind == "requires_participation":
            other = cond.get("actor")
            yield from idx.ref("actors", other, (*here, "actor"), "actor")
            if isinstance(other, str) and other == pledge.get("actor"):
                yield (*here, "actor"), "a pledge cannot require its own actor's participation"
        elif kind == "approval" and cond.get("probability") == 0:
            yield (*here, "probability"), "impossible: probability 0 means the pledge never holds"
        if kind == "approval":
            yield from _dated_vote(idx, cond, here)


def _dated_vote(idx: _Index, cond: dict[str, Any], loc: Loc) -> Iterator[Finding]:
    date, as_of, p = cond.get("date"), _as_of(idx), cond.get("probability")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            return
    if isinstance(date, dt.date) and as_of is not None and date <= as_of and p not in (0, 1):
        yield (
            (*loc, "probability"),
            (
                f"the vote of {date.isoformat()} is on or before as_of {as_of.isoformat()}: "
                "its outcome is known, so the probability must be 0 or 1"
            ),
        )


def _red_lines(idx: _Index) -> Iterator[Finding]:
    for loc, red in _enumerate(idx.doc, "red_lines"):
        yield from idx.ref("actors", red.get("actor"), (*loc, "actor"), "actor")
        rule = red.get("rule")
        if not isinstance(rule, dict):
            continue
        here = (*loc, "rule")
        kind = rule.get("kind")
        if kind == "no_troops":
            yield from idx.ref("groups", rule.get("from_group"), (*here, "from_group"), "group")
            for i, a in _str_list(rule.get("from_actors")):
                yield from idx.ref("actors", a, (*here, "from_actors", i), "actor")
            if not rule.get("from_group") and not rule.get("from_actors"):
                yield here, "a no_troops red line needs from_group or from_actors"
        elif kind in ("issue_min", "issue_max"):
            yield from idx.ref("issues", rule.get("issue"), (*here, "issue"), "issue")
        elif kind == "requires_authorisation":
            yield from idx.ref("venues", rule.get("venue"), (*here, "venue"), "venue")
        for key in ("when", "unless"):
            cond = red.get(key)
            if isinstance(cond, dict):
                yield from _condition_refs(idx, cond, (*loc, key))


def _condition_refs(idx: _Index, cond: dict[str, Any], loc: Loc) -> Iterator[Finding]:
    kind = cond.get("kind")
    if kind in ("issue_min", "issue_max"):
        yield from idx.ref("issues", cond.get("issue"), (*loc, "issue"), "issue")
    elif kind == "authorised_by":
        yield from idx.ref("venues", cond.get("venue"), (*loc, "venue"), "venue")
    elif kind == "after_event":
        yield from idx.ref("events", cond.get("event"), (*loc, "event"), "event")


def _members_refs(idx: _Index, members: Any, loc: Loc) -> Iterator[Finding]:
    if not isinstance(members, dict):
        return
    for field, kind, what in (
        ("groups", "groups", "group"),
        ("actors", "actors", "actor"),
        ("exclude", "actors", "actor"),
    ):
        for i, ref in _str_list(members.get(field)):
            yield from idx.ref(kind, ref, (*loc, field, i), what)
    for i, name in _str_list(members.get("lists")):
        yield from _list_ref(idx, name, (*loc, "lists", i))


def _list_ref(idx: _Index, name: str, loc: Loc) -> Iterator[Finding]:
    from peaceops.scenario.memberships import list_names, members_on

    if name not in list_names():
        yield loc, f"unknown membership list {name!r} (packaged: {', '.join(list_names())})"
        return
    date = _as_of(idx)
    if date is not None and not members_on(name, date):
        yield loc, f"the packaged list {name!r} has no members on {date.isoformat()}"


def _as_of(idx: _Index) -> dt.date | None:
    value = idx.doc.get("as_of")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _resolve(idx: _Index, members: Any) -> set[str]:
    if not isinstance(members, dict):
        return set()
    groups = {g for _, g in _str_list(members.get("groups"))}
    chosen = {
        a["id"]
        for a in _items(idx.doc, "actors")
        if isinstance(a.get("id"), str) and groups & {g for _, g in _str_list(a.get("groups"))}
    }
    chosen |= {a for _, a in _str_list(members.get("actors"))}
    chosen |= _listed(idx, members)
    return chosen - {a for _, a in _str_list(members.get("exclude"))}


def _listed(idx: _Index, members: dict[str, Any]) -> set[str]:
    """Members from packaged lists (actors or not) on the scenario's date."""
    from peaceops.scenario.memberships import list_names, members_on

    date = _as_of(idx)
    if date is None:
        return set()
    return {
        m
        for _, name in _str_list(members.get("lists"))
        if name in list_names()
        for m in members_on(name, date)
    }


def _venues(idx: _Index) -> Iterator[Finding]:
    actors = {a["id"]: a for a in _items(idx.doc, "actors") if isinstance(a.get("id"), str)}
    for loc, venue in _enumerate(idx.doc, "venues"):
        yield from _members_refs(idx, venue.get("members"), (*loc, "members"))
        members = _resolve(idx, venue.get("members"))
        if isinstance(venue.get("members"), dict) and not members:
            yield (*loc, "members"), "the venue has no members"
        rule = venue.get("rule")
        if not isinstance(rule, dict):
            continue
        here = (*loc, "rule")
        kind = rule.get("kind")
        if kind in ("count_quota", "weighted"):
            yield from _members_refs(idx, rule.get("vetoes"), (*here, "vetoes"))
            outside = sorted(_resolve(idx, rule.get("vetoes")) - members)
            if outside and members:
                yield (*here, "vetoes"), f"veto players {outside} are not members of the venue"
        quota = rule.get("quota")
        if kind == "count_quota" and isinstance(quota, int) and members and quota > len(members):
            yield (*here, "quota"), f"impossible: quota {quota} exceeds the {len(members)} members"
        if kind == "weighted" and isinstance(rule.get("weights"), dict):
            for actor in rule["weights"]:
                if actor not in members:
                    yield (*here, "weights", actor), f"{actor!r} has a weight but is not a member"
            weights = [rule["weights"].get(a, 1.0) for a in members]
            numeric = [w for w in weights if isinstance(w, int | float)]
            total = sum(numeric) if len(numeric) == len(weights) else float("inf")
            if isinstance(quota, int | float) and members and quota > total:
                yield (
                    (*here, "quota"),
                    f"impossible: quota {quota:g} exceeds total weight {total:g}",
                )
        if kind == "multi_quota":
            for i, crit in enumerate(_list(rule.get("criteria"))):
                weight = crit.get("weight") if isinstance(crit, dict) else None
                if weight in ("population", "gdp_usd"):
                    lacking = sorted(
                        a for a in members if not isinstance(actors.get(a, {}).get(weight), dict)
                    )
                    if lacking:
                        yield (
                            (*here, "criteria", i, "weight"),
                            (
                                f"weight by {weight} needs a {weight} figure for every member; "
                                f"missing for {lacking}"
                            ),
                        )
            mb = rule.get("min_blocking")
            if isinstance(mb, int) and members and mb > len(members):
                yield (
                    (*here, "min_blocking"),
                    (f"impossible: min_blocking {mb} exceeds the {len(members)} members"),
                )
        if kind == "opt_in":
            mm = rule.get("min_members", 1)
            if isinstance(mm, int) and members and mm > len(members):
                yield (
                    (*here, "min_members"),
                    (f"impossible: min_members {mm} exceeds the {len(members)} members"),
                )


def _events(idx: _Index) -> Iterator[Finding]:
    for loc, event in _enumerate(idx.doc, "events"):
        for i, change in enumerate(_list(event.get("changes"))):
            if not isinstance(change, dict):
                continue
            here = (*loc, "changes", i)
            yield from idx.ref("actors", change.get("actor"), (*here, "actor"), "actor")
            yield from idx.ref("issues", change.get("issue"), (*here, "issue"), "issue")
            yield from _change_targets(idx, change, here)
            if change.get("issue") is None and (
                change.get("position") is not None or change.get("salience") is not None
            ):
                yield here, "a change of position or salience must name its issue"


_TARGETS = (
    ("pledge", "pledges", "pledge", ("quantity",)),
    ("red_line", "red_lines", "red line", ("active",)),
    ("threat", "threats", "threat", ("probability",)),
    ("event", "events", "event", ("probability",)),
)


def _change_targets(idx: _Index, change: dict[str, Any], loc: Loc) -> Iterator[Finding]:
    named = [key for key, *_ in _TARGETS if change.get(key) is not None]
    for key, kind, what, _ in _TARGETS:
        yield from idx.ref(kind, change.get(key), (*loc, key), what)
    if len(named) > 1:
        yield loc, f"a change names one target; split it ({', '.join(named)})"
    if change.get("actor") is None and not named:
        yield loc, "a change names an actor, pledge, red_line, threat or event"
    for key, _, _, values in _TARGETS:
        if key in named and not any(change.get(v) is not None for v in values):
            yield loc, f"a change of {key} gives its new {' or '.join(values)}"
    if change.get("probability") is not None and not {"threat", "event"} & set(named):
        yield (*loc, "probability"), "a new probability belongs to a threat or an event"
    if change.get("quantity") is not None and "pledge" not in named:
        yield (*loc, "quantity"), "a new quantity belongs to a pledge"
    if change.get("active") is not None and "red_line" not in named:
        yield (*loc, "active"), "active belongs to a red_line"


def _dimensions(idx: _Index) -> Iterator[Finding]:
    for loc, dim in _enumerate(idx.doc, "dimensions"):
        for i, a in _str_list(dim.get("provided_by")):
            yield from idx.ref("actors", a, (*loc, "provided_by", i), "actor")
    for loc, issue in _enumerate(idx.doc, "issues"):
        design = issue.get("design")
        if isinstance(design, dict) and design.get("kind") == "choice":
            here = (*loc, "design", "dimension")
            yield from idx.ref("dimensions", design.get("dimension"), here, "dimension")
    fixed = {
        d["id"]
        for d in _items(idx.doc, "dimensions")
        if isinstance(d.get("id"), str) and not d.get("levels")
    }
    for loc, mission in _enumerate(idx.doc, "missions"):
        choices = mission.get("choices")
        choices = choices if isinstance(choices, dict) else {}
        for key in choices:
            if key not in idx.ids["dimensions"]:
                yield (
                    (*loc, "choices", key),
                    f"unknown dimension {key!r}: define it under dimensions",
                )
            elif key not in fixed:
                yield (
                    (*loc, "choices", key),
                    f"dimension {key!r} has levels: the planner chooses it",
                )
        missing = sorted(fixed - set(choices))
        if missing:
            yield (*loc, "choices"), f"no value for dimension(s) {missing} (they have no levels)"


def _threats(idx: _Index) -> Iterator[Finding]:
    for loc, threat in _enumerate(idx.doc, "threats"):
        yield from idx.ref("actors", threat.get("actor"), (*loc, "actor"), "actor")
        yield from _value_in_range(threat.get("probability"), threat.get("range"), loc)


def _venue_votes(idx: _Index) -> Iterator[Finding]:
    actors = idx.ids["actors"]
    for loc, venue in _enumerate(idx.doc, "venues"):
        yield from _members_refs(idx, venue.get("abstainers"), (*loc, "abstainers"))
        members = venue.get("members")
        if not isinstance(members, dict):
            continue
        silent = _listed(idx, members) - actors - {a for _, a in _str_list(members.get("exclude"))}
        rule = venue.get("rule")
        kind = rule.get("kind") if isinstance(rule, dict) else None
        if not silent:
            continue
        if kind in ("weighted", "multi_quota"):
            yield (
                (*loc, "members", "lists"),
                f"a {kind} rule weighs every member: add {sorted(silent)} as actors",
            )
        vote = venue.get("silent_vote", "abstain")
        blocks = venue.get("abstention", "blocks") == "blocks"
        quota = rule.get("quota") if isinstance(rule, dict) else None
        voting = len(_resolve(idx, members) & actors) + (len(silent) if vote == "yes" else 0)
        if kind == "count_quota" and isinstance(quota, int) and quota > voting:
            yield (
                (*loc, "rule", "quota"),
                (
                    f"impossible: quota {quota} but only {voting} members can vote yes "
                    f"(members without a stance {vote}: silent_vote)"
                ),
            )
        if kind in ("unanimity", "consent") and (vote == "no" or (vote == "abstain" and blocks)):
            yield (
                (*loc, "silent_vote"),
                (
                    f"impossible: members without a stance ({len(silent)}) would block every "
                    "decision; give them stances, set silent_vote: yes or abstention: constructive"
                ),
            )


def _missions(idx: _Index) -> Iterator[Finding]:
    for loc, mission in _enumerate(idx.doc, "missions"):
        yield from idx.ref("venues", mission.get("route"), (*loc, "route"), "venue")
        for i, event in _str_list(mission.get("after_events")):
            yield from idx.ref("events", event, (*loc, "after_events", i), "event")
        seen: set[str] = set()
        for i, req in enumerate(_list(mission.get("requirements"))):
            if not isinstance(req, dict):
                continue
            cap = req.get("capability")
            here = (*loc, "requirements", i, "capability")
            yield from idx.ref("capabilities", cap, here, "capability")
            if isinstance(cap, str):
                if cap in seen:
                    yield here, f"capability {cap!r} is required twice: merge the counts"
                seen.add(cap)


def _planning(idx: _Index) -> Iterator[Finding]:
    planning = idx.doc.get("planning")
    if not isinstance(planning, dict):
        return
    for i, venue in _str_list(planning.get("routes")):
        yield from idx.ref("venues", venue, ("planning", "routes", i), "venue")
    for field in ("host", "adversary"):
        yield from idx.ref("actors", planning.get(field), ("planning", field), "actor")


def _deciders(idx: _Index) -> Iterator[Finding]:
    """Who decides an issue: known venue and actors, one way only, force issues mapped."""
    from peaceops.scenario.model import DECIDERS

    for loc, issue in _enumerate(idx.doc, "issues"):
        given = [k for k in DECIDERS if issue.get(k)]
        if len(given) > 1:
            yield (*loc, given[1]), f"give one of {', '.join(given)}, not several"
        yield from idx.ref("venues", issue.get("decided_in"), (*loc, "decided_in"), "venue")
        for i, a in _str_list(issue.get("decided_by")):
            yield from idx.ref("actors", a, (*loc, "decided_by", i), "actor")
        neg = issue.get("negotiated_by")
        lists: list[tuple[tuple[str, ...], Any]] = []
        if isinstance(neg, list):
            lists = [(("negotiated_by",), neg)]
        elif isinstance(neg, dict):
            lists = [(("negotiated_by", k), neg.get(k)) for k in ("parties", "mediators")]
        for here, names in lists:
            for i, a in _str_list(names):
                yield from idx.ref("actors", a, (*loc, *here, i), "actor")
        design = issue.get("design")
        kind = design.get("kind") if isinstance(design, dict) else None
        if issue.get("from_force") is True and kind not in ("personnel", "group_share"):
            yield (
                (*loc, "from_force"),
                "from_force needs a design of kind personnel or group_share to read the force",
            )


#: Largest count of units, people or members a scenario may give (planning stays exact).
MAX_COUNT = 1_000_000
#: Largest magnitude of any number (population and GDP figures fit; float sums stay exact enough).
MAX_NUMBER = 1e15
#: Longest forecast round and most rounds: a forecast stays within the calendar and in memory.
MAX_STEP_DAYS = 366
MAX_ROUNDS = 1_000
_COUNTS = frozenset(
    {"quantity", "low", "high", "personnel", "full_scale", "count", "min_blocking", "min_members"}
)


def _numbers(idx: _Index) -> Iterator[Finding]:
    """Every number finite and of a sensible size; counts at most :data:`MAX_COUNT`."""
    for loc, value in _walk(idx.doc, ()):
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            yield loc, f"expected a finite number, got {value!r}"
        elif abs(value) > MAX_NUMBER:
            yield loc, f"{_short(value)} is too large (the limit is {MAX_NUMBER:g})"
        elif value > MAX_COUNT and any(
            step in _COUNTS for step in loc[-2:] if isinstance(step, str)
        ):
            yield loc, f"{_short(value)} is too large for a count (the limit is {MAX_COUNT:,})"


def _short(value: float) -> str:
    if isinstance(value, int) and abs(value) >= 10**21:
        return f"a {len(str(abs(value)))}-digit number"
    return f"{value:g}"


def _time(idx: _Index) -> Iterator[Finding]:
    """Forecast rounds of a sensible length that stay within the calendar."""
    time = idx.doc.get("time")
    if not isinstance(time, dict):
        return
    step, rounds, start = (
        time.get("step_days", 7),
        time.get("horizon_rounds", 26),
        time.get("start"),
    )
    if isinstance(step, int) and step > MAX_STEP_DAYS:
        yield ("time", "step_days"), f"{step}: a round lasts at most {MAX_STEP_DAYS} days"
    if isinstance(rounds, int) and rounds > MAX_ROUNDS:
        yield ("time", "horizon_rounds"), f"{rounds}: at most {MAX_ROUNDS} rounds"
    if (
        isinstance(start, dt.date)
        and isinstance(step, int)
        and isinstance(rounds, int)
        and 0 < step <= MAX_STEP_DAYS
        and 0 < rounds <= MAX_ROUNDS
        and (dt.date.max - start).days < step * rounds
    ):
        yield ("time", "start"), "the forecast's last round falls after the year 9999"


def _clout(idx: _Index) -> Iterator[Finding]:
    """The forecast models weigh actors by clout: an actor with stances needs clout above 0."""
    stances = idx.doc.get("stances")
    with_stances = set(stances) if isinstance(stances, dict) else set()
    for loc, actor in _enumerate(idx.doc, "actors"):
        clout = actor.get("clout")
        if not _in(actor.get("id"), with_stances) or not isinstance(clout, dict):
            continue
        value, bounds = clout.get("value"), clout.get("range")
        if isinstance(value, int | float) and value <= 0:
            yield (
                (*loc, "clout", "value"),
                (f"{value!r}: an actor with stances needs clout above 0 (forecasts weigh by it)"),
            )
        low = bounds[0] if isinstance(bounds, list) and bounds else None
        if isinstance(low, int | float) and low <= 0:
            yield (
                (*loc, "clout", "range"),
                f"{bounds!r}: an actor with stances needs clout above 0 in the whole range",
            )
    for loc, event in _enumerate(idx.doc, "events"):
        for i, change in enumerate(_list(event.get("changes"))):
            if not isinstance(change, dict) or not _in(change.get("actor"), with_stances):
                continue
            value = change.get("clout")
            if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
                yield (
                    (*loc, "changes", i, "clout"),
                    (f"{value!r}: an actor with stances needs clout above 0"),
                )


_CHECKS = (
    _numbers,
    _time,
    _clout,
    _duplicates,
    _citations,
    _actors,
    _issues,
    _stances,
    _pledges,
    _red_lines,
    _venues,
    _events,
    _missions,
    _planning,
    _deciders,
    _dimensions,
    _threats,
    _venue_votes,
)
