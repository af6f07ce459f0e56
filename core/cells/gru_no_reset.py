"""GRU without its reset gate (r fixed at 1: the candidate reads all of h_{t-1}), exact BPTT.

    u_t = sigmoid(x_t W_u + h_{t-1} U_u + b_u)          update gate: how much to write
    c_t = tanh(x_t W_c + h_{t-1} U_c + b_c)             candidate, reading the whole state
    h_t = u_t * c_t + (1 - u_t) * h_{t-1}

The ablation that asks what the read mask buys. With r gone, the candidate no longer waits for
a gate: one fused product per step. Storage (row vectors): W (D, 2H) = [W_u | W_c],
U (H, 2H) = [U_u | U_c], b (2H,) = [b_u | b_c].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.cells.init import UPDATE_BIAS, gaussian, recurrent, update_gate_bias
from core.cells.protocol import (
    Cell,
    CellGrads,
    GateInfo,
    InputWeightGrad,
    Params,
    input_grad,
    inputs_with_ones,
    previous_states,
    state_steps,
    tanh_slope,
)
from core.cells.theory import TheoryOverlay, carry_overlay


@dataclass
class GruNoResetCache:
    xs: np.ndarray  # (T, B, D) inputs, in the parameters' dtype
    h0: np.ndarray  # (B, H) initial state
    hs: np.ndarray  # (T, B, H) hidden states h_1..h_T
    uc: np.ndarray  # (2, T, B, H) [u, c]: update gates and candidates, gate-major
    x1: np.ndarray  # (T*B, D+1) inputs with a ones column (for W and b in one product)

    @property
    def u(self) -> np.ndarray:
        """Update gates. -> (T, B, H)"""
        return self.uc[0]

    @property
    def c(self) -> np.ndarray:
        """Candidates. -> (T, B, H)"""
        return self.uc[1]


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
    """W ~ N(0, g^2/D); U orthogonal per block * g (or N(0, g^2/H)); b_u = update_bias (or
    chrono), b_c = 0."""
    W = gaussian(rng, (D, 2 * H), D, init_scale, dtype)  # (D, 2H)
    U = recurrent(rng, H, 2, init_scale, orthogonal, dtype)  # (H, 2H)
    b = np.zeros(2 * H, dtype=dtype)  # (2H,)
    b[:H] = update_gate_bias(rng, H, update_bias, chrono_length, dtype)
    return {"W": W, "U": U, "b": b}


def param_shapes(D: int, H: int) -> dict[str, tuple[int, ...]]:
    """Shapes of init's parameters, without drawing them."""
    return {"W": (D, 2 * H), "U": (H, 2 * H), "b": (2 * H,)}


def forward(
    params: Params, xs: np.ndarray, h0: np.ndarray | None
) -> tuple[np.ndarray, GruNoResetCache]:
    """Run the GRU without reset gate.  xs: (T, B, D), h0: (B, H) -> hs: (T, B, H), cache."""
    W, U, b = params["W"], params["U"], params["b"]
    T, H = len(xs), U.shape[0]
    x1, xs, h0 = inputs_with_ones(params, xs, h0, H)
    B, dt = xs.shape[1], W.dtype
    scale = np.ones(2 * H, dtype=dt)
    scale[:H] = 0.5  # sigma(a) = (1 + tanh(a/2)) / 2
    Wb = (np.vstack([W, b]) * scale).T.reshape(2, H, -1).transpose(0, 2, 1)  # (2, D+1, H)
    uc = np.matmul(x1, Wb).reshape(2, T, B, H)  # (2, T, B, H) input part, then [u, c]
    U2 = (U * scale).reshape(H, 2, H).transpose(1, 0, 2).copy()  # (2, H, H) [U_u / 2, U_c]
    hs = np.empty((T, B, H), dtype=dt)  # (T, B, H)
    rec = np.empty((2, B, H), dtype=dt)  # (2, B, H) scratch
    a = np.empty((B, H), dtype=dt)  # (B, H) scratch
    h = h0
    for t in range(T):
        g = uc[:, t]  # (2, B, H) this step's [u, c], filled in place
        np.matmul(h, U2, out=rec)  # both products in one call
        g += rec
        np.tanh(g, out=g)
        u, c = g
        u *= 0.5
        u += 0.5
        np.subtract(c, h, out=a)  # h_t = h + u * (c - h)
        a *= u
        np.add(h, a, out=hs[t])
        h = hs[t]
    return hs, GruNoResetCache(xs=xs, h0=h0, hs=hs, uc=uc, x1=x1)


def final_state(cache: GruNoResetCache) -> np.ndarray:
    """h_T. -> (B, H)"""
    return cache.hs[-1]


