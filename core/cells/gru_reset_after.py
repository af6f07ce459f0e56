"""GRU with the reset gate AFTER the recurrent product (PyTorch / cuDNN), with exact BPTT.

    u_t = sigmoid(x_t W_u + b_u + h_{t-1} U_u + bh_u)
    r_t = sigmoid(x_t W_r + b_r + h_{t-1} U_r + bh_r)
    n_t = tanh(x_t W_n + b_n + r_t * (h_{t-1} U_n + bh_n))
    h_t = u_t * n_t + (1 - u_t) * h_{t-1}

PyTorch names the update gate z = 1 - u and writes h_t = (1 - z) n_t + z h_{t-1}; from_pytorch
and to_pytorch convert between its nn.GRU weights and ours. Fused storage (row vectors):
W (D, 3H) = [W_u | W_r | W_n], U (H, 3H) = [U_u | U_r | U_n], b (3H,), b_h (3H,).
The cache keeps u, r and the candidate as `c` (= n_t), each (T, B, H). Forward and backward
work gate-major, so every (B, H) block a step touches is contiguous (5-7 % faster per step
than (T, B, 3H) in alternating A/B rounds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.cells.gru import RESET_GATE, UPDATE_GATE
from core.cells.init import UPDATE_BIAS, gaussian, recurrent, update_gate_bias
from core.cells.protocol import (
    Cell,
    CellGrads,
    InputWeightGrad,
    Params,
    input_grad,
    inputs_with_ones,
    previous_states,
    state_steps,
    tanh_slope,
    times_complement,
    with_final,
)
from core.cells.theory import TheoryOverlay, carry_overlay


@dataclass
class GruResetAfterCache:
    xs: np.ndarray  # (T, B, D) inputs, in the parameters' dtype
    h0: np.ndarray  # (B, H) initial state
    hs: np.ndarray  # (T, B, H) hidden states h_1..h_T
    u: np.ndarray  # (T, B, H) update gates (PyTorch's z is 1 - u)
    r: np.ndarray  # (T, B, H) reset gates
    c: np.ndarray  # (T, B, H) candidates n_t
    hn: np.ndarray  # (T, B, H) h_{t-1} U_n + bh_n, the recurrent term the reset gate scales
    x1: np.ndarray  # (T*B, D+1) inputs with a ones column (for W and b in one product)

    @property
    def z(self) -> np.ndarray:
        """PyTorch's update gate z = 1 - u. -> (T, B, H)"""
        return 1.0 - self.u


def init(
    D: int,
    H: int,
    rng: np.random.Generator,
    *,
    init_scale: float = 1.0,
    orthogonal: bool = True,
    update_bias: float = -1.0,
    chrono_length: int | None = None,
    dtype: str = "float32",
) -> Params:
    """W ~ N(0, g^2/D); U orthogonal per block * g (or N(0, g^2/H));
    b_u = update_bias (or chrono); all other biases 0."""
    W = gaussian(rng, (D, 3 * H), D, init_scale, dtype)  # (D, 3H)
    U = recurrent(rng, H, 3, init_scale, orthogonal, dtype)  # (H, 3H)
    b = np.zeros(3 * H, dtype=dtype)  # (3H,)
    b[:H] = update_gate_bias(rng, H, update_bias, chrono_length, dtype)
    return {"W": W, "U": U, "b": b, "b_h": np.zeros(3 * H, dtype=dtype)}


