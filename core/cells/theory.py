"""Theory overlays a cell offers for its gradient curve: what norm the gradient k steps back
should have if one mechanism alone governed it (log10 ratios against k, 0 at k = 0).

    sigma_max(U)^k  and  rho(U)^k           no carry path (tanh RNN): a bound and the linear rate
    prod_{s=T-k+1}^{T} keep_s               a carry path: keep = 1 - u (GRU), f (LSTM forget gate)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LABELS = {
    "sigma_max": "sigma_max(U)^k",
    "rho": "rho(U)^k",
    "carry_max": "carry product, best unit",
    "carry_mean": "carry product, typical unit",
}
TINY = np.finfo(np.float64).tiny


@dataclass
class TheoryOverlay:
    """Predicted log10 norm ratios against k steps back (0 at k = 0); keys are in LABELS.

    Draw them over GradientFlow.relative(), or over the raw median via anchored().
    """

    k: np.ndarray  # (T,) 0..T-1
    curves: dict[str, np.ndarray]  # name -> (T,) log10 of the predicted ratio at k
    labels: dict[str, str] | None = None  # name -> legend text (LABELS when None)

    def label(self, name: str) -> str:
        return (self.labels or LABELS).get(name, LABELS.get(name, name))

    def anchored(self, start_log10: float) -> dict[str, np.ndarray]:
        """The curves shifted to start at start_log10 (e.g. flow.median_log10[0])."""
        return {name: c + start_log10 for name, c in self.curves.items()}

    def to_dict(self) -> dict:
        return {
            "k": self.k.tolist(),
            "curves": {n: c.tolist() for n, c in self.curves.items()},
            "labels": {n: self.label(n) for n in self.curves},
        }


def matrix_power_overlay(U: np.ndarray, T: int, name: str = "U") -> TheoryOverlay:
    """log10 sigma_max(U)^k = k log10 sigma_max and log10 rho(U)^k = k log10 rho. U: (H, H)."""
    U = np.asarray(U, dtype=np.float64)
    sigma = np.linalg.svd(U, compute_uv=False)[0]
    rho = np.abs(np.linalg.eigvals(U)).max()
    k = np.arange(T)
    labels = {"sigma_max": f"sigma_max({name})^k", "rho": f"rho({name})^k"}
    return TheoryOverlay(
        k,
        {"sigma_max": k * np.log10(max(sigma, TINY)), "rho": k * np.log10(max(rho, TINY))},
        labels,
    )


def carry_overlay(keep: np.ndarray, symbol: str = "1 - u") -> TheoryOverlay:
    """log10 prod over the last k steps of keep_t, the share of h_{t-1} carried to h_t.
    keep: (T, B, H) -> median over sequences of the best and the mean unit, (T,) each."""
    T = keep.shape[0]
    running = np.zeros(keep.shape)  # (T, B, H) by k
    tail = running[1:]  # k factors at k
    np.maximum(keep[::-1][:-1], TINY, out=tail)  # keep_{T-1-j}
    np.log10(tail, out=tail)
    np.cumsum(tail, axis=0, out=tail)
    best = np.median(running.max(axis=2), axis=1)  # (T,)
    typical = np.median(running.mean(axis=2), axis=1)  # (T,)
    labels = {
        "carry_max": f"prod ({symbol}), best unit",
        "carry_mean": f"prod ({symbol}), typical unit",
    }
    return TheoryOverlay(np.arange(T), {"carry_max": best, "carry_mean": typical}, labels)
