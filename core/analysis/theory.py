"""Theory overlays for the gradient-flow chart: what simple models of the backward pass predict
for ||dL_T/dh_{T-k}|| / ||dL_T/dh_T|| at k steps back, as log10 arrays over k = 0..T-1.

    rnn:  sigma_max(U)^k  (a bound when |tanh'| <= 1)   and   rho(U)^k  (the linearised rate)
    gru:  prod_{s=T-k+1}^{T} (1 - u_s), the gradient along the carry path alone
          (dh_t/dh_{t-1} = diag(1 - u_t) when the gate and candidate paths are ignored); per
          sequence the best-carrying unit (max over units = the spectral norm of that diagonal
          product) and the typical unit (geometric mean over units, i.e. the mean of the log10
          products), then the median over the batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analysis.batch_summary import safe_log10
from core.analysis.spectrum import spectrum

Params = dict[str, np.ndarray]

LABELS = {
    "sigma_max": "sigma_max(U)^k",
    "rho": "rho(U)^k",
    "carry_max": "prod (1 - u), best unit",
    "carry_mean": "prod (1 - u), typical unit",
}


@dataclass
class TheoryOverlay:
    """Predicted log10 norm ratios against k steps back (0 at k = 0); keys are in LABELS.

    Draw them over GradientFlow.relative(), or over the raw median via anchored().
    """

    k: np.ndarray                    # (T,) 0..T-1
    curves: dict[str, np.ndarray]    # name -> (T,) log10 of the predicted ratio at k

    def label(self, name: str) -> str:
        return LABELS.get(name, name)

    def anchored(self, start_log10: float) -> dict[str, np.ndarray]:
        """The curves shifted to start at start_log10 (e.g. flow.median_log10[0])."""
        return {name: c + start_log10 for name, c in self.curves.items()}

    def to_dict(self) -> dict:
        return {"k": self.k.tolist(), "curves": {n: c.tolist() for n, c in self.curves.items()}}


def rnn_overlay(U: np.ndarray, T: int) -> TheoryOverlay:
    """log10 sigma_max(U)^k = k log10 sigma_max and log10 rho(U)^k = k log10 rho. U: (H, H)."""
    s = spectrum(np.asarray(U, dtype=np.float64))
    k = np.arange(T)
    return TheoryOverlay(k, {"sigma_max": k * safe_log10(s.sigma_max),
                             "rho": k * safe_log10(s.rho)})


def carry_overlay(u: np.ndarray) -> TheoryOverlay:
    """log10 prod over the last k steps of (1 - u_t). u: (T, B, H) update gates."""
    T = u.shape[0]
    running = np.zeros(u.shape)                                           # (T, B, H) by k
    keep = running[1:]                                                    # k factors at k
    np.subtract(1.0, u[::-1][:-1], out=keep)                              # 1 - u_{T-1-j}
    np.maximum(keep, np.finfo(np.float64).tiny, out=keep)
    np.log10(keep, out=keep)
    np.cumsum(keep, axis=0, out=keep)
    best = np.median(running.max(axis=2), axis=1)                         # (T,)
    typical = np.median(running.mean(axis=2), axis=1)                     # (T,)
    return TheoryOverlay(np.arange(T), {"carry_max": best, "carry_mean": typical})


def theory_overlay(cell_name: str, params: Params, cache) -> TheoryOverlay:
    """The overlay that fits the cell: rnn from U, GRUs from the forward cache's update gates."""
    if cell_name == "rnn":
        return rnn_overlay(params["U"], cache.hs.shape[0])
    return carry_overlay(cache.u)
