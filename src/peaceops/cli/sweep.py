"""``peaceops sweep`` and ``peaceops sensitivity``: Monte Carlo and Sobol' on the command line.

The engine (:mod:`peaceops.sweep`) never touches the store: this module wires them together.
Each finished batch is written in its own transaction as it arrives, so a sweep stopped at any
point (Ctrl-C, a killed process, a lost machine) is continued with ``--resume RUN`` and ends
with the same aggregates as one that ran straight through. The final aggregates are computed
from the stored batches, whatever process stored them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli.app import DbOption, FormatOption, SeedOption, app, console, errors
from peaceops.cli.scenarios import ScenarioArg
from peaceops.errors import Problem, ScenarioError, StoreError
from peaceops.scenario import Scenario, load_scenario, parse_scenario
from peaceops.store import (
    Connection,
    SweepInfo,
    finish_run,
    get_sweep,
    iter_batches,
    open_store,
    record_batch,
    record_final,
    record_results,
    scenario_json,
    set_run_status,
    start_scenario_run,
    start_sweep,
)
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
from peaceops.sweep.sensitivity import sobol_sensitivity

__all__ = ["export_replicates", "sensitivity", "stored_plan", "sweep"]

#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class ExecutorChoice(StrEnum):
    """``--executor`` values."""

    auto = "auto"
    inline = "inline"
    processes = "processes"
    dask = "dask"


class Grouping(StrEnum):
    """``--groups`` values of ``peaceops sensitivity``."""

    input = "input"
    actor = "actor"
    kind = "kind"


N_Option = Annotated[int | None, typer.Option("-n", "--n", help="Replicates (default 10000).")]
DaskLocalOption = Annotated[
    int | None,
    typer.Option("--dask-local", help="Start a local Dask cluster of K worker processes."),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://HOST:8786)."),
]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", help="Processes of the local pool (default: cores).")
]
ExecutorOption = Annotated[
    ExecutorChoice,
    typer.Option(
        "--executor",
        help="inline, processes, dask, or auto (inline for small sweeps, else processes).",
        case_sensitive=False,
    ),
]
UtilityOption = Annotated[str, typer.Option("--utility", help="Utility form: linear or quadratic.")]


@app.command("sweep")
def sweep(
    scenario: ScenarioArg = "ukraine-2025-04",
    n: N_Option = None,
    seed: SeedOption = 20250405,
    dask_local: DaskLocalOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    executor: ExecutorOption = ExecutorChoice.auto,
    batch_size: Annotated[
        int | None,
        typer.Option("--batch-size", help="Replicates per batch (default n/20, 100..2000)."),
    ] = None,
    forecast: Annotated[
        str,
        typer.Option(
            "--forecast",
            help="Forecast models per replicate, comma-separated (compromise, "
            "expected_utility, smp), or 'none'.",
        ),
    ] = "compromise",
    utility: UtilityOption = "linear",
    resume: Annotated[
        int | None,
        typer.Option(
            "--resume",
            help="Continue stored sweep RUN (scenario, n, seed, batches: from the store).",
        ),
    ] = None,
    db: DbOption = None,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Keep the sweep in the store.")
    ] = True,
    section: Annotated[
        str,
        typer.Option(
            "--section",
            help="What to print: options (the option matrix), probabilities, forecasts, "
            "trajectories, inputs.",
        ),
    ] = "options",
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show the progress bar (stderr).")
    ] = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Monte Carlo sweep: probabilities that parties accept, venues authorise and domains are
    covered, per mission option, and forecast distributions, with standard errors."""
    with errors():
        spec = _executor(executor, workers, dask_local, scheduler)
        if resume is not None:
            if not store:
                _usage("--resume", "--resume reads the store: drop --no-store")
            result, s = _resume(resume, db, spec, progress)
        else:
            _check_sizes(n, seed, batch_size)
            s = load_scenario(scenario)
            plan = plan_sweep(
                s,
                n=10_000 if n is None else n,
                seed=seed,
                batch_size=batch_size,
                forecast=_models(forecast),
                utility=_utility(utility),
            )
            result = _run_new(s, plan, db, store, spec, progress)
        _print(result, section, fmt, s)


