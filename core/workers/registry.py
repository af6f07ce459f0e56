"""The server's training jobs, owned by the server rather than by the browser tab that submitted
them: any session lists the unfinished jobs (with their progress) and can stop one, and a
collector thread saves each finished run in the run store whether or not a page is still open.

    jobs = TrainingJobs(pool, store)
    job, new = jobs.submit(cfg, "recall, T = 40")  # new is False: an identical job was running
    jobs.unfinished()                               # [Job(id, name, config)], oldest first
    jobs.status(job.id)                             # the pool's JobStatus (None once ended)
    jobs.outcome(job.id)                            # Outcome once ended: state, run, message

A closed tab stops nothing; Stop does. Outcomes of the last KEEP_OUTCOMES jobs are kept so that
the page that submitted one can show its run.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from core.runs import stored
from core.store.records import StoreError
from core.store.run_store import RunStore
from core.train.config import RunConfig
from core.train.results import TrainResult
from core.workers.pool import JobStatus

POLL = 0.5  # seconds between the collector's looks at the pool
KEEP_OUTCOMES = 32  # ended jobs remembered for the pages that show them


@dataclass(frozen=True)
class Job:
    id: str
    name: str  # the run's name in the store
    config: RunConfig


@dataclass(frozen=True)
class Outcome:
    job: Job
    state: str  # done | stopped | failed
    run: TrainResult | None  # the trained run when done
    message: str | None  # why it failed, or why the store did not take the run


class TrainingJobs:
    """Jobs on `pool` (core.workers.pool.JobPool or the Dask pool), finished runs saved in `store`
    (None: kept in memory only, for the pages to collect)."""

    def __init__(self, pool, store: RunStore | None, poll: float = POLL):
        self.pool = pool
        self.store = store
        self._unfinished: dict[str, Job] = {}
        self._ended: OrderedDict[str, Outcome] = OrderedDict()
        self._lock = threading.Lock()
        self._poll = poll
        threading.Thread(
            target=self._collect_forever, name="gatescope-collector", daemon=True
        ).start()

    def submit(self, cfg: RunConfig, name: str) -> tuple[Job, bool]:
        """Queue cfg under name; (job, True), or (the identical unfinished job, False)."""
        with self._lock:
            same = next((j for j in self._unfinished.values() if j.config == cfg), None)
            if same is not None:
                return same, False
            job = Job(self.pool.submit(cfg), name, cfg)
            self._unfinished[job.id] = job
            return job, True

    def unfinished(self) -> list[Job]:
        with self._lock:
            return list(self._unfinished.values())

    def status(self, job_id: str) -> JobStatus | None:
        """The pool's status of an unfinished job; None once it has ended."""
        with self._lock:
            if job_id not in self._unfinished:
                return None
            return self.pool.status(job_id)

    def stop(self, job_id: str) -> None:
        with self._lock:
            if job_id in self._unfinished:
                self.pool.stop(job_id)

    def outcome(self, job_id: str) -> Outcome | None:
        with self._lock:
            return self._ended.get(job_id)

    def collect(self) -> None:
        """End every finished job: save a done run in the store, then move the job from the
        unfinished ones to the outcomes (so it is always in one of the two)."""
        with self._lock:
            statuses = [(j, self.pool.status(j.id)) for j in self._unfinished.values()]
        for job, status in statuses:
            if status.finished:
                self._end(job, status)

    def _end(self, job: Job, status: JobStatus) -> None:
        message = status.error
        if status.state == "done":
            message = self._save(job, status.result)  # a while: outside the lock
        with self._lock:
            del self._unfinished[job.id]
            self._ended[job.id] = Outcome(job, status.state, status.result, message)
            while len(self._ended) > KEEP_OUTCOMES:
                self._ended.popitem(last=False)
            self.pool.forget(job.id)

    def _save(self, job: Job, run: TrainResult) -> str | None:
        if self.store is None:
            return None
        try:
            stored.save_run(self.store, run, name=job.name, kind="train")
        except StoreError as err:
            return f"{job.name} is not saved in the run store: {err}"
        return None

    def _collect_forever(self) -> None:
        while True:
            time.sleep(self._poll)
            self.collect()
