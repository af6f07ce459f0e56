"""The run store with many runs: what the pages and the sweep runner ask of it, timed on a store
of N runs (default 5000, the size a few months of sweeps reach).

    python bench/store_scale.py                # 5000 runs
    python bench/store_scale.py --runs 20000

The store is built from real runs: a 90-run grid (3 models x 6 lengths x 5 seeds, the
"vanishing gradient" preset's shape) saved with `core.runs.stored.save_run` from a tiny
trained run, then other sweeps' runs (copies of those rows with their own ids and config
hashes) up to N. Timed, median of 7 after a warm-up:

- the Train page's summary line (`counts`), on every run of the page;
- the whole list (`list_runs`), when its expander is open;
- `find` (one config hash), as the default experiment's lookup does once per server;
- `results_table` of the 90-run grid, which the Sweeps page redraws every second while a sweep
  runs, and `missing_configs`, which a sweep (or its resume) asks once.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.runs import stored  # noqa: E402
from core.store.records import config_hash  # noqa: E402
from core.store.run_store import open_store  # noqa: E402
from core.sweep.grid import grid_from_tables  # noqa: E402
from core.sweep.results import results_table  # noqa: E402
from core.sweep.runner import missing_configs  # noqa: E402
from core.train.config import RunConfig  # noqa: E402
from core.train.loop import train  # noqa: E402

BASE = {"task": "recall", "hidden": 16, "steps": 600, "val_size": 64}  # the preset's histories
GRID = {
    "model": ["rnn", "gru", "lstm"],
    "length": [10, 20, 40, 80, 120, 200],
    "seed": [0, 1, 2, 3, 4],
}
OTHER_SWEEPS = """
INSERT INTO runs (id, kind, name, tags, created, config_hash, task, models, status, reason,
                  metrics, seconds, config, doc, weights, sweep)
SELECT lower(hex(randomblob(16))), kind, name, tags, created, lower(hex(randomblob(8))), task,
       models, status, reason, metrics, seconds, config, doc, weights, sweep
FROM runs LIMIT ?
"""  # copies of stored rows with their own ids and config hashes: other sweeps' runs


def build(folder: str, runs: int):
    """A store of `runs` rows, the grid's 90 among them. -> (store, grid)"""
    store = open_store(folder)
    grid = grid_from_tables(BASE, GRID, name="vanishing")
    trained = {m: train(RunConfig(**BASE, models=(m,), length=5)) for m in GRID["model"]}
    for cfg in grid.configs():
        run = replace(trained[cfg.models[0]], config=cfg)
        stored.save_run(store, run, kind="sweep", sweep=grid.name)
    con = sqlite3.connect(store.index)
    while (have := con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]) < runs:
        con.execute(OTHER_SWEEPS, (runs - have,))
        con.commit()
    con.close()
    return store, grid


def timed(what) -> float:
    what()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        what()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5000)
    args = p.parse_args()
    store, grid = build(tempfile.mkdtemp(prefix="gatescope-bench-store-"), args.runs)
    one = config_hash(grid.configs()[0].to_dict())
    print(f"{args.runs} stored runs, index {store.index.stat().st_size / 1e6:.1f} MB")
    for label, what in (
        ("Train page summary line (counts)", store.counts),
        ("whole list (list_runs)", store.list_runs),
        ("find one config hash", lambda: store.find(one)),
        ("results_table of a 90-run grid", lambda: results_table(grid, store)),
        ("missing_configs of a 90-run grid", lambda: missing_configs(grid, store)),
    ):
        print(f"{label:36s} {timed(what) * 1e3:8.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
