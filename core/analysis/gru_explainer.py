"""The GRU's read / write / carry decomposition, and a tiny GRU to explore it.

Per step, in the seed convention:

    read  = r_t * h_{t-1}          what of the old state the candidate may see
    write = u_t * c_t              what of the candidate enters the new state
    carry = (1 - u_t) * h_{t-1}    what of the old state is kept
    h_t   = write + carry

(For reset_after the candidate sees r_t * (h_{t-1} U_n + bh_n) instead; the explainer uses the
seed convention.) A gate can be driven by a learner-set bias, or forced to a constant value:
its weights are zeroed and its bias set to logit(value), clamped to [1e-12, 1 - 1e-12] so
"u = 0" keeps h_{t-1} to 12 decimal places.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.cells import CELLS

Params = dict[str, np.ndarray]
FORCE_EPS = 1e-12


@dataclass(frozen=True)
class TinyGruSpec:
    hidden: int = 3  # units H (2..4 for the explainer)
    inputs: int = 2  # input size D
    steps: int = 6  # sequence length T
    update_bias: float = 0.0  # b_u (ignored when update_value is set)
    reset_bias: float = 0.0  # b_r (ignored when reset_value is set)
    update_value: float | None = None  # force u_t to this constant (its weights zeroed)
    reset_value: float | None = None  # force r_t to this constant (its weights zeroed)
    seed: int = 0  # weights, inputs and the initial state


PRESETS = {
    "u = 0: the state is copied": TinyGruSpec(update_value=0.0),
    "r = 0: the candidate ignores the past": TinyGruSpec(reset_value=0.0),
    "u = 1, r = 1: a plain tanh RNN": TinyGruSpec(update_value=1.0, reset_value=1.0),
}


@dataclass
class ReadWriteCarry:
    """Per-step decomposition of one sequence through a GRU; all arrays (T, H)."""

    h_prev: np.ndarray  # h_{t-1}
    u: np.ndarray  # update gate
    r: np.ndarray  # reset gate
    c: np.ndarray  # candidate
    read: np.ndarray  # r * h_{t-1}
    write: np.ndarray  # u * c
    carry: np.ndarray  # (1 - u) * h_{t-1}
    h: np.ndarray  # h_t = write + carry

    SHUT = 0.01  # a gate below this everywhere counts as shut

    def to_dict(self) -> dict:
        return {k: v.tolist() for k, v in vars(self).items()}

    @property
    def regime(self) -> str:
        """ "carry" when u is shut everywhere (h_t = h_{t-1}), "blind" when r is shut everywhere
        (the candidate sees only the input), else "mixed"."""
        if self.u.max() < self.SHUT:
            return "carry"
        return "blind" if self.r.max() < self.SHUT else "mixed"


def _logit(p: float) -> float:
    p = min(max(p, FORCE_EPS), 1.0 - FORCE_EPS)
    return math.log(p / (1.0 - p))


def tiny_gru(spec: TinyGruSpec) -> Params:
    """A seed-convention GRU with H = spec.hidden units: random weights (seeded), gate biases as
    set, and any forced gate's weights zeroed with bias logit(value)."""
    H, D = spec.hidden, spec.inputs
    rng = np.random.default_rng(spec.seed)
    p = CELLS["gru"].init(
        D,
        H,
        rng,
        init_scale=1.5,
        orthogonal=True,
        update_bias=0.0,
        chrono_length=None,
        dtype="float64",
    )
    p["b"][:H], p["b"][H : 2 * H] = spec.update_bias, spec.reset_bias
    for value, block in ((spec.update_value, 0), (spec.reset_value, 1)):
        if value is not None:
            cols = slice(block * H, (block + 1) * H)
            p["W"][:, cols] = 0.0
            p["U_g"][:, cols] = 0.0
            p["b"][cols] = _logit(value)
    return p


def demo_inputs(spec: TinyGruSpec) -> tuple[np.ndarray, np.ndarray]:
    """(xs (T, 1, D), h0 (1, H)): seeded inputs and a non-zero initial state, so copying and
    forgetting are visible."""
    rng = np.random.default_rng(spec.seed + 1)
    xs = rng.normal(0.0, 1.0, size=(spec.steps, 1, spec.inputs))
    h0 = rng.uniform(-0.9, 0.9, size=(1, spec.hidden))
    return xs, h0


def read_write_carry(
    params: Params, xs: np.ndarray, h0: np.ndarray, index: int = 0
) -> ReadWriteCarry:
    """Decompose sequence `index` of a seed-convention GRU run. xs (T, B, D), h0 (B, H)."""
    p = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    hs, cache = CELLS["gru"].forward(p, np.asarray(xs, np.float64), np.asarray(h0, np.float64))
    h_prev = np.concatenate([cache.h0[None], hs[:-1]])[:, index]  # (T, H)
    u, r, c = cache.u[:, index], cache.r[:, index], cache.c[:, index]  # (T, H) each
    return ReadWriteCarry(
        h_prev=h_prev,
        u=u.copy(),
        r=r.copy(),
        c=c.copy(),
        read=r * h_prev,
        write=u * c,
        carry=(1.0 - u) * h_prev,
        h=hs[:, index].copy(),
    )


def explain(spec: TinyGruSpec) -> ReadWriteCarry:
    """tiny_gru(spec) run on demo_inputs(spec): the explainer's whole computation."""
    xs, h0 = demo_inputs(spec)
    return read_write_carry(tiny_gru(spec), xs, h0)