@app.command("sensitivity")
def sensitivity(
    scenario: ScenarioArg = "ukraine-2025-04",
    output: Annotated[
        str,
        typer.Option(
            "--output",
            help="The output to explain, e.g. cover:reassurance/COALITION/0:land or "
            "forecast:compromise:timing (see docs/sweep.md).",
        ),
    ] = "cover:reassurance/COALITION/0:land",
    n: Annotated[int, typer.Option("-n", "--n", help="Base sample size N, a power of two.")] = 512,
    seed: SeedOption = 20250405,
    groups: Annotated[
        Grouping,
        typer.Option("--groups", help="One index per input, per actor or per kind of input."),
    ] = Grouping.input,
    top: Annotated[int, typer.Option("--top", help="Rows to print (0: all).")] = 15,
    dask_local: DaskLocalOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    executor: ExecutorOption = ExecutorChoice.inline,
    utility: UtilityOption = "linear",
    db: DbOption = None,
    store: Annotated[bool, typer.Option("--store/--no-store", help="Record the run.")] = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Sobol' first-order and total indices of one output: which uncertain input matters most."""
    with errors():
        s = load_scenario(scenario)
        if seed < 0:
            _usage("--seed", f"must be a non-negative integer; got {seed}")
        if n < 1 or n & (n - 1):
            _usage("-n", f"the base sample size must be a power of two; got {n}")
        try:
            result = sobol_sensitivity(
                s,
                output=output,
                n=n,
                seed=seed,
                grouping=groups.value,
                utility=_utility(utility),
                executor=_executor(executor, workers, dask_local, scheduler),
            )
        except KeyError as exc:
            _usage("--output", str(exc.args[0]) if exc.args else str(exc))
        rows = result.to_rows()
        if store:
            engine = open_store(db)
            try:
                with engine.begin() as conn:
                    run_id = start_scenario_run(
                        conn,
                        s,
                        kind="sensitivity",
                        seed=seed,
                        options={
                            "output": output,
                            "n": n,
                            "seed": str(seed),
                            "groups": groups.value,
                            "utility": utility,
                        },
                    )
                    record_results(conn, run_id, "sensitivity", rows)
                    finish_run(conn, run_id)
            finally:
                engine.dispose()
            _note(f"run {run_id} recorded")
        shown = rows if top <= 0 else rows[:top]
        title = (
            f"What matters most for {output} (Sobol' indices, N={n}, "
            f"{result.n_evaluations} evaluations; mean {result.mean:.3g})"
        )
        text = render_rows(shown, fmt=fmt, title=title, console=console())
        if text is not None:
            typer.echo(text, nl=False)


# ----------------------------------------------------------------------------- running


def _run_new(
    s: Scenario, plan: SweepPlan, db: str | None, store: bool, spec: ExecutorSpec, show: bool
) -> SweepResult:
    if not store:
        return _execute(plan, spec, show, None, (), None)
    engine = open_store(db)
    try:
        with engine.begin() as conn:
            run_id = start_scenario_run(
                conn,
                s,
                kind="sweep",
                seed=plan.seed,
                options={**plan.options(), "executor": spec.describe()},
            )
            start_sweep(
                conn,
                run_id,
                n=plan.n,
                seed=plan.seed,
                batch_size=plan.batch_size,
                n_batches=len(plan.batches()),
                plan=plan.options(),
                outputs=_outputs(plan),
            )
        _note(f"sweep run {run_id}: {plan.n} replicates in {len(plan.batches())} batches")
        return _execute_stored(engine, run_id, plan, spec, show, (), None)
    finally:
        engine.dispose()


def stored_plan(conn: Connection, run_id: int) -> tuple[SweepInfo, Scenario, SweepPlan]:
    """The stored sweep ``run_id``: its record, its scenario and the plan that rebuilds it.

    Raises
    ------
    StoreError
        When the run is not a sweep, or this version of peaceops would compute other outputs.
    """
    info = get_sweep(conn, run_id)
    s = parse_scenario(scenario_json(conn, info.scenario_hash), file=f"<run {run_id}>")
    plan = plan_sweep(
        s,
        n=info.n,
        seed=info.seed,
        batch_size=info.batch_size,
        forecast=tuple(info.plan.get("forecast", ())),
        rounds=info.plan.get("rounds"),
        utility=_utility(str(info.plan.get("utility", "linear"))),
    )
    if _outputs(plan) != info.outputs:
        raise StoreError(
            f"run {run_id} was stored with other outputs (package version changed?): "
            "this version cannot read it"
        )
    return info, s, plan


def export_replicates(conn: Connection, run_id: int, out: Path, *, suffix: str = "") -> int:
    """Write one row per replicate of sweep ``run_id`` (inputs, outputs) to ``out``.

    The format follows the suffix (``.csv``, ``.json``, ``.parquet``). Batches are read and
    written one at a time, so memory does not grow with the sweep. Inputs are drawn again from
    the stored seed (they are a pure function of seed and replicate). Returns the rows written.
    """
    _, _, plan = stored_plan(conn, run_id)
    suffix = suffix or out.suffix.lower()
    writer: Any = None
    n_rows = 0
    with out.open("w", encoding="utf-8", newline="") if suffix != ".parquet" else _null() as fh:
        if suffix == ".json":
            fh.write("[")
        for stored in iter_batches(conn, run_id):
            flags, values = decode_outputs(stored.outputs)
            batch = Batch(stored.batch, stored.first, stored.stop)
            frame = replicate_frame(plan, batch, flags, values)
            if suffix == ".csv":
                frame.to_csv(fh, index=False, header=n_rows == 0)
            elif suffix == ".json":
                body = frame.to_json(orient="records")
                fh.write(("," if n_rows else "") + body[1:-1])
            else:
                writer = _parquet_write(writer, frame, out)
            n_rows += len(frame)
        if suffix == ".json":
            fh.write("]")
    if writer is not None:
        writer.close()
    if suffix == ".parquet" and writer is None:
        _parquet_write(None, replicate_frame(plan, Batch(0, 0, 0), *_no_outputs(plan)), out).close()
    return n_rows


def _resume(
    run_id: int, db: str | None, spec: ExecutorSpec, show: bool
) -> tuple[SweepResult, Scenario]:
    engine = open_store(db)
    try:
        with engine.connect() as conn:
            info, s, plan = stored_plan(conn, run_id)
            done, initial = _stored_tally(conn, run_id, plan)
        if info.status == "done":
            _note(f"sweep run {run_id} is already finished")
            return sweep_result(plan, initial), s
        _note(
            f"resuming sweep run {run_id}: {initial.n} of {plan.n} replicates "
            f"({len(done)} of {len(plan.batches())} batches) already stored"
        )
        with engine.begin() as conn:
            set_run_status(conn, run_id, "running")
        return _execute_stored(engine, run_id, plan, spec, show, done, initial), s
    finally:
        engine.dispose()


def _execute_stored(
    engine: Any,
    run_id: int,
    plan: SweepPlan,
    spec: ExecutorSpec,
    show: bool,
    done: tuple[int, ...],
    initial: Tally | None,
) -> SweepResult:
    def sink(result: BatchResult) -> None:
        with engine.begin() as conn:
            record_batch(conn, run_id, **result.to_record())

    try:
        _execute(plan, spec, show, sink, done, initial)
    except KeyboardInterrupt:
        with engine.begin() as conn:
            set_run_status(conn, run_id, "interrupted")
            info = get_sweep(conn, run_id)
        Console(stderr=True).print(
            f"interrupted: {info.replicates_done} of {plan.n} replicates stored; "
            f"continue with: peaceops sweep --resume {run_id}",
            markup=False,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    with engine.connect() as conn:  # the final aggregates come from what the store holds
        _, total = _stored_tally(conn, run_id, plan)
    result = sweep_result(plan, total)
    with engine.begin() as conn:  # once, even when two resumes of the run finish together
        record_final(conn, run_id, result.to_rows())
    _note(f"sweep run {run_id} recorded")
    return result


def _execute(
    plan: SweepPlan,
    spec: ExecutorSpec,
    show: bool,
    sink: Any,
    done: tuple[int, ...],
    initial: Tally | None,
) -> SweepResult:
    with _progress(show, plan.n) as report:
        return execute_sweep(
            plan, executor=spec, done=done, initial=initial, on_batch=sink, progress=report
        )


def _stored_tally(conn: Any, run_id: int, plan: SweepPlan) -> tuple[tuple[int, ...], Tally]:
    spec = plan.evaluator.spec
    total = Tally.zeros(len(spec.flags), len(spec.values) + len(spec.series))
    done = []
    for stored in iter_batches(conn, run_id, outputs=False):
        total = total + Tally.from_bytes(stored.tally)
        done.append(stored.batch)
    return tuple(done), total


# ----------------------------------------------------------------------------- helpers


@contextmanager
def _null() -> Iterator[Any]:
    yield None


def _parquet_write(writer: Any, frame: pd.DataFrame, out: Path) -> Any:
    try:
        pa: Any = importlib.import_module("pyarrow")
        pq: Any = importlib.import_module("pyarrow.parquet")
    except ImportError as exc:
        raise ImportError("Parquet export needs pyarrow: uv pip install pyarrow") from exc
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if writer is None:
        writer = pq.ParquetWriter(str(out), table.schema)
    writer.write_table(table)
    return writer


def _no_outputs(plan: SweepPlan) -> tuple[Any, Any]:
    spec = plan.evaluator.spec
    return np.zeros((0, len(spec.flags)), dtype=bool), np.zeros((0, len(spec.values)))


class _RateColumn(ProgressColumn):
    """Replicates per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} rep/s")


@contextmanager
def _progress(show: bool, total: int) -> Iterator[Any]:
    if not show:
        yield None
        return
    bar = Progress(
        TextColumn("sweep"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("replicates"),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    with bar:
        task = bar.add_task("sweep", total=total)

        def report(done: int, _total: int) -> None:
            bar.update(task, completed=done)

        yield report


def _executor(
    kind: ExecutorChoice, workers: int | None, dask_local: int | None, scheduler: str | None
) -> ExecutorSpec:
    if dask_local is not None and scheduler is not None:
        _usage("--dask-local", "give --dask-local K or --scheduler ADDRESS, not both")
    if dask_local is not None:
        if dask_local < 1:
            _usage("--dask-local", f"needs at least one worker; got {dask_local}")
        return ExecutorSpec("dask", dask_local)
    if scheduler is not None:
        return ExecutorSpec("dask", None, scheduler)
    if workers is not None and workers < 1:
        _usage("--workers", f"needs at least one worker; got {workers}")
    return ExecutorSpec(kind.value, workers)


def _check_sizes(n: int | None, seed: int, batch_size: int | None) -> None:
    if n is not None and n < 1:
        _usage("-n", f"needs at least one replicate; got {n}")
    if seed < 0:
        _usage("--seed", f"must be a non-negative integer; got {seed}")
    if batch_size is not None and batch_size < 1:
        _usage("--batch-size", f"needs at least one replicate per batch; got {batch_size}")


def _models(text: str) -> tuple[str, ...]:
    from peaceops.sweep import FORECAST_MODELS

    if text.strip().lower() in ("", "none"):
        return ()
    models = tuple(m.strip() for m in text.split(",") if m.strip())
    bad = [m for m in models if m not in FORECAST_MODELS]
    if bad:
        _usage("--forecast", f"unknown model(s) {', '.join(bad)}; use {', '.join(FORECAST_MODELS)}")
    return models


def _utility(text: str) -> Any:
    if text not in ("linear", "quadratic"):
        _usage("--utility", f"{text!r} is not linear or quadratic")
    return text


def _outputs(plan: SweepPlan) -> dict[str, list[str]]:
    spec = plan.evaluator.spec
    return {"flags": list(spec.flag_names), "values": list(spec.values)}


def _usage(option: str, message: str) -> Any:
    raise ScenarioError([Problem(option, None, "", message)])


def _note(message: str) -> None:
    Console(stderr=True, highlight=False).print(message, markup=False)


def _print(result: SweepResult, section: str, fmt: OutputFormat, s: Scenario) -> None:
    def options(r: SweepResult) -> list[dict[str, Any]]:
        parties = [a for a in (s.planning.host, s.planning.adversary) if a is not None]
        return r.option_rows(parties=parties)

    sections: dict[str, Callable[[SweepResult], list[dict[str, Any]]]] = {
        "options": options,
        "probabilities": SweepResult.probability_rows,
        "forecasts": SweepResult.forecast_rows,
        "trajectories": SweepResult.trajectory_rows,
        "inputs": _input_rows,
    }
    if section not in sections:
        _usage("--section", f"{section!r} is not one of {', '.join(sections)}")
    out = console()
    rows = sections[section](result)
    title = f"{result.scenario_id}: {result.n} replicates, seed {result.seed}"
    text = render_rows(rows, fmt=fmt, title=f"{title} ({section})", console=out)
    if text is not None:
        typer.echo(text, nl=False)
    if section == "options" and fmt is OutputFormat.table and result.spec.values:
        render_rows(result.forecast_rows(), fmt=fmt, title="Forecast at the horizon", console=out)
    sys.stdout.flush()


def _input_rows(result: SweepResult) -> list[dict[str, Any]]:
    return result.design.to_rows()
