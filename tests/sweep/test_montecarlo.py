"""Monte Carlo sweeps: the same seed gives the same bits on any executor, batching or resume."""

from __future__ import annotations

import math
import tracemalloc

import pytest

from peaceops import load_scenario, parse_scenario
from peaceops.sweep import (
    BatchResult,
    ExecutorSpec,
    SweepResult,
    Tally,
    execute_sweep,
    plan_sweep,
    run_sweep,
)
from peaceops_testing import template_text

N = 3000
SEED = 20250405


@pytest.fixture(scope="module")
def reference() -> SweepResult:
    """The inline sweep every other executor must reproduce bit for bit."""
    s = load_scenario("ukraine-2025-04")
    return run_sweep(s, n=N, seed=SEED, batch_size=500, forecast=("compromise",), executor="inline")


def test_two_processes_give_the_same_bits_as_one(reference: SweepResult) -> None:
    s = load_scenario("ukraine-2025-04")
    got = run_sweep(
        s,
        n=N,
        seed=SEED,
        batch_size=500,
        forecast=("compromise",),
        executor="processes",
        workers=2,
    )
    assert got.tally == reference.tally
    assert got.to_rows() == reference.to_rows()


@pytest.mark.slow
def test_a_two_worker_dask_cluster_gives_the_same_bits(reference: SweepResult) -> None:
    s = load_scenario("ukraine-2025-04")
    got = run_sweep(
        s, n=N, seed=SEED, batch_size=500, forecast=("compromise",), executor="dask", workers=2
    )
    assert got.tally == reference.tally
    assert got.to_rows() == reference.to_rows()


def test_batch_size_does_not_change_the_aggregates(reference: SweepResult) -> None:
    s = load_scenario("ukraine-2025-04")
    got = run_sweep(s, n=N, seed=SEED, batch_size=701, forecast=("compromise",), executor="inline")
    assert got.tally == reference.tally


def test_a_resumed_sweep_ends_with_the_same_aggregates(reference: SweepResult) -> None:
    s = load_scenario("ukraine-2025-04")
    plan = plan_sweep(s, n=N, seed=SEED, batch_size=500, forecast=("compromise",))
    first: list[BatchResult] = []

    def stop_after_two(result: BatchResult) -> None:
        first.append(result)
        if len(first) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute_sweep(plan, executor=ExecutorSpec("inline"), on_batch=stop_after_two)
    spec = plan.evaluator.spec
    initial = Tally.zeros(len(spec.flags), len(spec.values) + len(spec.series))
    for r in first:
        initial = initial + Tally.from_bytes(r.tally.to_bytes())
    rest: list[int] = []
    got = execute_sweep(
        plan,
        executor=ExecutorSpec("inline"),
        done=[r.batch.index for r in first],
        initial=initial,
        on_batch=lambda r: rest.append(r.batch.index),
    )
    assert got.tally == reference.tally
    assert sorted([r.batch.index for r in first] + rest) == list(range(6))  # none lost, none twice


def test_a_resume_needs_the_tally_of_its_finished_batches() -> None:
    s = parse_scenario(template_text())
    plan = plan_sweep(s, n=10, seed=1, batch_size=5)
    with pytest.raises(ValueError, match="needs the tally"):
        execute_sweep(plan, done=[0])
    with pytest.raises(ValueError, match="covers 0 replicates, not 5"):
        execute_sweep(plan, done=[0], initial=Tally.zeros(len(plan.evaluator.spec.flags), 0))
    with pytest.raises(ValueError, match="outside the plan"):
        execute_sweep(plan, done=[7], initial=Tally.zeros(0, 0))


def test_another_seed_gives_other_draws(reference: SweepResult) -> None:
    s = load_scenario("ukraine-2025-04")
    other = run_sweep(s, n=N, seed=SEED + 1, batch_size=500, forecast=("compromise",))
    assert other.tally != reference.tally


def test_progress_and_batches_are_reported_in_order_of_completion() -> None:
    s = parse_scenario(template_text())
    seen: list[tuple[int, int]] = []
    batches: list[int] = []
    plan = plan_sweep(s, n=1000, seed=3, batch_size=300)
    execute_sweep(
        plan,
        executor=ExecutorSpec("inline"),
        progress=lambda done, n: seen.append((done, n)),
        on_batch=lambda r: batches.append(r.batch.size),
    )
    assert seen == [(0, 1000), (300, 1000), (600, 1000), (900, 1000), (1000, 1000)]
    assert batches == [300, 300, 300, 100]


