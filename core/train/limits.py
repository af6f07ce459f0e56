"""The largest run the app accepts: the Train form's bounds, applied to every config read from a
file, a store or a sweep grid before anything is built from it (a run file claiming a million
hidden units is refused, not allocated)."""

from __future__ import annotations

from core.train.config import RunConfig

# field -> (lowest, highest) accepted value, for every field that sets a run's memory or time;
# the Train form's number inputs use the same bounds
LIMITS: dict[str, tuple[int, int]] = {
    "length": (1, 500),  # sequence length T
    "symbols": (2, 64),  # recall alphabet K
    "hidden": (1, 256),  # hidden units H
    "steps": (1, 5000),  # optimizer steps
    "batch": (1, 512),  # sequences per batch
    "val_size": (1, 4096),  # validation sequences
    "checkpoints": (1, 101),  # parameter snapshots
}


def limit_problems(cfg: RunConfig) -> list[str]:
    """Every field of cfg outside LIMITS, as 'hidden = 1000000 is above the limit 256'."""
    problems = []
    for name, (low, high) in LIMITS.items():
        value = getattr(cfg, name)
        if value < low:
            problems.append(f"{name} = {value:g} is below the limit {low:g}")
        elif value > high:
            problems.append(f"{name} = {value:g} is above the limit {high:g}")
    return problems


def check_limits(cfg: RunConfig) -> RunConfig:
    """cfg unchanged, or ValueError naming every field outside the accepted range."""
    problems = limit_problems(cfg)
    if problems:
        raise ValueError("outside the accepted range: " + "; ".join(problems))
    return cfg
