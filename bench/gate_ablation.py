"""Which GRU gate matters where: the full GRU and its two ablations (no reset gate: r = 1; no
update gate: u = 1) trained side by side on identical batches, per task, over several seeds.

    python bench/gate_ablation.py                       # the four tasks below, seeds 0..4
    python bench/gate_ablation.py --tasks keyed --seeds 0 1 2
    python bench/gate_ablation.py --models gru gru_no_reset gru_no_update lstm

Each run is `python -m core.train --task T --length L --models ... --steps S --seed s`
(the default experiment's other settings: H = 16, batch 32, Adam 1e-2 annealed, clip 1,
update-gate bias -4), so the Train page reproduces any row. Per task and model we print the
final validation accuracy (mean, min and max over seeds), how many seeds reached the task's
success accuracy, and the median first step at which they did; then, from
core.analysis.ablation, each ablation's accuracy gap to the full GRU on the same batches.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.analysis.ablation import ablation_report  # noqa: E402
from core.cells import cell_names, get_cell  # noqa: E402
from core.tasks import task_names  # noqa: E402
from core.train.config import RunConfig  # noqa: E402
from core.train.loop import train  # noqa: E402

# (task, length, steps): long enough that the full GRU learns the task within `steps`.
SETTINGS = {"recall": (80, 1000), "order": (60, 1000), "adding": (50, 1000), "keyed": (40, 2000)}


def run_task(task: str, length: int, steps: int, models: tuple[str, ...], seeds: list[int]) -> list:
    """One report per seed."""
    reports = []
    for seed in seeds:
        cfg = RunConfig(task=task, length=length, steps=steps, models=models, seed=seed)
        reports.append(ablation_report(train(cfg)))
    return reports


def print_task(task: str, length: int, steps: int, reports: list, seconds: float) -> None:
    target = reports[0].target
    print(
        f"\n{task}  T={length}  steps={steps}  seeds={len(reports)}  "
        f"success = val accuracy >= {target:.2f}  chance {reports[0].chance:.3f}  "
        f"({seconds:.0f} s)"
    )
    for model in reports[0].outcomes:
        acc = np.array([r.outcomes[model].final_accuracy for r in reports])
        hits = [r.outcomes[model].steps_to_target for r in reports]
        reached = [h for h in hits if h is not None]
        first = f"{int(np.median(reached)):5d}" if reached else "    -"
        print(
            f"  {get_cell(model).label:20s} final acc {acc.mean():.3f} "
            f"[{acc.min():.3f} .. {acc.max():.3f}]  solved {len(reached)}/{len(reports)}"
            f"  median first step {first}"
        )
    for j, ab in enumerate(reports[0].ablations):
        gaps = np.array([r.ablations[j].accuracy_gap for r in reports])
        print(
            f"  without the {ab.gate_name} ({ab.gate}): accuracy gap to the full cell "
            f"{gaps.mean():+.3f} [{gaps.min():+.3f} .. {gaps.max():+.3f}]"
        )
        pairs = [
            (r.ablations[j].full.steps_to_target, r.ablations[j].ablated.steps_to_target)
            for r in reports
        ]
        print(
            "    first step at target per seed (full, ablated): "
            + ", ".join(f"({_step(f)}, {_step(a)})" for f, a in pairs)
        )


def _step(step: int | None) -> str:
    return "-" if step is None else str(step)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tasks", nargs="+", choices=task_names(), default=list(SETTINGS))
    p.add_argument(
        "--models",
        nargs="+",
        choices=cell_names(),
        default=["gru", "gru_no_reset", "gru_no_update"],
    )
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    p.add_argument("--steps", type=int, help="override every task's step count")
    args = p.parse_args(argv)
    for task in args.tasks:
        length, steps = SETTINGS.get(task, (40, 1000))
        steps = args.steps or steps
        start = time.perf_counter()
        reports = run_task(task, length, steps, tuple(args.models), args.seeds)
        print_task(task, length, steps, reports, time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
