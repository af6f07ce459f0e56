"""GRU in the seed convention (reset BEFORE the candidate's matrix product), with exact BPTT.

    u_t = sigmoid(x_t W_u + h_{t-1} U_u + b_u)          update gate: how much to write
    r_t = sigmoid(x_t W_r + h_{t-1} U_r + b_r)          reset gate:  what of h_{t-1} to read
    c_t = tanh(x_t W_c + (r_t * h_{t-1}) U_c + b_c)     candidate
    h_t = u_t * c_t + (1 - u_t) * h_{t-1}

Fused storage (row vectors): W (D, 3H) = [W_u | W_r | W_c], U_g (H, 2H) = [U_u | U_r],
U_c (H, H), b (3H,) = [b_u | b_r | b_c]. Gates and candidates are kept in the cache
(cache.u, cache.r, cache.c, each (T, B, H)) for inspection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.activations import sigmoid_of_half_
from core.cell_types import CellGrads, Params, as_inputs, previous_states
from core.init import gaussian, recurrent, update_gate_bias


@dataclass
class GruCache:
    xs: np.ndarray    # (T, B, D) inputs, in the parameters' dtype
    h0: np.ndarray    # (B, H) initial state
    hs: np.ndarray    # (T, B, H) hidden states h_1..h_T
    u: np.ndarray     # (T, B, H) update gates
    r: np.ndarray     # (T, B, H) reset gates
    c: np.ndarray     # (T, B, H) candidates
    rh: np.ndarray    # (T, B, H) r_t * h_{t-1}, the part of the state the candidate reads


def init(D: int, H: int, rng: np.random.Generator, *, init_scale: float = 1.0,
         orthogonal: bool = True, update_bias: float = -1.0, chrono_length: int | None = None,
         dtype: str = "float32") -> Params:
    """W ~ N(0, g^2/D); U_g, U_c orthogonal per block * g (or N(0, g^2/H));
    b_u = update_bias (or chrono), b_r = b_c = 0."""
    W = gaussian(rng, (D, 3 * H), D, init_scale, dtype)                  # (D, 3H)
    U_g = recurrent(rng, H, 2, init_scale, orthogonal, dtype)            # (H, 2H)
    U_c = recurrent(rng, H, 1, init_scale, orthogonal, dtype)            # (H, H)
    b = np.zeros(3 * H, dtype=dtype)                                     # (3H,)
    b[:H] = update_gate_bias(rng, H, update_bias, chrono_length, dtype)
    return {"W": W, "U_g": U_g, "U_c": U_c, "b": b}


def forward(params: Params, xs: np.ndarray, h0: np.ndarray | None) -> tuple[np.ndarray, GruCache]:
    """Run the GRU over a sequence.  xs: (T, B, D), h0: (B, H) -> hs: (T, B, H), cache."""
    W, U_g, U_c, b = params["W"], params["U_g"], params["U_c"], params["b"]
    T, H = len(xs), U_c.shape[0]
    xs, h0 = as_inputs(params, xs, h0, H)
    B = xs.shape[1]
    xw = (xs.reshape(T * B, -1) @ W).reshape(T, B, 3 * H)   # (T, B, 3H) all input projections
    xw += b
    xw[..., :2 * H] *= 0.5              # gates get sigma(a) = (1 + tanh(a/2)) / 2: pre-halve once
    U_g_half = U_g * 0.5                                     # (H, 2H)
    ur = np.empty((T, B, 2 * H), dtype=W.dtype)              # (T, B, 2H) [u | r] per step
    rh = np.empty((T, B, H), dtype=W.dtype)                  # (T, B, H)
    c = np.empty((T, B, H), dtype=W.dtype)                   # (T, B, H)
    hs = np.empty((T, B, H), dtype=W.dtype)                  # (T, B, H)
    tmp = np.empty((B, H), dtype=W.dtype)                    # (B, H) scratch
    h = h0
    for t in range(T):
        g = ur[t]                                            # (B, 2H) gate pre-activations / 2
        np.matmul(h, U_g_half, out=g)                        # one fused product for both gates
        g += xw[t, :, :2 * H]
        sigmoid_of_half_(g)
        u, r = g[:, :H], g[:, H:]                            # (B, H) each
        np.multiply(r, h, out=rh[t])                         # (B, H) what the candidate reads
        np.matmul(rh[t], U_c, out=c[t])                      # (B, H)
        c[t] += xw[t, :, 2 * H:]
        np.tanh(c[t], out=c[t])
        np.subtract(c[t], h, out=tmp)                        # h_t = h + u * (c - h)
        tmp *= u
        np.add(h, tmp, out=hs[t])
        h = hs[t]
    return hs, GruCache(xs=xs, h0=h0, hs=hs, u=ur[..., :H], r=ur[..., H:], c=c, rh=rh)


def backward(params: Params, cache: GruCache, d_hs: np.ndarray) -> CellGrads:
    """BPTT. d_hs: (T, B, H) dL/dh_t from above -> grads for every parameter, xs, h0, and the
    total dL/dh_t. With dh the total gradient at step t and a_* the pre-activations:

        da_c = dh u (1 - c^2);  da_u = dh (c - h_prev) u (1 - u);  d(rh) = da_c U_c^T
        da_r = d(rh) h_prev r (1 - r)
        dh_prev = dh (1 - u) + d(rh) r + [da_u | da_r] U_g^T
    """
    W, U_g, U_c = params["W"], params["U_g"], params["U_c"]
    xs, h0, hs, u, r, c, rh = cache.xs, cache.h0, cache.hs, cache.u, cache.r, cache.c, cache.rh
    T, B, H = hs.shape
    d_hs = np.asarray(d_hs, dtype=hs.dtype)
    h_prev = previous_states(h0, hs)                          # (T, B, H)
    # Step-independent factors, computed for all steps at once.
    one_minus_u = 1.0 - u                                     # (T, B, H)
    k_c = u * (1.0 - c * c)                                   # (T, B, H) da_c = dh * k_c
    k_u = (c - h_prev) * u * one_minus_u                      # (T, B, H) da_u = dh * k_u
    k_r = h_prev * r * (1.0 - r)                              # (T, B, H) da_r = d(rh) * k_r
    U_gT = np.ascontiguousarray(U_g.T)                        # (2H, H)
    U_cT = np.ascontiguousarray(U_c.T)                        # (H, H)
    d_pre = np.empty((T, B, 3 * H), dtype=hs.dtype)           # (T, B, 3H) [da_u | da_r | da_c]
    dh_total = np.empty_like(hs)                              # (T, B, H)
    d_rh = np.empty((B, H), dtype=hs.dtype)                   # (B, H)
    tmp = np.empty((B, H), dtype=hs.dtype)                    # (B, H) scratch
    d_next = np.zeros((B, H), dtype=hs.dtype)                 # (B, H) dL/dh_{t} via step t+1
    for t in range(T - 1, -1, -1):
        dh = dh_total[t]
        np.add(d_hs[t], d_next, out=dh)                       # (B, H) total dL/dh_t
        np.multiply(dh, k_c[t], out=d_pre[t, :, 2 * H:])      # da_c
        np.multiply(dh, k_u[t], out=d_pre[t, :, :H])          # da_u
        np.matmul(d_pre[t, :, 2 * H:], U_cT, out=d_rh)        # (B, H)
        np.multiply(d_rh, k_r[t], out=d_pre[t, :, H:2 * H])   # da_r
        np.matmul(d_pre[t, :, :2 * H], U_gT, out=d_next)      # (B, H) through both gates
        np.multiply(dh, one_minus_u[t], out=tmp)              # carried part
        d_next += tmp
        np.multiply(d_rh, r[t], out=tmp)                      # read through the reset gate
        d_next += tmp
    d_pre2 = d_pre.reshape(T * B, 3 * H)                      # (T*B, 3H)
    grads = {
        "W": xs.reshape(T * B, -1).T @ d_pre2,                          # (D, 3H)
        "U_g": h_prev.reshape(T * B, H).T @ d_pre2[:, :2 * H],          # (H, 2H)
        "U_c": rh.reshape(T * B, H).T @ d_pre2[:, 2 * H:],              # (H, H)
        "b": d_pre2.sum(axis=0),                                        # (3H,)
    }
    d_xs = (d_pre2 @ W.T).reshape(xs.shape)                             # (T, B, D)
    return CellGrads(params=grads, xs=d_xs, h0=d_next, hs=dh_total)
