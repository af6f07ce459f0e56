"""Sweep throughput: a 24-run sweep of the default-size task on 1 and 2 local workers and on a
Dask LocalCluster with 2 workers, plus the per-run scheduling overhead (24 one-step runs).

Targets (issue "Experiments at scale"): 2 local workers >= 1.7x faster than 1; Dask 2 workers
within 15 % of the local pool; scheduling overhead <= 0.3 s per run.

    python bench/sweep_scaling.py                # 24 runs: 2 models x 3 lengths x 4 seeds
    python bench/sweep_scaling.py --steps 300    # shorter runs (the default is RunConfig's)

Every sweep writes to a fresh temporary store, so nothing is skipped. Worker start-up is not
counted (pools and clusters are started, and waited for, before the clock starts).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.store.run_store import RunStore  # noqa: E402
from core.sweep.backends import DaskBackend, LocalBackend  # noqa: E402
from core.sweep.grid import grid_from_tables  # noqa: E402
from core.sweep.runner import run_sweep  # noqa: E402
from core.train.config import RunConfig  # noqa: E402

TINY = {"length": 5, "hidden": 4, "steps": 1, "val_size": 8, "checkpoints": 1}


def grid(steps: int, tiny: bool = False):
    if tiny:
        return grid_from_tables(TINY, {"seed": list(range(24))}, name="overhead")
    d = RunConfig()
    base = {"hidden": d.hidden, "steps": steps}
    return grid_from_tables(
        base,
        {"model": ["rnn", "gru"], "length": [40, 60, 80], "seed": [0, 1, 2, 3]},
        name="scaling",
    )


def warm_local(workers: int) -> LocalBackend:
    backend = LocalBackend(workers=workers)
    while sum(w.ready for w in backend.pool._pool) < workers:
        time.sleep(0.05)
    return backend


def timed(g, backend) -> tuple[float, float]:
    """(wall seconds, summed training seconds of the runs)."""
    store = RunStore(tempfile.mkdtemp(prefix="gatescope-bench-"))
    start = time.perf_counter()
    progress = run_sweep(g, store, backend)
    wall = time.perf_counter() - start
    if progress.failed:
        raise SystemExit(f"runs failed: {progress.failures}")
    return wall, sum(r.seconds for r in store.list_runs())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=RunConfig().steps)
    p.add_argument("--no-dask", action="store_true")
    args = p.parse_args()
    print(
        f"{os.cpu_count()} cores; 24 runs of {args.steps} steps (H={RunConfig().hidden}, "
        "T in 40/60/80, RNN and GRU, 4 seeds)"
    )
    rows = {}
    for workers in (1, 2):
        backend = warm_local(workers)
        rows[f"local, {workers} worker(s)"] = timed(grid(args.steps), backend)
        rows[f"local overhead, {workers} worker(s)"] = timed(grid(0, tiny=True), backend)
        backend.close()
    if not args.no_dask:
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            backend = DaskBackend(cluster.scheduler_address)
            backend.client.wait_for_workers(2)
            rows["dask LocalCluster, 2 workers"] = timed(grid(args.steps), backend)
            rows["dask overhead, 2 workers"] = timed(grid(0, tiny=True), backend)
            backend.close()
    for name, (wall, train_s) in rows.items():
        print(
            f"{name:34s} wall {wall:7.2f} s   training {train_s:7.2f} s   {wall / 24:.3f} s per run"
        )
    one, two = rows["local, 1 worker(s)"][0], rows["local, 2 worker(s)"][0]
    print(f"speed-up 2 vs 1 local workers: {one / two:.2f}x (target >= 1.7x)")
    if not args.no_dask:
        dask = rows["dask LocalCluster, 2 workers"][0]
        print(f"dask vs local pool, 2 workers: {dask / two:.2f}x the wall time (target <= 1.15)")
    for name, (wall, train_s) in rows.items():
        if "overhead" in name:
            print(
                f"scheduling overhead ({name}): {wall / 24:.3f} s per one-step run, of which "
                f"{train_s / 24:.3f} s training (target <= 0.3 s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
