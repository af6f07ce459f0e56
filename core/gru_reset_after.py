"""GRU with the reset gate AFTER the recurrent product (PyTorch / cuDNN), with exact BPTT.

    u_t = sigmoid(x_t W_u + b_u + h_{t-1} U_u + bh_u)
    r_t = sigmoid(x_t W_r + b_r + h_{t-1} U_r + bh_r)
    n_t = tanh(x_t W_n + b_n + r_t * (h_{t-1} U_n + bh_n))
    h_t = u_t * n_t + (1 - u_t) * h_{t-1}

PyTorch names the update gate z = 1 - u and writes h_t = (1 - z) n_t + z h_{t-1}; from_pytorch
and to_pytorch convert between its nn.GRU weights and ours. Fused storage (row vectors):
W (D, 3H) = [W_u | W_r | W_n], U (H, 3H) = [U_u | U_r | U_n], b (3H,), b_h (3H,).
The cache keeps u, r and the candidate as `c` (= n_t), each (T, B, H).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.activations import sigmoid_of_half_
from core.cell_types import CellGrads, Params, as_inputs, previous_states
from core.init import gaussian, recurrent, update_gate_bias


@dataclass
class GruResetAfterCache:
    xs: np.ndarray    # (T, B, D) inputs, in the parameters' dtype
    h0: np.ndarray    # (B, H) initial state
    hs: np.ndarray    # (T, B, H) hidden states h_1..h_T
    u: np.ndarray     # (T, B, H) update gates (PyTorch's z is 1 - u)
    r: np.ndarray     # (T, B, H) reset gates
    c: np.ndarray     # (T, B, H) candidates n_t
    hn: np.ndarray    # (T, B, H) h_{t-1} U_n + bh_n, the recurrent term the reset gate scales

    @property
    def z(self) -> np.ndarray:
        """PyTorch's update gate z = 1 - u. -> (T, B, H)"""
        return 1.0 - self.u


def init(D: int, H: int, rng: np.random.Generator, *, init_scale: float = 1.0,
         orthogonal: bool = True, update_bias: float = -1.0, chrono_length: int | None = None,
         dtype: str = "float32") -> Params:
    """W ~ N(0, g^2/D); U orthogonal per block * g (or N(0, g^2/H));
    b_u = update_bias (or chrono); all other biases 0."""
    W = gaussian(rng, (D, 3 * H), D, init_scale, dtype)                  # (D, 3H)
    U = recurrent(rng, H, 3, init_scale, orthogonal, dtype)              # (H, 3H)
    b = np.zeros(3 * H, dtype=dtype)                                     # (3H,)
    b[:H] = update_gate_bias(rng, H, update_bias, chrono_length, dtype)
    return {"W": W, "U": U, "b": b, "b_h": np.zeros(3 * H, dtype=dtype)}


def forward(params: Params, xs: np.ndarray,
            h0: np.ndarray | None) -> tuple[np.ndarray, GruResetAfterCache]:
    """Run the reset-after GRU.  xs: (T, B, D), h0: (B, H) -> hs: (T, B, H), cache."""
    W, U, b, b_h = params["W"], params["U"], params["b"], params["b_h"]
    T, H = len(xs), U.shape[0]
    xs, h0 = as_inputs(params, xs, h0, H)
    B = xs.shape[1]
    xw = (xs.reshape(T * B, -1) @ W).reshape(T, B, 3 * H)   # (T, B, 3H) all input projections
    xw += b
    xw[..., :2 * H] += b_h[:2 * H]                           # gate biases of both kinds, once
    xw[..., :2 * H] *= 0.5              # gates get sigma(a) = (1 + tanh(a/2)) / 2: pre-halve once
    U_s = U.copy()                                           # (H, 3H)
    U_s[:, :2 * H] *= 0.5
    bh_n = b_h[2 * H:]                                       # (H,)
    ur = np.empty((T, B, 2 * H), dtype=W.dtype)              # (T, B, 2H) [u | r] per step
    hn = np.empty((T, B, H), dtype=W.dtype)                  # (T, B, H)
    n = np.empty((T, B, H), dtype=W.dtype)                   # (T, B, H)
    hs = np.empty((T, B, H), dtype=W.dtype)                  # (T, B, H)
    hu = np.empty((B, 3 * H), dtype=W.dtype)                 # (B, 3H) h_{t-1} U, gate part / 2
    tmp = np.empty((B, H), dtype=W.dtype)                    # (B, H) scratch
    h = h0
    for t in range(T):
        np.matmul(h, U_s, out=hu)                            # one fused product for all three
        g = ur[t]                                            # (B, 2H)
        np.add(hu[:, :2 * H], xw[t, :, :2 * H], out=g)
        sigmoid_of_half_(g)
        u, r = g[:, :H], g[:, H:]                            # (B, H) each
        np.add(hu[:, 2 * H:], bh_n, out=hn[t])               # (B, H) h U_n + bh_n
        np.multiply(r, hn[t], out=n[t])                      # reset applied after the product
        n[t] += xw[t, :, 2 * H:]
        np.tanh(n[t], out=n[t])
        np.subtract(n[t], h, out=tmp)                        # h_t = h + u * (n - h)
        tmp *= u
        np.add(h, tmp, out=hs[t])
        h = hs[t]
    return hs, GruResetAfterCache(xs=xs, h0=h0, hs=hs, u=ur[..., :H], r=ur[..., H:], c=n, hn=hn)


