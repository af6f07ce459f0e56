"""Sweeps on a Dask LocalCluster with two worker processes: the same numbers as the local pool,
results written by the submitting process, and a worker killed mid-run fails only its run."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest

from core.runs import stored
from core.store.run_store import RunStore
from core.sweep.backends import PoolBackend
from core.sweep.grid import grid_from_tables
from core.sweep.results import results_table
from core.sweep.runner import run_sweep

pytestmark = pytest.mark.slow  # starts a Dask LocalCluster

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

TINY = {
    "task": "recall",
    "steps": 12,
    "hidden": 4,
    "val-size": 16,
    "eval-every": 4,
    "checkpoints": 2,
}
GRID = {"model": ["rnn", "gru"], "length": [3, 5], "seed": [0]}


@pytest.fixture(scope="module")
def cluster():
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c,
    ):
        yield c


def test_dask_gives_bit_identical_results_to_the_local_pool(tmp_path, cluster):
    grid = grid_from_tables(TINY, GRID, name="same")
    local_store, dask_store = RunStore(tmp_path / "local"), RunStore(tmp_path / "dask")
    local = PoolBackend.new(workers=2)
    try:
        run_sweep(grid, local_store, local)
    finally:
        local.close()
    backend = PoolBackend.new(scheduler=cluster.scheduler_address)
    try:
        progress = run_sweep(grid, dask_store, backend)
    finally:
        backend.close()
    assert (progress.done, progress.failed) == (4, 0)
    a, b = results_table(grid, local_store), results_table(grid, dask_store)
    pd.testing.assert_frame_equal(a.drop(columns="seconds"), b.drop(columns="seconds"))
    for h in a["config_hash"]:
        ra = stored.load_run(local_store, local_store.find(h).id)
        rb = stored.load_run(dask_store, dask_store.find(h).id)
        for name, m in ra.models.items():
            for k, v in m.params.items():
                np.testing.assert_array_equal(rb.models[name].params[k], v)


def test_a_worker_killed_mid_run_fails_that_run_and_the_sweep_goes_on(tmp_path, cluster):
    base = {k: v for k, v in TINY.items() if k != "steps"}
    grid = grid_from_tables(
        base | {"length": 60, "hidden": 32, "models": ["rnn"]}, {"steps": [5000, 12]}, name="doomed"
    )  # one long, one short
    store = RunStore(tmp_path)
    backend = PoolBackend.new(scheduler=cluster.scheduler_address)
    result = {}
    sweep = threading.Thread(target=lambda: result.update(p=run_sweep(grid, store, backend)))
    sweep.start()
    client = backend.pool.client
    deadline = time.monotonic() + 60
    while len(store.list_runs()) < 1 or not any(client.processing().values()):
        assert time.monotonic() < deadline  # the short run is stored, the long one runs
        time.sleep(0.1)
    busy = [w for w, tasks in client.processing().items() if tasks]
    pid = client.run(os.getpid, workers=busy)[busy[0]]
    os.kill(pid, signal.SIGKILL)
    sweep.join(timeout=120)
    progress = result["p"]
    assert (progress.done, progress.failed) == (2, 1)
    rows = {r.config["steps"]: r for r in store.list_runs()}
    assert rows[12].status == "done"
    assert rows[5000].status == "failed" and "KilledWorker" in rows[5000].reason
    tiny = grid_from_tables(TINY, {"seed": [3]}, name="after")
    assert run_sweep(tiny, store, backend).failed == 0  # the cluster still trains
    backend.close()
