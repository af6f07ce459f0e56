"""When a run has solved its task: one criterion per task, in one place (the task registry takes
these over when it lands). A model succeeds when its last validation row meets the criterion;
steps_to_success is the first evaluated step that met it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.train.results import History


@dataclass(frozen=True)
class Success:
    metric: str          # History column judged: "val_accuracy" or "val_loss"
    threshold: float     # the value to reach
    above: bool = True   # True: metric >= threshold; False: metric <= threshold

    def met(self, values: np.ndarray) -> np.ndarray:
        """(E,) bool: which rows meet the criterion (NaN never does)."""
        with np.errstate(invalid="ignore"):
            return values >= self.threshold if self.above else values <= self.threshold

    def describe(self) -> str:
        return f"{self.metric} {'>=' if self.above else '<='} {self.threshold:g}"


SUCCESS = {
    "recall": Success("val_accuracy", 0.95),   # name the cue symbol on 95 % of sequences
    "order": Success("val_accuracy", 0.95),    # classify the X/Y order on 95 %
    "copy": Success("val_accuracy", 0.95),     # copy 95 % of the symbols
    "adding": Success("val_loss", 0.01),       # MSE <= 0.01 (chance 1/6), as in Pascanu et al.
}


def success_of(task: str) -> Success:
    return SUCCESS[task]


def succeeded(task: str, history: History) -> bool:
    """The last validation row meets the task's criterion."""
    crit = SUCCESS[task]
    values = getattr(history, crit.metric)
    return bool(len(values) and crit.met(values[-1:])[0])


def steps_to_success(task: str, history: History) -> int | None:
    """The first evaluated step that met the criterion, or None."""
    crit = SUCCESS[task]
    hits = np.flatnonzero(crit.met(getattr(history, crit.metric)))
    return int(history.step[hits[0]]) if len(hits) else None
