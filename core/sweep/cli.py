"""Command line of `python -m core.sweep`:

    python -m core.sweep run GRID.toml [--workers N] [--scheduler tcp://HOST:8786] [--store PATH]
    python -m core.sweep results GRID.toml [--store PATH] [--csv OUT.csv] [--parquet OUT.parquet]

`run` trains the grid's runs that the store lacks (same config hash), with a progress bar;
`results` writes one row per run. Bad grids exit 2 with one line naming the file and field.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.store.records import StoreError
from core.store.run_store import open_store
from core.sweep.backends import PoolBackend
from core.sweep.grid import GridError, load_grid
from core.sweep.results import criterion_text, results_table
from core.sweep.runner import SweepProgress, run_sweep
from core.workers.choose import SCHEDULER_ENV, scheduler_address

PROG = "python -m core.sweep"
BAR_WIDTH = 30


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.exit(2, f"{PROG}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Sweep a grid of training configs; results in the store.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="train the grid's missing runs")
    run.add_argument("grid", type=Path, metavar="GRID.toml")
    run.add_argument("--workers", type=int, help="local worker processes (default: cores)")
    run.add_argument(
        "--scheduler",
        metavar="tcp://HOST:8786",
        help=f"a Dask scheduler to run on (default ${SCHEDULER_ENV}, else local)",
    )
    run.add_argument("--store", type=Path, metavar="PATH", help="run store folder")
    res = sub.add_parser("results", help="write one row per run")
    res.add_argument("grid", type=Path, metavar="GRID.toml")
    res.add_argument("--store", type=Path, metavar="PATH", help="run store folder")
    res.add_argument("--csv", type=Path, metavar="OUT.csv")
    res.add_argument("--parquet", type=Path, metavar="OUT.parquet")
    return p


class SweepBar:
    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr

    def __call__(self, p: SweepProgress) -> None:
        todo = p.total - p.skipped
        done = int(BAR_WIDTH * p.done / todo) if todo else BAR_WIDTH
        eta = (p.seconds / p.done * p.remaining) if p.done else float("nan")
        self.stream.write(
            f"\r[{'#' * done}{'-' * (BAR_WIDTH - done)}] {p.done}/{todo} trained"
            f", {p.skipped} already stored, {p.failed} failed, "
            f"{p.seconds:.0f} s, about {eta:.0f} s left "
        )
        if p.remaining == 0:
            self.stream.write("\n")
        self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        grid = load_grid(args.grid)
        store = open_store(args.store)
    except (GridError, StoreError) as err:
        parser.error(str(err))
    if args.command == "run":
        return _run(grid, store, args)
    table = results_table(grid, store)
    if args.csv:
        table.to_csv(args.csv, index=False)
    if args.parquet:
        table.to_parquet(args.parquet, index=False)
    if not args.csv and not args.parquet:
        print(table.to_string(index=False))
    print(
        f"{len(table)} runs, {int((table['status'] == 'done').sum())} done; success: "
        f"{criterion_text(table)}",
        file=sys.stderr,
    )
    return 0


def _run(grid, store, args) -> int:
    scheduler = scheduler_address(args.scheduler)
    print(
        f"{grid.name}: {len(grid.configs())} runs ({', '.join(grid.fields)}) on "
        f"{scheduler or 'local workers'}, store {store.folder}",
        file=sys.stderr,
    )
    backend = PoolBackend.new(args.workers, scheduler)
    try:
        progress = run_sweep(grid, store, backend, on_progress=SweepBar())
    except KeyboardInterrupt:
        print("\nstopped: finished runs are stored; run again to resume", file=sys.stderr)
        return 130
    finally:
        backend.close()
    for failure in progress.failures:
        print(f"failed: {failure}", file=sys.stderr)
    print(
        f"trained {progress.done - progress.failed}, failed {progress.failed}, skipped "
        f"{progress.skipped} already stored, in {progress.seconds:.1f} s"
    )
    return 1 if progress.failed else 0
