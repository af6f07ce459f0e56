"""Types and helpers shared by every recurrent cell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

Params = dict[str, np.ndarray]


@dataclass
class CellGrads:
    """Everything backpropagation through time produces for one sequence batch.

    `xs` (T, B, D), dL/dx_t, is computed on first access: training never needs it, so a
    training step does not pay for the extra matrix product.
    """

    params: Params    # same keys and shapes as the parameters
    h0: np.ndarray    # (B, H)    dL/dh_0
    hs: np.ndarray    # (T, B, H) TOTAL dL/dh_t: from above (d_hs) plus from the future via h_{t+1}
    input_grad: Callable[[], np.ndarray] = field(repr=False)   # () -> dL/dxs (T, B, D)

    @cached_property
    def xs(self) -> np.ndarray:
        """dL/dx_t for every step. -> (T, B, D)"""
        return self.input_grad()


def inputs_with_ones(params: Params, xs: np.ndarray, h0: np.ndarray | None, H: int):
    """Cast to the parameters' dtype and append a column of ones, so one product gives
    x W + b (and, backwards, dW and db together). h0=None means zeros.
    -> x1 (T*B, D+1), xs (T, B, D) view of x1, h0 (B, H)"""
    dtype = params["W"].dtype
    xs = np.asarray(xs)
    if xs.ndim != 3:
        raise ValueError(f"xs must have shape (T, B, D), got {xs.shape}")
    T, B, D = xs.shape
    x1 = np.empty((T * B, D + 1), dtype=dtype)                # (T*B, D+1)
    x1[:, :D] = xs.reshape(T * B, D)
    x1[:, D] = 1.0
    if h0 is None:
        h0 = np.zeros((B, H), dtype=dtype)
    h0 = np.ascontiguousarray(h0, dtype=dtype)
    if h0.shape != (B, H):
        raise ValueError(f"h0 must have shape {(B, H)}, got {h0.shape}")
    return x1, x1[:, :D].reshape(T, B, D), h0


def input_grad(d_pre: np.ndarray, W: np.ndarray, shape: tuple[int, ...]):
    """A thunk for dL/dxs = d_pre W^T.  d_pre: (T*B, G), W: (D, G) -> () -> (T, B, D)"""
    return lambda: (d_pre @ W.T).reshape(shape)


def previous_states(h0: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """h_{t-1} for every t: [h0, h_1, ..., h_{T-1}]. -> (T, B, H)"""
    prev = np.empty_like(hs)
    prev[0] = h0
    prev[1:] = hs[:-1]
    return prev
