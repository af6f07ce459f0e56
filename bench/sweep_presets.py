"""Run a Sweeps-page preset from the command line and print its success table (markdown) with
the wall time: the figures the README quotes.

    python bench/sweep_presets.py vanishing            # RNN, GRU, LSTM; T 10..200; 5 seeds
    python bench/sweep_presets.py ablation --workers 2
    python bench/sweep_presets.py vanishing --steps 300 --seeds 3   # a quicker, smaller look

Runs go to bench/out/store (ignored by git), so a second call resumes instead of retraining;
--fresh starts from an empty store. The page draws the same table as its success figure.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.store.run_store import RunStore  # noqa: E402
from core.sweep.backends import PoolBackend  # noqa: E402
from core.sweep.grid import grid_from_tables  # noqa: E402
from core.sweep.presets import PRESETS  # noqa: E402
from core.sweep.results import criterion_text, results_table, success_rates  # noqa: E402
from core.sweep.runner import run_sweep  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "store"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("preset", choices=sorted(PRESETS))
    p.add_argument("--workers", type=int)
    p.add_argument("--steps", type=int, help="override the preset's steps")
    p.add_argument("--seeds", type=int, help="override the preset's number of seeds")
    p.add_argument("--fresh", action="store_true")
    args = p.parse_args()
    preset = PRESETS[args.preset]
    base, grid = dict(preset.base), dict(preset.grid)
    if args.steps:
        base["steps"] = args.steps
    if args.seeds:
        grid["seed"] = list(range(args.seeds))
    g = grid_from_tables(base, grid, name=args.preset)
    if args.fresh:
        shutil.rmtree(OUT, ignore_errors=True)
    store = RunStore(OUT)
    backend = PoolBackend.new(args.workers)
    start = time.perf_counter()
    try:
        progress = run_sweep(g, store, backend)
    finally:
        backend.close()
    wall = time.perf_counter() - start
    table = results_table(g, store)
    rates = success_rates(table, x="length")
    print(
        f"{preset.title}: {len(table)} runs ({progress.done} trained now, {progress.skipped} "
        f"stored), {base}, {backend.workers} workers, {wall:.0f} s wall; success: "
        f"{criterion_text(table)}\n"
    )
    models = list(dict.fromkeys(rates["model"]))
    print("| T | " + " | ".join(models) + " |")
    print("|---|" + "---|" * len(models))
    for length, rows in rates.groupby("length"):
        cells = {
            r.model: f"{r.successes}/{r.n} ({r.low:.2f}-{r.high:.2f})" for r in rows.itertuples()
        }
        print(f"| {length} | " + " | ".join(cells.get(m, "") for m in models) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
