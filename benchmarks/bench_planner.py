"""Benchmark of the force planner on a generated scenario (not collected by pytest).

A scenario of 60 actors and 25 capability types is generated with a fixed seed and validated
by :func:`peaceops.scenario.parse_scenario`: 40 contributors with three conditional pledges
each (issue thresholds, authorisation, events, approvals, participation), stances on seven
issues, red lines, four venues (a 15-member council with five vetoes, a 30-member alliance
deciding by unanimity, an opt-in coalition, the parties' consent) and a mission of 25
requirements. We time one plan (it must be proven optimal in under 2 s) and a 20-point
frontier (under 30 s), record peak memory, and write ``benchmarks/results/planner.md``.

Usage: ``python benchmarks/bench_planner.py`` (or ``make bench``).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from _machine import cpu_model
from peaceops.planning import ConditionState, pareto_frontier, solve_force_generation
from peaceops.scenario import Scenario, parse_scenario

SEED = 20250405
N_ACTORS = 60
N_CAPABILITIES = 25
N_CONTRIBUTORS = 40
PLAN_LIMIT_S = 2.0
FRONTIER_LIMIT_S = 30.0
OUT = Path(__file__).resolve().parent / "results" / "planner.md"
DOMAINS = (
    "land",
    "air",
    "air_defence",
    "maritime",
    "medical",
    "logistics",
    "engineering",
    "isr",
    "signals",
    "command",
)


def generate(
    seed: int = SEED, n_actors: int = N_ACTORS, n_capabilities: int = N_CAPABILITIES
) -> Scenario:
    """The benchmark scenario (same seed and size, same scenario).

    Larger sizes keep the proportions of the default 60 x 25: two thirds of the actors
    contribute (three pledges each), half of them are in the alliance, one requirement per
    capability."""
    rng = np.random.default_rng(seed)
    src = ["bench"]
    n_contributors = n_actors * N_CONTRIBUTORS // N_ACTORS
    actors = [f"A{i:02d}" for i in range(n_actors)]
    host, adversary = actors[0], actors[1]
    alliance = set(actors[2 : 2 + n_actors // 2])
    council = [adversary, *actors[2:6], *actors[40:50]]  # 5 vetoes (adversary + 4), 10 elected
    coalition = actors[2 : n_contributors + 2]
    doc: dict[str, Any] = {
        "format_version": 1,
        "id": "bench-planner",
        "name": "Generated planner benchmark",
        "as_of": "2025-01-01",
        "time": {"start": "2025-01-01"},
        "sources": [
            {
                "id": "bench",
                "title": "Generated benchmark data",
                "publisher": "peaceops benchmarks",
                "date": "2025-01-01",
                "kind": "judgement",
                "rationale": f"Random values drawn with numpy seed {seed}.",
            }
        ],
        "groups": [
            {"id": "ALLIANCE", "name": "Alliance", "sources": src},
            {"id": "VETO", "name": "Veto holders", "sources": src},
            {"id": "COAL", "name": "Coalition", "sources": src},
        ],
    }
    doc["actors"] = [
        {
            "id": a,
            "name": f"Actor {a}",
            "kind": "state",
            "groups": (["ALLIANCE"] if a in alliance else [])
            + (["VETO"] if a in council[:5] else [])
            + (["COAL"] if a in coalition else []),
            "clout": {"value": round(float(rng.uniform(0.05, 1)), 3), "sources": src},
            "population": {
                "value": float(rng.integers(10**6, 10**8)),
                "year": 2024,
                "sources": src,
            },
            "gdp_usd": {
                "value": float(rng.integers(10**10, 4 * 10**12)),
                "year": 2024,
                "sources": src,
            },
        }
        for a in actors
    ]
    scale = {"0": "low", "50": "middle", "100": "high"}
    doc["issues"] = [
        {
            "id": "ground",
            "name": "Ground presence",
            "scale": scale,
            "status_quo": 0,
            "sources": src,
            "design": {"kind": "personnel", "full_scale": 20000, "domains": ["land"]},
        },
        {
            "id": "alliance_share",
            "name": "Alliance share",
            "scale": scale,
            "status_quo": 0,
            "sources": src,
            "design": {"kind": "group_share", "group": "ALLIANCE"},
        },
        {
            "id": "mandate_route",
            "name": "Council mandate",
            "scale": scale,
            "status_quo": 0,
            "sources": src,
            "design": {"kind": "route", "values": {"COUNCIL": 100, "ALLY": 30}},
        },
        {
            "id": "backstop",
            "name": "Backstop",
            "scale": scale,
            "status_quo": 0,
            "sources": src,
            "design": {"kind": "choice", "field": "backstop"},
        },
        {
            "id": "mandate",
            "name": "Mandate",
            "scale": scale,
            "status_quo": 0,
            "sources": src,
            "design": {"kind": "choice", "field": "mandate"},
        },
        {
            "id": "zone",
            "name": "Zone",
            "scale": scale,
            "status_quo": 0,
            "sources": src,
            "design": {"kind": "choice", "field": "zone"},
        },
        {
            "id": "timing",
            "name": "Timing",
            "scale": scale,
            "status_quo": 0,
            "sources": src,
            "design": {"kind": "choice", "field": "timing"},
        },
    ]
    issues = [i["id"] for i in doc["issues"]]
    stances: dict[str, dict[str, Any]] = {}
    for a in actors:
        chosen = rng.choice(issues, size=int(rng.integers(2, 6)), replace=False)
        stances[a] = {
            str(i): {
                "position": float(rng.integers(0, 101)),
                "salience": round(float(rng.uniform(0.1, 1)), 2),
                "sources": src,
            }
            for i in chosen
        }
    stances[host] = {
        "ground": {"position": 80, "salience": 0.9, "sources": src},
        "backstop": {"position": 100, "salience": 0.6, "sources": src},
    }
    stances[adversary] = {
        "ground": {"position": 0, "salience": 0.8, "sources": src},
        "alliance_share": {"position": 0, "salience": 1.0, "sources": src},
        "mandate_route": {"position": 100, "salience": 0.7, "sources": src},
    }
    doc["stances"] = stances
    caps = [f"C{k:02d}" for k in range(n_capabilities)]
    doc["capabilities"] = [
        {
            "id": c,
            "name": f"Capability {c}",
            "domain": DOMAINS[k % len(DOMAINS)],
            "unit": "unit",
            "personnel": int(rng.integers(40, 900)),
            "sources": src,
        }
        for k, c in enumerate(caps)
    ]
    pledges = []
    contributors = actors[2 : n_contributors + 2]
    for a in contributors:
        for c in rng.choice(caps, size=3, replace=False):
            conds: list[dict[str, Any]] = []
            r = rng.random()
            if r < 0.2:
                conds.append(
                    {
                        "kind": "issue_max",
                        "issue": "alliance_share",
                        "value": float(rng.integers(40, 90)),
                    }
                )
            elif r < 0.4:
                conds.append({"kind": "issue_min", "issue": "backstop", "value": 50})
            elif r < 0.5:
                conds.append({"kind": "authorised_by", "venue": "COUNCIL"})
            elif r < 0.6:
                other = str(rng.choice([x for x in contributors if x != a]))
                conds.append({"kind": "requires_participation", "actor": other})
            if rng.random() < 0.4:
                conds.append({"kind": "after_event", "event": "ceasefire"})
            if rng.random() < 0.3:
                conds.append(
                    {
                        "kind": "approval",
                        "body": "Parliament",
                        "probability": round(float(rng.uniform(0.3, 1)), 2),
                    }
                )
            low = int(rng.integers(0, 4))
            pledges.append(
                {
                    "id": f"{a}-{c}",
                    "actor": a,
                    "capability": str(c),
                    "quantity": {"low": low, "high": low + int(rng.integers(0, 3))},
                    "conditions": conds,
                    "sources": src,
                }
            )
    doc["pledges"] = pledges
    doc["red_lines"] = [
        {
            "id": "adv-no-alliance",
            "actor": adversary,
            "description": "No alliance troops.",
            "rule": {"kind": "no_troops", "from_group": "ALLIANCE"},
            "sources": src,
        },
        {
            "id": "adv-council",
            "actor": adversary,
            "description": "Only with a council mandate.",
            "rule": {"kind": "requires_authorisation", "venue": "COUNCIL"},
            "sources": src,
        },
        {
            "id": "host-presence",
            "actor": host,
            "description": "Troops on the ground.",
            "rule": {"kind": "issue_min", "issue": "ground", "value": 2},
            "sources": src,
        },
        *(
            {
                "id": f"{a}-own",
                "actor": a,
                "description": "No own troops on host territory.",
                "rule": {"kind": "no_troops", "from_actors": [a]},
                "sources": src,
            }
            for a in contributors[::8]
        ),
    ]
    doc["venues"] = [
        {
            "id": "COUNCIL",
            "name": "Council",
            "rule": {"kind": "count_quota", "quota": 9, "vetoes": {"groups": ["VETO"]}},
            "members": {"actors": council},
            "sources": src,
        },
        {
            "id": "ALLY",
            "name": "Alliance council",
            "rule": {"kind": "unanimity"},
            "members": {"groups": ["ALLIANCE"]},
            "sources": src,
        },
        {
            "id": "COALITION",
            "name": "Coalition",
            "rule": {"kind": "opt_in", "min_members": 2},
            "members": {"groups": ["COAL"]},
            "sources": src,
        },
        {
            "id": "PARTIES",
            "name": "Parties",
            "rule": {"kind": "consent"},
            "members": {"actors": [host, adversary]},
            "sources": src,
        },
    ]
    doc["events"] = [
        {"id": "ceasefire", "name": "Ceasefire", "probability": 0.6, "sources": src},
        {"id": "settlement", "name": "Settlement", "probability": 0.2, "sources": src},
    ]
    doc["missions"] = [
        {
            "id": "force",
            "name": "Generated force",
            "route": "COALITION",
            "zone": 40,
            "mandate": 50,
            "timing": 70,
            "rotation_factor": 3,
            "requirements": [
                {
                    "capability": c,
                    "count": int(rng.integers(1, 13)),
                    "priority": int(rng.integers(1, 6)),
                    "in_host": k % len(DOMAINS) == 0 or bool(rng.random() < 0.7),
                }
                for k, c in enumerate(caps)
            ],
            "sources": src,
        }
    ]
    doc["planning"] = {
        "routes": ["COALITION", "COUNCIL", "ALLY"],
        "backstop_levels": [0, 50, 100],
        "host": host,
        "adversary": adversary,
    }
    return parse_scenario(json.dumps(doc), file="<bench>", json_first=True)


def machine() -> dict[str, str]:
    """Figures of the machine the benchmark ran on."""
    cpu = cpu_model()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    import ortools

    return {
        "nproc": nproc or "unknown",
        "cpu": cpu,
        "python": platform.python_version(),
        "ortools": ortools.__version__,
        "platform": platform.platform(),
    }


SCALES = ((60, 25), (120, 50), (240, 100))
SCALE_TARGETS = {  # (actors, capabilities) -> seconds (issue 15)
    ("plan", 240, 100): 10.0,
    ("frontier", 120, 50): 30.0,
}


def _stage_log() -> list[tuple[float, str, int, float]]:
    """Record every CP-SAT stage: seconds, status, value and best bound (benchmark only)."""
    import peaceops.planning._solve as solve

    log: list[tuple[float, str, int, float]] = []
    inner = solve._solve_stage

    def timed(model: Any, solver: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        out = inner(model, solver, *args, **kwargs)
        log.append(
            (time.perf_counter() - t0, model.last_status, out[0], solver.best_objective_bound)
        )
        return out

    solve._solve_stage = timed
    return log


def _frontier_values(scenario: Scenario, state: ConditionState) -> list[tuple[float, float, bool]]:
    """(coverage, utility, proven) of every point of a 20-point frontier."""
    front = pareto_frontier(scenario, "force", n_points=20, state=state)
    return [(p.coverage, p.utility, p.status == "OPTIMAL") for p in front.points]


def workers_agree(scenario: Scenario, state: ConditionState) -> tuple[bool, int]:
    """Whether the frontier's objective values with 1 CP-SAT worker equal those with 2 at every
    point both runs proved, and how many points that is (a point stopped by the wall-clock
    time limit depends on the machine's load, not on the workers)."""
    import peaceops.planning._solve as solve

    saved = solve.NUM_WORKERS
    try:
        solve.NUM_WORKERS = 1
        one = _frontier_values(scenario, state)
        solve.NUM_WORKERS = 2
        two = _frontier_values(scenario, state)
    finally:
        solve.NUM_WORKERS = saved
    both = [(a[:2], b[:2]) for a, b in zip(one, two, strict=True) if a[2] and b[2]]
    return all(a == b for a, b in both), len(both)


def scaling(state: ConditionState, *, full: bool) -> list[str]:
    """How plan and frontier times grow with the generated scenario's size."""
    log = _stage_log()
    out = [
        "Scaling (same generator, proportions kept; one run each, time limit 30 s per CP-SAT "
        "stage; stages in order: coverage, fairness, design tie-break; a FEASIBLE stage shows "
        "its relative gap to CP-SAT's proven bound when the time limit stopped it; load is the "
        "1-minute load average before the row, on 2 cores; CPU s is the process's CPU time, "
        "all threads, which a loaded machine inflates far less than wall time):",
        "",
        "| actors x capabilities | pledges | load | plan s (CPU s) | plan stages (s, status) | "
        "20-point frontier s (CPU s) | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, c in SCALES:
        scenario = generate(n_actors=n, n_capabilities=c)
        load = os.getloadavg()[0]
        log.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        solve_force_generation(
            scenario, "force", require_acceptance=[scenario.actors[0].id], state=state,
            explain=False,
        )  # fmt: skip
        t_plan, c_plan = time.perf_counter() - t0, time.process_time() - c0
        stages = []
        for secs, status, value, bound in log:
            gap = (
                ""
                if status == "OPTIMAL"
                else f", gap {abs(value - bound) / max(abs(value), 1):.0%}"
            )
            stages.append(f"{secs:.1f} {status}{gap}")
        front, front_cpu = "-", ""
        if n <= 60 or (full and n <= 120):
            t0, c0 = time.perf_counter(), time.process_time()
            points = pareto_frontier(scenario, "force", n_points=20, state=state).points
            front = f"{time.perf_counter() - t0:.1f}"
            proven = sum(p.status == "OPTIMAL" for p in points)
            front_cpu = f" ({time.process_time() - c0:.1f}), {proven}/{len(points)} proven"
        targets = []
        timed_runs = (("plan", t_plan), ("frontier", None if front == "-" else float(front)))
        for kind, took in timed_runs:
            limit = SCALE_TARGETS.get((kind, n, c))
            if limit is not None and took is not None:
                targets.append(f"{kind} < {limit:g} s: {'met' if took < limit else 'MISSED'}")
        out.append(
            f"| {n} x {c} | {len(scenario.pledges)} | {load:.1f} | {t_plan:.1f} ({c_plan:.1f}) | "
            f"{'; '.join(stages)} | {front}{front_cpu} | {', '.join(targets) or '-'} |"
        )
        print(out[-1], flush=True)
    if not full:
        out += [
            "",
            "Frontiers above 60 x 25 run with `--full` (120 x 50; minutes on a loaded machine).",
        ]
    return out


def main() -> int:
    start = time.perf_counter()
    scenario = generate()
    t_gen = time.perf_counter() - start
    state = ConditionState()
    load = os.getloadavg()[0]
    times, plan, designs = [], None, set()
    for _ in range(3):
        t0 = time.perf_counter()
        plan = solve_force_generation(
            scenario,
            "force",
            require_acceptance=[scenario.actors[0].id],
            state=state,
            explain=False,
        )
        times.append(time.perf_counter() - t0)
        designs.add(plan.design)
    assert plan is not None
    statuses = {o.name: o.status for o in plan.objectives}
    t0 = time.perf_counter()
    front = pareto_frontier(scenario, "force", n_points=20, state=state)
    t_front = time.perf_counter() - t0
    again = pareto_frontier(scenario, "force", n_points=20, state=state)
    agree, n_both = workers_agree(scenario, state)
    proven = sum(p.status == "OPTIMAL" for p in front.points)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    plan_ok = all(s == "OPTIMAL" for s in statuses.values()) and min(times) < PLAN_LIMIT_S
    rows = [
        (
            "scenario",
            f"{len(scenario.actors)} actors, {len(scenario.capabilities)} capabilities, "
            f"{len(scenario.pledges)} pledges, {len(scenario.missions[0].requirements)} "
            f"requirements, {len(scenario.venues)} venues",
        ),
        ("generate + validate", f"{t_gen:.2f} s"),
        ("plan (coverage, fairness), best of 3", f"{min(times):.3f} s (limit {PLAN_LIMIT_S} s)"),
        ("plan stages", ", ".join(f"{k}: {v}" for k, v in statuses.items())),
        ("plan coverage / personnel", f"{plan.coverage:.4f} / {plan.personnel}"),
        ("plan deterministic (three runs equal)", str(len(designs) == 1)),
        ("frontier, 20 points", f"{t_front:.2f} s (limit {FRONTIER_LIMIT_S} s)"),
        ("frontier distinct points", str(len(front.efficient))),
        ("frontier points proven optimal", f"{proven} of {len(front.points)}"),
        ("frontier deterministic (two runs equal)", str(front == again)),
        (
            "frontier values equal with 1 and 2 CP-SAT workers",
            f"{agree} (at the {n_both} points both proved)",
        ),
        ("peak memory (max RSS)", f"{peak_mb:.0f} MB"),
    ]
    info = machine()
    info["load average at start"] = f"{load:.2f} (the machine is shared)"
    table = ["| measure | value |", "|---|---|"]
    table += [f"| {k} | {v} |" for k, v in rows]
    table += ["", *scaling(state, full="--full" in sys.argv)]
    text = "\n".join(table)
    print(text)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        "# Planner benchmark\n\n"
        "Written by `benchmarks/bench_planner.py` (generated scenario, numpy seed "
        f"{SEED}; CP-SAT: one worker, sequential search, fixed seed; each stage solved on a "
        "copy of the model with its requirements fixed).\n\n"
        + text
        + "\n\nMachine: "
        + ", ".join(f"{k} {v}" for k, v in info.items())
        + "\n",
        encoding="utf-8",
    )
    ok = plan_ok and t_front < FRONTIER_LIMIT_S and front == again and agree and len(designs) == 1
    if not ok:
        print("FAILED: a limit was exceeded or a result was not reproducible", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
