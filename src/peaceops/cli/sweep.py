"""``peaceops sweep`` and ``peaceops sensitivity``: Monte Carlo and Sobol' on the command line.

This module parses the options, calls the durable sweep (:func:`peaceops.workflows.
run_durable_sweep`) with the run store as its journal (:class:`peaceops.store.StoreJournal`) and
presents the result: a sweep stopped at any point is continued with ``--resume RUN``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

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

from peaceops.cli._inputs import load_first
from peaceops.cli._output import OutputFormat, render_rows
from peaceops.cli._progress import working
from peaceops.cli.app import DbOption, FormatOption, SeedOption, app, console, errors
from peaceops.cli.scenarios import ScenarioArg
from peaceops.errors import Problem, ScenarioError

if TYPE_CHECKING:  # the engines and the store load after the inputs are validated
    from peaceops.scenario import Scenario
    from peaceops.store import StoreJournal
    from peaceops.sweep import ExecutorSpec, SweepPlan, SweepResult

__all__ = ["sensitivity", "sweep"]

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
        if resume is None:
            _check_sizes(n, seed, batch_size)
            s = load_first(scenario)
        spec = _executor(executor, workers, dask_local, scheduler)
        if resume is not None:
            if not store:
                _usage("--resume", "--resume reads the store: drop --no-store")
            result, s = _resume(resume, db, spec, progress)
        else:
            from peaceops.sweep import plan_sweep

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
        str | None,
        typer.Option(
            "--output",
            help="The output to explain, e.g. forecast:compromise:timing or "
            "cover:reassurance/COALITION/0:land (see docs/sweep.md); default: the forecast "
            "with the largest variance in a 256-replicate pilot sweep.",
        ),
    ] = None,
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
        s = load_first(scenario)
        from peaceops.sweep import run_sweep
        from peaceops.sweep.sensitivity import sobol_sensitivity

        if seed < 0:
            _usage("--seed", f"must be a non-negative integer; got {seed}")
        if n < 1 or n & (n - 1):
            _usage("-n", f"the base sample size must be a power of two; got {n}")
        if output is None:
            from peaceops.workflows.analysis import sensitivity_target

            with working("pilot sweep: finding the most variable output"):
                pilot = run_sweep(s, n=256, seed=seed, executor="inline", forecast=("compromise",))
            output = sensitivity_target(pilot)
            if output is None:
                console().print(
                    f"No output of {s.id} varies over its uncertain inputs (256-replicate pilot "
                    "sweep): there is nothing to apportion.",
                    markup=False,
                )
                return
            _note(f"explaining {output}: the largest variance in a 256-replicate pilot sweep")
        try:
            with working(f"Sobol indices of {output}"):
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
            from peaceops.store import finish_run, open_store, record_results, start_scenario_run

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
        if fmt is OutputFormat.table and not result.variance > 0:
            from peaceops.report.sections import sensitivity_headline

            console().print(sensitivity_headline(result), markup=False)
            return
        shown = [r for r in rows if r["st"] > 0.01] if fmt is OutputFormat.table else rows
        shown = shown if top <= 0 else shown[:top]
        title = (
            f"What matters most for {output} (Sobol' indices, N={n}, "
            f"{result.n_evaluations} evaluations; mean {result.mean:.3g}, "
            f"sd {result.variance**0.5:.3g})"
        )
        n_quiet = len(rows) - len([r for r in rows if r["st"] > 0.01])
        note = f"{n_quiet} inputs with a total index under 1% not shown." if n_quiet else ""
        text = render_rows(
            shown, fmt=fmt, title=title, console=console(), note=note, view="sensitivity"
        )
        if text is not None:
            typer.echo(text, nl=False)


# ----------------------------------------------------------------------------- running


def _run_new(
    s: Scenario, plan: SweepPlan, db: str | None, store: bool, spec: ExecutorSpec, show: bool
) -> SweepResult:
    from peaceops.store import StoreJournal, open_store
    from peaceops.sweep import execute_sweep

    if not store:
        with _progress(show, plan.n) as report:
            return execute_sweep(plan, executor=spec, progress=report)
    engine = open_store(db)
    try:
        journal = StoreJournal.start_plan(
            engine, s, plan, options={**plan.options(), "executor": spec.describe()}
        )
        _note(f"sweep run {journal.run_id}: {plan.n} replicates in {len(plan.batches())} batches")
        return _durable(plan, journal, spec, show)
    finally:
        engine.dispose()


def _resume(
    run_id: int, db: str | None, spec: ExecutorSpec, show: bool
) -> tuple[SweepResult, Scenario]:
    from peaceops.store import StoreJournal, open_store, stored_plan
    from peaceops.workflows import stored_result, stored_tally

    engine = open_store(db)
    try:
        journal = StoreJournal(engine, run_id)
        with engine.connect() as conn:
            info, s, plan = stored_plan(conn, run_id)
        if info.status == "done":
            _note(f"sweep run {run_id} is already finished")
            return stored_result(plan, journal), s
        done, initial = stored_tally(plan, journal)
        _note(
            f"resuming sweep run {run_id}: {initial.n} of {plan.n} replicates "
            f"({len(done)} of {len(plan.batches())} batches) already stored"
        )
        journal.set_status("running")
        return _durable(plan, journal, spec, show), s
    finally:
        engine.dispose()


def _durable(plan: SweepPlan, journal: StoreJournal, spec: ExecutorSpec, show: bool) -> SweepResult:
    from peaceops.workflows import SweepInterruptedError, run_durable_sweep

    try:
        with _progress(show, plan.n) as report:
            return run_durable_sweep(plan, journal, executor=spec, progress=report, note=_note)
    except SweepInterruptedError as exc:
        Console(stderr=True).print(str(exc), markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None


# ----------------------------------------------------------------------------- helpers


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
    from peaceops.sweep import ExecutorSpec

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


def _usage(option: str, message: str) -> Any:
    raise ScenarioError([Problem(option, None, "", message)])


def _note(message: str) -> None:
    Console(stderr=True, highlight=False).print(message, markup=False)


def _print(result: SweepResult, section: str, fmt: OutputFormat, s: Scenario) -> None:
    from peaceops.sweep import SweepResult

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
