"""The job pool on a Dask distributed cluster: the app's trainings (the Train page's and the
default experiment) go to the scheduler in $GATESCOPE_SCHEDULER, as the sweeps do.

    pool = DaskJobPool("tcp://HOST:8786")    # same methods as core.workers.pool.JobPool
    job_id = pool.submit(cfg)
    pool.status(job_id)                      # JobStatus: state, queue place, step, histories

Each run reports its progress (step and the validation rows so far, as plain lists) on a Dask
Variable of its own; Stop sets a Dask Event that the run checks at every report, so a stopped
run ends on its worker too. The result comes back to this process, which writes the store
(workers need no shared disk). Nothing here imports Dask until a pool is made.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import fields

import numpy as np

from core.heap import keep_freed_heap
from core.train.config import RunConfig
from core.train.loop import TrainProgress, train
from core.train.results import History, TrainResult
from core.workers.pool import JobBook, JobStatus

REPORT_EVERY = 0.25  # seconds between progress reports (evaluations always report)
CONNECT_TIMEOUT = "10s"  # how long to try reaching the scheduler


class StopRequestedError(RuntimeError):
    """Raised inside a run whose Stop was pressed."""


def plain_histories(histories: dict[str, History]) -> dict[str, dict[str, list]]:
    """History arrays as lists (Dask Variables carry msgpack values only)."""
    columns = {m: {f.name: getattr(h, f.name) for f in fields(h)} for m, h in histories.items()}
    return {m: {k: v.tolist() for k, v in c.items() if v is not None} for m, c in columns.items()}


def histories_from_plain(plain: dict[str, dict[str, list]]) -> dict[str, History]:
    return {m: History(**{k: np.asarray(v) for k, v in h.items()}) for m, h in plain.items()}


def train_reporting(config: dict, channel: str) -> TrainResult:
    """One run on a Dask worker: the same seeded training as everywhere else, its progress set
    on Variable(channel), stopped when Event(channel + "-stop") is set."""
    from distributed import Event, Variable

    keep_freed_heap()
    progress, stop = Variable(channel), Event(f"{channel}-stop")
    last = [0.0]
    rows: list = [{}]

    def on_step(p: TrainProgress) -> None:
        now = time.monotonic()
        if p.evaluated:
            rows[0] = plain_histories(p.histories)
        if p.evaluated or now - last[0] >= REPORT_EVERY or p.step == p.steps:
            last[0] = now
            if stop.is_set():
                raise StopRequestedError(f"stopped at step {p.step}")
            progress.set([p.step, p.steps, rows[0]])

    return train(RunConfig.from_dict(config), on_step=on_step)


class DaskJobPool(JobBook):
    """JobPool's interface (submit, status, stop, forget, busy, close) on a Dask scheduler."""

    def __init__(self, address: str):
        from distributed import Client

        super().__init__()
        self.address = address
        self.client = Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT)
        self.workers = len(self.client.scheduler_info().get("workers", {})) or 1
        self._futures: dict[str, object] = {}
        self._token = uuid.uuid4().hex[:12]  # this pool's own Variables and Events

    def submit(self, cfg: RunConfig, key: str | None = None) -> str:
        with self._lock:
            shared = self._shared_job(key)
            if shared:
                return shared
            job_id = self._new_job(cfg, key)
            self._futures[job_id] = self.client.submit(
                train_reporting, cfg.to_dict(), self._channel(job_id), pure=False
            )
        return job_id

    def status(self, job_id: str) -> JobStatus:
        with self._lock:
            st = self._jobs[job_id]
            if not st.finished:
                self._refresh(st)
            if st.state == "queued":
                waiting = [j for j, s in self._jobs.items() if s.state == "queued"]
                st.position = waiting.index(job_id) + 1
            return st

    def stop(self, job_id: str) -> None:
        from distributed import Event

        with self._lock:
            st = self._jobs[job_id]
            if st.finished:
                return
            st.state = "stopped"
            Event(f"{self._channel(job_id)}-stop", client=self.client).set()
            self._futures[job_id].cancel()  # a queued run never starts

    def forget(self, job_id: str) -> None:
        with self._lock:
            if self._forgettable(job_id):
                del self._jobs[job_id]
                self._futures.pop(job_id).release()
                self._drop_variable(job_id)

    def busy(self) -> int:
        with self._lock:
            return sum(s.state == "running" for s in self._jobs.values())

    def close(self) -> None:
        with self._lock:
            self._stop_unfinished()
        self.client.close()

    # ------------------------------------------------------------ internals
    def _channel(self, job_id: str) -> str:
        """The name of the run's progress Variable (and, with "-stop", its stop Event)."""
        return f"gatescope-{self._token}-{job_id}"

    def _drop_variable(self, job_id: str) -> None:
        from distributed import Variable

        with contextlib.suppress(Exception):  # never set, or the scheduler is gone
            Variable(self._channel(job_id), client=self.client).delete()

    def _refresh(self, st: JobStatus) -> None:
        """Read the run's future and progress Variable (lock held)."""
        from distributed import Variable

        future = self._futures[st.id]
        if future.status == "finished":
            st.state, st.result, st.step = "done", future.result(), st.steps
        elif future.status in ("error", "cancelled", "lost"):
            err = future.exception() if future.status == "error" else None
            if isinstance(err, StopRequestedError):
                st.state = "stopped"
            else:
                st.state = "failed"
                st.error = f"{type(err).__name__}: {err}" if err else f"the run was {future.status}"
        else:
            try:
                step, steps, rows = Variable(self._channel(st.id), client=self.client).get(
                    timeout=0.05
                )
            except TimeoutError:  # not started yet
                return
            st.state, st.step, st.steps = "running", step, steps
            if rows:
                st.histories = histories_from_plain(rows)
