"""Command line of `python -m core.train`: flags -> RunConfig, a progress bar, a summary table.

Every flag defaults to the RunConfig default, so no flags at all run the default experiment.
Bad flags or values exit with status 2 and one line on stderr; a run stopped early by a
non-finite loss exits with status 1 after printing what was trained.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from core.cells import get_cell
from core.config import OneLineParser, add_arguments, from_args
from core.heap import keep_freed_heap
from core.runs.run_files import save_run
from core.train.config import RunConfig
from core.train.loop import TrainProgress, train
from core.train.results import TrainResult

PROG = "python -m core.train"
BAR_WIDTH = 30


def build_parser() -> argparse.ArgumentParser:
    """A flag per RunConfig field (core.config: help, unit, limits and default from the
    field's setting), plus where the run is written."""
    p = OneLineParser(
        prog=PROG,
        description="Train recurrent models side by side on identical "
        "batches (no flags: the default experiment, an RNN and a GRU).",
    )
    add_arguments(p, RunConfig)
    add = p.add_argument
    add("--out", type=Path, metavar="FILE.json", help="write the run (JSON + .npz beside it)")
    add(
        "--store",
        type=Path,
        metavar="PATH",
        help="run store folder the run is saved in (default $GATESCOPE_STORE, else "
        "./gatescope-runs)",
    )
    add("--no-store", action="store_true", help="do not save the run in the run store")
    return p


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """Only the flags given override RunConfig's defaults. Raises ValueError on bad values."""
    return from_args(RunConfig, args)


class ProgressBar:
    """A carriage-return bar on stderr: steps done and the latest validation accuracy."""

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.note = ""

    def __call__(self, p: TrainProgress) -> None:
        if p.evaluated:
            self.note = "  ".join(
                f"{name} acc {h.val_accuracy[-1]:.2f}"
                for name, h in p.histories.items()
                if len(h.step)
            )
        if p.evaluated or p.step == p.steps or p.step % max(1, p.steps // 100) == 0:
            done = int(BAR_WIDTH * p.step / p.steps)
            bar = "#" * done + "-" * (BAR_WIDTH - done)
            self.stream.write(f"\r[{bar}] {p.step}/{p.steps}  {self.note}")
            if p.step == p.steps:
                self.stream.write("\n")
            self.stream.flush()


def summary_table(run: TrainResult) -> str:
    """model, cell, val loss, val accuracy, chance, seconds: one row per model."""
    b = run.baseline
    rows = [("model", "cell", "val loss", "val acc", "chance loss", "chance acc", "seconds")]
    for name, m in run.models.items():
        f = m.final
        rows.append(
            (
                name,
                get_cell(name).label,
                f"{f['val_loss']:.4g}",
                f"{f['val_accuracy']:.1%}",
                f"{b.loss:.4g}",
                f"{b.accuracy:.1%}",
                f"{m.seconds:.2f}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def save_to_store(run: TrainResult, path: Path | None) -> None:
    """Save the run in the run store; a store that cannot be used is reported, not fatal."""
    from core.runs import stored
    from core.store.records import StoreError
    from core.store.run_store import open_store

    try:
        store = open_store(path)
        run_id = stored.save_run(store, run, kind="cli")
    except StoreError as err:
        print(f"not saved in the run store: {err}", file=sys.stderr)
        return
    print(f"stored as {run_id} in {store.folder}")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        cfg = config_from_args(args)
    except ValueError as err:
        parser.error(str(err))
    c = cfg
    print(
        f"{c.task}: T={c.length}, H={c.hidden}, models {' '.join(c.models)}, "
        f"{c.steps} steps x batch {c.batch}, {c.optimizer} lr {c.lr:g}, "
        f"seed {c.seed}",
        file=sys.stderr,
    )
    keep_freed_heap()  # this process trains: reuse freed activations (core.heap)
    start = time.perf_counter()
    run = train(cfg, on_step=ProgressBar())
    wall = time.perf_counter() - start
    if run.stopped:
        print(f"\n{run.stopped}", file=sys.stderr)
    print(summary_table(run))
    print(f"wall time {wall:.2f} s")
    if args.out is not None:
        written = save_run(run, args.out)
        print("wrote " + " and ".join(str(p) for p in written if p is not None))
    if not args.no_store:
        save_to_store(run, args.store)
    return 1 if run.stopped else 0