def forward(
    params: Params, xs: np.ndarray, h0: np.ndarray | None
) -> tuple[np.ndarray, GruResetAfterCache]:
    """Run the reset-after GRU.  xs: (T, B, D), h0: (B, H) -> hs: (T, B, H), cache.
    Gate-major layout: every (B, H) block a step touches is contiguous."""
    W, U, b, b_h = params["W"], params["U"], params["b"], params["b_h"]
    T, H = len(xs), U.shape[0]
    x1, xs, h0 = inputs_with_ones(params, xs, h0, H)
    B, dt = xs.shape[1], W.dtype
    # Gates use sigma(a) = (1 + tanh(a/2)) / 2: halve their weights once, not every step.
    half = np.ones(3 * H, dtype=dt)
    half[: 2 * H] = 0.5  # (3H,)
    b_in = b.copy()
    b_in[: 2 * H] += b_h[: 2 * H]  # gate biases of both kinds, once
    Wb = (np.vstack([W, b_in]) * half).T.reshape(3, H, -1).transpose(0, 2, 1)  # (3, D+1, H)
    xw = np.matmul(x1, Wb).reshape(3, T, B, H)  # (3, T, B, H) [u, r, n] input parts
    U3 = (U * half).reshape(H, 3, H).transpose(1, 0, 2).copy()  # (3, H, H) [U_u, U_r, U_n]
    bh_n = b_h[2 * H :]  # (H,)
    ur = np.empty((2, T, B, H), dtype=dt)  # (2, T, B, H) [u, r]
    hn, n, hs = (np.empty((T, B, H), dtype=dt) for _ in range(3))  # (T, B, H) each
    hu = np.empty((3, B, H), dtype=dt)  # (3, B, H) scratch: h U_j (gates halved)
    a = np.empty((B, H), dtype=dt)  # (B, H) scratch
    h = h0
    for t in range(T):
        np.matmul(h, U3, out=hu)  # all three products in one call
        g = ur[:, t]  # (2, B, H) this step's gates
        np.add(hu[:2], xw[:2, t], out=g)
        np.tanh(g, out=g)
        g *= 0.5
        g += 0.5  # [u, r] = sigma(.)
        np.add(hu[2], bh_n, out=hn[t])  # (B, H) h U_n + bh_n
        np.multiply(g[1], hn[t], out=a)  # reset applied after the product
        a += xw[2, t]
        np.tanh(a, out=n[t])
        np.subtract(n[t], h, out=a)  # h_t = h + u * (n - h)
        a *= g[0]
        np.add(h, a, out=hs[t])
        h = hs[t]
    cache = GruResetAfterCache(xs=xs, h0=h0, hs=hs, u=ur[0], r=ur[1], c=n, hn=hn, x1=x1)
    return hs, cache


