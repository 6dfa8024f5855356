"""The durable, resumable sweep: batches kept in a journal as they finish, resumed after a stop.

:func:`run_durable_sweep` runs the batches of a plan that its journal does not hold yet, hands
each finished batch to the journal (the run store writes it in its own transaction:
:class:`peaceops.store.StoreJournal`), and computes the final aggregates from what the journal
holds, whatever process stored it. A sweep stopped at any point (Ctrl-C, a killed process, a
lost machine) is continued with the same plan and ends with the same aggregates as one that
ran straight through. Progress goes to callbacks; nothing here prints or touches a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import pandas as pd

from peaceops.errors import PeaceopsError, StoreError
from peaceops.scenario import Scenario, parse_scenario
from peaceops.sweep import (
    Batch,
    BatchResult,
    ExecutorSpec,
    SweepPlan,
    SweepResult,
    Tally,
    execute_sweep,
    plan_sweep,
    replicate_frame,
)
from peaceops.sweep.montecarlo import decode_outputs, sweep_result

__all__ = [
    "SweepInterruptedError",
    "SweepJournal",
    "plan_from_record",
    "replicate_frames",
    "run_durable_sweep",
    "stored_result",
    "stored_tally",
    "sweep_outputs",
]

#: ``progress(replicates_done, n)`` after each batch.
Progress = Callable[[int, int], None]
#: ``note(message)``: one line about the run (started, resumed, recorded).
Note = Callable[[str], None]


class SweepJournal(Protocol):
    """Where a durable sweep keeps its finished batches (one run)."""

    @property
    def run_id(self) -> int:
        """The run the batches belong to."""
        ...

    def tallies(self) -> Iterable[tuple[int, bytes]]:
        """``(batch index, tally bytes)`` of every batch held."""
        ...

    def record(self, *, batch: int, first: int, stop: int, tally: bytes, outputs: bytes) -> None:
        """Keep one finished batch (atomically: all of it or nothing)."""
        ...

    def interrupted(self) -> int:
        """Mark the run interrupted; the replicates held."""
        ...

    def finish(self, sections: dict[str, list[dict[str, Any]]]) -> None:
        """Keep the final result rows by section and mark the run done."""
        ...


class SweepInterruptedError(PeaceopsError):
    """A durable sweep was stopped (Ctrl-C); its finished batches are kept for a resume."""

    def __init__(self, run_id: int, replicates_done: int, n: int) -> None:
        self.run_id = run_id
        self.replicates_done = replicates_done
        self.n = n
        super().__init__(
            f"interrupted: {replicates_done} of {n} replicates stored; "
            f"continue with: peaceops sweep --resume {run_id}"
        )


def sweep_outputs(plan: SweepPlan) -> dict[str, list[str]]:
    """Output names by block (``flags``, ``values``), as a journal records them.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> from peaceops.sweep import plan_sweep
    >>> outputs = sweep_outputs(plan_sweep(load_scenario("ukraine-2025-04"), n=10, seed=1))
    >>> sorted(outputs), outputs["values"][0]
    (['flags', 'values'], 'coverage:reassurance/COALITION/0:command')
    """
    spec = plan.evaluator.spec
    return {"flags": list(spec.flag_names), "values": list(spec.values)}


def plan_from_record(
    run_id: int,
    scenario_text: str,
    *,
    n: int,
    seed: int,
    batch_size: int,
    options: dict[str, Any],
    outputs: dict[str, list[str]],
) -> tuple[Scenario, SweepPlan]:
    """Rebuild the plan of a stored sweep from its record.

    Raises
    ------
    StoreError
        When this version of peaceops would compute other outputs than the stored ones.

    Examples
    --------
    A stored run's record rebuilds the same plan (its outputs must match this version's):

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.scenario.load import canonical_json
    >>> from peaceops.sweep import plan_sweep
    >>> plan = plan_sweep(s, n=40, seed=1, batch_size=20)
    >>> again, plan2 = plan_from_record(7, canonical_json(s), n=40, seed=1, batch_size=20,
    ...                             options={}, outputs=sweep_outputs(plan))
    >>> again == s, plan2.n, [(b.start, b.stop) for b in plan2.batches()]
    (True, 40, [(0, 20), (20, 40)])
    """
    s = parse_scenario(scenario_text, file=f"<run {run_id}>")
    plan = plan_sweep(
        s,
        n=n,
        seed=seed,
        batch_size=batch_size,
        forecast=tuple(options.get("forecast", ())),
        rounds=options.get("rounds"),
        utility=options.get("utility", "linear"),
    )
    if sweep_outputs(plan) != outputs:
        raise StoreError(
            f"run {run_id} was stored with other outputs (package version changed?): "
            "this version cannot read it"
        )
    return s, plan


def run_durable_sweep(
    plan: SweepPlan,
    journal: SweepJournal,
    *,
    executor: ExecutorSpec | None = None,
    progress: Progress | None = None,
    note: Note | None = None,
) -> SweepResult:
    """Run the batches of ``plan`` that ``journal`` lacks, keep each, aggregate them all.

    Raises
    ------
    SweepInterruptedError
        On ``KeyboardInterrupt``: the journal is marked interrupted and keeps every batch
        finished so far.

    Examples
    --------
    A journal kept in memory; a real one is :class:`peaceops.store.StoreJournal`:

    >>> from peaceops.scenario import load_scenario
    >>> from peaceops.sweep import ExecutorSpec, plan_sweep
    >>> class Memory:
    ...     run_id = 1
    ...     def __init__(self) -> None:
    ...         self.batches: dict[int, bytes] = {}
    ...     def tallies(self):
    ...         return list(self.batches.items())
    ...     def record(self, *, batch, first, stop, tally, outputs):
    ...         self.batches[batch] = tally
    ...     def interrupted(self):
    ...         return 0
    ...     def finish(self, sections):
    ...         self.sections = sorted(sections)
    >>> plan = plan_sweep(load_scenario("ukraine-2025-04"), n=60, seed=1, batch_size=30)
    >>> journal = Memory()
    >>> run_durable_sweep(plan, journal, executor=ExecutorSpec("inline")).n
    60
    >>> sorted(journal.batches), "sweep_probabilities" in journal.sections
    ([0, 1], True)
    """
    done, initial = stored_tally(plan, journal)

    def keep(result: BatchResult) -> None:
        journal.record(**result.to_record())

    try:
        execute_sweep(
            plan,
            executor=executor,
            done=done,
            initial=initial if done else None,
            on_batch=keep,
            progress=progress,
        )
    except KeyboardInterrupt:
        raise SweepInterruptedError(journal.run_id, journal.interrupted(), plan.n) from None
    result = stored_result(plan, journal)  # the final aggregates come from what is kept
    journal.finish(result.to_rows())
    if note is not None:
        note(f"sweep run {journal.run_id} recorded")
    return result


def stored_tally(plan: SweepPlan, journal: SweepJournal) -> tuple[tuple[int, ...], Tally]:
    """Indices of the batches a journal holds and their summed tally.

    Examples
    --------
    A journal that holds the two batches of a 40-replicate sweep:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.sweep import ExecutorSpec, execute_sweep, plan_sweep
    >>> plan = plan_sweep(s, n=40, seed=1, batch_size=20)
    >>> kept = []
    >>> result = execute_sweep(plan, executor=ExecutorSpec("inline"),
    ...                    on_batch=lambda b: kept.append(b.to_record()))
    >>> class Kept:
    ...     run_id = 1
    ...     def tallies(self):
    ...         return [(k["batch"], k["tally"]) for k in kept]
    ...
    >>> done, total = stored_tally(plan, Kept())
    >>> done, total.n, total.n == result.n
    ((0, 1), 40, True)
    """
    spec = plan.evaluator.spec
    total = Tally.zeros(len(spec.flags), len(spec.values) + len(spec.series))
    done = []
    for index, tally in journal.tallies():
        total = total + Tally.from_bytes(tally)
        done.append(index)
    return tuple(done), total


def stored_result(plan: SweepPlan, journal: SweepJournal) -> SweepResult:
    """The aggregates of the batches a journal holds.

    Examples
    --------
    The aggregates of what a journal holds equal those of the sweep that stored it:

    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.sweep import ExecutorSpec, execute_sweep, plan_sweep
    >>> plan = plan_sweep(s, n=40, seed=1, batch_size=20)
    >>> kept = []
    >>> result = execute_sweep(plan, executor=ExecutorSpec("inline"),
    ...                    on_batch=lambda b: kept.append(b.to_record()))
    >>> class Kept:
    ...     run_id = 1
    ...     def tallies(self):
    ...         return [(k["batch"], k["tally"]) for k in kept]
    ...
    >>> stored = stored_result(plan, Kept())
    >>> stored.n, stored.probability_rows() == result.probability_rows()
    (40, True)
    """
    return sweep_result(plan, stored_tally(plan, journal)[1])


def replicate_frames(
    plan: SweepPlan, batches: Iterable[tuple[int, int, int, bytes]]
) -> Iterator[pd.DataFrame]:
    """One frame per stored batch ``(index, first, stop, outputs)``: inputs and outputs per
    replicate (inputs drawn again from the seed: they are a pure function of it).

    Examples
    --------
    >>> from peaceops.scenario import template_scenario
    >>> s = template_scenario()
    >>> from peaceops.sweep import ExecutorSpec, execute_sweep, plan_sweep
    >>> plan = plan_sweep(s, n=40, seed=1, batch_size=20)
    >>> kept = []
    >>> _ = execute_sweep(plan, executor=ExecutorSpec("inline"),
    ...               on_batch=lambda b: kept.append(b.to_record()))
    >>> stored = [(k["batch"], k["first"], k["stop"], k["outputs"]) for k in kept]
    >>> frames = list(replicate_frames(plan, stored))
    >>> [len(f) for f in frames], int(frames[1]["replicate"].iloc[0])
    ([20, 20], 20)
    """
    for index, first, stop, outputs in batches:
        flags, values = decode_outputs(outputs)
        yield replicate_frame(plan, Batch(index, first, stop), flags, values)
