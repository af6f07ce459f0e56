"""How long a sweep will take, before it runs: a rough estimate from the training time of
stored runs, per unit of work (one optimizer step over one time step of the sequence)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from core.train.config import RunConfig

# Seconds per optimizer step and time step when no run has been stored: 2.11-2.18 s per run of
# 1000 steps at T = 40-80 (mean 60), H = 16, RNN and GRU, one worker on the idle 2-core machine
# (bench/sweep_scaling.py): 2.15 / (1000 x 60) s. bench/sweep_estimate.py measures the cost
# per step against T for every cell (nearly linear; bench/README.md).
MEASURED_SECONDS_PER_UNIT = 36e-6
RECENT_RUNS = 200  # stored runs the per-unit cost is taken from (newest first)


@dataclass(frozen=True)
class Estimate:
    seconds: float  # wall time of the whole sweep on `workers` workers
    workers: int
    basis: str  # where the per-unit cost came from, in words


def work_units(cfg: RunConfig) -> int:
    """units = steps x T: the training loop's cost grows with both (small H: nearly linearly)."""
    return cfg.steps * cfg.length


def seconds_per_unit(timed: list[tuple[RunConfig, float]]) -> dict[str, float]:
    """Model -> median of seconds / units over its timed runs (config, training seconds)."""
    ratios: dict[str, list[float]] = {}
    for cfg, seconds in timed:
        if seconds > 0 and len(cfg.models) == 1:
            ratios.setdefault(cfg.models[0], []).append(seconds / work_units(cfg))
    return {model: statistics.median(r) for model, r in ratios.items()}


def estimate_sweep(
    configs: list[RunConfig], timed: list[tuple[RunConfig, float]], workers: int
) -> Estimate:
    """wall ~= sum over runs of units x cost per unit(model) / workers. A model with no timed
    run takes the median cost of the others, or the measured constant when none is timed."""
    per_unit = seconds_per_unit(timed)
    fallback = statistics.median(per_unit.values()) if per_unit else MEASURED_SECONDS_PER_UNIT
    total = sum(work_units(c) * per_unit.get(c.models[0], fallback) for c in configs)
    n = sum(1 for cfg, s in timed if s > 0 and len(cfg.models) == 1)
    basis = (
        f"from the timings of {n} stored run{'s' if n > 1 else ''}"
        if n
        else f"from a measured {MEASURED_SECONDS_PER_UNIT * 1e6:.0f} µs per step and time step"
    )
    workers = max(1, workers)
    return Estimate(seconds=total / workers, workers=workers, basis=basis)


def duration_text(seconds: float) -> str:
    """About 40 s, about 3 min, about 1.5 h."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"about {round(seconds / 60)} min"
    return f"about {seconds / 3600:.1f} h"
