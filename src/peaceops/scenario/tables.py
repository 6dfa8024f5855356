"""Flat tables of a scenario: rows (list of dicts) for the briefing, DataFrames for notebooks.

Each ``*_rows`` function returns plain rows; :func:`scenario_frames` turns them all into
pandas DataFrames keyed by table name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from peaceops.scenario.model import (
    AfterEvent,
    Approval,
    AuthorisedBy,
    Condition,
    CountQuota,
    IssueMax,
    IssueMin,
    MaxThreat,
    MultiQuota,
    NoTroops,
    OptIn,
    RedIssueMax,
    RedIssueMin,
    RedLine,
    RedLineCondition,
    RequiresAuthorisation,
    RequiresParticipation,
    Scenario,
    Venue,
    Weighted,
)

__all__ = [
    "SCENARIO_TABLES",
    "actor_rows",
    "capability_rows",
    "describe_condition",
    "describe_red_line",
    "describe_rule",
    "event_rows",
    "group_rows",
    "issue_rows",
    "mission_rows",
    "pledge_rows",
    "red_line_rows",
    "requirement_rows",
    "scenario_frames",
    "source_rows",
    "stance_rows",
    "venue_rows",
]

Row = dict[str, Any]


def actor_rows(scenario: Scenario) -> list[Row]:
    """One row per actor: id, name, kind, groups, clout, population, GDP.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> rows = actor_rows(s)
    >>> len(rows), rows[0]["actor"], rows[0]["groups"], rows[0]["clout"]
    (13, 'ITA', ['LEAD', 'OPG'], 0.6)
    """
    return [
        {
            "actor": a.id,
            "name": a.name,
            "kind": a.kind.value,
            "groups": list(a.groups),
            "clout": a.clout.value,
            "population": a.population.value if a.population else None,
            "gdp_usd": a.gdp_usd.value if a.gdp_usd else None,
        }
        for a in scenario.actors
    ]


def stance_rows(scenario: Scenario) -> list[Row]:
    """One row per actor and issue with a stance.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> r = stance_rows(s)[0]
    >>> r["actor"], r["issue"], r["position"], r["salience"]
    ('ITA', 'escort_strength', 60.0, 0.8)
    """
    rows = []
    for actor, by_issue in scenario.stances.items():
        for issue, st in by_issue.items():
            unc = st.uncertainty
            rows.append(
                {
                    "actor": actor,
                    "issue": issue,
                    "position": st.position,
                    "salience": st.salience,
                    "position_range": list(unc.position) if unc and unc.position else None,
                    "salience_range": list(unc.salience) if unc and unc.salience else None,
                    "sources": list(st.sources),
                }
            )
    return rows


WHERE_WORDS = {
    "host_territory": "on host territory",
    "at_sea": "at sea",
    "neighbouring": "in neighbouring states",
    "out_of_area": "out of area",
    "anywhere": "anywhere",
}
"""Locations in words."""


def describe_condition(cond: Condition | RedLineCondition) -> str:
    """A pledge condition in words.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> [describe_condition(c) for c in s.pledges[0].conditions]
    ['mandate <= 60', 'command <= 40']
    """
    if isinstance(cond, IssueMin):
        return f"{cond.issue} >= {cond.value:g}"
    if isinstance(cond, IssueMax):
        return f"{cond.issue} <= {cond.value:g}"
    if isinstance(cond, AuthorisedBy):
        return f"authorised by {cond.venue}"
    if isinstance(cond, AfterEvent):
        return f"after {cond.event}"
    if isinstance(cond, Approval):
        return f"{cond.body} approves (p={cond.probability:g})"
    if isinstance(cond, RequiresParticipation):
        return f"{cond.actor} takes part"
    if isinstance(cond, MaxThreat):
        return f"threat to these units at most {cond.probability:.0%}"
    raise TypeError(f"unknown condition {cond!r}")


def pledge_rows(scenario: Scenario) -> list[Row]:
    """One row per pledge with its domain, units, personnel and conditions in words.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")

    Quantity ranges print as ``low-high``, conditions in words:

    >>> r = pledge_rows(s)[0]
    >>> r["pledge"], r["units"], r["conditions"]
    ('ita-duilio', '1-2', 'mandate <= 60; command <= 40')
    """
    caps = {c.id: c for c in scenario.capabilities}
    rows = []
    for p in scenario.pledges:
        cap = caps[p.capability]
        q = p.quantity
        rows.append(
            {
                "pledge": p.id,
                "actor": p.actor,
                "domain": cap.domain.value,
                "capability": p.capability,
                "units": str(q.low) if q.low == q.high else f"{q.low}-{q.high}",
                "personnel": cap.personnel * q.low,
                "conditions": "; ".join(describe_condition(c) for c in p.conditions) or "none",
            }
        )
    return rows


def describe_red_line(red: RedLine) -> str:
    """A red line's rule in words.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> describe_red_line(s.red_lines[0])
    'no troops from ESP anywhere'
    """
    rule = red.rule
    if isinstance(rule, NoTroops):
        who = [f"members of {rule.from_group}"] if rule.from_group else []
        who += list(rule.from_actors)
        where = WHERE_WORDS[rule.where]
        text = f"no troops from {', '.join(who)} {where}"
    elif isinstance(rule, RedIssueMin):
        text = f"{rule.issue} must be at least {rule.value:g}"
    elif isinstance(rule, RedIssueMax):
        text = f"{rule.issue} must be at most {rule.value:g}"
    elif isinstance(rule, RequiresAuthorisation):
        text = f"only with authorisation by {rule.venue}"
    else:
        raise TypeError(f"unknown red line {rule!r}")
    if red.when is not None:
        text += f", when {describe_condition(red.when)}"
    if red.unless is not None:
        text += f", unless {describe_condition(red.unless)}"
    return text


def red_line_rows(scenario: Scenario) -> list[Row]:
    """One row per red line.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> red_line_rows(s)[0]["rule"]
    'no troops from ESP anywhere'
    """
    return [
        {
            "red_line": r.id,
            "actor": r.actor,
            "rule": describe_red_line(r),
            "description": r.description,
            "sources": list(r.sources),
        }
        for r in scenario.red_lines
    ]


def describe_rule(scenario: Scenario, venue: Venue) -> str:
    """A venue's decision rule in words.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> describe_rule(s, s.venues[0])
    'unanimity of 8'
    """
    rule = venue.rule
    n = len(scenario.resolve_members(venue.members))
    if isinstance(rule, CountQuota):
        vetoes = scenario.resolve_members(rule.vetoes)
        extra = f" including {', '.join(vetoes)}" if vetoes else ""
        return f"{rule.quota} of {n}{extra}"
    if isinstance(rule, Weighted):
        return f"weighted quota {rule.quota:g}"
    if isinstance(rule, MultiQuota):
        parts = [f"{c.share:.0%} of {c.weight}" for c in rule.criteria]
        tail = f", blocking minority needs {rule.min_blocking}" if rule.min_blocking else ""
        return " and ".join(parts) + tail
    if isinstance(rule, OptIn):
        return f"opt-in (acts with at least {rule.min_members} of {n})"
    return f"{rule.kind} of {n}"


def venue_rows(scenario: Scenario) -> list[Row]:
    """One row per venue: rule in words and members.

    Veto players follow from the compiled rule: :func:`peaceops.venues.venue_table` adds them.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> r = venue_rows(s)[0]
    >>> r["venue"], r["rule"], r["n_members"]
    ('EU', 'unanimity of 8', 8)
    """
    rows = []
    for v in scenario.venues:
        members = scenario.resolve_members(v.members)
        rows.append(
            {
                "venue": v.id,
                "name": v.name,
                "rule": describe_rule(scenario, v),
                "n_members": len(members),
                "members": list(members),
            }
        )
    return rows


def _flat(value: Any) -> Any:
    """A model field as a table cell: lists stay lists, mappings and models become text."""
    if isinstance(value, tuple | list):
        return [_flat(v) for v in value]
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items() if v not in (None, (), []))
    if hasattr(value, "model_dump"):
        return _flat(value.model_dump(exclude_defaults=True))
    if hasattr(value, "value") and not isinstance(value, int | float | str):
        return value.value  # an enum
    return value


def _model_rows(items: Any, key: str, *, skip: tuple[str, ...] = ()) -> list[Row]:
    rows = []
    for item in items:
        fields = dict(item)
        row: Row = {key: fields.pop("id")}
        row.update({k: _flat(v) for k, v in fields.items() if k not in skip})
        rows.append(row)
    return rows


def issue_rows(scenario: Scenario) -> list[Row]:
    """One row per issue: name, what 0/50/100 mean, status quo, design map, sources.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> r = issue_rows(s)[0]
    >>> r["issue"], r["status_quo"]
    ('escort_strength', 0.0)
    """
    return _model_rows(scenario.issues, "issue")


def capability_rows(scenario: Scenario) -> list[Row]:
    """One row per capability: domain, unit and personnel per unit.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> [(r["capability"], r["personnel"]) for r in capability_rows(s)][:2]
    [('MAR_ESCORT', 200), ('AIR_ISR', 40)]
    """
    return _model_rows(scenario.capabilities, "capability")


def mission_rows(scenario: Scenario) -> list[Row]:
    """One row per mission concept (its requirements are in :func:`requirement_rows`).

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> r = mission_rows(s)[0]
    >>> r["mission"], r["route"], r["choices"]
    ('aspides', 'EU', 'mandate: 50.0')
    """
    return _model_rows(scenario.missions, "mission", skip=("requirements",))


def requirement_rows(scenario: Scenario) -> list[Row]:
    """One row per mission requirement: capability, count, priority and the rest.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> r = requirement_rows(s)[0]
    >>> r["capability"], r["count"], r["priority"]
    ('MAR_ESCORT', 4, 1)
    """
    return [
        {"mission": m.id, **{k: _flat(v) for k, v in dict(r).items()}}
        for m in scenario.missions
        for r in m.requirements
    ]


def event_rows(scenario: Scenario) -> list[Row]:
    """One row per event: date, probability and what it changes.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> r = event_rows(s)[0]
    >>> r["event"], r["date"].isoformat(), r["probability"]
    ('belgian-deployment', '2024-03-10', 0.9)
    """
    return _model_rows(scenario.events, "event")


def group_rows(scenario: Scenario) -> list[Row]:
    """One row per group with its resolved members.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> [(r["group"], r["members"]) for r in group_rows(s)][:1]
    [('LEAD', ['ITA', 'FRA', 'GRC'])]
    """
    return [
        {
            "group": g.id,
            "name": g.name,
            "members": list(scenario.group_members(g.id)),
            "sources": list(g.sources),
        }
        for g in scenario.groups
    ]


def source_rows(scenario: Scenario) -> list[Row]:
    """One row per source: kind, title, publisher, date, locator, URL, rationale, licence.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("aspides-2024-02")
    >>> len(source_rows(s)), source_rows(s)[0]["source"]
    (28, 'cd-2024-583')
    """
    return _model_rows(scenario.sources, "source")


#: Table name -> row builder, for :func:`scenario_frames`, ``peaceops show`` and exports.
SCENARIO_TABLES = {
    "actors": actor_rows,
    "groups": group_rows,
    "issues": issue_rows,
    "stances": stance_rows,
    "capabilities": capability_rows,
    "pledges": pledge_rows,
    "red_lines": red_line_rows,
    "venues": venue_rows,
    "events": event_rows,
    "missions": mission_rows,
    "requirements": requirement_rows,
    "sources": source_rows,
}


def scenario_frames(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Every table of the scenario as a DataFrame, keyed as :data:`SCENARIO_TABLES`.

    Dates are ``datetime64`` columns, lists (groups, members, sources) are Python lists.

    Examples
    --------
    >>> import peaceops
    >>> frames = peaceops.scenario_frames(peaceops.load_scenario("ukraine-2025-04"))
    >>> sorted(frames)[:4]
    ['actors', 'capabilities', 'events', 'groups']
    >>> frames["sources"]["date"].dtype
    dtype('<M8[ns]')
    """
    from peaceops._frames import rows_frame

    return {name: rows_frame(build(scenario)) for name, build in SCENARIO_TABLES.items()}
