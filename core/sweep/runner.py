"""Run a sweep: train every config of the grid that the store does not hold yet (same config
hash), on a backend, and write each result to the store from this process as it arrives."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.runs import stored
from core.store.records import config_hash
from core.store.run_store import RunStore
from core.sweep.grid import Grid
from core.sweep.stored import record_grid
from core.train.config import RunConfig


@dataclass
class SweepProgress:
    total: int  # runs in the grid
    skipped: int  # already in the store when the sweep started
    done: int = 0  # trained (or failed) in this sweep so far
    failed: int = 0  # of which failed
    seconds: float = 0.0  # wall time so far
    failures: list[str] = field(default_factory=list)  # "config: reason"
    stopped: bool = False  # stopped on request before every run finished

    @property
    def remaining(self) -> int:
        return self.total - self.skipped - self.done


def missing_configs(grid: Grid, store: RunStore) -> list[RunConfig]:
    """The grid's configs with no finished run in the store."""
    hashes = {config_hash(c.to_dict()): c for c in grid.configs()}
    have = {r.config_hash for r in store.with_hashes(hashes) if r.status == "done"}
    return [c for h, c in hashes.items() if h not in have]


def run_sweep(
    grid: Grid,
    store: RunStore,
    backend,
    on_progress: Callable[[SweepProgress], None] | None = None,
    stop: threading.Event | None = None,
) -> SweepProgress:
    """Train what is missing; a failed run is recorded with its reason and the sweep goes on.
    Setting `stop` cancels the runs not finished yet: what finished stays in the store, and
    running the sweep again resumes from there."""
    start = time.perf_counter()
    record_grid(store, grid)  # listed by the Sweeps page from now on, whoever ran it
    todo = missing_configs(grid, store)
    progress = SweepProgress(total=len(grid.configs()), skipped=len(grid.configs()) - len(todo))
    pending = {}
    for cfg in todo:
        pending[backend.submit(cfg)] = cfg
    if on_progress:
        on_progress(progress)
    while pending:
        if stop is not None and stop.is_set():
            backend.cancel(list(pending))
            progress.stopped = True
            break
        for item in backend.wait(list(pending), timeout=0.5):
            cfg = pending.pop(item.handle)
            if item.result is not None:
                stored.save_run(store, item.result, kind="sweep", sweep=grid.name)
            else:
                stored.save_failure(store, cfg, item.error, sweep=grid.name)
                progress.failed += 1
                progress.failures.append(f"{grid.values_of(cfg)}: {item.error}")
            progress.done += 1
            progress.seconds = time.perf_counter() - start
            if on_progress:
                on_progress(progress)
    progress.seconds = time.perf_counter() - start
    if on_progress:
        on_progress(progress)
    return progress
