"""The server's training jobs (core.workers.registry): one job per config while it is unfinished,
and a finished run saved in the run store by the server, with no page polling it."""

from __future__ import annotations

import time

from core.store.run_store import open_store
from core.train.config import RunConfig
from core.workers.pool import JobStatus
from core.workers.registry import TrainingJobs
from tests.fake_runs import tiny_run


class FakePool:
    """The pool's methods; a job is done or stopped when the test says so."""

    def __init__(self) -> None:
        self.jobs: dict[str, JobStatus] = {}

    def submit(self, cfg: RunConfig, key=None) -> str:
        job_id = f"job-{len(self.jobs) + 1}"
        self.jobs[job_id] = JobStatus(job_id, cfg, state="running", steps=cfg.steps)
        return job_id

    def status(self, job_id: str) -> JobStatus:
        return self.jobs[job_id]

    def stop(self, job_id: str) -> None:
        self.jobs[job_id].state = "stopped"

    def forget(self, job_id: str) -> None:
        del self.jobs[job_id]


def _ended(jobs: TrainingJobs, job_id: str, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while jobs.outcome(job_id) is None:
        assert time.monotonic() < deadline, "the collector did not end the job"
        time.sleep(0.02)
    return jobs.outcome(job_id)


def test_an_identical_unfinished_job_is_not_started_again():
    jobs = TrainingJobs(FakePool(), None, poll=0.02)
    cfg = RunConfig(steps=50)
    first, new = jobs.submit(cfg, "a")
    again, new_again = jobs.submit(cfg, "a (2)")
    other, _ = jobs.submit(RunConfig(steps=60), "b")
    assert new and not new_again and again == first and other != first
    assert [j.name for j in jobs.unfinished()] == ["a", "b"]


def test_a_finished_run_is_saved_by_the_server_and_a_stopped_one_is_not(tmp_path):
    pool, store = FakePool(), open_store(str(tmp_path / "runs"))
    jobs = TrainingJobs(pool, store, poll=0.02)
    run = tiny_run()
    done, _ = jobs.submit(run.config, "kept")
    stopped, _ = jobs.submit(RunConfig(steps=70), "dropped")
    pool.jobs[done.id].state, pool.jobs[done.id].result = "done", run
    jobs.stop(stopped.id)
    assert _ended(jobs, done.id).run is run and _ended(jobs, stopped.id).state == "stopped"
    assert [r.name for r in store.list_runs(kind="train")] == ["kept"]
    assert jobs.unfinished() == [] and jobs.status(done.id) is None
    assert pool.jobs == {}  # the pool's records are released
