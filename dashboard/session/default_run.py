"""The built-in default experiment, trained once per server (or read from the run store) and
shared read-only by every session. Sessions that open the app at once wait on the same jobs:
one per model when the pool has workers to spare (the parts train in parallel and are merged,
core.train.split), else one for the whole run."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import streamlit as st

from core.runs import stored
from core.store.records import StoredRun, StoreError, config_hash
from core.store.run_store import RunStore
from core.train.config import RunConfig
from core.train.results import TrainResult
from core.train.split import merge_parts, model_parts
from core.workers.pool import JobPool, JobStatus

POLL = 0.2  # seconds between looks at the shared job


class SharedRun:
    """One config's run for the whole server: from the store, or from shared jobs."""

    def __init__(self, cfg: RunConfig):
        self.cfg = cfg
        self.run: TrainResult | None = None
        self.joint = len(cfg.models) < 2  # train the run as one job (not one per model)
        self.started = False  # start() has run
        self.lock = threading.Lock()

    def start(self, pool: JobPool, store: RunStore | None) -> None:
        """Submit the shared jobs without waiting for them (once; nothing when the run is in
        the store), so that training starts before the page that waits for it has loaded."""
        with self.lock:
            if self.started or self.run is not None:
                return
            self.started = True
        if store is None or _stored(store, self.cfg) is None:
            for c in self._configs(pool):
                pool.submit(c, key=f"shared:{c}")

    def get(
        self, pool: JobPool, store: RunStore | None, on_progress: Callable[[JobStatus], None]
    ) -> TrainResult:
        """The run; waits (without computing here) for the shared jobs. ValueError if one
        failed or was stopped."""
        with self.lock:
            if self.run is None and store is not None:
                self.run = _from_store(store, self.cfg)
        while self.run is None:
            configs = self._configs(pool)
            statuses = [pool.status(pool.submit(c, key=f"shared:{c}")) for c in configs]
            if all(s.state == "done" for s in statuses):
                self._finish([s.result for s in statuses], store)
                continue
            ended = [s for s in statuses if s.finished and s.state != "done"]
            if ended:
                raise ValueError(ended[0].error or "training was stopped")
            on_progress(_overall(self.cfg, statuses))
            time.sleep(POLL)
        return self.run

    def _configs(self, pool: JobPool) -> list[RunConfig]:
        return [self.cfg] if self.joint or pool.workers < 2 else model_parts(self.cfg)

    def _finish(self, results: list[TrainResult], store: RunStore | None) -> None:
        run = results[0] if len(results) == 1 else merge_parts(self.cfg, results)
        if run is None:  # a part stopped early: only the joint run says what happens then
            self.joint = True
            return
        self._keep(run, store)

    def _keep(self, run: TrainResult, store: RunStore | None) -> None:
        with self.lock:
            if self.run is not None:
                return
            self.run = run
            if store is not None:
                with contextlib.suppress(StoreError):  # the app works on the in-memory run
                    stored.save_run(store, run, name="default experiment", kind="default")


def _overall(cfg: RunConfig, statuses: list[JobStatus]) -> JobStatus:
    """One status for the parts: queued while any waits for a worker, else the slowest's step;
    the histories of every part so far."""
    queued = [s for s in statuses if s.state == "queued"]
    slowest = min(statuses, key=lambda s: s.step)
    return JobStatus(
        id=slowest.id,
        config=cfg,
        state="queued" if queued else "running",
        position=min(s.position for s in queued) if queued else 0,
        step=slowest.step,
        steps=cfg.steps,
        histories={m: h for s in statuses for m, h in s.histories.items()},
    )


@st.cache_resource(show_spinner=False)
def shared_run(cfg: RunConfig, store_key: str | None) -> SharedRun:
    return SharedRun(cfg)


def _stored(store: RunStore, cfg: RunConfig) -> StoredRun | None:
    """cfg's newest finished run in the store, if its weights are there too."""
    found = store.find(config_hash(cfg.to_dict()))
    return found if found is not None and found.has_weights else None


def _from_store(store: RunStore, cfg: RunConfig) -> TrainResult | None:
    found = _stored(store, cfg)
    if found is None:
        return None
    try:
        return stored.load_run(store, found.id)
    except StoreError:
        return None
