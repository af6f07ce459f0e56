"""The worker layer's Dask adapter: every job (core.workers.tasks: the Train page's trainings,
the default experiment, sweeps, translation trainings) goes to the scheduler in
$GATESCOPE_SCHEDULER (core.workers.choose decides).

    pool = DaskJobPool("tcp://HOST:8786")    # same methods as core.workers.pool.JobPool
    job_id = pool.submit(cfg)
    pool.status(job_id)                      # JobStatus: state, queue place, step, histories

Each job reports its progress on a Dask Variable of its own; Stop sets a Dask Event that the
job checks at every report, so a stopped job ends on its worker too. The result comes back to
this process, which writes the store (workers need no shared disk). Nothing here imports Dask
until a pool is made.
"""

from __future__ import annotations

import contextlib
import pickle  # noqa: S403 - progress from this pool's own tasks
import time
import uuid

from core.workers.pool import JobBook, JobStatus
from core.workers.tasks import REPORT_EVERY, as_task

CONNECT_TIMEOUT = "10s"  # how long to try reaching the scheduler


class StopRequestedError(RuntimeError):
    """Raised inside a run whose Stop was pressed."""


def run_reporting(task, channel: str):
    """One task on a Dask worker: its progress (step, steps and the pickled latest histories
    and every event: Variables carry msgpack values) set on Variable(channel) at most every
    REPORT_EVERY seconds; a set Event(channel + "-stop") ends it (graceful_stop tasks are
    asked through should_stop, others stop at their next report)."""
    from distributed import Event, Variable

    progress, stop = Variable(channel), Event(f"{channel}-stop")
    last, rows, events, asked = [0.0], [None], [], [False]

    def report(step: int, steps: int, histories=None, event=None) -> None:
        rows[0] = histories if histories is not None else rows[0]
        if event is not None:
            events.append(event)
        now = time.monotonic()
        if histories is not None or event is not None or now - last[0] >= REPORT_EVERY:
            last[0] = now
            asked[0] = asked[0] or stop.is_set()
            if asked[0] and not task.graceful_stop:
                raise StopRequestedError(f"stopped at step {step}")
            progress.set([step, steps, pickle.dumps((rows[0], events))])

    def should_stop() -> bool:
        return asked[0]

    return task.run(report, should_stop)


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

    def submit(self, work, key: str | None = None) -> str:
        with self._lock:
            shared = self._shared_job(key)
            if shared:
                return shared
            task = as_task(work)
            job_id = self._new_job(task, key)
            self._futures[job_id] = self.client.submit(
                run_reporting, task, self._channel(job_id), pure=False
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
            if st.finished or st.stopping:
                return
            Event(f"{self._channel(job_id)}-stop", client=self.client).set()
            if st.state == "running" and self._tasks[job_id].graceful_stop:
                st.stopping = True  # it finishes with its result
                return
            st.state = "stopped"
            self._futures[job_id].cancel()  # a queued run never starts

    def forget(self, job_id: str) -> None:
        with self._lock:
            if self._forgettable(job_id):
                del self._jobs[job_id]
                self._tasks.pop(job_id, None)
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
                step, steps, packed = Variable(self._channel(st.id), client=self.client).get(
                    timeout=0.05
                )
            except TimeoutError:  # not started yet
                return
            histories, events = pickle.loads(packed)  # noqa: S301
            st.state, st.events = "running", list(events)
            self._progress(st, step, steps, histories, None)
