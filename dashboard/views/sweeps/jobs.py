"""Sweeps started from the Sweeps page: each runs core.sweep.runner in a server thread, on the
shared worker pool (or the Dask scheduler in $GATESCOPE_SCHEDULER), writing to the run store.
Every session sees every sweep of the server, and every sweep the store records (run with the
CLI, or before a restart); the page polls the running ones' progress."""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass, field, replace

import streamlit as st

from core.store.records import StoreError
from core.store.run_store import RunStore
from core.sweep.backends import PoolBackend
from core.sweep.estimate import RECENT_RUNS, duration_text, estimate_sweep
from core.sweep.grid import Grid
from core.sweep.names import sweep_key
from core.sweep.runner import SweepProgress, missing_configs, run_sweep
from core.sweep.stored import stored_grids, sweep_name
from core.train.config import RunConfig
from core.workers.choose import SCHEDULER_ENV
from dashboard.session.services import current_store, job_pool


@dataclass
class SweepJob:
    grid: Grid
    store: RunStore
    where: str  # "local workers" or the scheduler address
    progress: SweepProgress | None = None  # latest progress (None until submitted)
    error: str | None = None  # why the sweep could not run
    thread: threading.Thread | None = field(default=None, repr=False)
    stop_requested: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()


@st.cache_resource(show_spinner=False)
def sweeps() -> dict[str, SweepJob]:
    """name -> SweepJob, for the whole server."""
    return {}


@st.cache_resource(show_spinner=False)
def fallback_store() -> RunStore:
    """A temporary store for sweeps when the configured one cannot be used."""
    return RunStore(tempfile.mkdtemp(prefix="gatescope-sweeps-"))


def sweep_store() -> RunStore:
    return current_store().store or fallback_store()


def every_sweep() -> tuple[dict[str, SweepJob], list[str]]:
    """(name -> SweepJob, this server's sweeps last; a sentence per recorded sweep that cannot
    be shown). A sweep recorded in the store but not run by this server is a finished view of
    its stored runs: no thread, no progress."""
    store = sweep_store()
    try:
        recorded = stored_grids(store)
    except StoreError as err:
        return sweeps(), [f"The run store's sweeps cannot be listed: {err}"]
    jobs = sweeps()
    shown = {
        s.name: SweepJob(s.grid, store, "the run store")
        for s in reversed(recorded)  # oldest first
        if s.grid is not None and s.name not in jobs
    }
    return shown | jobs, [s.problem for s in recorded if s.problem is not None]


def named(grid: Grid) -> Grid:
    """The grid under its sweep's name: a stored sweep making the same runs is joined."""
    try:
        return replace(grid, name=sweep_name(sweep_store(), grid))
    except StoreError:  # every_sweep names the problem; the sweep still runs
        return replace(grid, name=sweep_key(grid))


def start(grid: Grid) -> SweepJob:
    """Start (or resume) the sweep; an already running sweep of that name is returned as is."""
    jobs = sweeps()
    if grid.name in jobs and jobs[grid.name].running:
        return jobs[grid.name]
    scheduler = os.environ.get(SCHEDULER_ENV)
    job = SweepJob(grid, sweep_store(), scheduler or "local workers")
    job.thread = threading.Thread(
        target=_run, args=(job, scheduler), daemon=True, name=f"sweep-{grid.name}"
    )
    jobs[grid.name] = job
    job.thread.start()
    return job


def stop(name: str) -> None:
    """Ask a running sweep to stop: unfinished runs are cancelled, finished ones stay stored."""
    job = sweeps().get(name)
    if job is not None:
        job.stop_requested.set()


def _run(job: SweepJob, scheduler: str | None) -> None:
    try:
        backend = PoolBackend(job_pool())  # the server's pool (local, or on the scheduler)
    except (OSError, ValueError, TimeoutError) as err:
        job.error = f"cannot reach the scheduler {scheduler}: {err}"
        return
    try:
        run_sweep(
            job.grid,
            job.store,
            backend,
            on_progress=lambda p: setattr(job, "progress", p),
            stop=job.stop_requested,
        )
    except Exception as err:  # noqa: BLE001 - a sweep thread must report, never vanish
        job.error = f"{type(err).__name__}: {err}"
    finally:
        backend.close()


def estimate_text(grid: Grid) -> str:
    """How long the grid's missing runs take here, from stored runs' timings (an estimate)."""
    store = sweep_store()
    todo = missing_configs(grid, store)
    if not todo:
        return "All of them are stored: Run shows them without training."
    scheduler = os.environ.get(SCHEDULER_ENV)
    workers = 1 if scheduler else job_pool().workers
    timed = timed_runs(store, str(store.folder), sum(store.counts().values()))
    guess = estimate_sweep(todo, timed, workers)
    where = (
        "one worker (the scheduler may run several at once)"
        if scheduler
        else f"{guess.workers} local workers"
    )
    stored = len(grid.configs()) - len(todo)
    which = f"The {len(todo)} not stored yet take" if stored else "Takes"
    return f"{which} {duration_text(guess.seconds)} on {where}: an estimate {guess.basis}."


@st.cache_data(show_spinner=False, max_entries=4)
def timed_runs(_store: RunStore, folder: str, runs_stored: int) -> list[tuple[RunConfig, float]]:
    """(config, training seconds) of the store's newest finished one-model runs; read again
    when the store (its folder) or the number of runs in it changes."""
    out = []
    for run in _store.list_runs()[:RECENT_RUNS]:
        if run.status == "done" and len(run.models) == 1:
            try:
                out.append((RunConfig.from_dict(run.config), run.seconds))
            except (TypeError, ValueError):  # a config of an older version: no timing from it
                continue
    return out