def backward(params: Params, cache: GruResetAfterCache, d_hs: np.ndarray) -> CellGrads:
    """BPTT. d_hs: (T, B, H) dL/dh_t from above -> grads for every parameter, xs, h0, and the
    total dL/dh_t. With dh the total gradient at step t and a_* the pre-activations:

        da_n = dh u (1 - n^2);  da_u = dh (n - h_prev) u (1 - u);  da_r = da_n hn r (1 - r)
        d(hn) = da_n r;   dh_prev = dh (1 - u) + [da_u | da_r | d(hn)] U^T
    """
    W, U = params["W"], params["U"]
    xs, h0, hs, u, r, n, hn = cache.xs, cache.h0, cache.hs, cache.u, cache.r, cache.c, cache.hn
    T, B, H = hs.shape
    d_hs = np.asarray(d_hs, dtype=hs.dtype)
    h_prev = previous_states(h0, hs)                          # (T, B, H)
    # Step-independent factors, computed for all steps at once.
    one_minus_u = 1.0 - u                                     # (T, B, H)
    k_n = u * (1.0 - n * n)                                   # (T, B, H) da_n = dh * k_n
    k_u = (n - h_prev) * u * one_minus_u                      # (T, B, H) da_u = dh * k_u
    k_r = hn * r * (1.0 - r)                                  # (T, B, H) da_r = da_n * k_r
    UT = np.ascontiguousarray(U.T)                            # (3H, H)
    d_rec = np.empty((T, B, 3 * H), dtype=hs.dtype)           # (T, B, 3H) [da_u | da_r | d(hn)]
    d_n = np.empty_like(hs)                                   # (T, B, H) da_n
    dh_total = np.empty_like(hs)                              # (T, B, H)
    tmp = np.empty((B, H), dtype=hs.dtype)                    # (B, H) scratch
    d_next = np.zeros((B, H), dtype=hs.dtype)                 # (B, H) dL/dh_t via step t+1
    for t in range(T - 1, -1, -1):
        dh = dh_total[t]
        np.add(d_hs[t], d_next, out=dh)                       # (B, H) total dL/dh_t
        np.multiply(dh, k_n[t], out=d_n[t])                   # da_n
        np.multiply(dh, k_u[t], out=d_rec[t, :, :H])          # da_u
        np.multiply(d_n[t], k_r[t], out=d_rec[t, :, H:2 * H]) # da_r
        np.multiply(d_n[t], r[t], out=d_rec[t, :, 2 * H:])    # d(hn)
        np.matmul(d_rec[t], UT, out=d_next)                   # (B, H) one fused product
        np.multiply(dh, one_minus_u[t], out=tmp)              # carried part
        d_next += tmp
    d_rec2 = d_rec.reshape(T * B, 3 * H)                      # (T*B, 3H)
    d_in2 = d_rec2.copy()                                     # (T*B, 3H) [da_u | da_r | da_n]
    d_in2[:, 2 * H:] = d_n.reshape(T * B, H)
    grads = {
        "W": xs.reshape(T * B, -1).T @ d_in2,                           # (D, 3H)
        "U": h_prev.reshape(T * B, H).T @ d_rec2,                       # (H, 3H)
        "b": d_in2.sum(axis=0),                                         # (3H,)
        "b_h": d_rec2.sum(axis=0),                                      # (3H,)
    }
    d_xs = (d_in2 @ W.T).reshape(xs.shape)                              # (T, B, D)
    return CellGrads(params=grads, xs=d_xs, h0=d_next, hs=dh_total)


def from_pytorch(weight_ih: np.ndarray, weight_hh: np.ndarray, bias_ih: np.ndarray,
                 bias_hh: np.ndarray) -> Params:
    """nn.GRU layer weights (rows in r, z, n order; (3H, D), (3H, H), (3H,), (3H,)) -> our params.
    Since u = 1 - z = sigmoid(-a_z), the update-gate rows are negated."""
    def rows(m):                                    # r, z, n blocks -> u, r, n blocks
        m_r, m_z, m_n = np.split(np.asarray(m), 3, axis=0)
        return np.concatenate([-m_z, m_r, m_n], axis=0)
    return {"W": np.ascontiguousarray(rows(weight_ih).T),
            "U": np.ascontiguousarray(rows(weight_hh).T),
            "b": rows(bias_ih), "b_h": rows(bias_hh)}


def to_pytorch(params: Params) -> dict[str, np.ndarray]:
    """Our params -> nn.GRU's weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (r, z, n rows)."""
    def rows(m):                                    # u, r, n blocks -> r, z, n blocks
        m_u, m_r, m_n = np.split(np.asarray(m), 3, axis=0)
        return np.concatenate([m_r, -m_u, m_n], axis=0)
    return {"weight_ih_l0": rows(params["W"].T), "weight_hh_l0": rows(params["U"].T),
            "bias_ih_l0": rows(params["b"]), "bias_hh_l0": rows(params["b_h"])}
