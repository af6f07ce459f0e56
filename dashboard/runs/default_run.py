"""The built-in default experiment, trained once per server (or read from the run store) and
shared read-only by every session. Sessions that open the app at once wait on the same job."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import streamlit as st

from core.jobs.pool import JobPool, JobStatus
from core.store.records import StoreError, config_hash
from core.store.run_store import RunStore
from core.train import stored
from core.train.config import RunConfig
from core.train.results import TrainResult

POLL = 0.2  # seconds between looks at the shared job


class SharedRun:
    """One config's run for the whole server: from the store, or from one shared job."""

    def __init__(self, cfg: RunConfig):
        self.cfg = cfg
        self.run: TrainResult | None = None
        self.lock = threading.Lock()

    def get(
        self, pool: JobPool, store: RunStore | None, on_progress: Callable[[JobStatus], None]
    ) -> TrainResult:
        """The run; waits (without computing here) for the shared job. ValueError if it failed."""
        with self.lock:
            if self.run is None and store is not None:
                self.run = _from_store(store, self.cfg)
        while self.run is None:
            status = pool.status(pool.submit(self.cfg, key=f"shared:{self.cfg}"))
            if status.state == "done":
                self._keep(status.result, store)
            elif status.finished:
                raise ValueError(status.error or "training was stopped")
            else:
                on_progress(status)
                time.sleep(POLL)
        return self.run

    def _keep(self, run: TrainResult, store: RunStore | None) -> None:
        with self.lock:
            if self.run is not None:
                return
            self.run = run
            if store is not None:
                with contextlib.suppress(StoreError):  # the app works on the in-memory run
                    stored.save_run(store, run, name="default experiment", kind="default")


@st.cache_resource(show_spinner=False)
def shared_run(cfg: RunConfig, store_key: str | None) -> SharedRun:
    return SharedRun(cfg)


def _from_store(store: RunStore, cfg: RunConfig) -> TrainResult | None:
    found = store.find(config_hash(cfg.to_dict()))
    if found is None or not found.has_weights:
        return None
    try:
        return stored.load_run(store, found.id)
    except StoreError:
        return None
