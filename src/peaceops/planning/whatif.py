"""What-if analysis: change a scenario by a small patch and compare options and plans.

A patch is data (YAML or JSON), a mapping with an optional ``name``, ``description`` and
``scenario`` (the id it was written for) and a list of ``operations``, applied in order:

=================  ========================================================================
``add_source``     ``source: {...}``: a source the patch's own items cite
``add_actor``      ``actor: {...}``: a new actor (same fields as in a scenario)
``add_pledge``     ``pledge: {...}``: a new pledge
``update_pledge``  ``id``, and any of ``quantity``, ``conditions``, ``sources``, ``note``
``drop_pledge``    ``id``: remove a pledge
``add_red_line``   ``red_line: {...}``
``drop_red_line``  ``id``
``set_stance``     ``actor``, ``issue``, and ``position``/``salience`` (a new stance needs
                   both and ``sources``); optional ``sources``, ``note``
``join_group``     ``actor``, ``group``: the actor becomes a member (e.g. of a coalition);
                   no change when it already is one
``leave_group``    ``actor``, ``group``: no change when it is not a member
=================  ========================================================================

The patched document is validated as a whole by :func:`peaceops.scenario.parse_scenario`, so
a patch cannot produce a scenario that would not load from a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from peaceops._frames import FrameMixin
from peaceops.errors import InfeasibleError, Problem, ScenarioError
from peaceops.planning.acceptance import UtilityForm
from peaceops.planning.conditions import ConditionState
from peaceops.planning.force import solve_force_generation
from peaceops.planning.options import OptionMatrix, option_matrix
from peaceops.planning.plan import ForcePlan
from peaceops.scenario import parse_scenario
from peaceops.scenario.documents import Located, format_path, read_document
from peaceops.scenario.model import Scenario

__all__ = ["Patch", "WhatIf", "apply_patch", "compare_patch", "parse_patch", "patched_options"]

#: Operation -> (required keys, optional keys).
OPERATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "add_source": (("source",), ()),
    "add_actor": (("actor",), ()),
    "add_pledge": (("pledge",), ()),
    "update_pledge": (("id",), ("quantity", "conditions", "sources", "note")),
    "drop_pledge": (("id",), ()),
    "add_red_line": (("red_line",), ()),
    "drop_red_line": (("id",), ()),
    "set_stance": (("actor", "issue"), ("position", "salience", "sources", "note")),
    "join_group": (("actor", "group"), ()),
    "leave_group": (("actor", "group"), ()),
}
_LISTS = {
    "add_source": "sources",
    "add_actor": "actors",
    "add_pledge": "pledges",
    "add_red_line": "red_lines",
}
_ITEM = {
    "add_source": "source",
    "add_actor": "actor",
    "add_pledge": "pledge",
    "add_red_line": "red_line",
}


@dataclass(frozen=True)
class Patch:
    """A validated what-if patch.

    Attributes
    ----------
    name, description
        What the patch supposes.
    scenario
        The scenario id it was written for (``None`` when not stated).
    operations
        The operations, as plain mappings, in order.
    file
        Where it was read from (for messages).
    lines
        1-based line of each operation in ``file`` (``None`` when unknown).
    """

    name: str
    description: str
    scenario: str | None
    operations: tuple[dict[str, Any], ...]
    file: str = "<patch>"
    lines: tuple[int | None, ...] = ()


def parse_patch(source: str | Mapping[str, Any] | Sequence[Any], *, file: str = "<patch>") -> Patch:
    """Check a patch given as YAML/JSON text, or as the mapping or list it parses to.

    The engine reads no file: :func:`peaceops.io.read_patch` reads one (through the
    scenario loader's bounded reader) and hands its text here.

    Parameters
    ----------
    source
        The patch text (YAML, or JSON when ``file`` ends in ``.json``), or the already
        parsed document: a list of operations or a mapping with ``operations``.
    file
        The name given in messages (and the patch's name when it states none).

    Returns
    -------
    Patch
        The checked patch, with the line of each operation when ``source`` is text.

    Raises
    ------
    ScenarioError
        Listing every malformed operation with its line: an unknown ``op``, a missing or an
        unknown key.

    Examples
    --------
    >>> p = parse_patch("[{op: join_group, actor: NTR, group: ALLIANCE}]", file="p.yaml")
    >>> p.name, p.file, len(p.operations), p.lines
    ('p', 'p.yaml', 1, (1,))
    >>> parse_patch([{"op": "drop_pledge", "id": "P1"}]).lines
    (None,)
    """
    if isinstance(source, str):
        doc = read_document(source, file=file, json_first=file.lower().endswith(".json"))
    else:
        doc = Located(_plain(source), {}, [])
    first = 1 if isinstance(source, str) else None  # data has no lines
    problems = list(doc.problems)
    if doc.data is None:
        raise ScenarioError(problems or [Problem(file, first, "", "the patch is empty")])
    data = {"operations": doc.data} if isinstance(doc.data, list) else doc.data
    loc_prefix: tuple[str | int, ...] = () if isinstance(doc.data, list) else ("operations",)
    if not isinstance(data, dict) or not isinstance(data.get("operations"), list):
        raise ScenarioError(
            [
                Problem(
                    file,
                    first,
                    "",
                    "a patch is a list of operations, or a mapping with `operations:`",
                )
            ]
        )
    for key in data:
        if key not in ("name", "description", "scenario", "operations"):
            problems.append(_at(doc, file, (key,), f"unknown field {key!r}"))
    ops = data["operations"]
    for i, op in enumerate(ops):
        loc: tuple[str | int, ...] = (*loc_prefix, i)
        if not isinstance(op, dict):
            problems.append(_at(doc, file, loc, f"an operation is a mapping, got {op!r}"))
            continue
        kind = op.get("op")
        if kind not in OPERATIONS:
            problems.append(
                _at(doc, file, (*loc, "op"), f"{kind!r} is not one of {', '.join(OPERATIONS)}")
            )
            continue
        required, optional = OPERATIONS[kind]
        for key in required:
            if key not in op:
                problems.append(_at(doc, file, (*loc, key), f"{kind} needs {key!r}"))
        for key in op:
            if key != "op" and key not in required + optional:
                problems.append(_at(doc, file, (*loc, key), f"unknown key {key!r} for {kind}"))
    if problems:
        raise ScenarioError(problems)
    return Patch(
        name=str(data.get("name") or PurePath(file).stem),
        description=str(data.get("description") or ""),
        scenario=data.get("scenario"),
        operations=tuple(ops),
        file=file,
        lines=tuple(doc.line_of((*loc_prefix, i)) for i in range(len(ops))),
    )


def apply_patch(scenario: Scenario, patch: Patch) -> Scenario:
    """The scenario with ``patch`` applied, validated as a whole.

    Parameters
    ----------
    scenario
        A validated scenario (it is not changed).
    patch
        A patch from :func:`parse_patch` (or :func:`peaceops.io.read_patch`).

    Returns
    -------
    Scenario
        The patched scenario (same id).

    Raises
    ------
    ScenarioError
        When an operation refers to something absent (a pledge to drop, an actor to move),
        the patch was written for another scenario, or the patched scenario does not validate.

    Examples
    --------
    >>> from peaceops.scenario import parse_scenario
    >>> from peaceops.planning import apply_patch, parse_patch
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> p = parse_patch("[{op: join_group, actor: NTR, group: ALLIANCE}]", file="demo.yaml")
    >>> apply_patch(s, p).actor("NTR").groups
    ('ALLIANCE',)
    """
    problems: list[Problem] = []
    if patch.scenario is not None and patch.scenario != scenario.id:
        raise ScenarioError(
            [
                Problem(
                    patch.file,
                    None,
                    "scenario",
                    f"the patch is for {patch.scenario!r}, not {scenario.id!r}",
                )
            ]
        )
    doc = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    for i, op in enumerate(patch.operations):
        message = _apply(doc, op)
        if message:
            line = patch.lines[i] if i < len(patch.lines) else None
            problems.append(Problem(patch.file, line, f"operations[{i}]", message))
    if problems:
        raise ScenarioError(problems)
    return parse_scenario(
        json.dumps(doc, indent=1, default=str),
        file=f"{scenario.id} + {patch.file}",
        json_first=True,
    )


@dataclass(frozen=True)
class WhatIf(FrameMixin):
    """Options and plans before and after a patch.

    Attributes
    ----------
    patch
        The patch.
    options_before, options_after
        The option matrices.
    plan_before, plan_after
        The plans of the chosen mission (``None`` when infeasible; see ``conflicts_*``).
    conflicts_before, conflicts_after
        Conflicting requirements when the plan is infeasible.
    """

    patch: Patch
    options_before: OptionMatrix
    options_after: OptionMatrix
    plan_before: ForcePlan | None
    plan_after: ForcePlan | None
    conflicts_before: tuple[str, ...]
    conflicts_after: tuple[str, ...]

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per option: feasibility, coverage, personnel and rejections, before/after."""
        after = {(c.mission, c.route, c.levels): c for c in self.options_after.cells}
        before_rows = {
            (c.mission, c.route, c.levels): r
            for c, r in zip(self.options_before.cells, self.options_before.to_rows(), strict=True)
        }
        after_rows = {
            (c.mission, c.route, c.levels): r
            for c, r in zip(self.options_after.cells, self.options_after.to_rows(), strict=True)
        }
        rows = []
        for key, b in before_rows.items():
            a = after_rows[key] if key in after else {}
            rows.append(
                {
                    "mission": key[0],
                    "route": key[1],
                    **dict(key[2]),
                    "feasible_before": b["feasible"],
                    "feasible_after": a.get("feasible"),
                    "coverage_before": b["coverage"],
                    "coverage_after": a.get("coverage"),
                    "coverage_change": None if not a else round(a["coverage"] - b["coverage"], 4),
                    "personnel_before": b["personnel"],
                    "personnel_after": a.get("personnel"),
                    "rejecting_before": b["rejecting"],
                    "rejecting_after": a.get("rejecting"),
                }
            )
        return rows

    def plan_rows(self) -> list[dict[str, Any]]:
        """One row per pledge used before or after: units before and after."""
        before = {a.pledge: a for a in self.plan_before.allocation} if self.plan_before else {}
        after = {a.pledge: a for a in self.plan_after.allocation} if self.plan_after else {}
        order = list(before) + [p for p in after if p not in before]
        return [
            {
                "pledge": p,
                "actor": (before.get(p) or after[p]).actor,
                "capability": (before.get(p) or after[p]).capability,
                "units_before": before[p].units if p in before else 0,
                "units_after": after[p].units if p in after else 0,
            }
            for p in order
            if (before[p].units if p in before else 0) != (after[p].units if p in after else 0)
        ]


def compare_patch(
    scenario: Scenario,
    patch: Patch,
    *,
    mission: str | None = None,
    route: str | None = None,
    levels: Mapping[str, float] | None = None,
    require_acceptance: Sequence[str] | None = None,
    utility: UtilityForm = "linear",
    state: ConditionState | None = None,
    time_limit: float = 30.0,
    patched: Scenario | None = None,
    options_after: OptionMatrix | None = None,
) -> WhatIf:
    """Option matrices and plans of ``scenario`` before and after ``patch``.

    Parameters
    ----------
    scenario, patch
        The scenario and the change.
    mission, route, levels
        The plan compared (default: first mission, route and levels chosen).
    require_acceptance
        Actors both the options and the plan must satisfy (default: the scenario's host).
    utility, state, time_limit
        As for :func:`~peaceops.planning.solve_force_generation`.
    patched, options_after
        The patched scenario and its option matrix for these arguments when they are
        already at hand (:func:`patched_options` returns both); default: computed here.

    Returns
    -------
    WhatIf
        :meth:`WhatIf.to_rows` compares the options, :meth:`WhatIf.plan_rows` the plans.

    Examples
    --------
    Suppose the neutral contributor offers 3 battalions without conditions. Before, the
    UN-authorised option fails (the adversary rejects alliance troops, and the lead
    contributor's 2 battalions are all there is: coverage 4/9); after, the neutral
    battalions fill the mission with no alliance troops, so the adversary accepts:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> p = parse_patch("[{op: update_pledge, id: ntr-inf, quantity: 3, conditions: []}]")
    >>> w = compare_patch(s, p, time_limit=5)
    >>> row = w.to_rows()[0]
    >>> row["route"], row["feasible_before"], row["feasible_after"]
    ('UNSC', False, True)
    >>> row["coverage_before"], row["coverage_after"], row["rejecting_after"]
    (0.4444, 1.0, [])
    >>> [(r["pledge"], r["units_before"], r["units_after"]) for r in w.plan_rows()]
    [('ldr-inf', 2, 0), ('ntr-inf', 0, 3), ('ntr-med', 0, 1)]
    """
    after = patched if patched is not None else apply_patch(scenario, patch)
    require = tuple(
        require_acceptance
        if require_acceptance is not None
        else ([scenario.planning.host] if scenario.planning.host else [])
    )
    plans: list[ForcePlan | None] = []
    conflicts: list[tuple[str, ...]] = []
    for s in (scenario, after):
        try:
            plans.append(
                solve_force_generation(
                    s,
                    mission,
                    route=route,
                    levels=levels,
                    require_acceptance=require,
                    utility=utility,
                    state=state,
                    time_limit=time_limit,
                )
            )
            conflicts.append(())
        except InfeasibleError as exc:
            plans.append(None)
            conflicts.append(exc.conflicts)
    common: dict[str, Any] = {
        "require_acceptance": require,
        "utility": utility,
        "state": state,
        "time_limit": time_limit,
    }
    return WhatIf(
        patch=patch,
        options_before=option_matrix(scenario, **common),
        options_after=(
            options_after if options_after is not None else option_matrix(after, **common)
        ),
        plan_before=plans[0],
        plan_after=plans[1],
        conflicts_before=conflicts[0],
        conflicts_after=conflicts[1],
    )


def patched_options(
    scenario: Scenario,
    patch: Patch,
    *,
    require_acceptance: Sequence[str] | None = None,
    utility: UtilityForm = "linear",
    state: ConditionState | None = None,
    time_limit: float = 30.0,
) -> tuple[Scenario, OptionMatrix]:
    """The patched scenario and its option matrix, as :func:`compare_patch` plans it.

    The half of a comparison that does not depend on the plan compared, so it can be
    computed beside the original scenario's options (:func:`peaceops.analyse` does, on the
    other core) and handed to :func:`compare_patch` (``patched``, ``options_after``).

    Parameters
    ----------
    scenario, patch, require_acceptance, utility, state, time_limit
        As for :func:`compare_patch`.

    Examples
    --------
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> p = parse_patch("[{op: update_pledge, id: ntr-inf, quantity: 3, conditions: []}]")
    >>> after, matrix = patched_options(s, p, time_limit=5)
    >>> [(c.route, c.levels, c.feasible) for c in matrix.cells][:2]
    [('UNSC', (('support', 0.0),), True), ('UNSC', (('support', 100.0),), True)]
    >>> w = compare_patch(s, p, time_limit=5, patched=after, options_after=matrix)
    >>> w.to_rows() == compare_patch(s, p, time_limit=5).to_rows()
    True
    """
    after = apply_patch(scenario, patch)
    require = tuple(
        require_acceptance
        if require_acceptance is not None
        else ([scenario.planning.host] if scenario.planning.host else [])
    )
    matrix = option_matrix(
        after, require_acceptance=require, utility=utility, state=state, time_limit=time_limit
    )
    return after, matrix


def _apply(doc: dict[str, Any], op: dict[str, Any]) -> str | None:
    """Apply one operation to the scenario document; a message when it cannot."""
    kind = op["op"]
    if kind in _LISTS:
        doc.setdefault(_LISTS[kind], []).append(op[_ITEM[kind]])
        return None
    if kind in ("drop_pledge", "drop_red_line", "update_pledge"):
        key = "pledges" if kind != "drop_red_line" else "red_lines"
        items = doc.get(key, [])
        found = [it for it in items if isinstance(it, dict) and it.get("id") == op["id"]]
        if not found:
            return f"no {key[:-1].replace('_', ' ')} with id {op['id']!r} to {kind.split('_')[0]}"
        if kind == "update_pledge":
            for field in ("quantity", "conditions", "sources", "note"):
                if field in op:
                    found[0][field] = op[field]
        else:
            doc[key] = [it for it in items if it is not found[0]]
        return None
    actors = {a["id"]: a for a in doc.get("actors", []) if isinstance(a, dict)}
    actor = actors.get(op["actor"])
    if actor is None:
        return f"unknown actor {op['actor']!r}"
    if kind in ("join_group", "leave_group"):
        groups = [g for g in actor.get("groups", []) if g != op["group"]]
        actor["groups"] = [*groups, op["group"]] if kind == "join_group" else groups
        return None
    # set_stance
    stances = doc.setdefault("stances", {})
    by_issue = stances.setdefault(op["actor"], {})
    stance = dict(by_issue.get(op["issue"], {}))
    if not stance and not all(k in op for k in ("position", "salience", "sources")):
        return f"a new stance of {op['actor']} on {op['issue']} needs position, salience, sources"
    for field in ("position", "salience", "sources", "note"):
        if field in op:
            stance[field] = op[field]
    by_issue[op["issue"]] = stance
    return None


def _plain(value: Any) -> Any:
    """A copy of ``value`` made of plain dicts and lists (the patch keeps no caller's object)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v) for v in value]
    return value


def _at(doc: Located, file: str, loc: tuple[str | int, ...], message: str) -> Problem:
    return Problem(file, doc.line_of(loc), format_path(loc, doc.data), message)