def backward(
    params: Params, cache: GruResetAfterCache, d_hs: np.ndarray, d_final: np.ndarray | None = None
) -> CellGrads:
    """BPTT. d_hs: (T, B, H) dL/dh_t from above, d_final (B, H) dL/dh_T from after the
    sequence -> grads for every parameter, xs, h0, and the total dL/dh_t.
    With dh the total gradient at step t, a_* the pre-activations and q = dh (1 - u) (the
    part carried straight through to h_{t-1}):

        da_u = q (h_t - h_prev)          [= dh (n - h_prev) u (1 - u)]
        da_n = (dh - q) (1 - n^2);  d(hn) = da_n r;  da_r = d(hn) hn (1 - r)
        dh_prev = q + d(hn) U_n^T + da_u U_u^T + da_r U_r^T
    """
    W, U = params["W"], params["U"]
    xs, h0, hs, u, r, n, hn = cache.xs, cache.h0, cache.hs, cache.u, cache.r, cache.c, cache.hn
    T, B, H = hs.shape
    dt = hs.dtype
    d_hs = with_final(d_hs, d_final, dt)
    # Gradients gate-major in the order [hn, u, r, n]: U's blocks take the first three
    # (d(hn), da_u, da_r), W's the last three (da_u, da_r, da_n), each a contiguous slice.
    U_blocks_T = U.reshape(H, 3, H).transpose(1, 2, 0)  # (3, H, H) [U_u^T, U_r^T, U_n^T]
    UT3 = np.ascontiguousarray(U_blocks_T[[2, 0, 1]])  # (3, H, H) [U_n^T, U_u^T, U_r^T]
    d_pre = np.empty((4, T, B, H), dtype=dt)  # (4, T, B, H) [d(hn), da_u, da_r, da_n]
    d_hn, d_u, d_r, d_n = d_pre  # (T, B, H) each, contiguous
    dh_total = np.empty_like(hs)  # (T, B, H)
    q, p = np.empty((B, H), dtype=dt), np.empty((B, H), dtype=dt)  # (B, H) scratch
    back = np.empty((3, B, H), dtype=dt)  # (3, B, H) scratch: d_j U_j^T
    # What does not depend on dh, for all steps at once: h_t - h_prev, 1 - n^2, hn (1 - r).
    step, n_slope = state_steps(h0, hs), tanh_slope(n)  # (T, B, H) each
    reset_slope = times_complement(hn, r)  # (T, B, H)
    d_next = np.zeros((B, H), dtype=dt)  # (B, H) dL/dh_t via step t+1
    d_Wb = InputWeightGrad(cache.x1, T, 3 * H, blocks=3)  # d[W; b], blocks [u, r, n]
    for t in range(T - 1, -1, -1):
        dh = dh_total[t]
        np.add(d_hs[t], d_next, out=dh)  # (B, H) total dL/dh_t
        np.multiply(dh, u[t], out=p)  # p = dh u
        np.subtract(dh, p, out=q)  # q = dh (1 - u)
        np.multiply(q, step[t], out=d_u[t])  # da_u
        np.multiply(p, n_slope[t], out=d_n[t])  # da_n
        np.multiply(d_n[t], r[t], out=d_hn[t])  # d(hn)
        np.multiply(d_hn[t], reset_slope[t], out=d_r[t])  # da_r
        np.matmul(d_pre[:3, t], UT3, out=back)  # (3, B, H)
        np.sum(back, axis=0, out=d_next)
        d_next += q  # carried part
        d_Wb.add(t, d_pre[1:, t])
    d_flat = d_pre.reshape(4, T * B, H)  # (4, T*B, H)
    dWb = d_Wb.result(d_flat[1:])  # (D+1, 3H) [dW; db] in W's column order [u | r | n]
    hs_prev_T = hs[:-1].reshape(-1, H).T  # (H, (T-1)*B)
    dU3 = np.matmul(h0.T, d_pre[:3, 0]) + np.matmul(hs_prev_T, d_flat[:3, B:])  # (3, H, H)
    grads = {
        "W": dWb[:-1],  # (D, 3H)
        "U": np.concatenate([dU3[1], dU3[2], dU3[0]], axis=1),  # (H, 3H) [u | r | n]
        "b": dWb[-1],  # (3H,)
        "b_h": np.concatenate([dWb[-1, : 2 * H], d_flat[0].sum(axis=0)]),  # (3H,)
    }
    return CellGrads(
        params=grads, h0=d_next, hs=dh_total, input_grad=input_grad(d_flat[1:], W, xs.shape)
    )


def from_pytorch(
    weight_ih: np.ndarray, weight_hh: np.ndarray, bias_ih: np.ndarray, bias_hh: np.ndarray
) -> Params:
    """nn.GRU layer weights (rows in r, z, n order; (3H, D), (3H, H), (3H,), (3H,)) -> our params.
    Since u = 1 - z = sigmoid(-a_z), the update-gate rows are negated."""

    def rows(m):  # r, z, n blocks -> u, r, n blocks
        m_r, m_z, m_n = np.split(np.asarray(m), 3, axis=0)
        return np.concatenate([-m_z, m_r, m_n], axis=0)

    return {
        "W": np.ascontiguousarray(rows(weight_ih).T),
        "U": np.ascontiguousarray(rows(weight_hh).T),
        "b": rows(bias_ih),
        "b_h": rows(bias_hh),
    }


