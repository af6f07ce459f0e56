"""The per-step cost behind the Sweeps page's time estimate: one-model runs of every cell the
presets use, at several sequence lengths, on one process; a straight line fitted per model,

    seconds per optimizer step = a + b x T        (H = 16, batch 32, validation every 20 steps)

    python bench/sweep_estimate.py                 # T = 10, 40, 80, 160; 300 steps; 2 rounds
    python bench/sweep_estimate.py --steps 600 --rounds 3

Each run's time is the training time the store records (TrainResult seconds); the fastest of
the rounds is kept (a busy machine only adds). core/sweep/estimate.py holds the figures it
printed, and scales them by how fast stored runs trained on the machine in use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.train.config import RunConfig  # noqa: E402
from core.train.loop import train  # noqa: E402

MODELS = ("rnn", "gru", "lstm", "gru_no_reset", "gru_no_update")


def run_seconds(model: str, length: int, steps: int) -> float:
    cfg = RunConfig(models=(model,), length=length, steps=steps, hidden=16, val_size=256)
    result = train(cfg)
    return sum(m.seconds for m in result.models.values())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--lengths", type=int, nargs="+", default=[10, 40, 80, 160])
    args = p.parse_args()
    print(f"{args.steps} steps, H = 16, fastest of {args.rounds} rounds; ms per step")
    print("| model | " + " | ".join(f"T={t}" for t in args.lengths) + " | a (ms) | b (ms per T) |")
    print("|---|" + "---|" * (len(args.lengths) + 2))
    for model in MODELS:
        per_step = [
            min(run_seconds(model, t, args.steps) for _ in range(args.rounds)) / args.steps
            for t in args.lengths
        ]
        b, a = np.polyfit(args.lengths, per_step, 1)
        cells = " | ".join(f"{s * 1e3:.2f}" for s in per_step)
        print(f"| {model} | {cells} | {a * 1e3:.3f} | {b * 1e3:.4f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
