"""Gradient-clipping diagnostics from a training history.

Global-norm clipping rescales the gradient g to g * clip / ||g|| when ||g|| > clip, so the norm
actually applied is min(||g||, clip); clip = 0 means no clipping (after = before).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.train.results import History


@dataclass
class ClippingStats:
    step: np.ndarray  # (E,) optimizer step of each recorded row
    before: np.ndarray  # (E,) global gradient norm before clipping
    after: np.ndarray  # (E,) norm applied: min(before, clip), or before when clip = 0
    clipped: np.ndarray  # (E,) bool, whether that row's gradient was clipped
    clip: float  # threshold (0: clipping off)
    fraction_clipped: float  # share of training steps clipped (NaN with no rows)
    over_rows_only: bool  # True: the share counts recorded rows only (no per-step share)

    def to_dict(self) -> dict:
        return {
            "step": self.step.tolist(),
            "before": self.before.tolist(),
            "after": self.after.tolist(),
            "clipped": self.clipped.tolist(),
            "clip": self.clip,
            "fraction_clipped": self.fraction_clipped,
        }


def clipping_stats(history: History, clip: float) -> ClippingStats:
    """Norms before / after clipping and the share of steps clipped.

    The share uses history.clipped_share (share of the steps since the previous row that were
    clipped, when the trainer records it), weighted by the steps each row covers; otherwise
    the share of recorded rows whose `clipped` flag is set.
    """
    before = np.asarray(history.grad_norm, dtype=np.float64)  # (E,)
    after = np.minimum(before, clip) if clip > 0 else before.copy()  # (E,)
    clipped = np.asarray(history.clipped, dtype=bool)  # (E,)
    step = np.asarray(history.step)
    share = getattr(history, "clipped_share", None)
    if before.size == 0:
        fraction, rows_only = float("nan"), True
    elif share is not None and len(share) == len(step):
        span = np.diff(step, prepend=0).astype(np.float64)  # steps per row
        span = np.where(span > 0, span, 1.0)
        fraction, rows_only = float((np.asarray(share) * span).sum() / span.sum()), False
    else:
        fraction, rows_only = float(clipped.mean()), True
    return ClippingStats(
        step=step,
        before=before,
        after=after,
        clipped=clipped,
        clip=float(clip),
        fraction_clipped=fraction,
        over_rows_only=rows_only,
    )
