"""Where a sweep's runs train: the local worker pool (default) or a Dask distributed cluster.

Both take configs and hand back finished TrainResults to the submitting process, which writes
them to the store (Dask workers need no shared disk). Dask is imported only by DaskBackend.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from core.heap import keep_freed_heap
from core.train.config import RunConfig
from core.train.loop import train
from core.train.results import TrainResult
from core.workers.pool import JobPool

SCHEDULER_ENV = "GATESCOPE_SCHEDULER"


@dataclass
class Finished:
    handle: object  # what submit returned
    result: TrainResult | None  # None when the run failed
    error: str | None  # why it failed


def train_remote(config: dict) -> TrainResult:
    """One run on a Dask worker: the same seeded training as everywhere else (with malloc
    thresholds that suit training, see core.heap)."""
    keep_freed_heap()
    return train(RunConfig.from_dict(config))


class LocalBackend:
    """Spawned worker processes on this machine (core.workers.pool): a new pool, or a shared one
    (the app's), which close() then leaves running."""

    def __init__(self, workers: int | None = None, pool: JobPool | None = None):
        self.owned = pool is None
        self.pool = pool if pool is not None else JobPool(workers=workers)
        self.workers = self.pool.workers

    def submit(self, cfg: RunConfig) -> str:
        return self.pool.submit(cfg)

    def wait(self, handles: list, timeout: float) -> list[Finished]:
        deadline = time.monotonic() + timeout
        while True:
            out = []
            for h in handles:
                st = self.pool.status(h)
                if st.finished:
                    out.append(
                        Finished(
                            h, st.result, None if st.state == "done" else st.error or "stopped"
                        )
                    )
                    self.pool.forget(h)
            if out or time.monotonic() >= deadline:
                return out
            time.sleep(0.02)

    def cancel(self, handles: list) -> None:
        """Drop queued runs and kill running ones (their workers are replaced)."""
        for h in handles:
            self.pool.stop(h)
            self.pool.forget(h)

    def close(self) -> None:
        if self.owned:
            self.pool.close()


class DaskBackend:
    """A Dask distributed scheduler at `address` (tcp://HOST:8786), through its futures API."""

    def __init__(self, address: str):
        from distributed import Client

        self.client = Client(address, set_as_default=False)
        self.workers = len(self.client.scheduler_info().get("workers", {})) or 1

    def submit(self, cfg: RunConfig):
        return self.client.submit(train_remote, cfg.to_dict(), pure=False)

    def wait(self, handles: list, timeout: float) -> list[Finished]:
        deadline = time.monotonic() + timeout
        while True:
            out = [self._finished(f) for f in handles if f.done()]
            if out or time.monotonic() >= deadline:
                return out
            time.sleep(0.02)

    @staticmethod
    def _finished(future) -> Finished:
        if future.status == "finished":
            item = Finished(future, future.result(), None)
        else:
            err = future.exception()
            item = Finished(future, None, f"{type(err).__name__}: {err}")
        future.release()
        return item

    def cancel(self, handles: list) -> None:
        """Cancel the futures: queued runs never start, running ones are abandoned."""
        self.client.cancel(handles)

    def close(self) -> None:
        self.client.close()


def make_backend(workers: int | None = None, scheduler: str | None = None):
    """DaskBackend when a scheduler address is given, else the local pool."""
    return DaskBackend(scheduler) if scheduler else LocalBackend(workers)
