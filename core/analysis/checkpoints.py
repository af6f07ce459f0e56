"""What a run-level analysis looks at: a model's parameters at one checkpoint (snapshot), its
cell, and one fixed analysis batch per run, so every page and chart sees the same sequences."""

from __future__ import annotations

import numpy as np

from core.tasks import Batch, task_for
from core.train.results import TrainResult

Params = dict[str, np.ndarray]
ANALYSIS_BATCH = 64  # sequences in the fixed analysis batch of a run
ANALYSIS_STREAM = 20_251  # rng stream of the analysis batch: (seed, this), apart from training


def analysis_batch(result: TrainResult, size: int = ANALYSIS_BATCH) -> Batch:
    """A fixed batch from the run's own task, drawn from rng (seed, ANALYSIS_STREAM), float64."""
    cfg = result.config
    rng = np.random.default_rng((cfg.seed, ANALYSIS_STREAM))
    return task_for(cfg).sample(rng, size, dtype="float64")


def checkpoint_params(result: TrainResult, model: str, checkpoint: int) -> tuple[int, Params]:
    """(step, params) of snapshot `checkpoint` (negative counts from the end) of `model`; a model
    without snapshots has one checkpoint: its final parameters at the last step."""
    if model not in result.models:
        raise ValueError(f"the run has no model {model!r}; it has {sorted(result.models)}")
    m = result.models[model]
    if not m.snapshots:
        if checkpoint not in (0, -1):
            raise ValueError(f"model {model!r} has no snapshots; only checkpoint 0 (final)")
        return int(result.config.steps), m.params
    n = len(m.snapshots)
    if not -n <= checkpoint < n:
        raise ValueError(f"checkpoint {checkpoint} out of range: {model!r} has {n} snapshots")
    snap = m.snapshots[checkpoint]
    return int(snap.step), snap.params


def checkpoint_steps(result: TrainResult, model: str) -> list[int]:
    """Optimizer step of every checkpoint of `model` (one entry, the last step, without
    snapshots): the labels of a checkpoint slider."""
    m = result.models[model]
    return [int(s.step) for s in m.snapshots] or [int(result.config.steps)]


def require_weights(result: TrainResult) -> None:
    """Raise a clear error for a run loaded without its parameters (JSON without weights)."""
    if not getattr(result, "has_weights", True):
        raise ValueError(
            "this run was loaded without its weights file (.npz), so its "
            "gradients cannot be computed; load the run with its weights"
        )
