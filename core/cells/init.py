"""Initialisers for the recurrent cells. Every function draws from the Generator it is given,
so one seed gives one set of parameters.

- gaussian:   N(0, g^2 / fan_in)
- orthogonal: a Haar-random orthogonal matrix times g (each H x H gate block separately)
- update-gate bias: a constant (negative favours carrying the state, u near 0), or chrono
  (Tallec & Ollivier 2018) in our convention u = 1/tau, tau ~ U[1, L-1]  =>  b_u = -log(tau - 1)
"""

from __future__ import annotations

import numpy as np

from core.cells.protocol import InitOption

CHRONO_MIN_TAU = 1.01  # tau is clipped here so b_u = -log(tau - 1) stays finite (<= log 100)


def gaussian(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    fan_in: int,
    scale: float,
    dtype: str = "float32",
) -> np.ndarray:
    """w ~ N(0, g^2 / fan_in), g = scale. -> shape"""
    std = scale / np.sqrt(fan_in)
    return (rng.standard_normal(shape) * std).astype(dtype)


def orthogonal(
    rng: np.random.Generator, n: int, scale: float = 1.0, dtype: str = "float32"
) -> np.ndarray:
    """Q * g, Q Haar-distributed orthogonal (QR of a Gaussian, signs fixed by diag R). -> (n, n)"""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    q *= np.sign(np.diag(r))  # (n, n) columns flipped so the law is uniform
    return (q * scale).astype(dtype)


def recurrent(
    rng: np.random.Generator,
    H: int,
    blocks: int,
    scale: float,
    is_orthogonal: bool,
    dtype: str = "float32",
) -> np.ndarray:
    """[U_1 | ... | U_blocks], each (H, H): orthogonal * g, or N(0, g^2 / H). -> (H, blocks*H)"""
    if is_orthogonal:
        return np.concatenate([orthogonal(rng, H, scale, dtype) for _ in range(blocks)], axis=1)
    return gaussian(rng, (H, blocks * H), H, scale, dtype)


def chrono_bias(
    rng: np.random.Generator, H: int, length: int, dtype: str = "float32"
) -> np.ndarray:
    """b_u = -log(tau - 1), tau ~ U[1, length - 1] clipped to >= CHRONO_MIN_TAU, so that at zero
    input u = sigmoid(b_u) = 1/tau: unit j forgets on a time scale of about tau_j steps. -> (H,)"""
    high = max(length - 1.0, CHRONO_MIN_TAU)
    tau = np.maximum(rng.uniform(1.0, high, size=H), CHRONO_MIN_TAU)  # (H,)
    return (-np.log(tau - 1.0)).astype(dtype)


UPDATE_BIAS = InitOption(
    name="update_bias",
    label="GRU update-gate bias",
    help="Initial bias of the update gate u. Negative makes u near 0: the state is carried "
    "and the gradient has a shortcut.",
    short="update bias {}",
)  # declared by every cell with an update gate


def update_gate_bias(
    rng: np.random.Generator,
    H: int,
    update_bias: float,
    chrono_length: int | None,
    dtype: str = "float32",
) -> np.ndarray:
    """The GRU update-gate bias: chrono when chrono_length is given, else the constant. -> (H,)"""
    if chrono_length:
        return chrono_bias(rng, H, chrono_length, dtype)
    return np.full(H, update_bias, dtype=dtype)
