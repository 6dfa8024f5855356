"""Results of force generation: the plan, its allocation, and explained shortfalls.

:func:`build_plan` turns a solved model into a :class:`ForcePlan`: it evaluates the design
(:func:`~peaceops.planning.evaluate_design`), reads each pledge's status
(:func:`~peaceops.planning.pledge_status`) and, for every requirement that is short, notes
what became of each pledge of its capability: excluded (a condition or own red line, whatever
the design), not met under the chosen design, used up, or held back by a named requirement or
an earlier objective (found by a probe: one more unit is forced and the minimal conflict read).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from peaceops._frames import FrameMixin
from peaceops.planning._model import PRIORITY_WEIGHT, PlanModel
from peaceops.planning._solve import Outcome, conflicts, feasible
from peaceops.planning.acceptance import DesignEvaluation, evaluate_design, utility_of_loss
from peaceops.planning.conditions import PledgeStatus, pledge_status
from peaceops.planning.design import Design
from peaceops.planning.threats import force_risk
from peaceops.scenario.model import Mission, Scenario

__all__ = [
    "Allocation",
    "DomainCoverage",
    "ForcePlan",
    "ObjectiveValue",
    "PledgeNote",
    "RequirementCoverage",
    "weighted_coverage",
]


@dataclass(frozen=True)
class Allocation:
    """Units a plan takes from one pledge.

    Attributes
    ----------
    pledge, actor, capability, domain
        The pledge and what it offers.
    units
        Units taken.
    personnel
        Deployed personnel (units x personnel per unit).
    personnel_rotated
        Personnel with rotation: ``personnel`` x the mission's rotation factor.
    location
        Where the units serve (``host_territory``, ``at_sea``, ``neighbouring``,
        ``out_of_area``).
    """

    pledge: str
    actor: str
    capability: str
    domain: str
    units: int
    personnel: int
    personnel_rotated: float
    location: str

    @property
    def on_host(self) -> bool:
        """Whether the units serve on host territory."""
        return self.location == "host_territory"


@dataclass(frozen=True)
class PledgeNote:
    """What became of one pledge for a requirement that is short.

    ``status`` is ``used_up`` (every unit offered is used), ``excluded`` (a condition or own
    red line keeps it out whatever the design), ``not_in_design`` (a condition fails under the
    chosen design), ``held_back`` (it could give more, but that would break a requirement or an
    earlier objective, named in ``detail``) or ``unused`` (available, no objective needs it).
    """

    pledge: str
    actor: str
    status: str
    units: int
    offered: int
    detail: str


@dataclass(frozen=True)
class RequirementCoverage:
    """One requirement: units required and found, and why the rest is missing."""

    capability: str
    domain: str
    priority: int
    required: int
    units: int
    missing: int
    missing_personnel: int
    notes: tuple[PledgeNote, ...]


@dataclass(frozen=True)
class DomainCoverage:
    """Requirements of one domain together; ``coverage`` is by personnel (units if none)."""

    domain: str
    required_units: int
    units: int
    missing_units: int
    required_personnel: int
    personnel: int
    missing_personnel: int
    coverage: float


@dataclass(frozen=True)
class ObjectiveValue:
    """One lexicographic stage: objective, optimum (in the objective's units), CP-SAT status.

    ``bound`` is CP-SAT's proven bound on the optimum in the same units (equal to ``value``
    when the status is ``OPTIMAL``); ``gap`` is ``|value - bound| / max(|value|, 1e-9)``, the
    relative distance to a proven optimum when the time limit cut the stage short.
    """

    name: str
    value: float
    status: str
    bound: float | None = None

    @property
    def gap(self) -> float:
        """Relative gap between the value reached and the proven bound (0 when optimal)."""
        if self.bound is None or self.status in ("OPTIMAL", "CONSTANT"):
            return 0.0
        return abs(self.value - self.bound) / max(abs(self.value), 1e-9)


@dataclass(frozen=True)
class ForcePlan(FrameMixin):
    """The optimal plan of a mission: design, allocation, coverage and explained shortfalls.

    Attributes
    ----------
    scenario, mission
        Ids.
    design
        Route, levels of the design dimensions and allocation chosen.
    evaluation
        Acceptances and verdicts of the design.
    allocation
        Units by pledge (pledges with units only).
    requirements
        Every requirement with its units and, when short, a note per pledge of its capability.
    domains
        Requirements grouped by domain.
    coverage
        Priority-weighted coverage in 0..1.
    personnel, personnel_rotated
        Deployed personnel, and with the rotation factor.
    objectives
        The lexicographic stages in order.
    pledges
        Status of every pledge for a required capability under the design.
    risk
        Probability that the deployed force is attacked (the scenario's ``threats`` reaching
        its units, :func:`~peaceops.planning.threats.force_risk`); 0 without threats.
    """

    scenario: str
    mission: str
    design: Design
    evaluation: DesignEvaluation
    allocation: tuple[Allocation, ...]
    requirements: tuple[RequirementCoverage, ...]
    domains: tuple[DomainCoverage, ...]
    coverage: float
    personnel: int
    personnel_rotated: float
    objectives: tuple[ObjectiveValue, ...]
    pledges: tuple[PledgeStatus, ...]
    risk: float = 0.0

    @property
    def shortfalls(self) -> tuple[RequirementCoverage, ...]:
        """Requirements not fully covered."""
        return tuple(r for r in self.requirements if r.missing > 0)

    def to_rows(self) -> list[dict[str, Any]]:
        """The allocation: one row per pledge used."""
        return [
            {
                "pledge": a.pledge,
                "actor": a.actor,
                "capability": a.capability,
                "domain": a.domain,
                "units": a.units,
                "personnel": a.personnel,
                "personnel_rotated": a.personnel_rotated,
                "location": a.location,
            }
            for a in self.allocation
        ]

    def requirement_rows(self) -> list[dict[str, Any]]:
        """One row per requirement: required, found, missing and the reasons for a shortfall."""
        return [
            {
                "capability": r.capability,
                "domain": r.domain,
                "priority": r.priority,
                "required": r.required,
                "units": r.units,
                "missing": r.missing,
                "missing_personnel": r.missing_personnel,
                "reasons": "; ".join(
                    f"{n.pledge}: {n.status}" + (f" ({n.detail})" if n.detail else "")
                    for n in r.notes
                )
                or ("no pledge offers it" if r.missing else ""),
            }
            for r in self.requirements
        ]

    def domain_rows(self) -> list[dict[str, Any]]:
        """One row per domain of the mission's requirements."""
        return [
            {
                "domain": d.domain,
                "required_units": d.required_units,
                "units": d.units,
                "missing_units": d.missing_units,
                "required_personnel": d.required_personnel,
                "personnel": d.personnel,
                "missing_personnel": d.missing_personnel,
                "coverage": d.coverage,
            }
            for d in self.domains
        ]

    def summary_rows(self) -> list[dict[str, Any]]:
        """The design and the objectives as ``item``/``value`` rows."""
        d = self.design
        rows: list[dict[str, Any]] = [
            {"item": "mission", "value": self.mission},
            {"item": "route", "value": d.route},
            {"item": "route authorises", "value": self.evaluation.authorised},
            *({"item": dim, "value": value} for dim, value in d.choices),
            {"item": "coverage", "value": round(self.coverage, 4)},
            {"item": "risk of attack", "value": round(self.risk, 4)},
            {"item": "personnel", "value": self.personnel},
            {"item": "personnel with rotation", "value": self.personnel_rotated},
        ]
        rows += [
            {
                "item": f"objective {o.name}",
                "value": f"{o.value:.6g} ({o.status}"
                + (f", gap {o.gap:.1%})" if o.gap > 0 else ")"),
            }
            for o in self.objectives
        ]
        return rows

    def to_frame(self) -> pd.DataFrame:
        """:meth:`to_rows` as a DataFrame."""
        return pd.DataFrame(self.to_rows(), columns=list(Allocation.__dataclass_fields__))


