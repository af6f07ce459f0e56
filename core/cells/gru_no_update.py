"""GRU without its update gate (u fixed at 1: every step overwrites), with exact BPTT.

    r_t = sigmoid(x_t W_r + h_{t-1} U_r + b_r)          reset gate: what of h_{t-1} to read
    h_t = tanh(x_t W_c + (r_t * h_{t-1}) U_c + b_c)     the candidate IS the new state

The ablation that asks what the write mask buys: with no carry path, this is a tanh RNN whose
read of the past is masked by r (a read-masked RNN). Storage (row vectors):
W (D, 2H) = [W_r | W_c], U_r (H, H), U_c (H, H), b (2H,) = [b_r | b_c].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.cells.init import gaussian, recurrent
from core.cells.protocol import (
    Cell,
    CellGrads,
    GateInfo,
    InputWeightGrad,
    Params,
    input_grad,
    inputs_with_ones,
    previous_states,
    tanh_slope,
    times_complement,
)
from core.cells.theory import TheoryOverlay, matrix_power_overlay


@dataclass
class GruNoUpdateCache:
    xs: np.ndarray  # (T, B, D) inputs, in the parameters' dtype
    h0: np.ndarray  # (B, H) initial state
    hs: np.ndarray  # (T, B, H) hidden states h_1..h_T (= the candidates)
    r: np.ndarray  # (T, B, H) reset gates
    rh: np.ndarray  # (T, B, H) r_t * h_{t-1}, the part of the state that is read
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
    """W ~ N(0, g^2/D); U_r, U_c orthogonal * g (or N(0, g^2/H)); b = 0."""
    return {
        "W": gaussian(rng, (D, 2 * H), D, init_scale, dtype),  # (D, 2H)
        "U_r": recurrent(rng, H, 1, init_scale, orthogonal, dtype),  # (H, H)
        "U_c": recurrent(rng, H, 1, init_scale, orthogonal, dtype),  # (H, H)
        "b": np.zeros(2 * H, dtype=dtype),  # (2H,)
    }


def param_shapes(D: int, H: int) -> dict[str, tuple[int, ...]]:
    """Shapes of init's parameters, without drawing them."""
    return {"W": (D, 2 * H), "U_r": (H, H), "U_c": (H, H), "b": (2 * H,)}


def forward(
    params: Params, xs: np.ndarray, h0: np.ndarray | None
) -> tuple[np.ndarray, GruNoUpdateCache]:
    """Run the GRU without update gate.  xs: (T, B, D), h0: (B, H) -> hs: (T, B, H), cache."""
    W, U_r, U_c, b = params["W"], params["U_r"], params["U_c"], params["b"]
    T, H = len(xs), U_c.shape[0]
    x1, xs, h0 = inputs_with_ones(params, xs, h0, H)
    B, dt = xs.shape[1], W.dtype
    scale = np.ones(2 * H, dtype=dt)
    scale[:H] = 0.5  # sigma(a) = (1 + tanh(a/2)) / 2
    Wb = (np.vstack([W, b]) * scale).T.reshape(2, H, -1).transpose(0, 2, 1)  # (2, D+1, H)
    r, hs = np.matmul(x1, Wb).reshape(2, T, B, H)  # (T, B, H) each, contiguous, filled in place
    U_r_half = U_r * dt.type(0.5)  # (H, H)
    rh = np.empty((T, B, H), dtype=dt)  # (T, B, H)
    rec = np.empty((B, H), dtype=dt)  # (B, H) scratch
    h = h0
    for t in range(T):
        np.dot(h, U_r_half, out=rec)  # np.dot: less call overhead than matmul in 2-D
        r[t] += rec
        np.tanh(r[t], out=r[t])
        r[t] *= 0.5
        r[t] += 0.5  # r = sigma(.)
        np.multiply(r[t], h, out=rh[t])  # what is read
        np.dot(rh[t], U_c, out=rec)
        hs[t] += rec
        np.tanh(hs[t], out=hs[t])  # h_t = c_t
        h = hs[t]
    return hs, GruNoUpdateCache(xs=xs, h0=h0, hs=hs, r=r, rh=rh, x1=x1)


def final_state(cache: GruNoUpdateCache) -> np.ndarray:
    """h_T. -> (B, H)"""
    return cache.hs[-1]