def _analytic_template() -> str:
    """The template with pledge conditions whose coverage probabilities are known exactly.

    ``ntr-inf`` (the third battalion the mission needs) now depends only on a parliament
    approving (0.7) and its uncertain quantity being 1 (0 or 1, each 1/2): the land
    requirement is covered with probability 0.35. ``ntr-med`` (the only hospital) waits for
    the ceasefire (0.5). The two are independent, so everything is covered with 0.175.
    """
    text = template_text()
    text = text.replace(
        "      - {kind: authorised_by, venue: UNSC}\n      - {kind: approval, body: Parliament",
        "      - {kind: approval, body: Parliament",
    )
    text = text.replace(
        "      - {kind: issue_max, issue: alliance_share, value: 50}",
        "      - {kind: after_event, event: ceasefire}",
    )
    return text


def test_coverage_probabilities_match_their_exact_values() -> None:
    s = parse_scenario(_analytic_template())
    n = 6000
    r = run_sweep(s, n=n, seed=7, executor="inline")
    for option in ("monitors/UNSC/0", "monitors/COALITION/100"):
        for domain, p in (("land", 0.35), ("medical", 0.5), ("all", 0.175)):
            stats = r.probability(f"cover:{option}:{domain}")
            # 4.5 standard errors: a false alarm has two-sided probability 7e-6 per check
            assert abs(stats.p - p) < 4.5 * math.sqrt(p * (1 - p) / n), (option, domain)
            assert stats.ci_low <= stats.p <= stats.ci_high
    # the adversary's red line (no alliance troops on host territory) always binds
    assert r.probability("accept:monitors/UNSC/0:ADV").p == 0.0
    assert r.probability("authorise:monitors/UNSC/0:UNSC").p == 0.0


def test_result_rows_cover_every_output_with_errors(reference: SweepResult) -> None:
    rows = reference.to_rows()
    assert set(rows) == {
        "sweep",
        "sweep_inputs",
        "sweep_probabilities",
        "sweep_coverage",
        "sweep_forecasts",
        "sweep_trajectories",
    }
    assert len(rows["sweep_probabilities"]) == len(reference.spec.flags)
    first = rows["sweep_probabilities"][0]
    assert set(first) >= {"option", "kind", "subject", "p", "se", "ci_low", "ci_high", "n"}
    assert rows["sweep"][0]["seed"] == str(SEED)
    forecast = rows["sweep_forecasts"][0]
    assert forecast["n"] == N
    assert forecast["q05"] <= forecast["q50"] <= forecast["q95"]
    assert len(rows["sweep_trajectories"]) == len(reference.spec.series)
    with pytest.raises(KeyError, match="did you mean"):
        reference.probability("cover:reassurance/COALITION/0:lnd")


def test_memory_is_flat_in_the_number_of_replicates() -> None:
    s = parse_scenario(template_text())

    def peak(n: int) -> int:
        tracemalloc.start()
        run_sweep(s, n=n, seed=1, batch_size=500, forecast=("compromise",), executor="inline")
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(2000), peak(20_000)
    assert large < 1.25 * small  # ten times the replicates, not ten times the memory


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be a positive integer"),
        ({"n": 10, "batch_size": 0}, "batch_size must be a positive integer"),
    ],
)
def test_bad_sweep_sizes_are_rejected(kwargs: dict[str, int], message: str) -> None:
    s = parse_scenario(template_text())
    with pytest.raises(ValueError, match=message):
        plan_sweep(s, **kwargs)


def test_executor_spec_is_validated() -> None:
    with pytest.raises(ValueError, match="executor must be one of"):
        ExecutorSpec("threads")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive integer"):
        ExecutorSpec("processes", 0)
    with pytest.raises(ValueError, match="needs the dask executor"):
        ExecutorSpec("processes", 2, "tcp://127.0.0.1:8786")
    assert ExecutorSpec("auto").resolved(1).kind == "inline"
    assert ExecutorSpec("auto", 2).resolved(4).kind == "processes"
    assert ExecutorSpec("auto", None, "tcp://x:1").resolved(4).kind == "dask"


def test_map_batches_streams_every_item_once() -> None:
    from peaceops.sweep.executors import map_batches

    items = list(range(7))
    got = sorted(map_batches(_square, 10, items, executor=ExecutorSpec("inline")))
    assert got == [(i, 10 + i * i) for i in items]
    assert list(map_batches(_square, 10, [], executor=ExecutorSpec("processes", 2))) == []


def _square(offset: int, x: int) -> int:
    return offset + x * x


def test_option_rows_summarise_each_option() -> None:
    s = parse_scenario(_analytic_template())
    r = run_sweep(s, n=500, seed=2, executor="inline")
    rows = r.option_rows(parties=["HST", "ADV"])
    assert len(rows) == 4  # one mission x two routes x two levels of support
    row = next(x for x in rows if (x["route"], x["support"]) == ("UNSC", 0.0))
    assert row["p_covered"] == r.probability("cover:monitors/UNSC/0:all").p
    assert row["p_authorised"] == r.probability("authorise:monitors/UNSC/0:UNSC").p
    assert (row["p_HST"], row["p_ADV"]) == (1.0, 0.0)
    assert row["n_reject"] >= 1