def weighted_coverage(mission: Mission, units: Mapping[str, int]) -> float:
    r"""Priority-weighted coverage :math:`\sum_r w_r \min(u_r, n_r)/n_r / \sum_r w_r` in 0..1.

    ``units`` maps a capability to the units found for it (missing = 0).

    Examples
    --------
    The template's mission wants 3 battalions (priority 1, weight 2) and 1 hospital
    (priority 2, weight 1): 2 of 3 battalions and no hospital cover (2/3 x 2) / 3 = 4/9.

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> round(weighted_coverage(s.mission("monitors"), {"INF_BN": 2}), 6)
    0.444444
    >>> round(weighted_coverage(s.mission("monitors"), {"INF_BN": 3, "MED_L2": 1}), 6)
    1.0
    """
    weights = {r.capability: PRIORITY_WEIGHT[r.priority] for r in mission.requirements}
    covered = sum(
        weights[r.capability] * min(units.get(r.capability, 0), r.count) / r.count
        for r in mission.requirements
    )
    return float(covered / sum(weights.values()))


def objective_value(model: PlanModel, name: str, value: int) -> float:
    """An integer stage optimum in the objective's own units."""
    kind = name.partition(":")[0]
    if kind == "coverage":
        return value / int(model.coverage_full)
    if kind == "utility":
        return utility_of_loss(-value, model.request.utility)
    if kind == "fairness":
        return value / 1000
    return float(value)