def backward(
    params: Params, cache: GruNoUpdateCache, d_hs: np.ndarray, d_final: np.ndarray | None = None
) -> CellGrads:
    """BPTT. d_hs: (T, B, H) dL/dh_t from above, d_final (B, H) optional dL/dh_T.

    da_c = dh (1 - h_t^2);  d(rh) = da_c U_c^T;  da_r = d(rh) h_prev r (1 - r)
    dh_prev = d(rh) r + da_r U_r^T
    """
    W, U_r, U_c = params["W"], params["U_r"], params["U_c"]
    xs, h0, hs, r, rh = cache.xs, cache.h0, cache.hs, cache.r, cache.rh
    T, B, H = hs.shape
    dt = hs.dtype
    d_hs = np.asarray(d_hs, dtype=dt)
    U_rT, U_cT = np.ascontiguousarray(U_r.T), np.ascontiguousarray(U_c.T)  # (H, H) each
    d_pre = np.empty((2, T, B, H), dtype=dt)  # (2, T, B, H) [da_r, da_c], gate-major
    dh_total = np.empty_like(hs)  # (T, B, H)
    s, d_rh = np.empty((B, H), dtype=dt), np.empty((B, H), dtype=dt)  # (B, H) scratch
    d_next = np.zeros((B, H), dtype=dt)  # (B, H) dL/dh_t via step t+1
    if d_final is not None:
        d_next += np.asarray(d_final, dtype=dt)
    d_Wb = InputWeightGrad(cache.x1, T, 2 * H, blocks=2)  # d[W; b]
    # What does not depend on dh, for all steps at once (not a few calls per step):
    h_slope = tanh_slope(hs)  # (T, B, H) 1 - h_t^2
    reset_slope = times_complement(rh, r)  # (T, B, H) rh (1 - r) = h_prev r (1 - r)
    for t in range(T - 1, -1, -1):
        dh = dh_total[t]
        np.add(d_hs[t], d_next, out=dh)  # (B, H) total dL/dh_t
        d_r, d_c = d_pre[0, t], d_pre[1, t]  # (B, H) each
        np.multiply(dh, h_slope[t], out=d_c)  # da_c
        np.dot(d_c, U_cT, out=d_rh)  # (B, H)
        np.multiply(d_rh, reset_slope[t], out=d_r)  # da_r
        np.dot(d_r, U_rT, out=d_next)  # (B, H) through the gate
        np.multiply(d_rh, r[t], out=s)  # read through the reset gate
        d_next += s
        d_Wb.add(t, d_pre[:, t])
    d_flat = d_pre.reshape(2, T * B, H)  # (2, T*B, H) [da_r, da_c]
    dWb = d_Wb.result(d_flat)  # (D+1, 2H) [dW; db]
    grads = {
        "W": dWb[:-1],  # (D, 2H)
        "U_r": h0.T @ d_pre[0, 0] + hs[:-1].reshape(-1, H).T @ d_flat[0, B:],  # (H, H)
        "U_c": rh.reshape(T * B, H).T @ d_flat[1],  # (H, H)
        "b": dWb[-1],  # (2H,)
    }
    return CellGrads(
        params=grads, h0=d_next, hs=dh_total, input_grad=input_grad(d_flat, W, xs.shape)
    )


# ----------------------------------------------------------------------------- analysis hooks
def jacobian_factors(params: Params, cache: GruNoUpdateCache):
    """Per-step factors of J_t = dh_t / dh_{t-1} = diag(d) U_c^T [diag(r) + diag(k_r) U_r^T]
    with d = 1 - h_t^2, k_r = h_prev r (1 - r), each (T, B, H); blocks U_r, U_c."""
    h_prev = previous_states(cache.h0, cache.hs)
    r = cache.r
    factors = {"d": 1.0 - cache.hs * cache.hs, "r": r, "k_r": h_prev * r * (1.0 - r)}
    return factors, recurrent_blocks(params)


def jacobian_matvec(factors, mats, v: np.ndarray) -> np.ndarray:
    """J_t v = d ((r v + k_r (v U_r)) U_c) for every row.  v: (N, H) -> (N, H)"""
    read = factors["r"] * v + factors["k_r"] * (v @ mats["U_r"])  # d(r h_prev)
    return factors["d"] * (read @ mats["U_c"])


def jacobian_rmatvec(factors, mats, w: np.ndarray) -> np.ndarray:
    """J_t^T w = r y + (k_r y) U_r^T with y = (d w) U_c^T, for every row.  w: (N, H) -> (N, H)"""
    y = (factors["d"] * w) @ mats["U_c"].T  # dL/d(r h_prev)
    return factors["r"] * y + (factors["k_r"] * y) @ mats["U_r"].T


def recurrent_blocks(params: Params) -> dict[str, np.ndarray]:
    """U_r (reset gate) and U_c (candidate), each (H, H)."""
    return {"U_r": params["U_r"], "U_c": params["U_c"]}


def theory_overlay(params: Params, cache: GruNoUpdateCache) -> TheoryOverlay:
    """No carry path: with r <= 1 and |tanh'| <= 1, the gradient k steps back is bounded by
    about sigma_max(U_c)^k (the gate's own path ignored)."""
    return matrix_power_overlay(params["U_c"], cache.hs.shape[0], "U_c")


CELL = Cell(
    name="gru_no_update",
    label="GRU without update",
    colour="#66A182",
    summary="update gate removed (u = 1), every step overwrites; a read-masked RNN",
    block_labels=(("U_r", "U_r (reset gate)"), ("U_c", "U_c (candidate)")),
    init=init,
    forward=forward,
    backward=backward,
    param_shapes=param_shapes,
    ablates=("gru", "u"),
    jacobian_factors=jacobian_factors,
    jacobian_matvec=jacobian_matvec,
    jacobian_rmatvec=jacobian_rmatvec,
    recurrent_blocks=recurrent_blocks,
    theory_overlay=theory_overlay,
    gates=(
        GateInfo(
            "r", "r", "reset gate", "read: 1 lets the candidate see the old state, 0 hides it"
        ),
    ),
    gate_values=lambda cache: {"r": cache.r},
    candidate=lambda cache: cache.hs,
)
