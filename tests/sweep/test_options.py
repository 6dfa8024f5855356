"""The vectorised option kernel against the planner's own functions, replicate by replicate.

For each drawn replicate the scenario is realised (every uncertain value replaced by its draw)
and the planner judges the design the kernel formed: :func:`peaceops.planning.evaluate_design`
must give the same acceptances and venue verdicts, :func:`peaceops.planning.pledge_status`
must find every pledge the kernel used holding, and the coverage must be what the allocation
fills.
"""

from __future__ import annotations

import numpy as np
import pytest

from peaceops import Scenario, load_scenario, parse_scenario
from peaceops.planning import Design, evaluate_design, pledge_status
from peaceops.planning.plan import weighted_coverage
from peaceops.sweep import draw_inputs, realise_scenario, sampling_design
from peaceops.sweep._options import (
    compile_options,
    evaluate_options,
    mission_options,
    option_domains,
)
from peaceops_testing import template_text


def _cross_check(s: Scenario, seed: int, n: int, utility: str = "linear") -> int:
    design = sampling_design(s)
    kernel = compile_options(s, design, utility=utility)
    values = draw_inputs(design, seed, 0, n)
    outcomes = evaluate_options(kernel, values)
    caps = {c.id: c for c in s.capabilities}
    checked = 0
    for r in range(n):
        world = realise_scenario(s, design, values[r])
        for option, oc, domains in zip(
            kernel.options, outcomes, option_domains(kernel), strict=True
        ):
            units = {p.id: int(u) for p, u in zip(s.pledges, oc.units[r], strict=True) if u}
            d = Design.from_mission(
                s.mission(option.mission),
                route=option.route,
                levels=dict(option.levels),
                allocation=units,
            )
            ev = evaluate_design(world, d, utility=utility)  # type: ignore[arg-type]
            accepts = [ev.acceptance(a).accepts for a in kernel.parties]
            assert accepts == oc.accept[r].tolist(), (r, option.id)
            verdicts = [ev.verdict(v).authorised for v in kernel.venues]
            assert verdicts == oc.authorise[r].tolist(), (r, option.id)
            status = {p.pledge: p for p in pledge_status(world, ev)}
            for pledge_id, n_units in units.items():
                assert status[pledge_id].holds, (r, option.id, status[pledge_id].failed)
                assert n_units <= status[pledge_id].offered
            mission = s.mission(option.mission)
            filled: dict[str, bool] = {}
            for req in mission.requirements:
                got = sum(u for pid, u in units.items() if status[pid].capability == req.capability)
                assert got <= req.count
                dom = caps[req.capability].domain.value
                filled[dom] = filled.get(dom, True) and got == req.count
            expected = [filled[dm] for dm in domains[:-1]] + [all(filled.values())]
            assert expected == oc.cover[r].tolist(), (r, option.id)
            # the coverage in percent is the planner's weighted_coverage of the same units
            by_cap: dict[str, int] = {}
            for pid, u in units.items():
                by_cap[status[pid].capability] = by_cap.get(status[pid].capability, 0) + u
            for c, dom in enumerate(domains):
                reqs = [
                    q
                    for q in mission.requirements
                    if dom == "all" or caps[q.capability].domain.value == dom
                ]
                part = mission.model_copy(update={"requirements": tuple(reqs)})
                want = 100.0 * weighted_coverage(part, by_cap)
                assert oc.coverage[r, c] == pytest.approx(want, abs=1e-9), (r, option.id, dom)
            checked += 1
    return checked


def test_kernel_agrees_with_the_planner_on_ukraine() -> None:
    s = load_scenario("ukraine-2025-04")
    assert _cross_check(s, seed=11, n=8) == 8 * len(mission_options(s))


def test_kernel_agrees_with_the_planner_under_quadratic_loss() -> None:
    s = load_scenario("ukraine-2025-04")
    assert _cross_check(s, seed=12, n=2, utility="quadratic") == 2 * len(mission_options(s))


def test_kernel_agrees_with_the_planner_on_the_template() -> None:
    # the template has an approval, an authorised_by and an issue_max condition, a consent
    # venue and a count-quota venue with vetoes
    s = parse_scenario(template_text())
    assert _cross_check(s, seed=13, n=12) == 12 * len(mission_options(s))


def test_options_are_every_mission_route_and_backstop() -> None:
    s = load_scenario("ukraine-2025-04")
    options = mission_options(s)
    assert len(options) == len(s.missions) * len(s.planning.routes) * len(
        s.dimension("backstop").levels
    )
    assert options[0].id == "reassurance/COALITION/0"


def test_a_pledge_off_the_route_of_its_authorised_by_condition_is_never_used() -> None:
    s = parse_scenario(template_text())
    design = sampling_design(s)
    kernel = compile_options(s, design)
    outcomes = evaluate_options(kernel, draw_inputs(design, 1, 0, 200))
    k = [p.id for p in s.pledges].index("ntr-inf")  # authorised_by UNSC
    for option, oc in zip(kernel.options, outcomes, strict=True):
        if option.route != "UNSC":
            assert not oc.units[:, k].any()


def test_unknown_utility_form_is_rejected() -> None:
    s = parse_scenario(template_text())
    with pytest.raises(ValueError, match="linear' or 'quadratic"):
        compile_options(s, sampling_design(s), utility="cubic")


def test_kernel_gives_the_same_outcome_for_a_replicate_in_any_batch() -> None:
    s = load_scenario("ukraine-2025-04")
    design = sampling_design(s)
    kernel = compile_options(s, design)
    values = draw_inputs(design, 5, 0, 64)
    whole = evaluate_options(kernel, values)
    part = evaluate_options(kernel, values[17:18])
    for a, b in zip(whole, part, strict=True):
        assert np.array_equal(a.accept[17:18], b.accept)
        assert np.array_equal(a.units[17:18], b.units)
