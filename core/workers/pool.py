"""The worker layer's local pool: jobs run by `workers` spawned (never forked: safe from a
threaded server) worker processes at a lower priority (core.workers.priority), started ahead of
time so a job starts without paying for a new interpreter. A job is a task (core.workers.tasks):
a training (a RunConfig), a translation model's training, a BLEU extraction block.

    pool = JobPool(workers=2)
    job_id = pool.submit(cfg)                # queued, or running when a worker is free
    pool.status(job_id)                      # JobStatus: state, queue position, step, histories
    pool.wait([job_id], timeout=1.0)         # the statuses of those that have finished
    pool.stop(job_id)                        # a running job's worker is killed (and replaced),
                                             # or asked to finish (a graceful_stop task);
                                             # a queued job leaves the queue
Jobs submitted with the same `key` share one job unless it failed or was stopped (the built-in
default experiment trains once per server). A pump thread reads every worker's pipe, hands
queued jobs to idle workers, and notices a worker that died.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import multiprocessing as mp
import os
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from core.train.config import RunConfig
from core.train.results import History, TrainResult
from core.workers.tasks import TrainRun, as_task
from core.workers.worker import STOP, serve

POLL = 0.1  # seconds the pump thread waits for messages at a time
WAIT_POLL = 0.01  # seconds between looks at the jobs waited for


@dataclass
class JobStatus:
    id: str
    config: RunConfig | object  # a training's RunConfig, else the task itself
    state: str = "queued"  # queued | running | done | failed | stopped
    position: int = 0  # 1-based place in the queue while queued
    step: int = 0  # optimizer steps done
    steps: int = 0  # steps planned
    histories: dict[str, History] = field(default_factory=dict)  # latest validation rows
    events: list = field(default_factory=list)  # every event the task reported, in order
    result: TrainResult | object | None = None
    error: str | None = None  # why it failed
    stopping: bool = False  # Stop asked a graceful_stop task to finish

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "stopped")


class JobBook:
    """The records every pool keeps (this one and core.workers.dask_pool's): each job's status,
    the job shared under each key, and one lock. The underscored methods expect it held."""

    def __init__(self) -> None:
        self._jobs: dict[str, JobStatus] = {}
        self._keys: dict[str, str] = {}
        self._tasks: dict[str, object] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def _shared_job(self, key: str | None) -> str | None:
        """The job submitted under key, unless there is none or it failed or was stopped."""
        shared = self._keys.get(key) if key else None
        if shared and self._jobs[shared].state not in ("failed", "stopped"):
            return shared
        return None

    def _new_job(self, task, key: str | None) -> str:
        """Record a queued job, shared under key when one is given."""
        job_id = f"job-{next(self._ids)}"
        config = task.config if isinstance(task, TrainRun) else task
        self._jobs[job_id] = JobStatus(job_id, config, steps=task.steps)
        self._tasks[job_id] = task
        if key:
            self._keys[key] = job_id
        return job_id

    def _progress(self, st: JobStatus, step: int, steps: int, histories, event) -> None:
        st.step, st.steps = step, steps
        if histories is not None:
            st.histories = histories
        if event is not None:
            st.events.append(event)

    def wait(self, job_ids: list[str], timeout: float) -> list[JobStatus]:
        """The statuses of the jobs among job_ids that have finished, as soon as one has (or
        none, after timeout seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            ended = [st for st in map(self.status, job_ids) if st.finished]
            if ended or time.monotonic() >= deadline:
                return ended
            time.sleep(WAIT_POLL)

    def _forgettable(self, job_id: str) -> bool:
        """Finished and not shared under a key: its record may go once collected."""
        st = self._jobs.get(job_id)
        return st is not None and st.finished and job_id not in self._keys.values()

    def _stop_unfinished(self) -> None:
        for st in self._jobs.values():
            if not st.finished:
                st.state = "stopped"


@dataclass
class _Worker:
    process: mp.Process
    conn: object  # the pool's end of the duplex pipe
    ready: bool = False  # imports done, waiting for a job
    job: str | None = None  # id of the job it runs


class JobPool(JobBook):
    def __init__(self, workers: int | None = None):
        super().__init__()
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._ctx = mp.get_context("spawn")
        self._queue: list[str] = []
        self._closed = False
        self._pool = [self._spawn() for _ in range(self.workers)]
        atexit.register(self.close)
        threading.Thread(target=self._pump, name="gatescope-jobs", daemon=True).start()

    # ------------------------------------------------------------ public
    def submit(self, work, key: str | None = None) -> str:
        """Queue work: a RunConfig (trained) or a task (core.workers.tasks)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the job pool is closed")
            shared = self._shared_job(key)
            if shared:
                return shared
            job_id = self._new_job(as_task(work), key)
            self._queue.append(job_id)
            self._dispatch()
        return job_id

    def status(self, job_id: str) -> JobStatus:
        with self._lock:
            st = self._jobs[job_id]
            if st.state == "queued":
                st.position = self._queue.index(job_id) + 1
            return st

    def stop(self, job_id: str) -> None:
        """Stop a job: a queued one is dropped, a running one's worker process is killed (or,
        for a graceful_stop task, asked to finish: it ends done, with its result)."""
        with self._lock:
            st = self._jobs[job_id]
            worker = next((w for w in self._pool if w.job == job_id), None)
            if st.state == "queued":
                self._queue.remove(job_id)
                st.state = "stopped"
            elif st.state == "running" and self._tasks[job_id].graceful_stop:
                if not st.stopping:
                    st.stopping = True
                    with contextlib.suppress(OSError):  # it just died: the pump notices
                        worker.conn.send(STOP)
            elif st.state == "running":
                st.state = "stopped"
                worker.ready = False  # never handed another job: it is dying
                worker.process.kill()

    def forget(self, job_id: str) -> None:
        """Drop a finished, unshared job's record once its result has been collected."""
        with self._lock:
            if self._forgettable(job_id):
                del self._jobs[job_id]
                self._tasks.pop(job_id, None)

    def close(self, wait: bool = False) -> None:
        """Kill every worker; unfinished jobs end as stopped. The pool takes no more jobs.
        wait: until the workers have exited (a benchmark then counts their CPU time)."""
        with self._lock:
            self._closed = True
            self._stop_unfinished()
            self._queue.clear()
            processes = [w.process for w in self._pool]
            for process in processes:
                process.kill()
        for process in processes if wait else ():
            process.join(timeout=5)

    def busy(self) -> int:
        """Jobs running now."""
        with self._lock:
            return sum(w.job is not None for w in self._pool)

    # ------------------------------------------------------------ internals
    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=serve, args=(child,), daemon=True, name="gatescope-worker"
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _dispatch(self) -> None:
        """Hand queued jobs to idle, ready workers (lock held)."""
        for w in self._pool:
            if not self._queue:
                return
            if w.ready and w.job is None:
                job_id = self._queue.pop(0)
                try:
                    w.conn.send(self._tasks[job_id])
                except OSError:  # it just died: the pump replaces it
                    w.ready = False
                    self._queue.insert(0, job_id)
                    continue
                w.job = job_id
                self._jobs[job_id].state = "running"

    def _pump(self) -> None:
        while True:
            with self._lock:
                conns = {w.conn: w for w in self._pool}
            if not conns:
                return
            for conn in wait(list(conns), timeout=POLL):
                self._receive(conns[conn])

    def _receive(self, worker: _Worker) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            message = None
        with self._lock:
            st = self._jobs.get(worker.job) if worker.job is not None else None
            if message is None:
                self._replace(worker)
            elif message[0] == "ready":
                worker.ready = True
            elif st is None or st.state != "running":
                pass  # late news of a job stopped (and maybe forgotten)
            elif message[0] == "progress":
                self._progress(st, *message[1:])
            elif message[0] == "done":
                st.state, st.result, st.step = "done", message[1], st.steps
            else:
                st.state, st.error = "failed", message[1]
            if message is not None and message[0] in ("done", "failed"):
                worker.job = None
            self._dispatch()

    def _replace(self, worker: _Worker) -> None:
        """A worker's pipe closed: it was killed (Stop) or died. Its job ends; a new worker
        takes its place (lock held)."""
        worker.process.join(timeout=5)
        st = self._jobs.get(worker.job) if worker.job is not None else None
        if st is not None and st.state == "running":
            st.state = "failed"
            st.error = f"the worker process died (exit code {worker.process.exitcode})"
        worker.conn.close()
        if self._closed:
            self._pool.remove(worker)
        else:
            self._pool[self._pool.index(worker)] = self._spawn()