def build_plan(
    scenario: Scenario, model: PlanModel, outcome: Outcome, *, explain: bool, time_limit: float
) -> ForcePlan:
    """Turn a solver outcome into a :class:`ForcePlan` (evaluation, notes, domains)."""
    request = model.request
    mission = request.mission
    design = Design.from_mission(
        mission, route=outcome.route, levels=outcome.levels, allocation=outcome.units
    )
    evaluation = evaluate_design(scenario, design, utility=request.utility)  # type: ignore[arg-type]
    statuses = pledge_status(scenario, evaluation, state=request.state)
    caps = {c.id: c for c in scenario.capabilities}
    allocation = tuple(
        Allocation(
            pledge=d.pledge,
            actor=d.actor,
            capability=d.capability,
            domain=d.domain,
            units=d.units,
            personnel=d.personnel,
            personnel_rotated=d.personnel * mission.rotation_factor,
            location=d.location,
        )
        for d in evaluation.deployed
    )
    by_status = {st.pledge: st for st in statuses}
    requirements = []
    for r in mission.requirements:
        cap = caps[r.capability]
        units = sum(a.units for a in allocation if a.capability == r.capability)
        missing = max(0, r.count - units)
        notes: tuple[PledgeNote, ...] = ()
        if missing:
            notes = tuple(
                _note(model, outcome, by_status[p.id], explain, time_limit)
                for p in scenario.pledges
                if p.capability == r.capability
            )
        requirements.append(
            RequirementCoverage(
                capability=r.capability,
                domain=cap.domain.value,
                priority=r.priority,
                required=r.count,
                units=units,
                missing=missing,
                missing_personnel=missing * cap.personnel,
                notes=notes,
            )
        )
    personnel = sum(a.personnel for a in allocation)
    return ForcePlan(
        scenario=scenario.id,
        mission=mission.id,
        design=design,
        evaluation=evaluation,
        allocation=allocation,
        requirements=tuple(requirements),
        domains=_domains(requirements, caps),
        coverage=weighted_coverage(mission, {r.capability: r.units for r in requirements}),
        personnel=personnel,
        personnel_rotated=personnel * mission.rotation_factor,
        objectives=tuple(
            ObjectiveValue(
                st.name,
                objective_value(model, st.name, st.value),
                st.status,
                objective_value(model, st.name, st.bound),
            )
            for st in outcome.stages
        ),
        pledges=statuses,
        risk=force_risk(scenario, ((a.location, a.domain) for a in allocation)),
    )


def _note(
    model: PlanModel, outcome: Outcome, status: PledgeStatus, explain: bool, time_limit: float
) -> PledgeNote:
    pid = status.pledge

    def note(kind: str, detail: str) -> PledgeNote:
        return PledgeNote(pid, status.actor, kind, status.units, status.offered, detail)

    if pid in model.excluded:
        return note("excluded", "; ".join(model.excluded[pid]))
    pv = model.pledges[pid]
    if status.units >= status.offered:
        return note("used_up", f"all {status.offered} units offered are used")
    failed = "; ".join(status.failed)
    if not explain:
        return note("not_in_design" if failed else "unused", failed)
    guard = model.cp.new_bool_var("")
    model.cp.add(pv.var >= status.units + 1).only_enforce_if(guard)
    probe = (guard, "probe")
    if feasible(model, [*outcome.assumptions, probe], time_limit=time_limit):
        return note("not_in_design" if failed else "unused", failed)
    core = [
        n for _, n in conflicts(model, outcome.assumptions, keep=[probe], time_limit=time_limit)
    ]
    if core:
        why = "more would break: " + "; ".join(core)
    else:
        why = "its conditions cannot all be met by any allocation"
    return note("not_in_design" if failed else "held_back", "; ".join(filter(None, [failed, why])))


def _domains(
    requirements: list[RequirementCoverage], caps: dict[str, Any]
) -> tuple[DomainCoverage, ...]:
    order: list[str] = []
    for r in requirements:
        if r.domain not in order:
            order.append(r.domain)
    out = []
    for domain in order:
        rs = [r for r in requirements if r.domain == domain]
        per = {r.capability: caps[r.capability].personnel for r in rs}
        req_u = sum(r.required for r in rs)
        got_u = sum(min(r.units, r.required) for r in rs)
        req_p = sum(r.required * per[r.capability] for r in rs)
        got_p = sum(min(r.units, r.required) * per[r.capability] for r in rs)
        out.append(
            DomainCoverage(
                domain=domain,
                required_units=req_u,
                units=got_u,
                missing_units=req_u - got_u,
                required_personnel=req_p,
                personnel=got_p,
                missing_personnel=req_p - got_p,
                coverage=got_p / req_p if req_p else got_u / req_u,
            )
        )
    return tuple(out)
