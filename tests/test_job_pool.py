"""The training job pool: jobs run in spawned worker processes, queue when the workers are busy,
stop for real, share one job per key, and a worker that dies fails its job with the reason."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

from core.train.config import RunConfig
from core.train.loop import train
from core.workers.pool import JobPool
from core.workers.priority import BACKGROUND_NICENESS

pytestmark = pytest.mark.slow  # spawns worker processes

TINY = RunConfig(length=5, hidden=4, steps=6, val_size=16, eval_every=2, checkpoints=2)
LONG = RunConfig(length=30, hidden=16, steps=5000, val_size=64)  # far longer than any test


def wait_for(pool: JobPool, job_id: str, states=("done", "failed", "stopped"), timeout=60):
    deadline = time.monotonic() + timeout
    while pool.status(job_id).state not in states:
        assert time.monotonic() < deadline, pool.status(job_id)
        time.sleep(0.05)
    return pool.status(job_id)


@pytest.fixture(scope="module")
def pool():
    pool = JobPool(workers=1)
    yield pool
    pool.close()


def test_a_job_gives_the_same_numbers_as_training_here(pool):
    status = wait_for(pool, pool.submit(TINY))
    assert status.state == "done" and status.step == TINY.steps
    here = train(TINY)
    for name, m in here.models.items():
        np.testing.assert_array_equal(
            status.result.models[name].history.val_loss, m.history.val_loss
        )
        for k, v in m.params.items():
            np.testing.assert_array_equal(status.result.models[name].params[k], v)


def test_queue_position_then_stop_really_stops(pool):
    first = pool.submit(LONG)
    second = pool.submit(TINY)
    wait_for(pool, first, states=("running",))
    assert pool.status(second).state == "queued" and pool.status(second).position == 1
    wait_for(pool, first, states=("running",))
    deadline = time.monotonic() + 30
    while pool.status(first).step == 0:  # the worker really is training
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pid = next(w.process.pid for w in pool._pool if w.job == first)
    pool.stop(first)
    assert pool.status(first).state == "stopped"
    pool.forget(first)  # the page drops it at once; late messages
    assert wait_for(pool, second).state == "done"  # the queue moves on to a fresh worker
    with pytest.raises(ProcessLookupError):  # the stopped worker is gone
        os.kill(pid, 0)
    assert pool.busy() == 0


def test_a_queued_job_can_be_stopped_before_it_starts(pool):
    first = pool.submit(LONG)
    second = pool.submit(TINY)
    pool.stop(second)
    assert pool.status(second).state == "stopped"
    pool.stop(first)
    assert wait_for(pool, first).state == "stopped"


def test_jobs_with_one_key_are_shared(pool):
    a = pool.submit(TINY, key="default")
    b = pool.submit(TINY, key="default")
    assert a == b and wait_for(pool, a).state == "done"
    assert pool.submit(TINY, key="default") == a  # done: still the same job


def test_a_worker_that_dies_fails_its_job_with_the_reason(pool):
    job = pool.submit(LONG)
    wait_for(pool, job, states=("running",))
    pid = next(w.process.pid for w in pool._pool if w.job == job)
    os.kill(pid, signal.SIGKILL)
    status = wait_for(pool, job)
    assert status.state == "failed" and "worker process died" in status.error
    assert wait_for(pool, pool.submit(TINY)).state == "done"  # a new worker took its place


def test_workers_run_at_a_lower_priority_than_the_server(pool):
    """Training yields the CPU to the process serving pages (see core.workers.priority)."""
    wait_for(pool, pool.submit(TINY))  # the worker is up and has trained
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    expected = min(19, ours + BACKGROUND_NICENESS)
    for worker in pool._pool:
        assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == expected
