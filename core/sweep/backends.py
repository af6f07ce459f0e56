"""Where a sweep's runs train: a pool of the worker layer (core.workers.choose decides: the
local spawned workers by default, a Dask scheduler when an address is set).

    backend = PoolBackend.new(workers=2)              # or scheduler="tcp://HOST:8786"
    handles = [backend.submit(cfg) for cfg in configs]
    backend.wait(handles, timeout=1.0)                # Finished runs, as they end

The pool hands finished TrainResults back to the submitting process, which writes them to the
store (Dask workers need no shared disk).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.train.config import RunConfig
from core.train.results import TrainResult
from core.workers.choose import make_pool


@dataclass
class Finished:
    handle: object
    result: TrainResult | None
    error: str | None  # why it failed


class PoolBackend:
    """A sweep's view of a pool: its own (closed with the backend), or a shared one (the app's),
    which close() then leaves running."""

    def __init__(self, pool, owned: bool = False):
        self.pool, self.owned = pool, owned
        self.workers = pool.workers

    @classmethod
    def new(cls, workers: int | None = None, scheduler: str | None = None) -> PoolBackend:
        """A pool of its own: on the scheduler when one is given, else `workers` local ones."""
        return cls(make_pool(workers, scheduler), owned=True)

    def submit(self, cfg: RunConfig) -> str:
        return self.pool.submit(cfg)

    def wait(self, handles: list, timeout: float) -> list[Finished]:
        out = []
        for st in self.pool.wait(handles, timeout):
            error = None if st.state == "done" else st.error or "stopped"
            out.append(Finished(st.id, st.result, error))
            self.pool.forget(st.id)
        return out

    def cancel(self, handles: list) -> None:
        """Drop queued runs and stop running ones."""
        for h in handles:
            self.pool.stop(h)
            self.pool.forget(h)

    def close(self) -> None:
        if self.owned:
            self.pool.close()
