"""Types shared by every recurrent cell: the gradient bundle that backward returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Params = dict[str, np.ndarray]


@dataclass
class CellGrads:
    """Everything backpropagation through time produces for one sequence batch."""

    params: Params    # same keys and shapes as the parameters
    xs: np.ndarray    # (T, B, D) dL/dx_t
    h0: np.ndarray    # (B, H)    dL/dh_0
    hs: np.ndarray    # (T, B, H) TOTAL dL/dh_t: from above (d_hs) plus from the future via h_{t+1}


def as_inputs(params: Params, xs: np.ndarray, h0: np.ndarray | None, H: int):
    """Cast xs and h0 to the parameters' dtype (h0=None means zeros). -> xs (T, B, D), h0 (B, H)."""
    dtype = params["W"].dtype
    xs = np.ascontiguousarray(xs, dtype=dtype)
    if xs.ndim != 3:
        raise ValueError(f"xs must have shape (T, B, D), got {xs.shape}")
    if h0 is None:
        h0 = np.zeros((xs.shape[1], H), dtype=dtype)
    h0 = np.ascontiguousarray(h0, dtype=dtype)
    if h0.shape != (xs.shape[1], H):
        raise ValueError(f"h0 must have shape {(xs.shape[1], H)}, got {h0.shape}")
    return xs, h0


def previous_states(h0: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """h_{t-1} for every t: [h0, h_1, ..., h_{T-1}]. -> (T, B, H)"""
    prev = np.empty_like(hs)
    prev[0] = h0
    prev[1:] = hs[:-1]
    return prev
