"""The seed tree: no two random steps of a run share a stream (docs/randomness.md)."""

from __future__ import annotations

import numpy as np
import pytest

from peaceops._seeds import ANALYSIS, ANALYSIS_STEPS, SOBOL, step_seed, stream

N_REPLICATES = 2000  # the default sweep of an analysis


def _state(seq: np.random.SeedSequence) -> tuple[int, ...]:
    return tuple(int(v) for v in seq.generate_state(4))


def _run_streams(root: int) -> dict[str, tuple[int, ...]]:
    """First state of every stream a sweep and a Sobol' analysis on ``root`` draw from."""
    out = {f"replicate {i}": _state(stream(root, i)) for i in range(N_REPLICATES)}
    out["sobol scramble"] = _state(stream(root, SOBOL, 0))
    out["sobol bootstrap"] = _state(stream(root, SOBOL, 1))
    return out


@pytest.mark.parametrize("root", [0, 1, 20250405, 2**127 + 3])
def test_no_two_steps_share_a_stream(root: int) -> None:
    streams = {f"direct {k}": v for k, v in _run_streams(root).items()}
    for step in ANALYSIS_STEPS:
        seed = step_seed(root, step)
        streams[f"{step} step"] = _state(stream(root, ANALYSIS, ANALYSIS_STEPS.index(step)))
        streams[f"{step} root"] = _state(np.random.SeedSequence(seed))  # make_rng(seed)
        streams.update({f"{step} {k}": v for k, v in _run_streams(seed).items()})
    values = list(streams.values())
    assert len(set(values)) == len(values)


def test_sobol_streams_are_not_those_of_replicates_0_and_1() -> None:
    """The old keys (0,) and (1,) were exactly replicates 0 and 1."""
    assert _state(stream(7, SOBOL, 0)) != _state(stream(7, 0))
    assert _state(stream(7, SOBOL, 1)) != _state(stream(7, 1))
    assert stream(7, 0).spawn_key == np.random.SeedSequence(7).spawn(1)[0].spawn_key


def test_step_seeds_are_reproducible_and_distinct() -> None:
    seeds = [step_seed(20250405, step) for step in ANALYSIS_STEPS]
    assert seeds == [step_seed(20250405, step) for step in ANALYSIS_STEPS]
    assert len(set(seeds)) == len(seeds)
    assert all(0 <= s < 2**128 for s in seeds)


def test_analyse_hands_each_step_its_own_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """analyse calls Shapley, the sweep and Sobol' with the step seeds, not the root seed."""
    import peaceops.workflows.analysis as workflow
    from peaceops.scenario import load_scenario

    seen: dict[str, object] = {}

    def spy(name: str, real: object) -> object:
        def call(*args: object, **kwargs: object) -> object:
            seen[name] = kwargs["seed"]
            return real(*args, **kwargs)  # type: ignore[operator]

        return call

    monkeypatch.setenv("PEACEOPS_SIDE", "inline")  # the spies see calls in this process only
    for name in ("coverage_shapley", "run_sweep", "sobol_sensitivity"):
        monkeypatch.setattr(workflow, name, spy(name, getattr(workflow, name)))
    workflow.analyse(
        load_scenario("ukraine-2025-04"), seed=5, models=(), n_replicates=64, n_sensitivity=8
    )
    assert seen == {
        "coverage_shapley": step_seed(5, "shapley"),
        "run_sweep": step_seed(5, "sweep"),
        "sobol_sensitivity": step_seed(5, "sensitivity"),
    }
