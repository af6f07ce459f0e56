"""Vanilla tanh RNN: forward over a whole sequence and exact backpropagation through time.

    h_t = tanh(x_t W + h_{t-1} U + b)        row vectors: x_t (B, D), h_t (B, H)

Parameters: W (D, H), U (H, H), b (H,). The dtype of the parameters decides the dtype of
every computation (float32 for training, float64 for analysis).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.cells.init import gaussian, recurrent
from core.cells.protocol import (
    Cell,
    CellGrads,
    InputWeightGrad,
    Params,
    input_grad,
    inputs_with_ones,
    tanh_slope,
    with_final,
)
from core.cells.theory import TheoryOverlay, matrix_power_overlay


@dataclass
class RnnCache:
    xs: np.ndarray  # (T, B, D) inputs, in the parameters' dtype
    h0: np.ndarray  # (B, H) initial state
    hs: np.ndarray  # (T, B, H) hidden states h_1..h_T
    x1: np.ndarray  # (T*B, D+1) inputs with a ones column (for W and b in one product)


def init(
    D: int,
    H: int,
    rng: np.random.Generator,
    *,
    init_scale: float = 1.0,
    orthogonal: bool = True,
    chrono_length: int | None = None,
    dtype: str = "float32",
) -> Params:
    """W ~ N(0, g^2/D); U orthogonal * g (or N(0, g^2/H)); b = 0."""
    return {
        "W": gaussian(rng, (D, H), D, init_scale, dtype),  # (D, H)
        "U": recurrent(rng, H, 1, init_scale, orthogonal, dtype),  # (H, H)
        "b": np.zeros(H, dtype=dtype),  # (H,)
    }


def forward(params: Params, xs: np.ndarray, h0: np.ndarray | None) -> tuple[np.ndarray, RnnCache]:
    """h_t = tanh(x_t W + h_{t-1} U + b).  xs: (T, B, D), h0: (B, H) -> hs: (T, B, H)."""
    W, U, b = params["W"], params["U"], params["b"]
    T, H = len(xs), U.shape[0]
    x1, xs, h0 = inputs_with_ones(params, xs, h0, H)
    B = xs.shape[1]
    hs = (x1 @ np.vstack([W, b])).reshape(T, B, H)  # (T, B, H) all input projections
    rec = np.empty((B, H), dtype=W.dtype)  # (B, H) scratch: h_{t-1} U
    h = h0
    for t in range(T):
        np.dot(h, U, out=rec)  # (B, H); np.dot: less call overhead than matmul in 2-D
        rec += hs[t]
        np.tanh(rec, out=hs[t])  # h_t, over its pre-activation
        h = hs[t]
    return hs, RnnCache(xs=xs, h0=h0, hs=hs, x1=x1)


def backward(
    params: Params, cache: RnnCache, d_hs: np.ndarray, d_final: np.ndarray | None = None
) -> CellGrads:
    """BPTT. d_hs: (T, B, H) dL/dh_t from above, d_final (B, H) dL/dh_T from after the sequence
    -> grads for W, U, b, xs, h0 and total dL/dh_t.

    dh_t = d_hs[t] + da_{t+1} U^T;   da_t = dh_t (1 - h_t^2);   dU = sum_t h_{t-1}^T da_t
    """
    W, U = params["W"], params["U"]
    xs, h0, hs = cache.xs, cache.h0, cache.hs
    T, B, H = hs.shape
    d_hs = with_final(d_hs, d_final, hs.dtype)
    dh_total = np.empty_like(hs)  # (T, B, H) total dL/dh_t
    d_pre = np.empty_like(hs)  # (T, B, H) dL/da_t
    UT = np.ascontiguousarray(U.T)  # (H, H) transposed once
    d_next = np.zeros((B, H), dtype=hs.dtype)  # (B, H) gradient arriving from h_{t+1}
    d_Wb = InputWeightGrad(cache.x1, T, H)  # d[W; b]
    slope = tanh_slope(hs)  # (T, B, H) 1 - h_t^2, for all steps at once
    for t in range(T - 1, -1, -1):
        dh = dh_total[t]
        np.add(d_hs[t], d_next, out=dh)  # (B, H)
        np.multiply(dh, slope[t], out=d_pre[t])  # da_t = dh (1 - h_t^2)
        np.dot(d_pre[t], UT, out=d_next)  # (B, H) dL/dh_{t-1} through U
        d_Wb.add(t, d_pre[t])
    d_pre2 = d_pre.reshape(T * B, H)  # (T*B, H)
    dWb = d_Wb.result(d_pre2)  # (D+1, H) [dW; db]
    dU = h0.T @ d_pre[0] + hs[:-1].reshape(-1, H).T @ d_pre[1:].reshape(-1, H)  # (H, H)
    grads = {"W": dWb[:-1], "U": dU, "b": dWb[-1]}
    return CellGrads(
        params=grads, h0=d_next, hs=dh_total, input_grad=input_grad(d_pre2, W, xs.shape)
    )


def param_shapes(D: int, H: int) -> dict[str, tuple[int, ...]]:
    return {"W": (D, H), "U": (H, H), "b": (H,)}


def jacobian_factors(params: Params, cache: RnnCache):
    """J_t = dh_t/dh_{t-1} = diag(1 - h_t^2) U^T, kept as its factors."""
    return {"d": 1.0 - cache.hs * cache.hs}, {"U": params["U"]}  # (T, B, H), (H, H)


def jacobian_matvec(f, m, v):
    """J v = diag(d) U^T v; row vectors: d * (v U).  v: (N, H) -> (N, H)"""
    return f["d"] * (v @ m["U"])


def jacobian_rmatvec(f, m, w):
    """J^T w = U diag(d) w; row vectors: (d * w) U^T.  w: (N, H) -> (N, H)"""
    return (f["d"] * w) @ m["U"].T


def recurrent_blocks(params: Params) -> dict[str, np.ndarray]:
    return {"U": params["U"]}  # (H, H)


def theory_overlay(params: Params, cache: RnnCache) -> TheoryOverlay:
    """No carry path: the gradient k steps back is bounded by sigma_max(U)^k."""
    return matrix_power_overlay(params["U"], cache.hs.shape[0])


CELL = Cell(
    name="rnn",
    label="RNN",
    colour="#D1495B",
    summary="h_t = tanh(x_t W + h_{t-1} U + b), every step rewrites the state",
    init=init,
    forward=forward,
    backward=backward,
    param_shapes=param_shapes,
    jacobian_factors=jacobian_factors,
    jacobian_matvec=jacobian_matvec,
    jacobian_rmatvec=jacobian_rmatvec,
    recurrent_blocks=recurrent_blocks,
    theory_overlay=theory_overlay,
)
