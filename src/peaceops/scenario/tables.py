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
    "actor_rows",
    "describe_condition",
    "describe_red_line",
    "describe_rule",
    "pledge_rows",
    "red_line_rows",
    "scenario_frames",
    "stance_rows",
    "venue_rows",
]

Row = dict[str, Any]


def actor_rows(scenario: Scenario) -> list[Row]:
    """One row per actor: id, name, kind, groups, clout, population, GDP."""
    return [
        {
            "actor": a.id,
            "name": a.name,
            "kind": a.kind.value,
            "groups": ", ".join(a.groups),
            "clout": a.clout.value,
            "population": a.population.value if a.population else None,
            "gdp_usd": a.gdp_usd.value if a.gdp_usd else None,
        }
        for a in scenario.actors
    ]


def stance_rows(scenario: Scenario) -> list[Row]:
    """One row per actor and issue with a stance."""
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
                    "sources": ", ".join(st.sources),
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
    """A pledge condition in words."""
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
    """One row per pledge with its domain, units, personnel and conditions in words."""
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
    """A red line's rule in words."""
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
    """One row per red line."""
    return [
        {
            "red_line": r.id,
            "actor": r.actor,
            "rule": describe_red_line(r),
            "description": r.description,
            "sources": ", ".join(r.sources),
        }
        for r in scenario.red_lines
    ]


def describe_rule(scenario: Scenario, venue: Venue) -> str:
    """A venue's decision rule in words."""
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
                "members": ", ".join(members),
            }
        )
    return rows


def scenario_frames(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Every table of the scenario as a DataFrame: actors, stances, pledges, red_lines, venues."""
    import pandas as pd  # only here: the other tables need no pandas

    builders = {
        "actors": actor_rows,
        "stances": stance_rows,
        "pledges": pledge_rows,
        "red_lines": red_line_rows,
        "venues": venue_rows,
    }
    return {name: pd.DataFrame(build(scenario)) for name, build in builders.items()}
