"""What a training run produces: small named objects, not loose tuples."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.tasks.spec import Baseline
from core.train.config import RunConfig

__all__ = ["Baseline", "History", "ModelResult", "Snapshot", "TrainResult"]

Params = dict[str, np.ndarray]


@dataclass
class History:
    """Per-evaluation records of one model (all arrays share one length)."""

    step: np.ndarray  # (E,) optimizer step at which the row was recorded
    train_loss: np.ndarray  # (E,) training-batch loss at that step
    val_loss: np.ndarray  # (E,) loss on the fixed held-out set
    val_accuracy: np.ndarray  # (E,) the task's success criterion on the held-out set
    grad_norm: np.ndarray  # (E,) global gradient norm before clipping
    clipped: np.ndarray  # (E,) bool, whether that step's gradient was clipped
    seconds: np.ndarray  # (E,) cumulative training seconds of this model
    clipped_share: np.ndarray | None = None  # (E,) share of the steps since the previous row
    # (this one included) whose gradient was clipped


@dataclass
class Snapshot:
    step: int  # optimizer step the parameters were copied at (0 = init)
    params: Params  # copies of every parameter array


@dataclass
class ModelResult:
    name: str  # the registered cell this model is
    history: History
    params: Params  # final parameters
    snapshots: list[Snapshot] = field(default_factory=list)
    seconds: float = 0.0  # wall seconds spent on this model's steps and evaluations

    @property
    def final(self) -> dict[str, float]:
        """The last validation row (NaN when training stopped before the first one)."""
        h = self.history
        if len(h.step) == 0:
            return {"val_loss": float("nan"), "val_accuracy": float("nan")}
        return {"val_loss": float(h.val_loss[-1]), "val_accuracy": float(h.val_accuracy[-1])}


@dataclass
class TrainResult:
    config: RunConfig
    models: dict[str, ModelResult]
    baseline: Baseline
    stopped: str | None = None  # why training stopped early (NaN/inf loss); None: ran to the end
    has_weights: bool = True  # False for a run loaded from its JSON alone (no parameters)