def backward(
    params: Params, cache: GruNoResetCache, d_hs: np.ndarray, d_final: np.ndarray | None = None
) -> CellGrads:
    """BPTT. d_hs: (T, B, H) dL/dh_t from above, d_final (B, H) optional dL/dh_T.
    With dh the total gradient at step t and q = dh (1 - u):

        da_u = q (h_t - h_prev)    [= dh (c - h_prev) u (1 - u)]
        da_c = (dh - q) (1 - c^2)
        dh_prev = q + [da_u | da_c] U^T
    """
    W, U = params["W"], params["U"]
    xs, h0, hs, u, c = cache.xs, cache.h0, cache.hs, cache.u, cache.c
    T, B, H = hs.shape
    dt = hs.dtype
    d_hs = np.asarray(d_hs, dtype=dt)
    U2T = U.reshape(H, 2, H).transpose(1, 2, 0).copy()  # (2, H, H) [U_u^T, U_c^T]
    d_pre = np.empty((2, T, B, H), dtype=dt)  # (2, T, B, H) [da_u, da_c]
    d_u, d_c = d_pre  # (T, B, H) each, contiguous
    dh_total = np.empty_like(hs)  # (T, B, H)
    q, p = np.empty((B, H), dtype=dt), np.empty((B, H), dtype=dt)  # (B, H) scratch
    back = np.empty((2, B, H), dtype=dt)  # (2, B, H) scratch: da_j U_j^T
    step, c_slope = state_steps(h0, hs), tanh_slope(c)  # (T, B, H) each, for all steps at once
    d_next = np.zeros((B, H), dtype=dt)  # (B, H) dL/dh_t via step t+1
    if d_final is not None:
        d_next += np.asarray(d_final, dtype=dt)
    d_Wb = InputWeightGrad(cache.x1, T, 2 * H, blocks=2)  # d[W; b]
    for t in range(T - 1, -1, -1):
        dh = dh_total[t]
        np.add(d_hs[t], d_next, out=dh)  # (B, H) total dL/dh_t
        np.multiply(dh, u[t], out=p)  # p = dh u
        np.subtract(dh, p, out=q)  # q = dh (1 - u)
        np.multiply(q, step[t], out=d_u[t])  # da_u
        np.multiply(p, c_slope[t], out=d_c[t])  # da_c
        np.matmul(d_pre[:, t], U2T, out=back)  # (2, B, H)
        np.add(back[0], back[1], out=d_next)
        d_next += q  # carried part
        d_Wb.add(t, d_pre[:, t])
    d_flat = d_pre.reshape(2, T * B, H)  # (2, T*B, H)
    dWb = d_Wb.result(d_flat)  # (D+1, 2H) [dW; db]
    hs_prev_T = hs[:-1].reshape(-1, H).T  # (H, (T-1)*B)
    dU2 = np.matmul(h0.T, d_pre[:, 0]) + np.matmul(hs_prev_T, d_flat[:, B:])  # (2, H, H)
    grads = {"W": dWb[:-1], "U": dU2.transpose(1, 0, 2).reshape(H, 2 * H), "b": dWb[-1]}
    return CellGrads(
        params=grads, h0=d_next, hs=dh_total, input_grad=input_grad(d_flat, W, xs.shape)
    )


# ----------------------------------------------------------------------------- analysis hooks
def jacobian_factors(params: Params, cache: GruNoResetCache):
    """Per-step factors of J_t = dh_t / dh_{t-1} = diag(1 - u) + diag(k_u) U_u^T + diag(k_c) U_c^T
    with k_u = (c - h_prev) u (1 - u), k_c = u (1 - c^2), each (T, B, H); blocks U_u, U_c."""
    u, c = cache.u, cache.c  # (T, B, H) each
    h_prev = previous_states(cache.h0, cache.hs)
    factors = {"carry": 1.0 - u, "k_u": (c - h_prev) * u * (1.0 - u), "k_c": u * (1.0 - c * c)}
    return factors, recurrent_blocks(params)


def jacobian_matvec(factors, mats, v: np.ndarray) -> np.ndarray:
    """J_t v = (1 - u) v + k_u (v U_u) + k_c (v U_c) for every row.  v: (N, H) -> (N, H)"""
    return (
        factors["carry"] * v
        + factors["k_u"] * (v @ mats["U_u"])
        + factors["k_c"] * (v @ mats["U_c"])
    )


def jacobian_rmatvec(factors, mats, w: np.ndarray) -> np.ndarray:
    """J_t^T w = (1 - u) w + (k_u w) U_u^T + (k_c w) U_c^T for every row.  w: (N, H) -> (N, H)"""
    return (
        factors["carry"] * w
        + (factors["k_u"] * w) @ mats["U_u"].T
        + (factors["k_c"] * w) @ mats["U_c"].T
    )


def recurrent_blocks(params: Params) -> dict[str, np.ndarray]:
    """The (H, H) blocks of U: U_u (update gate), U_c (candidate)."""
    U = params["U"]
    H = U.shape[0]
    return {"U_u": U[:, :H], "U_c": U[:, H:]}


def theory_overlay(params: Params, cache: GruNoResetCache) -> TheoryOverlay:
    """The gradient along the carry path alone: prod (1 - u_s) over the last k steps."""
    return carry_overlay(1.0 - cache.u, "1 - u")


CELL = Cell(
    name="gru_no_reset",
    label="GRU without reset",
    colour="#EDAE49",
    summary="reset gate removed (r = 1), the candidate reads all of h_(t-1)",
    block_labels=(("U_u", "U_u (update gate)"), ("U_c", "U_c (candidate)")),
    init=init,
    forward=forward,
    backward=backward,
    param_shapes=param_shapes,
    ablates=("gru", "r"),
    jacobian_factors=jacobian_factors,
    jacobian_matvec=jacobian_matvec,
    jacobian_rmatvec=jacobian_rmatvec,
    recurrent_blocks=recurrent_blocks,
    theory_overlay=theory_overlay,
    gates=(
        GateInfo(
            "u",
            "u",
            "update gate",
            "write: 1 replaces the unit with the candidate, 0 keeps its old value",
            pytorch_symbol="z",
            pytorch_complement=True,
        ),
    ),
    gate_values=lambda cache: {"u": cache.u},
    candidate=lambda cache: cache.c,
    carry=lambda cache: 1.0 - cache.u,
    init_options=(UPDATE_BIAS,),
)
