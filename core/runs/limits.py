"""The largest run the app accepts, field by field: the limits of RunConfig's settings, which
every config meets (a run file claiming a million hidden units is refused, not allocated)."""

from __future__ import annotations

from core.config import bounds
from core.train.config import RunConfig

# field -> (lowest, highest) accepted value, for every field that sets a run's memory or time
LIMITS: dict[str, tuple[int, int]] = {
    name: bounds(RunConfig, name)
    for name in ("length", "symbols", "hidden", "steps", "batch", "val_size", "checkpoints")
}
