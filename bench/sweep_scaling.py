"""Sweep throughput: a 24-run sweep of the default-size task on 1 and 2 local workers and on a
Dask LocalCluster with 2 workers, plus the per-run scheduling overhead (24 one-step runs).

Targets (issue "Experiments at scale"): 2 local workers >= 1.7x faster than 1; Dask 2 workers
within 15 % of the local pool; scheduling overhead <= 0.3 s per run. Dask is timed twice: with
its default settings, and with the worker settings the repository ships for training machines
(`cluster/dask.yaml`: rarer housekeeping in the worker's process, where it takes the GIL from
the training loop).

    python bench/sweep_scaling.py                # 24 runs: 2 models x 3 lengths x 4 seeds
    python bench/sweep_scaling.py --rounds 3     # three interleaved rounds (the default is 2)
    python bench/sweep_scaling.py --steps 300    # shorter runs (the default is RunConfig's)

Each round times every backend once, in an order that rotates from round to round, so a drift
in the machine's speed (common on shared machines) reaches every backend alike; the ratios
compare times from the same round. Each backend is started, and waited for, before its clock
starts and closed after it stops, so no idle pool or cluster takes CPU from the one timed.
Every sweep writes to a fresh temporary store, so nothing is skipped.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.store.run_store import RunStore  # noqa: E402
from core.sweep.backends import PoolBackend  # noqa: E402
from core.sweep.grid import grid_from_tables  # noqa: E402
from core.sweep.runner import run_sweep  # noqa: E402
from core.train.config import RunConfig  # noqa: E402

TINY = {"length": 5, "hidden": 4, "steps": 1, "val_size": 8, "checkpoints": 1}
LOCAL1, LOCAL2, DASK2, DASK2_TUNED = (
    "local pool, 1 worker",
    "local pool, 2 workers",
    "Dask LocalCluster, 2 workers",
    "Dask, cluster/dask.yaml",
)
WORKER_SETTINGS = Path(__file__).resolve().parents[1] / "cluster" / "dask.yaml"


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


def warm_local(workers: int) -> PoolBackend:
    backend = PoolBackend.new(workers=workers)
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


@contextmanager
def started(name: str):
    """The backend `name`, started and waited for (outside any clock), closed afterwards: only
    the backend being timed runs, so idle pools and clusters take no CPU from it."""
    if name in (DASK2, DASK2_TUNED):
        import dask
        from distributed import LocalCluster

        settings = worker_settings() if name == DASK2_TUNED else {}
        with (
            dask.config.set(settings),
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
        ):
            backend = PoolBackend.new(scheduler=cluster.scheduler_address)
            backend.pool.client.wait_for_workers(2)
            try:
                yield backend
            finally:
                backend.close()
        return
    backend = warm_local(1 if name == LOCAL1 else 2)
    try:
        yield backend
    finally:
        backend.close()


def worker_settings() -> dict[str, object]:
    """Dask's current settings with cluster/dask.yaml over them, for dask.config.set (the
    nannies pass them on to the workers)."""
    import copy

    import dask
    import yaml  # a Dask dependency

    merged = dask.config.update(
        copy.deepcopy(dask.config.config), yaml.safe_load(WORKER_SETTINGS.read_text())
    )
    return {"distributed": merged["distributed"]}


def run_rounds(names: list[str], steps: int, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """Each round times every backend once; the order rotates by one each round."""
    times: dict[str, list[tuple[float, float]]] = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            with started(name) as backend:
                times[name].append(timed(grid(steps), backend))
            wall, train_s = times[name][-1]
            print(f"round {r + 1}  {name:30s} wall {wall:6.2f} s   training {train_s:6.2f} s")
    return times


def overheads(names: list[str]) -> dict[str, tuple[float, float]]:
    out = {}
    for name in names:
        with started(name) as backend:
            out[name] = timed(grid(0, tiny=True), backend)
    return out


def report(times: dict, overhead: dict) -> None:
    for name, rows in times.items():
        walls = [w for w, _ in rows]
        train = statistics.median(t for _, t in rows) / 24
        print(
            f"{name:30s} wall median {statistics.median(walls):6.2f} s "
            f"(rounds: {', '.join(f'{w:.2f}' for w in walls)})   {train:.3f} s training per run"
        )
    per_round = [a[0] / b[0] for a, b in zip(times[LOCAL1], times[LOCAL2], strict=True)]
    print(
        f"speed-up 2 vs 1 local workers, per round: {_fmt(per_round)}x, "
        f"median {statistics.median(per_round):.2f}x (target >= 1.7x)"
    )
    for name in (DASK2, DASK2_TUNED):
        if name in times:
            per_round = [a[0] / b[0] for a, b in zip(times[name], times[LOCAL2], strict=True)]
            print(
                f"{name} vs local pool, 2 workers, per round: {_fmt(per_round)}x the wall "
                f"time, median {statistics.median(per_round):.2f}x (target <= 1.15)"
            )
    for name, (wall, train_s) in overhead.items():
        print(
            f"scheduling overhead ({name}): {wall / 24:.3f} s per one-step run, of which "
            f"{train_s / 24:.3f} s training (target <= 0.3 s)"
        )


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=RunConfig().steps)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--no-dask", action="store_true")
    args = p.parse_args()
    print(
        f"{os.cpu_count()} cores; 24 runs of {args.steps} steps (H={RunConfig().hidden}, "
        f"T in 40/60/80, RNN and GRU, 4 seeds), {args.rounds} rounds"
    )
    names = [LOCAL1, LOCAL2] + ([] if args.no_dask else [DASK2, DASK2_TUNED])
    times = run_rounds(names, args.steps, args.rounds)
    report(times, overheads(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