def to_pytorch(params: Params) -> dict[str, np.ndarray]:
    """Our params -> nn.GRU's weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (r, z, n rows)."""

    def rows(m):  # u, r, n blocks -> r, z, n blocks
        m_u, m_r, m_n = np.split(np.asarray(m), 3, axis=0)
        return np.concatenate([m_r, -m_u, m_n], axis=0)

    return {
        "weight_ih_l0": rows(params["W"].T),
        "weight_hh_l0": rows(params["U"].T),
        "bias_ih_l0": rows(params["b"]),
        "bias_hh_l0": rows(params["b_h"]),
    }


def param_shapes(D: int, H: int) -> dict[str, tuple[int, ...]]:
    return {"W": (D, 3 * H), "U": (H, 3 * H), "b": (3 * H,), "b_h": (3 * H,)}


def jacobian_factors(params: Params, cache: GruResetAfterCache):
    """J = diag(1 - u) + diag((n - h_prev) u (1 - u)) U_u^T
    + diag(u (1 - n^2)) [diag(r) U_n^T + diag(hn r (1 - r)) U_r^T]"""
    u, r, n, hn = cache.u, cache.r, cache.c, cache.hn  # (T, B, H) each
    h_prev = previous_states(cache.h0, cache.hs)  # (T, B, H)
    H = n.shape[-1]
    U = params["U"]
    factors = {
        "carry": 1.0 - u,
        "k_u": (n - h_prev) * u * (1.0 - u),
        "k_c": u * (1.0 - n * n),
        "r": r,
        "k_r": hn * r * (1.0 - r),
    }
    return factors, {"U_u": U[:, :H], "U_r": U[:, H : 2 * H], "U_n": U[:, 2 * H :]}


def jacobian_matvec(f, m, v):
    """J v in row form.  v: (N, H) -> (N, H)"""
    inner = f["r"] * (v @ m["U_n"]) + f["k_r"] * (v @ m["U_r"])  # d(r hn) . v
    return f["carry"] * v + f["k_u"] * (v @ m["U_u"]) + f["k_c"] * inner


def jacobian_rmatvec(f, m, w):
    """J^T w in row form.  w: (N, H) -> (N, H)"""
    a = f["k_c"] * w  # d(r hn)
    return (
        f["carry"] * w
        + (f["k_u"] * w) @ m["U_u"].T
        + (f["r"] * a) @ m["U_n"].T
        + (f["k_r"] * a) @ m["U_r"].T
    )


def recurrent_blocks(params: Params) -> dict[str, np.ndarray]:
    """U_u, U_r, U_n: the three (H, H) blocks of U."""
    U = params["U"]
    H = U.shape[0]
    return {"U_u": U[:, :H], "U_r": U[:, H : 2 * H], "U_n": U[:, 2 * H :]}


def theory_overlay(params: Params, cache: GruResetAfterCache) -> TheoryOverlay:
    """The gradient along the carry path alone: prod (1 - u_s) = prod z_s."""
    return carry_overlay(1.0 - cache.u, "1 - u")


CELL = Cell(
    name="gru_reset_after",
    label="GRU (reset after)",
    colour="#2E86AB",
    convention="reset after (PyTorch/cuDNN)",
    summary="reset applied after the recurrent product (PyTorch/cuDNN)",
    block_labels=(
        ("U_u", "U_u (update gate)"),
        ("U_r", "U_r (reset gate)"),
        ("U_n", "U_n (candidate, reset-after)"),
    ),
    init=init,
    forward=forward,
    backward=backward,
    param_shapes=param_shapes,
    jacobian_factors=jacobian_factors,
    jacobian_matvec=jacobian_matvec,
    jacobian_rmatvec=jacobian_rmatvec,
    recurrent_blocks=recurrent_blocks,
    theory_overlay=theory_overlay,
    gates=(UPDATE_GATE, RESET_GATE),
    gate_values=lambda cache: {"u": cache.u, "r": cache.r},
    candidate=lambda cache: cache.c,
    carry=lambda cache: 1.0 - cache.u,
    init_options=(UPDATE_BIAS,),
)
