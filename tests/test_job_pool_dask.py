"""The app's trainings on a Dask LocalCluster (GATESCOPE_SCHEDULER): the job pool's interface with
the same numbers as training here, live progress, a Stop that frees the worker, shared jobs, and
the app falling back to its own workers (with a message) when the scheduler cannot be reached."""

from __future__ import annotations

import time

import numpy as np
import pytest

from core.train.config import RunConfig
from core.train.loop import train
from core.workers.choose import SCHEDULER_ENV
from core.workers.pool import JobPool
from dashboard.session.services import pool_handle
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # starts a Dask LocalCluster

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

from core.workers.dask_pool import DaskJobPool  # noqa: E402  (needs distributed)

TINY = RunConfig(length=5, hidden=4, steps=6, val_size=16, eval_every=2, checkpoints=2)
LONG = RunConfig(length=100, hidden=64, steps=5000, val_size=64)  # minutes: never ends here


@pytest.fixture(scope="module")
def cluster():
    """One worker process with one thread: a run that kept going would block the next."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture(scope="module")
def pool(cluster):
    pool = DaskJobPool(cluster.scheduler_address)
    yield pool
    pool.close()


def wait_for(pool, job_id, until, timeout=90):
    deadline = time.monotonic() + timeout
    while not until(pool.status(job_id)):
        assert time.monotonic() < deadline, pool.status(job_id)
        time.sleep(0.05)
    return pool.status(job_id)


def test_a_run_on_the_cluster_equals_training_here(pool):
    status = wait_for(pool, pool.submit(TINY), lambda s: s.finished)
    assert status.state == "done" and status.step == TINY.steps
    here = train(TINY)
    for name, model in here.models.items():
        remote = status.result.models[name]
        np.testing.assert_array_equal(remote.history.val_loss, model.history.val_loss)
        for key, value in model.params.items():
            np.testing.assert_array_equal(remote.params[key], value)


def test_progress_arrives_and_stop_frees_the_worker(pool):
    job = pool.submit(LONG)
    running = wait_for(pool, job, lambda s: s.state == "running" and s.histories)
    assert 0 < running.step < LONG.steps
    assert set(running.histories) == set(LONG.models)
    assert len(running.histories["gru"].val_loss) >= 1
    queued = pool.submit(TINY)  # behind the long run on the only worker
    assert pool.status(queued).state == "queued" and pool.status(queued).position == 1
    pool.stop(job)
    assert pool.status(job).state == "stopped"
    done = wait_for(pool, queued, lambda s: s.finished, timeout=30)  # the worker was freed
    assert done.state == "done"
    pool.forget(job)
    pool.forget(queued)
    assert pool.busy() == 0


def test_jobs_with_one_key_are_shared(pool):
    first = pool.submit(TINY, key="default")
    assert pool.submit(TINY, key="default") == first
    assert wait_for(pool, first, lambda s: s.finished).state == "done"


def test_the_app_trains_its_default_on_the_scheduler(cluster, fast, fresh_caches, monkeypatch):
    monkeypatch.setenv(SCHEDULER_ENV, cluster.scheduler_address)
    at = ui.boot()
    assert isinstance(pool_handle(cluster.scheduler_address).pool, DaskJobPool)
    assert ui.current_run(at) is not None and not at.warning
    pool_handle(cluster.scheduler_address).pool.close()


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "no-port-here"])  # deaf; malformed
def test_an_unreachable_scheduler_leaves_the_app_training_here(
    address, fast, fresh_caches, monkeypatch
):
    monkeypatch.setattr("core.workers.dask_pool.CONNECT_TIMEOUT", "1s")
    monkeypatch.setenv(SCHEDULER_ENV, address)
    at = ui.boot()
    assert isinstance(pool_handle(address).pool, JobPool)
    assert ui.current_run(at) is not None
    assert any(address in w.value and "cannot be reached" in w.value for w in at.warning)
