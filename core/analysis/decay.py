"""One-number summaries of a gradient-flow curve: measured half-life, survival, fitted rate.

Everything is read off one curve, the batch median of the per-sequence curves normalised at
k = 0: m[k] = 10**median_b(log10 ||dL_T/dh_{T-k}|| - log10 ||dL_T/dh_T||), so m[0] = 1.

    half_life   measured: the first k with m[k] < 1/2; inf ("beyond T") when m never falls
                below 1/2 within the sequence
    survival_n  m[n]: the share of the gradient that reaches n steps back (> 1: it grew);
                NaN when the sequence is too short (T <= n)
    kept_far    m[T-1]: the share reaching the first state of the sequence
    grows       True when the gradient ends larger than it started (kept_far > 1)
    recovers    True when m falls below 1/2 and later rises back to 1/2 or more
    back_above_half  the first k after half_life with m[k] >= 1/2 (inf: it stays below)
    shape       the curve's leading fact, which the page's table and sentence both lead with:
                "dips_and_recovers" (recovers), "decays" (falls below 1/2 and stays there),
                "grows" (never below 1/2, ends above 1), "never_halves" (otherwise)
    slope       a separate, fitted figure: least-squares slope of log10 m against k over
                fit_range (log10 per step back, with an intercept); factor_per_step = 10**slope

So half_life <= n exactly when survival_n < 1/2, unless `recovers` (the curve crossed 1/2
more than once).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.analysis.gradients import GradientFlow

SURVIVAL_STEPS = (20, 50)
HALF = 0.5


@dataclass
class DecayStats:
    model: str  # the model (a registered cell name)
    step: int  # optimizer step of the parameters
    length: int  # T: points of the curve, k = 0..T-1
    half_life: float  # measured: first k with m[k] < 1/2 (inf: beyond T)
    survival: dict[int, float]  # n -> m[n] (NaN when T <= n)
    kept_far: float  # m[T-1]: share reaching the sequence's first state
    grows: bool  # kept_far > 1: the gradient grows going back
    recovers: bool  # m dips below 1/2 and climbs back to >= 1/2 later
    back_above_half: float  # first k after half_life with m[k] >= 1/2 (inf: none)
    shape: str  # dips_and_recovers | decays | grows | never_halves (see module docstring)
    slope: float  # fitted d log10 m / dk over fit_range (negative: decaying)
    factor_per_step: float  # 10**slope: fitted share kept per step back
    fit_range: tuple[int, int]  # (first k, last k) of the straight-line fit

    @property
    def fitted_half_life(self) -> float:
        """Half-life of the fitted straight line: log10(2) / -slope (inf when not decaying)."""
        return fitted_half_life(self.slope)

    def to_dict(self) -> dict:
        def num(x: float) -> float | None:
            return None if not math.isfinite(x) else x

        return {
            "model": self.model,
            "step": self.step,
            "length": self.length,
            "half_life": num(self.half_life),
            "survival": {str(k): num(v) for k, v in self.survival.items()},
            "kept_far": num(self.kept_far),
            "grows": self.grows,
            "recovers": self.recovers,
            "back_above_half": num(self.back_above_half),
            "shape": self.shape,
            "slope": num(self.slope),
            "factor_per_step": num(self.factor_per_step),
            "fit_range": list(self.fit_range),
        }


def fitted_slope(k: np.ndarray, log10_norm: np.ndarray) -> float:
    """Least-squares slope b of log10_norm ~ a + b k over all points. (T,), (T,) -> float."""
    k = np.asarray(k, dtype=np.float64)
    if k.size < 2:
        return math.nan
    y = np.asarray(log10_norm, dtype=np.float64)
    kc = k - k.mean()
    return float(kc @ (y - y.mean()) / (kc @ kc))


def fitted_half_life(slope: float) -> float:
    """Steps back until a straight line of this log10 slope halves: log10(2) / (-slope)."""
    if math.isnan(slope):
        return math.nan
    return math.log10(2.0) / -slope if slope < 0 else math.inf


def measured_half_life(k: np.ndarray, log10_ratio: np.ndarray) -> float:
    """The first k with 10**log10_ratio[k] < 1/2; inf when there is none. (T,), (T,) -> k"""
    below = np.flatnonzero(np.asarray(log10_ratio) < math.log10(HALF))
    return float(np.asarray(k)[below[0]]) if below.size else math.inf


def survival(k: np.ndarray, log10_ratio: np.ndarray, steps=SURVIVAL_STEPS) -> dict[int, float]:
    """{n: 10**log10_ratio at k = n} (NaN when n is beyond the curve)."""
    out = {}
    for n in steps:
        hit = np.flatnonzero(np.asarray(k) == n)
        out[int(n)] = float(10.0 ** log10_ratio[hit[0]]) if hit.size else math.nan
    return out


def back_above_half(log10_ratio: np.ndarray, half_life: float, k: np.ndarray) -> float:
    """The first k after the first fall below 1/2 with m[k] >= 1/2; inf when there is none."""
    if not math.isfinite(half_life):
        return math.inf
    k = np.asarray(k)
    back = np.flatnonzero((k > half_life) & (np.asarray(log10_ratio) >= math.log10(HALF)))
    return float(k[back[0]]) if back.size else math.inf


def curve_shape(half_life: float, back_k: float, grows: bool) -> str:
    """The curve's leading fact: dips_and_recovers | decays | grows | never_halves."""
    if math.isfinite(back_k):
        return "dips_and_recovers"
    if math.isfinite(half_life):
        return "decays"
    return "grows" if grows else "never_halves"


def decay_stats(flow: GradientFlow, steps=SURVIVAL_STEPS) -> DecayStats:
    """Measured half-life, survival and the fitted rate of one flow (see module docstring)."""
    rel = flow.relative().median_log10  # (T,) 0 at k = 0
    k = np.asarray(flow.k)
    h = measured_half_life(k, rel)
    slope = fitted_slope(k, rel)
    kept_far = float(10.0 ** rel[-1])
    back_k = back_above_half(rel, h, k)
    return DecayStats(
        model=flow.model,
        step=flow.step,
        length=int(k.size),
        half_life=h,
        survival=survival(k, rel, steps),
        kept_far=kept_far,
        grows=kept_far > 1.0,
        recovers=math.isfinite(back_k),
        back_above_half=back_k,
        shape=curve_shape(h, back_k, kept_far > 1.0),
        slope=slope,
        factor_per_step=10.0**slope if math.isfinite(slope) else math.nan,
        fit_range=(int(k[0]), int(k[-1])),
    )
