"""One-number summaries of a gradient-flow curve: decay rate, half-life and survival.

Fitted on the batch median of the per-sequence curves normalised at k = 0
(log10 ||dL_T/dh_{T-k}|| - log10 ||dL_T/dh_T||):

    slope       least-squares slope of that median against k (log10 per step back, with an
                intercept); factor_per_step = 10**slope
    half_life   steps back until the norm halves, from the slope: log10(2) / (-slope);
                inf when the curve does not decay (slope >= 0)
    survival_k  norm at k relative to k = 0 (median over sequences): 10**median[k];
                NaN when the sequence is too short (T <= k)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.analysis.gradients import GradientFlow

SURVIVAL_STEPS = (20, 50)


@dataclass
class DecayStats:
    model: str                 # the model (a registered cell name)
    step: int                  # optimizer step of the parameters
    slope: float               # fitted d log10 norm / dk (negative: decaying)
    factor_per_step: float     # 10**slope: gradient kept per step back
    half_life: float           # steps back until the norm halves (inf: not decaying)
    survival: dict[int, float]  # k -> norm at k / norm at 0 (NaN when T <= k)

    def to_dict(self) -> dict:
        def num(x: float) -> float | None:
            return None if not math.isfinite(x) else x
        return {"model": self.model, "step": self.step, "slope": self.slope,
                "factor_per_step": self.factor_per_step, "half_life": num(self.half_life),
                "survival": {str(k): num(v) for k, v in self.survival.items()}}


def fitted_slope(k: np.ndarray, log10_norm: np.ndarray) -> float:
    """Least-squares slope b of log10_norm ~ a + b k over all points. (T,), (T,) -> float."""
    k = np.asarray(k, dtype=np.float64)
    if k.size < 2:
        return math.nan
    y = np.asarray(log10_norm, dtype=np.float64)
    kc = k - k.mean()
    return float(kc @ (y - y.mean()) / (kc @ kc))


def half_life(slope: float) -> float:
    """Steps back until the norm halves at a constant log10 slope: log10(2) / (-slope)."""
    if math.isnan(slope):
        return math.nan
    return math.log10(2.0) / -slope if slope < 0 else math.inf


def survival(k: np.ndarray, log10_ratio: np.ndarray, steps=SURVIVAL_STEPS) -> dict[int, float]:
    """{n: 10**log10_ratio at k = n} (NaN when n is beyond the curve)."""
    out = {}
    for n in steps:
        hit = np.flatnonzero(np.asarray(k) == n)
        out[int(n)] = float(10.0 ** log10_ratio[hit[0]]) if hit.size else math.nan
    return out


def decay_stats(flow: GradientFlow, steps=SURVIVAL_STEPS) -> DecayStats:
    """Decay rate, half-life and survival of one gradient-flow curve (see module docstring)."""
    rel = flow.relative().median_log10                                   # (T,) 0 at k = 0
    slope = fitted_slope(flow.k, rel)
    return DecayStats(model=flow.model, step=flow.step, slope=slope,
                      factor_per_step=10.0 ** slope if math.isfinite(slope) else math.nan,
                      half_life=half_life(slope), survival=survival(flow.k, rel, steps))
